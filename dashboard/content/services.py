"""The services page's content: a unit against its parent and the country, criteria, matrix."""
from __future__ import annotations

import pandas as pd

from dashboard.content.number_columns import set_number_column
from dashboard.content.published import same_survey
from dashboard.i18n import fmt_number, indicator_name, service_name, t
from dashboard.release.catalogue import catalogue_order
from dashboard.release.contract import GEO_VERSIONS, INDEX, SERVICES

LEVELS = ("national", "province", "district")


def levels_of(of_year: pd.DataFrame) -> list[str]:
    """The levels a year's figures hold, country first."""
    present = set(of_year["level"].unique())
    return [lv for lv in LEVELS if lv in present]


def geos_of(frame: pd.DataFrame) -> list[str]:
    """The boundary sets (vn63, vn34) a frame's figures are on, in the contract's order."""
    present = set(frame["geo_version"].unique())
    return [g for g in GEO_VERSIONS if g in present]


def latest_year_on(frame: pd.DataFrame, geo: str | None) -> int | None:
    """The latest year with figures on `geo` (None: no such year, or no `geo` asked for)."""
    years = frame.loc[frame["geo_version"] == geo, "year"] if geo else frame.iloc[0:0]["year"]
    return int(years.max()) if len(years) else None


def at_level(of_year: pd.DataFrame, level: str) -> pd.DataFrame:
    return of_year[of_year["level"] == level]


def on_geo(frame: pd.DataFrame, geo: str) -> pd.DataFrame:
    """The figures on one boundary set; the country's figures belong to both sets, so they are kept
    from the other set when `geo` has none (code 15 is Yên Bái on vn63 but Lào Cai on vn34: units
    are never mixed)."""
    own = frame[frame["geo_version"] == geo]
    if (own["level"] == "national").any():
        return own
    others = frame[(frame["level"] == "national") & (frame["geo_version"] != geo)]
    return own if others.empty else pd.concat([own, others])


def unit_choices(of_year: pd.DataFrame, level: str, geo: str) -> list[tuple[str, str]]:
    """(geo, code) of every unit with figures at `level` on `geo`."""
    rows = on_geo(at_level(of_year, level), geo)
    return sorted(set(zip(rows["geo_version"], rows["unit_code"])))


def unit_and_country(of_year: pd.DataFrame, unit: str, geo: str) -> pd.DataFrame:
    """The figures of `unit` (on `geo`) and of the country: what the page's notes are about."""
    rows = on_geo(of_year, geo)
    return rows[rows["unit_code"].isin([unit, "VN"])]


def of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["year"] == year]


def _parent(frame: pd.DataFrame, unit: str) -> str | None:
    own = frame[frame["unit_code"] == unit]
    if own.empty or "parent_code" not in own:
        return None
    parent = own["parent_code"].dropna()
    return str(parent.iloc[0]) if not parent.empty else None


def comparison_rows(of_year: pd.DataFrame, unit: str, geo: str, name_of) -> pd.DataFrame:
    """Service indices of `unit`, its parent (if any) and the country on boundary set `geo`,
    labelled in `who`."""
    of_year = on_geo(of_year, geo)
    idx = of_year[of_year["indicator"] == INDEX]
    wanted = [unit]
    parent = _parent(of_year, unit)
    if parent and parent != "VN":
        wanted.append(parent)
    if unit != "VN":
        wanted.append("VN")
    # A district of a province's own survey is never set beside SIPAS figures (its province, the country).
    rows = same_survey(idx[idx["unit_code"].isin(wanted)], idx[idx["unit_code"] == unit]).copy()
    rows["who"] = [name_of(g, c) for g, c in zip(rows["geo_version"], rows["unit_code"])]
    order = {c: i for i, c in enumerate(wanted)}
    return rows.sort_values("unit_code", key=lambda codes: codes.map(order)).reset_index(drop=True)


def criteria_table(of_year: pd.DataFrame, unit: str, geo: str, name_of, lang: str) -> pd.DataFrame:
    """Every criterion of every service: the unit's value next to its parent's and the country's."""
    comp = comparison_rows(of_year, unit, geo, name_of)
    of_year = on_geo(of_year, geo)
    wanted = list(dict.fromkeys(comp["unit_code"])) or [unit]
    rows = same_survey(of_year[of_year["unit_code"].isin(wanted) & (of_year["indicator"] != INDEX)],
                       of_year[of_year["unit_code"] == unit])
    if rows.empty:
        return pd.DataFrame()
    labels = {c: name_of(geo if c != "VN" else g, c) for g, c in zip(rows["geo_version"], rows["unit_code"])}
    pivot = rows.pivot_table(index=["service", "indicator"], columns="unit_code", values="value", aggfunc="first")
    pivot = pivot[[c for c in wanted if c in pivot.columns]]
    pivot = pivot.reset_index().sort_values("service", key=catalogue_order)
    out = pd.DataFrame({
        t("col.service", lang): [service_name(s, lang) for s in pivot["service"]],
        t("col.indicator", lang): [indicator_name(s, i, lang) for s, i in zip(pivot["service"], pivot["indicator"])],
    })
    for code in wanted:
        if code in pivot.columns:
            set_number_column(out, labels.get(code, code), pivot[code], lang)
    return out


def province_matrix(idx_year: pd.DataFrame, name_of, lang: str) -> pd.DataFrame:
    """Provinces (rows, by name) × services (columns, by name) of the overall index; NaN = not published."""
    prov = idx_year[(idx_year["level"] == "province") & (idx_year["indicator"] == INDEX)]
    if prov.empty:
        return pd.DataFrame()
    prov = prov.assign(name=[name_of(g, c) for g, c in zip(prov["geo_version"], prov["unit_code"])])
    matrix = prov.pivot_table(index="name", columns="service", values="value", aggfunc="first")
    matrix = matrix[[s for s in SERVICES if s in matrix.columns]]
    matrix.columns = [service_name(s, lang, short=True) for s in matrix.columns]  # eight columns must fit
    matrix.index.name = t("col.unit", lang)
    return matrix


def services_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`comparison_rows` as a table: services down, the unit, its parent and the country across."""
    pivot = rows.pivot_table(index="service", columns="who", values="value", aggfunc="first")
    pivot = pivot.reindex([s for s in SERVICES if s in pivot.index])[list(dict.fromkeys(rows["who"]))]
    out = pd.DataFrame({t("col.service", lang): [service_name(s, lang) for s in pivot.index]})
    for who in pivot.columns:
        out[who] = [fmt_number(v, lang) for v in pivot[who]]
    return out


def matrix_table(matrix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The province × service matrix, numbers written in the language's format ('–' = not published)."""
    out = matrix.reset_index()
    for column in matrix.columns:
        set_number_column(out, column, matrix[column], lang, decimals=1)
    return out


def sort_matrix(matrix: pd.DataFrame, column: str | None) -> pd.DataFrame:
    """The province × service matrix by one service's column, highest first (blanks last)."""
    if column is None or column not in matrix:
        return matrix
    return matrix.sort_values(column, ascending=False, na_position="last")


def matrix_rows(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix with its provinces as a column (what the chart's download bar writes)."""
    return matrix.reset_index()
