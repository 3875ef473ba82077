"""Vietnamese/English messages and number/date formatting, in one place.

`t(key, lang, **values)` looks a message up in `messages.MESSAGES` (every key has both languages;
a unit test holds that) and fills `{placeholders}`. Numbers and dates use babel's locale data:
Vietnamese writes 1.234,5 and English 1,234.5.
"""
from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from dashboard.i18n.messages import MESSAGES
from dashboard.release.catalogue import CRITERIA, PUBLISHED_ITEMS, SERVICE_NAMES, SERVICE_SHORT_NAMES

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"
_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **values) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `values`."""
    vi, en = MESSAGES[key]
    text = en if lang == "en" else vi
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
        parts.append(t(key, lang) if key in MESSAGES else flag)
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
