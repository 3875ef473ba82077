"""The light edition of every published release, kept beside it in the data root.

`publish` writes a release's light edition (`dashboard.static_site`: plain HTML, inline SVG) before
the release becomes current, and the web server serves the current release's edition at a stable
address (`/light/`). The layout of a data root:

    DATA_ROOT/current                     the JSON pointer (`release_pointer`): the truth
    DATA_ROOT/<release id>/               a release's files
    DATA_ROOT/.light/builds/<id>-<stamp>/ a built edition; never changed once there
    DATA_ROOT/.light/<id> -> builds/...   the edition of release <id> (a symlink)
    DATA_ROOT/.light/current -> <id>      the edition of the current release (what nginx serves)
    DATA_ROOT/.light/.staging-<id>-.../   an edition being built (gone after the publish)

Why symlinks here when the pointer is a JSON file: nginx cannot read JSON, and swapping a symlink
(`os.replace` of a new link over the old one) is atomic, so a reader gets a whole edition, the old
or the new, never a mix or a gap. The links only mirror the pointer: `sync_current` puts them
right from it (publish, rollback, `python -m dashboard defaults` and `make serve` call it), so a
data root copied by a tool that drops symlinks is repaired, not broken. Two levels of links let an
edition be rebuilt (a new edition format) without touching `current`, and let `--rollback` switch
back to the previous release's edition by changing one link.

An edition is built in a hidden staging folder first; if it cannot be built the publish is
refused and nothing changes. Callers hold the data root's publish lock.
"""
from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.atomic_files import FOLDER_MODE, fsync_folder, swap_folder

EDITIONS_DIR = ".light"
BUILDS_DIR = "builds"
CURRENT_LINK = "current"
STAGING_PREFIX = ".staging-"
LIGHT_URL = "/light/"  # where a web server serves the current edition (nginx: deploy/nginx.conf.template)


class EditionError(Exception):
    """The light edition of a release could not be built or put in place; the message says why."""


def editions_dir(root: Path) -> Path:
    return Path(root) / EDITIONS_DIR


def edition_path(root: Path, release_id: str) -> Path:
    """Where the edition of `release_id` is served from (a symlink to its build)."""
    return editions_dir(root) / release_id


def current_edition_path(root: Path) -> Path:
    return editions_dir(root) / CURRENT_LINK


def edition_format() -> int:
    from dashboard.static_site.build import EDITION_FORMAT

    return EDITION_FORMAT


def read_marker(folder: Path) -> tuple[str, int] | None:
    """(release id, edition format) an edition says it holds; None when it is not a whole edition."""
    from dashboard.static_site.build import MARKER

    try:
        lines = (Path(folder) / MARKER).read_text(encoding="utf-8").split("\n")
        return lines[0], int(lines[1])
    except (OSError, ValueError, IndexError, UnicodeDecodeError):
        return None


def has_edition(root: Path, release_id: str) -> bool:
    """True when the release's edition is in place, whole, and of the current edition format."""
    return read_marker(edition_path(root, release_id)) == (release_id, edition_format())


def current_edition_id(root: Path) -> str | None:
    """The release whose edition is served as the current one (None: no edition is current)."""
    try:
        target = os.readlink(current_edition_path(root))
    except OSError:
        return None
    return target if "/" not in target else None


def _default_builder(source: Path, out_dir: Path) -> None:
    from dashboard.static_site.build import export_static

    report = export_static(source, out_dir, tables="light", site_url=LIGHT_URL)
    if report.broken:
        page, ref = report.broken[0]
        raise EditionError(f"{len(report.broken)} broken link(s), e.g. {page} -> {ref}")
    print(f"light edition: {report.summary()}", file=sys.stderr)
    for page in report.over_budget:
        print(f"warning: light edition page {page} is over the page budget "
              f"({report.sizes[page][1] / 1024:.0f} KB gzip)", file=sys.stderr)


Builder = Callable[[Path, Path], None]


def build_edition(source: Path, root: Path, release_id: str, builder: Builder | None = None) -> Path:
    """Build the edition of the release in `source` into a new staging folder of the data root and
    return it (install it with `install_edition`, or remove it). Raises `EditionError` with the
    reason when the edition cannot be built; nothing is left behind then."""
    parent = editions_dir(root)
    parent.mkdir(parents=True, exist_ok=True)
    os.chmod(parent, FOLDER_MODE)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{release_id}-", dir=parent))
    try:
        os.chmod(staging, FOLDER_MODE)
        (builder or _default_builder)(Path(source), staging)
        if read_marker(staging) != (release_id, edition_format()):
            raise EditionError("the builder did not write a whole edition of this release")
        _fsync_tree(staging)
    except EditionError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise EditionError(f"the light edition of release '{release_id}' cannot be built: {exc}") from None
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        reason = getattr(exc, "strerror", None) or str(exc).strip().split("\n")[0] or type(exc).__name__
        raise EditionError(f"the light edition of release '{release_id}' cannot be built: "
                           f"{type(exc).__name__}: {reason}") from exc
    return staging


def _fsync_tree(folder: Path) -> None:
    """Make a built edition durable before it is renamed into place (files, then folders)."""
    for dirpath, _, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_folder(Path(dirpath))


def _swap_link(link: Path, target: str) -> None:
    """Point `link` at `target` atomically: a new link under a temporary name, renamed over it."""
    if link.exists() and not link.is_symlink():
        raise EditionError(f"{link} is a real folder or file, not the link publish maintains; move it away")
    tmp = link.with_name(f".{link.name}-{os.getpid()}-{time.monotonic_ns()}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(link.parent)


def install_edition(root: Path, release_id: str, staging: Path) -> Path:
    """Move a built edition into `builds/` and point the release's link at it; returns the build."""
    builds = editions_dir(root) / BUILDS_DIR
    builds.mkdir(exist_ok=True)
    os.chmod(builds, FOLDER_MODE)
    final = builds / f"{release_id}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(4)}"
    os.rename(staging, final)
    fsync_folder(builds)
    _swap_link(edition_path(root, release_id), f"{BUILDS_DIR}/{final.name}")
    remove_unused_builds(root)
    return final


def point_current(root: Path, release_id: str) -> None:
    """Serve the edition of `release_id` as the current one (it must be in place)."""
    if not edition_path(root, release_id).is_dir():
        raise EditionError(f"release '{release_id}' has no light edition in {editions_dir(root)}")
    _swap_link(current_edition_path(root), release_id)


def ensure_edition(root: Path, release_id: str, builder: Builder | None = None) -> bool:
    """Build and install the edition of a release already in the data root if it lacks one (or has
    one of an older format); True when something was built."""
    if has_edition(root, release_id):
        return False
    staging = build_edition(Path(root) / release_id, root, release_id, builder)
    try:
        install_edition(root, release_id, staging)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return True


def sync_current(root: Path, release_id: str | None) -> bool:
    """Make the served edition follow the pointer's current release; True when the link changed.
    A release without an edition leaves the link alone (an older edition beats none)."""
    if release_id is None or current_edition_id(root) == release_id or not has_edition(root, release_id):
        return False
    point_current(root, release_id)
    return True


def remove_unused_builds(root: Path) -> list[Path]:
    """Remove builds no release link points at, and staging folders a crashed build left behind.
    A reader in the middle of a page keeps its open file (Linux); the next request gets the new one."""
    parent = editions_dir(root)
    used = set()
    for entry in parent.iterdir() if parent.is_dir() else []:
        if entry.is_symlink():
            try:
                used.add(Path(os.readlink(entry)).name)
            except OSError:
                continue
    removed = []
    for folder in [*(parent / BUILDS_DIR).glob("*"), *parent.glob(f"{STAGING_PREFIX}*")]:
        if folder.is_dir() and not folder.is_symlink() and folder.name not in used:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


# --- serving without a web server in front: Streamlit's static folder ------------------------------

MIRROR_SUBDIR = "light"
_MIRROR_STAMP = ".edition-build"


def mirror_edition(root: Path, release_id: str, static_dir: Path) -> Path | None:
    """Put the release's edition under `static_dir/light/<id>/`, where Streamlit serves it at
    `app/static/light/<id>/` (its static route refuses files reached through a symlink that leaves
    the folder, so the files are hard-linked, or copied across file systems). Returns the folder,
    or None when the release has no edition. A folder that already mirrors this build is kept."""
    if not has_edition(root, release_id):
        return None
    source = edition_path(root, release_id).resolve()
    target = Path(static_dir) / MIRROR_SUBDIR / release_id
    stamp = target / _MIRROR_STAMP
    try:
        if stamp.read_text(encoding="utf-8") == source.name:
            return target
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{release_id}-", dir=target.parent))
    try:
        shutil.copytree(source, staging, copy_function=_link_or_copy, dirs_exist_ok=True)
        (staging / _MIRROR_STAMP).write_text(source.name, encoding="utf-8")
        os.chmod(staging, FOLDER_MODE)
        swap_folder(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst


# --- the command: editions for releases published before editions existed -------------------------

def ensure_root_editions(root: Path, every_release: bool = False, static_dir: Path | None = None,
                         out=None) -> int:
    """Build the missing editions of a data root (the current release's, or every release's),
    point `.light/current` at the current one, and mirror them into `static_dir` when given.
    Returns an exit code: 0 done, 1 an edition could not be built (the others still are)."""
    from dashboard.publishing.publish import PublishError, publish_lock
    from dashboard.store.catalog import list_releases
    from dashboard.store.pointer import PointerError, current_release_id

    root, out = Path(root), out or sys.stderr
    try:
        current = current_release_id(root)
    except PointerError as exc:
        print(f"light edition: {exc}", file=out)
        return 1
    wanted = [e.release_id for e in list_releases(root) if Path(e.source).name == e.release_id]
    if not every_release:
        wanted = [current] if current in wanted else []
    status = 0
    try:
        with publish_lock(root):
            for release_id in wanted:
                try:
                    built = ensure_edition(root, release_id)
                except EditionError as exc:
                    print(f"light edition: {exc}", file=out)
                    status = 1
                    continue
                print(f"light edition: {'built' if built else 'up to date'} {edition_path(root, release_id)}", file=out)
            if sync_current(root, current):
                print(f"light edition: {current_edition_path(root)} -> {current}", file=out)
    except PublishError as exc:
        print(f"light edition: {exc}", file=out)
        return 1
    if static_dir is not None:
        for release_id in wanted:
            mirror_edition(root, release_id, static_dir)
    return status
