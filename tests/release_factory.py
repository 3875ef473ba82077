"""Build small releases in code for tests: valid by default, broken one rule at a time."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.release import contract as C
from dashboard.release.catalogue import indicator_table
from dashboard.release.write import to_table


def valid_results() -> pd.DataFrame:
    """A handful of figures across levels, geo versions and services, all within the rules."""
    rows = [
        # year, geo, level, unit, service, indicator, value, lo, hi, n, flag, source, parent
        (2023, "vn63", "national", "VN", "admin", "index", 82.66, None, None, None, None, "s1", None),
        (2023, "vn63", "national", "VN", "admin", "access", 83.0, 81.0, 85.0, 39700, None, "s1", None),
        (2023, "vn63", "province", "10", "admin", "index", 84.1, 80.2, 88.0, 520, None, "s1", "VN"),
        (2023, "vn63", "district", "084", "admin", "index", 86.91, 78.0, 93.5, 45, "low_n", "s2", "10"),
        (2023, "vn63", "district", "088", "health", "index", None, None, None, 6, "suppressed", "s2", "10"),
        (2025, "vn34", "province", "15", "education", "index", 88.0, 85.0, 91.0, 700, "provisional", "s2", "VN"),
        (2025, "vn34", "national", "VN", "education", "index", 85.0, 84.0, 86.0, 30000, None, "s2", None),
    ]
    cols = ["year", "geo_version", "level", "unit_code", "service", "indicator", "value", "ci_low", "ci_high",
            "n", "flag", "source_id", "parent_code"]
    return pd.DataFrame(rows, columns=cols)


def valid_descriptor() -> dict:
    return {
        "profile": "data-package", "id": "test-release", "name": "test-release",
        "title": "Bản thử", "title_en": "Test release", "version": "1.0.0",
        "published": "2026-01-01", "data_as_of": "2025-12-31", "demo": True,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"id": "s1", "title": "Bộ Nội vụ", "path": "https://example.org/sipas"},
                    {"id": "s2", "title": "Sở Nội vụ Lào Cai", "path": "https://example.org/laocai"}],
        "notes": [{"note_id": "n1", "kind": "method_break", "year": 2022, "service": "admin",
                   "text_vi": "Đổi phương pháp.", "text_en": "Method change."}],
        "contract_version": C.CONTRACT_VERSION,
    }


def write_raw_release(folder: Path, results: pd.DataFrame | None = None, indicators: pd.DataFrame | None = None,
                      descriptor: dict | None = None, results_table: pa.Table | None = None,
                      fix_hashes: bool = True) -> Path:
    """Write a release without validating it (so tests can write broken ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    results = valid_results() if results is None else results
    indicators = indicator_table() if indicators is None else indicators
    table = results_table if results_table is not None else to_table(results, C.TABLES["results"])
    pq.write_table(table, folder / "results.parquet")
    pq.write_table(to_table(indicators, C.TABLES["indicators"]), folder / "indicators.parquet")
    d = valid_descriptor() if descriptor is None else descriptor
    if "resources" not in d:
        d["resources"] = [{"name": n, "path": f"{n}.parquet", "format": "parquet",
                           "hash": "sha256:" + "0" * 64} for n in ("results", "indicators")]
    if fix_hashes:
        refresh_hashes(folder, d)
    (folder / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return folder


def refresh_hashes(folder: Path, d: dict) -> None:
    for r in d["resources"]:
        p = folder / r["path"]
        if p.is_file():
            r["hash"] = "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()


def rewrite_descriptor(folder: Path, change) -> None:
    """Apply `change(descriptor)` to datapackage.json, keeping the hashes right."""
    path = folder / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    change(d)
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
