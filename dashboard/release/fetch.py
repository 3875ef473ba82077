"""Where a release's files come from: a local folder or an http(s) URL prefix.

A URL release is downloaded once into a local cache folder (keyed by URL), with a timeout and
a size limit, so everything downstream reads local files. Problems raise `ReleaseSourceError`
with a message for people, never a traceback.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from dashboard.release.contract import DATAPACKAGE, MAX_DATAPACKAGE_BYTES, MAX_FILE_BYTES
from dashboard.settings import load_settings

HTTP_TIMEOUT_S = 20


def cache_dir() -> Path:
    """Where downloaded and snapshot copies of releases live (DASHBOARD_CACHE)."""
    return load_settings().cache_dir


class ReleaseSourceError(Exception):
    """The release cannot be reached or read at all."""


def is_url(source: str | os.PathLike[str]) -> bool:
    return str(source).startswith(("http://", "https://"))


def _download(url: str, limit: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "vn-satisfaction-dashboard"})  # noqa: S310 - is_url: http(s) only
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:  # noqa: S310 (http(s) only)
            data = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise ReleaseSourceError(f"{url}: the server answered HTTP {exc.code}. Check the address.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            reason = f"no answer within {HTTP_TIMEOUT_S} s"
        raise ReleaseSourceError(f"{url}: could not download ({reason}). Check the address and the network.") from None
    except (http.client.HTTPException, ValueError) as exc:  # not an HTTP server, cut-off body, bad address
        raise ReleaseSourceError(f"{url}: the server's answer is not a usable HTTP response "
                                 f"({type(exc).__name__}). Check the address.") from None
    if len(data) > limit:
        raise ReleaseSourceError(f"{url}: larger than the limit of {limit // (1024 * 1024)} MB.")
    return data


def read_descriptor_bytes(source: str | os.PathLike[str]) -> bytes:
    """The raw datapackage.json of a release (downloaded for a URL), to notice when it changes."""
    if is_url(source):
        return _download(str(source).rstrip("/") + "/" + DATAPACKAGE, MAX_DATAPACKAGE_BYTES)
    try:
        return (Path(source) / DATAPACKAGE).read_bytes()[: MAX_DATAPACKAGE_BYTES + 1]
    except OSError as exc:
        raise ReleaseSourceError(f"{source}: cannot read {DATAPACKAGE} ({exc.strerror or exc}).") from None


def fetch_release(source: str | os.PathLike[str]) -> Path:
    """Return a local folder holding the release's files (downloading a URL release first).

    A URL release lands in `<cache>/<url key>-<content key>`: a new version of the release gets a
    new folder, made under a temporary name and renamed into place, so a copy another process is
    reading is never deleted or overwritten under it. A failed download leaves nothing behind.
    """
    if not is_url(source):
        folder = Path(source)
        if not folder.exists():
            raise ReleaseSourceError(f"{folder}: no such folder. Give the path of a release folder.")
        if not folder.is_dir():
            raise ReleaseSourceError(f"{folder}: not a folder. Give the folder that holds {DATAPACKAGE}.")
        return folder
    base = str(source).rstrip("/") + "/"
    raw = _download(base + DATAPACKAGE, MAX_DATAPACKAGE_BYTES)
    url_key = hashlib.sha256(base.encode()).hexdigest()[:16]
    target = cache_dir() / f"{url_key}-{hashlib.sha256(raw).hexdigest()[:16]}"
    if (target / DATAPACKAGE).is_file():
        return target  # this exact version was downloaded before (its files are checked by validate)
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=_ensure(cache_dir())))
    try:
        (staging / DATAPACKAGE).write_bytes(raw)
        for name in _resource_files(raw):
            (staging / name).write_bytes(_download(base + name, MAX_FILE_BYTES))
        try:
            os.replace(staging, target)
        except OSError:  # another process put the same version in place first: use theirs
            if not (target / DATAPACKAGE).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _forget_old_versions(url_key, keep=target)
    return target


def _resource_files(raw: bytes) -> list[str]:
    """The file names the descriptor lists; only plain names, so nothing is written outside the cache."""
    try:
        descriptor = json.loads(raw.decode("utf-8"))
        resources = descriptor.get("resources", []) if isinstance(descriptor, dict) else []
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []  # validate reports the broken descriptor itself
    names = [r.get("path") if isinstance(r, dict) else None for r in resources]
    return [n for n in names if isinstance(n, str) and n and "/" not in n and "\\" not in n and n not in (".", "..")]


def _forget_old_versions(url_key: str, keep: Path, versions: int = 3) -> None:
    """Drop all but the newest `versions` copies of one URL's release (a reader of an older copy
    has time to finish: copies are removed only after newer ones exist)."""
    copies = sorted((p for p in cache_dir().glob(f"{url_key}-*") if p.is_dir() and p != keep),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in copies[versions - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
