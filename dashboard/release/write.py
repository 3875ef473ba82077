"""Write a release folder that follows contract v1: typed Parquet tables plus datapackage.json.

The folder is written beside its destination under a temporary name, validated, and only then
moved into place, so a failed build never leaves a half-written release where the app reads.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.atomic_files import FOLDER_MODE, sha256_tag, swap_folder
from dashboard.release import contract as C


class ReleaseWriteError(Exception):
    """The release did not pass validation; nothing was replaced."""

    def __init__(self, report) -> None:
        super().__init__(report.format_text())
        self.report = report


def to_table(frame: pd.DataFrame, spec: C.TableSpec, extra: list[pa.Field] = ()) -> pa.Table:
    """Cast a frame to the contract's schema for the table (plus optional/extra columns present)."""
    fields = list(spec.schema)
    for fld in list(spec.optional_fields) + list(extra):
        if fld.name in frame.columns:
            fields.append(fld)
    schema = pa.schema(fields)
    arrays = [pa.array(_column_values(frame[f.name]), type=f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _column_values(series: pd.Series) -> list:
    return [None if (v is None or v is pd.NA or (isinstance(v, float) and v != v)) else
            (v.item() if hasattr(v, "item") else v) for v in series.tolist()]


def _write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", write_statistics=True, row_group_size=1 << 17)




def write_release(out_dir: Path, meta: dict, results: pd.DataFrame, indicators: pd.DataFrame,
                  notes: pd.DataFrame | None = None, extra_result_fields: list[dict] | None = None,
                  statistics: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write, validate and atomically put a release in place at `out_dir`.

    `meta` holds the descriptor's metadata (id, titles, dates, licences, sources, demo, notes...).
    `statistics` holds the optional tables ranks, changes and harmonised (contract v1, optional).
    `extra_result_fields` describes extra columns of results.parquet as
    {"name", "type" (pyarrow type), "description"}; they are documented in the descriptor.
    """
    from dashboard.release.validate import validate_release  # validate imports this module's siblings

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    os.chmod(staging, FOLDER_MODE)  # mkdtemp makes it private; a web server must read the release
    try:
        extra = extra_result_fields or []
        tables = {
            "results": to_table(results.sort_values(list(C.RESULT_KEY)), C.TABLES["results"],
                                [pa.field(e["name"], e["type"]) for e in extra]),
            "indicators": to_table(indicators.sort_values(["service", "sort_order"]), C.TABLES["indicators"]),
        }
        if notes is not None and len(notes):
            tables["notes"] = to_table(notes, C.TABLES["notes"])
        for name, frame in (statistics or {}).items():
            if len(frame):
                spec = C.TABLES[name]
                tables[name] = to_table(frame.sort_values(list(spec.key)), spec)
        resources = []
        for name, table in tables.items():
            spec = C.TABLES[name]
            _write_parquet(table, staging / spec.path)
            resource = {"name": name, "path": spec.path, "format": "parquet",
                        "mediatype": "application/vnd.apache.parquet",
                        "hash": sha256_tag(staging / spec.path)}
            resource["schema"] = C.frictionless_schema(spec, table.column_names, extra if name == "results" else ())
            resources.append(resource)
        descriptor = {"profile": "data-package", **meta, "contract_version": C.CONTRACT_VERSION,
                      "resources": resources}
        (staging / C.DATAPACKAGE).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                            encoding="utf-8")
        report = validate_release(staging)
        if not report.valid:
            raise ReleaseWriteError(report)
        swap_folder(staging, out_dir, fsync_files=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return out_dir


