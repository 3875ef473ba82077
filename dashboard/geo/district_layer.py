"""District layer (vn63): the 2009 polygons re-coded to the 696 official districts.

Steps: give every raw row its official code (district_fixes), dissolve by that code, then carve
the districts created after 2009 out of their parent polygon. The carve is approximate: the
parent polygon is divided among the official communes (their centroids) of the parent and its
children, each commune taking the part of the polygon nearest to it (a Voronoi partition), and the
cells are merged per district. Where the commune centroids are placeholders, a hand-made cut
along a latitude is used instead (district_fixes.LATITUDE_CUTS). Both the parent and the child are
marked `approximate_split`.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point, box

from dashboard.geo.district_fixes import LATITUDE_CUTS, SPLIT_FROM, assign_official_codes
from dashboard.geo.simplify import polygonal_part

GEOMETRY_KINDS = ("polygon", "approximate_split", "point_centroid")


@dataclass(frozen=True)
class CarveResult:
    """How one parent polygon was divided (for the build report and README)."""

    parent_code: str
    child_codes: tuple[str, ...]
    communes_used: dict[str, int]
    fallback_points: tuple[str, ...]
    method: str


def dissolve_districts(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per official code present in the raw layer: unit_code, source_codes, geometry.

    `source_codes` lists the raw Code_vung values (with the layer's name) that were merged in.
    """
    coded = assign_official_codes(raw)
    rows = []
    for code, part in coded.groupby("official_code", sort=True):
        sources = sorted(set(zip(part["Code_vung"], part["Ten_Huyen"])))
        rows.append({
            "unit_code": code,
            "source_codes": "|".join(f"{c} {n}" for c, n in sources),
            "geometry": polygonal_part(shapely.union_all(part.geometry.values)),
        })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def _voronoi_split(parent: shapely.Geometry, points: pd.DataFrame) -> dict[str, shapely.Geometry]:
    """Divide `parent` among districts: each point (x, y, district_code) takes its Voronoi cell."""
    multipoint = MultiPoint(points[["x", "y"]].to_numpy())
    cells = shapely.voronoi_polygons(multipoint, extend_to=parent.envelope.buffer(1.0), ordered=True)
    pieces: dict[str, list] = {}
    for cell, code in zip(shapely.get_parts(cells), points["district_code"]):
        pieces.setdefault(code, []).append(cell)
    return {code: polygonal_part(shapely.intersection(shapely.union_all(cells_), parent))
            for code, cells_ in pieces.items()}


def _latitude_split(parent_polygon: shapely.Geometry, parent: str, children: list[str]
                    ) -> dict[str, shapely.Geometry]:
    """Divide a polygon by LATITUDE_CUTS: each child takes the part south of its latitude."""
    pieces, rest = {}, parent_polygon
    for child in sorted(children, key=lambda c: LATITUDE_CUTS[c]):
        south = box(-180.0, -90.0, 180.0, LATITUDE_CUTS[child])
        pieces[child] = polygonal_part(shapely.intersection(rest, south))
        rest = shapely.difference(rest, south)
    pieces[parent] = polygonal_part(rest)
    return pieces


def carve_seeds(communes: pd.DataFrame, group: list[str], polygon: shapely.Geometry
                ) -> pd.DataFrame:
    """Seed points (x, y, district_code) for dividing `polygon` among the districts of `group`.

    Official commune centroids inside the polygon, minus placeholders: a commune whose centroid is
    its province's centroid carries no information, and a point shared by communes of two
    districts is ambiguous. Repeated points of one district count once.
    """
    pts = communes[communes["district_code"].isin(group)].sort_values("unit_code")
    pts = pd.DataFrame({"x": pts["lon"].to_numpy(float), "y": pts["lat"].to_numpy(float),
                        "district_code": pts["district_code"].to_numpy(),
                        "placeholder": pts["is_province_centroid"].to_numpy(bool)})
    pts = pts[~pts["placeholder"]].drop(columns="placeholder")
    pts = pts[shapely.contains_xy(polygon, pts["x"].to_numpy(), pts["y"].to_numpy())]
    ambiguous = pts.groupby(["x", "y"])["district_code"].transform("nunique") > 1
    return pts[~ambiguous].drop_duplicates(subset=["x", "y"], keep="first")


def mark_placeholder_centroids(communes: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """Communes with `is_province_centroid`: their lat/lon is just their province's centroid."""
    centre = provinces.set_index("unit_code")[["lat", "lon"]]
    lat = communes["province_code"].map(centre["lat"])
    lon = communes["province_code"].map(centre["lon"])
    return communes.assign(is_province_centroid=(communes["lat"] == lat) & (communes["lon"] == lon))


def carve_splits(districts: gpd.GeoDataFrame, communes: pd.DataFrame, official: pd.DataFrame
                 ) -> tuple[gpd.GeoDataFrame, list[CarveResult]]:
    """Add the districts of SPLIT_FROM, carved out of their parent polygons.

    `communes`: official communes (unit_code, district_code, lat, lon, is_province_centroid,
    see mark_placeholder_centroids); `official`: official districts
    (unit_code, lat, lon). A child that no commune centroid of the parent polygon belongs to gets
    a Point at its official centroid (`point_centroid`) instead.
    """
    out = districts.set_index("unit_code")
    out["geometry_kind"] = "polygon"
    children_of: dict[str, list[str]] = {}
    for child, (parent, _) in sorted(SPLIT_FROM.items()):
        children_of.setdefault(parent, []).append(child)
    results = []
    for parent, children in sorted(children_of.items()):
        polygon = out.at[parent, "geometry"]
        group = [parent, *children]
        pts = carve_seeds(communes, group, polygon)
        used = {code: int((pts["district_code"] == code).sum()) for code in group}
        # Carve only if the parent keeps some communes; otherwise every child falls back to a point
        # and the parent keeps its whole 2009 polygon.
        carvable = used[parent] > 0 and pts["district_code"].nunique() > 1
        pieces = _voronoi_split(polygon, pts) if carvable else {}
        method = "nearest commune centroid (Voronoi)"
        if all(child in LATITUDE_CUTS for child in children):
            pieces = _latitude_split(polygon, parent, children)
            method = "hand-made cut at " + ", ".join(f"{LATITUDE_CUTS[c]} N" for c in children)
        fallbacks = []
        for code in group:
            piece = pieces.get(code)
            if piece is not None and not piece.is_empty:
                out.loc[code, ["geometry", "geometry_kind"]] = [piece, "approximate_split"]
                out.loc[code, "source_codes"] = out.at[parent, "source_codes"]
            elif code != parent:
                row = official.set_index("unit_code").loc[code]
                out.loc[code, ["geometry", "geometry_kind"]] = [Point(row["lon"], row["lat"]),
                                                                "point_centroid"]
                out.loc[code, "source_codes"] = ""
                fallbacks.append(code)
        results.append(CarveResult(parent, tuple(children), used, tuple(fallbacks), method))
    out = out.sort_index().reset_index()
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326), results


def build_district_polygons(raw: gpd.GeoDataFrame, communes: pd.DataFrame, official: pd.DataFrame
                            ) -> tuple[gpd.GeoDataFrame, list[CarveResult]]:
    """All official districts, unsimplified: unit_code, source_codes, geometry_kind, geometry.

    Raises ValueError if, after the corrections, a code is missing, unknown or duplicated.
    """
    dissolved = dissolve_districts(raw)
    layer, carves = carve_splits(dissolved, communes, official)
    expected = set(official["unit_code"])
    present = list(layer["unit_code"])
    problems = []
    if sorted(set(present) - expected):
        problems.append(f"codes not in the official list: {sorted(set(present) - expected)}")
    if sorted(expected - set(present)):
        problems.append(f"official codes without geometry: {sorted(expected - set(present))}")
    if len(present) != len(set(present)):
        problems.append("duplicated codes")
    if problems:
        raise ValueError("district correction table is incomplete: " + "; ".join(problems))
    return layer, carves


def centroid_hits(layer: gpd.GeoDataFrame, official: pd.DataFrame) -> pd.Series:
    """For each official district, whether its official centroid lies in its own polygon."""
    geoms = layer.set_index("unit_code").geometry
    codes = official["unit_code"].to_numpy()
    hit = [bool(shapely.contains_xy(geoms[c], lon, lat)) if c in geoms.index else False
           for c, lon, lat in zip(codes, official["lon"].to_numpy(float),
                                  official["lat"].to_numpy(float))]
    return pd.Series(np.array(hit), index=codes)
