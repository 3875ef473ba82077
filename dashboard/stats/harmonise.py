"""Published pre-reform province figures re-aggregated to the 34 provinces, by population.

Where the answers exist, harmonised figures are estimated directly from them
(`dashboard.stats.release_tables`: each old province's answers in its new province, the same design).
This module is for releases made of *published* figures only: a new province's figure is the
mean of its old provinces' figures weighted by their adult population (GSO), and only when
every old province has a figure that year. Respondent counts are never used as weights: a
survey's allocation (about the same sample in every province) says nothing about how many
people a province has. Published figures come without sampling variance, so harmonised ones
have no interval either.
"""
from __future__ import annotations

import pandas as pd


def harmonise_published(results: pd.DataFrame, crosswalk: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Harmonised vn34 province rows (results schema) from published vn63 province figures.

    `population` has `unit_code` (vn63 province), `year` and `adults` (GSO); a year without a
    population figure for every part of a new province is left out for that province.
    """
    provinces = results[(results["geo_version"] == "vn63") & (results["level"] == "province")].dropna(subset=["value"])
    mapping = crosswalk.loc[crosswalk["level"] == "province"].set_index("vn63_code")["vn34_code"]
    parts_needed = mapping.groupby(mapping).size()
    frame = provinces.assign(vn34=provinces["unit_code"].map(mapping)).merge(
        population[["unit_code", "year", "adults"]], on=["unit_code", "year"], how="inner")
    frame["weighted"] = frame["adults"] * frame["value"]
    keys = ["year", "vn34", "service", "indicator"]
    out = frame.groupby(keys, observed=True).agg(weighted=("weighted", "sum"), adults=("adults", "sum"),
                                                 parts=("unit_code", "nunique"), source_id=("source_id", "first")).reset_index()
    out = out[out["parts"] == out["vn34"].map(parts_needed)]
    return pd.DataFrame({
        "year": out["year"], "geo_version": "vn34", "level": "province", "unit_code": out["vn34"],
        "service": out["service"], "indicator": out["indicator"], "value": (out["weighted"] / out["adults"]).round(2),
        "ci_low": None, "ci_high": None, "n": None, "flag": None, "source_id": out["source_id"],
    }).sort_values(["year", "unit_code", "service", "indicator"], ignore_index=True)
