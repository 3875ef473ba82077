"""Year-over-year changes with their 95% interval, p-value and false-discovery-rate q-value.

Computed at build time from the published figures' `value`, `n_eff` and `df`
(`dashboard.stats.comparisons`): a t test with Satterthwaite's degrees of freedom. `significant`
is that single 5% test. Because a release tests thousands of changes, `q_value` controls the false
discovery rate (Benjamini–Hochberg) within a *family*: the changes into one year, on one boundary
set, at one level, for one service (its index and its criteria, every unit). "Rose clearly" in
the app means q_value <= 0.05.

No change is computed across a method break (`breaks`: (service, year) pairs from the release's
notes, e.g. SIPAS 2021 -> 2022), nor across the 2025 boundary reform (vn63 and vn34 figures are
never paired). Changes between harmonised figures (pre-reform years re-estimated on the 34
provinces) are labelled `harmonised` and form families of their own. Figures without an
effective sample size (published figures without intervals) get a change but no test.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.stats.comparisons import (
    ALPHA,
    benjamini_hochberg,
    comparison_variance,
    difference_test,
    round_significant,
)
from dashboard.stats.intervals import t_quantile

KEY = ["geo_version", "level", "unit_code", "service", "indicator"]


def year_over_year(results: pd.DataFrame, breaks: set[tuple[str, int]] = frozenset(),
                   harmonised: bool = False) -> pd.DataFrame:
    """changes.parquet rows: every figure with a figure for the year before under the same method."""
    columns = [*KEY, "year", "value"] + [c for c in ("n_eff", "df") if c in results]
    cur = results.dropna(subset=["value"])[columns].copy()
    for c in ("n_eff", "df"):
        if c not in cur:
            cur[c] = np.nan
    cur["year"] = cur["year"].astype(int)
    prev = cur.assign(year=cur["year"] + 1)
    both = cur.merge(prev, on=[*KEY, "year"], suffixes=("", "_prev"))
    if breaks:
        broken = pd.Series([(s, int(y)) in breaks for s, y in zip(both["service"], both["year"])], index=both.index,
                           dtype=bool)  # typed: an empty object Series would select columns, not rows
        both = both[~broken]
    change = (both["value"] - both["value_prev"]).to_numpy()
    v1 = comparison_variance(both["value_prev"], both["n_eff_prev"])
    v2 = comparison_variance(both["value"], both["n_eff"])
    se, df, p = difference_test(change, v1, both["df_prev"].to_numpy(float), v2, both["df"].to_numpy(float))
    tested = np.isfinite(se) & np.isfinite(df) & (df > 0)
    half = t_quantile(np.where(tested, df, 1.0)) * se
    out = both[[*KEY, "year"]].copy()
    out["change"] = np.round(change, 2)
    out["ci_low"] = np.where(tested, np.round(change - half, 2), np.nan)
    out["ci_high"] = np.where(tested, np.round(change + half, 2), np.nan)
    p = round_significant(p)
    out["significant"] = pd.array(np.where(tested, p < ALPHA, False), dtype="boolean")
    out.loc[~tested, "significant"] = pd.NA
    out["se"] = np.where(tested, np.round(se, 3), np.nan)
    out["df"] = np.where(tested, np.round(df, 1), np.nan)
    out["p_value"] = np.where(tested, p, np.nan)
    out["harmonised"] = harmonised
    out["family"] = [f"{y}/{g}/{lv}/{s}" + ("/harmonised" if harmonised else "")
                     for y, g, lv, s in zip(out["year"], out["geo_version"], out["level"], out["service"])]
    out["q_value"] = np.nan
    for _, rows in out.groupby("family", sort=False).indices.items():
        out.iloc[rows, out.columns.get_loc("q_value")] = benjamini_hochberg(out["p_value"].to_numpy()[rows])
    out["q_value"] = round_significant(out["q_value"].to_numpy())
    if not out["p_value"].notna().any():
        out = out.drop(columns=["se", "df", "p_value", "q_value", "family"])
    return out.sort_values([*KEY, "year"], ignore_index=True)
