"""The estimator: a hand-computed example, the index, flags and weights."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.stats.satisfaction import LOW_N, MIN_N, Z95, estimate, respondent_items


def answers_from(design: dict[tuple[str, str], list[int]], repeat: int = 1, question: str = "access",
                 service: str = "admin") -> pd.DataFrame:
    """design: (stratum, psu) -> answers on the 1–5 scale; each answer is one respondent."""
    rows = []
    for (stratum, psu), answers in design.items():
        for r in range(repeat):
            for i, a in enumerate(answers):
                rows.append({"respondent_id": f"{psu}-{r}-{i}", "year": 2024, "national": "VN", "stratum": stratum,
                             "psu": psu, "service": service, "question_id": question, "answer": a})
    return pd.DataFrame(rows)


def test_hand_computed_share_and_interval():
    # Satisfied = 4 or 5. PSU shares: a1 1/2, a2 2/2, b1 0/2, b2 1/2 -> p = 0.5.
    design = {("A", "a1"): [5, 2], ("A", "a2"): [4, 4], ("B", "b1"): [1, 3], ("B", "b2"): [5, 3]}
    out = estimate(respondent_items(answers_from(design, repeat=3)), "national")
    row = out[out["indicator"] == "access"].iloc[0]
    # Linearised PSU totals u = sum w(y - p)/sum w: a1 0, a2 +1/8, b1 -1/8, b2 0. Each stratum:
    # n/(n-1) * sum of squared deviations from its mean = 2 * 2 * (1/16)^2. Duplicating respondents
    # within a PSU leaves the totals unchanged: the variance is between clusters.
    se = math.sqrt(2 * 2 * 2 * (1 / 16) ** 2)
    assert row["value"] == 50.0
    assert row["ci_low"] == pytest.approx(round(100 * (0.5 - Z95 * se), 2))
    assert row["ci_high"] == pytest.approx(round(100 * (0.5 + Z95 * se), 2))
    assert row["n"] == 24 and row["flag"] == "low_n"


def test_missing_answers_are_not_counted():
    design = {("A", "a1"): [5, np.nan, 1, 4], ("A", "a2"): [5, 5, np.nan, 1]}
    row = estimate(respondent_items(answers_from(design, repeat=5)), "national").iloc[0]
    assert row["n"] == 30
    assert row["value"] == pytest.approx(100 * 4 / 6, abs=0.01)


def test_weights_change_the_share():
    frame = answers_from({("A", "a1"): [5, 5], ("A", "a2"): [1, 1]}, repeat=10)
    frame["weight"] = np.where(frame["psu"] == "a1", 3.0, 1.0)
    row = estimate(respondent_items(frame), "national").iloc[0]
    assert row["value"] == pytest.approx(75.0)


def test_index_is_mean_of_criteria():
    a = answers_from({("A", "a1"): [5, 5, 5, 1], ("A", "a2"): [5, 5, 1, 1]}, repeat=10, question="access")
    b = answers_from({("A", "a1"): [5, 5, 1, 1], ("A", "a2"): [5, 1, 1, 1]}, repeat=10, question="procedures")
    out = estimate(respondent_items(pd.concat([a, b])), "national").set_index("indicator")
    assert out.loc["access", "value"] == pytest.approx(62.5)
    assert out.loc["procedures", "value"] == pytest.approx(37.5)
    assert out.loc["index", "value"] == pytest.approx(50.0)
    # PSU index scores 0.625 and 0.375: linearised totals +-1/16 -> se = sqrt(2 * 2 * (1/16)^2) = 0.125.
    assert out.loc["index", "ci_low"] == pytest.approx(round(100 * (0.5 - Z95 * 0.125), 2))
    assert out.loc["index", "n"] == 80


def test_small_samples_are_flagged_and_suppressed():
    tiny = estimate(respondent_items(answers_from({("A", "a1"): [5] * (MIN_N - 1)})), "national").iloc[0]
    assert tiny["flag"] == "suppressed" and pd.isna(tiny["value"]) and pd.isna(tiny["ci_low"])
    small = estimate(respondent_items(answers_from({("A", "a1"): [5, 1] * (LOW_N // 2 - 1)})), "national").iloc[0]
    assert small["flag"] == "low_n" and small["value"] == 50.0
    big = estimate(respondent_items(answers_from({("A", "a1"): [5, 1] * LOW_N})), "national").iloc[0]
    assert big["flag"] is None


def test_interval_is_clipped_to_scale():
    row = estimate(respondent_items(answers_from({("A", "a1"): [5] * 30, ("A", "a2"): [5] * 29 + [1]})), "national").iloc[0]
    assert 0 <= row["ci_low"] <= row["value"] <= row["ci_high"] <= 100
