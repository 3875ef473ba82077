"""Answers -> every published table of a release: figures, harmonised figures, changes, ranks, gaps.

The one entry point of the build's statistics (`python -m dashboard build` and the DEMO release
call it). The app never imports this package: it reads what the build published.
"""
from __future__ import annotations

import pandas as pd

from dashboard.release.contract import LOW_N, LOW_N_EFF, MIN_DF, MIN_N
from dashboard.stats.changes import year_over_year
from dashboard.stats.comparisons import ALPHA
from dashboard.stats.design import Design, district_design, with_design
from dashboard.stats.gaps import gaps_to_country
from dashboard.stats.intervals import published_figures
from dashboard.stats.ranks import ranks_table
from dashboard.stats.satisfaction import design_frame, estimate, respondent_items


def _level_figures(items: pd.DataFrame, column: str, strata: pd.DataFrame, level: str, geo_version: str,
                   parents: pd.Series | str | None) -> pd.DataFrame:
    figures = published_figures(estimate(items, column, strata))
    for name in ("unit_code", "service", "indicator"):
        figures[name] = figures[name].astype(str)
    figures["level"] = level
    figures["geo_version"] = geo_version
    if isinstance(parents, pd.Series):
        figures["parent_code"] = figures["unit_code"].map(parents)
    else:
        figures["parent_code"] = parents
    return figures


def _as_categories(part: pd.DataFrame) -> pd.DataFrame:
    """Text columns as categories: a million answers group many times faster by category codes."""
    text = ["respondent_id", "province_code", "district_code", "commune_code", "stratum", "psu", "service",
            "question_id", "national", "vn34_code"]
    return part.astype({c: "category" for c in text if c in part})


def _complete_merged_provinces(part: pd.DataFrame, mapping: pd.Series) -> pd.Series:
    """Rows whose 34-province unit had every one of its old provinces in that year's sample."""
    sampled = part[["year", "province_code"]].drop_duplicates()
    sampled["vn34_code"] = sampled["province_code"].map(mapping)
    needed = mapping.groupby(mapping).size().rename("needed")
    have = sampled.groupby(["year", "vn34_code"])["province_code"].nunique().rename("have").reset_index()
    have = have.join(needed, on="vn34_code")
    complete = pd.MultiIndex.from_frame(have.loc[have["have"] == have["needed"], ["year", "vn34_code"]])
    return pd.Series(pd.MultiIndex.from_arrays([part["year"], part["vn34_code"]]).isin(complete), index=part.index)


def figures_from_answers(answers: pd.DataFrame, source_id: str, national: bool = True,
                         crosswalk: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[Design]]:
    """Published figures (national, province, district), harmonised figures and the designs used.

    `answers` follows the answers schema plus `geo_version` (and optional stratum/psu/fpc).
    `national=False` leaves out the national figure (a survey of some provinces is not national).
    With a `crosswalk`, pre-reform answers are also estimated on the 34 provinces (each old
    province's answers in its new province, the same design), where every part was surveyed.
    """
    out, harmonised, designs = [], [], []
    for geo_version, part in answers.groupby("geo_version", sort=True):
        part, design = with_design(part)
        designs.append(design)
        part["national"] = "VN"
        if design.district_clusters is None:
            part = part.drop(columns=["district_code"], errors="ignore")
        if crosswalk is not None and geo_version == "vn63":
            mapping = crosswalk.loc[crosswalk["level"] == "province"].set_index("vn63_code")["vn34_code"]
            part["vn34_code"] = part["province_code"].map(mapping)
            part.loc[~_complete_merged_provinces(part, mapping), "vn34_code"] = None
        part = _as_categories(part)
        items = respondent_items(part)
        strata = design_frame(items)
        if national:
            out.append(_level_figures(items, "national", strata, "national", geo_version, None))
        out.append(_level_figures(items, "province_code", strata, "province", geo_version, "VN"))
        if "vn34_code" in items and items["vn34_code"].notna().any():
            merged = items[items["vn34_code"].notna()]
            harmonised.append(_level_figures(merged, "vn34_code", strata, "province", "vn34", "VN"))
        if design.district_clusters is not None:
            district_items = respondent_items(district_design(part, design.district_clusters))
            parents = part.drop_duplicates("district_code").set_index("district_code")["province_code"]
            out.append(_level_figures(district_items, "district_code", design_frame(district_items), "district",
                                      geo_version, parents))
    results = pd.concat(out, ignore_index=True)
    results["source_id"] = source_id
    harmonised_figures = pd.concat(harmonised, ignore_index=True) if harmonised else pd.DataFrame()
    if len(harmonised_figures):
        harmonised_figures["source_id"] = source_id
    return results, harmonised_figures, designs


def statistics_tables(answers: pd.DataFrame, source_id: str, crosswalk: pd.DataFrame | None = None,
                      national: bool = True, breaks: set[tuple[str, int]] = frozenset(),
                      ) -> tuple[dict[str, pd.DataFrame], list[Design]]:
    """results, harmonised, changes, ranks and gaps tables for a release (empty ones left out),
    and the designs the figures were estimated with."""
    results, harmonised, designs = figures_from_answers(answers, source_id, national, crosswalk)
    changes = [year_over_year(results, breaks)]
    if len(harmonised):
        changes.append(year_over_year(harmonised, breaks, harmonised=True))
    tables = {"results": results, "harmonised": harmonised, "changes": pd.concat(changes, ignore_index=True),
              "ranks": ranks_table(results), "gaps": gaps_to_country(results)}
    return {name: frame for name, frame in tables.items() if name == "results" or len(frame)}, designs


def survey_design(designs: list[Design], weighted: bool) -> dict:
    """The `survey_design` property of datapackage.json: designs used, weights, thresholds."""
    return {"weighted": bool(weighted), "designs": [d.to_json() for d in designs],
            "thresholds": {"min_n": MIN_N, "low_n": LOW_N, "low_n_eff": LOW_N_EFF, "min_df": MIN_DF,
                           "significance": ALPHA, "changes_family": "year/geo_version/level/service"}}
