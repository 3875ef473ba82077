"""Bounded load test on loopback: many sessions on the map page, each changing the year now and then.

Sessions are added in steps (e.g. 50, 100, 200). Each session behaves like a reader: it opens the
map page (HTML, websocket, first run), then, after an exponentially distributed pause (mean
`think_s`), picks another year and waits for the redrawn map's messages, again and again. At each
step, once every session is open, the latency of every interaction (request sent -> script run
finished, as the client sees it) is collected for `hold_s` seconds; p50/p95 are reported per step.
Everything runs only against the given loopback URL and stops by itself after the last step.
"""
from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import asdict, dataclass

from bench.server_side import DEMO_QUERY, open_sessions
from bench.streamlit_client import StreamlitSession, run_async

YEARS = ("2023", "2024")
STEPS = ((10, 20), (25, 20), (50, 20), (100, 20), (200, 30))  # (sessions, seconds measured)


@dataclass
class StepResult:
    sessions: int
    hold_s: float
    interactions: int
    per_second: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: int
    open_s: float  # time to open this step's new sessions (each runs the page once)

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class LoadTest:
    """Sessions, their reader loops and the samples they record."""

    def __init__(self, base_url: str, think_s: float, seed: int = 7) -> None:
        self.base_url = base_url
        self.think_s = think_s
        self.random = random.Random(seed)
        self.sessions: list[StreamlitSession] = []
        self.samples: list[tuple[float, float]] = []  # (finished at, seconds)
        self.errors: list[float] = []
        self.tasks: list[asyncio.Task] = []
        self.stopping = False

    async def _reader(self, session: StreamlitSession) -> None:
        while not self.stopping:
            await asyncio.sleep(self.random.expovariate(1 / self.think_s))
            if self.stopping:
                return
            shown = session.selectboxes["Year"].value
            try:
                result = await session.choose("Year", YEARS[0] if shown == YEARS[1] else YEARS[1])
                self.samples.append((time.monotonic(), result.seconds))
            except Exception:  # noqa: BLE001 - a failed interaction is counted, the session stops
                self.errors.append(time.monotonic())
                return

    async def grow_to(self, count: int) -> float:
        started = time.monotonic()
        new = await open_sessions(self.base_url, count - len(self.sessions), "map", DEMO_QUERY, concurrency=10)
        for session in new:
            self.tasks.append(asyncio.create_task(self._reader(session)))
            self.sessions.append(session)
        return time.monotonic() - started

    async def step(self, count: int, hold_s: float) -> StepResult:
        open_s = await self.grow_to(count)
        start = time.monotonic()
        await asyncio.sleep(hold_s)
        end = time.monotonic()
        window = [s for t, s in self.samples if start <= t <= end]
        errors = sum(1 for t in self.errors if start <= t <= end)
        return StepResult(count, hold_s, len(window), round(len(window) / hold_s, 1),
                          round(statistics.median(window) * 1000) if window else float("nan"),
                          round(percentile(window, 0.95) * 1000), round(max(window, default=float("nan")) * 1000),
                          errors, round(open_s, 1))

    async def stop(self) -> None:
        self.stopping = True
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(s.close() for s in self.sessions), return_exceptions=True)


def run_load_test(base_url: str, steps: tuple[tuple[int, float], ...] = STEPS, think_s: float = 10.0,
                  deadline_s: float = 240, give_up_p95_ms: float = 5000) -> dict:
    """Steps of (sessions, hold seconds) -> per-step results and the largest step with p95 < 1 s.

    Bounded: no step starts after `deadline_s`, and once a step's p95 passes `give_up_p95_ms` the
    server is saturated, so the larger steps (which could only be slower) are not run.
    """
    async def run() -> tuple[list[StepResult], str]:
        test = LoadTest(base_url, think_s)
        results, stopped = [], ""
        started = time.monotonic()
        try:
            for count, hold_s in steps:
                if time.monotonic() - started + hold_s > deadline_s:
                    stopped = f"time budget ({deadline_s:.0f} s) spent before {count} sessions"
                    break
                results.append(await test.step(count, hold_s))
                if results[-1].p95_ms > give_up_p95_ms:
                    stopped = f"saturated at {count} sessions (p95 {results[-1].p95_ms / 1000:.1f} s); larger steps skipped"
                    break
        finally:
            await test.stop()
        return results, stopped
    results, stopped = run_async(run())
    held = [r.sessions for r in results if r.p95_ms < 1000 and r.errors == 0 and r.interactions]
    return {"think_s": think_s, "steps": [r.as_dict() for r in results], "stopped": stopped,
            "sessions_held_p95_under_1s": max(held, default=0)}
