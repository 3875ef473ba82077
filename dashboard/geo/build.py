"""`python -m dashboard geodata`: build the processed boundary layers in geodata/ from raw files.

Pipeline (each step in its own module):
  raw_sources      read and check the raw files (boundaries/raw, SOURCES.md)
  province_layers  join GSO codes to the 63 provinces by name; dissolve them into the 34
  district_layer   re-code the 2009 districts (district_fixes), carve post-2009 splits
  simplify         topology-preserving simplification, rounding, repair
  unit_tables      units.parquet (names, slugs, centroids, aliases) and the vn63 -> vn34 crosswalk
  geodata_checks   the checks every output must pass before it replaces the committed files
  geodata_readme   geodata/README.md, written from the same facts the build used

Everything is written to a temporary folder beside the output folder, read back and checked, and
only then moved into place, so a failed build never leaves a half-written geodata/.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.atomic_files import sha256_hex
from dashboard.geo import official_units
from dashboard.geo.district_layer import CarveResult, build_district_polygons, centroid_hits, mark_placeholder_centroids
from dashboard.geo.geodata_checks import GeodataCheckError, check_outputs
from dashboard.geo.geodata_readme import render_readme
from dashboard.geo.names import NameMatch, NameMatchError, english_name, match_names, unique_slugs
from dashboard.geo.province_layers import cross_check_vn34, dissolve_provinces, join_province_codes
from dashboard.geo.raw_sources import (
    RawBoundaryError,
    check_raw_files,
    read_districts_2009,
    read_mapping_34,
    read_provinces_34,
    read_provinces_63,
)
from dashboard.geo.simplify import COORDINATE_DECIMALS, TOLERANCE_COUNTRY, TOLERANCE_DETAIL, round_coordinates, simplify_layer
from dashboard.geo.unit_tables import NATIONAL_CODE, build_crosswalk, build_units
from dashboard.text import slugify

LAYER_COLUMNS = ["unit_code", "name_vi", "name_en", "slug", "parent_code", "geo_version", "level"]
DISTRICT_EXTRA_COLUMNS = ["geometry_kind", "source_codes"]


@dataclass
class GeodataBuild:
    """Everything the build produced, in memory, plus the facts the README reports."""

    layers: dict[str, gpd.GeoDataFrame]
    tables: dict[str, pd.DataFrame]
    province_matches: dict[str, list[NameMatch]]
    cross_checks: list[str]
    carves: list[CarveResult]
    district_centroid_hits: pd.Series
    report: list[str] = field(default_factory=list)


def _province_frame(geoms: gpd.GeoDataFrame, official: pd.DataFrame, version: str
                    ) -> gpd.GeoDataFrame:
    names = official.set_index("unit_code")["name_vi"]
    frame = pd.DataFrame({"unit_code": geoms["unit_code"].to_numpy()})
    frame["name_vi"] = frame["unit_code"].map(names)
    frame["name_en"] = frame["name_vi"].map(english_name)
    frame["slug"] = frame["name_vi"].map(slugify)
    frame["parent_code"] = NATIONAL_CODE
    frame["geo_version"] = version
    frame["level"] = "province"
    return gpd.GeoDataFrame(frame, geometry=geoms.geometry.to_numpy(), crs=4326)


def _district_frame(geoms: gpd.GeoDataFrame, official: pd.DataFrame, provinces63: pd.DataFrame
                    ) -> gpd.GeoDataFrame:
    info = official.set_index("unit_code").loc[geoms["unit_code"]]
    province_names = provinces63.set_index("unit_code")["name_vi"]
    frame = pd.DataFrame({"unit_code": geoms["unit_code"].to_numpy()})
    frame["name_vi"] = info["name_vi"].to_numpy()
    frame["name_en"] = frame["name_vi"].map(english_name)
    frame["slug"] = unique_slugs(frame["name_vi"], info["parent_code"].map(province_names),
                                 frame["unit_code"])
    frame["parent_code"] = info["parent_code"].to_numpy()
    frame["geo_version"] = "vn63"
    frame["level"] = "district"
    frame["geometry_kind"] = geoms["geometry_kind"].to_numpy()
    frame["source_codes"] = geoms["source_codes"].to_numpy()
    return gpd.GeoDataFrame(frame, geometry=geoms.geometry.to_numpy(), crs=4326)


def _simplify_districts(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify the polygon rows together; fallback points (if any) are only rounded."""
    is_point = frame["geometry_kind"] == "point_centroid"
    polygons = simplify_layer(frame[~is_point], tolerance, COORDINATE_DECIMALS)
    points = frame[is_point].copy()
    points["geometry"] = shapely.transform(points.geometry.values,
                                           lambda xy: xy.round(COORDINATE_DECIMALS))
    out = pd.concat([polygons, points]).sort_values("unit_code", ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)


def _label_points(layers: dict[str, gpd.GeoDataFrame]) -> dict[tuple[str, str], tuple[float, float]]:
    """A point inside each unit's detailed polygon, for map labels: (version, code) -> (lat, lon)."""
    labels = {}
    for name in ("provinces_vn63_detail", "provinces_vn34_detail", "districts_vn63_detail"):
        layer = layers[name]
        points = layer.geometry.representative_point()
        for version, code, point in zip(layer["geo_version"], layer["unit_code"], points):
            labels[(version, code)] = (round(point.y, 4), round(point.x, 4))
    return labels


def _national_point(provinces: gpd.GeoDataFrame) -> tuple[float, float]:
    """Centre of the mainland's bounding box: a map-centring point, not a place."""
    mainland = max(shapely.get_parts(shapely.union_all(provinces.geometry.values)),
                   key=lambda p: p.area)
    minx, miny, maxx, maxy = mainland.bounds
    return round((miny + maxy) / 2, 4), round((minx + maxx) / 2, 4)


def build_geodata(raw_dir: Path) -> GeodataBuild:
    """Run the whole pipeline in memory; raises RawBoundaryError, NameMatchError or ValueError."""
    check_raw_files(raw_dir)
    vn63_official = official_units.provinces("vn63")
    vn34_official = official_units.provinces("vn34")
    districts_official = official_units.districts_vn63()
    crosswalk = official_units.province_crosswalk()
    report = []

    raw63 = read_provinces_63(raw_dir)
    vn63, matches63 = join_province_codes(raw63, vn63_official)
    vn34 = dissolve_provinces(vn63, crosswalk)
    raw34 = read_provinces_34(raw_dir)
    mapping = read_mapping_34(raw_dir)
    cross = cross_check_vn34(vn34, raw34, mapping, crosswalk, vn63_official, vn34_official)
    matches34 = match_names(raw34["raw_name"], vn34_official)

    raw_districts = read_districts_2009(raw_dir)
    communes = mark_placeholder_centroids(official_units.communes_vn63(), vn63_official)
    districts, carves = build_district_polygons(raw_districts, communes, districts_official)
    hits = centroid_hits(districts, districts_official)

    # vn34 = union of the simplified vn63 provinces, level by level, so both versions share one
    # outline and the vn34 layer is exactly the union of its vn63 parts.
    provinces63 = _province_frame(vn63, vn63_official, "vn63")
    districts_base = _district_frame(districts, districts_official, vn63_official)
    layers = {}
    for suffix, tolerance in (("", TOLERANCE_COUNTRY), ("_detail", TOLERANCE_DETAIL)):
        simplified63 = simplify_layer(provinces63, tolerance, COORDINATE_DECIMALS)
        merged = dissolve_provinces(simplified63[["unit_code", "geometry"]], crosswalk)
        merged["geometry"] = [round_coordinates(g, COORDINATE_DECIMALS) for g in merged.geometry]
        layers["provinces_vn63" + suffix] = simplified63
        layers["provinces_vn34" + suffix] = _province_frame(merged, vn34_official, "vn34")
        layers["districts_vn63" + suffix] = _simplify_districts(districts_base, tolerance)

    district_table = layers["districts_vn63"][["unit_code", "slug"]].merge(
        districts_official, on="unit_code")
    layer_names = {
        code: tuple(sorted({src.split(" ", 1)[1] for src in sources.split("|") if " " in src}))
        for code, sources, kind in zip(districts["unit_code"], districts["source_codes"],
                                       districts["geometry_kind"]) if kind == "polygon"
    }
    tables = {
        "units": build_units(vn63_official, vn34_official, district_table, crosswalk,
                             _label_points(layers), _national_point(vn63), layer_names),
        "crosswalk_vn63_vn34": build_crosswalk(crosswalk, districts_official),
    }
    report += [f"{version}: {m.raw_name!r} -> {m.unit_code} {m.official_name} ({m.rule})"
               for version, matches in (("vn63", matches63), ("vn34", matches34))
               for m in matches if m.rule != "exact"]
    return GeodataBuild(layers, tables, {"vn63": matches63, "vn34": matches34}, cross, carves,
                        hits, report)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write (Geo)Parquet reproducibly: fixed row order, no index, zstd, no timestamps."""
    if isinstance(frame, gpd.GeoDataFrame):
        frame.to_parquet(path, index=False, compression="zstd", schema_version="1.0.0")
    else:
        frame.to_parquet(path, index=False, compression="zstd")


def _sha256(path: Path) -> str:
    return sha256_hex(path)


def write_geodata(build: GeodataBuild, out_dir: Path) -> dict[str, int]:
    """Write all outputs to a temporary folder, read them back and check them, then move them
    into `out_dir` (os.replace, file by file). Returns file name -> size in bytes."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".geodata-build-", dir=out_dir.parent))
    try:
        for name, frame in {**build.layers, **build.tables}.items():
            write_parquet(frame, tmp / f"{name}.parquet")
        sizes = {p.name: p.stat().st_size for p in sorted(tmp.glob("*.parquet"))}
        check_outputs(tmp)  # raises GeodataCheckError
        readme = render_readme(build, sizes, {p.name: _sha256(p) for p in sorted(tmp.glob("*.parquet"))})
        (tmp / "README.md").write_text(readme, encoding="utf-8")
        sizes["README.md"] = (tmp / "README.md").stat().st_size
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in sizes:
            os.replace(tmp / name, out_dir / name)
        return sizes
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_geodata_command(raw_dir: Path, out_dir: Path) -> int:
    """CLI entry point: build geodata/ from raw_dir into out_dir. Exit 0 ok, 1 on bad input."""
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    try:
        build = build_geodata(raw_dir)
        sizes = write_geodata(build, out_dir)
    except RawBoundaryError as exc:
        print(f"geodata: {exc} Nothing was written; {out_dir} is unchanged.", file=sys.stderr)
        return 1
    except (NameMatchError, GeodataCheckError, ValueError) as exc:
        print(f"geodata: the build failed its checks: {exc}. Nothing was written; {out_dir} is "
              f"unchanged. Fix the raw file or the correction tables in dashboard/geo/ and rerun.",
              file=sys.stderr)
        return 1
    print("Province names joined to GSO codes (every spelling that differs from the official name):")
    for line in build.report:
        print(f"  {line}")
    print("Cross-check of the 34-province dissolve:")
    for line in build.cross_checks:
        print(f"  {line}")
    print("Districts carved out of their 2009 parent polygon:")
    for carve in build.carves:
        print(f"  {carve.parent_code} -> {', '.join(carve.child_codes)} "
              f"({carve.method}; seed points: {carve.communes_used}"
              + (f"; points only: {carve.fallback_points}" if carve.fallback_points else "") + ")")
    misses = build.district_centroid_hits[~build.district_centroid_hits]
    print(f"Official district centroids inside their own polygon: "
          f"{int(build.district_centroid_hits.sum())} of {len(build.district_centroid_hits)}; "
          f"outside: {', '.join(misses.index)}")
    print(f"Wrote to {out_dir}:")
    for name, size in sizes.items():
        print(f"  {name:36s} {size / 1024:8.1f} KB")
    return 0
