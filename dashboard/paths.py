"""Where things are on disk. Everything is relative to the repository root."""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = REPO_ROOT / "geodata"
DATA_DIR = REPO_ROOT / "data"
RELEASES_DIR = DATA_DIR / "releases"
SOURCES_DIR = DATA_DIR / "sources"
# The project's shared folder (spec, raw boundaries) sits beside the repository.
SHARED_DIR = REPO_ROOT.parent / "shared"
RAW_BOUNDARIES_DIR = SHARED_DIR / "boundaries" / "raw"
