"""What the static edition shows: its pages and the charts on each (pure: release in, specs out).

- index: the country's overall index per service, links to every service and province page
- one page per service: map of the provinces and their ranking (latest year of each boundary
  set), and the national series
- one page per province (of each boundary set): the services against the country, the series
  of each service, and the districts (vn63)
- methodology and data pages (text only; see `html_pages`)

Charts are the app's own builders (`dashboard.charts`, `dashboard.maps`), so they look the same.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import Caption, build_dot_plot, build_trend
from dashboard.contract import INDEX, SERVICES
from dashboard.geo.attribution import boundary_attribution
from dashboard.i18n import fmt_date, indicator_name, level_name, service_name, t
from dashboard.maps import build_choropleth
from dashboard.maps.layers import read_map_layer
from dashboard.views.services import comparison_rows
from dashboard.views.trends import break_note
from dashboard.views.units import DISPLAY_NAME, fold, name_lookup, unit_name

GEO_ORDER = ("vn34", "vn63")  # newest boundary set first


@dataclass
class Chart:
    """One chart of a page: its files are `<page>-<stem>.png` / `.csv` next to the page."""

    stem: str
    figure: go.Figure
    data: pd.DataFrame
    summary: bool = False  # rendered as PNG also in the default ("summary") image mode


@dataclass
class Page:
    """One HTML page of a language: `path` relative to the language folder (e.g. services/admin.html)."""

    path: str
    kind: str  # index | service | province | methodology | data
    title: str
    charts: list[Chart] = field(default_factory=list)
    table: pd.DataFrame | None = None  # formatted figures shown under the charts
    data: pd.DataFrame | None = None  # all figures of the page, written as <page>-data.csv


@dataclass(frozen=True)
class SiteData:
    """Everything the pages are made from."""

    release: object  # loaders.Release
    results: pd.DataFrame
    units: pd.DataFrame  # geodata/units.parquet (names, slugs)
    geodata_dir: Path
    breaks: frozenset = frozenset()  # the release's (service, year) method breaks

    def name(self, lang: str):
        names = name_lookup(self.units)
        return lambda geo, code: unit_name(names, geo, code, lang)


def source_line(release, lang: str) -> str:
    """The source line baked into every chart (as the app's `chart_source`)."""
    title = release.title(lang)
    if release.demo and "DEMO" not in title:
        title = "DEMO – " + title
    return t("chart.source", lang, title=title, as_of=fmt_date(release.data_as_of, lang))


def province_slug(units: pd.DataFrame, geo: str, code: str) -> str:
    """File name of a province page: `<slug>-<geo>` (the two boundary sets share many names)."""
    row = units[(units["geo_version"] == geo) & (units["unit_code"] == code)]
    slug = str(row["slug"].iloc[0]) if len(row) and isinstance(row["slug"].iloc[0], str) and row["slug"].iloc[0] else code
    return f"{slug}-{geo}"


def service_path(service: str) -> str:
    return f"services/{service}.html"


def province_path(units: pd.DataFrame, geo: str, code: str) -> str:
    return f"provinces/{province_slug(units, geo, code)}.html"


def latest_years(results: pd.DataFrame, service: str, level: str = "province") -> list[tuple[str, int]]:
    """(geo_version, latest year) of each boundary set with figures of `service` at `level`, newest first."""
    rows = results[(results["service"] == service) & (results["level"] == level) & (results["indicator"] == INDEX)]
    out = []
    for geo in GEO_ORDER:
        years = rows.loc[rows["geo_version"] == geo, "year"]
        if len(years):
            out.append((geo, int(years.max())))
    return out


def provinces_of(data: SiteData) -> list[tuple[str, str]]:
    """(geo, code) of every province with at least one figure, newest boundary set first."""
    rows = data.results[data.results["level"] == "province"]
    pairs = set(zip(rows["geo_version"], rows["unit_code"]))
    return sorted(pairs, key=lambda gc: (GEO_ORDER.index(gc[0]) if gc[0] in GEO_ORDER else 9, gc[1]))


def services_of(data: SiteData) -> list[str]:
    present = set(data.results.loc[data.results["indicator"] == INDEX, "service"])
    return [s for s in SERVICES if s in present]


def _named(frame: pd.DataFrame, name_of) -> pd.DataFrame:
    return frame.assign(name=[name_of(g, c) for g, c in zip(frame["geo_version"], frame["unit_code"])])


def service_map(data: SiteData, service: str, geo: str, year: int, lang: str, cache: dict) -> Chart | None:
    """The provinces' overall index of a service on a map (None without geodata)."""
    layer_name = f"provinces_{geo}"
    if layer_name not in cache:
        cache[layer_name] = read_map_layer(data.geodata_dir, layer_name)
    layer = cache[layer_name]
    if layer is None:
        return None
    values = data.results[(data.results["service"] == service) & (data.results["level"] == "province")
                          & (data.results["indicator"] == INDEX) & (data.results["year"] == year)
                          & (data.results["geo_version"] == geo)]
    units = layer.units.assign(name=layer.units[DISPLAY_NAME])
    cap = Caption(t("static.service_map", lang, service=service_name(service, lang), year=year),
                  t("map.subtitle", lang, level=t(f"static.geo_{geo}", lang)),
                  source_line(data.release, lang) + "\n" + boundary_attribution(lang, short=True))
    fig = build_choropleth(layer.geojson, units, values, cap, lang)
    return Chart(f"map-{year}", fig, _named(values, data.name(lang)), summary=True)


def service_ranking(data: SiteData, service: str, geo: str, year: int, lang: str) -> Chart | None:
    rows = data.results[(data.results["service"] == service) & (data.results["level"] == "province")
                        & (data.results["indicator"] == INDEX) & (data.results["year"] == year)
                        & (data.results["geo_version"] == geo)]
    if rows.empty:
        return None
    rows = _named(rows, data.name(lang))
    cap = Caption(t("static.service_ranking", lang, service=service_name(service, lang), year=year),
                  t(f"static.geo_{geo}", lang) + (". " + t("cmp.low_n", lang) if rows["flag"].eq("low_n").any() else ""),
                  source_line(data.release, lang))
    return Chart(f"ranking-{year}", build_dot_plot(rows, cap, lang), rows, summary=True)


def service_trend(data: SiteData, service: str, lang: str) -> Chart | None:
    rows = data.results[(data.results["service"] == service) & (data.results["unit_code"] == "VN")
                        & (data.results["indicator"] == INDEX)].copy()
    if rows["year"].nunique() < 2:
        return None
    rows["label"] = service_name(service, lang)
    subtitle = break_note(rows, data.breaks, lang)
    cap = Caption(t("static.service_trend", lang, service=service_name(service, lang)), subtitle,
                  source_line(data.release, lang))
    return Chart("national-trend", build_trend(rows, cap, lang, data.breaks), rows.drop(columns="label"), summary=True)


def service_page(data: SiteData, service: str, lang: str, cache: dict) -> Page:
    charts: list[Chart] = []
    for newest, (geo, year) in enumerate(latest_years(data.results, service)):
        for chart in (service_map(data, service, geo, year, lang, cache), service_ranking(data, service, geo, year, lang)):
            if chart is not None:
                chart.summary = newest == 0  # default images: the newest boundary set's map and ranking
                charts.append(chart)
    trend = service_trend(data, service, lang)
    if trend is not None:
        charts.append(trend)
    figures = data.results[data.results["service"] == service]
    return Page(service_path(service), "service", service_name(service, lang), charts,
                data=_named(figures, data.name(lang)))


def province_charts(data: SiteData, geo: str, code: str, lang: str) -> list[Chart]:
    name_of = data.name(lang)
    own = data.results[(data.results["geo_version"] == geo) & (data.results["unit_code"] == code)]
    charts = []
    year = int(own["year"].max())
    of_year = data.results[(data.results["year"] == year)
                           & ((data.results["geo_version"] == geo) | (data.results["unit_code"] == "VN"))]
    rows = comparison_rows(of_year, code, geo, name_of)
    if not rows.empty:
        rows["service_label"] = rows["service"].map(lambda s: service_name(s, lang))
        cap = Caption(t("svc.title", lang, unit=name_of(geo, code), year=year), "", source_line(data.release, lang))
        charts.append(Chart(f"services-{year}", build_dot_plot(rows, cap, lang, label_col="service_label",
                                                               group_col="who"), rows.drop(columns="service_label")))
    series = own[own["indicator"] == INDEX].copy()
    if series["year"].nunique() >= 2:
        series["label"] = [service_name(s, lang) for s in series["service"]]
        series = series.sort_values(["service", "year"])
        cap = Caption(t("tr.title", lang, indicator=t("indicator.index", lang), service=name_of(geo, code)),
                      break_note(series, data.breaks, lang),
                      source_line(data.release, lang))
        charts.append(Chart("trend", build_trend(series, cap, lang, data.breaks), series.drop(columns="label")))
    districts = data.results[(data.results["level"] == "district") & (data.results["geo_version"] == geo)
                             & (data.results.get("parent_code", pd.Series(index=data.results.index, dtype=object)) == code)
                             & (data.results["indicator"] == INDEX)]
    if not districts.empty:
        d_year = int(districts["year"].max())
        service = "admin" if (districts["service"] == "admin").any() else str(districts["service"].iloc[0])
        rows = _named(districts[(districts["year"] == d_year) & (districts["service"] == service)], name_of)
        scope = f"{level_name('district', lang)} – {name_of(geo, code)}"
        cap = Caption(t("cmp.title", lang, indicator=indicator_name(service, INDEX, lang),
                        service=service_name(service, lang), year=d_year, scope=scope),
                      t("cmp.low_n", lang) if rows["flag"].eq("low_n").any() else "", source_line(data.release, lang))
        charts.append(Chart(f"districts-{service}-{d_year}", build_dot_plot(rows, cap, lang), rows))
    return charts


def figures_table(frame: pd.DataFrame, lang: str, with_year: bool = False) -> pd.DataFrame:
    """Figures as people read them: service, indicator, value, interval, n, flag (text in `lang`);
    newest year first, services in catalogue order."""
    from dashboard.i18n import flag_names, fmt_interval, fmt_number

    order = {s: i for i, s in enumerate(SERVICES)}
    rows = frame.assign(_o=frame["service"].map(order)).sort_values(
        ["year", "_o", "indicator"], ascending=[False, True, True]).drop(columns="_o")
    table = pd.DataFrame({
        t("col.service", lang): [service_name(s, lang) for s in rows["service"]],
        t("col.indicator", lang): [indicator_name(s, i, lang) for s, i in zip(rows["service"], rows["indicator"])],
        t("col.value", lang): [fmt_number(v, lang) for v in rows["value"]],
        t("col.interval", lang): [fmt_interval(a, b, lang) for a, b in zip(rows["ci_low"], rows["ci_high"])],
        t("col.n", lang): [fmt_number(v, lang, 0) if pd.notna(v) else "–" for v in rows["n"]],
        t("col.flag", lang): flag_names(rows, lang),
    })
    if with_year:
        table.insert(0, t("col.year", lang), [str(int(y)) for y in rows["year"]])
    return table


def province_page(data: SiteData, geo: str, code: str, lang: str, with_charts: bool = True) -> Page:
    name_of = data.name(lang)
    own = data.results[(data.results["geo_version"] == geo) & (data.results["unit_code"] == code)]
    latest = own[own["year"] == own["year"].max()]
    title = f"{name_of(geo, code)} ({t(f'static.geo_{geo}', lang)})"
    return Page(province_path(data.units, geo, code), "province", title,
                province_charts(data, geo, code, lang) if with_charts else [],
                table=figures_table(latest, lang), data=_named(own, name_of))


def index_table(data: SiteData, lang: str) -> pd.DataFrame:
    """The country's overall index of each service, in the latest year of each boundary set."""
    national = data.results[(data.results["unit_code"] == "VN") & (data.results["indicator"] == INDEX)]
    latest = [part[part["year"] == part["year"].max()] for _, part in national.groupby("geo_version")]
    if not latest:
        return pd.DataFrame()
    return figures_table(pd.concat(latest), lang, with_year=True).drop(columns=[t("col.indicator", lang)])


def sorted_provinces(data: SiteData, lang: str) -> list[tuple[str, str, str]]:
    """(geo, code, name) of every province page, by boundary set then name (diacritics folded)."""
    name_of = data.name(lang)
    pairs = [(g, c, name_of(g, c)) for g, c in provinces_of(data)]
    return sorted(pairs, key=lambda p: (GEO_ORDER.index(p[0]) if p[0] in GEO_ORDER else 9, fold(p[2])))
