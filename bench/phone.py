"""Pages loaded as a cheap phone loads them: time to the first figure and bytes, on 3G and 4G.

    python -m bench.phone [--runs 3] [--pages map,""] [--json bench/phone_results.json]

What a first-time reader on an inexpensive Android phone gets, through the `make serve` topology
(nginx, gzip, one replica per core): Chromium with a phone's screen (390 × 844, device scale 2,
touch) and User-Agent, a fresh browser context for every load and the cache switched off (cold
cache), and the network throttled through the DevTools protocol
(`Network.emulateNetworkConditions`): 3G is 1.6 Mbit/s down, 750 kbit/s up, 300 ms round trip;
4G is 9 Mbit/s both ways, 150 ms.

- Time to the first figure: `performance.now()` (milliseconds since the navigation started) at
  the first animation frame where the page's first figure is really drawn, recorded by a script
  the browser runs before the page's own (so no polling delay is added): for the app, the first
  Plotly chart with its SVG marks drawn, or a MapLibre map that has loaded its style and every
  GeoJSON source (a map's canvas must then show more than a handful of colours, or the sample
  is refused); for the app's pages without a chart (data, methodology), the page's lead
  sentence; for the light edition, the element marked `data-first-figure` (with its images
  loaded).
- Bytes: everything the page received until it was drawn and quiet for a second, from the
  DevTools protocol: HTTP responses as encoded on the wire (`Network.loadingFinished`
  encodedDataLength, gzip included) plus websocket frames (their payload after
  permessage-deflate decompression, so this overstates the app's websocket bytes a little).
  DevTools throttles HTTP; Chromium's throttling of websocket frames is looser, so the app's
  figures are, if anything, slightly optimistic on 3G.

The light edition (part 1 of issue 16, written at publish time) is crawled from
`/light/<lang>/index.html` and the pages it links to; when nginx does not serve it, the table
says "light edition not served" (no figure is invented). Each page gets one unthrottled load
first (not measured), so nginx's cache and the replicas' caches are warm, as they are for every
reader after the first one on publication day. Figures are medians of `runs` loads; the results
go to bench/phone_results.json. `make bench` runs it as its `phone` phase.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

from bench.browser_metrics import ByteCounter, canvas_colours, settle

RESULTS = Path(__file__).resolve().parent / "phone_results.json"

NETWORKS = {
    # DevTools takes throughput in bytes per second and latency in milliseconds.
    "3G": {"offline": False, "latency": 300, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8,
           "connectionType": "cellular3g"},
    "4G": {"offline": False, "latency": 150, "downloadThroughput": 9_000_000 / 8, "uploadThroughput": 9_000_000 / 8,
           "connectionType": "cellular4g"},
}
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0.0.0 Mobile Safari/537.36")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "user_agent": PHONE_AGENT, "locale": "vi-VN"}

# The app's pages (URL slugs) and what their first figure is.
APP_PAGES = {"": "chart", "map": "map", "services": "chart", "trends": "chart", "compare": "chart",
             "profile": "chart", "data": "lead", "methodology": "lead"}
LIGHT_LANGS = ("vi", "en")
LIGHT_PAGES_PER_LANG = int(os.environ.get("BENCH_LIGHT_PAGES", "4"))  # the index and the first pages it links to

TARGETS = {
    "light_3g_s": 2.0,  # the light edition shows its first figure within 2 s on 3G
    "light_kb": 150.0,  # and weighs at most 150 KB per page
    "app_4g_s": 2.5,  # the app shows its first figure within 2.5 s on 4G
}

# Run in every document before its own scripts: each animation frame, look for the first figure
# and note when it was first drawn (window.__firstFigure = {at, kind}).
FIRST_FIGURE_CLOCK = """(() => {
  const wanted = %s;
  const mapDrawn = (gd) => {
    const m = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
    if (!m || !m.loaded() || !m.areTilesLoaded() || m.isMoving()) return false;
    const style = m.getStyle();
    if (!style || !style.layers.some(l => l.type === 'fill')) return false;
    const ids = Object.keys(style.sources).filter(id => style.sources[id].type === 'geojson');
    return ids.length > 0 && ids.every(id => m.isSourceLoaded(id));
  };
  const chartDrawn = () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      if (!gd._fullLayout) continue;
      if (gd._fullLayout.map) { if (mapDrawn(gd)) return 'map'; continue; }
      // plotly draws each trace's marks as SVG in a g.trace (lines, markers, bars; a heatmap's image)
      if (wanted === 'chart' && gd.querySelector('.main-svg g.trace path, .main-svg g.trace image, .main-svg .bars path'))
        return 'chart';
    }
    return null;
  };
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const leadShown = () => {
    const el = document.querySelector('[data-testid="stMain"] .st-key-page_lead, '
                                      + '[data-testid="stMain"] [data-testid="stMarkdownContainer"] p > strong');
    return el && shown(el) ? 'lead' : null;
  };
  const markedShown = () => {
    const el = document.querySelector('[data-first-figure]');
    if (!el || !shown(el)) return null;
    const images = el.tagName === 'IMG' ? [el] : [...el.querySelectorAll('img')];
    return images.every(i => i.complete && i.naturalWidth > 0) ? 'marked' : null;
  };
  const look = () => {
    if (window.__firstFigure) return;
    let kind = null;
    if (wanted === 'marked') kind = markedShown();
    else if (wanted === 'text') {
      const el = document.querySelector('main h1 ~ p, main p');
      kind = el && shown(el) ? 'text' : null;
    }
    else if (wanted === 'lead') kind = leadShown();
    else kind = chartDrawn();
    if (kind) window.__firstFigure = {at: performance.now(), kind};
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();"""


@dataclass
class PhoneSample:
    """One cold load on one network."""

    seconds: float  # navigation start -> first figure drawn
    bytes: int  # everything received until the page was drawn and quiet
    bytes_to_figure: int  # what had arrived when the first figure was drawn
    http_bytes: int
    ws_bytes: int
    requests: int


def phone_context(browser):
    return browser.new_context(**PHONE)


def load_once(browser, url: str, wanted: str, network: str | None, timeout_s: float = 60) -> PhoneSample:
    """One cold load of `url` on `network` (None: unthrottled); `wanted` is the first figure's kind."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        page.add_init_script(FIRST_FIGURE_CLOCK % json.dumps(wanted))
        counter = ByteCounter(context, page)
        counter.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if network is not None:
            counter.cdp.send("Network.emulateNetworkConditions", NETWORKS[network])
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function("() => window.__firstFigure", timeout=timeout_s * 1000)
        at_figure = counter.sample(0)
        first = page.evaluate("window.__firstFigure")
        settle(page, counter, quiet_s=1.0, timeout_s=timeout_s)
        if first["kind"] == "map":
            colours = canvas_colours(page)
            if colours <= 5:
                raise RuntimeError(f"the map canvas is blank ({colours} colours) at {url}")
        done = counter.sample(0)
        return PhoneSample(round(first["at"] / 1000, 3), done.bytes, at_figure.bytes, done.http_bytes, done.ws_bytes,
                           done.requests)
    finally:
        context.close()


def median_sample(samples: list[PhoneSample]) -> dict:
    return {"seconds": round(statistics.median(s.seconds for s in samples), 2),
            "bytes": int(statistics.median(s.bytes for s in samples)),
            "bytes_to_figure": int(statistics.median(s.bytes_to_figure for s in samples)),
            "runs": len(samples), "samples": [asdict(s) for s in samples]}


def measure_page(browser, url: str, wanted: str, networks: tuple[str, ...], runs: int) -> dict:
    """One warm-up load (unthrottled, not measured), then `runs` cold loads per network."""
    row: dict = {"url": url, "first_figure": wanted}
    try:
        load_once(browser, url, wanted, None)
    except Exception as exc:  # noqa: BLE001 - the measured loads say whether it is a real failure
        row["warmup_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    for network in networks:
        samples, errors = [], []
        for _ in range(runs):
            try:
                samples.append(load_once(browser, url, wanted, network))
            except Exception as exc:  # noqa: BLE001 - one failed load is recorded, the others still count
                errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        row[network] = median_sample(samples) if samples else {"error": errors[0]}
        if errors:
            row[network]["errors"] = errors
    return row


# -- the light edition ---------------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def fetch(url: str, timeout_s: float = 20) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def is_streamlit_shell(html: str) -> bool:
    """True for Streamlit's single-page shell (what any unknown path returns), not a light page."""
    return '<div id="root">' in html and "static/js/index." in html


def light_pages(base_url: str, langs: tuple[str, ...] = LIGHT_LANGS, per_lang: int = LIGHT_PAGES_PER_LANG) -> list[str]:
    """The light edition's pages to measure: each language's index, then the pages it links to
    (same language folder, breadth first), at most `per_lang` per language. Empty when nginx does
    not serve `/light/`."""
    pages: list[str] = []
    for lang in langs:
        root = f"{base_url}/light/{lang}/"
        queue, seen = [root + "index.html"], set()
        while queue and len([p for p in pages if p.startswith(root)]) < per_lang:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            status, html = fetch(url)
            if status != 200 or is_streamlit_shell(html):
                continue  # without a /light/ location, nginx hands every path to Streamlit's page
            pages.append(url)
            parser = _Links()
            parser.feed(html)
            for href in parser.hrefs:
                target = urllib.parse.urljoin(url, href).split("#", 1)[0]
                if target.startswith(root) and target.endswith(".html") and target not in seen:
                    queue.append(target)
    return pages


# -- the whole measurement -----------------------------------------------------------------------

def app_url(base_url: str, slug: str, query: str) -> str:
    return f"{base_url}/{slug}" + (f"?{query}" if query else "")


def measure_phone(browser, base_url: str, runs: int, app_pages: dict[str, str] | None = None,
                  query: str = "") -> dict:
    """Every page of the light edition (3G, 4G) and of the app (4G, 3G) on `base_url`."""
    started = time.perf_counter()
    light = light_pages(base_url)
    results: dict = {"runs": runs, "networks": NETWORKS, "phone": PHONE, "targets": TARGETS, "query": query,
                     "light_served": bool(light), "light": {}, "app": {}}
    for url in light:
        # A page without a figure (methodology, data) is timed to its first paragraph instead.
        wanted = "marked" if "data-first-figure" in fetch(url)[1] else "text"
        results["light"][url[len(base_url):]] = measure_page(browser, url, wanted, ("3G", "4G"), runs)
    for slug, wanted in (APP_PAGES if app_pages is None else app_pages).items():
        results["app"]["/" + slug] = measure_page(browser, app_url(base_url, slug, query), wanted, ("4G", "3G"), runs)
    results["wall_s"] = round(time.perf_counter() - started, 1)
    return results


def _cell(row: dict, network: str) -> tuple[str, str]:
    figure = row.get(network, {})
    if "seconds" not in figure:
        return "error", "–"
    return f"{figure['seconds']:.2f} s", f"{figure['bytes'] / 1e3:,.0f} KB"


def _met(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "NO")


def phone_rows(results: dict) -> tuple[list[tuple], list[tuple]]:
    """(light rows, app rows) for the printed tables."""
    light_rows = []
    for page, row in results.get("light", {}).items():
        s3, b3 = _cell(row, "3G")
        s4, b4 = _cell(row, "4G")
        fig3 = row.get("3G", {})
        ok = None
        if "seconds" in fig3:
            ok = fig3["seconds"] <= TARGETS["light_3g_s"] and fig3["bytes"] / 1e3 <= TARGETS["light_kb"]
        light_rows.append((page, s3, b3, s4, b4, _met(ok)))
    app_rows = []
    rows = list(results.get("app", {}).items())
    if "floor" in results:
        rows.append(("floor: bare Streamlit + 1 chart", results["floor"]))
    for page, row in rows:
        s4, b4 = _cell(row, "4G")
        s3, b3 = _cell(row, "3G")
        fig4 = row.get("4G", {})
        ok = fig4["seconds"] <= TARGETS["app_4g_s"] if "seconds" in fig4 else None
        app_rows.append((f"{page} ({row['first_figure']})", s4, b4, s3, b3, _met(ok)))
    return light_rows, app_rows


def target_summary(results: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for the phone targets of issue 16."""
    checks = []
    light = [row for row in results.get("light", {}).values() if "seconds" in row.get("3G", {})]
    if results.get("light_served") and light:
        worst_s = max(row["3G"]["seconds"] for row in light)
        worst_kb = max(row["3G"]["bytes"] for row in light) / 1e3
        checks.append((f"light edition on 3G ≤ {TARGETS['light_3g_s']:.0f} s to the first figure (every page)",
                       f"slowest {worst_s:.2f} s", worst_s <= TARGETS["light_3g_s"]))
        checks.append((f"light edition ≤ {TARGETS['light_kb']:.0f} KB per page", f"largest {worst_kb:,.0f} KB",
                       worst_kb <= TARGETS["light_kb"]))
    else:
        checks.append(("light edition on 3G ≤ 2 s and ≤ 150 KB per page", "light edition not served", None))
    app = {page: row["4G"]["seconds"] for page, row in results.get("app", {}).items() if "seconds" in row.get("4G", {})}
    if app:
        slow = {p: s for p, s in app.items() if s > TARGETS["app_4g_s"]}
        worst = max(app.items(), key=lambda kv: kv[1])
        checks.append((f"app on 4G ≤ {TARGETS['app_4g_s']} s to the first figure (every page)",
                       f"{len(app) - len(slow)}/{len(app)} pages; slowest {worst[0]} {worst[1]:.2f} s", not slow))
    floor = results.get("floor", {}).get("4G", {})
    if "seconds" in floor:
        checks.append(("for reference: the floor on 4G (no Streamlit page is faster)",
                       f"{floor['seconds']:.2f} s, {floor['bytes'] / 1e3:,.0f} KB", None))
    return checks


def format_phone(results: dict) -> str:
    from bench.report import _table

    light_rows, app_rows = phone_rows(results)
    runs = results.get("runs")
    parts = [f"== Phone (390×844, phone User-Agent), cold cache, through nginx; medians of {runs} loads ==",
             "3G: 1.6 Mbit/s down, 750 kbit/s up, 300 ms; 4G: 9 Mbit/s, 150 ms (DevTools throttling)", "",
             "Light edition (/light/): time to the element marked data-first-figure (a page without a figure: its "
             "first paragraph), bytes per page"]
    if results.get("light_served"):
        parts.append(_table(("page", "3G time", "3G bytes", "4G time", "4G bytes", "≤2 s & ≤150 KB on 3G"), light_rows))
    else:
        parts.append("light edition not served (nginx answers no /light/<lang>/index.html)")
    query = f" (?{results['query']})" if results.get("query") else " (default release, Vietnamese)"
    parts += ["", f"App{query}: time to the first chart or map drawn (data, methodology: the lead sentence)",
              _table(("page (first figure)", "4G time", "4G bytes", "3G time", "3G bytes", "≤2.5 s on 4G"), app_rows),
              "", _table(("target (issue 16)", "measured", "met"),
                         [(t, m, _met(ok)) for t, m, ok in target_summary(results)])]
    return "\n".join(parts)


def measure_floor(browser, runs: int) -> dict:
    """The floor on the same phone and networks: a bare Streamlit page with one small Plotly chart
    (bench/floor_app.py) behind the same nginx (gzip, caching). No Streamlit page can show a chart
    sooner, so it says what any Streamlit app can reach on 4G, whatever the app does."""
    from bench.servers import StreamlitServer
    from deploy.replicas import free_port
    from deploy.serve import ServingStack

    with StreamlitServer("floor") as floor, \
            ServingStack(upstreams=[f"127.0.0.1:{floor.port}"], port=free_port()) as stack:
        return measure_page(browser, f"{stack.url}/", "chart", ("4G", "3G"), runs)


def run_phone_bench(runs: int, pages: dict[str, str] | None = None, query: str = "",
                    base_url: str | None = None, playwright=None) -> dict:
    """Start `make serve`'s topology (unless `base_url` is given) and measure every page, in a
    browser of its own (from `playwright`, or a new Playwright session)."""
    if playwright is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as own:
            return run_phone_bench(runs, pages, query, base_url, own)
    from bench.browser_metrics import launch_browser
    from deploy.replicas import free_port
    from deploy.serve import ServingStack

    browser = launch_browser(playwright)
    try:
        if base_url:
            results = measure_phone(browser, base_url.rstrip("/"), runs, pages, query)
        else:
            replicas = os.cpu_count() or 1
            with ServingStack(replicas=replicas, port=free_port()) as stack:
                results = measure_phone(browser, stack.url, runs, pages, query)
            results["replicas"] = replicas
            results["floor"] = measure_floor(browser, runs)
    finally:
        browser.close()
    results["load_average"] = os.getloadavg()
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.phone", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")),
                        help="cold loads per page and network (default BENCH_RUNS or 3)")
    parser.add_argument("--pages", help="comma list of app slugs to measure ('overview' for /; 'none': only the "
                        "light edition; default all)")
    parser.add_argument("--query", default="", help="query string for the app's pages (default none: what a new "
                        "reader gets)")
    parser.add_argument("--url", help="measure this running site instead of starting make serve's topology")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the figures (default {RESULTS})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pages = None
    if args.pages == "none":
        pages = {}
    elif args.pages is not None:
        wanted = ["" if p in ("", "overview", "/") else p.strip("/") for p in args.pages.split(",")]
        pages = {slug: APP_PAGES[slug] for slug in wanted}
    results = run_phone_bench(args.runs, pages, args.query, args.url)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_phone(results))
    print(f"\nload average {', '.join(f'{x:.1f}' for x in results['load_average'])}; "
          f"{results['wall_s']:.0f} s; figures in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
