"""The two releases the app serves out of the box (data/releases/), built when missing."""
from __future__ import annotations

import sys

from dashboard import paths
from dashboard.build.demo import run_demo_command
from dashboard.build.published import run_real_command
from dashboard.release.contract import DATAPACKAGE
from dashboard.store.catalog import DEMO_RELEASE_ID, REAL_RELEASE_ID


def ensure_default_releases(force: bool = False) -> int:
    """Build the real and demo releases under data/releases/ if they are missing."""
    status = 0
    real, demo = paths.RELEASES_DIR / REAL_RELEASE_ID, paths.RELEASES_DIR / DEMO_RELEASE_ID
    if force or not (real / DATAPACKAGE).is_file():
        status |= run_real_command(None, real)
    if force or not (demo / DATAPACKAGE).is_file():
        print("building the demo release (about two minutes)...", file=sys.stderr)
        status |= run_demo_command(demo)
    return status
