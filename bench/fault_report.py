"""The fault test's figures, from its `RequestLog`: totals, latency, and what each fault did.

For every fault event, its window runs from the event to the next one (or the end of the test),
and a request belongs to the window in which it ended (when its reader saw the outcome):
- failures in the window, by kind, and the readers they hit;
- time to recover: from the event to the end of the first served request of every reader that
  failed in the window, after its last failure there (0 when nobody failed). A reader whose
  session died with a replica notices at its next request, so this includes its pause;
- the release most readers saw last before the event and last in the window; for an event that
  sets which release must be shown ("switch"): how long after the action was over (a publish:
  the pointer switched) another release was still shown, and how many readers showed the new one.
- how long readers waited to be served again: for every reader with a request in the window, from
  the event (or the start of its next request, if it was idle then) to the end of its first
  served request; the longest of these is "served again within" (None: a reader never was);
- the requests whose websocket dropped and were served after reconnecting, as Streamlit's frontend
  does (bench/fault_readers.py).
A reader's broken stretch runs from the start of a failed request to the end of the next served
one; "no reader saw a broken page for longer than a retry" means no reader failed twice in a row.
"""
from __future__ import annotations

from collections import Counter

from bench.fault_log import BROWSER, FAILURES, LIGHT, LOAD, PAGE_REQUESTS, RERUN, FaultEvent, Request

BEFORE_S = 5.0  # how far back "the release readers saw before" looks


def percentile_ms(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000)


def latency(requests: list[Request]) -> dict:
    served = [r.seconds for r in requests if r.ok]
    return {"served": len(served), "p50_ms": percentile_ms(served, 0.5), "p95_ms": percentile_ms(served, 0.95)}


def by_reader(requests: list[Request]) -> dict[str, list[Request]]:
    readers: dict[str, list[Request]] = {}
    for request in sorted(requests, key=lambda r: r.started):
        readers.setdefault(request.reader, []).append(request)
    return readers


def broken_stretches(requests: list[Request], end: float) -> list[dict]:
    """Every run of consecutive failed requests of one reader, with how long the reader saw it."""
    stretches = []
    for reader, own in by_reader(requests).items():
        start, failed = None, 0
        for request in own:
            if not request.ok:
                start = request.started if start is None else start
                failed += 1
            elif start is not None:
                stretches.append({"reader": reader, "at": round(start, 2), "failed_in_a_row": failed,
                                  "seconds": round(request.ended - start, 2), "recovered": True})
                start, failed = None, 0
        if start is not None:
            stretches.append({"reader": reader, "at": round(start, 2), "failed_in_a_row": failed,
                              "seconds": round(end - start, 2), "recovered": False})
    return stretches


def release_readers_saw(requests: list[Request]) -> str | None:
    """The release most readers saw in their last served request among `requests`."""
    last = {}
    for reader, own in by_reader([r for r in requests if r.ok and r.release]).items():
        last[reader] = max(own, key=lambda r: r.ended).release
    seen = Counter(last.values())
    return seen.most_common(1)[0][0] if seen else None


def recovery_s(event: FaultEvent, window: list[Request], requests: list[Request]) -> float | None:
    """Event -> every reader that failed in the window served again (None: one never was)."""
    failed = by_reader([r for r in window if not r.ok])
    if not failed:
        return 0.0
    own = by_reader(requests)
    worst = 0.0
    for reader, failures in failed.items():
        last = failures[-1].started
        after = [r for r in own[reader] if r.ok and r.started > last]
        if not after:
            return None
        worst = max(worst, after[0].ended - event.at)
    return round(worst, 2)


def served_again_s(event: FaultEvent, window: list[Request]) -> float | None:
    """The longest any reader waited to be served after `event` (None: one never was).

    For each reader with a request that ended in the window: from the event, or from the start of
    its first such request if that started later (the reader was reading until then), to the end
    of its first served request."""
    worst = 0.0
    for own in by_reader(window).values():
        served = [r for r in own if r.ok]
        if not served:
            return None
        first_served = min(served, key=lambda r: r.ended)
        began = max(event.at, min(r.started for r in own if r.ended <= first_served.ended))
        worst = max(worst, first_served.ended - began)
    return round(worst, 2)


def reconnected(requests: list[Request]) -> dict:
    """Requests served after their websocket dropped and was reopened (as Streamlit's frontend does)."""
    rode_out = [r for r in requests if r.reconnects and r.ok]
    return {"requests": len(rode_out), "readers": len({r.reader for r in rode_out}),
            "longest_s": round(max((r.seconds for r in rode_out), default=0.0), 2)}


def switch_figures(event: FaultEvent, window: list[Request]) -> dict:
    """How readers took in a release change: when another release than the expected one was last
    shown, counted from the end of the fault's action (for a publish: the pointer switch), and
    how many readers showed the expected one."""
    served = [r for r in window if r.ok]
    readers = by_reader(served)
    old = [r.ended - event.done_at for r in served if r.release != event.release_after]
    switched = sum(1 for own in readers.values() if any(r.release == event.release_after for r in own))
    return {"expected_release": event.release_after,
            "old_release_last_seen_s": round(max(old), 2) if old else None,
            "readers_switched": switched, "readers_active": len(readers),
            "served_other_release_after_switch": _other_release_after_switch(event, window)}


def event_figures(event: FaultEvent, window_end: float, requests: list[Request], stretches: list[dict]) -> dict:
    # A request belongs to the window it ended in: that is when its reader saw the outcome.
    window = [r for r in requests if event.at <= r.ended < window_end]
    failures = [r for r in window if not r.ok]
    broken = [s for s in stretches if event.at <= s["at"] + 1e-9 and s["at"] < window_end]
    before = [r for r in requests if event.at - BEFORE_S <= r.ended < event.at]
    figures = {
        **event.as_dict(),
        "window_s": round(window_end - event.at, 1),
        "requests": len(window),
        "failed": len(failures),
        "failed_by_kind": dict(Counter(r.outcome for r in failures)),
        "readers_hit": sorted({r.reader for r in failures}),
        "recover_s": recovery_s(event, window, requests),
        "served_again_s": served_again_s(event, window),
        "failed_page_requests": sum(1 for r in failures if r.kind in PAGE_REQUESTS),
        "reconnected": reconnected(window),
        "longest_broken_s": max((s["seconds"] for s in broken), default=0.0),
        "most_failed_in_a_row": max((s["failed_in_a_row"] for s in broken), default=0),
        "release_seen_before": release_readers_saw(before),
        "release_seen_after": release_readers_saw(window),
        "stale_notices": sum(1 for r in window if r.ok and r.stale),
    }
    if event.release_after is not None:
        figures.update(switch_figures(event, window))
    if "healthy_at" in event.extra:
        figures["replica_healthy_s"] = round(event.extra["healthy_at"] - event.at, 2)
    return figures


def _other_release_after_switch(event: FaultEvent, window: list[Request]) -> int:
    """Served requests that showed another release after their reader had shown the new one."""
    count = 0
    for own in by_reader([r for r in window if r.ok]).values():
        switched = False
        for request in own:
            switched = switched or request.release == event.release_after
            if switched and request.release != event.release_after:
                count += 1
    return count


def summarise(requests: list[Request], events: list[FaultEvent], end: float) -> dict:
    """Every figure of the run (JSON-ready)."""
    failed = [r for r in requests if not r.ok]
    events = sorted(events, key=lambda e: e.at)
    ends = [e.at for e in events[1:]] + [end]
    stretches = broken_stretches(requests, end)
    return {
        "duration_s": round(end, 1),
        "readers": {"simulated": len({r.reader for r in requests if r.kind not in (BROWSER, LIGHT)}),
                    "browser": len({r.reader for r in requests if r.kind == BROWSER}),
                    "light": len({r.reader for r in requests if r.kind == LIGHT})},
        "requests": len(requests),
        "served": len(requests) - len(failed),
        "failed": len(failed),
        "failed_page_requests": sum(1 for r in failed if r.kind in PAGE_REQUESTS),
        "failed_by_kind": {kind: n for kind in FAILURES if (n := sum(1 for r in failed if r.outcome == kind))},
        "reconnected": reconnected(requests),
        "failure_rate": round(len(failed) / len(requests), 5) if requests else None,
        "latency": {kind: latency([r for r in requests if r.kind == kind]) for kind in (LOAD, RERUN, BROWSER, LIGHT)},
        "events": [event_figures(e, window_end, requests, stretches) for e, window_end in zip(events, ends)],
        "broken_stretches": stretches,
        "longest_broken_s": max((s["seconds"] for s in stretches), default=0.0),
        "most_failed_in_a_row": max((s["failed_in_a_row"] for s in stretches), default=0),
        "failed_requests": [{"reader": r.reader, "kind": r.kind, "at": round(r.started, 2), "outcome": r.outcome,
                             "detail": r.detail} for r in failed],
        "request_log_columns": ["reader", "kind", "started_s", "seconds", "outcome", "release", "stale", "reconnects"],
        "request_log": [[r.reader, r.kind, round(r.started, 3), round(r.seconds, 3), r.outcome, r.release, r.stale,
                         r.reconnects] for r in sorted(requests, key=lambda r: r.started)],
    }


def format_table(figures: dict) -> str:
    """The figures as the text table `python -m bench.fault_test` prints."""
    lat = figures["latency"]
    rate = figures["failure_rate"]
    light = figures["readers"].get("light", 0)
    back = figures.get("reconnected", {})
    lines = [
        f"Fault test: {figures['readers']['simulated']} simulated + {figures['readers']['browser']} browser"
        + (f" + {light} light-edition" if light else "") + f" readers through nginx, 2 replicas, "
        f"{figures['duration_s']:.0f} s",
        f"  requests {figures['requests']}   served {figures['served']}   failed {figures['failed']} "
        f"{figures['failed_by_kind'] or ''}   failure rate {rate * 100 if rate is not None else float('nan'):.2f}%",
        f"  failed page requests (page loads, browser loads, light pages): {figures.get('failed_page_requests', '-')}",
        f"  served after reconnecting a dropped websocket (as Streamlit's frontend does): "
        f"{back.get('requests', 0)} request(s) of {back.get('readers', 0)} reader(s), longest {back.get('longest_s', 0):.2f} s",
    ]
    for kind, label in ((LOAD, "page loads (HTML+websocket+run)"), (RERUN, "reruns (year change)"),
                        (BROWSER, "browser loads (map drawn)"), (LIGHT, "light edition pages")):
        row = lat[kind]
        if row and row["served"]:
            lines.append(f"  {label:<32} served {row['served']:>5}   p50 {row['p50_ms']:>6} ms   p95 {row['p95_ms']:>6} ms")
    lines.append(f"  longest broken stretch seen by a reader: {figures['longest_broken_s']:.2f} s "
                 f"(most failures in a row: {figures['most_failed_in_a_row']})")
    lines.append("")
    header = f"  {'event':<10} {'at s':>6} {'done s':>7} {'reqs':>5} {'failed':>6} {'recover s':>9} " \
             f"{'served ≤ s':>10} {'switch s':>8} {'before':>8} {'after':>8}  what"
    lines.append(header)
    for e in figures["events"]:
        old = _num(e["old_release_last_seen_s"]) if e.get("expected_release") else "-"
        lines.append(f"  {e['name']:<10} {e['at']:>6.1f} {e['done_at']:>7.1f} {e['requests']:>5} {e['failed']:>6} "
                     f"{_num(e['recover_s'], 'never'):>9} {_num(e.get('served_again_s'), 'never'):>10} {old:>8} "
                     f"{e['release_seen_before'] or '-':>8} {e['release_seen_after'] or '-':>8}  {e['detail']}")
        extra = []
        if e["failed"]:
            extra.append(f"failures {e['failed_by_kind']} on {len(e['readers_hit'])} reader(s), at most "
                         f"{e['most_failed_in_a_row']} in a row, longest broken stretch {e['longest_broken_s']:.2f} s")
        if "readers_switched" in e:
            extra.append(f"{e['readers_switched']}/{e['readers_active']} readers showed {e['expected_release']}")
            if e["served_other_release_after_switch"]:
                extra.append(f"{e['served_other_release_after_switch']} pages went back to another release")
        if e["stale_notices"]:
            extra.append(f"{e['stale_notices']} pages showed the last-good notice")
        if e.get("reconnected", {}).get("requests"):
            extra.append(f"{e['reconnected']['requests']} request(s) served after reconnecting "
                         f"(longest {e['reconnected']['longest_s']:.2f} s)")
        if "replica_healthy_s" in e:
            extra.append(f"replica ready again {e['replica_healthy_s']:.1f} s after the kill")
        if "sent_to_replica_before_ready" in e:
            extra.append(f"{e['sent_to_replica_before_ready']} request(s) sent to it before it was ready")
        if extra:
            lines.append(f"  {'':<10} {'; '.join(extra)}")
    return "\n".join(lines)


def _num(value: float | None, missing: str = "-") -> str:
    return missing if value is None else f"{value:.2f}"
