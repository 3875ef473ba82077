"""The statistics a leader relies on: intervals that cover, ranks, changes, harmonisation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.stats.changes import year_over_year
from dashboard.stats.harmonise import harmonise_to_vn34
from dashboard.stats.ranks import rank_with_uncertainty, replicate_factors
from dashboard.stats.satisfaction import Z95, estimate, respondent_items


def clustered_sample(rng, truth: float, strata: int = 30, psus: int = 2, size: int = 40) -> pd.DataFrame:
    """Clusters with shares ~ Beta around `truth` (so the population share is exactly `truth`)."""
    concentration = 12.0
    shares = rng.beta(truth * concentration, (1 - truth) * concentration, size=(strata, psus))
    satisfied = rng.random((strata, psus, size)) < shares[:, :, None]
    h, c, i = np.indices(satisfied.shape)
    return pd.DataFrame({
        "respondent_id": [f"{a}-{b}-{d}" for a, b, d in zip(h.ravel(), c.ravel(), i.ravel())],
        "year": 2024, "national": "VN", "stratum": h.ravel(), "psu": h.ravel() * 10 + c.ravel(),
        "service": "health", "question_id": "access",
        "answer": np.where(satisfied.ravel(), 5.0, 2.0),
    })


def test_intervals_cover_the_truth_about_95_percent():
    rng = np.random.default_rng(2026)
    truth, draws, covered, estimates = 0.70, 200, 0, []
    for _ in range(draws):
        row = estimate(respondent_items(clustered_sample(rng, truth)), "national").iloc[0]
        estimates.append(row["value"])
        covered += row["ci_low"] <= 100 * truth <= row["ci_high"]
    coverage = covered / draws
    # Normal intervals with 30 strata of 2 clusters: slightly under 95 % is expected; the
    # simulation's own error is about 1.6 points (bench/coverage.py runs 1,000 draws).
    assert 0.90 <= coverage <= 0.985, coverage
    assert abs(np.mean(estimates) - 100 * truth) < 0.5


def test_interval_width_reflects_clustering():
    rng = np.random.default_rng(5)
    clustered = estimate(respondent_items(clustered_sample(rng, 0.7)), "national").iloc[0]
    frame = clustered_sample(rng, 0.7)
    frame["psu"] = np.arange(len(frame))  # the same answers as if every respondent were a cluster
    simple = estimate(respondent_items(frame), "national").iloc[0]
    assert clustered["ci_high"] - clustered["ci_low"] > 1.5 * (simple["ci_high"] - simple["ci_low"])


def test_linearised_se_matches_samplics():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam
    rng = np.random.default_rng(11)
    items = respondent_items(clustered_sample(rng, 0.6, strata=8, psus=3, size=15))
    items["w"] = rng.uniform(1, 3, len(items))
    ours = estimate(items, "national").iloc[0]
    est = TaylorEstimator(PopParam.ratio)
    est.estimate(y=items["y"].to_numpy(), x=items["m"].to_numpy(), samp_weight=items["w"].to_numpy(),
                 stratum=items["stratum"].to_numpy(), psu=items["psu"].to_numpy())
    assert ours["value"] == pytest.approx(100 * est.point_est, abs=0.006)
    assert (ours["ci_high"] - ours["ci_low"]) / (2 * Z95) == pytest.approx(100 * est.stderror, abs=0.01)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 5), st.floats(0.5, 5.0)), min_size=8, max_size=80))
def test_province_lies_within_its_districts(rows):
    frame = pd.DataFrame(rows, columns=["district", "answer", "weight"])
    frame["respondent_id"] = [f"r{i}" for i in range(len(frame))]
    frame = frame.assign(year=2024, province="10", stratum=frame["district"], psu=frame["district"],
                         service="admin", question_id="access", answer=frame["answer"].astype(float))
    items = respondent_items(frame.drop(columns=["district"]).assign(district=frame["district"]))
    province = estimate(items, "province").iloc[0]["value"]
    districts = estimate(items, "district")
    if province != province:  # suppressed: nothing to compare
        return
    raw = items.groupby("district").apply(lambda g: 100 * (g["w"] * g["y"]).sum() / g["w"].sum(), include_groups=False)
    assert raw.min() - 0.01 <= province <= raw.max() + 0.01
    assert set(districts["unit_code"].astype(int)) == set(frame["district"])


def test_rank_intervals_and_tie_groups():
    values = pd.Series([90.0, 89.9, 80.0, 60.0], index=["A", "B", "C", "D"])
    rng = np.random.default_rng(0)
    # A and B swap places across replicates; C and D are clearly apart.
    reps = np.vstack([90 + rng.normal(0, 1, 500), 90 + rng.normal(0, 1, 500),
                      80 + rng.normal(0, 0.5, 500), 60 + rng.normal(0, 0.5, 500)])
    ranked = rank_with_uncertainty(values, reps).set_index("unit_code")
    assert ranked.loc["A", "rank"] == 1 and ranked.loc["B", "rank"] == 2
    assert (ranked.loc["A", "rank_low"], ranked.loc["A", "rank_high"]) == (1, 2)
    assert ranked.loc["A", "tie_group"] == ranked.loc["B", "tie_group"] == 1
    assert ranked.loc["C", ["rank", "rank_low", "rank_high", "tie_group"]].tolist() == [3, 3, 3, 2]
    assert ranked.loc["D", "tie_group"] == 3


def test_missing_units_are_not_ranked():
    values = pd.Series([90.0, np.nan, 70.0], index=["A", "B", "C"])
    ranked = rank_with_uncertainty(values, np.array([[90.0] * 3, [80.0] * 3, [70.0] * 3]))
    assert ranked["unit_code"].tolist() == ["A", "C"] and ranked["rank"].tolist() == [1, 2]


def test_bootstrap_factors_keep_the_stratum_total():
    psus = pd.DataFrame({"stratum": ["a", "a", "b", "b", "b", "c"], "psu": [1, 2, 3, 4, 5, 6]})
    f = replicate_factors(psus, 50, np.random.default_rng(1))
    assert np.allclose(f[:2].sum(axis=0), 2) and np.allclose(f[2:5].sum(axis=0), 3)
    assert np.allclose(f[5], 1)  # a stratum with one PSU keeps its weight


def _figures(rows):
    return pd.DataFrame(rows, columns=["year", "geo_version", "level", "unit_code", "service", "indicator", "value",
                                       "ci_low", "ci_high", "n", "source_id"])


def test_change_and_significance():
    se1, se2 = 1.0, 2.0
    figures = _figures([
        (2023, "vn63", "province", "10", "health", "index", 70.0, 70 - Z95 * se1, 70 + Z95 * se1, 500, "s"),
        (2024, "vn63", "province", "10", "health", "index", 76.0, 76 - Z95 * se2, 76 + Z95 * se2, 500, "s"),
        (2021, "vn63", "national", "VN", "admin", "index", 87.16, 86.0, 88.0, 1, "s"),
        (2022, "vn63", "national", "VN", "admin", "index", 80.08, 79.0, 81.0, 1, "s"),
    ])
    changes = year_over_year(figures, breaks={("admin", 2022)})
    assert len(changes) == 1  # none across the SIPAS method break
    row = changes.iloc[0]
    half = Z95 * np.sqrt(se1 ** 2 + se2 ** 2)
    assert row["change"] == 6.0 and row["ci_low"] == pytest.approx(6 - half, abs=0.01)
    assert bool(row["significant"]) is True


def test_harmonised_is_respondent_weighted_and_needs_every_part():
    crosswalk = pd.DataFrame({"level": "province", "vn63_code": ["10", "15", "12"], "vn34_code": ["15", "15", "12"]})
    figures = _figures([
        (2024, "vn63", "province", "10", "water", "index", 80.0, 78.0, 82.0, 300, "s"),
        (2024, "vn63", "province", "15", "water", "index", 60.0, 58.0, 62.0, 100, "s"),
        (2023, "vn63", "province", "10", "water", "index", 80.0, 78.0, 82.0, 300, "s"),  # 15 missing in 2023
        (2024, "vn63", "province", "12", "water", "index", 70.0, 68.0, 72.0, 200, "s"),
    ])
    out = harmonise_to_vn34(figures, crosswalk).set_index(["year", "unit_code"])
    assert out.loc[(2024, "15"), "value"] == pytest.approx(75.0)  # (3 * 80 + 1 * 60) / 4
    assert out.loc[(2024, "15"), "n"] == 400
    assert (2023, "15") not in out.index
    assert out.loc[(2024, "12"), "value"] == 70.0
