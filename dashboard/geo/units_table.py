"""Read the processed table of known units (`geodata/units.parquet`)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard import paths

UNITS_FILE = "units.parquet"


@lru_cache(maxsize=4)
def _read_units(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_parquet(path)


def read_units(geodata_dir: Path | None = None) -> pd.DataFrame | None:
    """Every known unit (geo_version, level, unit_code, names, parent, centroid, aliases).

    Returns None when the geodata has not been built yet; callers then fall back to checking
    the code format only.
    """
    path = (geodata_dir or paths.GEODATA_DIR) / UNITS_FILE
    if not path.is_file():
        return None
    return _read_units(str(path), path.stat().st_mtime).copy()
