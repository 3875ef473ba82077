"""Comparisons a leader relies on: changes, ranks, gaps, harmonisation, and a known-truth simulation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bench.honesty import simulate
from bench.known_truth import Population
from dashboard.release.contract import method_breaks
from dashboard.stats.changes import year_over_year
from dashboard.stats.comparisons import benjamini_hochberg, comparison_variance
from dashboard.stats.gaps import gaps_to_country
from dashboard.stats.harmonise import harmonise_published
from dashboard.stats.ranks import holm, rank_arrays, ranks_table


def _figures(rows):
    return pd.DataFrame(rows, columns=["year", "geo_version", "level", "unit_code", "service", "indicator", "value",
                                       "n_eff", "df"])


def test_comparison_variance_is_the_design_variance_inside_and_positive_at_the_ends():
    assert comparison_variance(np.array([50.0]), np.array([98.0]))[0] == pytest.approx(1e4 * 0.25 / 100)
    assert comparison_variance(np.array([100.0]), np.array([46.0]))[0] > 0


def test_change_uses_t_with_satterthwaite_df_and_never_crosses_a_break():
    figures = _figures([
        (2023, "vn63", "province", "10", "health", "index", 70.0, 400.0, 10.0),
        (2024, "vn63", "province", "10", "health", "index", 76.0, 300.0, 20.0),
        (2021, "vn63", "national", "VN", "admin", "index", 87.16, 5000.0, 600.0),
        (2022, "vn63", "national", "VN", "admin", "index", 80.08, 5000.0, 600.0),
    ])
    changes = year_over_year(figures, breaks={("admin", 2022)})
    assert len(changes) == 1
    row = changes.iloc[0]
    v1 = comparison_variance(np.array([70.0]), np.array([400.0]))[0]
    v2 = comparison_variance(np.array([76.0]), np.array([300.0]))[0]
    df = (v1 + v2) ** 2 / (v1 ** 2 / 10 + v2 ** 2 / 20)
    se = np.sqrt(v1 + v2)
    assert row["change"] == 6.0 and row["df"] == pytest.approx(df, abs=0.05)
    assert row["ci_low"] == pytest.approx(6 - stats.t.ppf(0.975, df) * se, abs=0.006)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(6 / se, df), rel=2e-3)  # 3 significant digits
    assert bool(row["significant"]) == bool(row["p_value"] < 0.05)
    assert row["family"] == "2024/vn63/province/health" and row["q_value"] == row["p_value"]  # a family of one


def test_published_figures_without_an_effective_sample_size_get_a_change_but_no_test():
    figures = pd.DataFrame({"year": [2023, 2024], "geo_version": "vn63", "level": "national", "unit_code": "VN",
                            "service": "admin", "indicator": "index", "value": [82.66, 83.94]})
    row = year_over_year(figures).iloc[0]
    assert row["change"] == 1.28 and pd.isna(row["significant"]) and pd.isna(row["ci_low"])


def test_method_breaks_come_from_the_release_notes():
    notes = [{"kind": "method_break", "year": 2022, "service": "admin"}, {"kind": "caveat", "year": 2023},
             {"kind": "method_break", "year": 2025, "geo_version": "vn34"}]
    breaks = method_breaks(notes)
    assert ("admin", 2022) in breaks and ("water", 2025) in breaks and ("water", 2022) not in breaks


def test_benjamini_hochberg_against_hand_computed_values():
    p = np.array([0.01, 0.04, 0.03, 0.005, np.nan])
    # sorted 0.005, 0.01, 0.03, 0.04 -> 0.005*4/1=0.02, 0.01*4/2=0.02, 0.03*4/3=0.04, 0.04*4/4=0.04
    assert benjamini_hochberg(p)[:4] == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert np.isnan(benjamini_hochberg(p)[4])


def test_holm_steps_down_within_each_family():
    rejected = holm(np.array([[0.01, 0.2], [0.03, 0.01], [np.inf, 0.04]]))
    assert rejected[:, 0].tolist() == [True, True, False]  # m = 2: 0.01 <= 0.025, 0.03 <= 0.05
    assert rejected[:, 1].tolist() == [False, True, False]  # m = 3: 0.01 <= 0.0167, 0.04 > 0.025 stops


def test_rank_intervals_and_the_joint_set_for_first_place():
    ranks = rank_arrays(np.array([90.0, 88.0, 80.0, 70.0, 50.0]), np.full(5, 4.0), np.full(5, 50.0))
    assert ranks["rank"].tolist() == [1, 2, 3, 4, 5]
    assert list(zip(ranks["rank_low"], ranks["rank_high"])) == [(1, 2), (1, 2), (3, 3), (4, 4), (5, 5)]
    assert ranks["top_set"].tolist() == [True, True, False, False, False]  # 90 and 88 cannot be told apart
    assert ranks["bottom_set"].tolist() == [False, False, False, False, True]


def test_ranks_table_ranks_within_each_parent_and_skips_units_without_intervals():
    figures = pd.DataFrame({
        "year": 2024, "geo_version": "vn63", "level": "district", "service": "admin", "indicator": "index",
        "parent_code": ["10", "10", "10", "11", "11"], "unit_code": ["080", "082", "083", "094", "095"],
        "value": [80.0, 70.0, 60.0, 75.0, np.nan], "n_eff": [100.0, 100.0, 100.0, 100.0, np.nan], "df": 200.0})
    out = ranks_table(figures).set_index("unit_code")
    assert set(out.index) == {"080", "082", "083"}  # province 11 has one unit with a figure: nothing to rank
    assert (out["rank_of"] == 3).all() and out.loc["080", "rank"] == 1


def test_gap_to_country_is_distinguishable_only_when_its_interval_excludes_zero():
    figures = pd.DataFrame({
        "year": 2024, "geo_version": "vn63", "service": "admin", "indicator": "index",
        "level": ["national", "province", "province"], "unit_code": ["VN", "10", "11"],
        "value": [80.0, 80.5, 90.0], "n_eff": [20000.0, 400.0, 400.0], "df": [600.0, 12.0, 12.0]})
    gaps = gaps_to_country(figures).set_index("unit_code")
    assert not gaps.loc["10", "significant"] and gaps.loc["10", "ci_low"] < 0 < gaps.loc["10", "ci_high"]
    assert gaps.loc["11", "significant"] and gaps.loc["11", "ci_low"] > 0


def test_published_figures_are_harmonised_by_population_and_need_every_part():
    crosswalk = pd.DataFrame({"level": "province", "vn63_code": ["10", "15", "12"], "vn34_code": ["15", "15", "12"]})
    results = pd.DataFrame({"year": [2024, 2024, 2023, 2024], "geo_version": "vn63", "level": "province",
                            "unit_code": ["10", "15", "10", "12"], "service": "water", "indicator": "index",
                            "value": [80.0, 60.0, 80.0, 70.0], "source_id": "s"})
    population = pd.DataFrame({"unit_code": ["10", "15", "12", "10"], "year": [2024, 2024, 2024, 2023],
                               "adults": [1.0e6, 3.0e6, 2.0e6, 1.0e6]})
    out = harmonise_published(results, crosswalk, population).set_index(["year", "unit_code"])
    assert out.loc[(2024, "15"), "value"] == pytest.approx(65.0)  # (1 * 80 + 3 * 60) / 4, not by respondents
    assert (2023, "15") not in out.index  # Yên Bái (15) has no 2023 figure
    assert out.loc[(2024, "12"), "value"] == 70.0


@pytest.fixture(scope="module")
def population():
    return Population(vn34_provinces=("08", "12", "15", "19"))


@pytest.mark.parametrize("design", ["seeds", "sipas"])
def test_claims_hold_against_a_known_truth(population, design):
    """A fast, seeded version of `python -m bench.honesty` (which runs 100 draws per design)."""
    summary = simulate(design, draws=12, seed=11, population=population).summary()
    levels = summary["levels"]
    for level in ("district", "province", "harmonised"):
        assert levels[level]["coverage"] >= 0.93, (level, levels[level])  # thousands of intervals
    assert levels["national"]["coverage"] >= 0.90, levels["national"]  # ~200 intervals: ±1.5 points of noise
    assert all(f["zero_width"] == 0 for f in levels.values())
    assert levels["district"]["median_width_n70_90"] <= 30
    for level in ("district", "province"):
        assert levels[level]["null_significant_share"] <= 0.07, (level, levels[level])
        assert levels[level]["rank_coverage"] >= 0.93, (level, levels[level])
    assert summary["fdr_discoveries_per_draw"] <= 1.0
