"""From estimates and their design variance to published figures: intervals that cover, and flags.

Every published interval is a Korn–Graubard interval (Korn & Graubard 1998): a Clopper–Pearson
interval on the *effective* sample size n_eff = p(1 − p) / var, shrunk by (t_{n−1} / t_df)² so the
interval reflects the degrees of freedom of the variance estimate. It stays inside 0–100 without
clipping and has a width at p = 0 or 100 (where the linearised variance is zero, n_eff = n, the
NCHS convention).

A figure whose own variance rests on fewer than MIN_DF degrees of freedom (a district: 2
communes, 1 df; a province of a SIPAS-style survey: 3 districts, 2 df) does not get an interval
from that variance, which is a single noisy draw. Its interval uses instead the design effect
pooled over every unit of its level with the same year, service and criterion (a generalised
variance function): deff = Σ var / Σ p(1 − p)/n over those units, with Satterthwaite's degrees
of freedom (Σ var)² / Σ (var² / df). The model assumption, stated on the methodology page: units
of a level share the intra-cluster correlation of a criterion. Such figures carry
`ci_method = "pooled"`.

Flags: `suppressed` below MIN_N respondents (no value published), `low_n` below LOW_N respondents
or an effective sample size below LOW_N_EFF (NCHS: n_eff < 30).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from dashboard.release.contract import LOW_N, LOW_N_EFF, MIN_DF, MIN_N

LEVEL = 0.95


def t_quantile(df: np.ndarray | float) -> np.ndarray:
    """The two-sided 95% t quantile for `df` degrees of freedom (normal for df = inf)."""
    return stats.t.ppf(1 - (1 - LEVEL) / 2, np.asarray(df, dtype=float))


def korn_graubard(p: np.ndarray, n_eff: np.ndarray, df: np.ndarray, n: np.ndarray,
                  cap: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """95% Korn–Graubard interval for shares `p` (0–1), as the NCHS reference macro computes it.

    Clopper–Pearson on n* = min(cap, n_eff · (t_{n−1} / t_df)²), where `cap` (default n) keeps
    the effective sample size from exceeding the answers behind the figure.
    """
    p, n_eff, df, n = (np.asarray(a, dtype=float) for a in (p, n_eff, df, n))
    cap = n if cap is None else np.asarray(cap, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        adjust = (t_quantile(np.maximum(n - 1, 1)) / t_quantile(df)) ** 2
    n_star = np.minimum(cap, n_eff * np.where(np.isfinite(adjust), adjust, 1.0))
    x = p * n_star
    alpha = 1 - LEVEL
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(x <= 0, 0.0, stats.beta.ppf(alpha / 2, np.maximum(x, 1e-12), np.maximum(n_star - x + 1, 1e-12)))
        high = np.where(x >= n_star, 1.0, stats.beta.ppf(1 - alpha / 2, x + 1, np.maximum(n_star - x, 1e-12)))
    return low, high


def pooled_design_effects(est: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Design effect and its degrees of freedom pooled over the units of each `group`.

    Units contribute when their own variance has at least one degree of freedom, their share is
    strictly between 0 and 1 and they have at least MIN_N respondents.
    """
    usable = est[(est["df"] >= 1) & (est["p"] > 0) & (est["p"] < 1) & (est["n"] >= MIN_N)].copy()
    usable["srs"] = usable["p"] * (1 - usable["p"]) / usable["n"]
    usable["v2"] = usable["var"] ** 2 / usable["df"]
    pooled = usable.groupby(group, observed=True).agg(var=("var", "sum"), srs=("srs", "sum"), v2=("v2", "sum"))
    out = pd.DataFrame({"deff_pool": pooled["var"] / pooled["srs"],
                        "df_pool": pooled["var"] ** 2 / pooled["v2"].where(pooled["v2"] > 0)})
    return out[(out["deff_pool"] > 0) & (out["df_pool"] > 0)]


def published_figures(est: pd.DataFrame) -> pd.DataFrame:
    """Contract columns (value, ci_low, ci_high, n, flag, se, df, n_eff, ci_method) from `estimate` rows.

    Pooling is over all rows of `est` with the same year, service and indicator, so call it with
    one level (and one boundary set) at a time.
    """
    est = est.copy()
    group = ["year", "service", "indicator"]
    est = est.join(pooled_design_effects(est, group), on=group)
    p, var, n, k = est["p"].to_numpy(), est["var"].to_numpy(), est["n"].to_numpy(dtype=float), est["k"].to_numpy(dtype=float)
    cap = n * k  # an index averages k answers per respondent; a criterion's n_eff never exceeds n
    direct = est["df"].to_numpy() >= MIN_DF
    with np.errstate(invalid="ignore", divide="ignore"):
        # a zero variance (p at 0 or 1, or identical PSUs) is forced, not measured: n_eff = n (NCHS)
        raw_direct = np.where(var > 0, p * (1 - p) / var, cap)
        raw_pooled = n / est["deff_pool"].to_numpy()
        se_pooled = np.sqrt(est["deff_pool"].to_numpy() * p * (1 - p) / n)
    raw = np.where(direct, raw_direct, raw_pooled)
    n_eff = np.minimum(cap, raw)
    df = np.where(direct, est["df"].to_numpy(), est["df_pool"].to_numpy())
    se = np.where(direct, np.sqrt(var), se_pooled)
    has_ci = np.isfinite(n_eff) & np.isfinite(df) & (df > 0) & (n_eff > 0)
    low, high = korn_graubard(p, np.where(has_ci, raw, 1), np.where(has_ci, df, 1), n, cap)
    out = est[["year", "unit_code", "service", "indicator"]].copy()
    out["value"] = np.round(100 * p, 2)
    # Outward rounding keeps the value inside the interval and never closes it.
    out["ci_low"] = np.where(has_ci, np.floor(np.round(1e4 * low, 6)) / 100, np.nan)
    out["ci_high"] = np.where(has_ci, np.ceil(np.round(1e4 * high, 6)) / 100, np.nan)
    out["n"] = est["n"].round().astype("int64")
    out["se"] = np.where(has_ci, np.round(100 * se, 3), np.nan)
    out["df"] = np.where(has_ci, np.round(df, 1), np.nan)
    out["n_eff"] = np.where(has_ci, np.round(n_eff, 1), np.nan)
    out["ci_method"] = np.where(has_ci, np.where(direct, "design", "pooled"), None)
    small = (out["n"] < LOW_N) | (out["n_eff"] < LOW_N_EFF)
    out["flag"] = np.where(out["n"] < MIN_N, "suppressed", np.where(small, "low_n", None))
    suppressed = out["flag"] == "suppressed"
    out.loc[suppressed, ["value", "ci_low", "ci_high", "se", "df", "n_eff"]] = np.nan
    out.loc[suppressed, "ci_method"] = None
    return out.reset_index(drop=True)

