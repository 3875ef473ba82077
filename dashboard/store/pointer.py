"""The `current` pointer of a data root: which published release the app serves.

A data root is a folder of releases, one sub-folder per release id (`data/releases/` is one). Its
file `current` names the release being served and keeps the ids that were current before it, so
`publish --rollback` can go back one step:

    {"format": 1, "current": "survey-2025-v2", "history": ["sipas-published", "survey-2025-v1"],
     "updated": "2026-01-02T03:04:05+00:00"}

Why a small JSON file and not a symlink: it carries the history a rollback needs, it survives
copying the data root with tools that drop or follow symlinks (zip, some rsync and cloud-sync
setups, Windows shares), and `os.replace` of a fully written, fsynced temporary file swaps it
atomically on every platform, so a reader sees either the old pointer or the new one, never half.

A data root without the file (a fresh clone) serves `sipas-published`, the real release, if it is
there; nothing has to be written for the app to work as before.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dashboard.atomic_files import write_file_atomic
from dashboard.release.contract import DATAPACKAGE, RELEASE_ID_PATTERN

POINTER_NAME = "current"
POINTER_FORMAT = 1
MAX_POINTER_BYTES = 64 * 1024
MAX_HISTORY = 200
# The release a data root serves when it has no pointer yet (the real published figures).
IMPLICIT_CURRENT_ID = "sipas-published"


class PointerError(Exception):
    """The pointer file exists but cannot be read as a pointer; the message says what to do."""


@dataclass(frozen=True)
class Pointer:
    """The release a data root serves, and the releases it served before (oldest first)."""

    current: str
    history: tuple[str, ...] = field(default=())
    updated: str = ""

    def to_json(self) -> str:
        return json.dumps({"format": POINTER_FORMAT, "current": self.current, "history": list(self.history),
                           "updated": self.updated}, indent=2) + "\n"


def pointer_path(root: Path) -> Path:
    return Path(root) / POINTER_NAME


def is_data_root(folder: Path) -> bool:
    """A folder of releases (not itself a release): it has a pointer, or no datapackage.json."""
    folder = Path(folder)
    return folder.is_dir() and (pointer_path(folder).is_file() or not (folder / DATAPACKAGE).is_file())


def read_pointer(root: Path) -> Pointer | None:
    """The root's pointer; None when there is none yet. Raises `PointerError` when it is broken."""
    path = pointer_path(root)
    try:
        raw = path.read_bytes()[: MAX_POINTER_BYTES + 1]
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise PointerError(f"{path} is a folder; it must be the pointer file written by "
                           "'python -m dashboard publish'. Move it away and publish again.") from None
    except OSError as exc:
        raise PointerError(f"{path} cannot be read ({exc.strerror or exc}). Check its permissions.") from None
    return parse_pointer(raw, path)


def parse_pointer(raw: bytes, path: Path | str = POINTER_NAME) -> Pointer:
    """Read pointer bytes; every way they can be wrong becomes a `PointerError` saying so."""
    fix = "Restore it with 'python -m dashboard publish RELEASE_DIR --to DATA_ROOT' (or --rollback)."
    if len(raw) > MAX_POINTER_BYTES:
        raise PointerError(f"{path} is larger than a pointer can be. {fix}")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PointerError(f"{path} is not a valid pointer (not JSON text). {fix}") from None
    if not isinstance(data, dict) or data.get("format") != POINTER_FORMAT:
        raise PointerError(f"{path} is not a pointer of format {POINTER_FORMAT}. {fix}")
    current, history = data.get("current"), data.get("history", [])
    if not _is_release_id(current):
        raise PointerError(f"{path} names no valid release id (got {str(current)[:80]!r}). {fix}")
    if not isinstance(history, list) or not all(_is_release_id(h) for h in history):
        raise PointerError(f"{path} has a broken history list. {fix}")
    updated = data.get("updated", "")
    return Pointer(current=current, history=tuple(history), updated=updated if isinstance(updated, str) else "")


def _is_release_id(value: object) -> bool:
    return isinstance(value, str) and value != POINTER_NAME and bool(RELEASE_ID_PATTERN.fullmatch(value))


def current_release_id(root: Path) -> str | None:
    """The id the root serves: its pointer's, or the implicit real release when there is no pointer.

    Raises `PointerError` when the pointer is broken (a reader must not guess past that).
    """
    pointer = read_pointer(root)
    if pointer is not None:
        return pointer.current
    return IMPLICIT_CURRENT_ID if (Path(root) / IMPLICIT_CURRENT_ID / DATAPACKAGE).is_file() else None


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def write_pointer(root: Path, pointer: Pointer) -> None:
    """Replace the root's pointer atomically: temporary file, fsync, rename, fsync the folder."""
    root = Path(root)
    kept = Pointer(pointer.current, pointer.history[-MAX_HISTORY:], pointer.updated or now_iso())
    write_file_atomic(pointer_path(root), kept.to_json().encode("utf-8"))


