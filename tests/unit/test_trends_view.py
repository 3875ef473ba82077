"""Trends across the 2025 reform: one boundary set at a time, harmonised years drawn dashed."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.content.number_columns import as_text
from dashboard.content.trends import change_table, trend_rows
from dashboard.figures.charts import Caption, build_trend

COLS = ["year", "geo_version", "level", "unit_code", "service", "indicator", "value", "ci_low", "ci_high", "n", "flag"]


def rows(data):
    return pd.DataFrame(data, columns=COLS)


RESULTS = rows([
    (2024, "vn63", "province", "15", "health", "index", 80.0, 78.0, 82.0, 400, None),  # Yên Bái (old)
    (2024, "vn63", "province", "10", "health", "index", 70.0, 68.0, 72.0, 400, None),  # Lào Cai (old)
    (2025, "vn34", "province", "15", "health", "index", 85.0, 83.0, 87.0, 700, None),  # Lào Cai (new)
    (2024, "vn63", "national", "VN", "health", "index", 81.0, 80.5, 81.5, 30000, None),
    (2025, "vn34", "national", "VN", "health", "index", 82.0, 81.5, 82.5, 30000, None),
])
HARMONISED = rows([(2024, "vn34", "province", "15", "health", "index", 75.0, 73.6, 76.4, 800, None)])


def test_old_boundaries_never_mix_in_a_new_province_with_the_same_code():
    old = trend_rows(RESULTS, HARMONISED, "vn63")
    assert set(old[old["unit_code"] == "15"]["year"]) == {2024}  # Yên Bái only, not new Lào Cai's 2025
    assert set(old[old["unit_code"] == "VN"]["year"]) == {2024, 2025}  # the national series spans the reform
    assert not old["harmonised"].any()


def test_new_boundaries_prepend_the_harmonised_years():
    new = trend_rows(RESULTS, HARMONISED, "vn34")
    lao_cai = new[new["unit_code"] == "15"].sort_values("year")
    assert list(lao_cai["year"]) == [2024, 2025] and list(lao_cai["harmonised"]) == [True, False]
    assert "10" not in set(new["unit_code"])  # old Lào Cai is not a unit of the 34 provinces


def test_harmonised_years_are_a_separate_dashed_segment():
    new = trend_rows(RESULTS, HARMONISED, "vn34")
    shown = new[new["unit_code"] == "15"].assign(label="Lào Cai")
    fig = build_trend(shown, Caption("t"), "vi")
    lines = [tr for tr in fig.data if isinstance(tr, go.Scatter) and tr.mode == "lines+markers"]
    assert sorted((tuple(tr.x), tr.line.dash) for tr in lines) == [((2024,), "dash"), ((2025,), "solid")]


def test_change_against_a_harmonised_figure_is_not_compared():
    new = trend_rows(RESULTS, HARMONISED, "vn34")
    table = change_table(new[new["unit_code"] == "15"], {"15": "Lào Cai"}, "en", None, set())
    assert len(table) == 1
    row = as_text(table).iloc[0]
    assert pd.isna(table["Change (points)"].iloc[0]) and row["Change (points)"] == "–"  # the 2025 survey and
    # the re-estimated 2024 are not tested
    assert row["Verdict"] == "not compared: harmonised pre-2025 figure against a new one"


def test_changes_between_harmonised_years_are_labelled_and_carry_their_test():
    harmonised = rows([(y, "vn34", "province", "15", "health", "index", v, v - 1.4, v + 1.4, 800, None)
                       for y, v in ((2023, 74.0), (2024, 75.0))])
    changes = pd.DataFrame({"year": [2024], "geo_version": ["vn34"], "level": ["province"], "unit_code": ["15"],
                            "service": ["health"], "indicator": ["index"], "change": [1.0], "ci_low": [-1.0],
                            "ci_high": [3.0], "significant": [False], "p_value": [0.3], "q_value": [0.6],
                            "harmonised": [True]})
    new = trend_rows(RESULTS, harmonised, "vn34")
    table = change_table(new[new["unit_code"] == "15"], {"15": "Lào Cai"}, "en", changes, set())
    first = table.iloc[0]
    assert first["Year"] == "2023 → 2024 (harmonised)" and first["Verdict"] == "within sampling noise"
    assert first["95% interval of the change"] == "-1.00–3.00"


def test_overview_map_falls_back_to_the_latest_year_with_provinces():
    from dashboard.content.overview import overview_map_choice

    idx = rows([(2024, "vn63", "national", "VN", "admin", "index", 83.9, None, None, None, None),
                (2023, "vn63", "province", "22", "admin", "index", 90.6, None, None, None, None),
                (2021, "vn63", "province", "42", "admin", "index", 91.2, None, None, None, None),
                (2025, "vn34", "province", "15", "health", "index", 85.0, 83.0, 87.0, 700, None)])
    assert overview_map_choice(idx, 2024) == ("admin", 2023)
    assert overview_map_choice(idx, 2021) == ("admin", 2021)
    assert overview_map_choice(idx, 2025) == ("health", 2025)  # no admin figure that year: another service
    assert overview_map_choice(idx[idx["level"] == "national"], 2024) == ("admin", 2024)
