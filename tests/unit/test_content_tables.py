"""Tables and choices pages show: numbers that sort as numbers, catalogue order, one boundary set at
a time, provinces counted from the geodata, one reader of the units table."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.content.compare import ranked_table, side_by_side, with_ranks
from dashboard.content.number_columns import as_text, number_text
from dashboard.content.overview import missing_items, summary_sentences
from dashboard.content.profile import briefing_html, profile_table
from dashboard.content.services import comparison_rows, criteria_table, matrix_table, province_matrix, unit_choices
from dashboard.content.tables import value_table
from dashboard.content.units import province_counts
from dashboard.geo.units_table import APP_COLUMNS, read_units, units_or_empty
from dashboard.release.catalogue import catalogue_order

COLUMNS = ["year", "geo_version", "level", "unit_code", "parent_code", "service", "indicator", "value", "ci_low",
           "ci_high", "n", "flag"]


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


# Values whose text sorts wrongly: "9,50" comes after "85,00" as text.
FIGURES = frame([(2024, "vn63", "province", c, "VN", "admin", "index", v, v - 1, v + 1, n, None)
                 for c, v, n in (("01", 9.5, 120), ("02", 85.0, 1500), ("03", 100.0, 80))])


def test_value_table_keeps_numbers_and_writes_them_in_the_language():
    table = value_table(FIGURES, lambda g, c: f"P{c}", "vi")
    assert pd.api.types.is_float_dtype(table["Giá trị (%)"]) and pd.api.types.is_float_dtype(table["Số người trả lời"])
    assert table.sort_values("Giá trị (%)")["Mã"].tolist() == ["01", "02", "03"], "9.5 < 85 < 100 as numbers"
    text = as_text(table)
    assert text["Giá trị (%)"].tolist() == ["100,00", "85,00", "9,50"]
    assert text["Số người trả lời"].tolist() == ["80", "1.500", "120"]
    assert as_text(value_table(FIGURES, lambda g, c: c, "en"))["Value (%)"].tolist() == ["100.00", "85.00", "9.50"]


def test_a_unit_without_a_figure_is_not_published_in_words_and_sorts_last():
    units = pd.DataFrame({"unit_code": ["01", "02", "03", "04"], "geo_version": "vn63"})
    table = value_table(FIGURES, lambda g, c: c, "en", units=units)
    assert pd.isna(table["Value (%)"].iloc[-1]) and as_text(table)["Value (%)"].iloc[-1] == "not published"


def test_number_text_is_what_the_sortable_table_shows():
    table = value_table(FIGURES, lambda g, c: c, "vi")
    writers = number_text(table)
    assert set(writers) == {"Giá trị (%)", "Số người trả lời"}
    assert writers["Giá trị (%)"](9.5) == "9,50"


def test_ranked_and_profile_tables_keep_numbers():
    ranked = ranked_table(with_ranks(FIGURES.assign(name=["A", "B", "C"]), None), "en")
    assert pd.api.types.is_float_dtype(ranked["Value (%)"]) and ranked["Place"].tolist() == ["C", "B", "A"]
    assert as_text(ranked)["Value (%)"].tolist() == ["100.00", "85.00", "9.50"]
    national = FIGURES.assign(unit_code="VN", value=80.0).iloc[:1]
    profile = profile_table(FIGURES.iloc[:1], national, "vi")
    assert pd.api.types.is_float_dtype(profile["Giá trị (%)"]) and profile["Giá trị (%)"].tolist() == [9.5]
    assert as_text(profile)["Toàn quốc"].tolist() == ["80,00"]
    assert "<td>9,50</td>" in briefing_html("A", "", profile, [], "", "vi", "2025-01-01", False), "printed as text"


def test_side_by_side_and_matrix_keep_numbers():
    side = side_by_side(FIGURES, ["01", "02"], {"01": "A", "02": "B"}, "en")
    assert pd.api.types.is_float_dtype(side["A"]) and as_text(side)["A"].tolist() == ["9.50"]
    matrix = matrix_table(province_matrix(FIGURES, lambda g, c: c, "vi"), "vi")
    assert pd.api.types.is_float_dtype(matrix.iloc[:, 1]) and as_text(matrix).iloc[:, 1].tolist() == ["9,5", "85,0", "100,0"]


def test_catalogue_order_puts_services_in_catalogue_order_and_the_index_first():
    rows = pd.DataFrame({"service": ["health", "admin", "admin", "admin"], "indicator": ["index", "b", "index", "a"]})
    out = rows.sort_values(["service", "indicator"], key=catalogue_order)
    assert list(zip(out["service"], out["indicator"])) == [("admin", "index"), ("admin", "a"), ("admin", "b"),
                                                           ("health", "index")]


# A year on both boundary sets: code 15 is Yên Bái on vn63 and Lào Cai on vn34.
BOTH = frame([
    (2025, "vn63", "province", "15", "VN", "admin", "index", 70.0, None, None, None, None),
    (2025, "vn63", "province", "15", "VN", "admin", "c1", 71.0, None, None, None, None),
    (2025, "vn34", "province", "15", "VN", "admin", "index", 90.0, None, None, None, None),
    (2025, "vn34", "province", "15", "VN", "admin", "c1", 91.0, None, None, None, None),
    (2025, "vn34", "province", "16", "VN", "admin", "index", 80.0, None, None, None, None),
    (2025, "vn34", "national", "VN", None, "admin", "index", 85.0, None, None, None, None),
    (2025, "vn34", "national", "VN", None, "admin", "c1", 86.0, None, None, None, None),
])


@pytest.mark.parametrize("geo, value", [("vn63", 70.0), ("vn34", 90.0)])
def test_services_rows_are_of_the_boundary_set_asked_for(geo, value):
    rows = comparison_rows(BOTH, "15", geo, lambda g, c: f"{g}:{c}")
    assert rows["unit_code"].tolist() == ["15", "VN"], "the unit, then the country (which belongs to both sets)"
    assert rows["value"].tolist() == [value, 85.0]
    crit = criteria_table(BOTH, "15", geo, lambda g, c: f"{g}:{c}", "en")
    assert crit[f"{geo}:15"].tolist() == [value + 1]


def test_unit_choices_are_of_one_boundary_set():
    assert unit_choices(BOTH, "province", "vn63") == [("vn63", "15")]
    assert unit_choices(BOTH, "province", "vn34") == [("vn34", "15"), ("vn34", "16")]


def test_province_counts_come_from_the_units_table():
    units = pd.DataFrame({"geo_version": ["vn34"] * 3 + ["vn63"], "level": ["province", "province", "district", "national"],
                          "unit_code": ["01", "02", "001", "VN"]})
    assert province_counts(units) == {"vn63": 63, "vn34": 2}, "the contract's count where the table has none"
    assert province_counts(units_or_empty()) == {"vn63": 63, "vn34": 34}


def test_overview_counts_provinces_of_the_year_boundary_set():
    """34 provinces on vn34 is every province: no 'only 34 of 63' sentence."""
    rows = frame([(2025, "vn34", "province", f"{i:02d}", "VN", "admin", "index", 80.0 + i / 10, None, None, None, None)
                  for i in range(1, 35)])
    said = " ".join(summary_sentences(rows, 2025, "en", False, lambda g, c: c))
    assert "only" not in said
    fewer = " ".join(summary_sentences(rows.iloc[:10], 2025, "en", False, lambda g, c: c))
    assert "only 10 of 34 provinces" in fewer
    assert "only 10 of 12 provinces" in " ".join(summary_sentences(rows.iloc[:10], 2025, "en", False, lambda g, c: c,
                                                                   provinces={"vn34": 12}))
    full = missing_items(rows, "en")
    assert not any("63-province" in item for item in full), "a complete year on vn34 is complete"


def test_one_reader_of_the_units_table(tmp_path, monkeypatch):
    """Missing geodata: None for the validator (which then says the codes went unchecked), an empty
    table with the app's columns for the app; DASHBOARD_GEODATA is honoured by both."""
    assert read_units(tmp_path) is None
    assert units_or_empty(tmp_path).empty and list(units_or_empty(tmp_path).columns) == APP_COLUMNS
    pd.DataFrame({"geo_version": ["vn63"], "level": ["province"], "unit_code": ["01"], "name_vi": ["Hà Nội"],
                  "lat": [21.0]}).to_parquet(tmp_path / "units.parquet")
    monkeypatch.setenv("DASHBOARD_GEODATA", str(tmp_path))
    assert read_units()["lat"].tolist() == [21.0], "every column for the build and the validator"
    assert units_or_empty()["name_vi"].tolist() == ["Hà Nội"] and list(units_or_empty().columns) == APP_COLUMNS
