"""Satisfaction shares and indices, with their design-based variance and degrees of freedom.

Method (stated on the methodology page):
- A respondent is *satisfied* with a criterion when the answer is 4 or 5 on the 1–5 scale; with
  several questions for one criterion, the respondent's score is the share of them answered 4–5.
- A criterion's figure is the weighted share of satisfied respondents among those who answered
  (a ratio estimator R = Σ w·m·y / Σ w·m).
- A service's index is the unweighted mean of its criteria's figures. It is computed only where
  every criterion asked about that service in that year has a published figure, and its variance
  uses the same criteria (k of them) as its value.
- Variance: Taylor linearisation of the ratio, u = w·m·(y − R) / Σ w·m, summed by primary
  sampling unit (PSU) and combined with the stratified with-replacement estimator
  Σ_h n_h/(n_h − 1) · Σ_i (z_hi − z̄_h)², times (1 − n_h/N_h) where a finite-population size is
  declared. n_h is the number of PSUs the *design* put in stratum h that year (from the whole
  sample, every service): a sampled PSU with no respondent for a criterion is a zero total, not a
  missing one (domain estimation).
- Degrees of freedom of a figure: the PSUs holding its respondents minus the strata holding them.

Intervals, small-sample rules and flags are made from these in `dashboard.stats.intervals`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.release.contract import INDEX, MIN_N

ITEM_COLUMNS = ["year", "respondent_id", "service", "indicator", "y", "m", "w", "stratum", "psu"]


def respondent_items(answers: pd.DataFrame) -> pd.DataFrame:
    """Collapse answers to one row per respondent × service × criterion.

    `answers` has respondent_id, year, service, question_id, answer (1–5 or missing), optional
    weight, the design columns `stratum` and `psu` (optional `fpc`), and the unit columns to
    aggregate by. Returns y (share of that respondent's answers that are 4–5), m (1 if any
    answer), w (weight).
    """
    frame = answers.copy()
    frame["sat"] = np.where(frame["answer"].notna(), (frame["answer"] >= 4).astype(float), np.nan)
    if "weight" not in frame:
        frame["weight"] = 1.0
    keys = [c for c in frame.columns if c not in ("question_id", "answer", "sat", "weight", "village", "indicator")]
    frame = frame.rename(columns={"question_id": "indicator"})
    grouped = frame.groupby(keys + ["indicator"], observed=True, sort=False, dropna=False)
    items = grouped.agg(y=("sat", "mean"), w=("weight", "first")).reset_index()
    items["m"] = items["y"].notna().astype(float)
    items["y"] = items["y"].fillna(0.0)
    return items


def design_frame(items: pd.DataFrame) -> pd.DataFrame:
    """Every sampled PSU of every year with its stratum's PSU count `n_h` and FPC factor.

    Built from the whole sample (all respondents, all services), so a PSU counts in its stratum
    even for a criterion none of its respondents answered.
    """
    cols = ["year", "stratum", "psu"] + (["fpc"] if "fpc" in items else [])
    frame = items[cols].drop_duplicates(["year", "stratum", "psu"])
    strata = frame.groupby(["year", "stratum"], observed=True, sort=False).agg(
        n_h=("psu", "size"), **({"N_h": ("fpc", "first")} if "fpc" in frame else {})).reset_index()
    strata["fpc_factor"] = (1 - strata["n_h"] / strata["N_h"]).clip(lower=0) if "N_h" in strata else 1.0
    return strata[["year", "stratum", "n_h", "fpc_factor"]]


def stratified_variance(u: pd.DataFrame, keys: list[str], strata: pd.DataFrame) -> pd.DataFrame:
    """Variance and degrees of freedom of the total of linearised values `u` for each group of `keys`.

    `u` has the columns of `keys`, stratum, psu, u and m (1 = a respondent of the domain);
    `strata` is `design_frame(...)`. Returns a frame indexed by `keys` with `var` and `df`.
    """
    psu = u.groupby(keys + ["stratum", "psu"], observed=True, sort=False).agg(z=("u", "sum"), m=("m", "sum")).reset_index()
    psu["z2"] = psu["z"] ** 2
    psu["member_psu"] = (psu["m"] > 0).astype(float)
    by_stratum = psu.groupby(keys + ["stratum"], observed=True, sort=False).agg(
        s1=("z", "sum"), s2=("z2", "sum"), member_psus=("member_psu", "sum")).reset_index()
    by_stratum = by_stratum.merge(strata, on=["year", "stratum"], how="left")
    n_h = by_stratum["n_h"].to_numpy(dtype=float)
    multi = n_h > 1
    spread = (by_stratum["s2"] - by_stratum["s1"] ** 2 / np.where(multi, n_h, 1.0)).clip(lower=0).to_numpy()
    by_stratum["var"] = np.where(multi, spread * n_h / np.where(multi, n_h - 1, 1.0), 0.0) * by_stratum["fpc_factor"]
    # Degrees of freedom come from the PSUs that hold respondents of the domain (as svy and the
    # NCHS macros count them); the zero totals of the others still enter the variance.
    by_stratum["df"] = (by_stratum["member_psus"] - 1).clip(lower=0)
    return by_stratum.groupby(keys, observed=True, sort=False)[["var", "df"]].sum()


def estimate(items: pd.DataFrame, unit_col: str, strata: pd.DataFrame | None = None) -> pd.DataFrame:
    """Estimates for every unit in `unit_col`: criteria and service indices.

    Returns year, unit_code, service, indicator, p (0–1), var (of p), df, n (respondents) and k
    (how many criteria the figure averages: 1 for a criterion). Figures without any answer are
    left out; an index is left out where one of its criteria has no figure (fewer than MIN_N
    respondents) in the unit.
    """
    strata = design_frame(items) if strata is None else strata
    keys = ["year", unit_col, "service", "indicator"]
    work = items[[*ITEM_COLUMNS, unit_col]].copy()
    work["wy"] = work["w"] * work["y"] * work["m"]
    work["wm"] = work["w"] * work["m"]
    sums = work.groupby(keys, observed=True, sort=False).agg(wy=("wy", "sum"), wm=("wm", "sum"), n=("m", "sum"))
    sums = sums[sums["wm"] > 0]
    sums["p"] = sums["wy"] / sums["wm"]
    work = work.join(sums[["p", "wm"]].rename(columns={"wm": "total_wm"}), on=keys, how="inner")
    work["u"] = work["w"] * work["m"] * (work["y"] - work["p"]) / work["total_wm"]
    crit = sums.join(stratified_variance(work, keys, strata)).reset_index().assign(k=1)
    out = [crit]

    # Service index = mean of its criteria, where every criterion asked that year has a figure.
    svc_keys = ["year", unit_col, "service"]
    criteria = work[work["indicator"] != INDEX]
    asked = items[items["indicator"] != INDEX].groupby(["year", "service"], observed=True)["indicator"].nunique().rename("k")
    published = crit[(crit["indicator"] != INDEX) & (crit["n"] >= MIN_N)]
    have = published.groupby(svc_keys, observed=True)["indicator"].nunique().rename("have").reset_index()
    have = have.join(asked, on=["year", "service"])
    complete = have[have["have"] == have["k"]][svc_keys + ["k"]]
    if len(complete):
        idx_items = criteria.merge(complete, on=svc_keys, how="inner")
        idx_items["u"] = idx_items["u"] / idx_items["k"]
        per_resp = idx_items.groupby(svc_keys + ["respondent_id", "stratum", "psu"], observed=True, sort=False).agg(
            u=("u", "sum"), m=("m", "max")).reset_index()
        idx = (published.drop(columns="k").merge(complete, on=svc_keys)
               .groupby(svc_keys, observed=True).agg(p=("p", "mean"), k=("k", "first")))
        idx = idx.join(per_resp.groupby(svc_keys, observed=True)["m"].sum().rename("n"))
        idx = idx.join(stratified_variance(per_resp, svc_keys, strata)).reset_index().assign(indicator=INDEX)
        out.append(idx)
    cols = keys + ["p", "var", "df", "n", "k"]
    # A service measured by a direct `index` question keeps that figure (it comes first).
    result = pd.concat([o[cols] for o in out], ignore_index=True).drop_duplicates(keys, keep="first")
    return result.rename(columns={unit_col: "unit_code"}).reset_index(drop=True)
