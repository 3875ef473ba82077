"""Publication-day faults while readers read through nginx (the short run of bench/fault_test.py).

Six simulated readers (HTML + websocket sessions rerunning the map page) and one Chromium page
reloading the map read two replicas behind nginx for about 40 s (and two readers of the light
edition, when nginx serves it), while a new release is published, the current one is cut in half
on disk, a good one is published again, and a replica is killed with SIGKILL and restarted. What
readers rely on: no failed request around a publish or a corruption, every reader moves to each
new release, the last good release keeps being served (with a notice, and logged) while the
current one is broken; when the replica dies, no request fails (nginx sends page requests to the
other replica, and a dropped websocket is reopened as Streamlit's frontend does), every reader is
served again within 30 s, the restarted replica gets readers back only once it is ready, and the
light edition is served throughout.
Skipped without nginx or chromium locally; a failure on CI (CI=true).
"""
from __future__ import annotations

import pytest

from bench.fault_log import BROWSER, LIGHT, FaultEvent, Request
from bench.fault_test import QUICK, SECOND, THIRD, FaultRun, run_fault_test
from tests.browser.conftest import ARTIFACTS, require_nginx

pytestmark = pytest.mark.browser
RECOVERY_BOUND_S = 30.0  # a correctness bound, not a speed target
# Replicas look at the data root's pointer every second (DASHBOARD_CHECK_SECONDS=1), then validate
# the new release before serving it: several seconds on a busy 2-core machine (up to 5.5 s seen).
SWITCH_BOUND_S = 15.0  # a correctness bound, not a speed target


@pytest.fixture(scope="module")
def run(browser) -> FaultRun:
    require_nginx()
    return run_fault_test(QUICK, browser, screenshots=ARTIFACTS / "fault-test")


def event(run: FaultRun, name: str) -> FaultEvent:
    return next(e for e in run.log.events if e.name == name)


def figures_of(run: FaultRun, name: str) -> dict:
    return next(e for e in run.figures["events"] if e["name"] == name)


def served_between(run: FaultRun, start: float, end: float) -> list[Request]:
    return sorted((r for r in run.log.requests if r.ok and start <= r.ended < end), key=lambda r: r.ended)


def test_every_fault_happened(run):
    assert [e.name for e in run.log.events] == ["publish", "corrupt", "republish", "kill"]
    kill = event(run, "kill")
    assert kill.extra["restarted"] == [kill.extra["port"]], "the killed replica was not restarted"


def test_no_failed_request_before_the_kill(run):
    # Publishing, a corrupted current release and publishing again must not cost a single reader
    # a single request (the warm-up before the first fault included).
    kill = event(run, "kill")
    failed = [r for r in run.log.requests if not r.ok and r.ended < kill.at]
    assert failed == [], failed[:5]
    for name in ("publish", "corrupt", "republish"):
        assert figures_of(run, name)["requests"] > 0, f"no reader read during {name}"


@pytest.mark.parametrize("name, release, until", [("publish", SECOND[1], "republish"), ("republish", THIRD[1], None)])
def test_readers_move_to_the_published_release_and_stay(run, name, release, until):
    # A request that started before the publish was over may show the release before it, and so
    # may one that started before its replica has looked at the pointer and validated the new
    # release. A request started SWITCH_BOUND_S after the publish must show the new release, and a
    # reader who saw it never goes back to an older one.
    published = event(run, name)
    end = event(run, until).at if until else float("inf")
    after = [r for r in served_between(run, published.done_at, end) if r.started >= published.done_at]
    assert any(r.release == release for r in after), f"nobody saw version {release} after the publish"
    by_reader: dict[str, list[Request]] = {}
    for request in sorted(after, key=lambda r: r.started):
        by_reader.setdefault(request.reader, []).append(request)
    for reader, own in by_reader.items():
        late = [r.release for r in own if r.started >= published.done_at + SWITCH_BOUND_S]
        assert set(late) <= {release}, f"{reader} still showed an older release {SWITCH_BOUND_S} s after: {late}"
        shown = [r.release for r in own]
        if release in shown:
            first_new = shown.index(release)
            assert set(shown[first_new:]) == {release}, f"{reader} went back to an older release: {shown}"


def test_a_corrupted_current_release_keeps_the_last_good_one_served(run):
    corrupt = figures_of(run, "corrupt")
    assert corrupt["failed"] == 0
    assert corrupt["release_seen_after"] == SECOND[1], "readers should still see the damaged release's last good copy"
    assert corrupt["stale_notices"] > 0, "the page should say it shows the last good release"
    logged = [line for line in run.figures["app_log"] if SECOND[0] in line]
    assert logged and "still serving " + SECOND[0] in logged[0], run.figures["app_log"]


def test_readers_are_served_again_soon_after_a_replica_is_killed(run):
    kill, figures = event(run, "kill"), figures_of(run, "kill")
    assert figures["replica_healthy_s"] <= RECOVERY_BOUND_S
    assert figures["recover_s"] is not None and figures["recover_s"] <= RECOVERY_BOUND_S, figures
    # Every reader, on the killed replica or not, is served again after the kill.
    readers = {r.reader for r in run.log.requests}
    served_after = {r.reader for r in served_between(run, kill.at, float("inf"))}
    assert served_after == readers
    for reader in readers:
        last = max((r for r in run.log.requests if r.reader == reader), key=lambda r: r.started)
        assert last.ok, f"{reader}'s last request failed: {last}"


def test_no_request_fails_when_a_replica_dies(run):
    kill = figures_of(run, "kill")
    assert kill["failed"] == 0, run.figures["failed_requests"]
    assert run.figures["failed_page_requests"] == 0, run.figures["failed_requests"]
    assert kill["served_again_s"] is not None and kill["served_again_s"] <= RECOVERY_BOUND_S, kill
    # Sessions on the killed replica were there: their websockets dropped and were reopened.
    assert kill["reconnected"]["requests"] > 0, "no session was on the killed replica: the kill tested nothing"


def test_the_restarted_replica_gets_readers_only_once_it_is_ready(run):
    kill = event(run, "kill")
    assert kill.extra["back_in_nginx"], "the restarted replica was not put back into nginx's upstream"
    assert figures_of(run, "kill")["sent_to_replica_before_ready"] == 0, \
        "nginx sent requests to the restarted replica before it was ready"
    assert any(r.ok and r.started > kill.done_at for r in run.log.requests)


def test_the_light_edition_is_served_throughout(run):
    light = run.figures["light_edition"]
    if not light["served"]:
        pytest.skip("nginx serves no light edition here (/light/ comes with part 1 of issue 16)")
    loads = [r for r in run.log.requests if r.kind == LIGHT]
    assert loads and all(r.ok for r in loads), [r for r in loads if not r.ok][:5]
    kill = event(run, "kill")
    assert any(kill.at <= r.started <= kill.done_at for r in loads), "no light page was read while a replica was down"


def test_no_reader_sees_a_broken_page_twice_in_a_row(run):
    assert run.figures["most_failed_in_a_row"] <= 1, [s for s in run.figures["broken_stretches"]
                                                       if s["failed_in_a_row"] > 1]
    assert all(s["recovered"] for s in run.figures["broken_stretches"])
    kinds = set(run.figures["failed_by_kind"])
    assert not kinds & {"page_exception", "error_message", "incomplete_page", "blank_map"}, run.figures["failed_requests"]


def test_the_browser_reader_always_got_a_drawn_map(run):
    loads = [r for r in run.log.requests if r.kind == BROWSER]
    served = [r for r in loads if r.ok]
    assert len(served) >= 3, loads
    # A load in flight when its replica is killed may fail once (the next reload is served: see
    # the test above); anything else a browser saw must be a drawn map without an error.
    kill = event(run, "kill")
    assert all(r.ok or r.ended >= kill.at for r in loads), [r for r in loads if not r.ok]
    assert not {r.outcome for r in loads} & {"page_exception", "error_message", "blank_map"}, loads
    assert served[-1].release == THIRD[1], "the browser should end on the newest release"
