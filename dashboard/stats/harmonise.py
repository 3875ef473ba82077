"""Pre-reform province figures re-aggregated to the 34 provinces of July 2025 ("harmonised").

Provinces merged whole, so each vn34 province is a set of vn63 provinces. Its harmonised figure
is their respondent-weighted mean (weights n_i / sum n), with variance sum (n_i / N)^2 se_i^2
(independent samples). A vn34 province is harmonised only when every part has a figure with n
and an interval; otherwise it is left out rather than guessed. Always labelled as harmonised.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.stats.changes import standard_error
from dashboard.stats.satisfaction import Z95


def harmonise_to_vn34(results: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Harmonised vn34 province rows (results schema) for every pre-reform year."""
    provinces = results[(results["geo_version"] == "vn63") & (results["level"] == "province")].dropna(
        subset=["value", "n", "ci_low"])
    mapping = crosswalk.loc[crosswalk["level"] == "province"].set_index("vn63_code")["vn34_code"]
    parts_needed = mapping.groupby(mapping).size()
    frame = provinces.assign(vn34=provinces["unit_code"].map(mapping), se=standard_error(provinces),
                             n=provinces["n"].astype(float))
    keys = ["year", "vn34", "service", "indicator"]
    grouped = frame.groupby(keys, observed=True)
    total = grouped["n"].transform("sum")
    frame["share"] = frame["n"] / total
    frame["wv"] = frame["share"] * frame["value"]
    frame["wvar"] = (frame["share"] * frame["se"]) ** 2
    out = frame.groupby(keys, observed=True).agg(value=("wv", "sum"), var=("wvar", "sum"), n=("n", "sum"),
                                                 parts=("unit_code", "nunique"), source_id=("source_id", "first")).reset_index()
    out = out[out["parts"] == out["vn34"].map(parts_needed)]
    se = np.sqrt(out["var"])
    return pd.DataFrame({
        "year": out["year"], "geo_version": "vn34", "level": "province", "unit_code": out["vn34"],
        "service": out["service"], "indicator": out["indicator"], "value": out["value"].round(2),
        "ci_low": (out["value"] - Z95 * se).clip(0, 100).round(2), "ci_high": (out["value"] + Z95 * se).clip(0, 100).round(2),
        "n": out["n"].astype("int64"), "flag": None, "source_id": out["source_id"],
    }).sort_values(["year", "unit_code", "service", "indicator"], ignore_index=True)
