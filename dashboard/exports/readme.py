"""The plain-text files of a story pack: README (what, method, caveats), citation, licence.

Texts come from the message catalogue (`export.readme.*`), so they exist in both languages.
"""
from __future__ import annotations

import pandas as pd

from dashboard.exports.citation import CitationInfo, citation_info, house_citation
from dashboard.exports.stamp import figure_caption, is_map
from dashboard.exports.view import ExportView
from dashboard.geo.attribution import BOUNDARY_ATTRIBUTION, boundary_attribution
from dashboard.i18n import LANGS, fmt_date, fmt_number, message_keys, t
from dashboard.release.contract import LOW_N, VN34_FIRST_YEAR, crosses_break, method_breaks
from dashboard.release.read import load_notes


def _count(data: pd.DataFrame, flag: str) -> int:
    return int(data["flag"].eq(flag).sum()) if "flag" in data else 0


def caveats(view: ExportView) -> list[str]:
    """What a reader must know before quoting these figures, most important first."""
    data, lang = view.data, view.lang
    out = []
    if view.release.demo:
        out.append(t("export.readme.demo", lang))
    for flag, key in (("low_n", "export.readme.low_n"), ("suppressed", "export.readme.suppressed"),
                      ("provisional", "export.readme.provisional")):
        if count := _count(data, flag):
            out.append(t(key, lang, count=count, n=fmt_number(count, lang, 0), low_n=LOW_N))
    years = set(data["year"].dropna().astype(int)) if "year" in data else set()
    breaks = method_breaks(load_notes(view.release))
    services = set(data["service"]) if "service" in data else set()
    if years and any(crosses_break(breaks, s, min(years), max(years)) for s in services):
        out.append(t("export.readme.method_break", lang))
    if years and min(years) < VN34_FIRST_YEAR <= max(years):
        out.append(t("export.readme.reform", lang))
    if "ci_low" in data and data["ci_low"].isna().all():
        out.append(t("export.readme.no_intervals", lang))
    out += [str(note) for note in view.notes if note]
    return out


def column_lines(data: pd.DataFrame, lang: str) -> list[str]:
    """'column: meaning' for each column of the CSV whose meaning the catalogue knows."""
    lines = []
    for column in data.columns:
        key = f"export.col.{column}"
        lines.append(f"- {column}: {t(key, lang)}" if key in message_keys(lang) else f"- {column}")
    return lines


def readme_text(view: ExportView, files: list[str], citation: CitationInfo, images_problem: str | None = None) -> str:
    """README.txt of a story pack."""
    lang, release = view.lang, view.release
    title, subtitle, source = figure_caption(view.figure) if view.figure is not None else (view.name, "", "")
    parts = [title or view.name]
    if subtitle:
        parts.append(subtitle)
    parts += ["", t("export.readme.what_heading", lang), t("export.readme.what", lang, count=len(view.data),
                                                           rows=fmt_number(len(view.data), lang, 0))]
    parts += column_lines(view.data, lang)
    parts += ["", t("export.readme.method_heading", lang), t("export.readme.method", lang, low_n=LOW_N)]
    description = release.descriptor.get("description_en" if lang == "en" else "description")
    if description:
        parts += ["", t("export.readme.about_release", lang), str(description)]
    found = caveats(view)
    if found:
        parts += ["", t("export.readme.caveats_heading", lang)] + [f"- {c}" for c in found]
    parts += ["", t("export.readme.source_heading", lang)]
    if source or view.source:
        parts.append(source or view.source)
    parts.append(t("export.readme.release", lang, release=release.id, version=release.version,
                   published=fmt_date(release.published, lang), as_of=fmt_date(release.data_as_of, lang)))
    if view.permalink:
        parts += ["", t("export.readme.permalink", lang), view.permalink]
    parts += ["", t("export.readme.cite", lang), house_citation(citation, lang)]
    parts += ["", t("export.readme.licence", lang), licence_summary(release, lang)]
    if view.figure is not None and is_map(view.figure):
        parts += boundary_lines(lang)
    if images_problem:
        parts += ["", t("export.readme.no_images", lang)]
    parts += ["", t("export.readme.files", lang)] + [f"- {name}" for name in files]
    return "\n".join(parts).rstrip() + "\n"


def boundary_lines(lang: str) -> list[str]:
    """The boundary licence's attribution in `lang`, and the required English text word for word."""
    local = boundary_attribution(lang)
    return [local] if local == BOUNDARY_ATTRIBUTION else [local, BOUNDARY_ATTRIBUTION]


def licence_summary(release, lang: str) -> str:
    """'title (name) URL' of each licence of the release, one per line."""
    lines = []
    for lic in release.descriptor.get("licenses", []):
        label = lic.get("title") or lic.get("name") or ""
        name = lic.get("name")
        lines.append(" ".join(p for p in (label, f"({name})" if name and name != label else "", lic.get("path", "")) if p))
    return "\n".join(lines) or t("export.readme.no_licence", lang)


def licence_text(view: ExportView) -> str:
    """LICENSE.txt: the release's licences and, for a map, the boundary licence's attribution."""
    lang, release = view.lang, view.release
    parts = [t("export.licence_intro", lang, title=release.title(lang), release=release.id), "",
             licence_summary(release, lang)]
    if view.figure is not None and is_map(view.figure):
        parts += ["", t("export.licence_boundaries", lang), *boundary_lines(lang)]
    parts += ["", t("export.licence_cite", lang)]
    return "\n".join(parts) + "\n"


def citation_text(view: ExportView) -> str:
    """CITATION.txt: the house-style citation in the view's language, then in the other one."""
    order = [view.lang] + [other for other in LANGS if other != view.lang]
    return "\n\n".join(house_citation(citation_info(view.release, code, view.permalink, view.accessed), code)
                       for code in order) + "\n"
