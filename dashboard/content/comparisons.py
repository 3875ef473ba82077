"""What the pages say about changes, movers and ranks: read from the release, never computed here.

Every comparison (a change since the year before, its test and false-discovery-rate q-value, a
rank interval) was made by the build and published in `changes.parquet` / `ranks.parquet`. This
module only joins those tables to the figures a page shows and says, for a pair of years the
release did not compare, why not (a method break declared in the release's notes, the 2025
boundary reform, or figures published without intervals). Nothing here imports the statistics.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.release.catalogue import catalogue_order
from dashboard.release.contract import INDEX, SIGNIFICANCE_LEVEL, crosses_break

KEY = ["year", "geo_version", "level", "unit_code", "service", "indicator"]
CHANGE_COLUMNS = ["change", "ci_low", "ci_high", "significant", "p_value", "q_value", "harmonised"]


def _change_table(changes: pd.DataFrame | None) -> pd.DataFrame:
    """The release's changes with every optional column (v1 releases have no p/q or harmonised)."""
    table = changes.copy() if changes is not None else pd.DataFrame(columns=KEY)
    for column in CHANGE_COLUMNS:
        if column not in table:
            table[column] = False if column == "harmonised" else np.nan
    table["harmonised"] = table["harmonised"].fillna(False).astype(bool)
    table["significant"] = table["significant"].astype("boolean")
    table = table.astype({"year": int, "change": float, "ci_low": float, "ci_high": float, "p_value": float,
                          "q_value": float})
    return table[KEY + CHANGE_COLUMNS]


def change_rows(frame: pd.DataFrame, changes: pd.DataFrame | None, breaks: set[tuple[str, int]]) -> pd.DataFrame:
    """Each figure next to the same unit's figure of the year before, with the release's verdict.

    `frame` holds figures of one or more units (a `harmonised` column marks re-estimated
    pre-reform figures). Pairs are made within one boundary set, and for national figures also
    across the reform. Columns added: prev_year, prev_value, change (published, else the plain
    difference), change_low, change_high, significant, p_value, q_value and `verdict`:
    clear_up / clear_down (q <= 0.05), alone (p < 0.05 but not after the many comparisons),
    noise, untested (no interval published), break (method change), reform, vs_harmonised.
    """
    columns = KEY + ["value"]
    empty = pd.DataFrame(columns=[*columns, "prev_year", "prev_value", "change", "change_low", "change_high",
                                  "significant", "p_value", "q_value", "harmonised", "verdict"])
    if frame.empty:
        return empty
    cur = frame[columns].copy()
    cur["year"] = cur["year"].astype(int)
    cur["harmonised"] = frame["harmonised"].fillna(False).astype(bool) if "harmonised" in frame else False
    prev = cur.rename(columns={"year": "prev_year", "value": "prev_value", "geo_version": "prev_geo",
                               "harmonised": "prev_harmonised"})
    cur["prev_year"] = cur["year"] - 1
    out = cur.merge(prev, on=["prev_year", "level", "unit_code", "service", "indicator"], how="inner")
    out = out[(out["geo_version"] == out["prev_geo"]) | (out["level"] == "national")]
    published = _change_table(changes).rename(columns={"ci_low": "change_low", "ci_high": "change_high"})
    out = out.merge(published.drop(columns="harmonised"), on=KEY, how="left")
    same_kind = out["harmonised"] == out["prev_harmonised"]
    out.loc[~same_kind, ["change", "change_low", "change_high", "p_value", "q_value"]] = np.nan
    out.loc[~same_kind, "significant"] = pd.NA
    out["change"] = out["change"].fillna(out["value"] - out["prev_value"])
    out["verdict"] = [_verdict(r, breaks) for r in out.itertuples(index=False)]
    out = out.drop(columns=["prev_geo", "prev_harmonised"])
    return out.sort_values(["unit_code", "service", "indicator", "year"], ignore_index=True)


def _verdict(row, breaks: set[tuple[str, int]]) -> str:
    if row.geo_version != row.prev_geo:
        return "reform"
    if crosses_break(breaks, row.service, row.prev_year, row.year):
        return "break"
    if row.harmonised != row.prev_harmonised:
        return "vs_harmonised"
    if pd.isna(row.p_value):
        return "untested"
    if not pd.isna(row.q_value) and row.q_value <= SIGNIFICANCE_LEVEL:
        return "clear_up" if row.change > 0 else "clear_down"
    return "alone" if row.p_value < SIGNIFICANCE_LEVEL else "noise"


def movers(figures: pd.DataFrame, changes: pd.DataFrame, year: int, limit: int = 5) -> dict:
    """The clearest rises and falls of service indices into `year`, below the national level.

    With tested changes (`q_value` published): only changes whose q-value is at most 0.05, the
    strongest evidence first (smallest p-value). Without (published figures): the largest changes
    as published, labelled as untested. Returns rises, falls, tested (bool), compared (how many
    changes were weighed) and clear_rises / clear_falls (counts of places).
    """
    of_year = _change_table(changes)
    of_year = of_year[(of_year["year"] == year) & (of_year["level"] != "national") & ~of_year["harmonised"]]
    table = of_year[of_year["indicator"] == INDEX]
    tested = bool(table["q_value"].notna().any())
    values = figures[["year", "geo_version", "level", "unit_code", "service", "indicator", "value"]].copy()
    values["year"] = values["year"].astype(int)
    before = values.assign(year=values["year"] + 1).rename(columns={"value": "prev_value"})
    table = table.merge(values, on=KEY, how="inner").merge(before, on=KEY, how="inner")
    if tested:
        table = table[table["q_value"] <= SIGNIFICANCE_LEVEL]
        order, ascending = ["p_value", "change"], [True, False]
    else:
        order, ascending = ["change"], [False]
    rises = table[table["change"] > 0].sort_values(order, ascending=ascending).head(limit)
    falls = table[table["change"] < 0].sort_values(order, ascending=[True, True] if tested else [True]).head(limit)
    return {"rises": rises.reset_index(drop=True), "falls": falls.reset_index(drop=True), "tested": tested,
            "compared": int(of_year["p_value"].notna().sum()),
            "clear_rises": int(table.loc[table["change"] > 0, "unit_code"].nunique()),
            "clear_falls": int(table.loc[table["change"] < 0, "unit_code"].nunique())}


def headline(frame: pd.DataFrame, year: int, unit_code: str = "VN") -> pd.DataFrame:
    """The overall index of every service for one unit and year, in catalogue order."""
    rows = frame[(frame["year"] == year) & (frame["unit_code"] == unit_code) & (frame["indicator"] == INDEX)]
    return rows.sort_values("service", key=catalogue_order).reset_index(drop=True)


def peers(frame: pd.DataFrame, unit_code: str, k: int = 5) -> pd.DataFrame:
    """The `k` other units with the closest value to `unit_code` (one year/service/indicator/level)."""
    own = frame[frame["unit_code"] == unit_code]
    if own.empty:
        return frame.iloc[0:0]
    target = float(own["value"].iloc[0])
    others = frame[(frame["unit_code"] != unit_code) & frame["value"].notna()].copy()
    others["gap"] = others["value"] - target
    return others.sort_values(["gap", "unit_code"], key=lambda s: s.abs() if s.name == "gap" else s).head(k) \
        .reset_index(drop=True)
