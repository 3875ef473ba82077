"""Pure computations behind the pages: changes, movers, ranks, peers, tie groups, headlines.

Input frames are slices of `results.parquet` (year, geo_version, level, unit_code, service,
indicator, value, ci_low, ci_high, n, flag, ...). Nothing here formats text or imports streamlit.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.contract import INDEX, SERVICES
from dashboard.stats.changes import standard_error
from dashboard.stats.satisfaction import Z95

# SIPAS changed its method in 2022: admin figures before and after are different series.
METHOD_BREAK_YEAR = 2022
METHOD_BREAK_SERVICES = ("admin",)
REFORM_YEAR = 2025


def _num(value) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def intervals_overlap(a_low, a_high, b_low, b_high) -> bool | None:
    """True if two 95% intervals overlap, False if not, None if either is missing."""
    vals = [_num(v) for v in (a_low, a_high, b_low, b_high)]
    if any(v is None for v in vals):
        return None
    al, ah, bl, bh = vals
    return not (ah < bl or bh < al)


def crosses_break(service: str, year_from: int, year_to: int) -> bool:
    """True when comparing two years straddles the SIPAS 2022 method change."""
    return service in METHOD_BREAK_SERVICES and year_from < METHOD_BREAK_YEAR <= year_to


def year_changes(frame: pd.DataFrame, tested: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each figure next to the same unit's figure of the previous year, with change and overlap.

    Pairs are made within one boundary set (national figures also across the 2025 reform, marked
    `reform`). Columns added: prev_year, prev_value, prev_ci_low, prev_ci_high, change,
    overlap (bool/None), significant, method_break, reform, vs_harmonised (the previous figure is
    a harmonised one: `frame` may carry a `harmonised` column). `significant` is the release's own test
    (`tested`: rows of changes.parquet, interval of the change excludes 0) where it has the pair;
    otherwise the same test computed from the two published intervals (independent samples, see
    `dashboard.stats.changes`); None when an interval is missing.
    """
    cols = ["year", "geo_version", "level", "unit_code", "service", "indicator", "value", "ci_low", "ci_high"]
    if frame.empty:
        return pd.DataFrame(columns=[*cols, "prev_year", "prev_value", "prev_ci_low", "prev_ci_high",
                                     "change", "overlap", "significant", "method_break", "reform",
                                     "vs_harmonised"])
    cur = frame[cols].copy()
    cur["harmonised"] = frame["harmonised"].fillna(False).astype(bool) if "harmonised" in frame else False
    cur["year"] = cur["year"].astype(int)
    prev = cur.rename(columns={"year": "prev_year", "value": "prev_value", "ci_low": "prev_ci_low",
                               "ci_high": "prev_ci_high", "geo_version": "prev_geo", "harmonised": "prev_harmonised"})
    cur["prev_year"] = cur["year"] - 1
    out = cur.merge(prev, on=["prev_year", "level", "unit_code", "service", "indicator"], how="inner")
    same_geo = out["geo_version"] == out["prev_geo"]
    out = out[same_geo | (out["level"] == "national")].copy()
    out["reform"] = ~(out["geo_version"] == out["prev_geo"])
    out = out.drop(columns=["prev_geo"])
    out["change"] = out["value"] - out["prev_value"]
    # Vectorised (a rerun of the overview computes this for every unit): None where unknown.
    bounds = out[["ci_low", "ci_high", "prev_ci_low", "prev_ci_high"]].astype(float)
    known = bounds.notna().all(axis=1)
    apart = (bounds["ci_high"] < bounds["prev_ci_low"]) | (bounds["prev_ci_high"] < bounds["ci_low"])
    out["overlap"] = _optional_bool(~apart, known)
    se = np.sqrt(standard_error(out) ** 2 + standard_error(out, prefix="prev_") ** 2)
    excluded = out["change"].abs() > Z95 * se
    significant = _optional_bool(excluded, se.notna())
    if tested is not None and len(tested):
        keys = ["year", "geo_version", "level", "unit_code", "service", "indicator"]
        test = tested[keys + ["significant"]].astype({"year": int})
        merged = out[keys].merge(test, on=keys, how="left")["significant"]
        merged.index = out.index
        has_test = merged.notna()
        significant = significant.where(~has_test, _optional_bool(merged.fillna(False).astype(bool), has_test))
    out["significant"] = significant
    out["method_break"] = (out["service"].isin(METHOD_BREAK_SERVICES) & (out["prev_year"] < METHOD_BREAK_YEAR)
                           & (out["year"] >= METHOD_BREAK_YEAR))
    # Against a harmonised figure (the year before the reform, re-aggregated to the new province).
    out["vs_harmonised"] = out["prev_harmonised"] & ~out["harmonised"]
    out = out.drop(columns=["harmonised", "prev_harmonised"])
    return out.sort_values(["unit_code", "service", "indicator", "year"], ignore_index=True)


def _optional_bool(values: pd.Series, known: pd.Series) -> pd.Series:
    """True/False where `known`, None elsewhere (object dtype: `== True` and `pd.isna` both work)."""
    return values.astype(bool).astype(object).where(known.to_numpy(), None)


def movers(frame: pd.DataFrame, year: int, limit: int = 5,
           tested: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Biggest rises and falls into `year` of service indices, excluding method breaks.

    When the figures have intervals, only significant changes count (see `year_changes`); the
    third value says whether that filter was applied (False for figures without intervals).
    """
    idx = frame[frame["indicator"] == INDEX]
    changes = year_changes(idx, tested)
    changes = changes[(changes["year"] == year) & ~changes["method_break"] & ~changes["reform"]]
    has_intervals = bool(idx["ci_low"].notna().any())
    if has_intervals:
        changes = changes[changes["significant"] == True]  # noqa: E712 (None must drop out)
    rises = changes[changes["change"] > 0].sort_values("change", ascending=False).head(limit)
    falls = changes[changes["change"] < 0].sort_values("change").head(limit)
    return rises.reset_index(drop=True), falls.reset_index(drop=True), has_intervals


def headline(frame: pd.DataFrame, year: int, unit_code: str = "VN") -> pd.DataFrame:
    """The overall index of every service for one unit and year, in catalogue order."""
    rows = frame[(frame["year"] == year) & (frame["unit_code"] == unit_code) & (frame["indicator"] == INDEX)]
    order = {s: i for i, s in enumerate(SERVICES)}
    return rows.assign(_o=rows["service"].map(order)).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank (1 = highest value, ties share the best rank) within each year/geo/level/service/indicator."""
    out = frame.copy()
    keys = ["year", "geo_version", "level", "service", "indicator"]
    out["rank"] = out.groupby(keys)["value"].rank(ascending=False, method="min").astype("Int64")
    out["of"] = out.groupby(keys)["value"].transform("count")
    return out


def rank_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Ranks with the previous year's rank and the change (positive = moved up)."""
    ranked = ranks(frame)
    prev = ranked[["year", "geo_version", "level", "unit_code", "service", "indicator", "rank"]].copy()
    prev["year"] = prev["year"] + 1
    prev = prev.rename(columns={"rank": "prev_rank"})
    out = ranked.merge(prev, on=["year", "geo_version", "level", "unit_code", "service", "indicator"], how="left")
    out["rank_change"] = out["prev_rank"] - out["rank"]
    return out


def peers(frame: pd.DataFrame, unit_code: str, k: int = 5) -> pd.DataFrame:
    """The `k` other units with the closest value to `unit_code` (one year/service/indicator/level)."""
    own = frame[frame["unit_code"] == unit_code]
    if own.empty:
        return frame.iloc[0:0]
    target = float(own["value"].iloc[0])
    others = frame[(frame["unit_code"] != unit_code) & frame["value"].notna()].copy()
    others["gap"] = others["value"] - target
    others["_abs"] = others["gap"].abs()
    return others.sort_values(["_abs", "unit_code"]).head(k).drop(columns="_abs").reset_index(drop=True)


def latest_year(frame: pd.DataFrame) -> int | None:
    years = frame["year"].dropna()
    return int(years.max()) if not years.empty else None


def geo_for_year(year: int) -> str:
    """The boundary set results of a year are published on (vn34 from the 2025 reform)."""
    return "vn34" if year >= REFORM_YEAR else "vn63"
