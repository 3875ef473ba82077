"""Each place against the country: the gap, its 95% interval and whether it is distinguishable.

Made at build time from published figures (`dashboard.stats.comparisons`). The place is part of
the country's sample, so the two figures are positively correlated; treating them as independent
overstates the gap's variance a little, which makes "distinguishable from the country" a
cautious statement.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.stats.comparisons import ALPHA, comparison_variance, difference_test, round_significant
from dashboard.stats.intervals import t_quantile

KEY = ["year", "geo_version", "service", "indicator"]


def gaps_to_country(results: pd.DataFrame) -> pd.DataFrame:
    """gaps.parquet rows: every sub-national figure with an interval against the national one."""
    figures = results.dropna(subset=["value", "n_eff", "df"])
    national = figures[figures["level"] == "national"][[*KEY, "value", "n_eff", "df"]]
    places = figures[figures["level"] != "national"].merge(national, on=KEY, suffixes=("", "_country"))
    if places.empty:
        return pd.DataFrame()
    gap = (places["value"] - places["value_country"]).to_numpy()
    se, df, p = difference_test(gap, comparison_variance(places["value"], places["n_eff"]), places["df"].to_numpy(float),
                                comparison_variance(places["value_country"], places["n_eff_country"]),
                                places["df_country"].to_numpy(float))
    half = t_quantile(df) * se
    p = round_significant(p)
    return pd.DataFrame({
        "year": places["year"].astype("int16"), "geo_version": places["geo_version"], "level": places["level"],
        "unit_code": places["unit_code"], "service": places["service"], "indicator": places["indicator"],
        "reference_code": "VN", "gap": np.round(gap, 2), "ci_low": np.round(gap - half, 2),
        "ci_high": np.round(gap + half, 2), "p_value": p, "significant": p < ALPHA,
    }).reset_index(drop=True)
