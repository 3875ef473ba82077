"""Pure page logic: unit search, changes and movers, tie groups, maps and charts, exports."""
from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import Caption, build_trend
from dashboard.maps import BREAKS, CLASS_COLOURS, MISSING_COLOUR, build_choropleth, classify
from dashboard.exports.tables import to_format
from dashboard.views.compare import ranked_table, with_ranks
from dashboard.views.figures import intervals_overlap, movers, year_changes
from dashboard.views.units import fold, search_units

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


def test_overlap_and_significance():
    assert intervals_overlap(1, 3, 2, 4) is True
    assert intervals_overlap(1, 2, 3, 4) is False
    assert intervals_overlap(None, 2, 3, 4) is None


def test_movers_keep_only_non_overlapping_and_skip_method_break():
    rows = frame([
        (2023, "vn63", "province", "01", "health", "index", 80, 78, 82, 100, None),
        (2024, "vn63", "province", "01", "health", "index", 90, 88, 92, 100, None),  # clear rise
        (2023, "vn63", "province", "02", "health", "index", 80, 70, 90, 100, None),
        (2024, "vn63", "province", "02", "health", "index", 85, 75, 95, 100, None),  # overlapping
        (2021, "vn63", "province", "03", "admin", "index", 90, 89, 91, 100, None),
        (2022, "vn63", "province", "03", "admin", "index", 70, 69, 71, 100, None),  # method break
    ])
    rises, falls, filtered = movers(rows, 2024)
    assert filtered and list(rises["unit_code"]) == ["01"] and falls.empty
    assert movers(rows, 2022)[1].empty
    changes = year_changes(rows)
    assert bool(changes[changes["unit_code"] == "03"]["method_break"].iloc[0])


def test_compare_table_shows_the_release_rank_intervals_and_tie_groups():
    rows = frame([(2024, "vn63", "province", c, "health", "index", v, v - 2, v + 2, 100, None)
                  for c, v in (("01", 90), ("02", 89), ("03", 80))]).assign(name=["A", "B", "C"])
    ranks = pd.DataFrame({"unit_code": ["01", "02", "03"], "rank": [1, 2, 3], "rank_low": [1, 1, 3],
                          "rank_high": [2, 2, 3], "tie_group": [1, 1, 2]})
    table = ranked_table(with_ranks(rows, ranks), "en")
    assert table["Rank (95% range)"].tolist() == ["1 (1–2)", "2 (1–2)", "3"]
    assert table["Tie group"].tolist() == ["1", "1", "2"]
    # A release without ranks.parquet shows no rank columns rather than invented ones.
    assert "Tie group" not in ranked_table(with_ranks(rows, ranks.iloc[0:0]), "en").columns


def test_significance_comes_from_the_release_test_when_present():
    rows = frame([(y, "vn63", "province", "01", "health", "index", v, v - 3, v + 3, 100, None)
                  for y, v in ((2023, 80.0), (2024, 84.0))])
    assert year_changes(rows)["significant"].tolist() == [False]  # intervals overlap: cautious reading
    tested = pd.DataFrame({"year": [2024], "geo_version": ["vn63"], "level": ["province"], "unit_code": ["01"],
                           "service": ["health"], "indicator": ["index"], "significant": [True]})
    assert year_changes(rows, tested)["significant"].tolist() == [True]


def test_trend_never_joins_2021_and_2022_for_admin():
    rows = frame([(y, "vn63", "national", "VN", "admin", "index", v, None, None, None, None)
                  for y, v in ((2020, 85.5), (2021, 87.2), (2022, 80.1), (2023, 82.7))])
    rows["label"] = "VN"
    fig = build_trend(rows, Caption("t"), "en")
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


def test_only_ui_pages_and_app_import_streamlit():
    for folder in ("dashboard/views", "dashboard/charts", "dashboard/maps", "dashboard/i18n"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
            names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
            assert not any(m.split(".")[0] == "streamlit" for m in names), path


def test_par_sentence_only_for_a_province_with_its_sipas_index():
    from dashboard.views.profile import par_sentence

    year = pd.DataFrame({"service": ["admin", "admin", "health"], "indicator": ["index", "access", "index"],
                         "value": [91.17, 50.0, 70.0]})
    assert "9,12/10" in par_sentence(year, "province", "vi")  # Hà Tĩnh 2021, as baohatinh.vn put it
    assert "9.12 of them" in par_sentence(year, "province", "en")
    assert par_sentence(year, "district", "vi") is None
    assert par_sentence(year[year["service"] == "health"], "province", "vi") is None
    assert par_sentence(year.assign(value=[None, 50.0, 70.0]), "province", "vi") is None
