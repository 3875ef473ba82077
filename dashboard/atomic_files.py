"""Files on disk that readers may be using: digests, permissions, and replacing a folder whole.

Every sha256 of a file is taken here with `hashlib.file_digest` (streamed: a 500 MB Parquet file
is never read into memory at once). Files and folders we create get the usual permissions
(`mkstemp`/`mkdtemp` make them private), so an app running as another user can read what the
publisher wrote. A file readers may be opening is replaced by `write_file_atomic` (the data root's
pointer, map geometry), a folder by `swap_folder` (a release, its stable files, a mirrored light
edition): written whole beside it, then renamed, so a reader sees the old or the new, never a mix.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

_UMASK = os.umask(0o022)  # read once: os.umask is process-wide
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK
FOLDER_MODE = 0o777 & ~_UMASK


def fsync_folder(folder: Path) -> None:
    """Make a rename inside `folder` durable (where the platform allows opening folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a directory; the rename itself is still atomic
    finally:
        os.close(fd)


def write_file_atomic(target: Path, data: bytes, mode: int = FILE_MODE, durable: bool = True) -> None:
    """Replace the file `target` by `data`: a temporary file beside it, (fsync), rename, (fsync the
    folder). A reader opens the old content or the new, never a part; a crash leaves no stray file."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_folder(target.parent)


def swap_folder(staging: Path, target: Path, fsync_files: bool = False) -> None:
    """Put the fully written folder `staging` in place of `target` (which may not exist).

    The old folder is renamed aside under a name unique to this process and moment (two replicas
    or publishers never collide on it), the new one renamed in, then the old one removed. With
    `fsync_files`, the files are flushed to disk first (releases; caches need not be).
    """
    if fsync_files:
        for f in staging.iterdir():
            if f.is_file():
                with f.open("rb") as fh:
                    os.fsync(fh.fileno())
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}-{time.monotonic_ns()}")
        os.replace(target, old)
    os.replace(staging, target)
    fsync_folder(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def sha256_hex(path: Path) -> str:
    """The file's SHA-256 as 64 hex digits."""
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_tag(path: Path) -> str:
    """The file's SHA-256 as a Data Package `hash` ("sha256:<hex>")."""
    return "sha256:" + sha256_hex(path)
