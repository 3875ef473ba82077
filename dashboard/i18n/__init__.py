"""Vietnamese/English messages and number/date formatting, in one place.

The messages live in gettext catalogues, `locale/{vi,en}/LC_MESSAGES/messages.po`, that a translator
edits with any PO editor; the msgid is the stable message key used in the code. `t(key, lang, count=...)`
looks a message up, picks its plural form when it shows a count, and fills `{placeholders}`; unit tests
hold that both languages have the same keys and placeholders. Numbers and dates use babel's locale
data: Vietnamese writes 1.234,5 and English 1,234.5.
"""
from __future__ import annotations

import gettext
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from dashboard.release.catalogue import CRITERIA, PUBLISHED_ITEMS, SERVICE_NAMES, SERVICE_SHORT_NAMES

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"
_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# A plural message names the placeholder that holds its count in an extracted comment: `#. plural: counts {n}`.
_COUNTS = re.compile(r"plural: counts \{(\w+)\}")


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def catalogue_path(lang: str) -> Path:
    """The gettext catalogue of a language (`lang` in LANGS)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


@dataclass(frozen=True)
class Message:
    """One message of a catalogue: its forms (one, or one per plural form of the language) and, for a
    plural message, the placeholder that shows the count."""

    forms: tuple[str, ...]
    count_name: str | None = None

    @property
    def plural(self) -> bool:
        return self.count_name is not None


@dataclass(frozen=True)
class Catalogue:
    lang: str
    messages: dict[str, Message]
    num_plurals: int
    plural_expr: str
    plural_index: Callable[[int], int]  # count -> index of the form, from the catalogue's Plural-Forms


def catalogue(lang: str | None) -> Catalogue:
    """The catalogue of `lang` (an unknown language gets the default one)."""
    return _read_catalogue(norm_lang(lang))


@cache
def _read_catalogue(lang: str) -> Catalogue:
    """A catalogue, read once, at its first message (about 10 ms for 440 messages)."""
    with catalogue_path(lang).open("rb") as fh:
        po = read_po(fh, locale=lang, charset="utf-8")
    messages: dict[str, Message] = {}
    for msg in po:
        if not msg.id:
            continue  # the header
        if msg.pluralizable:
            counts = [m.group(1) for c in msg.auto_comments if (m := _COUNTS.search(c))]
            messages[msg.id[0]] = Message(tuple(msg.string), counts[0] if counts else "")
        else:
            messages[msg.id] = Message((msg.string,))
    return Catalogue(lang, messages, po.num_plurals, po.plural_expr, gettext.c2py(po.plural_expr))


def message_keys(lang: str = DEFAULT_LANG) -> frozenset[str]:
    """Every message key of a language's catalogue."""
    return _keys(norm_lang(lang))


@cache
def _keys(lang: str) -> frozenset[str]:
    return frozenset(_read_catalogue(lang).messages)


def t(key: str, lang: str, count: int | None = None, **values) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `values`.

    A message that shows a number takes it as `count`: the language's plural rule picks the form
    ("1 row", "2 rows"), and the count fills the message's count placeholder unless `values` gives it
    already (a formatted number, say). Without `count` a plural message uses its general form.
    A key missing from the catalogue raises KeyError."""
    cat = _read_catalogue(norm_lang(lang))
    message = cat.messages[key]
    text = message.forms[-1]
    if count is not None and message.plural:
        index = cat.plural_index(int(count))
        text = message.forms[min(index, len(message.forms) - 1)]
        if message.count_name and message.count_name not in values:
            values[message.count_name] = count
    return text.format(**values) if values else text


def fmt_number(value, lang: str, decimals: int = 2) -> str:
    """A number in the language's convention; '–' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    try:
        if value != value:  # pandas NA-safe NaN check
            return "–"
    except TypeError:
        return "–"
    return _formatted(float(value), _LOCALES[norm_lang(lang)], decimals)


@lru_cache(maxsize=65536)
def _formatted(value: float, locale: str, decimals: int) -> str:
    """babel's formatting, remembered: the light edition writes the same numbers on many pages
    (a tenth of its build time went here)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale)


def fmt_int(value, lang: str) -> str:
    return fmt_number(value, lang, decimals=0)


def fmt_pct(value, lang: str, decimals: int = 2) -> str:
    text = fmt_number(value, lang, decimals)
    return text if text == "–" else f"{text}%"


def fmt_signed(value, lang: str, decimals: int = 2) -> str:
    """A change with its sign: +1,23 / −0,50 (a real minus sign)."""
    text = fmt_number(abs(value), lang, decimals) if value == value else "–"
    if text == "–":
        return text
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def fmt_interval(low, high, lang: str, decimals: int = 2) -> str:
    if low is None or high is None or low != low or high != high:
        return "–"
    return f"{fmt_number(low, lang, decimals)}–{fmt_number(high, lang, decimals)}"


def fmt_date(iso: str, lang: str) -> str:
    """An ISO date (YYYY-MM-DD) written out: '6 tháng 4, 2025' / '6 April 2025'."""
    try:
        day = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return format_date(day, format="long", locale=_LOCALES[norm_lang(lang)])


def service_name(service: str, lang: str, short: bool = False) -> str:
    vi, en = (SERVICE_SHORT_NAMES if short else SERVICE_NAMES).get(service, (service, service))
    return en if lang == "en" else vi


def indicator_name(service: str, indicator: str, lang: str) -> str:
    """Short name of an indicator: the overall index or a criterion."""
    if indicator == "index":
        return t("indicator.index", lang)
    for ind, name_vi, name_en, *_ in [*CRITERIA.get(service, []), *PUBLISHED_ITEMS.get(service, [])]:
        if ind == indicator:
            return name_en if lang == "en" else name_vi
    return indicator


def level_name(level: str, lang: str) -> str:
    return t(f"level.{level}", lang)


def flag_name(flag, lang: str, ci_method=None) -> str:
    """A figure's flag in words (and, for a chart's hover, whether its interval comes from a
    pooled design effect)."""
    parts = []
    if isinstance(flag, str) and flag:
        key = f"flag.{flag}"
        parts.append(t(key, lang) if key in message_keys(lang) else flag)
    if ci_method == "pooled":
        parts.append(t("flag.pooled", lang))
    return "; ".join(parts)


def flag_names(frame, lang: str) -> list[str]:
    """flag_name for every row of a frame with `flag` (a table says "pooled" once, in its caption)."""
    return [flag_name(f, lang) for f in frame["flag"]]


def changelog_line(change, lang: str) -> str:
    """One entry of a release's changelog: 'version (date): text' in the language."""
    if not isinstance(change, dict):
        return str(change)
    text = change.get("text_en" if lang == "en" else "text_vi") or change.get("text") or ""
    when = fmt_date(change["date"], lang) if change.get("date") else ""
    head = " ".join(str(p) for p in (change.get("version", ""), f"({when})" if when else "") if p)
    return f"{head}: {text}" if head else str(text)
