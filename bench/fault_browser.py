"""Real-browser readers for the fault test: Chromium pages that reload the map page again and again.

Each load is checked the way a reader would judge it: the page answered 200, the map is really
drawn (MapLibre loaded every source; the canvas shows more than a handful of colours), there is
no exception box and no error box, and the release line says which release is shown. Playwright's
sync API is bound to the thread that started it, so the readers take turns in the caller's
thread (`run_until`), while the simulated readers and the fault schedule run on their own threads.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from bench.browser_metrics import STATUS_RUNNING, VIEWPORT, canvas_colours, wait_drawn_ms
from bench.fault_log import (
    BLANK_MAP,
    BROWSER,
    ERROR_MESSAGE,
    HTTP_ERROR,
    OK,
    PAGE_EXCEPTION,
    TIMEOUT,
    Request,
    RequestLog,
)
from bench.fault_readers import PAGE, QUERY, STALE_NOTICE

EXCEPTION = '[data-testid="stException"]'
ERROR_BOX = '[data-testid="stAlertContentError"]'
CAPTION = '[data-testid="stCaptionContainer"]'
RELEASE_TEXT = re.compile(r"version (?P<version>\S+) · data as of")


class BrowserReader:
    """One Chromium page (its own context: cookies, cache) that reloads `url` on each `load_once`."""

    def __init__(self, browser, url: str, name: str, log: RequestLog, timeout_s: float = 20.0,
                 screenshots: Path | None = None) -> None:
        self.url, self.name, self.log, self.timeout_s = url, name, log, timeout_s
        self.screenshots = screenshots  # where a failed load leaves a screenshot (None: nowhere)
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.page_errors: list[str] = []  # console errors and uncaught exceptions of the current load
        self.page.on("console", lambda m: self.page_errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def load_once(self) -> Request:
        started, clock = self.log.now(), time.perf_counter()
        self.page_errors.clear()
        outcome, detail, release, stale = self._load()
        if outcome != OK and self.page_errors:
            detail = f"{detail}; browser console: {' | '.join(self.page_errors[:3])[:300]}"
        request = Request(self.name, BROWSER, started, time.perf_counter() - clock, outcome, release, stale, detail)
        self.log.add(request)
        if not request.ok and self.screenshots is not None:
            self._screenshot(f"{self.name}-{started:.0f}s-{outcome}.png")
        return request

    def _screenshot(self, name: str) -> None:
        from playwright.sync_api import Error as PlaywrightError

        self.screenshots.mkdir(parents=True, exist_ok=True)
        try:
            self.page.screenshot(path=str(self.screenshots / name), full_page=True, timeout=10_000)
        except PlaywrightError:
            pass  # a page too broken to photograph: the request's detail says what happened

    def _load(self) -> tuple[str, str, str | None, bool]:
        from playwright.sync_api import Error as PlaywrightError

        release, stale = None, False
        try:
            response = self.page.goto(self.url, wait_until="commit", timeout=self.timeout_s * 1000)
            if response is None or response.status != 200:
                return HTTP_ERROR, f"HTTP {response.status if response else 'no response'}", None, False
            wait_drawn_ms(self.page, "map", timeout_s=self.timeout_s)
            self._wait_run_over()
            caption = self.page.locator(CAPTION, has_text="Release:").first
            caption.wait_for(timeout=self.timeout_s * 1000)
            found = RELEASE_TEXT.search(caption.inner_text())
            release = found["version"] if found else None
            stale = self.page.locator(CAPTION, has_text=STALE_NOTICE).count() > 0
            shown = self._error_on_page()
            if shown:
                return shown[0], shown[1], release, stale
            colours = canvas_colours(self.page)
        except PlaywrightError as exc:
            # A timeout (or a navigation that broke): say what the page showed instead of the map.
            shown = self._error_on_page()
            return (shown[0], shown[1], release, stale) if shown else (
                TIMEOUT, str(exc).splitlines()[0][:200], release, stale)
        if colours <= 5:
            return BLANK_MAP, f"{colours} colours on the map canvas", release, stale
        return OK, "", release, stale

    def _wait_run_over(self) -> None:
        """Until Streamlit's running indicator is gone (a run may redraw the map once more)."""
        deadline = time.monotonic() + self.timeout_s
        while self.page.locator(STATUS_RUNNING).count() and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)

    def _error_on_page(self) -> tuple[str, str] | None:
        try:
            if self.page.locator(EXCEPTION).count():
                return PAGE_EXCEPTION, self.page.locator(EXCEPTION).first.inner_text()[:200]
            if self.page.locator(ERROR_BOX).count():
                return ERROR_MESSAGE, self.page.locator(ERROR_BOX).first.inner_text()[:200]
        except Exception:  # noqa: BLE001 - a page that is gone shows nothing; the caller records a timeout
            return None
        return None

    def close(self) -> None:
        self.context.close()


def browser_url(base_url: str) -> str:
    return f"{base_url}/{PAGE}?{QUERY}"


def run_browser_readers(browser, base_url: str, count: int, log: RequestLog, done: Callable[[], bool],
                        pause_s: float = 1.0, screenshots: Path | None = None) -> None:
    """`count` browser readers take turns reloading the map page until `done()`; each pauses
    `pause_s` after its load (a reader looking at the page) before its next turn."""
    readers = [BrowserReader(browser, browser_url(base_url), f"browser-{i + 1}", log, screenshots=screenshots)
               for i in range(count)]
    try:
        while not done():
            for reader in readers:
                reader.load_once()
                if done():
                    break
            time.sleep(pause_s)
    finally:
        for reader in readers:
            reader.close()
