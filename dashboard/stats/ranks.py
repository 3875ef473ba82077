"""Ranks with uncertainty: a rescaled bootstrap over clusters, rank intervals and tie groups.

Replicates follow Rao and Wu's rescaled bootstrap: in each stratum with n PSUs, n - 1 are drawn
with replacement and their weights scaled by n / (n - 1); a stratum with one PSU keeps its
weights. The same draws serve every service and indicator of a year, so replicate figures stay
consistent with each other. A unit's rank interval is the 2.5–97.5 percentile of its rank over
the replicates; units whose rank intervals overlap the first unit of a group share its tie group
("not distinguishable").
"""
from __future__ import annotations

import warnings

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


def _rank_arrays(point: np.ndarray, reps: np.ndarray) -> tuple[np.ndarray, ...]:
    """Order, rank, rank_low, rank_high, tie_group for units with a value (numpy, no pandas)."""
    keep = np.flatnonzero(~np.isnan(point))
    point, reps = point[keep], reps[keep]
    if len(keep) == 0:
        return (keep,) + (np.array([], dtype=int),) * 4
    # A replicate that drew none of a unit's clusters has no value there: use the unit's mean.
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        row_mean = np.nanmean(reps, axis=1, keepdims=True)
    filled = np.where(np.isnan(reps), np.where(np.isnan(row_mean), point[:, None], row_mean), reps)
    rep_ranks = (-filled).argsort(axis=0).argsort(axis=0) + 1
    rank = (point[None, :] > point[:, None]).sum(axis=1) + 1  # 1 = most satisfied; ties share the best rank
    low = np.minimum(np.percentile(rep_ranks, 2.5, axis=1, method="lower").astype(int), rank)
    high = np.maximum(np.percentile(rep_ranks, 97.5, axis=1, method="higher").astype(int), rank)
    order = np.lexsort((keep, rank))
    group, first_high, groups = 0, -1, np.empty(len(order), dtype=int)
    for pos, i in enumerate(order):
        if low[i] > first_high:  # no overlap with the group's first unit: a new group starts
            group, first_high = group + 1, high[i]
        groups[pos] = group
    return keep[order], rank[order], low[order], high[order], groups


def rank_with_uncertainty(values: pd.Series, reps: np.ndarray) -> pd.DataFrame:
    """Rank (1 = most satisfied), its 95% interval over replicates, and tie groups.

    `values` is indexed by unit code (point estimates); `reps` is units × replicates in the same
    order. Units without a value are left out.
    """
    idx, rank, low, high, group = _rank_arrays(values.to_numpy(dtype=float), reps)
    return pd.DataFrame({"unit_code": values.index.to_numpy()[idx], "rank": rank, "rank_low": low,
                         "rank_high": high, "tie_group": group})


def ranks_table(figures: pd.DataFrame, items: pd.DataFrame, unit_col: str, level: str, geo_version: str,
                parent_of: pd.Series | None = None, seed: int = 0) -> pd.DataFrame:
    """ranks.parquet rows for one level: provinces in the country, or districts within their province."""
    reps = replicate_figures(items, unit_col, seed=seed)
    point_of = figures.set_index(["year", "service", "indicator", "unit_code"])["value"]
    columns: dict[str, list] = {k: [] for k in ("unit_code", "rank", "rank_low", "rank_high", "tie_group",
                                                 "year", "service", "indicator", "parent_code")}
    for (year, service, indicator), (units, values) in reps.items():
        point = point_of.reindex(pd.MultiIndex.from_product([[year], [service], [indicator], units])).to_numpy()
        parents = np.full(len(units), "VN", dtype=object) if parent_of is None else parent_of.reindex(units).to_numpy()
        for parent in pd.unique(parents):
            members = np.flatnonzero(parents == parent)
            idx, rank, low, high, group = _rank_arrays(point[members], values[members])
            n = len(idx)
            columns["unit_code"].append(units[members][idx])
            for name, arr in (("rank", rank), ("rank_low", low), ("rank_high", high), ("tie_group", group)):
                columns[name].append(arr)
            for name, value in (("year", year), ("service", service), ("indicator", indicator), ("parent_code", parent)):
                columns[name].append(np.full(n, value, dtype=object))
    if not columns["rank"]:
        return pd.DataFrame()
    out = pd.DataFrame({k: np.concatenate(v) for k, v in columns.items()})
    return out.assign(geo_version=geo_version, level=level, year=out["year"].astype("int16"))
