"""Vietnamese place names: normalising, matching raw layer names to official units, slugs, aliases.

The raw boundary layers carry names, not codes, spelt in several ways: with or without the
`TP`/`Thành phố`/`Tỉnh` prefix, with the tone mark on either vowel of `oa`/`oe`/`uy` (`Hoà` and
`Hòa`), or abbreviated (`TP HCM`). Matching folds all of those into one key; anything that still
does not match is an error, never a silent drop.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from dashboard.text import nfc, slugify, strip_diacritics

# Combining tone marks (grave, acute, hook above, tilde, dot below). Other combining marks
# (circumflex, breve, horn) are part of the vowel, not the tone.
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}

_PREFIX = re.compile(r"^(thành phố|thanh pho|tp|tỉnh|tinh)\s+")

# Names that no rule can fold: abbreviations and pre-2025 names of the same unit.
_NAME_ALIASES = {
    "hcm": "hồ chí minh",
    "tphcm": "hồ chí minh",
    "thừa thiên huế": "huế",
}


def fold_tone_placement(text: str) -> str:
    """Text where each word's tone mark is moved to the end of the word.

    `hoà` and `hòa` (the two accepted placements) both become `hoa` + grave accent, so comparing
    folded strings ignores where the tone mark sits but not which tone it is.
    """
    words = []
    for word in unicodedata.normalize("NFD", text).split(" "):
        tones = "".join(ch for ch in word if ch in _TONE_MARKS)
        base = "".join(ch for ch in word if ch not in _TONE_MARKS)
        words.append(unicodedata.normalize("NFC", base) + tones)
    return " ".join(words)


def _clean_spacing(text: str) -> str:
    text = re.sub(r"[.\-–—_,()]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def match_key(name: str) -> str:
    """The key two spellings of the same province share.

    NFC, lower case, punctuation and hyphens as spaces, `TP`/`Thành phố`/`Tỉnh` prefix dropped,
    known abbreviations expanded, tone-mark placement folded.
    """
    text = _clean_spacing(nfc(name).lower())
    text = _PREFIX.sub("", text)
    text = _NAME_ALIASES.get(text, text)
    return fold_tone_placement(text)


def english_name(name_vi: str) -> str:
    """The name without diacritics, pure ASCII (`Hồ Chí Minh` -> `Ho Chi Minh`)."""
    out = strip_diacritics(nfc(name_vi))
    out = out.replace("\u2019", "'").replace("\u2018", "'")
    return out.encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class NameMatch:
    """One raw layer name joined to an official unit, with the rule that made it match."""

    raw_name: str
    unit_code: str
    official_name: str
    rule: str


class NameMatchError(ValueError):
    """Raised when a raw name matches no official unit, or two raw names match the same unit."""


def _rule_for(raw: str, official: str) -> str:
    """Which normalisation rules turned `raw` into `official` (for the build report)."""
    if nfc(raw) == official:
        return "exact"
    rules = []
    lowered = _clean_spacing(nfc(raw).lower())
    prefix = _PREFIX.match(lowered)
    stripped = _PREFIX.sub("", lowered)
    if prefix:
        rules.append(f"dropped prefix '{prefix.group(1)}'")
    target = _clean_spacing(official.lower())
    if stripped in _NAME_ALIASES:
        rules.append(f"alias '{stripped}' -> '{_NAME_ALIASES[stripped]}'")
    elif stripped != target and fold_tone_placement(stripped) == fold_tone_placement(target):
        rules.append(f"tone-mark placement '{stripped}' -> '{target}'")
    return "; ".join(rules) or "spacing/punctuation"


def match_names(raw_names: Iterable[str], official: pd.DataFrame) -> list[NameMatch]:
    """Join raw layer names to official units (columns unit_code, name_vi, full_name_vi).

    Every raw name must match exactly one official unit and no two raw names may match the same
    unit; otherwise NameMatchError lists every problem at once.
    """
    keys: dict[str, tuple[str, str]] = {}
    for row in official.itertuples(index=False):
        for variant in (row.name_vi, row.full_name_vi):
            keys.setdefault(match_key(variant), (row.unit_code, row.name_vi))
    matches, problems, seen = [], [], {}
    for raw in raw_names:
        hit = keys.get(match_key(raw))
        if hit is None:
            problems.append(f"'{raw}' matches no official unit")
            continue
        code, official_name = hit
        if code in seen:
            problems.append(f"'{raw}' and '{seen[code]}' both match {code} {official_name}")
        seen[code] = raw
        matches.append(NameMatch(raw, code, official_name, _rule_for(raw, official_name)))
    if problems:
        raise NameMatchError("; ".join(problems))
    return matches


def tone_placement_variants(text: str) -> list[str]:
    """The other accepted spelling of words ending in `oa`/`oe`/`uy` (`hòa` <-> `hoà`)."""
    out = []
    decomposed = unicodedata.normalize("NFD", text)
    # A tone mark right after the first vowel of a word-final oa/oe/uy moves to the second, and
    # back. Not after `q` (`quý`: the u belongs to the consonant), and only at the end of a word
    # (no consonant or further vowel mark follows, so `quận`, `hoàng` are left alone).
    end = r"(?![\w\u0300-\u036f])"
    tone = "[\u0300\u0301\u0309\u0303\u0323]"
    pair = rf"(?<![qQ])([oO](?={tone}?[aAeE])|[uU](?={tone}?[yY]))"
    first = re.sub(rf"{pair}({tone})([aAeEyY]){end}", r"\1\3\2", decomposed)
    second = re.sub(rf"{pair}([aAeEyY])({tone}){end}", r"\1\3\2", decomposed)
    for variant in (first, second):
        variant = unicodedata.normalize("NFC", variant)
        if variant != nfc(text) and variant not in out:
            out.append(variant)
    return out


def search_aliases(phrases: Iterable[str]) -> str:
    """'|'-joined lower-case search aliases: each phrase, its tone-placement variant, its ASCII form.

    Punctuation is kept in one copy and replaced by spaces in another (`bà rịa - vũng tàu`,
    `bà rịa vũng tàu`). Order is first-seen, so the result is deterministic.
    """
    seen: dict[str, None] = {}
    for phrase in phrases:
        if not phrase:
            continue
        base = re.sub(r"\s+", " ", nfc(phrase).lower()).strip()
        for form in (base, _clean_spacing(base)):
            for candidate in (form, *tone_placement_variants(form)):
                for item in (candidate, strip_diacritics(candidate)):
                    if item and "|" not in item:
                        seen.setdefault(item, None)
    return "|".join(seen)


def unique_slugs(names: Iterable[str], qualifiers: Iterable[str], codes: Iterable[str]) -> list[str]:
    """Slugs unique within a layer: the name's slug, plus `-<qualifier>` where names repeat.

    A qualifier is usually the parent province's name (`chau-thanh-tien-giang`); if that still
    repeats, the unit code is appended. The rule depends only on the layer, so it is stable.
    """
    names, qualifiers, codes = list(names), list(qualifiers), list(codes)
    base = [slugify(n) for n in names]
    counts = pd.Series(base).value_counts()
    slugs = [b if counts[b] == 1 else f"{b}-{slugify(q)}" for b, q in zip(base, qualifiers)]
    counts = pd.Series(slugs).value_counts()
    return [s if counts[s] == 1 else f"{s}-{c}" for s, c in zip(slugs, codes)]
