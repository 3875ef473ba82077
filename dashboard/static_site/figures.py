"""The figures of the light edition: a map, a ranking, a series, a comparison, each with the
table of its numbers and the rows it was drawn from (for its source line and CSV). Pure.

Everything is read from the published tables: values and intervals from results, rank ranges and
"could be first" from ranks, gaps to the country from gaps; method breaks from the release's notes.
Nothing here computes a statistic.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.content.compare import compare_subtitle, ranked_table, with_ranks
from dashboard.content.number_columns import as_text
from dashboard.content.plain_language import lead_map, lead_services
from dashboard.content.trends import break_note, method_break_years, reform_year, trend_rows
from dashboard.figures.maps import class_labels
from dashboard.geo.attribution import boundary_attribution
from dashboard.i18n import flag_name, fmt_interval, fmt_number, fmt_pct, indicator_name, service_name, t
from dashboard.release.catalogue import catalogue_order
from dashboard.release.contract import INDEX, SERVICES
from dashboard.static_site import svg
from dashboard.static_site.content import LAYERS, SiteData, province_count, with_names
from dashboard.static_site.svg_map import MapValue, map_shapes, map_svg


@dataclass
class Table:
    """Numbers as text, as the reader writes them; the first column names each row (a row header),
    linked to its page where `links` has it."""

    frame: pd.DataFrame
    caption: str
    links: dict[str, str] = field(default_factory=dict)


@dataclass
class Figure:
    """A chart or map and everything around it: title and subtitle (HTML, so they wrap on a phone),
    legend swatches (CSS class, label), the drawn SVG, notes under it, its table, and the results
    rows it shows (its sources and its CSV)."""

    kind: str  # map | dots | lines
    title: str
    subtitle: str
    svg: str
    rows: pd.DataFrame
    table: Table | None = None
    legend: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)



def _unit_note(rows, lang: str) -> str:
    """The unit, and "with 95% intervals" only when the figures have them (published figures often do not)."""
    has_ci = "ci_low" in rows and rows["ci_low"].notna().any()
    return t("light.percent" if has_ci else "light.percent_no_ci", lang)

def _flagged(row, lang: str) -> str:
    flag = flag_name(row.get("flag"), lang)
    return f" ({flag})" if flag else ""


def _rows(data: SiteData, **where) -> pd.DataFrame:
    frame = data.index_rows
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


# --- maps -----------------------------------------------------------------------------------------

def map_figure(data: SiteData, service: str, geo: str, year: int, lang: str, prefix: str,
               fig_id: str, first: bool = False) -> Figure | None:
    """The provinces of `geo` in `year`, coloured by the service's overall index in the app's fixed
    classes, each a link to its page (`prefix` leads from the page to the language folder)."""
    shapes = map_shapes(str(data.geodata_dir), LAYERS[geo])
    if shapes is None:
        return None
    rows = with_names(_rows(data, service=service, geo_version=geo, year=year, level="province"), data, lang)
    values = {}
    for _, row in rows.iterrows():
        if svg.is_number(row["value"]):
            values[row["unit_code"]] = MapValue(float(row["value"]), f"{row['name']}: {fmt_pct(row['value'], lang)}"
                                                + _flagged(row, lang))
    for code in shapes.paths:
        if code not in values:
            values[code] = MapValue(None, f"{data.name(geo, code, lang)}: {t('not_published', lang)}")
    hrefs = {code: prefix + data.province_path(geo, code) for code in shapes.paths}
    title = t("static.service_map", lang, service=service_name(service, lang), year=year)
    desc = lead_map(rows, province_count(data, geo), service, INDEX, year, lang, data.name_of(lang))
    legend = [(f"c{i}", label) for i, label in enumerate(class_labels(lang))] + [("cn", t("not_published", lang))]
    return Figure("map", title, t("light.map_subtitle", lang, level=t(f"static.geo_{geo}", lang)),
                  map_svg(shapes, values, hrefs, title, desc, fig_id, lang, data.release.demo, first),
                  rows, legend=legend,
                  notes=[t("map.archipelago_frames", lang), t("light.map_links", lang), boundary_attribution(lang)])


# --- rankings -------------------------------------------------------------------------------------

def ranking_figure(data: SiteData, service: str, geo: str, year: int, lang: str, prefix: str,
                   fig_id: str, first: bool = False) -> Figure | None:
    """Provinces by the service's overall index, with 95% intervals; grey band behind the places
    that could be first (the release's joint 95% set), hollow marks for small samples. Its table
    carries the release's rank ranges."""
    rows = with_names(_rows(data, service=service, geo_version=geo, year=year, level="province"), data, lang)
    shown = rows[rows["value"].notna()]
    if shown.empty:
        return None
    ranks = _ranks(data, service, geo, year, "province")
    ranked = with_ranks(shown, ranks).sort_values("value", ascending=False, kind="mergesort")
    dot_rows = tuple(svg.DotRow(r["name"], (svg.Mark(r["value"], r["ci_low"], r["ci_high"],
                                                     hollow=r.get("flag") == "low_n"),),
                                shade=bool(r.get("top_set")) if pd.notna(r.get("top_set")) else False)
                     for _, r in ranked.iterrows())
    title = t("static.service_ranking", lang, service=service_name(service, lang), year=year)
    desc = lead_map(rows, province_count(data, geo), service, INDEX, year, lang, data.name_of(lang))
    plot = svg.DotPlot(title, desc, t("col.value", lang), dot_rows, data.release.demo)
    subtitle = " ".join(filter(None, [t(f"static.geo_{geo}", lang) + ".", compare_subtitle(ranked, lang)]))
    links = {name: prefix + data.province_path(geo, code) for name, code in zip(ranked["name"], ranked["unit_code"])}
    table = Table(_with_sources(as_text(ranked_table(ranked, lang)), list(ranked["name"]), ranked, lang),
                  t("light.table_of", lang, title=title), links)
    return Figure("dots", title, subtitle, svg.dot_plot_svg(plot, fig_id, lang, first), shown, table)


def _ranks(data: SiteData, service: str, geo: str, year: int, level: str, parent: str | None = None) -> pd.DataFrame:
    """The release's ranks of the overall index among the units of one level (of one province)."""
    ranks = data.index_ranks(geo, level, year, service)
    return ranks if parent is None or ranks.empty else ranks[ranks["parent_code"] == parent]


def _with_sources(table: pd.DataFrame, keys: list[str], rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A 'Source' column ([1], [2]...) when the rows come from more than one source; the numbers
    match the figure's source list (`source_numbers`). `keys` are the rows' first-column texts."""
    numbers = source_numbers(rows)
    if len(numbers) < 2:
        return table
    by_key = {str(k): s for k, s in zip(keys, rows["source_id"])}
    return table.assign(**{t("col.source", lang): [f"[{numbers[by_key[k]]}]" if by_key.get(k) in numbers else ""
                                                   for k in table.iloc[:, 0].astype(str)]})


def source_numbers(rows: pd.DataFrame) -> dict[str, int]:
    """Source id -> its number in a figure's source list, in order of first appearance."""
    ids = [s for s in rows.get("source_id", pd.Series(dtype=object)) if isinstance(s, str)]
    return {s: i for i, s in enumerate(dict.fromkeys(ids), start=1)}


# --- series ---------------------------------------------------------------------------------------

def segments(series: pd.DataFrame, service: str, breaks) -> list[list[dict]]:
    """One place's yearly figures (as records, by year) cut where they must not be joined: at every
    method break the release declares for the service (SIPAS 2022), between boundary sets (the 2025
    reform), and between harmonised and own figures."""
    cuts = sorted(y for s, y in breaks if s == service)
    columns = [c for c in ("year", "value", "ci_low", "ci_high", "geo_version", "harmonised") if c in series]
    records = sorted((r for r in (dict(zip(columns, values)) for values in zip(*(series[c] for c in columns)))
                      if svg.is_number(r["value"])), key=lambda r: r["year"])
    out: list[list[dict]] = []
    last_key = None
    for record in records:
        key = (record["geo_version"], bool(record.get("harmonised") or False),
               tuple(record["year"] >= cut for cut in cuts))
        if key != last_key:
            out.append([])
            last_key = key
        out[-1].append(record)
    return out


def _point(r: dict) -> svg.Point:
    low, high = r.get("ci_low"), r.get("ci_high")
    return svg.Point(int(r["year"]), float(r["value"]), low if svg.is_number(low) else None,
                     high if svg.is_number(high) else None)


def _line(series: pd.DataFrame, label: str, service: str, breaks, index: int, band: bool = True) -> svg.Line:
    parts = segments(series, service, breaks)
    return svg.Line(label, tuple(tuple(_point(r) for r in part) for part in parts), index,
                    tuple(bool(part[0].get("harmonised") or False) for part in parts), band)


def year_marks(frame: pd.DataFrame, breaks, lang: str) -> tuple[svg.YearMark, ...]:
    """The method breaks inside the frame's years, and the 2025 reform, as the app marks them."""
    marks = [svg.YearMark(y, t("tr.method_break", lang, year=y), "break") for y in method_break_years(frame, breaks)]
    reform = reform_year(frame)
    if reform is not None:
        marks.append(svg.YearMark(reform, t("tr.reform_2025", lang), "reform"))
    return tuple(marks)


def national_trend_figure(data: SiteData, service: str, lang: str, fig_id: str, first: bool = False) -> Figure | None:
    """The country's overall index of a service over the years; not joined across a break."""
    rows = _rows(data, service=service, unit_code="VN")
    rows = rows[rows["value"].notna()]
    if rows["year"].nunique() < 2:
        return None
    name = service_name(service, lang)
    title = t("static.service_trend", lang, service=name)
    chart = svg.LineChart(title, _trend_desc(rows, lang), (_line(rows, name, service, data.breaks, 0),),
                          year_marks(rows, data.breaks, lang), data.release.demo)
    table = _series_table(rows.assign(label=name), lang)
    subtitle = " ".join(filter(None, [_unit_note(rows, lang), break_note(rows, data.breaks, lang)]))
    return Figure("lines", title, subtitle, svg.line_chart_svg(chart, fig_id, lang, first), rows,
                  Table(table, t("light.table_of", lang, title=title)))


def _series_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Year, value (and interval for one line), boundary set when a series spans the reform."""
    ordered = rows.sort_values(["year"], kind="mergesort")
    if ordered["label"].nunique() > 1:
        return wide_series_table(ordered, list(dict.fromkeys(ordered["label"])), lang)
    out = pd.DataFrame({t("col.year", lang): [str(int(y)) for y in ordered["year"]],
                        t("col.value", lang): [fmt_number(v, lang) + (f" ({t('tr.harmonised', lang)})" if h else "")
                                               for v, h in zip(ordered["value"], ordered.get(
                                                   "harmonised", pd.Series(False, index=ordered.index)).fillna(False))]})
    if ordered["ci_low"].notna().any():
        out[t("col.interval", lang)] = [fmt_interval(a, b, lang) for a, b in zip(ordered["ci_low"], ordered["ci_high"])]
    if ordered["n"].notna().any():
        out[t("col.n", lang)] = [fmt_number(v, lang, 0) for v in ordered["n"]]
    if ordered["flag"].notna().any():
        out[t("col.flag", lang)] = [flag_name(f, lang) for f in ordered["flag"]]
    if ordered["geo_version"].nunique() > 1:
        out[t("light.boundaries", lang)] = [t(f"geo.{g}", lang) for g in ordered["geo_version"]]
    return _with_sources(out, [str(int(y)) for y in ordered["year"]], ordered, lang)


def _trend_desc(rows: pd.DataFrame, lang: str) -> str:
    ordered = rows.sort_values("year")
    first, last = ordered.iloc[0], ordered.iloc[-1]
    return t("light.trend_desc", lang, first_year=int(first["year"]), first=fmt_pct(first["value"], lang),
             last_year=int(last["year"]), last=fmt_pct(last["value"], lang))


# --- one place against the country, its series, its districts -----------------------------------

def services_figure(data: SiteData, geo: str, code: str, year: int, lang: str, fig_id: str,
                    first: bool = False) -> Figure | None:
    """Each service's overall index of a place (circles) against the country's (diamonds), one year."""
    wanted = [code] + ([] if code == "VN" else ["VN"])
    own = data.unit_results(geo, code)
    national = data.index_rows[data.index_rows["unit_code"] == "VN"]
    rows = pd.concat([own[own["indicator"] == INDEX], national]) if code != "VN" else national
    rows = rows[(rows["year"] == year) & rows["value"].notna()]
    if rows.empty or not (rows["unit_code"] == code).any():
        return None
    rows = with_names(rows, data, lang).sort_values(["service", "unit_code"], key=catalogue_order, kind="mergesort")
    place = data.name(geo, code, lang)
    dot_rows = []
    for service, part in rows.groupby("service", sort=False):
        marks = tuple(svg.Mark(r["value"], r["ci_low"], r["ci_high"], series=wanted.index(r["unit_code"]),
                               hollow=r.get("flag") == "low_n") for _, r in part.iterrows())
        dot_rows.append(svg.DotRow(service_name(service, lang, short=True), marks))
    title = t("light.services_title", lang, unit=place, year=year)
    desc = lead_services(rows, code, place, year, lang)
    plot = svg.DotPlot(title, desc, t("col.value", lang), tuple(dot_rows), data.release.demo)
    legend = [("s0", place)] + ([("s1 dia", data.name(geo, "VN", lang))] if code != "VN" else [])
    table = _services_table(rows, code, lang)
    subtitle = " ".join(filter(None, [_unit_note(rows, lang), compare_subtitle(rows, lang)]))
    return Figure("dots", title, subtitle, svg.dot_plot_svg(plot, fig_id, lang, first), rows,
                  Table(_with_sources(table, [service_name(s, lang) for s in rows.loc[rows["unit_code"] == code, "service"]],
                                      rows[rows["unit_code"] == code], lang),
                        t("light.table_of", lang, title=title)), legend=legend)


def _services_table(rows: pd.DataFrame, code: str, lang: str) -> pd.DataFrame:
    own = rows[rows["unit_code"] == code]
    country = dict(zip(rows.loc[rows["unit_code"] == "VN", "service"], rows.loc[rows["unit_code"] == "VN", "value"]))
    out = pd.DataFrame({
        t("col.service", lang): [service_name(s, lang) for s in own["service"]],
        t("col.value", lang): [fmt_number(v, lang) for v in own["value"]],
        t("col.interval", lang): [fmt_interval(a, b, lang) for a, b in zip(own["ci_low"], own["ci_high"])],
        t("col.n", lang): [fmt_number(v, lang, 0) for v in own["n"]],
        t("col.flag", lang): [flag_name(f, lang) for f in own["flag"]],
    })
    if code != "VN":
        out[t("level.national", lang)] = [fmt_number(country.get(s), lang) for s in own["service"]]
    return out.loc[:, [c for c in out.columns if not out[c].isin(["–", ""]).all() or c == t("col.value", lang)]]


def place_series_figure(data: SiteData, geo: str, code: str, lang: str, fig_id: str,
                        first: bool = False) -> Figure | None:
    """A place's overall index of every service over the years (harmonised years dashed on the 34
    provinces), each service one line, never joined across a break or the reform."""
    harmonised = data.harmonised if data.harmonised is not None else pd.DataFrame()
    own = data.unit_results(geo, code)
    rows = trend_rows(own[own["indicator"] == INDEX], harmonised[
        (harmonised["unit_code"] == code) & (harmonised["indicator"] == INDEX)] if len(harmonised) else harmonised, geo)
    rows = rows[(rows["unit_code"] == code) & rows["value"].notna()]
    if rows["year"].nunique() < 2:
        return None
    services = [s for s in SERVICES if s in set(rows["service"])]
    rows = rows.assign(label=[service_name(s, lang, short=True) for s in rows["service"]])
    by_service = dict(tuple(rows.groupby("service", sort=False)))
    lines = tuple(_line(by_service[s], service_name(s, lang, short=True), s, data.breaks, i,
                        band=len(services) <= 2) for i, s in enumerate(services))
    place = data.name(geo, code, lang)
    title = t("tr.title", lang, indicator=t("indicator.index", lang), service=place)
    chart = svg.LineChart(title, t("light.series_desc", lang, unit=place, count=len(services)), lines,
                          year_marks(rows, data.breaks, lang), data.release.demo, height=250)
    notes = [break_note(rows, data.breaks, lang)]
    if "harmonised" in rows and rows["harmonised"].fillna(False).astype(bool).any():
        notes.append(t("tr.harmonised_note", lang))
    legend = [(f"s{i}", service_name(s, lang, short=True)) for i, s in enumerate(services)]
    return Figure("lines", title, " ".join(filter(None, [_unit_note(rows, lang), *notes])),
                  svg.line_chart_svg(chart, fig_id, lang, first), rows.drop(columns="label"),
                  Table(wide_series_table(rows, [service_name(s, lang, short=True) for s in services], lang),
                        t("light.table_of", lang, title=title)), legend=legend)


def wide_series_table(rows: pd.DataFrame, labels: list[str], lang: str) -> pd.DataFrame:
    """Years down, one column per line (`labels`, from the rows' `label`), numbers as text; harmonised
    figures say so in words (as `views.tables.series_table`, without a pivot per page)."""
    cells: dict[tuple[int, str], str] = {}
    harmonised = rows["harmonised"].fillna(False).astype(bool) if "harmonised" in rows else [False] * len(rows)
    for year, label, value, marked in zip(rows["year"], rows["label"], rows["value"], harmonised):
        cells[(int(year), label)] = fmt_number(value, lang) + (f" ({t('tr.harmonised', lang)})" if marked else "")
    years = sorted({year for year, _ in cells})
    out = {t("col.year", lang): [str(y) for y in years]}
    for label in labels:
        out[label] = [cells.get((y, label), "–") for y in years]
    return pd.DataFrame(out)


def districts_figure(data: SiteData, geo: str, code: str, lang: str, fig_id: str,
                     first: bool = False) -> Figure | None:
    """The districts of a province (63-province set): the SIPAS index if surveyed, newest year."""
    districts = data.district_index(geo, code)
    districts = districts[districts["value"].notna()]
    if districts.empty:
        return None
    service = "admin" if (districts["service"] == "admin").any() else str(districts["service"].iloc[0])
    year = int(districts.loc[districts["service"] == service, "year"].max())
    rows = with_names(districts[(districts["year"] == year) & (districts["service"] == service)], data, lang)
    ranked = with_ranks(rows, _ranks(data, service, geo, year, "district", code)).sort_values(
        "value", ascending=False, kind="mergesort")
    dot_rows = tuple(svg.DotRow(r["name"], (svg.Mark(r["value"], r["ci_low"], r["ci_high"],
                                                     hollow=r.get("flag") == "low_n"),),
                                shade=bool(r.get("top_set")) if pd.notna(r.get("top_set")) else False)
                     for _, r in ranked.iterrows())
    scope = f"{t('level.district', lang)} – {data.name(geo, code, lang)}"
    title = t("cmp.title", lang, indicator=indicator_name(service, INDEX, lang), service=service_name(service, lang),
              year=year, scope=scope)
    plot = svg.DotPlot(title, t("light.districts_desc", lang, count=len(ranked), unit=data.name(geo, code, lang)),
                       t("col.value", lang), dot_rows, data.release.demo)
    return Figure("dots", title, " ".join(filter(None, [_unit_note(ranked, lang), compare_subtitle(ranked, lang)])),
                  svg.dot_plot_svg(plot, fig_id, lang, first), rows,
                  Table(_with_sources(as_text(ranked_table(ranked, lang)), list(ranked["name"]), ranked, lang),
                        t("light.table_of", lang, title=title)))
