"""Ranks that claim only what the data can order: pairwise comparisons with multiplicity control.

Within each group (provinces in the country, districts in their province; one year, service and
criterion), every ordered pair of units (j, k) gives a one-sided t test of "j is above k" (the
comparison of `dashboard.stats.comparisons`: the published value, n_eff and df).

- `rank`: 1 + the number of units with a higher value (ties share the better rank).
- `rank_low`–`rank_high`, the 95% rank interval of one unit k: 1 + the units found *above* k, to
  K − the units found *below* k, where "found" means rejected by Holm's step-down procedure over
  k's 2(K − 1) one-sided hypotheses at level 0.05 (valid under any dependence). If none of k's
  claims is wrong, which happens with probability at least 95%, k's true rank lies in the interval
  (Mogstad, Romano, Shaikh & Wilhelm's marginal rank intervals, with Holm in place of max-t).
- `top_set` / `bottom_set`: the joint 95% confidence sets for first and last place (Klein, Wright &
  Wieczorek 2020): Holm over all K(K − 1) ordered pairs; a unit is in the top set unless some unit
  is found above it. "X is first" is only claimed when the top set is {X}.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from dashboard.stats.comparisons import ALPHA, comparison_variance, satterthwaite

GROUP = ["year", "geo_version", "level", "parent_code", "service", "indicator"]


def holm(p: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """Holm's step-down rejections for each column of `p` (hypotheses × families); inf = no hypothesis."""
    m = np.isfinite(p).sum(axis=0)
    order = np.argsort(p, axis=0, kind="stable")
    ranked = np.take_along_axis(p, order, axis=0)
    steps = np.arange(p.shape[0])[:, None]
    with np.errstate(divide="ignore"):
        passes = (ranked <= alpha / np.maximum(m[None, :] - steps, 1)) & (steps < m[None, :])
    rejected = np.zeros(p.shape, dtype=bool)
    np.put_along_axis(rejected, order, np.cumprod(passes, axis=0).astype(bool), axis=0)
    return rejected


def rank_arrays(value: np.ndarray, var: np.ndarray, df: np.ndarray) -> dict[str, np.ndarray]:
    """rank, rank_low, rank_high, rank_of, top_set, bottom_set for K units (values, variances, df)."""
    k = len(value)
    diff = value[:, None] - value[None, :]  # row j minus column k
    with np.errstate(invalid="ignore", divide="ignore"):
        t = diff / np.sqrt(var[:, None] + var[None, :])
        up = stats.t.sf(t, satterthwaite(var[:, None], df[:, None], var[None, :], df[None, :]))  # "j above k"
    np.fill_diagonal(up, np.inf)
    # unit k's own family: "j above k" (column k of `up`) and "k above j" (row k of `up`)
    own = holm(np.vstack([up, up.T]))
    found_above, found_below = own[:k].sum(axis=0), own[k:].sum(axis=0)
    joint = holm(up.reshape(-1, 1)).reshape(k, k)  # every ordered pair in one family
    rank = (value[:, None] > value[None, :]).sum(axis=0) + 1
    return {"rank": rank, "rank_low": 1 + found_above, "rank_high": k - found_below, "rank_of": np.full(k, k),
            "top_set": ~joint.any(axis=0), "bottom_set": ~joint.any(axis=1)}


def ranks_table(figures: pd.DataFrame) -> pd.DataFrame:
    """ranks.parquet rows for published figures with `parent_code`, `value`, `n_eff` and `df`.

    Units without a value or without an effective sample size are not ranked; a group needs at
    least two units.
    """
    usable = figures.dropna(subset=["value", "n_eff", "df"])
    usable = usable[usable["level"] != "national"].sort_values(GROUP, kind="stable", ignore_index=True)
    if usable.empty:
        return pd.DataFrame()
    codes = usable.groupby(GROUP, sort=False, observed=True, dropna=False).ngroup().to_numpy()
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    value = usable["value"].to_numpy(float)
    var = comparison_variance(value, usable["n_eff"].to_numpy(float))
    df = usable["df"].to_numpy(float)
    columns = {name: np.zeros(len(usable), dtype=dtype) for name, dtype in
               (("rank", int), ("rank_low", int), ("rank_high", int), ("rank_of", int), ("top_set", bool), ("bottom_set", bool))}
    keep = np.zeros(len(usable), dtype=bool)
    for start, end in zip(starts, ends):
        if end - start < 2:
            continue
        keep[start:end] = True
        for name, values in rank_arrays(value[start:end], var[start:end], df[start:end]).items():
            columns[name][start:end] = values
    out = usable.loc[keep, [*GROUP, "unit_code"]].assign(**{k: v[keep] for k, v in columns.items()})
    return out.astype({"rank": "int16", "rank_low": "int16", "rank_high": "int16", "rank_of": "int16",
                       "year": "int16"}).reset_index(drop=True)
