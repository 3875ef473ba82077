"""Every table of every release at a fixed address: `static/releases/<release id>/<table>.<format>`.

Streamlit serves `<repo>/static/` at `<app URL>/app/static/` (`server.enableStaticServing`), so
`https://host/app/static/releases/demo/results.csv` is a link an article, a spreadsheet or a script
can rely on. Formats: CSV (UTF-8 with BOM), JSON (array of records), XLSX, Parquet (the published
file, byte for byte) and the release's `datapackage.json`. A release's files never change once
written (same release, same bytes), and a release id is never reused for other data, so the
addresses do not break. `index.json` per release (and one for all releases) lists the files with
size and sha256.

What Streamlit sends (its static route guesses the type from the extension with Python's
`mimetypes` and adds `X-Content-Type-Options: nosniff` and `Access-Control-Allow-Origin: *`):
.csv text/csv, .json application/json, .xlsx the OOXML spreadsheet type, .parquet
application/octet-stream (no registered type); files over 200 MB are refused (ours are < 25 MB).

The folder is generated (`python -m dashboard static-files`, also run by `make run` through
`python -m dashboard defaults`) and not committed; when it is missing the app still works and
`stable_data_urls` reports the files as not available.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dashboard import paths
from dashboard.atomic_files import swap_folder
from dashboard.exports.map_geometry import STATIC_DIR
from dashboard.exports.tables import FORMATS, table_bytes
from dashboard.release.contract import DATAPACKAGE, TABLES

RELEASES_SUBDIR = "releases"
STATIC_URL_PREFIX = paths.STATIC_URL.rstrip("/")
INDEX = "index.json"
WRITER_VERSION = 1  # bump when the bytes written for the same release change (forces a rewrite)
TABLE_FORMATS: tuple[str, ...] = ("csv", "json", "xlsx", "parquet")
# Tables in the order they are listed; each only when the release has it.
TABLE_ORDER: tuple[str, ...] = ("results", "indicators", "notes", "published_ranks", "ranks", "changes", "harmonised",
                                 "gaps")


@dataclass(frozen=True)
class StableFile:
    """One file at a stable address."""

    release_id: str
    table: str  # a table name, or "datapackage"
    fmt: str  # csv, json, xlsx, parquet
    available: bool = True  # False when the static folder has not been written on this server

    @property
    def file_name(self) -> str:
        return DATAPACKAGE if self.table == "datapackage" else f"{self.table}.{self.fmt}"

    @property
    def path(self) -> str:
        """Relative to the static folder (and to a static edition's data folder)."""
        return f"{RELEASES_SUBDIR}/{self.release_id}/{self.file_name}"

    @property
    def mime(self) -> str:
        return FORMATS[self.fmt][0]

    def url(self, base_url: str = "") -> str:
        """The address under the app: `<base_url>/app/static/releases/<id>/<file>`."""
        prefix = f"{base_url.rstrip('/')}/" if base_url else ""
        return f"{prefix}{STATIC_URL_PREFIX}/{self.path}"


def release_tables(folder: Path) -> list[str]:
    """The tables a release has (notes when its descriptor or notes.parquet has any)."""
    descriptor = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))
    present = []
    for table in TABLE_ORDER:
        if table == "notes":
            if descriptor.get("notes") or (folder / TABLES["notes"].path).is_file():
                present.append(table)
        elif (folder / TABLES[table].path).is_file():
            present.append(table)
    return present


def release_files(folder: Path, release_id: str) -> list[StableFile]:
    """Every stable file of the release in `folder`: each table in each format, then the descriptor."""
    files = [StableFile(release_id, table, fmt) for table in release_tables(folder) for fmt in TABLE_FORMATS]
    return files + [StableFile(release_id, "datapackage", "json")]


def file_bytes(folder: Path, item: StableFile) -> bytes:
    if item.table == "datapackage":
        return (folder / DATAPACKAGE).read_bytes()
    return table_bytes(folder, item.table, item.fmt)


def _source_hash(folder: Path) -> str:
    """Identifies the release's content: its descriptor holds the sha256 of every Parquet file."""
    return hashlib.sha256((folder / DATAPACKAGE).read_bytes()).hexdigest()


def _json_bytes(payload: dict) -> bytes:
    return (json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_release_files(folder: Path, static_dir: Path = STATIC_DIR) -> tuple[Path, bool]:
    """Write one release's stable files (atomically: a reader never sees half a release).

    Returns (its folder, whether anything was written); an up-to-date folder is left alone.
    """
    descriptor = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))
    release_id = str(descriptor["id"])
    target = static_dir / RELEASES_SUBDIR / release_id
    source_hash = _source_hash(folder)
    index_file = target / INDEX
    if index_file.is_file():
        try:
            index = json.loads(index_file.read_text(encoding="utf-8"))
            if index.get("source_sha256") == source_hash and index.get("writer_version") == WRITER_VERSION and all(
                    (target / f["name"]).is_file() for f in index.get("files", [])):
                return target, False
        except ValueError:
            pass  # a damaged index: rewrite the release
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{release_id}-", dir=target.parent))
    try:
        listed = []
        for item in release_files(folder, release_id):
            data = file_bytes(folder, item)
            (staging / item.file_name).write_bytes(data)
            listed.append({"name": item.file_name, "table": item.table, "format": item.fmt, "bytes": len(data),
                           "sha256": hashlib.sha256(data).hexdigest(), "mediatype": item.mime})
        index = {"id": release_id, "title": descriptor.get("title"), "title_en": descriptor.get("title_en"),
                 "version": descriptor.get("version"), "demo": bool(descriptor.get("demo")),
                 "data_as_of": descriptor.get("data_as_of"), "source_sha256": source_hash,
                 "writer_version": WRITER_VERSION, "files": listed}
        (staging / INDEX).write_bytes(_json_bytes(index))
        os.chmod(staging, 0o755)  # noqa: S103 - public files, read by the web server's user
        swap_folder(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target, True


def write_all_release_files(releases_dir: Path = paths.RELEASES_DIR, static_dir: Path = STATIC_DIR,
                            out=sys.stderr) -> int:
    """Write the stable files of every release under `releases_dir`, and the overall index.

    Returns an exit code: 0 done, 1 when a release could not be written (the others still are).
    """
    from dashboard.store.catalog import list_releases

    status, releases, seen = 0, [], set()
    for entry in list_releases(releases_dir):
        if entry.release_id in seen:
            continue  # the same release twice (e.g. a copy): its addresses are the same
        seen.add(entry.release_id)
        folder = Path(entry.source)
        try:
            target, written = write_release_files(folder, static_dir)
        except (OSError, ValueError, KeyError) as exc:
            print(f"static files: could not write release {entry.release_id!r}: {exc}", file=out)
            status = 1
            continue
        releases.append({"id": entry.release_id, "demo": entry.demo, "title": entry.title_vi,
                         "title_en": entry.title_en, "index": f"{entry.release_id}/{INDEX}"})
        print(f"static files: {'wrote' if written else 'up to date'} {target}", file=out)
    root = static_dir / RELEASES_SUBDIR
    if releases:
        root.mkdir(parents=True, exist_ok=True)
        payload = _json_bytes({"releases": releases})
        if not (root / INDEX).is_file() or (root / INDEX).read_bytes() != payload:
            (root / INDEX).write_bytes(payload)
    return status


def stable_data_urls(release, base_url: str = "", static_dir: Path = STATIC_DIR) -> list[tuple[StableFile, str]]:
    """(file, URL) for every stable file of a `loaders.Release`, for the /data page.

    `file.available` says whether the file is actually on this server (the folder is generated).
    """
    out = []
    for item in release_files(release.folder, release.id):
        available = (static_dir / item.path).is_file()
        item = StableFile(item.release_id, item.table, item.fmt, available)
        out.append((item, item.url(base_url)))
    return out

