"""Tables as downloadable bytes: CSV (UTF-8 with BOM, so Excel keeps the diacritics), XLSX, JSON
and Parquet. The same bytes for the same table, every time (stable URLs depend on it)."""
from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.exports.errors import NothingToExport
from dashboard.exports.xlsx import xlsx_bytes

# format -> (MIME type, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}


def require_rows(frame: pd.DataFrame | None, what: str = "the view") -> pd.DataFrame:
    """`frame` itself, or `NothingToExport` when it is missing or has no rows."""
    if frame is None or len(frame) == 0:
        raise NothingToExport(f"{what} holds no rows")
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark: Excel then opens 'Đắk Lắk' as 'Đắk Lắk'."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def json_bytes(frame: pd.DataFrame) -> bytes:
    """A JSON array of records (column -> value), UTF-8 without escapes, missing values as null."""
    text = frame.to_json(orient="records", force_ascii=False, double_precision=15)
    return text.encode("utf-8")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def to_format(frame: pd.DataFrame, fmt: str, sheet: str = "data") -> bytes:
    """`frame` as CSV (utf-8-sig), XLSX, JSON or Parquet bytes."""
    if fmt == "csv":
        return csv_bytes(frame)
    if fmt == "xlsx":
        return xlsx_bytes([(sheet, frame)])
    if fmt == "json":
        return json_bytes(frame)
    if fmt == "parquet":
        return parquet_bytes(frame)
    raise ValueError(f"unknown format {fmt!r}; use one of {sorted(FORMATS)}")


def read_release_table(folder: str | Path, table: str) -> pd.DataFrame:
    """A whole table of the release in `folder`; `notes` joins the descriptor's notes and
    notes.parquet; an optional table the release lacks reads as an empty frame."""
    from dashboard.release.contract import DATAPACKAGE, TABLES
    from dashboard.release.read import read_table

    folder = Path(folder)
    path = folder / TABLES[table].path
    if table == "notes":
        descriptor = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))
        frames = [pd.DataFrame(descriptor.get("notes", []))]
        if path.is_file():
            frames.append(read_table(path))
        return pd.concat(frames, ignore_index=True)
    if not path.is_file():
        return pd.DataFrame({name: pd.Series(dtype="object") for name in TABLES[table].schema.names})
    return read_table(path)


def table_bytes(folder: str | Path, table: str, fmt: str) -> bytes:
    """A whole release table in `fmt`; Parquet is the published file itself, byte for byte."""
    from dashboard.release.contract import TABLES

    path = Path(folder) / TABLES[table].path
    if fmt == "parquet" and path.is_file():
        return path.read_bytes()
    return to_format(read_release_table(folder, table), fmt, sheet=table)


@lru_cache(maxsize=24)
def release_table_bytes(folder: str, table: str, fmt: str) -> bytes:
    """`table_bytes`, converted once per process (the app's /data page)."""
    return table_bytes(folder, table, fmt)
