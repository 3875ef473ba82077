"""What two published figures can say about each other: the variance, df and p-value of a difference.

Every comparison the product publishes (a change since the year before, a gap to the country,
a place ranked above another) is made from the published columns `value`, `n_eff` and `df`, so
anyone can re-derive it from `results.parquet`. A figure's variance for comparisons is the
Agresti–Caffo form on its effective sample size, p̃(1 − p̃)/(n_eff + 2) with
p̃ = (p·n_eff + 1)/(n_eff + 2): the design variance p(1 − p)/n_eff away from the ends of the scale,
and still positive at 0 or 100 %, so a figure of 100 % never makes a comparison look certain.
The two figures are treated as independent samples (different places, or different years:
stated as an assumption; re-surveying the same communes would make it conservative), the
difference's degrees of freedom are Satterthwaite's, and the test is a two-sided t test.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

ALPHA = 0.05


def comparison_variance(value: np.ndarray, n_eff: np.ndarray) -> np.ndarray:
    """Variance (points²) of a published figure (0–100) for comparisons; NaN without n_eff."""
    value, n_eff = np.asarray(value, dtype=float), np.asarray(n_eff, dtype=float)
    p_tilde = (value / 100 * n_eff + 1) / (n_eff + 2)
    return 1e4 * p_tilde * (1 - p_tilde) / (n_eff + 2)


def satterthwaite(v1: np.ndarray, df1: np.ndarray, v2: np.ndarray, df2: np.ndarray) -> np.ndarray:
    """Degrees of freedom of v1 + v2 (Welch–Satterthwaite)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (v1 + v2) ** 2 / (v1 ** 2 / df1 + v2 ** 2 / df2)


def difference_test(diff: np.ndarray, v1: np.ndarray, df1: np.ndarray, v2: np.ndarray,
                    df2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standard error, degrees of freedom and two-sided p-value of a difference of two figures."""
    se = np.sqrt(v1 + v2)
    df = satterthwaite(v1, df1, v2, df2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 2 * stats.t.sf(np.abs(diff) / se, df)
    return se, df, np.where(se > 0, p, np.where(diff == 0, 1.0, 0.0))


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values) of one family of tests; NaN stays NaN."""
    p = np.asarray(p, dtype=float)
    q = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if len(ok) == 0:
        return q
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    adjusted = p[order] * m / np.arange(1, m + 1)
    q[order] = np.minimum(1.0, np.minimum.accumulate(adjusted[::-1])[::-1])
    return q


def round_significant(values: np.ndarray, digits: int = 3) -> np.ndarray:
    """p- and q-values to `digits` significant digits (what a reader can use; smaller files)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        exponent = np.floor(np.log10(np.abs(np.where(values > 0, values, 1.0))))
    factor = 10.0 ** (digits - 1 - exponent)
    return np.where(values > 0, np.round(values * factor) / factor, values)
