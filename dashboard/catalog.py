"""Which releases exist, which one the app opens by default, and building the default ones."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from dashboard import paths
from dashboard.contract import DATAPACKAGE
from dashboard.settings import load_settings

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
    entries = [e for f in sorted(root.iterdir()) if f.is_dir() and not f.name.startswith(".")
               for e in [_entry(f)] if e] if root.is_dir() else []
    return sorted(entries, key=lambda e: (e.demo, e.release_id))


def offered_releases() -> tuple[str, list[str]]:
    """The default release source (DASHBOARD_DATA or the real release) and every offered source."""
    default = load_settings().data
    others = [e.source for e in list_releases() if Path(e.source).resolve() != _resolved(default)]
    return default, [default, *others]


def _resolved(source: str) -> Path | None:
    return None if source.startswith(("http://", "https://")) else Path(source).resolve()


def ensure_default_releases(force: bool = False) -> int:
    """Build the real and demo releases under data/releases/ if they are missing."""
    from dashboard.demo import run_demo_command
    from dashboard.real_release import run_real_command

    status = 0
    real, demo = paths.RELEASES_DIR / REAL_RELEASE_ID, paths.RELEASES_DIR / DEMO_RELEASE_ID
    if force or not (real / DATAPACKAGE).is_file():
        status |= run_real_command(paths.SOURCES_DIR / "sipas_published.csv", real)
    if force or not (demo / DATAPACKAGE).is_file():
        print("building the demo release (about two minutes)...", file=sys.stderr)
        status |= run_demo_command(demo)
    return status
