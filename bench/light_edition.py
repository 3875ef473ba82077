"""The light edition against its budget (issue 16): built size and time, and a cheap phone on 3G.

For the committed releases (demo, sipas-published) it prints:

- the build: pages written, seconds, raw and gzip bytes of the largest and the median page
  (`export_static`, as `publish` runs it), and the seconds `publish` takes with the edition;
- through nginx with `make serve`'s own config (/light/, gzip), in Chromium as a 390 x 844 phone
  with a cold cache on emulated 3G (Chrome DevTools' Network.emulateNetworkConditions: 1.6 Mbit/s
  down, 0.75 up, 300 ms latency; `--cpu 4` also slows the CPU four times, like a cheap Android):
  the time until the page's first figure (`[data-first-figure]`) is drawn, the first paint, the
  load event and the bytes transferred, for the index, one service page and one province page
  (median of `--runs`).

    .venv/bin/python -m bench.light_edition [--runs 3] [--cpu 4] [--port 8734] [--json out.json]

Needs nginx and Debian's chromium. Targets: first figure <= 2 s on 3G, <= 150 KB per page.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard import paths
from dashboard.publishing.publish import publish_release
from dashboard.static_site.build import PAGE_BUDGET_GZIP, export_static

THREE_G = {"offline": False, "latency": 300, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "user_agent": "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/120.0 Mobile Safari/537.36"}
PAGES = {"demo": ["vi/index.html", "vi/services/admin.html", "vi/provinces/lao-cai-vn63.html"],
         "sipas-published": ["vi/index.html", "vi/services/admin.html", "vi/provinces/quang-ninh-vn63.html"]}
FIRST_FIGURE_TARGET_S = 2.0
FIRST_FIGURE_PROBE = """
new MutationObserver((records, observer) => {
  if (!document.querySelector('[data-first-figure]')) return;
  observer.disconnect();
  requestAnimationFrame(() => { window.__firstFigure = performance.now(); });
}).observe(document, {childList: true, subtree: true});
"""


def build_figures(release_id: str, work: Path) -> dict:
    """Build the edition (as publish does), and publish the release with it into a new data root."""
    report = export_static(paths.RELEASES_DIR / release_id, work / "site", tables="light")
    name, raw, zipped = report.largest()
    started = time.perf_counter()
    publish_release(paths.RELEASES_DIR / release_id, work / "root")
    return {"pages": report.pages, "build_s": round(report.seconds, 1), "publish_s": round(time.perf_counter() - started, 1),
            "largest_page": name, "largest_raw": raw, "largest_gzip": zipped,
            "median_raw": int(report.median_raw()), "median_gzip": int(report.median_gzip()),
            "over_budget": report.over_budget}


def start_nginx(root: Path, port: int, prefix: Path) -> subprocess.Popen:
    """nginx with make serve's config; its upstream is never asked (only /light/ is requested)."""
    from deploy.nginx_config import NginxSettings, check_nginx_config, nginx_command, write_nginx_config

    write_nginx_config(NginxSettings(prefix, f"127.0.0.1:{port}", ["127.0.0.1:9"], root, script_hashes=[]))
    checked = check_nginx_config(prefix)
    if checked.returncode != 0:
        raise RuntimeError(checked.stderr)
    process = subprocess.Popen(nginx_command(prefix, "-g", "daemon off;"), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    return process


def phone_load(browser, url: str, cpu: float) -> dict:
    """One cold load of `url` on an emulated 3G phone: seconds to the first figure, first paint,
    load event; bytes received."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THREE_G)
    if cpu > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    received = []
    cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
    # Measured in the page, from the start of the navigation: the frame in which the first figure
    # is drawn (polling from outside would add the test harness's own, throttled, delays).
    page.add_init_script(FIRST_FIGURE_PROBE)
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_function("window.__firstFigure !== undefined", timeout=120_000)
        first_figure = page.evaluate("window.__firstFigure") / 1000
        page.wait_for_timeout(300)  # the paint timing entry arrives after the frame
        timing = page.evaluate("""() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
            return {load: nav.loadEventEnd / 1000, fcp: paint ? paint.startTime / 1000 : null,
                    top: document.querySelector('[data-first-figure]').getBoundingClientRect().top}; }""")
        # Nothing is on screen before the first contentful paint (the stylesheet blocks rendering):
        # a figure in the DOM earlier is drawn then.
        first_figure = max(first_figure, timing["fcp"] or 0.0)
        return {"first_figure_s": first_figure, "fcp_s": timing["fcp"], "load_s": timing["load"],
                "bytes": sum(received), "figure_top_px": timing["top"]}
    finally:
        context.close()


def phone_figures(root: Path, pages: list[str], runs: int, cpu: float, port: int) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="light-bench-nginx-") as prefix:
        os.chmod(prefix, 0o755)
        nginx = start_nginx(root, port, Path(prefix))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                  "--disable-component-update", "--disable-sync"])
                out = {}
                for page in pages:
                    samples = [phone_load(browser, f"http://127.0.0.1:{port}/light/{page}", cpu) for _ in range(runs)]
                    out[page] = {key: round(statistics.median(values), 2) for key in samples[0]
                                 if (values := [s[key] for s in samples if s[key] is not None])}
                browser.close()
                return out
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.light_edition", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu", type=float, default=1.0, help="CPU slow-down factor (4: a cheap phone)")
    parser.add_argument("--port", type=int, default=8734)
    parser.add_argument("--release", action="append", choices=sorted(PAGES), help="default: both")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = {}
    for release_id in args.release or sorted(PAGES):
        with tempfile.TemporaryDirectory(prefix=f"light-bench-{release_id}-") as scratch:
            work = Path(scratch)
            os.chmod(work, 0o755)  # nginx's workers may run as nobody
            built = build_figures(release_id, work)
            phone = phone_figures(work / "root", PAGES[release_id], args.runs, args.cpu, args.port)
            results[release_id] = {"build": built, "phone_3g": phone}
        print_release(release_id, results[release_id], args.cpu)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    slow = [(r, p) for r, res in results.items() for p, m in res["phone_3g"].items()
            if m["first_figure_s"] > FIRST_FIGURE_TARGET_S]
    heavy = [(r, res["build"]["over_budget"]) for r, res in results.items() if res["build"]["over_budget"]]
    return 1 if slow or heavy else 0


def print_release(release_id: str, result: dict, cpu: float) -> None:
    b = result["build"]
    print(f"\n== {release_id}: {b['pages']} pages built in {b['build_s']} s (publish with the edition: "
          f"{b['publish_s']} s) ==")
    print(f"largest page {b['largest_page']}: {b['largest_raw'] / 1024:.0f} KB raw, {b['largest_gzip'] / 1024:.0f} KB gzip; "
          f"median {b['median_raw'] / 1024:.0f} KB raw, {b['median_gzip'] / 1024:.1f} KB gzip "
          f"(budget {PAGE_BUDGET_GZIP // 1024} KB gzip; over: {len(b['over_budget'])})")
    print(f"phone 390x844, cold cache, 3G (1.6 Mbit/s, 300 ms){f', CPU x{cpu:g}' if cpu > 1 else ''}, through nginx:")
    print(f"  {'page':38} {'first figure':>12} {'first paint':>11} {'load':>6} {'KB sent':>8} {'figure at':>9}")
    for page, m in result["phone_3g"].items():
        fcp = f"{m['fcp_s']:>9.2f} s" if "fcp_s" in m else f"{'–':>11}"
        print(f"  {page:38} {m['first_figure_s']:>10.2f} s {fcp} {m['load_s']:>4.2f} s "
              f"{m['bytes'] / 1024:>8.1f} {m['figure_top_px']:>6.0f} px")


if __name__ == "__main__":
    sys.exit(main())
