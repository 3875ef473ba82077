"""Reading a boundary layer for a map: attributes, embedded GeoJSON and its static file URL."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.figures.maps.geometry_files import geojson_url, layer_geojson, write_geojson_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MapLayer:
    """One layer (or one province's part of it), ready to draw."""

    units: pd.DataFrame  # unit_code, name_vi, name_en, slug, parent_code, ..., minx, miny, maxx, maxy
    geojson: dict  # embedded geometry: for exports, and the fallback when no static file exists
    url: str | None  # address of the same geometry as a static file the browser caches

    @property
    def geometry(self) -> dict | str:
        """What a figure should carry: the URL when there is one, else the embedded GeoJSON."""
        return self.url or self.geojson


def layer_path(geodata_dir: Path, layer: str) -> Path:
    return geodata_dir / f"{layer}.parquet"


def read_map_layer(geodata_dir: Path, layer: str, parent: str | None = None,
                   static_dir: Path | None = None) -> MapLayer | None:
    """The layer (only the units of `parent` when given); None when the layer is not built.

    With `static_dir`, the geometry is also written there as a content-named file; if that folder
    is not writable (a read-only deployment), the figure embeds the geometry instead.
    """
    path = layer_path(geodata_dir, layer)
    if not path.is_file():
        return None
    frame = gpd.read_parquet(path)
    if parent is not None:
        frame = frame[frame["parent_code"] == parent]
    geojson = layer_geojson(frame)
    units = pd.DataFrame(frame.drop(columns="geometry")).reset_index(drop=True)
    units[["minx", "miny", "maxx", "maxy"]] = frame.geometry.bounds.to_numpy()
    url = None
    if static_dir is not None:
        stem = layer if parent is None else f"{layer}-{parent}"
        try:
            url = geojson_url(write_geojson_file(geojson, static_dir, stem))
        except OSError as exc:
            log.warning("cannot write the map layer %s to %s (%s); embedding it in the figure", stem, static_dir, exc)
    return MapLayer(units=units, geojson=geojson, url=url)
