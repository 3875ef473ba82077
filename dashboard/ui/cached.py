"""Every cached read the app makes, in one module (bounded: max_entries and ttl on each)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import paths
from dashboard.content import units as units_view
from dashboard.figures.maps.layers import MapLayer, read_map_layer
from dashboard.geo.units_table import units_or_empty
from dashboard.publishing import editions
from dashboard.release import read as loaders
from dashboard.release.contract import method_breaks
from dashboard.settings import load_settings
from dashboard.static_site import app_addresses
from dashboard.store import catalog
from dashboard.store.tracker import ReleaseTracker, TrackerState, open_snapshot

log = logging.getLogger(__name__)

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


def current_release(wait: bool = True) -> TrackerState:
    """The release DASHBOARD_DATA asks for now, or the last good one. Call it once per script run.

    Also called outside any script run, by the replica's warm start and its readiness check
    (dashboard/ui/readiness.py): the tracker is one object per process either way. `wait=False`:
    do not wait for a check another thread is doing."""
    settings = load_settings()
    return _tracker(settings.data, settings.check_every_s).state(wait=wait)


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
        except Exception as exc:  # noqa: BLE001 - a broken release is not offered; the others still are
            log.warning("release at %s is not offered: %s", source, exc)
    return options


@st.cache_data(max_entries=32, ttl=300, show_spinner=False)
def _option_by_id(data: str, release_id: str) -> ReleaseOption | None:
    """Any published release of the data root, asked for by id in the URL (None: none, or broken)."""
    source = catalog.release_source(data, release_id)
    if source is None:
        return None
    try:
        return _option(release(source), source)
    except Exception as exc:  # noqa: BLE001 - a broken release is not offered; the note says so
        log.warning("release at %s is not offered: %s", source, exc)
        return None


def release_options(current: loaders.Release | None, wanted: str | None = None) -> list[ReleaseOption]:
    """Releases the app offers: the current one (served from its snapshot) first, the one before it
    and the demo; and `wanted` (the URL's ?release=<id>), any published release. Broken ones left out."""
    data = load_settings().data
    options = [_option(current, str(current.folder))] if current is not None else []
    seen = {o.release_id for o in options}
    for option in _other_options(data, current.id if current is not None else None):
        if option.release_id not in seen:
            seen.add(option.release_id)
            options.append(option)
    if wanted and wanted not in seen:
        asked = _option_by_id(data, wanted)
        if asked is not None and asked.release_id == wanted:
            options.append(asked)
    return options


def _plain_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects: pages walk rows (names, labels, hover text), and iterating
    pandas' Arrow-backed strings is ten times slower (py-spy: a quarter of a rerun)."""
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column].dtype) and frame[column].dtype != object:
            frame[column] = frame[column].astype(object)
    return frame


def _filters_key(filters: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple, set)) else v) for k, v in filters.items()))


# Frames are cached as resources (one shared object, not a pickled copy per call: unpickling the
# whole results table cost tens of ms on every rerun). Callers get a shallow copy; with pandas'
# copy-on-write, nothing they do to it can reach the cached frame.
@st.cache_resource(max_entries=128, ttl=TTL, show_spinner=False)
def _results(source: str, key: tuple) -> pd.DataFrame:
    filters = {k: (list(v) if isinstance(v, tuple) else v) for k, v in key}
    frame = loaders.load_results(release(source), **filters)
    if "n" in frame and not isinstance(frame["n"].dtype, pd.Int32Dtype):
        frame["n"] = frame["n"].astype("Int32")
    frame["year"] = frame["year"].astype(int)
    return _plain_strings(frame)


def results(source: str, **filters) -> pd.DataFrame:
    """Rows of results.parquet, e.g. results(src, year=2024, level="province")."""
    return _results(source, _filters_key(filters)).copy(deep=False)


@st.cache_resource(max_entries=64, ttl=TTL, show_spinner=False)
def _statistics(source: str, name: str, key: tuple) -> pd.DataFrame:
    filters = {k: (list(v) if isinstance(v, tuple) else v) for k, v in key}
    return _plain_strings(loaders.load_table(release(source), name, **filters))


def statistics(source: str, name: str, **filters) -> pd.DataFrame:
    """Rows of the release's `ranks` or `changes` table (empty if the release has none)."""
    return _statistics(source, name, _filters_key(filters)).copy(deep=False)


@st.cache_resource(max_entries=16, ttl=TTL, show_spinner=False)
def _indicators(source: str) -> pd.DataFrame:
    return loaders.load_indicators(release(source))


def indicators(source: str) -> pd.DataFrame:
    return _indicators(source).copy(deep=False)


@st.cache_resource(max_entries=16, ttl=TTL, show_spinner=False)
def _notes(source: str) -> pd.DataFrame:
    return loaders.load_notes(release(source))


def notes(source: str) -> pd.DataFrame:
    return _notes(source).copy(deep=False)


@st.cache_resource(max_entries=32, ttl=TTL, show_spinner=False)
def _years_of(source: str) -> pd.DataFrame:
    """Which (year, geo_version, level, service, indicator) combinations a release holds."""
    frame = loaders.load_results(release(source), columns=["year", "geo_version", "level", "service", "indicator", "unit_code"])
    frame["year"] = frame["year"].astype(int)
    return frame.groupby(["year", "geo_version", "level", "service", "indicator"], as_index=False).agg(
        units=("unit_code", "nunique"))


def years_of(source: str) -> pd.DataFrame:
    return _years_of(source).copy(deep=False)


@st.cache_resource(max_entries=2, ttl=TTL, show_spinner=False)
def _units() -> pd.DataFrame:
    return units_or_empty()


def units() -> pd.DataFrame:
    return _units().copy(deep=False)


# A resource, not data: every unit name on a page is looked up here, and cache_data would copy
# the whole dictionary on each call (16% of a rerun, profiled with py-spy). Nobody mutates it.
@st.cache_resource(max_entries=1, ttl=TTL, show_spinner=False)
def names() -> dict[tuple[str, str], str]:
    return units_view.name_lookup(_units())


@st.cache_resource(max_entries=1, ttl=TTL, show_spinner=False)
def province_counts() -> dict[str, int]:
    """geo_version -> how many provinces its boundary set has (from the geodata's units)."""
    return units_view.province_counts(_units())


@st.cache_resource(max_entries=96, ttl=TTL, show_spinner=False)
def geo_layer(layer: str, parent: str | None = None) -> MapLayer | None:
    """A boundary layer (or one province's districts) ready to draw; None if geodata is not built.

    Its geometry is written once to `static/geo/` and fetched by the browser, which caches it.
    """
    return read_map_layer(load_settings().geodata_dir, layer, parent, static_dir=paths.STATIC_DIR / "geo")


@st.cache_resource(max_entries=16, ttl=TTL, show_spinner=False)
def breaks(source: str) -> frozenset[tuple[str, int]]:
    """The (service, year) method breaks the release's notes declare."""
    return frozenset(method_breaks(_notes(source)))


# Pre-computed page content: the same for every reader of a release, year and language, so a
# rerun (a reader changing another choice) does not recompute it.
@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def overview_sentences(source: str, year: int, lang: str) -> list[str]:
    """The overview's plain-language summary of `year`."""
    from dashboard.content.overview import summary_sentences
    from dashboard.content.units import unit_name

    lookup = names()
    return summary_sentences(results(source, indicator="index"), year, lang, release(source).demo,
                             lambda geo, code: unit_name(lookup, geo, code, lang),
                             statistics(source, "changes", year=year), breaks(source), province_counts())


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def overview_movers(source: str, year: int) -> dict:
    """The clearest rises and falls into `year` below the national level (see views.figures.movers)."""
    from dashboard.content.comparisons import movers

    return movers(results(source, indicator="index"), statistics(source, "changes", year=year), year)


@st.cache_resource(max_entries=16, ttl=60, show_spinner=False)
def _light_edition(root: str, release_id: str, mirrored: bool) -> str | None:
    """The folder of a release's light edition (None: it has none). Without a web server in front
    (`mirrored`), it is first copied where Streamlit serves static files (once per build)."""
    if not editions.has_edition(Path(root), release_id):
        return None
    if mirrored:

        try:
            if editions.mirror_edition(Path(root), release_id, paths.STATIC_DIR) is None:
                return None
        except OSError:  # a read-only deployment: no light edition to link to from here
            return None
    return str(editions.edition_path(Path(root), release_id))


def light_address(slug: str, params: dict[str, str], release_id: str, current: bool) -> str | None:
    """The address of the light edition's page that matches this view (see `dashboard.static_site.app_addresses`),
    or None when the release has no light edition."""
    settings = load_settings()
    root = catalog.data_root_of(settings.data) or paths.RELEASES_DIR
    folder = _light_edition(str(root), release_id, settings.light_url is None)
    if folder is None:
        return None
    page = app_addresses.light_page(slug, params, _units(), exists=lambda path: (Path(folder) / path).is_file())
    return app_addresses.light_base(release_id, current, settings.light_url) + page
