"""Checks every geodata/ output must pass before it replaces the committed files.

They read the written files back, so they test what will be committed, not what was in memory.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.geo import official_units

# Both archipelagos must survive simplification (PRODUCT.md: maps must show them).
# (layer prefix, unit code, what, minimum eastern extent in degrees E)
ARCHIPELAGO_REACH = (
    ("provinces_vn63", "48", "Hoàng Sa (Đà Nẵng)", 112.7),
    ("provinces_vn63", "56", "Trường Sa (Khánh Hòa)", 116.9),
    ("provinces_vn34", "48", "Hoàng Sa (Đà Nẵng)", 112.7),
    ("provinces_vn34", "56", "Trường Sa (Khánh Hòa)", 116.9),
    ("districts_vn63", "498", "Hoàng Sa district", 112.7),
    ("districts_vn63", "576", "Trường Sa district", 116.9),
)
COUNTRY_VIEW_MAX_BYTES = 300 * 1024
MAX_DISSOLVE_MISMATCH = 0.02  # share of a vn34 province's area
LAYER_NAMES = ("provinces_vn63", "provinces_vn34", "districts_vn63")
DETAIL_SUFFIXES = ("", "_detail")


class GeodataCheckError(Exception):
    """A processed layer fails a check; the message lists every failure."""


def expected_codes(layer_name: str) -> list[str]:
    """The official unit codes a layer must hold, each exactly once."""
    if layer_name.startswith("provinces_vn63"):
        return official_units.provinces("vn63")["unit_code"].tolist()
    if layer_name.startswith("provinces_vn34"):
        return official_units.provinces("vn34")["unit_code"].tolist()
    return official_units.districts_vn63()["unit_code"].tolist()


def layer_problems(name: str, layer: gpd.GeoDataFrame) -> list[str]:
    """Coverage, validity, archipelagos and text form of one layer."""
    problems = []
    codes = layer["unit_code"].tolist()
    if sorted(codes) != sorted(expected_codes(name)) or len(set(codes)) != len(codes):
        missing = sorted(set(expected_codes(name)) - set(codes))
        extra = sorted(set(codes) - set(expected_codes(name)))
        problems.append(f"{name}: codes differ from the official list (missing {missing}, "
                        f"unexpected {extra}, {len(codes) - len(set(codes))} duplicated)")
    if layer.crs is None or layer.crs.to_epsg() != 4326:
        problems.append(f"{name}: CRS is not EPSG:4326")
    polygonal = layer.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    if "geometry_kind" in layer:
        polygonal = polygonal | (layer["geometry_kind"] == "point_centroid")
    bad = layer.loc[~polygonal | ~layer.geometry.is_valid | layer.geometry.is_empty, "unit_code"]
    if len(bad):
        problems.append(f"{name}: invalid, empty or non-polygonal geometry for {bad.tolist()}")
    for prefix, code, what, min_lon in ARCHIPELAGO_REACH:
        if name.startswith(prefix):
            geom = layer.loc[layer["unit_code"] == code, "geometry"]
            reach = geom.iloc[0].bounds[2] if len(geom) else float("nan")
            if not reach >= min_lon:
                problems.append(f"{name}: {what} reaches only {reach:.3f} E, not {min_lon} E; "
                                "the archipelago was lost in simplification")
    for col in ("name_vi", "name_en", "slug"):
        values = layer[col].astype(str)
        if col == "name_vi" and not all(unicodedata.is_normalized("NFC", v) for v in values):
            problems.append(f"{name}: name_vi not NFC-normalised")
        if col == "name_en" and not all(v.isascii() for v in values):
            problems.append(f"{name}: name_en not pure ASCII")
        if col == "slug" and values.duplicated().any():
            problems.append(f"{name}: duplicated slugs {values[values.duplicated()].tolist()}")
    return problems


def dissolve_mismatch(vn63: gpd.GeoDataFrame, vn34: gpd.GeoDataFrame) -> pd.Series:
    """Per vn34 province: symmetric difference with the union of its vn63 parts / its area."""
    crosswalk = official_units.province_crosswalk().set_index("vn63_code")["vn34_code"]
    parts = vn63.assign(vn34_code=vn63["unit_code"].map(crosswalk)).to_crs(32648)
    union = parts.dissolve(by="vn34_code").geometry.sort_index()
    own = vn34.to_crs(32648).set_index("unit_code").geometry.sort_index()
    diff = shapely.area(shapely.symmetric_difference(own.values, union.values))
    return pd.Series(diff / own.area.values,
                     index=own.index)


def check_outputs(folder: Path) -> None:
    """Read every output in `folder` and raise GeodataCheckError listing all failures."""
    problems = []
    layers = {}
    for name in LAYER_NAMES:
        for suffix in DETAIL_SUFFIXES:
            layers[name + suffix] = gpd.read_parquet(folder / f"{name}{suffix}.parquet")
            problems += layer_problems(name + suffix, layers[name + suffix])
    for suffix in DETAIL_SUFFIXES:
        share = dissolve_mismatch(layers[f"provinces_vn63{suffix}"],
                                  layers[f"provinces_vn34{suffix}"])
        if (share > MAX_DISSOLVE_MISMATCH).any():
            problems.append(f"provinces_vn34{suffix}: differs from the union of its vn63 parts: "
                            f"{share[share > MAX_DISSOLVE_MISMATCH].round(4).to_dict()}")
    size = (folder / "provinces_vn63.parquet").stat().st_size
    if size > COUNTRY_VIEW_MAX_BYTES:
        problems.append(f"provinces_vn63.parquet is {size / 1024:.0f} KB, over the 300 KB budget")
    units = pd.read_parquet(folder / "units.parquet")
    expected_rows = 2 + 63 + 34 + 696
    if len(units) != expected_rows:
        problems.append(f"units.parquet has {len(units)} rows, expected {expected_rows}")
    if units.duplicated(["geo_version", "level", "unit_code"]).any():
        problems.append("units.parquet has duplicated (geo_version, level, unit_code)")
    crosswalk = pd.read_parquet(folder / "crosswalk_vn63_vn34.parquet")
    if len(crosswalk) != 63 + 696 or crosswalk["vn34_code"].isna().any():
        problems.append("crosswalk_vn63_vn34.parquet does not cover 63 provinces and 696 districts")
    if problems:
        raise GeodataCheckError("; ".join(problems))
