"""The services page's content: a unit against its parent and the country, criteria, matrix."""
from __future__ import annotations

import pandas as pd

from dashboard.content.published import same_survey
from dashboard.i18n import fmt_number, indicator_name, service_name, t
from dashboard.release.contract import INDEX, SERVICES


def _parent(frame: pd.DataFrame, unit: str) -> str | None:
    own = frame[frame["unit_code"] == unit]
    if own.empty or "parent_code" not in own:
        return None
    parent = own["parent_code"].dropna()
    return str(parent.iloc[0]) if not parent.empty else None


def comparison_rows(of_year: pd.DataFrame, unit: str, geo: str, name_of) -> pd.DataFrame:
    """Service indices of `unit`, its parent (if any) and the country, labelled in `who`."""
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
    return rows.assign(_o=rows["unit_code"].map(order)).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def criteria_table(of_year: pd.DataFrame, unit: str, geo: str, name_of, lang: str) -> pd.DataFrame:
    """Every criterion of every service: the unit's value next to its parent's and the country's."""
    comp = comparison_rows(of_year.assign(indicator=of_year["indicator"]), unit, geo, name_of)
    wanted = list(dict.fromkeys(comp["unit_code"])) or [unit]
    rows = same_survey(of_year[of_year["unit_code"].isin(wanted) & (of_year["indicator"] != INDEX)],
                       of_year[of_year["unit_code"] == unit])
    if rows.empty:
        return pd.DataFrame()
    labels = {c: name_of(geo if c != "VN" else g, c) for g, c in zip(rows["geo_version"], rows["unit_code"])}
    pivot = rows.pivot_table(index=["service", "indicator"], columns="unit_code", values="value", aggfunc="first")
    pivot = pivot[[c for c in wanted if c in pivot.columns]]
    order = {s: i for i, s in enumerate(SERVICES)}
    pivot = pivot.reset_index()
    pivot["_o"] = pivot["service"].map(order)
    pivot = pivot.sort_values(["_o"]).drop(columns="_o")
    out = pd.DataFrame({
        t("col.service", lang): [service_name(s, lang) for s in pivot["service"]],
        t("col.indicator", lang): [indicator_name(s, i, lang) for s, i in zip(pivot["service"], pivot["indicator"])],
    })
    for code in wanted:
        if code in pivot.columns:
            out[labels.get(code, code)] = [fmt_number(v, lang) for v in pivot[code]]
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
    """The province × service matrix as text in the language's number format ('–' = not published)."""
    out = matrix.reset_index()
    for column in matrix.columns:
        out[column] = [fmt_number(v, lang, 1) for v in matrix[column]]
    return out
