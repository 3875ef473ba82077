"""Citations of a release in the house style (Vietnamese and English) and as BibTeX.

House style (one line; the parts in brackets only when they apply):

    {Publisher} ({year}). {Title} (phiên bản {version}; bản phát hành {id}) [Bộ dữ liệu][ – DEMO].
    Số liệu tính đến {data as of}. {URL} (truy cập ngày {accessed}).

    {Publisher} ({year}). {Title} (version {version}; release {id}) [Data set][ – DEMO].
    Data as of {data as of}. {URL} (accessed {accessed}).

`year` is the year of publication of the release; the URL is the view's permalink, which pins the
release, so the citation and the link lead to the same numbers.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from dashboard.i18n import fmt_date, t


@dataclass(frozen=True)
class CitationInfo:
    """Everything a citation says."""

    release_id: str
    title: str
    publisher: str
    version: str
    published: str  # ISO date
    data_as_of: str  # ISO date
    url: str
    accessed: str  # ISO date
    demo: bool = False

    @property
    def year(self) -> str:
        return self.published[:4]


def publisher_of(descriptor: dict, lang: str) -> str:
    """Who publishes the release: its `publisher` or first contributor, else this project."""
    publisher = descriptor.get("publisher")
    if isinstance(publisher, dict):
        publisher = publisher.get("title_en" if lang == "en" else "title") or publisher.get("title")
    if not publisher:
        contributors = descriptor.get("contributors") or []
        if contributors and isinstance(contributors[0], dict):
            publisher = contributors[0].get("title")
    return str(publisher or t("export.publisher_default", lang))


def citation_info(release, lang: str, url: str, accessed: date | None = None) -> CitationInfo:
    """The citation facts of a `loaders.Release` seen at `url` on `accessed` (default today)."""
    return CitationInfo(release_id=release.id, title=release.title(lang), publisher=publisher_of(release.descriptor, lang),
                        version=release.version, published=release.published, data_as_of=release.data_as_of,
                        url=url, accessed=(accessed or date.today()).isoformat(), demo=release.demo)


def house_citation(info: CitationInfo, lang: str) -> str:
    """The citation in the house style of `lang`."""
    return t("export.citation_text", lang, publisher=info.publisher, year=info.year, title=info.title,
             version=info.version, release=info.release_id, demo=" – DEMO" if info.demo else "",
             as_of=fmt_date(info.data_as_of, lang), url=info.url, accessed=fmt_date(info.accessed, lang))


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _bib(text: str) -> str:
    """Text safe inside a BibTeX field: LaTeX specials escaped, ~ ^ \\ spelt out; UTF-8 kept."""
    text = str(text).replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}").replace("^", r"\^{}")
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def _bib_url(url: str) -> str:
    """A URL inside \\url{} in a normal field: % and # would start a comment or a parameter."""
    return url.replace("%", r"\%").replace("#", r"\#")


def bibtex_key(info: CitationInfo) -> str:
    """An ASCII key: release id and year, e.g. `sipas_published_2026`."""
    ascii_id = unicodedata.normalize("NFKD", info.release_id).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", f"{ascii_id}_{info.year}").strip("_") or "release"


def bibtex(info: CitationInfo, lang: str = "en") -> str:
    """A @misc BibTeX entry (biblatex reads `url`, `urldate` and `version` too)."""
    note = t("export.bibtex_note", lang, release=info.release_id, as_of=info.data_as_of)
    if info.demo:
        note += " " + t("export.demo_stamp", lang)
    fields = [("title", f"{{{_bib(info.title)}}}"), ("author", f"{{{_bib(info.publisher)}}}"),
              ("year", info.year), ("version", info.version), ("howpublished", rf"\url{{{_bib_url(info.url)}}}"),
              ("url", info.url), ("urldate", info.accessed), ("note", _bib(note))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(info)},\n{body}\n}}\n"
