"""Boundary layers as GeoJSON files that the browser downloads once and then keeps.

A map figure that embeds its geometry resends it on every rerun and every page load (hundreds of
KB). Instead, each layer is written once as a static file whose name holds a hash of its content
(`provinces_vn63.3f2a9c01d4.json`), served by Streamlit's static file serving (and by nginx with
a long cache lifetime). The figure refers to it by URL and carries only the values: a changed
layer gets a new name, so a cached copy is never stale. Pure: no streamlit here.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import mapping

from dashboard import paths
from dashboard.atomic_files import write_file_atomic
from dashboard.figures.maps.archipelagos import ARCHIPELAGOS, island_feature, owner_in

# Streamlit serves <folder of app.py>/static/ at app/static/ (relative to every page's URL).
STATIC_URL_PREFIX = paths.STATIC_URL + "geo/"
COORDINATE_GRID = 1e-4  # the layers are rounded to 4 decimals; the island cuts are kept on that grid


def layer_geojson(frame: gpd.GeoDataFrame) -> dict:
    """A FeatureCollection with one feature per unit (id = GSO code, no properties), plus the
    island parts of the units that hold Hoàng Sa and Trường Sa (ids `HS`, `TS`)."""
    features = [{"type": "Feature", "id": code, "properties": {}, "geometry": mapping(geom)}
                for code, geom in zip(frame["unit_code"], frame.geometry)]
    by_code = dict(zip(frame["unit_code"], frame.geometry))
    for archipelago in ARCHIPELAGOS:
        owner = owner_in(archipelago, by_code)
        if owner is None:
            continue
        feature = island_feature(archipelago, shapely.set_precision(by_code[owner], COORDINATE_GRID))
        if feature is not None:
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(geojson: dict) -> bytes:
    """Compact, deterministic JSON (same layer, same bytes, same file name)."""
    return json.dumps(geojson, separators=(",", ":"), sort_keys=True, ensure_ascii=True).encode("ascii")


def write_geojson_file(geojson: dict, folder: Path, stem: str) -> str:
    """Write the layer as `<stem>.<hash>.json` in `folder` (atomically, once); return the file name."""
    data = geojson_bytes(geojson)
    name = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.json"
    target = folder / name
    if target.is_file() and target.stat().st_size == len(data):
        return name
    folder.mkdir(parents=True, exist_ok=True)
    write_file_atomic(target, data, mode=0o644, durable=False)  # a cache: rebuilt if lost
    return name


def geojson_url(name: str) -> str:
    """The address a page uses to fetch a written layer (relative: works under any base path)."""
    return STATIC_URL_PREFIX + name
