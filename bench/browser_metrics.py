"""Page loads in headless Chromium: time until the chart is really drawn, and bytes received.

- Time: `performance.now()` in the page (milliseconds since the navigation started) at the first
  animation frame where the chart is drawn: for a map, MapLibre has loaded its style and every
  GeoJSON source and placed its tiles; for the floor's bar chart, the bars' SVG paths exist.
  After the timed window, a screenshot of the map canvas must show more than a handful of colours
  (as `_map_pixels_drawn` in tests/browser), otherwise the sample is refused.
- Bytes: from the DevTools protocol, `Network.loadingFinished` encodedDataLength (HTTP bytes on
  the wire, compressed when the server compresses) plus the payload of every websocket frame
  received (`Network.webSocketFrameReceived`; that payload is after permessage-deflate
  decompression, so with websocket compression on, this overstates what crossed the wire).
"""
from __future__ import annotations

import base64
import io
import time
from dataclasses import dataclass

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 1000}

# Returns performance.now() once the chart (whose title contains `text`, if given) is drawn, else false.
DRAWN_AT_JS = """([kind, text]) => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const fl = gd._fullLayout;
    if (!fl) continue;
    const title = (fl.title && fl.title.text) || '';
    if (text && !title.includes(text)) continue;
    if (kind === 'map') {
      const m = fl.map && fl.map._subplot && fl.map._subplot.map;
      if (!m || !m.loaded() || !m.areTilesLoaded() || m.isMoving()) continue;
      const style = m.getStyle();
      if (!style || !style.layers.some(l => l.type === 'fill')) continue;
      const sources = Object.keys(style.sources).filter(id => style.sources[id].type === 'geojson');
      if (!sources.length || !sources.every(id => m.isSourceLoaded(id))) continue;
      return performance.now();
    }
    if (gd.querySelector('.main-svg .bars path, .main-svg .plot path')) return performance.now();
  }
  return false;
}"""
STATUS_RUNNING = '[data-testid="stStatusWidget"]'


@dataclass
class LoadSample:
    """One measured load or interaction."""

    seconds: float
    bytes: int
    http_bytes: int
    ws_bytes: int
    requests: int


class ByteCounter:
    """Bytes a page receives, from the DevTools protocol (HTTP responses and websocket frames)."""

    def __init__(self, context, page) -> None:
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.loadingFinished", self._http)
        self.cdp.on("Network.webSocketFrameReceived", self._ws)
        self.reset()

    def reset(self) -> None:
        self.http_bytes = self.ws_bytes = self.requests = 0
        self.last_event = time.monotonic()

    def _http(self, event: dict) -> None:
        self.http_bytes += int(event.get("encodedDataLength") or 0)
        self.requests += 1 if event.get("encodedDataLength") else 0
        self.last_event = time.monotonic()

    def _ws(self, event: dict) -> None:
        response = event.get("response", {})
        data = response.get("payloadData", "")
        # opcode 2: binary frame, payload base64-encoded; opcode 1: text
        self.ws_bytes += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())
        self.last_event = time.monotonic()

    def sample(self, seconds: float) -> LoadSample:
        return LoadSample(seconds, self.http_bytes + self.ws_bytes, self.http_bytes, self.ws_bytes, self.requests)


def settle(page, counter: ByteCounter, quiet_s: float = 1.0, timeout_s: float = 30) -> None:
    """Wait until Streamlit's script run is over and nothing has arrived for `quiet_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        running = page.locator(STATUS_RUNNING).count()
        if not running and time.monotonic() - counter.last_event >= quiet_s:
            return
        page.wait_for_timeout(100)


def canvas_colours(page) -> int:
    """Distinct colours in a screenshot of the map canvas (a blank canvas has one or two)."""
    from PIL import Image

    canvas = page.locator(".js-plotly-plot .maplibregl-canvas").first
    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB").resize((120, 120))
    return len(image.getcolors(maxcolors=120 * 120) or [])


def check_drawn(page, kind: str) -> None:
    """Refuse a sample whose map canvas is blank (the timing predicate would then be wrong)."""
    if kind == "map":
        colours = canvas_colours(page)
        if colours <= 5:
            raise RuntimeError(f"the map canvas is blank ({colours} colours) at {page.url}")


def wait_drawn_ms(page, kind: str, text: str | None = None, timeout_s: float = 60) -> float:
    handle = page.wait_for_function(DRAWN_AT_JS, arg=[kind, text], polling="raf", timeout=timeout_s * 1000)
    return float(handle.json_value())


def cold_load(browser, url: str, kind: str):
    """A first visit: new browser context (empty cache). Returns (sample, context, page, counter)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    counter = ByteCounter(context, page)
    page.goto(url, wait_until="commit", timeout=60_000)
    drawn_ms = wait_drawn_ms(page, kind)
    settle(page, counter)
    check_drawn(page, kind)
    return counter.sample(drawn_ms / 1000), context, page, counter


def warm_reload(page, counter: ByteCounter, kind: str) -> LoadSample:
    """Reload in the same context: Streamlit's static files come from the browser cache."""
    settle(page, counter)
    counter.reset()
    page.reload(wait_until="commit", timeout=60_000)
    drawn_ms = wait_drawn_ms(page, kind)
    settle(page, counter)
    check_drawn(page, kind)
    return counter.sample(drawn_ms / 1000)


_ARM_CLICK_CLOCK = """() => { window.__benchClick = null;
  document.addEventListener('pointerdown', () => { window.__benchClick = performance.now(); },
                            {capture: true, once: true}); }"""


def change_year(page, counter: ByteCounter, year: str, kind: str, label: str = "Year") -> LoadSample:
    """Pick `year` in the selectbox labelled `label`; time from the click to the redrawn map."""
    settle(page, counter)
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    option = page.get_by_role("option", name=year, exact=True)
    option.wait_for(timeout=10_000)
    counter.reset()
    page.evaluate(_ARM_CLICK_CLOCK)
    option.click()
    drawn_ms = wait_drawn_ms(page, kind, text=year)
    clicked_ms = float(page.evaluate("window.__benchClick"))
    settle(page, counter)
    check_drawn(page, kind)
    return counter.sample((drawn_ms - clicked_ms) / 1000)


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
