"""Which releases exist, which one the app opens by default, and building the default ones."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dashboard import paths
from dashboard.release.contract import DATAPACKAGE
from dashboard.release.fetch import is_url
from dashboard.settings import load_settings
from dashboard.store.pointer import POINTER_NAME, PointerError, current_release_id, is_data_root, read_pointer

REAL_RELEASE_ID = "sipas-published"
DEMO_RELEASE_ID = "demo"


@dataclass(frozen=True)
class ReleaseEntry:
    """A release the app can offer: where it is and how to label it."""

    source: str
    release_id: str
    demo: bool
    title_vi: str
    title_en: str


def _entry(folder: Path) -> ReleaseEntry | None:
    try:
        d = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))
        return ReleaseEntry(str(folder), str(d["id"]), bool(d["demo"]), str(d["title"]), str(d["title_en"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a broken folder is reported when someone opens it, not listed here


def list_releases(root: Path | None = None) -> list[ReleaseEntry]:
    """Releases under the data root, real ones first, then by id."""
    root = root or paths.RELEASES_DIR
    entries = [e for f in sorted(root.iterdir())
               if f.is_dir() and not f.name.startswith(".") and f.name != POINTER_NAME
               for e in [_entry(f)] if e] if root.is_dir() else []
    return sorted(entries, key=lambda e: (e.demo, e.release_id))


def data_root_of(data: str) -> Path | None:
    """The data root DASHBOARD_DATA names, or None when it names one release (folder or URL)."""
    if is_url(data):
        return None
    folder = Path(data)
    return folder if not folder.exists() or is_data_root(folder) else None


def current_source(data: str) -> str:
    """Where the current release is: a data root's `current` release folder, or DASHBOARD_DATA itself.

    This only reads the pointer; the app opens and validates the release through its tracker.
    """
    root = data_root_of(data)
    if root is None:
        return data
    try:
        release_id = current_release_id(root)
    except PointerError:
        release_id = None
    return str(root / release_id) if release_id else str(root)


def _previous_release_id(data: str) -> str | None:
    """The release the data root served before its current one (None: none, or not a data root)."""
    root = data_root_of(data)
    if root is None:
        return None
    try:
        pointer = read_pointer(root)
    except PointerError:
        return None
    return pointer.history[-1] if pointer is not None and pointer.history else None


def other_releases(data: str) -> list[str]:
    """Sources of the releases the switch offers beside the current one: the release current
    before it and the demo (of its data root, or of data/releases/ when DASHBOARD_DATA names a
    single release). Publishing keeps every release, so the switch offers these few only; the
    methodology page lists every release, and `?release=<id>` opens any of them (`release_source`)."""
    current = _resolved(current_source(data))
    root = data_root_of(data) or paths.RELEASES_DIR
    entries = [e for e in list_releases(root) if Path(e.source).resolve() != current]
    previous = _previous_release_id(data)
    demos = [e for e in entries if e.demo]
    demo = next((e for e in demos if e.release_id == DEMO_RELEASE_ID), demos[-1] if demos else None)
    return [e.source for e in entries if e.release_id == previous or e is demo]


def published_releases(data: str) -> list[ReleaseEntry]:
    """Every release of the data root DASHBOARD_DATA names (of data/releases/ for a single release)."""
    return list_releases(data_root_of(data) or paths.RELEASES_DIR)


def release_source(data: str, release_id: str) -> str | None:
    """Where the release `release_id` of the data root is (any published one), None if it has none."""
    return next((e.source for e in published_releases(data) if e.release_id == release_id), None)


def offered_releases() -> tuple[str, list[str]]:
    """The current release's source (see `current_source`) and the sources the switch offers, it first."""
    data = load_settings().data
    default = current_source(data)
    return default, [default, *other_releases(data)]


def _resolved(source: str) -> Path | None:
    return None if source.startswith(("http://", "https://")) else Path(source).resolve()
