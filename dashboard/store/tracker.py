"""Which release the app serves now: follow `DASHBOARD_DATA`, and keep the last good release.

`DASHBOARD_DATA` is either a data root (a folder of releases with a `current` pointer, see
`release_pointer`) or one release (a folder with datapackage.json, or an http(s) URL).

`ReleaseTracker.state()` is called at the start of every script run. At most every
`check_every_s` seconds it looks at what the data location asks for: the pointer and a cheap
fingerprint of the release folder (names, sizes, modification times; for a URL, the bytes of
datapackage.json). Only when that changed does it open the release again, and it opens a private
snapshot: the release's files are copied to a content-addressed folder under the cache, validated
there, and served from there. So a release that is later deleted, overwritten or half-copied by
hand cannot break what is being served: the tracker logs the problem, keeps the last good release
and reports a `problem` the app shows discreetly. A failed attempt is retried every
`retry_every_s` even if nothing seems to change (a server may come back).

Pure Python (no streamlit); the clock and the opener are injectable so tests need not sleep.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.release import fetch as release_source
from dashboard.release.contract import DATAPACKAGE
from dashboard.release.fetch import ReleaseSourceError, is_url
from dashboard.release.read import Release, ReleaseInvalid
from dashboard.release.validate import validate_release
from dashboard.store import files as release_files
from dashboard.store.pointer import IMPLICIT_CURRENT_ID, PointerError, current_release_id, is_data_root, read_pointer

log = logging.getLogger(__name__)

CHECK_EVERY_S = 5.0
URL_CHECK_EVERY_S = 60.0
RETRY_EVERY_S = 30.0
KNOWN_SNAPSHOTS = 16


class ReleaseUnusable(Exception):
    """The release the data location asks for cannot be served; the message says why."""


@dataclass(frozen=True)
class Wanted:
    """What the data location asks for right now: a label for messages, where, and a fingerprint."""

    label: str
    source: str
    fingerprint: tuple


@dataclass(frozen=True)
class TrackerState:
    """The release to serve, and why it is not the newest one (None when it is)."""

    release: Release | None
    problem: str | None = None
    wanted: str | None = None

    @property
    def stale(self) -> bool:
        """True when the data location asks for something the app cannot open."""
        return self.problem is not None


def folder_fingerprint(folder: Path) -> tuple:
    """Names, sizes, modification times and inodes of a folder's files (cheap: nothing is read)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        files = []
        for entry in entries:
            if entry.is_file():
                info = entry.stat()
                files.append((entry.name, info.st_size, info.st_mtime_ns, info.st_ino))
        return tuple(files)
    except OSError as exc:
        return ("unreadable", type(exc).__name__)


def default_snapshot_dir() -> Path:
    """Where private copies of releases live (under DASHBOARD_CACHE, the system temp folder by default)."""
    return release_source.cache_dir() / "snapshots"


def open_snapshot(source: str, snapshot_dir: Path | None = None) -> Release:
    """Copy the release at `source` to a private, content-addressed folder, validate it, open it.

    What the app reads is then immune to later changes of the source (deleted, overwritten, half
    copied). Raises `ReleaseSourceError`, `ReleaseInvalid` or `OSError` (a file vanished mid-copy).
    """
    snapshot_dir = snapshot_dir or default_snapshot_dir()
    folder = release_source.fetch_release(source)
    staging = release_files.copy_to_staging(folder, snapshot_dir, "snapshot")
    try:
        report = validate_release(staging)
        if not report.valid:
            report.source = str(source)
            raise ReleaseInvalid(report)
        raw = (staging / DATAPACKAGE).read_bytes()
        descriptor = json.loads(raw.decode("utf-8"))
        final = snapshot_dir / f"{descriptor['id']}-{hashlib.sha256(raw).hexdigest()[:16]}"
        if final.is_dir() and not release_files.same_release_files(staging, final):
            shutil.rmtree(final, ignore_errors=True)  # a damaged older snapshot: replace it
        if not final.is_dir():
            try:
                release_files.move_into_place(staging, final)
            except OSError:
                if not final.is_dir():  # another process made the same snapshot at the same moment
                    raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Release(origin=str(source), folder=final, descriptor=descriptor)


def describe_failure(exc: BaseException) -> str:
    """One line for the log header; a report's full text follows it in the log."""
    if isinstance(exc, ReleaseInvalid):
        problems = exc.report.problems
        first = problems[0]
        return f"invalid ({len(problems)} problem(s); first: {first.file}: {first.message})"
    if isinstance(exc, (ReleaseSourceError, ReleaseUnusable)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class ReleaseTracker:
    """Resolves the data location to a release, re-checking at most every `check_every_s` seconds.

    Thread-safe: Streamlit runs sessions in threads. While one thread opens a new release, the
    others keep getting the release being served (they do not wait).
    """

    def __init__(self, data: str, *, check_every_s: float | None = None, retry_every_s: float = RETRY_EVERY_S,
                 clock: Callable[[], float] = time.monotonic,
                 opener: Callable[[str], Release] | None = None, snapshot_dir: Path | None = None) -> None:
        self.data = str(data)
        default_interval = URL_CHECK_EVERY_S if is_url(self.data) else CHECK_EVERY_S
        self.check_every_s = default_interval if check_every_s is None else check_every_s
        self.retry_every_s = retry_every_s
        self._clock = clock
        snapshots = snapshot_dir or default_snapshot_dir()
        self._open = opener or (lambda source: open_snapshot(source, snapshots))
        self._lock = threading.Lock()
        self._state = TrackerState(release=None)
        self._checked_at: float | None = None
        self._attempted_at = 0.0
        self._fingerprint: tuple | None = None
        self._failed = False
        self._known: dict[str, Release] = {}

    # -- public --------------------------------------------------------------------------------

    def state(self, wait: bool = True) -> TrackerState:
        """The release to serve now (checking the data location first if a check is due).

        With `wait=False` (a readiness probe), never wait for a check another thread is doing:
        the answer is then the state before it."""
        # Until a release is being served, a run waits for a check in progress (the first one opens
        # the first release, which takes a second or two); otherwise the runs that arrive meanwhile
        # would show "no data release" (found by bench/fault_test.py after a replica restart).
        # Once one is served, runs never wait for a check.
        waiting_for_first = self._state.release is None and wait
        if not self._due() and not (waiting_for_first and self._lock.locked()):
            return self._state
        if self._lock.acquire(blocking=waiting_for_first):
            try:
                if self._due():
                    self._check()
            finally:
                self._lock.release()
        return self._state

    def known(self, source: str) -> Release | None:
        """A release this tracker served, by its snapshot folder (so it is not opened twice)."""
        return self._known.get(str(source))

    # -- checking ------------------------------------------------------------------------------

    def _due(self) -> bool:
        return self._checked_at is None or self._clock() - self._checked_at >= self.check_every_s

    def _check(self) -> None:
        now = self._clock()
        self._checked_at = now
        wanted: Wanted | None = None
        try:
            wanted = self._wanted()
            fingerprint, error = wanted.fingerprint, None
        except ReleaseUnusable as exc:
            fingerprint, error = ("unusable", str(exc)), exc
        changed = fingerprint != self._fingerprint
        retry = self._failed and now - self._attempted_at >= self.retry_every_s
        if not changed and not retry:
            return
        self._attempted_at = now
        if wanted is None:
            self._fail(self.data, self.data, error, fingerprint, repeated=not changed)
            return
        try:
            release = self._open(wanted.source)
        except Exception as exc:  # noqa: BLE001 - any failure keeps the last good release; it is logged
            self._fail(wanted.label, wanted.source, exc, fingerprint, repeated=not changed)
            return
        self._serve(release, wanted)

    def _serve(self, release: Release, wanted: Wanted) -> None:
        previous = self._state.release
        if previous is None or str(previous.folder) != str(release.folder):
            log.info("serving release %s (version %s) from %s", release.id, release.version, wanted.source)
        elif self._state.problem:
            log.info("release %s at %s can be served again", release.id, wanted.source)
        self._remember(release)
        self._fingerprint, self._failed = wanted.fingerprint, False
        self._state = TrackerState(release=release, problem=None, wanted=wanted.label)

    def _fail(self, label: str, source: str, exc: BaseException, fingerprint: tuple, repeated: bool) -> None:
        self._fingerprint, self._failed = fingerprint, True
        serving = self._state.release or self._fallback()
        if serving is not None:
            self._remember(serving)
        # A problem that persists is logged loudly once, then quietly at each retry.
        level = logging.INFO if repeated else logging.WARNING
        log.log(level, "release %s at %s cannot be served: %s; %s", label, source, describe_failure(exc),
                f"still serving {serving.id} from {serving.folder}" if serving else "no release to serve")
        if isinstance(exc, ReleaseInvalid) and not repeated:
            log.warning("validation report for %s:\n%s", source, exc.report.format_text())
        self._state = TrackerState(release=serving, problem=describe_failure(exc), wanted=label)

    def _fallback(self) -> Release | None:
        """With nothing served yet: the newest earlier current release of a data root that opens."""
        folder = Path(self.data)
        if is_url(self.data) or not folder.is_dir():
            return None
        try:
            pointer = read_pointer(folder)
        except PointerError:
            pointer = None
        candidates = list(reversed(pointer.history)) if pointer else []
        candidates.append(IMPLICIT_CURRENT_ID)
        for release_id in dict.fromkeys(candidates):
            if (folder / release_id / DATAPACKAGE).is_file():
                try:
                    release = self._open(str(folder / release_id))
                except Exception as exc:  # noqa: BLE001 - try the next one; each is logged
                    log.warning("fallback release %s cannot be served either: %s", release_id, describe_failure(exc))
                    continue
                log.warning("serving the earlier release %s instead", release.id)
                return release
        return None

    def _remember(self, release: Release) -> None:
        self._known[str(release.folder)] = release
        while len(self._known) > KNOWN_SNAPSHOTS:
            self._known.pop(next(iter(self._known)))

    # -- what the data location asks for -------------------------------------------------------

    def _wanted(self) -> Wanted:
        if is_url(self.data):
            try:
                raw = release_source.read_descriptor_bytes(self.data)
            except ReleaseSourceError as exc:
                raise ReleaseUnusable(str(exc)) from None
            return Wanted(self.data, self.data, ("url", hashlib.sha256(raw).hexdigest()))
        folder = Path(self.data)
        if not folder.exists():
            raise ReleaseUnusable(f"{folder}: no such folder (DASHBOARD_DATA). Point it at a data root or a release.")
        if not is_data_root(folder):
            return Wanted(str(folder), str(folder), ("release", folder_fingerprint(folder)))
        try:
            release_id = current_release_id(folder)
        except PointerError as exc:
            raise ReleaseUnusable(str(exc)) from None
        if release_id is None:
            raise ReleaseUnusable(f"{folder}: no 'current' pointer and no '{IMPLICIT_CURRENT_ID}' release. "
                                  "Publish one: python -m dashboard publish RELEASE_DIR --to " + str(folder))
        target = folder / release_id
        return Wanted(release_id, str(target), ("root", release_id, folder_fingerprint(target)))
