"""The light edition's chart pages as content: title, one-sentence answer(s), figures (pure).

Each page opens with its answer in plain words, then the figure that shows it (marked
`data-first-figure`), so a reader on a phone has both in the first screen.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from dashboard.content.number_columns import as_text
from dashboard.content.plain_language import lead_map, lead_profile, lead_trend
from dashboard.content.profile import par_sentence, profile_table
from dashboard.i18n import fmt_pct, service_name, t
from dashboard.release.contract import INDEX
from dashboard.static_site import figures as F
from dashboard.static_site.content import (
    SiteData,
    geos_of,
    latest_years,
    province_count,
    service_path,
    services_of,
    sorted_provinces,
)


@dataclass
class Page:
    """One chart page of a language: `path` relative to the language folder."""

    path: str
    kind: str  # index | service | province
    title: str
    leads: list[str]
    figures: list[F.Figure] = field(default_factory=list)
    links: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (heading, [(href, label)])
    tables: list[F.Table] = field(default_factory=list)  # more numbers, after the figures
    subtitle: str = ""  # a line under the title (a province page: its boundary set)

    @property
    def rows(self) -> pd.DataFrame:
        """Every figure the page shows (its CSV)."""
        frames = [f.rows for f in self.figures if len(f.rows)]
        return pd.concat(frames, ignore_index=True).drop_duplicates(
            subset=["year", "geo_version", "level", "unit_code", "service", "indicator"]) if frames else pd.DataFrame()


def _collect(builders: list[Callable[[str, bool], F.Figure | None]]) -> list[F.Figure]:
    """Run figure builders in order; the first figure drawn is the page's first figure."""
    out: list[F.Figure] = []
    for build in builders:
        figure = build(f"f{len(out) + 1}", not out)
        if figure is not None:
            out.append(figure)
    return out


def _national_latest(data: SiteData) -> tuple[pd.DataFrame, int | None]:
    """The country's overall index of every service in its newest year (newest boundary set)."""
    national = data.index_rows[(data.index_rows["unit_code"] == "VN") & data.index_rows["value"].notna()]
    if national.empty:
        return national, None
    year = int(national["year"].max())
    return national[national["year"] == year], year


def index_lead(data: SiteData, lang: str) -> str:
    rows, year = _national_latest(data)
    if year is None:
        return t("static.none", lang)
    best, worst = rows.loc[rows["value"].idxmax()], rows.loc[rows["value"].idxmin()]
    if len(rows) == 1:
        return t("light.lead_index_one", lang, year=year, service=service_name(best["service"], lang).lower(),
                 value=fmt_pct(best["value"], lang, 1))
    return t("light.lead_index", lang, year=year, best=service_name(best["service"], lang).lower(),
             best_value=fmt_pct(best["value"], lang, 1), worst=service_name(worst["service"], lang).lower(),
             worst_value=fmt_pct(worst["value"], lang, 1))


def _map_choice(data: SiteData) -> tuple[str, str, int] | None:
    """The index map: SIPAS (or the first service with provinces) on the newest boundary set's
    newest year with provincial figures."""
    for service in ["admin"] + services_of(data):
        years = latest_years(data.results, service)
        if years:
            return service, years[0][0], years[0][1]
    return None


def index_page(data: SiteData, lang: str) -> Page:
    rows, year = _national_latest(data)
    choice = _map_choice(data)
    builders = []
    if year is not None:
        geo = str(rows["geo_version"].iloc[0])
        builders.append(lambda fid, first: F.services_figure(data, geo, "VN", year, lang, fid, first))
    if choice is not None:
        service, geo, map_year = choice
        builders.append(lambda fid, first: F.map_figure(data, service, geo, map_year, lang, "", fid, first))
    links = [(t("static.services", lang), [(service_path(s), service_name(s, lang)) for s in services_of(data)])]
    provinces = sorted_provinces(data, lang)
    for geo in geos_of(data):
        links.append((t(f"static.geo_{geo}", lang),
                      [(data.province_path(g, c), name) for g, c, name in provinces if g == geo]))
    return Page("index.html", "index", data.release.title(lang), [index_lead(data, lang)], _collect(builders), links)


def service_page(data: SiteData, service: str, lang: str) -> Page:
    """Map and ranking of the provinces in the newest year of each boundary set, the national series."""
    builders = []
    newest = latest_years(data.results, service)
    for geo, year in newest:
        builders.append(lambda fid, first, g=geo, y=year: F.map_figure(data, service, g, y, lang, "../", fid, first))
        builders.append(lambda fid, first, g=geo, y=year: F.ranking_figure(data, service, g, y, lang, "../", fid, first))
    builders.append(lambda fid, first: F.national_trend_figure(data, service, lang, fid, first))
    if newest:
        geo, year = newest[0]
        values = data.index_rows[(data.index_rows["service"] == service) & (data.index_rows["geo_version"] == geo)
                                 & (data.index_rows["year"] == year) & (data.index_rows["level"] == "province")]
        lead = lead_map(values, province_count(data, geo), service, INDEX, year, lang, data.name_of(lang))
    else:
        national = data.index_rows[(data.index_rows["service"] == service) & (data.index_rows["unit_code"] == "VN")]
        lead = lead_trend(national, "VN", data.name("vn63", "VN", lang), service, INDEX, lang, breaks=data.breaks)
    return Page(service_path(service), "service", service_name(service, lang), [lead], _collect(builders))


def province_page(data: SiteData, geo: str, code: str, lang: str) -> Page:
    """One province: its services against the country (newest year), its series, its districts.
    A province without figures says so and shows the country's, so the page still answers."""
    name = data.name(geo, code, lang)
    subtitle = t(f"static.geo_{geo}", lang)
    own = data.unit_results(geo, code)
    own = own[own["value"].notna()]
    path = data.province_path(geo, code)
    if own.empty:
        rows, year = _national_latest(data)
        figures = _collect([lambda fid, first: F.services_figure(data, str(rows["geo_version"].iloc[0]), "VN", year,
                                                                 lang, fid, first)] if year is not None else [])
        return Page(path, "province", name, [t("light.no_figures", lang, unit=name)], figures, subtitle=subtitle)
    year = int(own["year"].max())
    of_year = own[own["year"] == year]
    national = data.unit_results(geo, "VN")
    national = national[national["year"] == year]
    gaps = data.unit_gaps(geo, code, year)
    leads = [lead_profile(of_year, national, code, name, year, lang, gaps=gaps)]
    par = par_sentence(of_year, "province", lang)
    if par:
        leads.append(par)
    figures = _collect([
        lambda fid, first: F.services_figure(data, geo, code, year, lang, fid, first),
        lambda fid, first: F.place_series_figure(data, geo, code, lang, fid, first),
        lambda fid, first: F.districts_figure(data, geo, code, lang, fid, first),
    ])
    table = _criteria_first(as_text(profile_table(of_year, national, lang, gaps)), lang)
    tables = [F.Table(table, t("pf.services", lang, year=year))] if len(table) else []
    return Page(path, "province", name, leads, figures, tables=tables, subtitle=subtitle)


def _criteria_first(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The profile table with one naming column: the service on its overall index's row, then
    its criteria ('• ...') under it (a service name repeated on every row does not fit a phone)."""
    service, indicator = t("col.service", lang), t("col.indicator", lang)
    if table.empty or service not in table or indicator not in table:
        return table
    names = [s if not i.startswith("• ") else i for s, i in zip(table[service], table[indicator])]
    out = table.drop(columns=[service, indicator])
    out.insert(0, f"{service} / {indicator.lower()}", names)
    return out
