"""The one reader of the processed table of known units (`geodata/units.parquet`).

The validator, the build from published figures and the app all read units here. Where the
geodata is: DASHBOARD_GEODATA, else the repository's geodata/ (see `dashboard.settings`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.settings import load_settings

UNITS_FILE = "units.parquet"
# The columns the app reads (the build writes more: centroids, label points).
APP_COLUMNS = ["geo_version", "level", "unit_code", "name_vi", "name_en", "slug", "parent_code", "aliases"]


@lru_cache(maxsize=4)
def _read_units(path: str, mtime: float) -> pd.DataFrame:
    units = pd.read_parquet(path)
    for column in APP_COLUMNS:
        if column not in units:
            units[column] = ""
    return units


def read_units(geodata_dir: Path | None = None) -> pd.DataFrame | None:
    """Every known unit (geo_version, level, unit_code, names, parent, centroid, aliases).

    None when the geodata has not been built yet: the validator then says the unit codes were
    not checked (`unit-codes-unchecked`) rather than passing silently; the app names units by
    their code (`units_or_empty`)."""
    path = (geodata_dir or load_settings().geodata_dir) / UNITS_FILE
    if not path.is_file():
        return None
    return _read_units(str(path), path.stat().st_mtime).copy()


def units_or_empty(geodata_dir: Path | None = None) -> pd.DataFrame:
    """The unit table's APP_COLUMNS; empty (with those columns) when geodata is not built yet,
    so no page breaks: a unit's name is then its code."""
    units = read_units(geodata_dir)
    if units is None:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in APP_COLUMNS})
    return units[APP_COLUMNS].copy()
