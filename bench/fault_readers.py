"""Simulated readers for the fault test: each one reads the map page through nginx, again and again.

A reader behaves like a browser tab on a steady reading pace: it loads the page (its HTML, with
the sticky cookie it got on its first visit, then the websocket and the first script run),
changes the year a few times (one script run each, after a pause), then reloads the page. When its
websocket drops (its replica died), it does what Streamlit's frontend does: it pings the server's
health through nginx with growing pauses (250–500 ms, then up to 4 s), opens a new websocket to
the same address (nginx sends it to a live replica) and runs the page again with the widget
states it was sending; meanwhile a browser keeps showing the page with its "Connecting"
indicator. Such a request is served if that rerun finishes within the request's time limit (the
time it took and the reconnection are recorded); otherwise it failed, and the reader retries
after `RETRY_S` with a fresh page load. Every request is checked and recorded in the
`RequestLog`: a run only counts as served when it finished without an exception or an error box
and the page holds its map and the release line (whose version tells which release the reader
saw).

The readers run on their own thread with their own event loop, so the caller (the fault
schedule, a browser loop) is free; `stop()` ends them and waits.
"""
from __future__ import annotations

import asyncio
import random
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.exceptions import WebSocketException

from bench.fault_log import (
    ERROR_MESSAGE,
    HTTP_ERROR,
    INCOMPLETE_PAGE,
    LOAD,
    OK,
    PAGE_EXCEPTION,
    RERUN,
    TIMEOUT,
    WEBSOCKET_ERROR,
    Request,
    RequestLog,
)
from bench.streamlit_client import RunResult, StreamlitSession

PAGE = "map"
QUERY = "lang=en&year=2024"
YEARS = ("2023", "2024")
RETRY_S = 1.0
REQUEST_TIMEOUT_S = 20.0
# The frame's release line and stale notice (dashboard/i18n/locale/en/LC_MESSAGES/messages.po).
RELEASE_LINE = re.compile(r"^Release: .* · version (?P<version>.+?) · data as of")
STALE_NOTICE = "could not be opened, so this page shows the last good one"
# Streamlit's frontend (WebsocketConnection): the first reconnection after 250–500 ms, then
# random pauses between half and all of 500 ms × 2^(n-1), at most 4 s.
RECONNECT_FIRST_S = (0.25, 0.5)
RECONNECT_MAX_S = 4.0
DROPPED = (ConnectionError, WebSocketException, OSError)  # a websocket that closed or would not open


def reconnect_delay_s(attempt: int, rng: random.Random) -> float:
    """The pause before reconnection `attempt` (1, 2, ...), as Streamlit's frontend waits."""
    if attempt == 1:
        return rng.uniform(*RECONNECT_FIRST_S)
    longest = min(RECONNECT_MAX_S, 0.5 * 2 ** (attempt - 1))
    return rng.uniform(longest / 2, longest)


def unescape_markdown(text: str) -> str:
    """Undo md_escape: `1\\.0\\.0` -> `1.0.0`."""
    return re.sub(r"\\(.)", r"\1", text)


class CheckedSession(StreamlitSession):
    """A session that also notes, per run, what a reader would see: errors, the map, the release."""

    def __init__(self, *args, cookie: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cookie = cookie
        self.phase = "html"  # which step a failure happened in: "html", then "websocket"
        self.last_widgets: list[WidgetState] = []
        self._reset_run_view()

    def _reset_run_view(self) -> None:
        self.error_boxes: list[str] = []
        self.charts = 0
        self.release: str | None = None
        self.stale = False

    def _fetch_html(self) -> str:
        """The page's HTML with the reader's cookie (so nginx keeps it on its replica)."""
        url = f"{self.base_url}/{self.page}" + (f"?{self.query}" if self.query else "")
        request = urllib.request.Request(url, headers={"Cookie": self.cookie} if self.cookie else {})
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
            self.bytes_received += len(response.read())
            cookies = response.headers.get_all("Set-Cookie") or []
        if cookies:
            self.cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
        self.phase = "websocket"
        return self.cookie

    async def rerun(self, widgets: list[WidgetState] | None = None):
        self._reset_run_view()
        self.last_widgets = list(widgets or [])
        return await super().rerun(widgets)

    def _ping_health(self) -> None:
        """GET /_stcore/health through nginx with the reader's cookie (raises unless 200)."""
        request = urllib.request.Request(f"{self.base_url}/_stcore/health",
                                         headers={"Cookie": self.cookie} if self.cookie else {})
        with urllib.request.urlopen(request, timeout=min(self.timeout_s, 5.0)) as response:
            response.read()

    async def reconnect_and_rerun(self, deadline: float, rng: random.Random) -> tuple[RunResult, int]:
        """After a dropped websocket, what Streamlit's frontend does: ping the server, open a new
        websocket to the same address and run the page again with the same widget states.
        Returns (the run, the reconnection attempts); raises the last error past `deadline`
        (time.monotonic())."""
        attempt = 0
        while True:
            attempt += 1
            pause = reconnect_delay_s(attempt, rng)
            if time.monotonic() + pause >= deadline:
                raise ConnectionError(f"no reconnection within the request's time limit ({attempt - 1} attempts)")
            await asyncio.sleep(pause)
            await self.close()
            try:
                await asyncio.to_thread(self._ping_health)
                await self.connect(self.cookie)
                left = max(0.5, deadline - time.monotonic())
                return await asyncio.wait_for(self.rerun(self.last_widgets), left), attempt
            except DROPPED:
                continue

    def _handle(self, msg: ForwardMsg) -> None:
        super()._handle(msg)
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "plotly_chart":
            self.charts += 1
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            self.error_boxes.append(element.alert.body)
        elif kind == "markdown":
            body = element.markdown.body
            line = RELEASE_LINE.match(body)
            if line:
                self.release = unescape_markdown(line["version"])
            elif STALE_NOTICE in body:
                self.stale = True


def judge_run(session: CheckedSession, exceptions: int) -> tuple[str, str]:
    """(outcome, detail) of a finished run, from what the page showed."""
    if exceptions:
        return PAGE_EXCEPTION, f"{exceptions} exception element(s)"
    if session.error_boxes:
        return ERROR_MESSAGE, f"error box: {session.error_boxes[0][:160]}"
    if not session.charts or session.release is None:
        return INCOMPLETE_PAGE, f"charts={session.charts} release line={'yes' if session.release else 'no'}"
    return OK, ""


def classify_exception(exc: BaseException, phase: str) -> tuple[str, str]:
    """(outcome, detail) of a request that raised in `phase` ("html" or "websocket")."""
    if isinstance(exc, urllib.error.HTTPError):
        return HTTP_ERROR, f"HTTP {exc.code}"
    text = f"{type(exc).__name__}: {exc}"[:200]
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return TIMEOUT, f"{phase}: {text}"
    return (HTTP_ERROR if phase == "html" else WEBSOCKET_ERROR), text


class SimulatedReaders:
    """`count` readers on `base_url`, recording into `log`, until `stop()`."""

    def __init__(self, base_url: str, count: int, log: RequestLog, think_s: float = 2.0,
                 reruns_per_load: tuple[int, int] = (2, 5), seed: int = 10) -> None:
        self.base_url = base_url
        self.count = count
        self.log = log
        self.think_s = think_s
        self.reruns_per_load = reruns_per_load
        self.random = random.Random(seed)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> SimulatedReaders:
        self._thread = threading.Thread(target=asyncio.run, args=(self._main(),), name="fault-readers", daemon=True)
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self, timeout_s: float = 60) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout_s)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        # urllib runs in threads: one per reader, so a slow HTML load never queues behind others.
        self._loop.set_default_executor(ThreadPoolExecutor(max_workers=self.count + 4))
        self._stop = asyncio.Event()
        self._started.set()
        readers = [asyncio.create_task(self._reader(f"sim-{i + 1:02d}")) for i in range(self.count)]
        await self._stop.wait()
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)

    # -- one reader ------------------------------------------------------------------------------

    async def _pause(self, seconds: float) -> bool:
        """Sleep, or return False at once when the test is stopping."""
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
            return False
        except TimeoutError:
            return True

    async def _reader(self, name: str) -> None:
        cookie = ""
        # Readers start spread over the first seconds, as visitors arrive.
        if not await self._pause(self.random.uniform(0, self.think_s)):
            return
        while not self._stop.is_set():
            session = CheckedSession(self.base_url, PAGE, QUERY, timeout_s=REQUEST_TIMEOUT_S, cookie=cookie)
            try:
                served = await self._load(name, session)
                cookie = session.cookie
                if not served:
                    await self._pause(RETRY_S)
                    continue
                for _ in range(self.random.randint(*self.reruns_per_load)):
                    if not await self._pause(self.random.expovariate(1 / self.think_s)):
                        return
                    if not await self._change_year(name, session):
                        await self._pause(RETRY_S)
                        break
            finally:
                await session.close()

    async def _load(self, name: str, session: CheckedSession) -> bool:
        """HTML, websocket and first run of the page; True when served."""
        return await self._record(name, LOAD, session, session.open)

    async def _change_year(self, name: str, session: CheckedSession) -> bool:
        """Pick the other year (one script run); True when served."""
        box = session.selectboxes.get("Year")
        if box is None:
            return await self._record(name, RERUN, session, session.rerun)
        other = YEARS[0] if box.value == YEARS[1] else YEARS[1]
        return await self._record(name, RERUN, session, lambda: session.choose("Year", other))

    async def _record(self, name: str, kind: str, session: CheckedSession,
                      run: Callable[[], Awaitable[RunResult]]) -> bool:
        """Time `run`, judge what the page showed, add the request to the log. A websocket that
        drops during the run is reopened as Streamlit's frontend does (see the module's doc)."""
        started, clock = self.log.now(), time.perf_counter()
        deadline = time.monotonic() + REQUEST_TIMEOUT_S
        reconnects = 0
        try:
            try:
                result = await run()
            except DROPPED as dropped:
                if session.phase != "websocket":
                    raise  # the page's HTML did not arrive: nothing to reconnect
                dropped_at = time.perf_counter() - clock
                result, reconnects = await session.reconnect_and_rerun(deadline, self.random)
                detail_drop = f"websocket dropped after {dropped_at:.2f} s ({type(dropped).__name__}); " \
                              f"reconnected in {reconnects} attempt(s)"
            else:
                detail_drop = ""
            outcome, detail = judge_run(session, result.exceptions)
            detail = "; ".join(d for d in (detail, detail_drop) if d)
        except asyncio.CancelledError:
            raise  # the test is stopping: not a request the reader saw fail
        except Exception as exc:  # noqa: BLE001 - every failure is recorded by kind
            outcome, detail = classify_exception(exc, session.phase)
        self.log.add(Request(name, kind, started, time.perf_counter() - clock, outcome,
                             session.release, session.stale, detail, reconnects))
        return outcome == OK
