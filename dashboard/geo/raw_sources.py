"""Read the raw boundary files (see boundaries/SOURCES.md) and check they are what we expect.

Every reader raises RawBoundaryError, whose message names the file, says what is wrong and what to
do, so the command line can print one paragraph instead of a traceback.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from dashboard.text import nfc

PROVINCES_63 = Path("odv-provinces-63/diaphantinh_63_fixednames.topojson")
PROVINCES_34 = Path("odv-provinces-34/diaphantinhvn_merged.geojson")
MAPPING_34 = Path("odv-provinces-34/vn34_mapping.xlsx")
DISTRICTS_2009 = Path("odv-districts-2009/diaphanhuyen.shp")
RAW_FILES = (PROVINCES_63, PROVINCES_34, MAPPING_34, DISTRICTS_2009)

_FIX_HINT = (
    "Restore it as a byte-for-byte copy of the upstream file listed in boundaries/SOURCES.md, "
    "or point the command at the right folder with --raw."
)


class RawBoundaryError(Exception):
    """A raw boundary file is missing or not in the expected shape."""


def _require(raw_dir: Path, relative: Path) -> Path:
    path = raw_dir / relative
    if not path.is_file():
        raise RawBoundaryError(f"Raw boundary file not found: {path}. {_FIX_HINT}")
    return path


def check_raw_files(raw_dir: Path) -> None:
    """Fail early, before any work, if a raw file (or a shapefile's sidecar) is missing."""
    for relative in RAW_FILES:
        _require(raw_dir, relative)
    for ext in (".shx", ".dbf", ".prj"):
        _require(raw_dir, DISTRICTS_2009.with_suffix(ext))


def _read_layer(path: Path, columns: set[str], expected_rows: int | None) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise RawBoundaryError(f"Cannot read {path}: {exc}. {_FIX_HINT}") from exc
    missing = columns - set(frame.columns)
    if missing:
        raise RawBoundaryError(
            f"{path} lacks the column(s) {sorted(missing)} (found {sorted(frame.columns)}). "
            f"{_FIX_HINT}"
        )
    if expected_rows is not None and len(frame) != expected_rows:
        raise RawBoundaryError(
            f"{path} has {len(frame)} features, expected {expected_rows}. {_FIX_HINT}"
        )
    if frame.geometry.isna().any() or frame.geometry.is_empty.any():
        raise RawBoundaryError(f"{path} has features without geometry. {_FIX_HINT}")
    if frame.crs is None:  # the TopoJSON declares none; SOURCES.md: lon/lat WGS84
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def read_provinces_63(raw_dir: Path) -> gpd.GeoDataFrame:
    """The 63-province layer: columns raw_name (NFC), geometry (as read, not yet repaired)."""
    path = _require(raw_dir, PROVINCES_63)
    frame = _read_layer(path, {"ten_tinh"}, 63)
    return gpd.GeoDataFrame({"raw_name": frame["ten_tinh"].map(nfc)}, geometry=frame.geometry.values,
                            crs=4326)


def read_provinces_34(raw_dir: Path) -> gpd.GeoDataFrame:
    """The 34-province layer (used only to cross-check the dissolve): raw_name, geometry."""
    path = _require(raw_dir, PROVINCES_34)
    frame = _read_layer(path, {"ten_tinh"}, 34)
    return gpd.GeoDataFrame({"raw_name": frame["ten_tinh"].map(nfc)}, geometry=frame.geometry.values,
                            crs=4326)


def read_mapping_34(raw_dir: Path) -> pd.DataFrame:
    """TaliaCao's old -> new province mapping (sheet `Mapping`): columns from_name, to_name."""
    path = _require(raw_dir, MAPPING_34)
    try:
        sheet = pd.read_excel(path, sheet_name="Mapping", dtype=str)
    except Exception as exc:
        raise RawBoundaryError(f"Cannot read sheet 'Mapping' of {path}: {exc}. {_FIX_HINT}") from exc
    if list(sheet.columns[:2]) != ["From", "To"] or len(sheet) != 63:
        raise RawBoundaryError(
            f"{path}, sheet 'Mapping', should have columns From, To and 63 rows; found "
            f"{list(sheet.columns)} and {len(sheet)} rows. {_FIX_HINT}"
        )
    return pd.DataFrame({"from_name": sheet["From"].map(nfc), "to_name": sheet["To"].map(nfc)})


def _fix_mojibake(text: str) -> str:
    # The DBF is UTF-8 but declares no code page, so it is read as Latin-1 (SOURCES.md).
    return nfc(text.encode("latin-1").decode("utf-8"))


def read_districts_2009(raw_dir: Path) -> gpd.GeoDataFrame:
    """The 2009 district layer, one row per polygon: Code_vung, Ten_Tinh, Ten_Huyen, geometry."""
    path = _require(raw_dir, DISTRICTS_2009)
    frame = _read_layer(path, {"Code_vung", "Ten_Tinh", "Ten_Huyen"}, None)
    try:
        for col in ("Ten_Tinh", "Ten_Huyen"):
            frame[col] = frame[col].map(_fix_mojibake)
    except (UnicodeEncodeError, UnicodeDecodeError) as exc:
        raise RawBoundaryError(
            f"{path}: names do not decode as UTF-8 read as Latin-1 ({exc}); the file is not the "
            f"expected one. {_FIX_HINT}"
        ) from exc
    codes = frame["Code_vung"].astype(str)
    if not codes.str.fullmatch(r"\d{5}").all():
        raise RawBoundaryError(f"{path}: some Code_vung values are not 5 digits. {_FIX_HINT}")
    out = gpd.GeoDataFrame(
        {"Code_vung": codes, "Ten_Tinh": frame["Ten_Tinh"], "Ten_Huyen": frame["Ten_Huyen"]},
        geometry=frame.geometry.values, crs=4326,
    )
    return out
