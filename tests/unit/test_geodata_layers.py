"""The committed geodata/ layers: complete, valid, archipelagos present, small enough."""
from __future__ import annotations

import unicodedata

import geopandas as gpd
import pytest
import shapely

from dashboard import paths
from dashboard.geo import official_units

LAYERS = ["provinces_vn63", "provinces_vn63_detail", "provinces_vn34", "provinces_vn34_detail",
          "districts_vn63", "districts_vn63_detail"]


def read_layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(paths.GEODATA_DIR / f"{name}.parquet")


def official_codes(layer: str) -> list[str]:
    if layer.startswith("provinces_vn63"):
        return official_units.provinces("vn63")["unit_code"].tolist()
    if layer.startswith("provinces_vn34"):
        return official_units.provinces("vn34")["unit_code"].tolist()
    return official_units.districts_vn63()["unit_code"].tolist()


@pytest.mark.parametrize("layer", LAYERS)
def test_every_official_code_has_exactly_one_geometry(layer):
    frame = read_layer(layer)
    assert frame["unit_code"].is_unique
    assert sorted(frame["unit_code"]) == sorted(official_codes(layer))
    assert frame.geometry.notna().all() and not frame.geometry.is_empty.any()


def test_layer_sizes_match_the_official_counts():
    assert len(read_layer("provinces_vn63")) == 63
    assert len(read_layer("provinces_vn34")) == 34
    assert len(read_layer("districts_vn63")) == 696


@pytest.mark.parametrize("layer", LAYERS)
def test_geometries_are_valid_polygons_in_wgs84(layer):
    frame = read_layer(layer)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()
    assert frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()


@pytest.mark.parametrize("layer", LAYERS)
def test_names_and_slugs(layer):
    frame = read_layer(layer)
    assert all(unicodedata.is_normalized("NFC", v) for v in frame["name_vi"])
    assert all(v.isascii() for v in frame["name_en"])
    assert frame["slug"].is_unique
    assert frame["slug"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*").all()


def test_display_names_are_the_official_ones():
    provinces = read_layer("provinces_vn63").set_index("unit_code")
    assert provinces.loc["48", "name_vi"] == "Đà Nẵng"
    assert provinces.loc["48", "name_en"] == "Da Nang"
    assert provinces.loc["48", "slug"] == "da-nang"
    assert provinces.loc["77", "name_vi"] == "Bà Rịa - Vũng Tàu"
    assert provinces.loc["79", "name_vi"] == "Hồ Chí Minh"
    assert provinces.loc["56", "name_vi"] == "Khánh Hòa"
    districts = read_layer("districts_vn63").set_index("unit_code")
    official = official_units.districts_vn63().set_index("unit_code")
    assert (districts["name_vi"] == official.loc[districts.index, "name_vi"]).all()
    assert (districts["parent_code"] == official.loc[districts.index, "parent_code"]).all()
    assert (read_layer("provinces_vn34")["parent_code"] == "VN").all()


@pytest.mark.parametrize("layer,code,min_lon", [
    (layer, code, lon)
    for layer in LAYERS
    for code, lon in ([("48", 112.7), ("56", 116.9)] if layer.startswith("provinces")
                      else [("498", 112.7), ("576", 116.9)])
])
def test_archipelagos_survive_simplification(layer, code, min_lon):
    frame = read_layer(layer).set_index("unit_code")
    minx, miny, maxx, maxy = frame.loc[code, "geometry"].bounds
    assert maxx >= min_lon
    if min_lon > 116:  # Trường Sa lies far south of the mainland coast
        assert miny < 9.0
    else:  # Hoàng Sa lies north-east of Đà Nẵng
        assert maxy > 16.5


@pytest.mark.parametrize("suffix", ["", "_detail"])
def test_vn34_provinces_are_the_union_of_their_vn63_parts(suffix):
    vn63 = read_layer(f"provinces_vn63{suffix}").to_crs(32648)
    vn34 = read_layer(f"provinces_vn34{suffix}").to_crs(32648).set_index("unit_code")
    crosswalk = official_units.province_crosswalk().set_index("vn63_code")["vn34_code"]
    union = vn63.assign(vn34_code=vn63["unit_code"].map(crosswalk)).dissolve("vn34_code").geometry
    for code, geom in vn34.geometry.items():
        diff = shapely.symmetric_difference(geom, union[code]).area
        assert diff / geom.area < 0.005, code


def test_vn63_provinces_are_distinct_places():
    # Guards against a name join that puts one polygon under two codes.
    vn63 = read_layer("provinces_vn63")
    assert vn63.geometry.map(lambda g: g.wkb).is_unique


def test_country_view_province_layer_is_small():
    assert (paths.GEODATA_DIR / "provinces_vn63.parquet").stat().st_size < 300 * 1024
    assert (paths.GEODATA_DIR / "provinces_vn34.parquet").stat().st_size < 300 * 1024


@pytest.mark.parametrize("layer", LAYERS)
def test_coordinates_are_rounded_to_four_decimals(layer):
    coords = shapely.get_coordinates(read_layer(layer).geometry.values)
    assert (abs(coords * 10_000 - (coords * 10_000).round()) < 1e-6).all()


def test_official_province_centroids_fall_in_their_polygon():
    for version in ("vn63", "vn34"):
        frame = read_layer(f"provinces_{version}_detail").set_index("unit_code")
        official = official_units.provinces(version)
        inside = [shapely.contains_xy(frame.loc[r.unit_code, "geometry"], r.lon, r.lat)
                  for r in official.itertuples()]
        assert sum(inside) >= len(official) - 2, version
