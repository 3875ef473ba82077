"""Releases for the fault test: copies of the demo release, each with its own id and version.

Only `datapackage.json` changes between copies (id, name, version, titles); the Parquet files are
the demo's, byte for byte, so the sha256 of every resource still holds and each copy validates.
They are published with the real `publish` code, into a throw-away data root, and one of them is
later damaged in place the way a bad disk or a careless hand would (`corrupt_release`).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from dashboard import paths
from dashboard.publishing.publish import PublishOutcome, publish_release
from dashboard.release.contract import DATAPACKAGE

DEMO_RELEASE = paths.RELEASES_DIR / "demo"
# A slice of the demo (30 places, 2023–2025), frozen as a golden release: the short run in the test
# suite publishes copies of it, whose light editions build in seconds instead of half a minute.
DEMO_SLICE = paths.REPO_ROOT / "tests" / "fixtures" / "golden-v1" / "demo-slice"
DAMAGED_FILE = "results.parquet"


def make_release_copy(target: Path, release_id: str, version: str, source: Path = DEMO_RELEASE) -> Path:
    """A valid release at `target`: the files of `source` with a new id, version and titles."""
    target.mkdir(parents=True, exist_ok=True)
    descriptor = json.loads((source / DATAPACKAGE).read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        shutil.copyfile(source / resource["path"], target / resource["path"])
    descriptor.update({"id": release_id, "name": release_id, "version": version,
                       "title": f"{descriptor['title']} ({release_id})",
                       "title_en": f"{descriptor['title_en']} ({release_id})"})
    (target / DATAPACKAGE).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def publish_copy(staging_dir: Path, data_root: Path, release_id: str, version: str,
                 source: Path = DEMO_RELEASE) -> PublishOutcome:
    """Make a copy of `source` (default the demo release) and publish it into `data_root` (it becomes current)."""
    source = make_release_copy(staging_dir / release_id, release_id, version, source)
    return publish_release(source, data_root)


def corrupt_release(data_root: Path, release_id: str) -> Path:
    """Cut the release's results file in half, in place (it no longer matches its sha256 or reads
    as Parquet). Returns the damaged file."""
    damaged = data_root / release_id / DAMAGED_FILE
    size = damaged.stat().st_size
    with damaged.open("r+b") as fh:
        fh.truncate(size // 2)
    return damaged
