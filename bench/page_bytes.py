"""Bytes of the first load of every page, normal and light version (issue 8: slow connections).

Each page is opened in a fresh browser context (empty cache: what a first-time reader on a phone
downloads), until Streamlit's run is over and nothing has arrived for a second. Bytes are what the
browser received: HTTP responses (as encoded on the wire) and websocket frames. The demo release
is used, where every page has charts and maps to draw. Run alone: `python -m bench.page_bytes`.
"""
from __future__ import annotations

import statistics
import sys

from bench.browser_metrics import VIEWPORT, ByteCounter, launch_browser, settle

SLUGS = ["", "map", "services", "trends", "compare", "profile", "data", "methodology"]
QUERY = "release=demo&year=2024"


def first_load_bytes(browser, url: str) -> dict:
    """HTTP and websocket bytes of one cold load of `url`."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    counter = ByteCounter(context, page)
    try:
        page.goto(url, wait_until="commit", timeout=60_000)
        page.wait_for_selector('[data-testid="stMain"]', timeout=60_000)
        page.wait_for_timeout(500)
        settle(page, counter, quiet_s=1.0, timeout_s=60)
        sample = counter.sample(0)
        return {"bytes": sample.bytes, "http": sample.http_bytes, "ws": sample.ws_bytes, "requests": sample.requests}
    finally:
        context.close()


def measure_page_bytes(browser, base_url: str, runs: int = 2) -> dict:
    """{slug: {"normal": bytes, "lite": bytes, ...}} medians over `runs` cold loads each."""
    out = {}
    for slug in SLUGS:
        row = {}
        for mode, extra in (("normal", ""), ("lite", "&lite=true")):
            samples = [first_load_bytes(browser, f"{base_url}/{slug}?{QUERY}{extra}") for _ in range(runs)]
            row[mode] = int(statistics.median(s["bytes"] for s in samples))
            row[f"{mode}_ws"] = int(statistics.median(s["ws"] for s in samples))
        out[slug or "/"] = row
    return out


def format_page_bytes(table: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    for slug, row in table.items():
        saved = 1 - row["lite"] / row["normal"] if row["normal"] else 0.0
        rows.append((f"/{slug.strip('/')}", f"{row['normal'] / 1e6:.2f} MB", f"{row['lite'] / 1e6:.2f} MB", f"{saved:.0%}"))
    return rows


def main() -> int:
    from playwright.sync_api import sync_playwright

    from bench.report import _table
    from bench.servers import StreamlitServer

    with StreamlitServer("product") as server, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        table = measure_page_bytes(browser, server.url, runs=int(sys.argv[1]) if len(sys.argv) > 1 else 2)
        browser.close()
    print(_table(("page (first load, empty cache)", "normal", "light", "saved"), format_page_bytes(table)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
