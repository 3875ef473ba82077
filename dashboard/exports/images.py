"""PNG and SVG of a plotly figure, made on the server by Kaleido in one reused Chromium.

Kaleido v1 drives a headless Chromium (Debian's `chromium`; `BROWSER_PATH` points at it). Starting
one costs a second or two and the first render can hang, so a renderer keeps ONE browser open in
a background thread with its own event loop, guards start and every render with a timeout, and
restarts the browser after a render that timed out. Without a browser, `ExportUnavailable`
says so plainly (and what to install); the chart's own modebar still offers SVG/PNG.

MathJax is switched off (Kaleido would fetch it from a CDN; our figures use no LaTeX), and
plotly.js comes from the installed plotly package, so rendering works offline. MapLibre maps
(`Choroplethmap`, style white-bg, no tiles) render too: PNG as drawn; in SVG plotly embeds the
map layer as a raster image under vector text.
"""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import hashlib
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from pathlib import Path

import plotly.graph_objects as go

from dashboard.exports.errors import ExportError, ExportUnavailable
from dashboard.settings import load_settings

LOG = logging.getLogger(__name__)

EXPORT_WIDTH = 960  # CSS pixels of the exported layout (a desktop chart's width)
PNG_SCALE = 2  # 960 x 2 = 1920 px wide: crisp text in print and on retina screens
START_TIMEOUT = 45.0  # seconds for Chromium to start
RENDER_TIMEOUT = 45.0  # seconds for one image
RETRY_AFTER = 60.0  # after a failed start, wait this long before trying again
BROWSER_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = "install it (Debian: apt-get install chromium) or set BROWSER_PATH=/path/to/chromium"


def find_browser() -> str | None:
    """The Chromium/Chrome executable to use: BROWSER_PATH if set, else the first on the PATH."""
    configured = load_settings().browser_path
    if configured:
        return configured if Path(configured).is_file() and os.access(configured, os.X_OK) else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in BROWSER_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_problem() -> str | None:
    """Why images cannot be made here (None when a browser is installed)."""
    if find_browser() is not None:
        return None
    configured = load_settings().browser_path or ""
    where = f"BROWSER_PATH={configured!r} is not an executable" if configured else "no Chromium/Chrome found"
    return f"image export needs Chromium: {where}; {INSTALL_HINT}"


def figure_size(fig: go.Figure, width: int | None = None) -> tuple[int, int]:
    """(width, height) in CSS pixels: the figure's own size, EXPORT_WIDTH when it has none."""
    w = int(width or fig.layout.width or EXPORT_WIDTH)
    h = int(fig.layout.height or 500)
    return w, h


class ImageRenderer:
    """One Chromium, reused for every image; thread-safe (Streamlit sessions share it)."""

    def __init__(self, browser_path: str | None = None, start_timeout: float = START_TIMEOUT,
                 render_timeout: float = RENDER_TIMEOUT, cache_size: int = 24) -> None:
        self._browser_path = browser_path
        self.start_timeout = start_timeout
        self.render_timeout = render_timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._failed_at: float | None = None
        self._failure = ""
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_size = cache_size
        self.renders = 0  # images actually rendered (cache misses), for tests and benchmarks

    # -- lifecycle -----------------------------------------------------------------------------
    def problem(self) -> str | None:
        """Why this renderer cannot make images right now, or None if it should work."""
        if self._browser_path is None and (reason := browser_problem()):
            return reason
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER:
            return self._failure
        return None

    def _start(self):
        """The open Kaleido (started on first use); caller holds the lock."""
        if self._kaleido is not None:
            return self._kaleido
        if reason := self.problem():
            raise ExportUnavailable(reason)
        path = self._browser_path or find_browser()
        import kaleido  # imported here: the app starts without paying for it

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido-renderer", daemon=True)
        thread.start()

        async def open_browser():
            browser = kaleido.Kaleido(n=1, timeout=self.render_timeout, mathjax=False, path=path)
            await browser.open()
            return browser

        future = asyncio.run_coroutine_threadsafe(open_browser(), loop)
        try:
            self._kaleido = future.result(timeout=self.start_timeout)
        except Exception as exc:  # noqa: BLE001 - any failure to start means "no images", said plainly
            future.cancel()
            loop.call_soon_threadsafe(loop.stop)
            self._failed_at, self._failure = time.monotonic(), f"Chromium at {path} did not start: {exc!r}"
            LOG.error("image export unavailable: %s", self._failure)
            raise ExportUnavailable(self._failure) from exc
        self._loop, self._thread, self._failed_at = loop, thread, None
        atexit.register(self.close)
        return self._kaleido

    def close(self) -> None:
        """Close the browser (it restarts on the next render)."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        browser, loop, thread = self._kaleido, self._loop, self._thread
        self._kaleido = self._loop = self._thread = None
        if browser is None or loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(browser.close(), loop).result(timeout=10)
        except Exception as exc:  # noqa: BLE001 - closing a hung browser may fail; the loop stops anyway
            LOG.warning("closing Chromium failed: %r", exc)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=5)
        if not loop.is_running():
            loop.close()  # an event loop left open leaks its selector's sockets

    # -- rendering -----------------------------------------------------------------------------
    def render(self, fig: go.Figure, fmt: str, width: int | None = None, scale: float = 1) -> bytes:
        """`fig` as PNG or SVG bytes at its own height and `width` (CSS px) x `scale`."""
        if fmt not in ("png", "svg"):
            raise ValueError(f"unknown image format {fmt!r}; use png or svg")
        w, h = figure_size(fig, width)
        spec = fig.to_json()
        key = hashlib.sha256(f"{fmt}|{w}|{h}|{scale}|".encode() + spec.encode()).hexdigest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            browser = self._start()
            loop = self._loop
        opts = {"format": fmt, "width": w, "height": h, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(browser.calc_fig(fig, opts=opts), loop)
        try:
            data = future.result(timeout=self.render_timeout + 5)
        except (concurrent.futures.TimeoutError, TimeoutError) as exc:
            future.cancel()
            LOG.error("image render timed out after %.0f s; restarting Chromium", self.render_timeout)
            with self._lock:
                self._stop()
            raise ExportUnavailable(f"the image took longer than {self.render_timeout:.0f} s") from exc
        except Exception as exc:  # noqa: BLE001 - a plotly.js error in the page: name it, no traceback
            LOG.exception("image render failed")
            raise ExportError(f"the image could not be drawn: {exc}") from exc
        self.renders += 1
        with self._lock:
            self._cache[key] = data
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return data

    def png(self, fig: go.Figure, width: int | None = None, scale: float = PNG_SCALE) -> bytes:
        """A PNG at least 1600 px wide for the default width (960 CSS px x 2)."""
        return self.render(fig, "png", width=width, scale=scale)

    def svg(self, fig: go.Figure, width: int | None = None) -> bytes:
        return self.render(fig, "svg", width=width, scale=1)


_SHARED: ImageRenderer | None = None
_SHARED_LOCK = threading.Lock()


def shared_renderer() -> ImageRenderer:
    """The process's one renderer (one Chromium for every session and command)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = ImageRenderer()
        return _SHARED
