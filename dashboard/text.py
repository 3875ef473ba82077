"""Text, the one place: Unicode form, folding for search, slugs for file names and addresses,
escaping for Markdown and HTML. Pure functions, no data.

Vietnamese text is stored NFC. A search key folds case, diacritics and `đ` (`Đắk Lắk` and
`dak lak` meet); a slug is ASCII with hyphens (`Bà Rịa - Vũng Tàu` -> `ba-ria-vung-tau`).
"""
from __future__ import annotations

import html
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def nfc(text: str) -> str:
    """NFC-normalised text (the one form Vietnamese text is stored in)."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """ASCII letters for Vietnamese: diacritics removed, `đ`/`Đ` -> `d`/`D` (`Đà Nẵng` -> `Da Nang`)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """The search key of a text: lower case, no diacritics (đ -> d), punctuation as spaces, single spaces."""
    text = strip_diacritics(str(text)).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    return _SPACES.sub(" ", text).strip()


def slugify(text: str, max_length: int | None = None, default: str = "") -> str:
    """ASCII, lower case, hyphen-separated; at most `max_length` characters; `default` if nothing is left."""
    slug = _NOT_SLUG.sub("-", strip_diacritics(nfc(str(text))).lower()).strip("-")
    if max_length is not None:
        slug = slug[:max_length].strip("-")
    return slug or default


def md_escape(text) -> str:
    """Text from data, made inert for Markdown (no links, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def html_escape(text, quote: bool = True) -> str:
    """Text from data, made inert for HTML (`quote=False`: text only, quotes kept as they are)."""
    return html.escape(str(text), quote=quote)
