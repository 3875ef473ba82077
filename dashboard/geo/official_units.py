"""Official lists of administrative units (GSO codes) from the `vietnamadminunits` package.

These are build-time sources: the geodata build and the demo generator read them; the app reads
the processed `geodata/units.parquet` instead, so it does not depend on the package's layout.

- vn63: the last pre-reform set (63 provinces, 696 districts, their communes), table
  `admin_units_legacy` of vietnamadminunits 1.0.4.
- vn34: the 34 provinces from 1 July 2025, table `admin_units`.
- the province crosswalk vn63 -> vn34 comes from the package's `converter_2025.json`
  (`DICT_PROVINCE`: new province key -> old province keys).
"""
from __future__ import annotations

import json
import sqlite3
import unicodedata
from functools import lru_cache
from importlib import resources

import pandas as pd


def _data_file(name: str):
    return resources.files("vietnamadminunits") / "data" / name


def _nfc(s: pd.Series) -> pd.Series:
    return s.map(lambda v: unicodedata.normalize("NFC", v) if isinstance(v, str) else v)


@lru_cache(maxsize=4)
def _query(sql: str) -> pd.DataFrame:
    with resources.as_file(_data_file("dataset.db")) as path:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            frame = pd.read_sql_query(sql, con)
        finally:
            con.close()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = _nfc(frame[col])
    return frame


def provinces(geo_version: str) -> pd.DataFrame:
    """Provinces of a geo version: unit_code, name_vi (short), full_name_vi, key, lat, lon."""
    table = {"vn63": "admin_units_legacy", "vn34": "admin_units"}[geo_version]
    frame = _query(  # the table name comes from the fixed map above, never from input
        f"SELECT DISTINCT provinceCode AS unit_code, provinceShort AS name_vi, province AS full_name_vi,"  # noqa: S608
        f" provinceKey AS key, provinceLat AS lat, provinceLon AS lon FROM {table}"
    )
    return frame.sort_values("unit_code", ignore_index=True).copy()


def districts_vn63() -> pd.DataFrame:
    """The 696 district-level units before July 2025: unit_code (3 digits), names, parent, centroid."""
    frame = _query(
        "SELECT DISTINCT districtCode AS unit_code, districtShort AS name_vi, district AS full_name_vi,"
        " districtType AS unit_type, provinceCode AS parent_code, districtLat AS lat, districtLon AS lon"
        " FROM admin_units_legacy"
    )
    return frame.sort_values("unit_code", ignore_index=True).copy()


def communes_vn63() -> pd.DataFrame:
    """Communes (wards, townships) before July 2025: unit_code (5 digits), name, district, province."""
    frame = _query(
        "SELECT DISTINCT wardCode AS unit_code, wardShort AS name_vi, ward AS full_name_vi,"
        " districtCode AS district_code, provinceCode AS province_code, wardLat AS lat, wardLon AS lon"
        " FROM admin_units_legacy WHERE wardCode IS NOT NULL"
    )
    return frame.sort_values("unit_code", ignore_index=True).copy()


@lru_cache(maxsize=1)
def province_crosswalk() -> pd.DataFrame:
    """Each vn63 province -> the vn34 province it merged into (columns vn63_code, vn34_code)."""
    with resources.as_file(_data_file("converter_2025.json")) as path:
        mapping = json.loads(path.read_text(encoding="utf-8"))["DICT_PROVINCE"]
    old = provinces("vn63").set_index("key")["unit_code"]
    new = provinces("vn34").set_index("key")["unit_code"]
    rows = [(old[o], new[n]) for n, olds in mapping.items() for o in olds]
    frame = pd.DataFrame(rows, columns=["vn63_code", "vn34_code"])
    return frame.sort_values("vn63_code", ignore_index=True)


def communes_vn34() -> pd.DataFrame:
    """Communes (wards) from 1 July 2025: unit_code (5 digits), name, province, centroid."""
    frame = _query(
        "SELECT DISTINCT wardCode AS unit_code, wardShort AS name_vi, ward AS full_name_vi,"
        " provinceCode AS province_code, wardLat AS lat, wardLon AS lon FROM admin_units"
    )
    return frame.sort_values("unit_code", ignore_index=True).copy()
