"""Every cached read the app makes, in one module (bounded: max_entries and ttl on each)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import catalog, loaders, paths
from dashboard.maps.layers import MapLayer, read_map_layer
from dashboard.release_tracker import ReleaseTracker, TrackerState, open_snapshot
from dashboard.settings import load_settings
from dashboard.views import units as units_view

TTL = 3600


@dataclass(frozen=True)
class ReleaseOption:
    release_id: str
    source: str
    demo: bool
    title_vi: str
    title_en: str


@st.cache_resource(max_entries=4, show_spinner=False)
def _tracker(data: str, check_every_s: float) -> ReleaseTracker:
    """One tracker per data location and process (no ttl: it remembers the last good release)."""
    return ReleaseTracker(data, check_every_s=check_every_s)


def current_release() -> TrackerState:
    """The release DASHBOARD_DATA asks for now, or the last good one. Call it once per script run."""
    settings = load_settings()
    return _tracker(settings.data, settings.check_every_s).state()


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _opened_release(source: str) -> loaders.Release:
    return open_snapshot(source)


def release(source: str) -> loaders.Release:
    """Open a release once per process; raises ReleaseInvalid (or ReleaseSourceError, OSError).

    Every release is read from a validated private copy (see `release_tracker.open_snapshot`), so a
    release damaged by hand after it was opened cannot break a page. The current release is the
    tracker's copy, returned as it is.
    """
    settings = load_settings()
    known = _tracker(settings.data, settings.check_every_s).known(source)
    return known if known is not None else _opened_release(source)


def _option(r: loaders.Release, source: str) -> ReleaseOption:
    return ReleaseOption(r.id, source, r.demo, r.descriptor["title"], r.descriptor["title_en"])


@st.cache_data(max_entries=8, ttl=300, show_spinner=False)
def _other_options(data: str, current_id: str | None) -> list[ReleaseOption]:
    """The releases offered beside the current one (recomputed when the current one changes)."""
    options = []
    for source in catalog.other_releases(data):
        try:
            options.append(_option(release(source), source))
        except Exception:  # noqa: BLE001 - a broken release is not offered; the others still are
            continue
    return options


def release_options(current: loaders.Release | None) -> list[ReleaseOption]:
    """Releases the app offers: the current one (served from its snapshot) first; broken ones left out."""
    options = [_option(current, str(current.folder))] if current is not None else []
    seen = {o.release_id for o in options}
    for option in _other_options(load_settings().data, current.id if current is not None else None):
        if option.release_id not in seen:
            seen.add(option.release_id)
            options.append(option)
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


# A resource, not data: every unit name on a page is looked up here, and cache_data would copy
# the whole dictionary on each call (16% of a rerun, profiled with py-spy). Nobody mutates it.
@st.cache_resource(max_entries=4, ttl=TTL, show_spinner=False)
def names(lang: str) -> dict[tuple[str, str], str]:
    return units_view.name_lookup(units(), lang)


@st.cache_resource(max_entries=96, ttl=TTL, show_spinner=False)
def geo_layer(layer: str, parent: str | None = None) -> MapLayer | None:
    """A boundary layer (or one province's districts) ready to draw; None if geodata is not built.

    Its geometry is written once to `static/geo/` and fetched by the browser, which caches it.
    """
    return read_map_layer(units_view.geodata_dir(), layer, parent, static_dir=paths.REPO_ROOT / "static" / "geo")
