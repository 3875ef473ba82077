"""Copying a release's files safely, and telling whether two copies hold the same release.

Only the files a release's descriptor names are copied (datapackage.json and each resource's
plain file name), so stray files beside a release (editor backups, `.DS_Store`, a README) never
travel and a hostile descriptor cannot name a path outside the folder. Copies go to a hidden
temporary folder beside the destination, every file and the folder are fsynced, and only then is
the folder renamed into place: a crash leaves either nothing or a complete copy under its name.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from dashboard.atomic_files import FOLDER_MODE, fsync_folder
from dashboard.release.contract import DATAPACKAGE

STAGING_PREFIX = ".staging-"
_CHUNK = 1024 * 1024


def release_file_names(folder: Path) -> list[str]:
    """datapackage.json plus the plain file names of the resources it lists (that exist)."""
    folder = Path(folder)
    try:
        descriptor = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return [DATAPACKAGE]
    names = [DATAPACKAGE]
    resources = descriptor.get("resources", []) if isinstance(descriptor, dict) else []
    for resource in resources if isinstance(resources, list) else []:
        name = resource.get("path") if isinstance(resource, dict) else None
        if (isinstance(name, str) and name and "/" not in name and "\\" not in name and not name.startswith(".")
                and name not in names and (folder / name).is_file()):
            names.append(name)
    return names


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def release_digests(folder: Path) -> dict[str, str]:
    """{file name: sha256} of every file of the release."""
    return {name: file_digest(Path(folder) / name) for name in release_file_names(folder)}


def same_release_files(a: Path, b: Path) -> bool:
    """True when both folders hold exactly the same release files, byte for byte."""
    try:
        return release_digests(a) == release_digests(b)
    except OSError:
        return False


def copy_to_staging(source: Path, parent: Path, label: str) -> Path:
    """Copy the release's files into a new hidden folder under `parent`, fsynced; return it.

    The caller validates the copy, then renames it into place with `move_into_place`, or removes it.
    """
    Path(parent).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{label}-", dir=parent))
    try:
        os.chmod(staging, FOLDER_MODE)
        for name in release_file_names(source):
            target = staging / name
            with (Path(source) / name).open("rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
                dst.flush()
                os.fsync(dst.fileno())
        fsync_folder(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def move_into_place(staging: Path, target: Path) -> None:
    """Rename a complete staging folder to its final name (fails if that name is taken)."""
    if target.exists():
        raise FileExistsError(f"{target} appeared while the copy was being made")
    os.rename(staging, target)
    fsync_folder(target.parent)


def remove_stale_staging(parent: Path) -> list[Path]:
    """Remove staging folders a crashed copy left behind (call only while holding the publish lock)."""
    removed = []
    for folder in Path(parent).glob(f"{STAGING_PREFIX}*"):
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
