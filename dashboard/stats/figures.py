"""Answers -> every published figure of a release, at every level of the geography."""
from __future__ import annotations

import pandas as pd

from dashboard.stats.satisfaction import estimate, respondent_items


def figures_from_answers(answers: pd.DataFrame, source_id: str, national: bool = True) -> pd.DataFrame:
    """Every published figure (national, province, district) with intervals, in contract columns.

    `answers` follows the answers schema plus `geo_version`. Before the 2025 reform the design's
    strata are districts; after it (no districts) the provinces. Communes are the clusters.
    `national=False` leaves out the national figure (a survey of some provinces is not national).
    """
    out = []
    for geo_version, part in answers.groupby("geo_version", sort=True):
        part = part.copy()
        part["national"] = "VN"
        has_districts = part["district_code"].notna().all()
        part["stratum"] = part["district_code"] if has_districts else part["province_code"]
        part["psu"] = part["commune_code"]
        drop = ["geo_version"] + ([] if has_districts else ["district_code"])
        items = respondent_items(part.drop(columns=drop))
        levels = ([("national", "national", None)] if national else []) + [("province", "province_code", "VN")]
        if has_districts:
            levels.append(("district", "district_code", "province_code"))
        for level, column, parent in levels:
            figures = estimate(items, column)
            figures["level"] = level
            figures["geo_version"] = geo_version
            if parent == "province_code":
                parents = part.drop_duplicates("district_code").set_index("district_code")["province_code"]
                figures["parent_code"] = figures["unit_code"].map(parents)
            else:
                figures["parent_code"] = parent
            out.append(figures)
    results = pd.concat(out, ignore_index=True)
    results["source_id"] = source_id
    return results
