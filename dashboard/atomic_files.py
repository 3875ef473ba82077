"""Files on disk that readers may be using: digests, and (in time) the one way to replace them.

Every sha256 of a file is taken here with `hashlib.file_digest` (streamed: a 500 MB Parquet file
is never read into memory at once).
"""
from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_hex(path: Path) -> str:
    """The file's SHA-256 as 64 hex digits."""
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_tag(path: Path) -> str:
    """The file's SHA-256 as a Data Package `hash` ("sha256:<hex>")."""
    return "sha256:" + sha256_hex(path)
