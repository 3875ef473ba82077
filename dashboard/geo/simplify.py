"""Geometry cleaning and topology-preserving simplification for the processed layers.

Simplifying each polygon on its own opens gaps and overlaps between neighbours. The `topojson`
package first splits the layer into shared arcs, simplifies each arc once (Douglas-Peucker), and
rebuilds the polygons, so neighbours keep an identical border. Rounding every coordinate with the
same rule keeps shared vertices identical too. Simplifying and rounding can leave a few rings
self-intersecting, so every geometry is repaired with `make_valid` afterwards and only its
polygonal parts are kept.
"""
from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import shapely
import topojson
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

# Levels of detail: tolerance of the topology-preserving simplification, in degrees
# (0.005 degrees is about 550 m; 0.001 about 110 m). Coordinates are rounded to 4 decimals (11 m).
TOLERANCE_COUNTRY = 0.005
TOLERANCE_DETAIL = 0.001
COORDINATE_DECIMALS = 4


def polygonal_part(geom: BaseGeometry | None) -> BaseGeometry:
    """A valid Polygon/MultiPolygon from any geometry: repaired, with points and lines dropped.

    Returns an empty Polygon when nothing polygonal is left. Exterior rings are counter-clockwise
    (the GeoJSON convention), so the output does not depend on the input's orientation.
    """
    if geom is None or geom.is_empty:
        return Polygon()
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, (Polygon, MultiPolygon))]
    polygons = [q for p in parts for q in shapely.get_parts(p) if not q.is_empty]
    if not polygons:
        return Polygon()
    out = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    if not out.is_valid:  # touching parts of a collection can overlap; a union fixes that
        out = shapely.union_all(polygons)
    return shapely.orient_polygons(out, exterior_cw=False)


def round_coordinates(geom: BaseGeometry, decimals: int) -> BaseGeometry:
    """The geometry with every coordinate rounded to `decimals` places, then repaired.

    A repair can add a vertex off the grid (where two edges cross), so rounding and repairing
    repeat until the result is valid as rounded (in practice, at most twice).
    """
    current = geom
    for _ in range(4):
        rounded = shapely.transform(current, lambda xy: np.round(xy, decimals))
        if rounded.is_valid:
            return polygonal_part(rounded)
        current = polygonal_part(rounded)
    return current


def simplify_topology(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify a polygon layer with shared borders kept shared (tolerance in degrees).

    Row order and attribute columns are kept. Input geometries should be valid.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # topojson warns about optional dependencies
        topo = topojson.Topology(frame, prequantize=False, toposimplify=tolerance)
        out = topo.to_gdf()
    out = out[frame.columns.tolist()]
    out.index = frame.index
    return out.set_crs(frame.crs, allow_override=True)


def simplify_layer(frame: gpd.GeoDataFrame, tolerance: float, decimals: int) -> gpd.GeoDataFrame:
    """Simplify (topology-preserving), round coordinates and repair a polygon layer.

    Raises ValueError naming the units whose geometry vanished, rather than writing a layer
    with holes in it.
    """
    simplified = simplify_topology(frame, tolerance) if tolerance > 0 else frame.copy()
    simplified["geometry"] = [round_coordinates(g, decimals) for g in simplified.geometry]
    empty = simplified.geometry.is_empty
    if empty.any():
        raise ValueError(
            f"simplifying at {tolerance} degrees left no polygon for rows "
            f"{simplified.index[empty].tolist()}; use a smaller tolerance"
        )
    return simplified
