"""`publish`: put a validated release into a data root and make it the current one, atomically.

    python -m dashboard publish RELEASE_DIR_OR_URL [--to DATA_ROOT]
    python -m dashboard publish --rollback [--to DATA_ROOT]

The steps, each of which leaves what is served untouched if it fails:

1. validate the release where it is (a URL is downloaded first); a broken one is refused with
   validate's report and nothing is copied;
2. take the data root's publish lock (`.publish.lock`, `fcntl.flock`), so two publishes at once
   run one after the other; a publish that cannot get the lock in time stops with a message;
3. build the release's light edition (static HTML, see `dashboard.publishing.editions`) into a hidden staging
   folder; a release whose edition cannot be built is refused, and nothing changes;
4. copy the release's files to a hidden staging folder (fsynced), validate the copy, rename it to
   `DATA_ROOT/<release id>/`. Published releases never change: a different release with an id
   already published is refused (bump the id); the identical release again copies nothing;
5. put the edition in place (`.light/<id>`), switch the `current` pointer (see `release_pointer`):
   temporary file, fsync, rename; then the served edition (`.light/current`) follows it.

A crash before the pointer is written leaves the old release current, with its edition; the copy
and the edition are complete, and publishing again just switches. A crash between the pointer and
the edition's link leaves the old edition served until the next publish, `defaults` or `make serve`
puts the link right (`editions.sync_current`). Every release stays in the data root by id;
`--rollback` makes the previous current release current again, its edition with it.
Locking uses `fcntl` (Linux, macOS), where the dashboard is served.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard.crash_log import crash_message
from dashboard.publishing import editions
from dashboard.release.contract import DATAPACKAGE
from dashboard.release.fetch import ReleaseSourceError, fetch_release, is_url
from dashboard.release.validate import Report, validate_release
from dashboard.store import files as release_files
from dashboard.store.pointer import (
    POINTER_NAME,
    Pointer,
    PointerError,
    current_release_id,
    now_iso,
    pointer_path,
    read_pointer,
    write_pointer,
)

LOCK_NAME = ".publish.lock"
LOCK_TIMEOUT_S = 120.0
LOCK_POLL_S = 0.2
APP_CHECK_NOTE = "The app switches to it within a few seconds, without a restart."


class PublishError(Exception):
    """A publish or rollback that was refused; the message says what is wrong and how to fix it."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class PublishOutcome:
    """What a publish or rollback did."""

    release_id: str
    previous: str | None
    copied: bool
    switched: bool
    rolled_back: bool = False

    def describe(self, root: Path) -> str:
        lines = []
        if self.rolled_back:
            lines.append(f"rolled back: {self.release_id} is the current release again (was {self.previous}). "
                         f"{APP_CHECK_NOTE}")
            lines.append(f"{self.previous} stays in {root}; publish it by path to make it current again.")
            lines.append(self._light_line(root))
            return "\n".join(lines)
        if self.copied:
            lines.append(f"copied release {self.release_id} to {Path(root) / self.release_id}")
        else:
            lines.append(f"release {self.release_id} is already in {root} (identical files, nothing copied)")
        if self.switched:
            was = f" (was {self.previous})" if self.previous else ""
            lines.append(f"current release: {self.release_id}{was}. {APP_CHECK_NOTE}")
            lines.append(self._light_line(root))
            lines.append(f"to undo: python -m dashboard publish --rollback --to {root}")
        else:
            lines.append(f"{self.release_id} was already the current release: nothing changed.")
        return "\n".join(lines)


    def _light_line(self, root: Path) -> str:
        edition = editions.current_edition_path(root)
        return (f"light edition: {edition} -> {self.release_id} (static HTML; make serve shows it at "
                f"{editions.LIGHT_URL})")


@contextmanager
def publish_lock(root: Path, timeout_s: float = LOCK_TIMEOUT_S, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the data root's publish lock; wait up to `timeout_s`, then raise `PublishError`.

    The lock file is never deleted (deleting it would let two processes lock two different files).
    """
    path = Path(root) / LOCK_NAME
    with path.open("a+b") as fh:
        started, waited = clock(), False
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock() - started >= timeout_s:
                    raise PublishError(
                        f"another publish is running on {root} (it holds {path}). Wait for it to finish, "
                        "then run this command again. Nothing was changed.") from None
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                sleep(LOCK_POLL_S)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _prepare_root(root: Path) -> Path:
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise PublishError(f"{root} is a file, not a data root folder. Give the folder that holds releases "
                           "(e.g. data/releases).")
    if (root / DATAPACKAGE).is_file() and not pointer_path(root).is_file():
        raise PublishError(f"{root} is a release folder, not a data root. Give the folder that holds the "
                           f"releases, e.g. --to {root.parent}.")
    return root


def _serving(root: Path) -> str:
    """'X' or 'nothing yet', for messages that say what is still served."""
    try:
        return current_release_id(root) or "nothing yet"
    except PointerError:
        return "the release named by its (broken) pointer"


def _validated_source(source: str | Path, root: Path) -> tuple[Path, str]:
    """Fetch and validate the release where it is; return its local folder and id."""
    try:
        folder = fetch_release(source)
    except ReleaseSourceError as exc:
        raise PublishError(f"{exc} Nothing was published; {root} still serves {_serving(root)}.") from None
    report = validate_release(folder)
    if not report.valid:
        report.source = str(source)
        raise PublishError(f"the release is invalid. Fix the problems above and publish again. Nothing was "
                           f"published; {root} still serves {_serving(root)}.", report)
    release_id = str(report.summary.get("id"))
    if release_id == POINTER_NAME:
        raise PublishError(f"the release id '{POINTER_NAME}' is reserved for the data root's pointer. "
                           "Give the release another id in datapackage.json.")
    return folder, release_id


def _copy_into_root(folder: Path, root: Path, release_id: str) -> bool:
    """Put the release at root/<id>; False when an identical copy is already there."""
    target = root / release_id
    if target.exists():
        if release_files.same_release_files(folder, target):
            return False
        raise PublishError(
            f"a different release with the id '{release_id}' is already published at {target}. Published "
            "releases never change: give this one a new id (and version) in datapackage.json, e.g. "
            f"'{release_id}-2', rebuild it (build --release-id ...) and publish again. Nothing was changed.")
    staging = release_files.copy_to_staging(folder, root, release_id)
    try:
        report = validate_release(staging)
        if not report.valid:
            report.source = f"{staging} (copy of the release)"
            raise PublishError("the copy in the data root does not validate (the source changed while it was "
                               "copied, or the disk is failing). Nothing was published; try again.", report)
        release_files.move_into_place(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return True


def _read_pointer_for_update(root: Path) -> Pointer | None:
    """The pointer to build on; a broken one is kept aside (never deleted) and a new history starts."""
    try:
        return read_pointer(root)
    except PointerError as exc:
        kept = root / f".{POINTER_NAME}.broken-{int(time.time())}"
        try:
            os.replace(pointer_path(root), kept)
        except OSError:
            raise PublishError(f"{exc} (and it could not be moved aside: check the folder's permissions)") from None
        print(f"warning: {exc} It was moved to {kept}; a new publish history starts now.", file=sys.stderr)
        return None


def publish_release(source: str | Path, root: Path, lock_timeout_s: float = LOCK_TIMEOUT_S) -> PublishOutcome:
    """Validate, copy and switch to the release at `source`; raise `PublishError` when refused."""
    root = _prepare_root(root)
    folder, release_id = _validated_source(source, root)
    root.mkdir(parents=True, exist_ok=True)  # only now: a refused release leaves no trace
    with publish_lock(root, lock_timeout_s, on_wait=lambda: print(
            f"waiting for another publish on {root} to finish...", file=sys.stderr)):
        release_files.remove_stale_staging(root)
        editions.remove_unused_builds(root)
        edition = _build_edition(folder, root, release_id)
        try:
            copied = _copy_into_root(folder, root, release_id)
            if edition is not None:
                editions.install_edition(root, release_id, edition)
        finally:
            if edition is not None and edition.exists():
                shutil.rmtree(edition, ignore_errors=True)
        pointer = _read_pointer_for_update(root)
        previous = pointer.current if pointer else current_release_id(root)
        if previous == release_id:
            editions.sync_current(root, release_id)  # puts right a link a crash left behind
            return PublishOutcome(release_id, previous, copied, switched=False)
        history = (pointer.history if pointer else ()) + ((previous,) if previous else ())
        write_pointer(root, Pointer(release_id, history, now_iso()))
        editions.point_current(root, release_id)
        return PublishOutcome(release_id, previous, copied, switched=True)


def _build_edition(folder: Path, root: Path, release_id: str) -> Path | None:
    """The release's light edition, built in a staging folder (None: it is already in place)."""
    if editions.has_edition(root, release_id):
        return None
    try:
        return editions.build_edition(folder, root, release_id)
    except editions.EditionError as exc:
        raise PublishError(f"{exc}. A release is published with its light edition or not at all: nothing was "
                           f"published; {root} still serves {_serving(root)}.") from None


def rollback_release(root: Path, lock_timeout_s: float = LOCK_TIMEOUT_S) -> PublishOutcome:
    """Make the previous current release current again; raise `PublishError` when there is none."""
    root = Path(root)
    if not root.is_dir():
        raise PublishError(f"{root}: no such data root. Give the folder you published to with --to.")
    with publish_lock(root, lock_timeout_s):
        try:
            pointer = read_pointer(root)
        except PointerError as exc:
            raise PublishError(f"{exc} Nothing was changed.") from None
        if pointer is None or not pointer.history:
            raise PublishError(f"nothing to roll back to: {root} has no earlier current release. "
                               "Publish a release by path to make it current.")
        previous = pointer.history[-1]
        report = validate_release(root / previous)
        if not report.valid:
            first = report.problems[0]
            raise PublishError(f"the previous release '{previous}' at {root / previous} is damaged "
                               f"({first.file}: {first.message}). Nothing was changed; publish a good "
                               "release by path instead.", report)
        try:  # a release published before light editions existed gets its edition now
            editions.ensure_edition(root, previous)
        except editions.EditionError as exc:
            raise PublishError(f"{exc}. Nothing was changed.") from None
        write_pointer(root, Pointer(previous, pointer.history[:-1], now_iso()))
        editions.point_current(root, previous)
        return PublishOutcome(previous, pointer.current, copied=False, switched=True, rolled_back=True)


def run_publish_command(source: str | None, root: Path, rollback: bool = False,
                        lock_timeout_s: float = LOCK_TIMEOUT_S) -> int:
    """CLI: publish or roll back, print what happened; exit 0 done, 1 refused, 2 usage."""
    if rollback == (source is not None):
        print("publish: give either a RELEASE_DIR (or URL) to publish, or --rollback, not both.\n"
              "  python -m dashboard publish path/to/release --to data/releases\n"
              "  python -m dashboard publish --rollback --to data/releases", file=sys.stderr)
        return 2
    if source is not None and not is_url(source) and Path(source).resolve() == Path(root).resolve():
        print(f"publish: {source} is the data root itself; give the folder of one release.", file=sys.stderr)
        return 2
    try:
        outcome = rollback_release(root, lock_timeout_s) if rollback else publish_release(source, root, lock_timeout_s)
    except PublishError as exc:
        if exc.report is not None:
            print(exc.report.format_text(), file=sys.stderr)
        print(f"\nNOT PUBLISHED: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # disk full, permissions...: the user can fix these
        where = exc.filename or root
        print(f"NOT PUBLISHED: {where}: {exc.strerror or exc}. Check free space and permissions, then run the "
              f"command again. {root} still serves {_serving(Path(root))}.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line here, the traceback in a crash log
        context = f"rollback of {root}" if rollback else f"publish {source} to {root}"
        print(f"NOT PUBLISHED: {crash_message('publish', context, exc)} {root} still serves {_serving(Path(root))}.",
              file=sys.stderr)
        return 1
    print(outcome.describe(root))
    return 0
