"""The fault test's arithmetic: what counts as a broken page, a broken stretch and a recovery."""
from __future__ import annotations

from bench.fault_log import (
    ERROR_MESSAGE,
    INCOMPLETE_PAGE,
    OK,
    PAGE_EXCEPTION,
    RERUN,
    WEBSOCKET_ERROR,
    FaultEvent,
    Request,
)
from bench.fault_readers import CheckedSession, judge_run, unescape_markdown
from bench.fault_report import broken_stretches, event_figures, reconnected, recovery_s, served_again_s, summarise


def req(reader: str, started: float, outcome: str = OK, release: str | None = "1.0.0", seconds: float = 0.5) -> Request:
    return Request(reader, RERUN, started, seconds, outcome, release if outcome == OK else None)


def test_a_run_is_served_only_with_its_map_and_release_line_and_no_error():
    session = CheckedSession("http://127.0.0.1:1", "map")
    assert judge_run(session, exceptions=0)[0] == INCOMPLETE_PAGE  # nothing drawn yet
    session.charts, session.release = 1, "2.0.0"
    assert judge_run(session, exceptions=0) == (OK, "")
    assert judge_run(session, exceptions=1)[0] == PAGE_EXCEPTION
    session.error_boxes = ["No data release is available yet."]
    assert judge_run(session, exceptions=0)[0] == ERROR_MESSAGE


def test_the_release_line_is_read_from_the_escaped_markdown():
    session = CheckedSession("http://127.0.0.1:1", "map")
    session._handle(_markdown("Release: Demo \\(fault\\-r2\\) · version 2\\.0\\.0 · data as of 15 January 2026"))
    assert session.release == "2.0.0"
    assert unescape_markdown("a\\_b") == "a_b"


def _markdown(body: str):
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = body
    return msg


def test_a_broken_stretch_lasts_until_the_next_served_request():
    requests = [req("a", 0), req("a", 1, WEBSOCKET_ERROR, seconds=0.0), req("a", 2, WEBSOCKET_ERROR, seconds=0.0),
                req("a", 3.5, seconds=1.0), req("b", 0), req("b", 4, WEBSOCKET_ERROR, seconds=0.0)]
    stretches = sorted(broken_stretches(requests, end=10), key=lambda s: s["reader"])
    assert stretches == [{"reader": "a", "at": 1, "failed_in_a_row": 2, "seconds": 3.5, "recovered": True},
                         {"reader": "b", "at": 4, "failed_in_a_row": 1, "seconds": 6, "recovered": False}]


def test_recovery_is_when_the_last_hit_reader_is_served_again():
    kill = FaultEvent("kill", at=10, done_at=12, detail="")
    requests = [req("a", 11, WEBSOCKET_ERROR, seconds=0.0), req("a", 12, seconds=1.0),
                req("b", 13, WEBSOCKET_ERROR, seconds=0.0), req("b", 14, seconds=2.0), req("c", 11)]
    window = [r for r in requests if r.ended >= kill.at]
    assert recovery_s(kill, window, requests) == 6.0
    assert recovery_s(kill, [r for r in window if r.ok], requests) == 0.0
    assert recovery_s(kill, window, requests[:3]) is None  # b never served again


def test_a_publish_window_reports_the_switch_and_readers_going_back():
    publish = FaultEvent("publish", at=10, done_at=11, detail="", release_after="2.0.0")
    requests = [req("a", 9), req("a", 11, release="1.0.0"), req("a", 13, release="2.0.0"),
                req("b", 12, release="2.0.0"), req("b", 14, release="1.0.0")]
    figures = event_figures(publish, 20, requests, broken_stretches(requests, 20))
    assert figures["release_seen_before"] == "1.0.0"
    assert figures["readers_switched"] == 2 and figures["readers_active"] == 2
    assert figures["old_release_last_seen_s"] == 3.5  # b's request ended at 14.5, 3.5 s after the switch
    assert figures["served_other_release_after_switch"] == 1
    summary = summarise(requests, [publish], end=20)
    assert summary["failed"] == 0 and summary["events"][0]["failed"] == 0


def test_served_again_counts_from_the_kill_or_from_when_an_idle_reader_next_asked():
    kill = FaultEvent("kill", at=10, done_at=12, detail="")
    # a: in flight at the kill, its websocket dropped, reconnected and served at 13.5 (3.5 s);
    # b: idle until 16, then served in 0.4 s; c: failed at 11, served again at 18.
    window = [Request("a", RERUN, 9.5, 4.0, OK, "1.0.0", reconnects=2), req("b", 16, seconds=0.4),
              req("c", 11, WEBSOCKET_ERROR, seconds=0.5), req("c", 17, seconds=1.0)]
    assert served_again_s(kill, window) == 7.0  # c: from its failed request (11) to 18
    assert served_again_s(kill, window[:2]) == 3.5
    assert served_again_s(kill, [req("d", 11, WEBSOCKET_ERROR, seconds=0.2)]) is None  # never served again
    assert reconnected(window) == {"requests": 1, "readers": 1, "longest_s": 4.0}


def test_a_reconnection_waits_as_streamlits_frontend_does():
    import random

    from bench.fault_readers import RECONNECT_MAX_S, reconnect_delay_s

    rng = random.Random(1)
    first = [reconnect_delay_s(1, rng) for _ in range(50)]
    assert all(0.25 <= d <= 0.5 for d in first)
    assert all(0.5 <= reconnect_delay_s(2, rng) <= 1.0 for _ in range(50))
    assert all(RECONNECT_MAX_S / 2 <= reconnect_delay_s(9, rng) <= RECONNECT_MAX_S for _ in range(50))
