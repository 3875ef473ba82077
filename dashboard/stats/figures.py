"""Answers -> every published table of a release: figures, ranks, changes, harmonised figures."""
from __future__ import annotations

import pandas as pd

from dashboard.stats.changes import year_over_year
from dashboard.stats.harmonise import harmonise_to_vn34
from dashboard.stats.ranks import ranks_table
from dashboard.stats.satisfaction import estimate, respondent_items


def figures_from_answers(answers: pd.DataFrame, source_id: str, national: bool = True,
                         with_ranks: bool = False, seed: int = 0) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Every published figure (national, province, district) with intervals, in contract columns.

    `answers` follows the answers schema plus `geo_version`. Before the 2025 reform the design's
    strata are districts; after it (no districts) the provinces. Communes are the clusters.
    `national=False` leaves out the national figure (a survey of some provinces is not national).
    With `with_ranks`, also returns ranks (provinces in the country, districts in their province).
    """
    out, ranks = [], []
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
        parents = part.drop_duplicates("district_code").set_index("district_code")["province_code"] \
            if has_districts else None
        for level, column, parent in levels:
            figures = estimate(items, column)
            figures["level"] = level
            figures["geo_version"] = geo_version
            figures["parent_code"] = figures["unit_code"].map(parents) if parent == "province_code" else parent
            out.append(figures)
            if with_ranks and level != "national":
                ranks.append(ranks_table(figures, items, column, level, geo_version,
                                         parents if level == "district" else None, seed=seed))
    results = pd.concat(out, ignore_index=True)
    results["source_id"] = source_id
    if not with_ranks:
        return results
    return results, pd.concat(ranks, ignore_index=True) if ranks else pd.DataFrame()


def statistics_tables(answers: pd.DataFrame, source_id: str, crosswalk: pd.DataFrame, national: bool = True,
                      breaks: set[tuple[str, int]] = frozenset(), seed: int = 0) -> dict[str, pd.DataFrame]:
    """results, ranks, changes and harmonised tables for a release."""
    results, ranks = figures_from_answers(answers, source_id, national, with_ranks=True, seed=seed)
    tables = {"results": results, "ranks": ranks, "changes": year_over_year(results, breaks)}
    harmonised = harmonise_to_vn34(results, crosswalk)
    if len(harmonised):
        tables["harmonised"] = harmonised
    return tables
