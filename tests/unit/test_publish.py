"""publish: validate, build the light edition, copy, switch the `current` pointer atomically (and
the served edition with it); refuse, roll back, lock.

Most tests here are about the release files: they build tiny stand-in editions
(`tests.edition_helpers`); the light edition tests build real ones."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dashboard.atomic_files import FILE_MODE
from dashboard.cli import main as cli_main
from dashboard.publishing import editions, publish
from dashboard.publishing.publish import publish_lock, publish_release, rollback_release, run_publish_command
from dashboard.release.validate import validate_release
from dashboard.store import catalog
from dashboard.store import files as release_files
from dashboard.store.pointer import (
    POINTER_NAME,
    Pointer,
    PointerError,
    current_release_id,
    parse_pointer,
    read_pointer,
    write_pointer,
)
from tests.edition_helpers import fast_editions, real_editions  # noqa: F401 - fixtures
from tests.publish_helpers import make_release, tree_bytes

pytestmark = pytest.mark.usefixtures("fast_editions")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sources(tmp_path):
    """Three valid releases r1, r2, r3 outside the data root."""
    return {rid: make_release(tmp_path / "src" / rid, rid) for rid in ("r1", "r2", "r3")}


@pytest.fixture
def root(tmp_path):
    return tmp_path / "root"


def staging_folders(root: Path) -> list[Path]:
    return list(root.glob(f"{release_files.STAGING_PREFIX}*"))


# --- the happy path -------------------------------------------------------------------------

def test_publish_copies_validates_and_switches(sources, root):
    first = publish_release(sources["r1"], root)
    assert (first.release_id, first.copied, first.switched, first.previous) == ("r1", True, True, None)
    assert read_pointer(root).current == "r1"
    assert validate_release(root / "r1").valid
    assert release_files.release_digests(root / "r1") == release_files.release_digests(sources["r1"])

    second = publish_release(sources["r2"], root)
    assert (second.previous, second.switched) == ("r1", True)
    pointer = read_pointer(root)
    assert (pointer.current, pointer.history) == ("r2", ("r1",))
    assert (root / "r1").is_dir(), "every release stays available by id"
    assert staging_folders(root) == []


def test_cli_publish_prints_what_happened(sources, root, capsys):
    assert cli_main(["publish", str(sources["r1"]), "--to", str(root)]) == 0
    out = capsys.readouterr().out
    assert "copied release r1" in out and "current release: r1" in out and "--rollback" in out


def test_only_the_release_files_travel(sources, root):
    (sources["r1"] / "notes-to-self.txt").write_text("private", encoding="utf-8")
    (sources["r1"] / ".DS_Store").write_bytes(b"\0")
    publish_release(sources["r1"], root)
    assert sorted(p.name for p in (root / "r1").iterdir()) == ["datapackage.json", "indicators.parquet",
                                                                "results.parquet"]


def test_published_files_are_readable_by_the_app_user(sources, root):
    publish_release(sources["r1"], root)
    assert (root / POINTER_NAME).stat().st_mode & 0o777 == FILE_MODE
    assert (root / "r1").stat().st_mode & 0o044 == 0o044 & FILE_MODE  # group/others can read, as umask allows


def test_first_publish_into_the_default_layout_remembers_the_real_release(tmp_path, root):
    # data/releases/ has no pointer: it serves sipas-published; a publish must be able to go back to it.
    make_release(root / "sipas-published", "sipas-published", demo=False)
    make_release(root / "demo", "demo")
    assert current_release_id(root) == "sipas-published"
    publish_release(make_release(tmp_path / "new", "survey-2025"), root)
    assert read_pointer(root).history == ("sipas-published",)
    assert [e.release_id for e in catalog.list_releases(root)] == ["sipas-published", "demo", "survey-2025"]
    rollback_release(root)
    assert current_release_id(root) == "sipas-published"


def test_catalog_ignores_the_pointer_lock_staging_and_editions(sources, root):
    publish_release(sources["r1"], root)
    (root / f"{release_files.STAGING_PREFIX}r9-abc").mkdir()
    assert (root / editions.EDITIONS_DIR / "r1").is_dir()
    assert [e.release_id for e in catalog.list_releases(root)] == ["r1"]
    assert catalog.current_source(str(root)) == str(root / "r1")


# --- refusals: nothing published is lost or changed -----------------------------------------

def test_different_release_with_a_published_id_is_refused(tmp_path, sources, root, capsys):
    publish_release(sources["r1"], root)
    before = tree_bytes(root)
    changed = make_release(tmp_path / "changed", "r1", version="1.0.1", title_en="Changed")
    assert run_publish_command(str(changed), root) == 1
    err = capsys.readouterr().err
    assert "already published" in err and "new id" in err and "Traceback" not in err
    assert tree_bytes(root) == before


def test_identical_release_again_is_a_no_op(sources, root, capsys):
    publish_release(sources["r1"], root)
    before = tree_bytes(root)
    inode = (root / "r1" / "results.parquet").stat().st_ino
    outcome = publish_release(sources["r1"], root)
    assert (outcome.copied, outcome.switched) == (False, False)
    assert tree_bytes(root) == before
    assert (root / "r1" / "results.parquet").stat().st_ino == inode
    assert "nothing changed" in outcome.describe(root)


def test_identical_release_again_after_a_rollback_makes_it_current(sources, root):
    publish_release(sources["r1"], root)
    publish_release(sources["r2"], root)
    rollback_release(root)
    outcome = publish_release(root / "r2", root)  # publishing a release already in the root, by path
    assert (outcome.copied, outcome.switched) == (False, True)
    assert read_pointer(root).current == "r2"


@pytest.mark.parametrize("damage", ["csv", "html", "zip", "truncated", "missing-descriptor"])
def test_invalid_release_is_refused_and_the_published_one_is_untouched(tmp_path, sources, root, capsys, damage):
    publish_release(sources["r1"], root)
    before = tree_bytes(root)
    bad = make_release(tmp_path / "bad", "r2")
    results = bad / "results.parquet"
    if damage == "csv":
        results.write_text("year,value\n2023,80\n", encoding="utf-8")
    elif damage == "html":
        results.write_text("<!DOCTYPE html><html><body>Not found</body></html>", encoding="utf-8")
    elif damage == "zip":
        results.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    elif damage == "truncated":
        results.write_bytes(results.read_bytes()[:300])
    else:
        (bad / "datapackage.json").unlink()
    assert run_publish_command(str(bad), root) == 1
    err = capsys.readouterr().err
    assert "INVALID" in err and "NOT PUBLISHED" in err and "still serves r1" in err and "Traceback" not in err
    assert tree_bytes(root) == before, "nothing already published is lost or changed"
    assert not (root / "r2").exists()


def test_reserved_id_is_refused(tmp_path, root, capsys):
    assert run_publish_command(str(make_release(tmp_path / "c", POINTER_NAME)), root) == 1
    assert "reserved" in capsys.readouterr().err
    assert not (root / POINTER_NAME).exists()


def test_missing_source_folder_is_a_clear_message(tmp_path, root, capsys):
    assert run_publish_command(str(tmp_path / "nope"), root) == 1
    err = capsys.readouterr().err
    assert "no such folder" in err and "Traceback" not in err
    assert not root.exists(), "a refused publish leaves no trace"


def test_data_root_that_is_a_release_or_a_file_is_refused(tmp_path, sources, capsys):
    assert run_publish_command(str(sources["r2"]), sources["r1"]) == 1
    assert "is a release folder, not a data root" in capsys.readouterr().err
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    assert run_publish_command(str(sources["r2"]), a_file) == 1
    assert "is a file" in capsys.readouterr().err


def test_a_bug_of_ours_is_one_line_and_a_crash_log_with_the_traceback(sources, root, tmp_path, monkeypatch, capsys):
    """An unexpected exception in publish is our bug: the publisher reads one line saying so and
    where the details are; the traceback, with what was being published, is in that log file."""
    import dashboard.publishing.publish as publish

    def broken(*args, **kwargs):
        raise RuntimeError("an invariant broke")

    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(publish, "publish_release", broken)
    assert run_publish_command(str(sources["r1"]), root) == 1
    err = capsys.readouterr().err
    assert "NOT PUBLISHED" in err and "bug in the dashboard" in err and "Traceback" not in err
    logs = list((tmp_path / "cache" / "logs").glob("publish-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: an invariant broke" in text and str(sources["r1"]) in text


def test_usage_errors_exit_2(sources, root, capsys):
    assert run_publish_command(None, root) == 2
    assert run_publish_command(str(sources["r1"]), root, rollback=True) == 2
    root.mkdir()
    assert run_publish_command(str(root), root) == 2
    assert "Traceback" not in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        from dashboard.cli import build_parser
        build_parser().parse_args(["publish", "--help"])
    assert exc.value.code == 0
    assert "--rollback" in capsys.readouterr().out


def test_broken_pointer_is_kept_aside_and_a_new_history_starts(sources, root, capsys):
    publish_release(sources["r1"], root)
    (root / POINTER_NAME).write_bytes(b"\xff\xfe garbage")
    publish_release(sources["r2"], root)
    assert read_pointer(root).current == "r2"
    kept = list(root.glob(f".{POINTER_NAME}.broken-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\xff\xfe garbage"
    assert "moved to" in capsys.readouterr().err


@pytest.mark.parametrize("raw", [b"", b"r1", b"{}", b'{"format": 1, "current": "../../etc"}',
                                 b'{"format": 1, "current": "current"}',
                                 b'{"format": 1, "current": "r1", "history": "r0"}',
                                 b"\x00" * 70_000])
def test_pointer_parsing_refuses_anything_odd(raw):
    with pytest.raises(PointerError):
        parse_pointer(raw)


# --- rollback -------------------------------------------------------------------------------

def test_rollback_steps_back_through_history(sources, root, capsys):
    for rid in ("r1", "r2", "r3"):
        publish_release(sources[rid], root)
    assert run_publish_command(None, root, rollback=True) == 0
    assert "rolled back: r2" in capsys.readouterr().out
    assert (read_pointer(root).current, read_pointer(root).history) == ("r2", ("r1",))
    rollback_release(root)
    assert current_release_id(root) == "r1"
    assert run_publish_command(None, root, rollback=True) == 1
    assert "nothing to roll back to" in capsys.readouterr().err
    assert {p.name for p in root.iterdir() if not p.name.startswith(".")} == {"r1", "r2", "r3", POINTER_NAME}


def test_rollback_refuses_a_damaged_previous_release(sources, root, capsys):
    publish_release(sources["r1"], root)
    publish_release(sources["r2"], root)
    (root / "r1" / "results.parquet").write_text("year,value\n", encoding="utf-8")
    pointer_before = (root / POINTER_NAME).read_bytes()
    assert run_publish_command(None, root, rollback=True) == 1
    assert "damaged" in capsys.readouterr().err
    assert (root / POINTER_NAME).read_bytes() == pointer_before


def test_rollback_of_a_missing_root_is_a_clear_message(tmp_path, capsys):
    assert run_publish_command(None, tmp_path / "nowhere", rollback=True) == 1
    assert "no such data root" in capsys.readouterr().err


# --- crashes --------------------------------------------------------------------------------

class Crash(BaseException):
    """The process dies here (not an error anyone handles)."""


def test_crash_between_copy_and_switch_leaves_the_old_release_current(sources, root, monkeypatch):
    publish_release(sources["r1"], root)
    pointer_before = (root / POINTER_NAME).read_bytes()

    def power_cut(*_args, **_kwargs):
        raise Crash()

    monkeypatch.setattr(publish, "write_pointer", power_cut)
    with pytest.raises(Crash):
        publish_release(sources["r2"], root)
    assert (root / POINTER_NAME).read_bytes() == pointer_before
    assert catalog.current_source(str(root)) == str(root / "r1")
    assert validate_release(root / "r2").valid, "the copy itself is complete"

    monkeypatch.undo()
    outcome = publish_release(sources["r2"], root)  # publishing again finishes the job
    assert (outcome.copied, outcome.switched, read_pointer(root).current) == (False, True, "r2")


def test_crash_while_copying_leaves_nothing_under_the_release_name(sources, root, monkeypatch):
    publish_release(sources["r1"], root)
    before = tree_bytes(root)
    calls = []

    def dies_on_second_file(src, dst, length=0):
        calls.append(src)
        if len(calls) == 2:
            raise Crash()
        dst.write(src.read())

    monkeypatch.setattr(release_files.shutil, "copyfileobj", dies_on_second_file)
    with pytest.raises(Crash):
        publish_release(sources["r2"], root)
    assert not (root / "r2").exists()
    assert tree_bytes(root) == before


def test_staging_left_by_a_killed_publish_is_ignored_then_cleaned(sources, root):
    publish_release(sources["r1"], root)
    leftover = root / f"{release_files.STAGING_PREFIX}r2-killed"
    leftover.mkdir()
    (leftover / "results.parquet").write_bytes(b"PAR1 half")
    assert [e.release_id for e in catalog.list_releases(root)] == ["r1"]
    assert current_release_id(root) == "r1"
    publish_release(sources["r2"], root)
    assert not leftover.exists()


def test_pointer_write_is_atomic_when_interrupted(root, monkeypatch):
    root.mkdir()
    write_pointer(root, Pointer("r1"))
    before = (root / POINTER_NAME).read_bytes()
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        write_pointer(root, Pointer("r2", ("r1",)))
    assert (root / POINTER_NAME).read_bytes() == before
    assert [p.name for p in root.iterdir()] == [POINTER_NAME], "no temporary file left behind"


# --- two publishes at once ------------------------------------------------------------------

def test_held_lock_makes_a_publish_stop_cleanly(sources, root, capsys):
    publish_release(sources["r1"], root)
    before = tree_bytes(root)
    with publish_lock(root):
        assert run_publish_command(str(sources["r2"]), root, lock_timeout_s=0) == 1
    err = capsys.readouterr().err
    assert "another publish is running" in err and "Nothing was changed" in err
    assert tree_bytes(root) == before


def test_two_threads_publishing_at_once_take_turns(sources, root, monkeypatch):
    """The second publish finds the lock taken while the first is inside; they never interleave."""
    publish_release(sources["r1"], root)
    contended = threading.Event()
    events: list[str] = []
    real_flock, real_copy = publish.fcntl.flock, publish._copy_into_root

    class FlockSpy:
        LOCK_EX, LOCK_NB, LOCK_UN = publish.fcntl.LOCK_EX, publish.fcntl.LOCK_NB, publish.fcntl.LOCK_UN

        @staticmethod
        def flock(fd, op):
            try:
                return real_flock(fd, op)
            except BlockingIOError:
                contended.set()
                raise

    def copy_and_wait(folder, root_, release_id):
        events.append(f"enter {release_id}")
        if len(events) == 1:
            assert contended.wait(timeout=60), "the other publish never tried the lock"
        result = real_copy(folder, root_, release_id)
        events.append(f"exit {release_id}")
        return result

    monkeypatch.setattr(publish, "fcntl", FlockSpy)
    monkeypatch.setattr(publish, "LOCK_POLL_S", 0.01)
    monkeypatch.setattr(publish, "_copy_into_root", copy_and_wait)
    errors = []

    def run(rid):
        try:
            publish_release(sources[rid], root)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(rid,)) for rid in ("r2", "r3")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert errors == []
    assert contended.is_set()
    first, second = events[0].split()[1], events[2].split()[1]
    assert events == [f"enter {first}", f"exit {first}", f"enter {second}", f"exit {second}"]
    pointer = read_pointer(root)
    assert (pointer.current, pointer.history) == (second, ("r1", first))
    for rid in ("r1", "r2", "r3"):
        assert validate_release(root / rid).valid
    assert staging_folders(root) == []


def test_two_processes_publishing_at_once_end_consistent(sources, root):
    publish_release(sources["r1"], root)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-m", "dashboard", "publish", str(sources[rid]), "--to", str(root)],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for rid in ("r2", "r3")]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    pointer = json.loads((root / POINTER_NAME).read_text(encoding="utf-8"))
    assert pointer["current"] in ("r2", "r3")
    other = "r3" if pointer["current"] == "r2" else "r2"
    assert pointer["history"] == ["r1", other]
    for rid in ("r1", "r2", "r3"):
        assert validate_release(root / rid).valid
    assert staging_folders(root) == []


# --- the light edition: published with the release or not at all ----------------------------

def served_edition(root: Path) -> str | None:
    """The release whose light edition nginx would serve at /light/ (following the links)."""
    current = root / editions.EDITIONS_DIR / editions.CURRENT_LINK
    marker = editions.read_marker(current)
    return marker[0] if marker else None


def test_publish_writes_the_light_edition_with_the_release(sources, root, real_editions, capsys):
    assert run_publish_command(str(sources["r1"]), root) == 0
    assert "light edition" in capsys.readouterr().out
    assert served_edition(root) == "r1"
    page = (root / ".light" / "current" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Release r1" in page and "<svg" in page
    assert (root / ".light" / "current" / "vi" / "services" / "admin.html").is_file()
    link = os.readlink(root / ".light" / "r1")
    assert link.startswith("builds/r1-") and not os.path.isabs(link)  # relative: the root can move
    publish_release(sources["r2"], root)
    assert served_edition(root) == "r2" and editions.has_edition(root, "r1")
    rollback_release(root)
    assert (read_pointer(root).current, served_edition(root)) == ("r1", "r1")
    assert not list((root / ".light").glob(".staging-*"))
    # the builds no release points at are gone; one per release stays
    assert sorted(p.name.split("-")[0] for p in (root / ".light" / "builds").iterdir()) == ["r1", "r2"]


@pytest.mark.parametrize("failure", [RuntimeError("the map layer is missing"), MemoryError(),
                                     editions.EditionError("no pages")])
def test_a_release_whose_edition_cannot_be_built_is_not_published(sources, root, monkeypatch, capsys, failure):
    publish_release(sources["r1"], root)
    before = tree_bytes(root)

    def broken_builder(source, out):
        (out / "vi").mkdir()
        (out / "vi" / "index.html").write_text("half", encoding="utf-8")
        raise failure

    monkeypatch.setattr(editions, "_default_builder", broken_builder)
    assert run_publish_command(str(sources["r2"]), root) == 1
    err = capsys.readouterr().err
    assert "NOT PUBLISHED" in err and "light edition of release 'r2' cannot be built" in err
    assert "still serves r1" in err
    assert tree_bytes(root) == before, "the old release and its edition are untouched, nothing left behind"
    assert not (root / "r2").exists() and served_edition(root) == "r1"


def test_a_builder_that_writes_no_whole_edition_is_refused(sources, root, monkeypatch, capsys):
    monkeypatch.setattr(editions, "_default_builder", lambda source, out: (out / "x.html").write_text("x"))
    assert run_publish_command(str(sources["r1"]), root) == 1
    assert "did not write a whole edition" in capsys.readouterr().err
    assert not (root / "r1").exists() and read_pointer(root) is None


def test_crash_between_the_pointer_and_the_edition_link_is_put_right(sources, root, monkeypatch):
    publish_release(sources["r1"], root)
    monkeypatch.setattr(editions, "point_current", lambda *a: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        publish_release(sources["r2"], root)
    assert (read_pointer(root).current, served_edition(root)) == ("r2", "r1")  # the app moved, /light/ not yet
    monkeypatch.undo()
    monkeypatch.setattr(editions, "_default_builder", lambda *a: pytest.fail("nothing to rebuild"))
    outcome = publish_release(sources["r2"], root)  # publishing again (or make serve, defaults) puts it right
    assert not outcome.switched and served_edition(root) == "r2"


def test_serve_puts_the_served_edition_right_from_the_pointer(sources, root):
    from deploy.serve import sync_light_edition

    publish_release(sources["r1"], root)
    publish_release(sources["r2"], root)
    editions.point_current(root, "r1")  # e.g. a copy of the data root made mid-publish
    sync_light_edition(root)
    assert served_edition(root) == "r2"


def test_rollback_builds_the_edition_a_release_published_before_editions_lacks(sources, root):
    publish_release(sources["r1"], root)
    publish_release(sources["r2"], root)
    (root / ".light" / "r1").unlink()  # as a data root published by an older version
    editions.remove_unused_builds(root)
    rollback_release(root)
    assert (read_pointer(root).current, served_edition(root)) == ("r1", "r1")


def test_rollback_is_refused_when_the_previous_edition_cannot_be_built(sources, root, monkeypatch, capsys):
    publish_release(sources["r1"], root)
    publish_release(sources["r2"], root)
    (root / ".light" / "r1").unlink()
    monkeypatch.setattr(editions, "_default_builder", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left")))
    assert run_publish_command(None, root, rollback=True) == 1
    assert "cannot be built" in capsys.readouterr().err
    assert (read_pointer(root).current, served_edition(root)) == ("r2", "r2")


def test_light_edition_command_builds_what_older_publishes_lack(sources, root, tmp_path, capsys):
    publish_release(sources["r1"], root)
    publish_release(sources["r2"], root)
    for rid in ("r1", "r2", "current"):
        (root / ".light" / rid).unlink()
    assert cli_main(["light-edition", "--to", str(root)]) == 0
    assert served_edition(root) == "r2" and not editions.has_edition(root, "r1")
    assert cli_main(["light-edition", "--to", str(root), "--all"]) == 0
    assert editions.has_edition(root, "r1")
    assert "built" in capsys.readouterr().err


def test_streamlit_serves_a_hard_linked_copy_of_an_edition(sources, root, tmp_path):
    publish_release(sources["r1"], root)
    static = tmp_path / "static"
    mirrored = editions.mirror_edition(root, "r1", static)
    page = mirrored / "vi" / "index.html"
    assert page.is_file() and not page.is_symlink()  # Streamlit refuses links out of its folder
    assert os.stat(page).st_ino == os.stat(root / ".light" / "r1" / "vi" / "index.html").st_ino
    assert editions.mirror_edition(root, "r1", static) == mirrored  # kept while the build is the same
    assert editions.mirror_edition(root, "nope", static) is None
