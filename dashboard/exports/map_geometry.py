"""Put a map's geometry back into the figure before it leaves the app.

In the app a map trace refers to its boundary layer by URL (`app/static/geo/<layer>.<hash>.json`,
see `dashboard.figures.maps.geometry_files`): the browser fetches it once. Kaleido's page and a static
HTML file opened from disk cannot fetch that address, so exports carry the GeoJSON inline.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go

from dashboard import paths
from dashboard.exports.errors import ExportError

STATIC_DIR = paths.STATIC_DIR
STATIC_URL_MARK = "app/static/"


def static_file_for(url: str, static_dir: Path = STATIC_DIR) -> Path | None:
    """The file under `static_dir` that an `app/static/...` address serves (None for other URLs)."""
    if STATIC_URL_MARK not in url:
        return None
    relative = url.split(STATIC_URL_MARK, 1)[1].split("?", 1)[0]
    candidate = (static_dir / relative).resolve()
    if static_dir.resolve() not in candidate.parents:
        return None  # '..' in the address: not one of ours
    return candidate


@lru_cache(maxsize=16)
def _read_geojson(path: str, mtime_ns: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_geojson_url(url: str, static_dir: Path = STATIC_DIR) -> dict:
    """The GeoJSON behind an `app/static/...` address, read from disk (cached per file version)."""
    path = static_file_for(url, static_dir)
    if path is None or not path.is_file():
        raise ExportError(f"the map's boundary file {url!r} is not on this server")
    return _read_geojson(str(path), path.stat().st_mtime_ns)


def _subset(geojson: dict, locations) -> dict:
    wanted = {str(code) for code in locations or () if code is not None}
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if str(f.get("id")) in wanted]}


def with_embedded_geometry(fig: go.Figure, static_dir: Path = STATIC_DIR) -> go.Figure:
    """`fig` itself when no trace refers to geometry by URL; else a copy whose traces carry it inline
    (each trace only the features it draws)."""
    if not any(isinstance(getattr(trace, "geojson", None), str) for trace in fig.data):
        return fig
    out = go.Figure(fig)
    for trace in out.data:
        geometry = getattr(trace, "geojson", None)
        if isinstance(geometry, str):
            trace.geojson = _subset(read_geojson_url(geometry, static_dir), trace.locations)
    return out
