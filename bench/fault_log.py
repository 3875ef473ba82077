"""What the fault test records: every request a reader made, and every fault it caused.

Times are seconds since the test's clock started (`RequestLog.now()`), so requests and faults
line up on one axis. The log is shared by threads (the simulated readers' event loop, the browser
loop, the fault schedule), hence the lock.
"""
from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field

OK = "ok"
HTTP_ERROR = "http_error"  # the page's HTML did not arrive with status 200
WEBSOCKET_ERROR = "websocket_error"  # the session's websocket failed to open or closed mid-run
TIMEOUT = "timeout"  # no finished run (or drawn map) within the reader's time limit
PAGE_EXCEPTION = "page_exception"  # a Streamlit exception element (a traceback box) on the page
ERROR_MESSAGE = "error_message"  # an st.error box (e.g. "no data release is available")
INCOMPLETE_PAGE = "incomplete_page"  # the run finished without the map or the release line
BLANK_MAP = "blank_map"  # the browser drew the page but the map canvas stayed empty
FAILURES = (HTTP_ERROR, WEBSOCKET_ERROR, TIMEOUT, PAGE_EXCEPTION, ERROR_MESSAGE, INCOMPLETE_PAGE, BLANK_MAP)

LOAD = "load"  # HTML + websocket + first run of the page (a simulated reader's page load)
RERUN = "rerun"  # a simulated reader changes the year: one script run on its open session
BROWSER = "browser"  # a real Chromium page load, until the map is drawn
LIGHT = "light"  # a page of the light edition (static HTML from nginx), when nginx serves one
PAGE_REQUESTS = (LOAD, BROWSER, LIGHT)  # what a reader asks for by opening an address


@dataclass(frozen=True)
class Request:
    """One request as its reader saw it."""

    reader: str
    kind: str
    started: float
    seconds: float
    outcome: str
    release: str | None = None  # the release version the page said it showed
    stale: bool = False  # the page said it shows the last good release (the newest is unreadable)
    detail: str = ""
    reconnects: int = 0  # times its websocket was reopened, as Streamlit's frontend does, before it was served

    @property
    def ok(self) -> bool:
        return self.outcome == OK

    @property
    def ended(self) -> float:
        return self.started + self.seconds


@dataclass
class FaultEvent:
    """One fault: when it started, when its action was over, and what it did."""

    name: str
    at: float
    done_at: float
    detail: str
    release_after: str | None = None  # the version readers should see once it has been taken in
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


class RequestLog:
    """Requests and fault events on one clock."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._origin = clock()
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.events: list[FaultEvent] = []

    def now(self) -> float:
        return self._clock() - self._origin

    def add(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def add_event(self, event: FaultEvent) -> None:
        with self._lock:
            self.events.append(event)

    def snapshot(self) -> list[Request]:
        with self._lock:
            return list(self.requests)

    def readers_with_an_ok_request(self, since: float = float("-inf")) -> set[str]:
        """Readers served at least once (with `since`: by a request that ended after it)."""
        return {r.reader for r in self.snapshot() if r.ok and r.ended >= since}

    def readers(self) -> set[str]:
        return {r.reader for r in self.snapshot()}
