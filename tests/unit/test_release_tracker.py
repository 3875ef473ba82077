"""The app's release tracker: follows `current`, switches without a restart, keeps the last good one.

The clock is injected, so nothing here sleeps: "five seconds later" is `clock.advance(5)`.
"""
from __future__ import annotations

import logging
import shutil

import pytest

from dashboard.publishing.publish import publish_release
from dashboard.release.read import load_results
from dashboard.store.pointer import POINTER_NAME, Pointer, write_pointer
from dashboard.store.tracker import ReleaseTracker, folder_fingerprint, open_snapshot
from tests.edition_helpers import fast_editions  # noqa: F401 - fixture (tiny light editions)
from tests.publish_helpers import make_release

pytestmark = pytest.mark.usefixtures("fast_editions")

LOGGER = "dashboard.store.tracker"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sources(tmp_path):
    return {rid: make_release(tmp_path / "src" / rid, rid, version=f"{n}.0.0")
            for n, rid in enumerate(("r1", "r2", "r3"), 1)}


@pytest.fixture
def root(tmp_path, sources):
    root = tmp_path / "root"
    publish_release(sources["r1"], root)
    return root


def tracker_for(data, clock, tmp_path, **kwargs) -> ReleaseTracker:
    return ReleaseTracker(str(data), check_every_s=5, retry_every_s=30, clock=clock,
                          snapshot_dir=tmp_path / "snapshots", **kwargs)


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno >= logging.WARNING]


# --- following the pointer ------------------------------------------------------------------

def test_serves_the_current_release_from_a_private_snapshot(root, clock, tmp_path):
    state = tracker_for(root, clock, tmp_path).state()
    assert state.release.id == "r1" and state.problem is None and not state.stale
    assert state.release.folder.parent == tmp_path / "snapshots"
    assert not str(state.release.folder).startswith(str(root))


def test_switches_to_a_new_current_release_at_the_next_check(root, sources, clock, tmp_path):
    tracker = tracker_for(root, clock, tmp_path)
    assert tracker.state().release.id == "r1"
    publish_release(sources["r2"], root)
    clock.advance(4.9)
    assert tracker.state().release.id == "r1", "not re-checked before the interval"
    clock.advance(0.1)
    assert tracker.state().release.id == "r2"
    assert tracker.known(str(tracker.state().release.folder)) is tracker.state().release


def test_nothing_is_reopened_while_nothing_changes(root, clock, tmp_path):
    opened = []

    def counting_opener(source):
        opened.append(source)
        return open_snapshot(source, tmp_path / "snapshots")

    tracker = tracker_for(root, clock, tmp_path, opener=counting_opener)
    for _ in range(5):
        tracker.state()
        clock.advance(10)
    assert opened == [str(root / "r1")]


def test_no_pointer_means_the_real_release(tmp_path, clock):
    root = tmp_path / "releases"
    make_release(root / "sipas-published", "sipas-published", demo=False)
    make_release(root / "demo", "demo")
    assert tracker_for(root, clock, tmp_path).state().release.id == "sipas-published"


def test_a_single_release_folder_is_followed_too(sources, clock, tmp_path):
    folder = sources["r1"]
    tracker = tracker_for(folder, clock, tmp_path)
    assert tracker.state().release.version == "1.0.0"
    shutil.rmtree(folder)
    make_release(folder, "r1", version="1.0.1")  # rebuilt in place
    clock.advance(5)
    assert tracker.state().release.version == "1.0.1"


# --- keeping the last good release ----------------------------------------------------------

def test_current_release_deleted_keeps_serving_the_last_good_one(root, sources, clock, tmp_path, caplog):
    tracker = tracker_for(root, clock, tmp_path)
    publish_release(sources["r2"], root)
    clock.advance(5)
    served = tracker.state().release
    assert served.id == "r2"
    shutil.rmtree(root / "r2")
    clock.advance(5)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        state = tracker.state()
    assert state.release is served and state.stale
    assert load_results(state.release, year=2023)["year"].eq(2023).all(), "the snapshot is still readable"
    logged = " ".join(warnings_of(caplog))
    assert str(root / "r2") in logged and "still serving r2" in logged


@pytest.mark.parametrize("damage", ["csv", "truncated", "hash"])
def test_current_release_corrupted_in_place_keeps_serving(root, clock, tmp_path, caplog, damage):
    tracker = tracker_for(root, clock, tmp_path)
    served = tracker.state().release
    results = root / "r1" / "results.parquet"
    if damage == "csv":
        results.write_text("year,value\n2023,80\n", encoding="utf-8")
    elif damage == "truncated":
        results.write_bytes(results.read_bytes()[:200])
    else:
        data = bytearray(results.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one flipped byte: still PAR1...PAR1, but not what was published
        results.write_bytes(bytes(data))
    clock.advance(5)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state = tracker.state()
    assert state.release is served and state.stale
    assert "invalid" in state.problem
    assert any("validation report" in m for m in warnings_of(caplog)), "the full report is logged"
    assert len(load_results(state.release)) > 0


def test_half_copied_release_made_current_by_hand_is_not_served(root, sources, clock, tmp_path, caplog):
    tracker = tracker_for(root, clock, tmp_path)
    half = root / "r2"
    half.mkdir()
    shutil.copy(sources["r2"] / "datapackage.json", half)
    shutil.copy(sources["r2"] / "indicators.parquet", half)  # results.parquet never arrived
    write_pointer(root, Pointer("r2", ("r1",)))
    clock.advance(5)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state = tracker.state()
    assert state.release.id == "r1" and state.wanted == "r2" and "results.parquet" in state.problem
    assert warnings_of(caplog)

    shutil.copy(sources["r2"] / "results.parquet", half)  # the copy is finished
    clock.advance(5)
    state = tracker.state()
    assert state.release.id == "r2" and not state.stale


@pytest.mark.parametrize("pointer_bytes", [b"", b"\x00\x01garbage", b'{"format": 1, "current": "../../etc/passwd"}',
                                           b'{"format": 1, "current": "no-such-release"}'])
def test_broken_or_dangling_pointer_keeps_serving(root, clock, tmp_path, caplog, pointer_bytes):
    tracker = tracker_for(root, clock, tmp_path)
    tracker.state()
    (root / POINTER_NAME).write_bytes(pointer_bytes)
    clock.advance(5)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state = tracker.state()
    assert state.release.id == "r1" and state.stale
    assert warnings_of(caplog)


def test_pointer_deleted_and_no_real_release_keeps_serving(root, clock, tmp_path):
    tracker = tracker_for(root, clock, tmp_path)
    tracker.state()
    (root / POINTER_NAME).unlink()
    clock.advance(5)
    state = tracker.state()
    assert state.release.id == "r1" and "no 'current' pointer" in state.problem


def test_a_persisting_problem_is_logged_loudly_once_then_retried_quietly(root, clock, tmp_path, caplog):
    opened = []
    tracker = tracker_for(root, clock, tmp_path,
                          opener=lambda s: opened.append(s) or open_snapshot(s, tmp_path / "snapshots"))
    tracker.state()
    (root / "r1" / "results.parquet").write_text("x", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        clock.advance(5)
        tracker.state()
        for _ in range(3):  # checks within the retry interval: nothing reopened, nothing logged
            clock.advance(5)
            tracker.state()
        assert len(opened) == 2
        clock.advance(30)
        tracker.state()
    assert len(opened) == 3, "retried after retry_every_s"
    loud = [r for r in caplog.records if r.name == LOGGER and r.levelno >= logging.WARNING]
    assert len(loud) == 2  # the one-line warning and the validation report, once
    assert any(r.levelno == logging.INFO and "cannot be served" in r.getMessage() for r in caplog.records)


def test_recovers_when_the_release_is_repaired(root, sources, clock, tmp_path):
    tracker = tracker_for(root, clock, tmp_path)
    tracker.state()
    good = (root / "r1" / "results.parquet").read_bytes()
    (root / "r1" / "results.parquet").write_text("x", encoding="utf-8")
    clock.advance(5)
    assert tracker.state().stale
    (root / "r1" / "results.parquet").write_bytes(good)
    clock.advance(5)
    state = tracker.state()
    assert state.release.id == "r1" and not state.stale


def test_first_start_on_a_broken_current_falls_back_to_the_previous_release(root, sources, clock, tmp_path, caplog):
    publish_release(sources["r2"], root)
    (root / "r2" / "results.parquet").unlink()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        state = tracker_for(root, clock, tmp_path).state()
    assert state.release.id == "r1" and state.wanted == "r2" and state.stale
    assert any("earlier release r1" in m for m in warnings_of(caplog))


def test_nothing_to_serve_at_all_is_reported_not_raised(tmp_path, clock):
    state = tracker_for(tmp_path / "missing", clock, tmp_path).state()
    assert state.release is None and "no such folder" in state.problem


def test_fingerprint_notices_replaced_and_truncated_files(sources):
    folder = sources["r1"]
    before = folder_fingerprint(folder)
    path = folder / "results.parquet"
    copy = folder / "results.parquet.new"
    copy.write_bytes(path.read_bytes())
    copy.replace(path)  # same bytes, another file (how a copy by hand lands)
    replaced = folder_fingerprint(folder)
    assert replaced != before
    path.write_bytes(path.read_bytes()[:100])
    assert folder_fingerprint(folder) != replaced
    assert folder_fingerprint(folder / "nope")[0] == "unreadable"


def _opening_slowly(root, clock, tmp_path):
    """A tracker whose first check is opening the release right now and waits for `proceed`:
    (tracker, the thread of that first check, proceed)."""
    import threading

    opening, proceed = threading.Event(), threading.Event()

    def slow_opener(source):
        opening.set()
        proceed.wait(10)
        return open_snapshot(source, tmp_path / "snapshots")

    tracker = tracker_for(root, clock, tmp_path, opener=slow_opener)
    first = threading.Thread(target=tracker.state)
    first.start()
    assert opening.wait(10)
    return tracker, first, proceed


def test_runs_arriving_during_the_first_check_wait_for_the_first_release(root, clock, tmp_path):
    # A replica just (re)started: its first script run is opening the release (slow) when more
    # readers arrive. They must get that release, not "no data release is available".
    import threading

    tracker, first, proceed = _opening_slowly(root, clock, tmp_path)
    seen = []
    second = threading.Thread(target=lambda: seen.append(tracker.state()))
    second.start()
    second.join(0.3)
    assert second.is_alive(), "a run during the first check must wait for it"
    proceed.set()
    first.join(10)
    second.join(10)
    assert seen[0].release is not None and seen[0].release.id == "r1"


def test_a_readiness_probe_never_waits_for_the_first_release(root, clock, tmp_path):
    # The probe of a replica still opening its first release must answer "not ready" at once
    # (a probe that hangs is a timeout, and the orchestrator's patience runs out); once the
    # release is open, the same probe says which release is served.
    import threading

    from dashboard.ui.readiness import readiness

    tracker, first, proceed = _opening_slowly(root, clock, tmp_path)
    probed = []
    probe = threading.Thread(target=lambda: probed.append(tracker.state(wait=False)))
    probe.start()
    probe.join(2)
    assert not probe.is_alive(), "the probe waited for the check in progress"
    assert readiness(probed[0])[0] == 503
    proceed.set()
    first.join(10)
    status, body = readiness(tracker.state(wait=False))
    assert status == 200 and body == {"ready": True, "release": "r1", "version": "1.0.0", "stale": False}


def test_readiness_holds_while_the_last_good_release_is_served(root, sources, clock, tmp_path):
    from dashboard.ui.readiness import readiness

    tracker = tracker_for(root, clock, tmp_path)
    assert readiness(tracker.state(wait=False))[0] == 200
    publish_release(sources["r2"], root)
    (root / "r2" / "results.parquet").write_bytes(b"broken")
    clock.advance(5)
    status, body = readiness(tracker.state(wait=False))
    assert status == 200 and body["release"] == "r1" and body["stale"] is True
    assert "broken" not in str(body) and str(root) not in str(body), "no problem text or path in the answer"


def test_a_replica_without_any_release_is_not_ready(tmp_path, clock):
    from dashboard.ui.readiness import readiness

    status, body = readiness(tracker_for(tmp_path / "nothing-here", clock, tmp_path).state(wait=False))
    assert status == 503 and body["ready"] is False and body["release"] is None
