"""Satisfaction shares, indices and design-based confidence intervals.

Method (first version, stated on the methodology page):
- A respondent is *satisfied* with a criterion when the answer is 4 or 5 on the 1–5 scale; with
  several questions for one criterion, the respondent's score is the share of them answered 4–5.
- A criterion's figure is the weighted share of satisfied respondents among those who answered
  (a ratio estimator), in percent.
- A service's index is the unweighted mean of its criteria's figures (each criterion counts the
  same, as the five SIPAS criteria do); a service without criteria is measured by its `index`
  question directly.
- 95% intervals use Taylor linearisation of the ratio with the sampling design: strata (districts
  before the 2025 reform) and primary sampling units (communes) with replacement; strata with a
  single unit contribute no variance. Normal critical value 1.96, clipped to 0–100.
- n is the number of respondents behind the figure; below `LOW_N` the figure is flagged `low_n`,
  below `MIN_N` it is `suppressed` (no value is published).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.contract import INDEX

Z95 = 1.959963984540054
LOW_N = 50
MIN_N = 10

ITEM_COLUMNS = ["year", "respondent_id", "service", "indicator", "y", "m", "w", "stratum", "psu"]


def respondent_items(answers: pd.DataFrame) -> pd.DataFrame:
    """Collapse answers to one row per respondent × service × criterion.

    `answers` has respondent_id, year, service, question_id, answer (1–5 or missing), optional
    weight, the design columns `stratum` and `psu`, and the unit columns to aggregate by. Returns
    y (share of that respondent's answers that are 4–5), m (1 if any answer), w (weight).
    """
    frame = answers.copy()
    frame["sat"] = np.where(frame["answer"].notna(), (frame["answer"] >= 4).astype(float), np.nan)
    if "weight" not in frame:
        frame["weight"] = 1.0
    keys = [c for c in frame.columns if c not in ("question_id", "answer", "sat", "weight", "village")]
    keys = [c for c in keys if c != "indicator"]
    frame = frame.rename(columns={"question_id": "indicator"})
    grouped = frame.groupby(keys + ["indicator"], observed=True, sort=False, dropna=False)
    items = grouped.agg(y=("sat", "mean"), w=("weight", "first")).reset_index()
    items["m"] = items["y"].notna().astype(float)
    items["y"] = items["y"].fillna(0.0)
    return items


def _variance(u: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Stratified with-replacement variance of the sum of linearised values `u` per group."""
    psu_totals = u.groupby(keys + ["stratum", "psu"], observed=True, sort=False)["u"].sum().reset_index()
    by_stratum = psu_totals.groupby(keys + ["stratum"], observed=True, sort=False)["u"]
    psu_totals["n_h"] = by_stratum.transform("size")
    psu_totals["dev2"] = (psu_totals["u"] - by_stratum.transform("mean")) ** 2
    multi = psu_totals["n_h"] > 1
    psu_totals["contrib"] = np.where(multi, psu_totals["dev2"] * psu_totals["n_h"] / (psu_totals["n_h"] - 1).clip(lower=1), 0.0)
    return psu_totals.groupby(keys, observed=True, sort=False)["contrib"].sum()


def estimate(items: pd.DataFrame, unit_col: str) -> pd.DataFrame:
    """Figures for every unit in `unit_col`: criteria and service indices, with 95% intervals.

    Returns columns year, unit_code, service, indicator, value, ci_low, ci_high, n, flag.
    """
    keys = ["year", unit_col, "service", "indicator"]
    work = items[[*ITEM_COLUMNS, unit_col]].copy()
    work["wy"] = work["w"] * work["y"] * work["m"]
    work["wm"] = work["w"] * work["m"]
    sums = work.groupby(keys, observed=True, sort=False).agg(wy=("wy", "sum"), wm=("wm", "sum"), n=("m", "sum"))
    sums["p"] = sums["wy"] / sums["wm"].replace(0, np.nan)
    work = work.join(sums[["p", "wm"]].rename(columns={"wm": "total_wm"}), on=keys)
    work["u"] = work["w"] * work["m"] * (work["y"] - work["p"]) / work["total_wm"]
    crit = sums.assign(var=_variance(work, keys)).reset_index()

    # Service index = mean of its criteria (a service with only an `index` question keeps it).
    has_criteria = work["indicator"] != INDEX
    svc_keys = ["year", unit_col, "service"]
    criteria_count = work[has_criteria].groupby(svc_keys, observed=True)["indicator"].nunique().rename("k")
    idx_items = work[has_criteria].join(criteria_count, on=svc_keys)
    idx_items["u"] = idx_items["u"] / idx_items["k"]
    per_resp = idx_items.groupby(svc_keys + ["respondent_id", "stratum", "psu"], observed=True, sort=False).agg(
        u=("u", "sum"), answered=("m", "max")).reset_index()
    idx_var = _variance(per_resp, svc_keys)
    idx = crit[crit["indicator"] != INDEX].groupby(svc_keys, observed=True).agg(p=("p", "mean")).join(
        per_resp.groupby(svc_keys, observed=True)["answered"].sum().rename("n")).assign(var=idx_var).reset_index()
    idx["indicator"] = INDEX
    # A service measured by a direct `index` question keeps that figure.
    out = pd.concat([crit[keys + ["p", "n", "var"]], idx[keys + ["p", "n", "var"]]], ignore_index=True)
    out = out.drop_duplicates(keys, keep="first")
    return _finish(out.rename(columns={unit_col: "unit_code"}))


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    se = np.sqrt(out["var"].clip(lower=0))
    out["value"] = (100 * out["p"]).round(2)
    out["ci_low"] = (100 * (out["p"] - Z95 * se)).clip(0, 100).round(2)
    out["ci_high"] = (100 * (out["p"] + Z95 * se)).clip(0, 100).round(2)
    out["ci_low"] = out[["ci_low", "value"]].min(axis=1)
    out["ci_high"] = out[["ci_high", "value"]].max(axis=1)
    out["n"] = out["n"].round().astype("int64")
    out["flag"] = np.where(out["n"] < MIN_N, "suppressed", np.where(out["n"] < LOW_N, "low_n", None))
    suppressed = out["flag"] == "suppressed"
    out.loc[suppressed, ["value", "ci_low", "ci_high"]] = np.nan
    return out[["year", "unit_code", "service", "indicator", "value", "ci_low", "ci_high", "n", "flag"]]
