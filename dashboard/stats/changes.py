"""Year-over-year change with its 95% interval and a significance label.

Samples of different years are independent, so the variance of a change is the sum of the two
variances; a figure's standard error is recovered from its published interval (half-width / 1.96).
No change is computed across a method break (e.g. SIPAS 2021 -> 2022) or between geo versions.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.stats.satisfaction import Z95

KEY = ["geo_version", "level", "unit_code", "service", "indicator"]


def standard_error(frame: pd.DataFrame, prefix: str = "") -> pd.Series:
    """A figure's standard error from its 95% interval (columns `{prefix}ci_low`, `{prefix}ci_high`)."""
    return (frame[f"{prefix}ci_high"].astype(float) - frame[f"{prefix}ci_low"].astype(float)) / (2 * Z95)


def year_over_year(results: pd.DataFrame, breaks: set[tuple[str, int]] = frozenset()) -> pd.DataFrame:
    """changes.parquet rows: every figure with a figure for the year before under the same method.

    `breaks` holds (service, year) pairs where the method changed: no change into that year.
    Real figures without intervals get a change but no interval and no significance.
    """
    cur = results.dropna(subset=["value"])[[*KEY, "year", "value", "ci_low", "ci_high"]].copy()
    prev = cur.assign(year=cur["year"] + 1)
    both = cur.merge(prev, on=[*KEY, "year"], suffixes=("", "_prev"))
    if breaks:
        broken = pd.Series([(s, int(y)) in breaks for s, y in zip(both["service"], both["year"])], index=both.index)
        both = both[~broken]
    change = both["value"] - both["value_prev"]
    se = np.sqrt(standard_error(both) ** 2 + ((both["ci_high_prev"] - both["ci_low_prev"]) / (2 * Z95)) ** 2)
    out = both[[*KEY, "year"]].copy()
    out["change"] = change.round(2)
    out["ci_low"] = (change - Z95 * se).round(2)
    out["ci_high"] = (change + Z95 * se).round(2)
    # Rounding must not push an end past the change itself; figures without intervals keep none.
    out["ci_low"] = out[["ci_low", "change"]].min(axis=1).where(se.notna())
    out["ci_high"] = out[["ci_high", "change"]].max(axis=1).where(se.notna())
    significant = (out["ci_low"] > 0) | (out["ci_high"] < 0)
    out["significant"] = significant.where(se.notna(), None).astype("boolean")
    return out.sort_values([*KEY, "year"], ignore_index=True)
