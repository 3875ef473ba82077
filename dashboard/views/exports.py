"""Tables as downloadable bytes: CSV (UTF-8 with BOM for Excel), XLSX and Parquet."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import pandas as pd

FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}


def to_format(frame: pd.DataFrame, fmt: str, sheet: str = "data") -> bytes:
    """`frame` as CSV (utf-8-sig), XLSX or Parquet bytes."""
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8-sig")
    buffer = io.BytesIO()
    if fmt == "xlsx":
        plain = frame.copy()
        for column in plain.columns:  # Excel has no nullable ints or pandas str dtype
            if pd.api.types.is_extension_array_dtype(plain[column].dtype) or pd.api.types.is_string_dtype(plain[column]):
                plain[column] = plain[column].astype(object).where(plain[column].notna(), None)
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            plain.to_excel(writer, index=False, sheet_name=sheet[:31] or "data")
    elif fmt == "parquet":
        frame.to_parquet(buffer, index=False)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {sorted(FORMATS)}")
    return buffer.getvalue()


@lru_cache(maxsize=24)
def release_table_bytes(folder: str, table: str, fmt: str) -> bytes:
    """A whole table of the release in `folder`, converted once per process."""
    from dashboard.contract import TABLES
    from dashboard.loaders import read_table

    if table == "notes":
        import json

        descriptor = json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))
        frame = pd.DataFrame(descriptor.get("notes", []))
        notes_file = Path(folder) / TABLES["notes"].path
        if notes_file.is_file():
            frame = pd.concat([frame, read_table(notes_file)], ignore_index=True)
    else:
        path = Path(folder) / TABLES[table].path
        if fmt == "parquet":
            return path.read_bytes()  # the published file itself, byte for byte
        frame = read_table(path)
    return to_format(frame, fmt, sheet=table)
