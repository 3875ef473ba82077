"""Map geometry: static GeoJSON files the browser caches, and the archipelagos on every map."""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from shapely.geometry import shape

from dashboard import paths
from dashboard.figures.charts import Caption
from dashboard.figures.maps import CLASS_COLOURS, MISSING_COLOUR, build_choropleth, classify
from dashboard.figures.maps.archipelagos import ARCHIPELAGOS
from dashboard.figures.maps.geometry_files import geojson_bytes, write_geojson_file
from dashboard.figures.maps.layers import read_map_layer

LAYERS = ["provinces_vn63", "provinces_vn34", "districts_vn63"]


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_geojson_has_every_unit_once_and_both_archipelagos(layer):
    loaded = read_map_layer(paths.GEODATA_DIR, layer)
    ids = [f["id"] for f in loaded.geojson["features"]]
    assert sorted(ids) == sorted(list(loaded.units["unit_code"]) + ["HS", "TS"])
    islands = {f["id"]: shape(f["geometry"]) for f in loaded.geojson["features"] if f["id"] in ("HS", "TS")}
    # Hoàng Sa reaches 112.7° E and Trường Sa 116.9° E after simplification and cutting.
    assert islands["HS"].bounds[2] > 112.7 and 15.7 < islands["HS"].bounds[1] < 16.0
    assert islands["TS"].bounds[2] > 116.9 and islands["TS"].bounds[1] < 7.0


def test_static_file_is_content_named_deterministic_and_written_once(tmp_path):
    loaded = read_map_layer(paths.GEODATA_DIR, "provinces_vn34", static_dir=tmp_path)
    name = loaded.url.rsplit("/", 1)[1]
    assert loaded.url.startswith("app/static/geo/provinces_vn34.") and name.endswith(".json")
    written = (tmp_path / name).read_bytes()
    assert written == geojson_bytes(loaded.geojson)
    assert json.loads(written)["type"] == "FeatureCollection"
    mtime = (tmp_path / name).stat().st_mtime_ns
    again = read_map_layer(paths.GEODATA_DIR, "provinces_vn34", static_dir=tmp_path)
    assert again.url == loaded.url and (tmp_path / name).stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary files left


def test_one_province_part_holds_only_its_districts(tmp_path):
    loaded = read_map_layer(paths.GEODATA_DIR, "districts_vn63_detail", parent="10", static_dir=tmp_path)
    assert set(loaded.units["parent_code"]) == {"10"} and len(loaded.units) == 9  # Lào Cai's 9 districts
    assert "districts_vn63_detail-10." in loaded.url
    assert {f["id"] for f in loaded.geojson["features"]} == set(loaded.units["unit_code"])


def test_unwritable_static_folder_falls_back_to_embedded_geometry(tmp_path):
    blocker = tmp_path / "geo"
    blocker.write_text("a file where the folder should be")
    loaded = read_map_layer(paths.GEODATA_DIR, "provinces_vn63", static_dir=blocker)
    assert loaded.url is None and loaded.geometry is loaded.geojson


def test_write_geojson_file_is_atomic_and_hash_named(tmp_path):
    data = {"type": "FeatureCollection", "features": []}
    a = write_geojson_file(data, tmp_path, "x")
    b = write_geojson_file({"type": "FeatureCollection", "features": [{"id": "1"}]}, tmp_path, "x")
    assert a != b and a.startswith("x.") and (tmp_path / a).is_file() and (tmp_path / b).is_file()


def _values(rows):
    cols = ["year", "geo_version", "level", "unit_code", "service", "indicator", "value", "ci_low", "ci_high",
            "n", "flag"]
    return pd.DataFrame(rows, columns=cols)


def test_map_by_url_sends_values_only_and_frames_the_archipelagos():
    loaded = read_map_layer(paths.GEODATA_DIR, "provinces_vn63")
    units = loaded.units.assign(name=loaded.units["name_vi"])
    values = _values([(2024, "vn63", "province", "48", "admin", "index", 91.0, 89.0, 93.0, 500, None),
                      (2024, "vn63", "province", "01", "admin", "index", 72.0, 70.0, 74.0, 500, None)])
    fig = build_choropleth("app/static/geo/provinces_vn63.abc.json", units, values, Caption("t"), "vi")
    choropleths = [tr for tr in fig.data if isinstance(tr, go.Choroplethmap)]
    assert all(tr.geojson == "app/static/geo/provinces_vn63.abc.json" for tr in choropleths)
    assert len(fig.to_json()) < 40_000  # values and hover texts, no coordinates
    drawn = [loc for tr in choropleths[:-2] for loc in tr.locations if loc]
    assert sorted(drawn) == sorted(units["unit_code"])  # every province once, before the overlays
    hs, ts = choropleths[-2:]
    assert list(hs.locations) == ["HS"] and list(ts.locations) == ["TS"]
    assert hs.marker.line.color == CLASS_COLOURS[classify(91.0)]  # Đà Nẵng's colour
    assert ts.marker.line.color == MISSING_COLOUR  # Khánh Hòa has no figure: grey, not a colour
    assert "Hoàng Sa" in hs.text[0] and "Đà Nẵng" in hs.text[0] and "91,00%" in hs.text[0]
    frames = [tr for tr in fig.data if isinstance(tr, go.Scattermap)]
    assert len(frames) == 1 and None in frames[0].lon  # both frames in one line trace
    source = fig.layout.annotations[-1].text
    assert "Hoàng Sa" in source and "Trường Sa" in source  # named in the figure, so exports carry it


def test_a_province_view_far_from_the_sea_has_no_archipelago_overlay():
    loaded = read_map_layer(paths.GEODATA_DIR, "districts_vn63_detail", parent="10")
    units = loaded.units.assign(name=loaded.units["name_en"])
    bounds = (units["minx"].min(), units["miny"].min(), units["maxx"].max(), units["maxy"].max())
    fig = build_choropleth(loaded.geojson, units, _values([]), Caption("t"), "en", bounds=bounds)
    assert not [tr for tr in fig.data if isinstance(tr, go.Scattermap)]
    assert all("HS" not in list(tr.locations) for tr in fig.data)


def test_archipelago_frames_leave_no_island_out():
    """Every island part of Đà Nẵng and Khánh Hòa out at sea (east of 111° E) is inside its frame."""
    import geopandas as gpd

    layer = gpd.read_parquet(paths.GEODATA_DIR / "provinces_vn63.parquet").set_index("unit_code")
    for a in ARCHIPELAGOS:
        owner = layer.geometry[a.owners[0]]
        offshore = [p for p in owner.geoms if p.centroid.x > 111.0]
        assert len(offshore) > 10
        fx0, fy0, fx1, fy1 = a.frame
        for part in offshore:
            minx, miny, maxx, maxy = part.bounds
            assert fx0 <= minx and fy0 <= miny and maxx <= fx1 and maxy <= fy1, (a.feature_id, part.bounds)


def test_a_click_on_an_area_or_an_island_names_its_unit():
    from dashboard.ui.mapview import clicked_unit

    def event(location):
        return {"selection": {"points": [{"curve_number": 3, "location": location}], "point_indices": [0]}}

    provinces = {"01", "48", "56"}
    assert clicked_unit(event("01"), provinces) == "01"
    assert clicked_unit(event("HS"), provinces) == "48"  # Hoàng Sa belongs to Đà Nẵng
    assert clicked_unit(event("TS"), {"576", "568"}) == "576"  # on the district map: district Trường Sa
    assert clicked_unit({"selection": {"points": []}}, provinces) is None
    assert clicked_unit(None, provinces) is None
