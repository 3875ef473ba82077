"""Browser figures for one served app: cold start, cold loads, warm reloads, year changes.

Each figure is the median of several runs; every run's raw sample is kept for results.json.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import asdict

from bench.browser_metrics import VIEWPORT, LoadSample, change_year, cold_load, wait_drawn_ms, warm_reload
from bench.servers import StreamlitServer
from deploy.replicas import wait_healthy

YEARS = ("2023", "2024")  # the map opens on 2024; the interaction toggles between the two


def median_of(samples: list[LoadSample]) -> dict:
    """Median seconds and bytes of some samples (plus the raw ones)."""
    if not samples:
        return {}
    return {"seconds": round(statistics.median(s.seconds for s in samples), 3),
            "bytes": int(statistics.median(s.bytes for s in samples)),
            "http_bytes": int(statistics.median(s.http_bytes for s in samples)),
            "ws_bytes": int(statistics.median(s.ws_bytes for s in samples)),
            "runs": len(samples), "samples": [asdict(s) for s in samples]}


def cold_start(browser, app: str, path: str, kind: str) -> tuple[float, StreamlitServer]:
    """Seconds from starting the server process to its first page drawn in the browser.

    Returns the server still running, so the next measurements can use it.
    """
    server = StreamlitServer(app).start(wait=False)
    wait_healthy(f"{server.url}/_stcore/health", process=server.process)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(server.url + path, wait_until="commit", timeout=90_000)
        wait_drawn_ms(page, kind, timeout_s=90)
        seconds = time.perf_counter() - server.started_at
    finally:
        context.close()
    return seconds, server


def measure_loads(browser, url: str, kind: str, runs: int, reloads: int = 1, interactions: int = 0) -> dict:
    """`runs` cold loads (each in a fresh context), each followed by `reloads` warm reloads and
    `interactions` year changes; medians of each kind.

    One year change per context is the honest figure: Streamlit's browser keeps large messages
    it has seen by hash, so changing back to a year already shown costs only a reference.
    """
    cold, warm, interact = [], [], []
    for _ in range(runs):
        sample, context, page, counter = cold_load(browser, url, kind)
        cold.append(sample)
        try:
            for _ in range(reloads):
                warm.append(warm_reload(page, counter, kind))
            shown = "2024"
            for _ in range(interactions):
                shown = YEARS[0] if shown == YEARS[1] else YEARS[1]
                interact.append(change_year(page, counter, shown, kind))
        finally:
            context.close()
    return {"cold": median_of(cold), "warm": median_of(warm), "interaction": median_of(interact)}
