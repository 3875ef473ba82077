"""Ranks with uncertainty: a rescaled bootstrap over clusters, rank intervals and tie groups.

Replicates follow Rao and Wu's rescaled bootstrap: in each stratum with n PSUs, n - 1 are drawn
with replacement and their weights scaled by n / (n - 1); a stratum with one PSU keeps its
weights. The same draws serve every service and indicator of a year, so replicate figures stay
consistent with each other. A unit's rank interval is the 2.5–97.5 percentile of its rank over
the replicates; units whose rank intervals overlap the first unit of a group share its tie group
("not distinguishable").
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.contract import INDEX

REPLICATES = 200


def replicate_factors(psus: pd.DataFrame, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """Weight factors (one row per PSU of `psus` [stratum, psu], one column per replicate)."""
    factors = np.ones((len(psus), replicates))
    for _, rows in psus.groupby("stratum", sort=True).indices.items():
        n = len(rows)
        if n < 2:
            continue
        draws = rng.integers(0, n, size=(n - 1, replicates))
        counts = (draws[:, :, None] == np.arange(n)).sum(axis=0).T  # times each PSU was drawn
        factors[rows] = counts * n / (n - 1)
    return factors


def replicate_figures(items: pd.DataFrame, unit_col: str, replicates: int = REPLICATES,
                      seed: int = 0) -> dict[tuple, tuple[np.ndarray, np.ndarray]]:
    """Replicate estimates per (year, service, indicator): (unit codes, array units × replicates).

    Includes the service index (mean of the criteria's replicate values).
    """
    rng = np.random.default_rng(seed)
    out: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    for year, part in items.groupby("year", sort=True):
        psus = part[["stratum", "psu"]].drop_duplicates().sort_values(["stratum", "psu"], ignore_index=True)
        factors = replicate_factors(psus, replicates, rng)
        psu_index = pd.Series(np.arange(len(psus)), index=pd.MultiIndex.from_frame(psus))
        sums = part.assign(wy=part["w"] * part["y"] * part["m"], wm=part["w"] * part["m"]).groupby(
            ["service", "indicator", unit_col, "stratum", "psu"], observed=True, sort=True)[["wy", "wm"]].sum().reset_index()
        sums["k"] = psu_index.loc[list(zip(sums["stratum"], sums["psu"]))].to_numpy()
        for (service, indicator), rows in sums.groupby(["service", "indicator"], sort=True):
            units, unit_idx = np.unique(rows[unit_col].to_numpy(dtype=str), return_inverse=True)
            num = np.zeros((len(units), replicates))
            den = np.zeros((len(units), replicates))
            f = factors[rows["k"].to_numpy()]
            np.add.at(num, unit_idx, rows["wy"].to_numpy()[:, None] * f)
            np.add.at(den, unit_idx, rows["wm"].to_numpy()[:, None] * f)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[(year, service, indicator)] = (units, 100 * num / den)
        for service in sums["service"].unique():
            crits = [v for (y, s, i), v in out.items() if y == year and s == service and i != INDEX]
            if not crits or (year, service, INDEX) in out:
                continue
            units = crits[0][0]
            if all(np.array_equal(u, units) for u, _ in crits):
                out[(year, service, INDEX)] = (units, np.mean([v for _, v in crits], axis=0))
    return out


def rank_with_uncertainty(values: pd.Series, reps: np.ndarray) -> pd.DataFrame:
    """Rank (1 = most satisfied), its 95% interval over replicates, and tie groups.

    `values` is indexed by unit code (point estimates); `reps` is units × replicates in the same
    order. Units without a value are left out.
    """
    keep = values.notna().to_numpy()
    values, reps = values[keep], reps[keep]
    if values.empty:
        return pd.DataFrame(columns=["unit_code", "rank", "rank_low", "rank_high", "tie_group"])
    filled = np.where(np.isnan(reps), np.nanmean(reps, axis=1, keepdims=True), reps)
    rep_ranks = (-filled).argsort(axis=0).argsort(axis=0) + 1
    frame = pd.DataFrame({
        "unit_code": values.index.to_numpy(),
        "rank": values.rank(ascending=False, method="min").astype(int).to_numpy(),
        "rank_low": np.percentile(rep_ranks, 2.5, axis=1, method="lower").astype(int),
        "rank_high": np.percentile(rep_ranks, 97.5, axis=1, method="higher").astype(int),
    }).sort_values(["rank", "unit_code"], ignore_index=True)
    frame["rank_low"] = np.minimum(frame["rank_low"], frame["rank"])
    frame["rank_high"] = np.maximum(frame["rank_high"], frame["rank"])
    group, first_high, groups = 0, -1, []
    for low, high in zip(frame["rank_low"], frame["rank_high"]):
        if low > first_high:  # no overlap with the group's first unit: a new group starts
            group, first_high = group + 1, high
        groups.append(group)
    frame["tie_group"] = groups
    return frame


def ranks_table(figures: pd.DataFrame, items: pd.DataFrame, unit_col: str, level: str, geo_version: str,
                parent_of: pd.Series | None = None, seed: int = 0) -> pd.DataFrame:
    """ranks.parquet rows for one level: provinces in the country, or districts within their province."""
    reps = replicate_figures(items, unit_col, seed=seed)
    rows = []
    for (year, service, indicator), (units, values) in reps.items():
        point = figures[(figures["year"] == year) & (figures["service"] == service)
                        & (figures["indicator"] == indicator)].set_index("unit_code")["value"]
        point = point.reindex(units)
        groups = [(None, np.arange(len(units)))] if parent_of is None else \
            pd.Series(np.arange(len(units)), index=parent_of.reindex(units).to_numpy()).groupby(level=0).apply(
                lambda s: s.to_numpy()).items()
        for parent, idx in groups:
            ranked = rank_with_uncertainty(point.iloc[idx], values[idx])
            if ranked.empty:
                continue
            rows.append(ranked.assign(year=year, geo_version=geo_version, level=level, service=service,
                                      indicator=indicator, parent_code=parent if parent is not None else "VN"))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
