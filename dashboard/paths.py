"""Where things are on disk. Everything is relative to the repository root."""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = REPO_ROOT / "geodata"
DATA_DIR = REPO_ROOT / "data"
RELEASES_DIR = DATA_DIR / "releases"
SOURCES_DIR = DATA_DIR / "sources"
# Streamlit's static folder (served at STATIC_URL, "app/static/"): map geometry (geo/), the stable
# release files (releases/), the light editions without a web server in front (light/).
STATIC_DIR = REPO_ROOT / "static"
STATIC_URL = "app/static/"
# The project's shared folder (spec, raw boundaries) sits beside the repository.
SHARED_DIR = REPO_ROOT.parent / "shared"
RAW_BOUNDARIES_DIR = SHARED_DIR / "boundaries" / "raw"
