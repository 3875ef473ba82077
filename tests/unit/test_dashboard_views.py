"""Pure page logic: unit search, published changes and movers, rank ranges, maps and charts, exports."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.content.compare import ranked_table, with_ranks
from dashboard.content.comparisons import change_rows, movers
from dashboard.content.units import search_units
from dashboard.exports.tables import to_format
from dashboard.figures.charts import Caption, build_trend
from dashboard.figures.maps import BREAKS, CLASS_COLOURS, MISSING_COLOUR, build_choropleth, classify
from dashboard.text import fold

ROOT = Path(__file__).resolve().parents[2]


def frame(rows):
    cols = ["year", "geo_version", "level", "unit_code", "service", "indicator", "value", "ci_low", "ci_high", "n", "flag"]
    return pd.DataFrame(rows, columns=cols)


UNITS = pd.DataFrame({
    "geo_version": ["vn63", "vn63", "vn63"], "level": ["province", "district", "province"],
    "unit_code": ["10", "088", "01"], "name_vi": ["Lào Cai", "Sa Pa", "Hà Nội"],
    "name_en": ["Lao Cai", "Sa Pa", "Ha Noi"], "slug": ["lao-cai", "sa-pa", "ha-noi"],
    "parent_code": ["VN", "10", "VN"], "aliases": ["tỉnh lào cai|lao cai", "thị xã sa pa|sa pa|sapa", "hà nội|ha noi"],
})


@pytest.mark.parametrize("query,code", [("Lao Cai", "10"), ("lào cai", "10"), ("LÀO CAI", "10"),
                                        ("Sa Pa", "088"), ("sapa", "088"), ("ha noi", "01"), ("Hà", "01")])
def test_search_with_and_without_diacritics(query, code):
    assert search_units(UNITS, query)["unit_code"].iloc[0] == code


def test_search_nothing_and_fold():
    assert search_units(UNITS, "zzz").empty
    assert search_units(UNITS, "").empty
    assert fold("Đà Nẵng") == "da nang"


def changes_table(rows):
    cols = ["year", "geo_version", "level", "unit_code", "service", "indicator", "change", "ci_low", "ci_high",
            "significant", "p_value", "q_value"]
    return pd.DataFrame(rows, columns=cols)


def test_movers_are_the_clear_changes_strongest_evidence_first():
    rows = frame([(y, "vn63", "province", c, "health", "index", v, None, None, 100, None)
                  for c, v0, v1 in (("01", 80, 90), ("02", 80, 85), ("04", 70, 75), ("05", 60, 90))
                  for y, v in ((2023, v0), (2024, v1))])
    changes = changes_table([
        (2024, "vn63", "province", "01", "health", "index", 10.0, 4, 16, True, 0.001, 0.004),
        (2024, "vn63", "province", "02", "health", "index", 5.0, 1, 9, True, 0.02, 0.04),
        (2024, "vn63", "province", "04", "health", "index", 5.0, 0.1, 9.9, True, 0.045, 0.06),  # alone, not clear
        (2024, "vn63", "province", "05", "health", "index", 30.0, -1, 61, False, 0.07, 0.07),  # big but noise
    ])
    moved = movers(rows, changes, 2024)
    assert moved["tested"] and list(moved["rises"]["unit_code"]) == ["01", "02"]  # by p-value, not by size
    assert moved["clear_rises"] == 2 and moved["clear_falls"] == 0 and moved["compared"] == 4
    assert movers(rows, changes, 2023)["rises"].empty


def test_change_rows_carry_the_release_verdict_and_say_why_a_pair_is_not_compared():
    rows = frame([(y, "vn63", "province", "01", s, "index", v, v - 3, v + 3, 100, None)
                  for s in ("health", "admin") for y, v in ((2021, 80.0), (2022, 84.0), (2023, 84.5))])
    changes = changes_table([
        (2022, "vn63", "province", "01", "health", "index", 4.0, 0.5, 7.5, True, 0.03, 0.2),
        (2023, "vn63", "province", "01", "health", "index", 0.5, -3, 4, False, 0.8, 0.9),
        (2023, "vn63", "province", "01", "admin", "index", 0.5, -3, 4, False, 0.8, 0.9),
    ])
    out = change_rows(rows, changes, {("admin", 2022)}).set_index(["service", "year"])["verdict"]
    assert out[("health", 2022)] == "alone" and out[("health", 2023)] == "noise"
    assert out[("admin", 2022)] == "break" and out[("admin", 2023)] == "noise"
    # published figures without a test: the plain difference, marked untested
    untested = change_rows(rows[rows["service"] == "health"], None, set())
    assert set(untested["verdict"]) == {"untested"} and untested["change"].tolist() == [4.0, 0.5]


def test_compare_table_shows_the_release_rank_ranges_and_who_could_be_first():
    rows = frame([(2024, "vn63", "province", c, "health", "index", v, v - 2, v + 2, 100, None)
                  for c, v in (("01", 90), ("02", 89), ("03", 80))]).assign(name=["A", "B", "C"])
    ranks = pd.DataFrame({"unit_code": ["01", "02", "03"], "rank": [1, 2, 3], "rank_low": [1, 1, 3],
                          "rank_high": [2, 2, 3], "rank_of": 3, "top_set": [True, True, False],
                          "bottom_set": [False, False, True]})
    table = ranked_table(with_ranks(rows, ranks), "en")
    assert table["Rank (95% range) / places"].tolist() == ["1 (1–2) / 3", "2 (1–2) / 3", "3 / 3"]
    assert table["Could be first / last"].tolist() == ["could be first", "could be first", "could be last"]
    # A release without ranks.parquet shows no rank columns rather than invented ones.
    assert "Could be first / last" not in ranked_table(with_ranks(rows, ranks.iloc[0:0]), "en").columns


def test_trend_never_joins_across_a_break_the_release_declares():
    rows = frame([(y, "vn63", "national", "VN", "admin", "index", v, None, None, None, None)
                  for y, v in ((2020, 85.5), (2021, 87.2), (2022, 80.1), (2023, 82.7))])
    rows["label"] = "VN"
    fig = build_trend(rows, Caption("t"), "en", {("admin", 2022)})
    lines = [tr for tr in fig.data if tr.mode == "lines+markers"]
    assert len(lines) == 2
    assert {tuple(tr.x) for tr in lines} == {(2020, 2021), (2022, 2023)}
    assert any(shape.type == "line" for shape in fig.layout.shapes)  # the break marker


def square(x, y):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


def test_choropleth_fixed_classes_missing_grey_geometry_once():
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": c, "properties": {}, "geometry": square(i, 0)} for i, c in enumerate(["01", "02", "03"])]}
    units = pd.DataFrame({"unit_code": ["01", "02", "03"], "name": ["A", "B", "<b>C</b>"]})
    values = frame([(2024, "vn63", "province", "01", "admin", "index", 72.0, 70, 74, 120, None),
                    (2024, "vn63", "province", "02", "admin", "index", 96.0, 95, 97, 30, "low_n")])
    fig = build_choropleth(geojson, units, values, Caption("t"), "vi")
    assert all(isinstance(tr, go.Choroplethmap) for tr in fig.data)
    assert fig.layout.map.style == "white-bg"
    sent = [f["id"] for tr in fig.data for f in tr.geojson["features"]]
    assert sorted(sent) == ["01", "02", "03"]  # every geometry exactly once
    grey = [tr for tr in fig.data if tr.colorscale[0][1] == MISSING_COLOUR]
    assert list(grey[0].locations) == ["03"] and "&lt;b&gt;" in grey[0].text[0]
    assert classify(72.0) == 3 and classify(96) == len(BREAKS) and classify(None) is None
    assert len(CLASS_COLOURS) == len(BREAKS) + 1
    hover = [tr for tr in fig.data if "01" in list(tr.locations)][0].text[0]
    assert "72,00%" in hover and "70,00–74,00" in hover and "120" in hover


def test_csv_has_bom_and_xlsx_parquet_round_trip(tmp_path):
    data = pd.DataFrame({"name": ["Lào Cai"], "value": [82.5], "n": pd.array([10], dtype="Int32")})
    assert to_format(data, "csv").startswith("\ufeff".encode("utf-8"))
    (tmp_path / "a.xlsx").write_bytes(to_format(data, "xlsx"))
    assert pd.read_excel(tmp_path / "a.xlsx")["name"].iloc[0] == "Lào Cai"
    (tmp_path / "a.parquet").write_bytes(to_format(data, "parquet"))
    assert pd.read_parquet(tmp_path / "a.parquet")["value"].iloc[0] == 82.5


def test_par_sentence_only_for_a_province_with_its_sipas_index():
    from dashboard.content.profile import par_sentence

    year = pd.DataFrame({"service": ["admin", "admin", "health"], "indicator": ["index", "access", "index"],
                         "value": [91.17, 50.0, 70.0]})
    assert "9,12/10" in par_sentence(year, "province", "vi")  # Hà Tĩnh 2021, as baohatinh.vn put it
    assert "9.12 of them" in par_sentence(year, "province", "en")
    assert par_sentence(year, "district", "vi") is None
    assert par_sentence(year[year["service"] == "health"], "province", "vi") is None
    assert par_sentence(year.assign(value=[None, 50.0, 70.0]), "province", "vi") is None


def test_mover_lines_give_the_interval_of_each_clear_change():
    from dashboard.content.overview import mover_lines

    rises = pd.DataFrame({"geo_version": ["vn63"], "unit_code": ["589"], "service": ["roads"], "prev_value": [63.24],
                          "value": [89.97], "change": [26.73], "ci_low": [9.1], "ci_high": [44.4]})
    moved = {"rises": rises, "falls": rises.iloc[0:0], "tested": True, "compared": 26390}
    lines = mover_lines(moved, lambda geo, code: "Thuận Nam", "en")
    assert lines[0] == ("heading", "Rises")
    assert lines[1] == ("item", "Thuận Nam – Roads: 63.24% → 89.97% (+26.73 points) "
                                "(95% interval of the change: +9.10 to +44.40)")
    assert lines[2:] == [("heading", "Falls"), ("empty", "No change is clearer than what sampling noise alone produces.")]
