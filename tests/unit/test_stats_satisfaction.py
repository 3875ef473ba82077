"""The estimator: hand-computed variance and df, domains, the index rule, intervals that never collapse."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.release.contract import LOW_N, MIN_N
from dashboard.stats.intervals import korn_graubard, published_figures
from dashboard.stats.satisfaction import design_frame, estimate, respondent_items


def answers_from(design: dict[tuple[str, str], list[float]], repeat: int = 1, question: str = "access",
                 service: str = "admin") -> pd.DataFrame:
    """design: (stratum, psu) -> answers on the 1–5 scale; each answer is one respondent."""
    rows = []
    for (stratum, psu), answers in design.items():
        for r in range(repeat):
            for i, a in enumerate(answers):
                rows.append({"respondent_id": f"{psu}-{r}-{i}", "year": 2024, "national": "VN", "stratum": stratum,
                             "psu": psu, "service": service, "question_id": question, "answer": a})
    return pd.DataFrame(rows)


def test_hand_computed_share_variance_and_degrees_of_freedom():
    # Satisfied = 4 or 5. PSU shares: a1 1/2, a2 2/2, b1 0/2, b2 1/2 -> p = 0.5.
    design = {("A", "a1"): [5, 2], ("A", "a2"): [4, 4], ("B", "b1"): [1, 3], ("B", "b2"): [5, 3]}
    row = estimate(respondent_items(answers_from(design, repeat=3)), "national").iloc[0]
    # Linearised PSU totals u = sum w(y - p)/sum w: a1 0, a2 +1/8, b1 -1/8, b2 0. Each stratum:
    # n/(n-1) * sum of squared deviations from its mean = 2 * 2 * (1/16)^2. Duplicating respondents
    # within a PSU leaves the totals unchanged: the variance is between clusters.
    assert row["p"] == 0.5 and row["n"] == 24
    assert row["var"] == pytest.approx(2 * 2 * 2 * (1 / 16) ** 2)
    assert row["df"] == 2  # 4 PSUs - 2 strata


def test_missing_answers_are_not_counted():
    design = {("A", "a1"): [5, np.nan, 1, 4], ("A", "a2"): [5, 5, np.nan, 1]}
    row = estimate(respondent_items(answers_from(design, repeat=5)), "national").iloc[0]
    assert row["n"] == 30
    assert row["p"] == pytest.approx(4 / 6)


def test_weights_change_the_share():
    frame = answers_from({("A", "a1"): [5, 5], ("A", "a2"): [1, 1]}, repeat=10)
    frame["weight"] = np.where(frame["psu"] == "a1", 3.0, 1.0)
    assert estimate(respondent_items(frame), "national").iloc[0]["p"] == pytest.approx(0.75)


def test_index_is_the_mean_of_its_criteria_with_their_covariance():
    a = answers_from({("A", "a1"): [5, 5, 5, 1], ("A", "a2"): [5, 5, 1, 1]}, repeat=10, question="access")
    b = answers_from({("A", "a1"): [5, 5, 1, 1], ("A", "a2"): [5, 1, 1, 1]}, repeat=10, question="procedures")
    out = estimate(respondent_items(pd.concat([a, b])), "national").set_index("indicator")
    assert out.loc["access", "p"] == pytest.approx(0.625) and out.loc["procedures", "p"] == pytest.approx(0.375)
    assert out.loc["index", "p"] == pytest.approx(0.5) and out.loc["index", "k"] == 2
    # PSU index scores 0.625 and 0.375: linearised totals ±1/16 -> var = 2 * 2 * (1/16)^2.
    assert out.loc["index", "var"] == pytest.approx(2 * 2 * (1 / 16) ** 2)
    assert out.loc["index", "n"] == 80


def test_no_index_when_a_criterion_has_no_figure():
    # Review A4: 'procedures' answered only "don't know" used to give an index equal to access with
    # half of access's standard error. Now the index is simply not published.
    a = answers_from({("A", "a1"): [5, 5, 5, 1], ("A", "a2"): [5, 5, 1, 1]}, repeat=10, question="access")
    b = answers_from({("A", "a1"): [np.nan] * 4, ("A", "a2"): [np.nan] * 4}, repeat=10, question="procedures")
    out = estimate(respondent_items(pd.concat([a, b])), "national")
    assert set(out["indicator"]) == {"access"}


def test_no_index_when_a_criterion_is_too_small_to_publish():
    a = answers_from({("A", "a1"): [5, 1] * 20, ("A", "a2"): [5, 1] * 20}, question="access")
    b = answers_from({("A", "a1"): [5] * (MIN_N // 2 - 1), ("A", "a2"): [1] * (MIN_N // 2 - 1)}, question="procedures")
    out = estimate(respondent_items(pd.concat([a, b])), "national")
    assert "index" not in set(out["indicator"])


def test_sampled_psus_without_respondents_stay_in_the_variance():
    # Review A4: a rare criterion. Stratum A's PSU a2 has nobody who used it; dropping a2 would
    # leave a one-PSU stratum with no variance.
    users = answers_from({("A", "a1"): [5, 1, 5], ("B", "b1"): [5, 5, 1], ("B", "b2"): [1, 1, 5]}, question="feedback")
    everyone = answers_from({("A", "a1"): [5] * 5, ("A", "a2"): [5] * 5, ("B", "b1"): [5] * 5, ("B", "b2"): [5] * 5})
    items = respondent_items(pd.concat([users, everyone]))
    alone = estimate(respondent_items(users), "national").set_index("indicator").loc["feedback"]
    full = estimate(items, "national").set_index("indicator").loc["feedback"]
    assert full["p"] == alone["p"]
    assert full["var"] > alone["var"]  # a1's deviation from a zero total in a2 now counts
    assert full["df"] == 1  # PSUs holding feedback respondents (a1, b1, b2) minus their strata (A, B)
    assert design_frame(items).set_index("stratum").loc["A", "n_h"] == 2


def test_flags_for_small_samples():
    est = pd.DataFrame({"year": 2024, "unit_code": ["a", "b", "c"], "service": "admin", "indicator": "access",
                        "p": 0.5, "var": [0.0025, 0.0025, 0.0002], "df": 30.0,
                        "n": [MIN_N - 1, LOW_N - 1, 2 * LOW_N], "k": 1})
    out = published_figures(est).set_index("unit_code")
    assert out.loc["a", "flag"] == "suppressed" and pd.isna(out.loc["a", "value"]) and pd.isna(out.loc["a", "ci_low"])
    assert out.loc["b", "flag"] == "low_n" and out.loc["b", "value"] == 50.0
    assert pd.isna(out.loc["c", "flag"]) and out.loc["c", "ci_method"] == "design"


def test_a_share_of_100_percent_gets_an_interval_with_width():
    # Review A3: p = 1 from 46 people used to be published as 100 [100-100].
    low, high = korn_graubard(np.array([1.0]), np.array([46.0]), np.array([1e6]), np.array([46.0]))
    assert high[0] == 1.0 and low[0] == pytest.approx(0.025 ** (1 / 46), abs=1e-9)  # Clopper-Pearson: 92.3%
    assert round(100 * low[0], 1) == 92.3
    low0, high0 = korn_graubard(np.array([0.0]), np.array([46.0]), np.array([1e6]), np.array([46.0]))
    assert low0[0] == 0.0 and 0 < high0[0] < 0.1


def test_published_intervals_never_collapse_and_stay_in_the_scale():
    est = pd.DataFrame({"year": 2024, "unit_code": list("abcd"), "service": "admin", "indicator": "access",
                        "p": [1.0, 0.0, 0.5, 0.9999], "var": [0.0, 0.0, 0.0, 1e-9], "df": 40.0, "n": 60, "k": 1})
    out = published_figures(est)
    assert (out["ci_high"] > out["ci_low"]).all()
    assert ((out["ci_low"] >= 0) & (out["ci_high"] <= 100)).all()
    assert ((out["ci_low"] <= out["value"]) & (out["value"] <= out["ci_high"])).all()
    assert (out["n_eff"] == 60).all()  # a forced zero variance counts as a simple random sample (NCHS)


def test_few_degrees_of_freedom_use_the_pooled_design_effect():
    rng = np.random.default_rng(4)
    n = np.full(40, 80.0)
    p = rng.uniform(0.6, 0.9, 40)
    var = 1.5 * p * (1 - p) / n * rng.chisquare(1, 40)  # design effect 1.5, one df each
    est = pd.DataFrame({"year": 2024, "unit_code": [f"{i:03d}" for i in range(40)], "service": "admin",
                        "indicator": "access", "p": p, "var": var, "df": 1.0, "n": n, "k": 1})
    out = published_figures(est)
    assert (out["ci_method"] == "pooled").all()
    deff = var.sum() / (p * (1 - p) / n).sum()
    assert out["n_eff"].to_numpy() == pytest.approx(np.round(n / deff, 1))
    assert out["df"].iloc[0] == pytest.approx(round(var.sum() ** 2 / (var ** 2).sum(), 1))
    assert out["df"].iloc[0] > 8


def test_domain_estimate_matches_svy():
    """A maintained survey library (svy, validated against R's survey) agrees on a rare domain."""
    import polars
    import svy
    rng = np.random.default_rng(3)
    rows = [{"province": f"P{p}", "stratum": f"P{p}D{d}", "psu": f"P{p}D{d}C{c}", "respondent_id": f"{p}{d}{c}{i}",
             "weight": rng.uniform(1, 3)} for p in range(2) for d in range(6) for c in range(3) for i in range(25)]
    frame = pd.DataFrame(rows)
    frame["user"] = rng.random(len(frame)) < 0.3
    frame["sat"] = np.where(frame["user"], (rng.random(len(frame)) < 0.7).astype(float), np.nan)
    sample = svy.Sample(polars.from_pandas(frame), svy.Design(stratum="stratum", psu="psu", wgt="weight"))
    ref = sample.estimation.prop("sat", by="province", drop_nulls=True, ci_method="korn-graubard").to_polars().to_pandas()
    ref = ref[ref["sat"] == 1.0].set_index("province")

    base = frame.assign(year=2024, service="admin")
    asked = base[base["user"]].assign(question_id="feedback", answer=np.where(base.loc[base["user"], "sat"] == 1, 5.0, 2.0))
    other = base.assign(question_id="access", answer=4.0)  # everyone answered something: the whole sample
    items = respondent_items(pd.concat([asked, other]).drop(columns=["user", "sat"]))
    est = estimate(items, "province")
    ours = published_figures(est[est["indicator"] == "feedback"].reset_index(drop=True)).set_index("unit_code")
    for province in ("P0", "P1"):
        assert ours.loc[province, "value"] == pytest.approx(100 * ref.loc[province, "est"], abs=0.006)
        assert ours.loc[province, "se"] == pytest.approx(100 * ref.loc[province, "se"], abs=1e-3)
        assert ours.loc[province, "df"] == ref.loc[province, "df"]
        assert ours.loc[province, "ci_low"] == pytest.approx(100 * ref.loc[province, "lci"], abs=0.011)
        assert ours.loc[province, "ci_high"] == pytest.approx(100 * ref.loc[province, "uci"], abs=0.011)
        assert math.isclose(ours.loc[province, "n"], ref.loc[province, "n"])
