"""Every cached read the app makes, in one module (bounded: max_entries and ttl on each)."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import catalog, loaders
from dashboard.views import units as units_view

TTL = 3600


@dataclass(frozen=True)
class ReleaseOption:
    release_id: str
    source: str
    demo: bool
    title_vi: str
    title_en: str


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def release(source: str) -> loaders.Release:
    """Open (and validate) a release once per process; raises ReleaseInvalid."""
    return loaders.open_release(source)


@st.cache_data(max_entries=4, ttl=300, show_spinner=False)
def release_options() -> list[ReleaseOption]:
    """Releases the app offers, the default one first; broken ones are left out."""
    default, sources = catalog.offered_releases()
    options, seen = [], set()
    for source in sources:
        try:
            r = release(source)
        except Exception:  # noqa: BLE001 - a broken release is not offered; the others still are
            continue
        if r.id in seen:
            continue
        seen.add(r.id)
        options.append(ReleaseOption(r.id, source, r.demo, r.descriptor["title"], r.descriptor["title_en"]))
    return options


def _filters_key(filters: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple, set)) else v) for k, v in filters.items()))


@st.cache_data(max_entries=128, ttl=TTL, show_spinner=False)
def _results(source: str, key: tuple) -> pd.DataFrame:
    filters = {k: (list(v) if isinstance(v, tuple) else v) for k, v in key}
    frame = loaders.load_results(release(source), **filters)
    if "n" in frame and not isinstance(frame["n"].dtype, pd.Int32Dtype):
        frame["n"] = frame["n"].astype("Int32")
    frame["year"] = frame["year"].astype(int)
    return frame


def results(source: str, **filters) -> pd.DataFrame:
    """Rows of results.parquet, e.g. results(src, year=2024, level="province")."""
    return _results(source, _filters_key(filters))


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def _statistics(source: str, name: str, key: tuple) -> pd.DataFrame:
    filters = {k: (list(v) if isinstance(v, tuple) else v) for k, v in key}
    return loaders.load_table(release(source), name, **filters)


def statistics(source: str, name: str, **filters) -> pd.DataFrame:
    """Rows of the release's `ranks` or `changes` table (empty if the release has none)."""
    return _statistics(source, name, _filters_key(filters))


@st.cache_data(max_entries=16, ttl=TTL, show_spinner=False)
def indicators(source: str) -> pd.DataFrame:
    return loaders.load_indicators(release(source))


@st.cache_data(max_entries=16, ttl=TTL, show_spinner=False)
def notes(source: str) -> pd.DataFrame:
    return loaders.load_notes(release(source))


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def years_of(source: str) -> pd.DataFrame:
    """Which (year, geo_version, level, service, indicator) combinations a release holds."""
    frame = loaders.load_results(release(source), columns=["year", "geo_version", "level", "service", "indicator", "unit_code"])
    frame["year"] = frame["year"].astype(int)
    return frame.groupby(["year", "geo_version", "level", "service", "indicator"], as_index=False).agg(
        units=("unit_code", "nunique"))


@st.cache_data(max_entries=2, ttl=TTL, show_spinner=False)
def units() -> pd.DataFrame:
    return units_view.read_units()


@st.cache_data(max_entries=4, ttl=TTL, show_spinner=False)
def names(lang: str) -> dict[tuple[str, str], str]:
    return units_view.name_lookup(units(), lang)


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def geo_layer(layer: str) -> tuple[dict, pd.DataFrame] | None:
    """A boundary layer as (GeoJSON dict keyed by unit_code, attribute frame); None if not built."""
    path = units_view.geodata_dir() / f"{layer}.parquet"
    if not path.is_file():
        return None
    import geopandas as gpd

    frame = gpd.read_parquet(path)
    geojson = json.loads(frame[["unit_code", "geometry"]].to_json(drop_id=True))
    for feature in geojson["features"]:
        feature["id"] = feature["properties"]["unit_code"]
        feature["properties"] = {}
    attrs = pd.DataFrame(frame.drop(columns="geometry"))
    attrs[["minx", "miny", "maxx", "maxy"]] = frame.geometry.bounds.to_numpy()
    return geojson, attrs
