"""Tables of figures as people read them: names, formatted numbers, localised headers."""
from __future__ import annotations

import pandas as pd

from dashboard.content.number_columns import set_number_column
from dashboard.content.published import rank_phrase
from dashboard.i18n import flag_names, fmt_interval, fmt_number, indicator_name, service_name, t


def value_table(values: pd.DataFrame, name_of, lang: str, units: pd.DataFrame | None = None,
                sources: dict | None = None, extra: tuple[str, ...] = (), ranks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit: name, code, value, interval, n, flag (and source title for real data).

    With `units` (unit_code, name, geo_version), units without a figure are listed as not published.
    With `ranks` (rows of published_ranks for the same figures), a column says each published rank
    in words, "ranked 41st of 63 (published rank; no value published)" where no value came with it.
    Sorted by value, highest first; value and n stay numbers (a header click sorts them as numbers),
    written in the language's format so 82,66 reads right (see `number_columns`).
    """
    rows = values.copy()
    if units is not None:
        missing = units[~units["unit_code"].isin(set(rows["unit_code"].unique()))]
        if not missing.empty:
            filler = pd.DataFrame({"unit_code": missing["unit_code"], "geo_version": missing["geo_version"]})
            rows = pd.concat([rows, filler], ignore_index=True)
    if ranks is not None and len(ranks):
        # A place with a published rank but no value comes first among the not published, with the
        # source of its rank; its rank stays words in its own column, never a value.
        rank_of_unit = dict(zip(ranks["unit_code"], ranks["rank"]))
        rows["_rank"] = rows["unit_code"].map(rank_of_unit)
        if "source_id" in rows:
            rows["source_id"] = rows["source_id"].fillna(rows["unit_code"].map(dict(zip(ranks["unit_code"], ranks["source_id"]))))
        rows = rows.sort_values(["value", "_rank"], ascending=[False, True], na_position="last")
    else:
        rows = rows.sort_values("value", ascending=False, na_position="last")
    out = pd.DataFrame({
        t("col.unit", lang): [name_of(g, c) for g, c in zip(rows["geo_version"], rows["unit_code"])],
        t("col.code", lang): rows["unit_code"].astype(str).tolist(),
    })
    for column in extra:
        if column == "year":
            out[t("col.year", lang)] = rows["year"].map(lambda y: "" if pd.isna(y) else str(int(y))).tolist()
        elif column == "service":
            out[t("col.service", lang)] = [service_name(s, lang) if isinstance(s, str) else "" for s in rows["service"]]
        elif column == "indicator":
            out[t("col.indicator", lang)] = [indicator_name(s, i, lang) if isinstance(i, str) else ""
                                             for s, i in zip(rows["service"], rows["indicator"])]
    set_number_column(out, t("col.value", lang), rows["value"], lang, missing=t("not_published", lang))
    if "ci_low" in rows and rows["ci_low"].notna().any():
        out[t("col.interval", lang)] = [fmt_interval(a, b, lang) for a, b in zip(rows["ci_low"], rows["ci_high"])]
    if "n" in rows and rows["n"].notna().any():
        set_number_column(out, t("col.n", lang), rows["n"], lang, decimals=0)
    if "flag" in rows and rows["flag"].notna().any():
        out[t("col.flag", lang)] = flag_names(rows, lang)
    if ranks is not None and len(ranks):
        said = {c: (r, o) for c, r, o in zip(ranks["unit_code"], ranks["rank"], ranks["rank_of"])}
        out[t("col.rank_published", lang)] = [rank_phrase(*said[c], not pd.isna(v), lang) if c in said else ""
                                              for c, v in zip(rows["unit_code"], rows["value"])]
    if sources and "source_id" in rows:
        out[t("col.source", lang)] = [sources.get(s, {}).get("title", "") if isinstance(s, str) else ""
                                      for s in rows["source_id"]]
    return out.reset_index(drop=True)


def series_table(frame: pd.DataFrame, lang: str, label_col: str = "label") -> pd.DataFrame:
    """A chart's lines as a table: one row per year, one column per line, numbers as text.

    Harmonised figures (a `harmonised` column) are marked in words, not by a symbol alone.
    """
    rows = frame.dropna(subset=["value"]).copy()
    if rows.empty:
        return pd.DataFrame()
    marked = rows.get("harmonised", pd.Series(False, index=rows.index)).fillna(False).astype(bool)
    rows["text"] = [fmt_number(v, lang) + (f" ({t('tr.harmonised', lang)})" if h else "")
                    for v, h in zip(rows["value"], marked)]
    pivot = rows.pivot_table(index="year", columns=label_col, values="text", aggfunc="first")
    pivot = pivot[list(dict.fromkeys(rows[label_col]))].fillna("–")
    pivot.index = [str(int(y)) for y in pivot.index]
    pivot.index.name = t("col.year", lang)
    return pivot.reset_index()


def with_name_column(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The chart's data with its labels in `name` (what the download bar writes)."""
    return frame.rename(columns={column: "name"})
