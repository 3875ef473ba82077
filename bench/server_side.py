"""Server-side figures over the websocket client: time per rerun of each page, memory per session.

Time per rerun is what a client on loopback waits from asking for a rerun to the end of the
script run (script, serialisation and sending; no browser rendering), median of several reruns
after a first run that fills the caches.
Memory is the server's resident set with 1 and with 50 open sessions on the map page.
"""
from __future__ import annotations

import asyncio
import statistics
import time

from bench.streamlit_client import StreamlitSession, page_query, run_async

PAGES = ("", "map", "services", "trends", "compare", "profile", "data", "methodology")
DEMO_QUERY = page_query({"release": "demo", "lang": "en", "year": "2024"})


async def _page_rerun_times(base_url: str, page: str, runs: int) -> dict:
    session = StreamlitSession(base_url, page, DEMO_QUERY)
    first = await session.open()
    times, sizes, errors = [], [], first.exceptions
    for _ in range(runs):
        result = await session.rerun()
        times.append(result.seconds)
        sizes.append(result.bytes)
        errors += result.exceptions
    await session.close()
    return {"first_ms": round(first.seconds * 1000), "median_ms": round(statistics.median(times) * 1000, 1),
            "runs": runs, "bytes_per_rerun": int(statistics.median(sizes)), "exceptions": errors}


def rerun_times(base_url: str, runs: int = 5, pages: tuple[str, ...] = PAGES) -> dict[str, dict]:
    """Page slug ('/' for the overview) -> rerun timings on the server at `base_url`."""
    async def all_pages():
        return {f"/{page}": await _page_rerun_times(base_url, page, runs) for page in pages}
    return run_async(all_pages())


async def open_sessions(base_url: str, count: int, page: str = "map", query: str = DEMO_QUERY,
                        concurrency: int = 8) -> list[StreamlitSession]:
    """`count` sessions that each ran `page` once, opened `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one() -> StreamlitSession:
        async with gate:
            session = StreamlitSession(base_url, page, query, timeout_s=120)
            await session.open()
            return session
    return list(await asyncio.gather(*(one() for _ in range(count))))


def session_memory(base_url: str, rss_of_server, sessions: int = 50) -> dict:
    """Server RSS with 1 and with `sessions` open map-page sessions, and the cost per session."""
    async def measure() -> dict:
        first = await open_sessions(base_url, 1)
        await asyncio.sleep(1.0)
        one = rss_of_server()
        more = await open_sessions(base_url, sessions - 1)
        await asyncio.sleep(2.0)
        many = rss_of_server()
        for session in first + more:
            await session.close()
        return {"rss_1_session_mb": round(one, 1), f"rss_{sessions}_sessions_mb": round(many, 1),
                "per_session_mb": round((many - one) / (sessions - 1), 2), "sessions": sessions}
    started = time.perf_counter()
    result = run_async(measure())
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result
