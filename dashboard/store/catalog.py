"""Which releases exist, which one the app opens by default, and building the default ones."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dashboard import paths
from dashboard.release.contract import DATAPACKAGE
from dashboard.release.fetch import is_url
from dashboard.settings import load_settings
from dashboard.store.pointer import POINTER_NAME, PointerError, current_release_id, is_data_root

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


def other_releases(data: str) -> list[str]:
    """Sources of the releases offered beside the current one: the rest of its data root
    (or of data/releases/ when DASHBOARD_DATA names a single release)."""
    current = _resolved(current_source(data))
    root = data_root_of(data) or paths.RELEASES_DIR
    return [e.source for e in list_releases(root) if Path(e.source).resolve() != current]


def offered_releases() -> tuple[str, list[str]]:
    """The current release's source (see `current_source`) and every offered source, it first."""
    data = load_settings().data
    default = current_source(data)
    return default, [default, *other_releases(data)]


def _resolved(source: str) -> Path | None:
    return None if source.startswith(("http://", "https://")) else Path(source).resolve()
