"""`make bench`: every figure of issue 9 in one run (about 8 minutes on 2 cores).

1. cold start and page loads in headless Chromium for the product, the naive baseline
   (bench/baseline_app.py), the floor (bench/floor_app.py) and a floor with a tiny map
   (bench/floor_map_app.py), each served alone on loopback;
2. server time per rerun of every page (websocket client);
3. bytes of the first load of every page, normal and light version (bench/page_bytes.py);
   memory with 1 and 50 sessions, then a py-spy profile of reruns, on a fresh product server;
4. the `make serve` topology (nginx + one replica per core): page loads through it, then the
   bounded load test (10 to 200 sessions, stopped when saturated or out of time);
5. every page as a phone loads it on 3G and 4G through the same topology, the light edition and
   the app (bench/phone.py; also bench/phone_results.json).
Prints the table (bench/report.py) and writes bench/results.json. Environment: BENCH_RUNS
(browser runs per figure, default 5; the phone phase takes at most 3 unless BENCH_PHONE_RUNS
says otherwise), BENCH_SKIP (comma list of phases: loads, reruns, bytes, memory, profile, serve,
load, phone).
"""
from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from pathlib import Path

from bench.report import format_report, write_results

RESULTS = Path(__file__).resolve().parent / "results.json"
MAP_QUERY = "/map?release=demo&lang=en&year=2024"
BUDGET_S = 540  # the load test stops its steps so that `make bench` stays under 10 minutes
APPS = {"product": (MAP_QUERY, "map"), "baseline": ("/", "map"), "floor": ("/", "svg"), "floor_map": ("/", "map")}


def _phase(results: dict, name: str, skip: set[str], action) -> None:
    """Run one phase; a failure is recorded and reported, the other phases still run."""
    if name in skip:
        return
    started = time.perf_counter()
    print(f"[bench] {name} ...", file=sys.stderr, flush=True)
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - one broken phase must not hide the others' figures
        results.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    print(f"[bench] {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


def run_suite(runs: int, skip: set[str]) -> dict:
    from playwright.sync_api import sync_playwright

    from bench.browser_metrics import launch_browser
    from bench.load_test import run_load_test
    from bench.page_loads import cold_start, measure_loads
    from bench.profile_server import profile_reruns
    from bench.server_side import rerun_times, session_memory
    from bench.servers import StreamlitServer
    from deploy.replicas import free_port
    from deploy.serve import ServingStack

    results: dict = {"runs": runs, "cold_start": {}, "loads": {}, "cpu_count": os.cpu_count()}
    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)

        def served_alone(app: str) -> None:
            path, kind = APPS[app]
            starts = 3 if app == "product" else 1
            times, server = [], None
            for _ in range(starts):
                if server is not None:
                    server.stop()
                seconds, server = cold_start(browser, app, path, kind)
                times.append(seconds)
            results["cold_start"][app] = {"seconds": round(sorted(times)[len(times) // 2], 2), "runs": times}
            try:
                interactions = 1 if app in ("product", "baseline") else 0
                app_runs = runs if app != "floor_map" else min(runs, 3)  # informational row
                if "loads" not in skip:
                    results["loads"][app] = measure_loads(browser, server.url + path, kind, app_runs, 1, interactions)
                if app == "product" and "reruns" not in skip:
                    results["reruns"] = rerun_times(server.url, runs=5)
            finally:
                server.stop()

        for app in APPS:
            _phase(results, f"served alone: {app}", skip, lambda app=app: served_alone(app))

        def page_bytes() -> None:
            from bench.page_bytes import measure_page_bytes

            with StreamlitServer("product") as server:
                results["page_bytes"] = measure_page_bytes(browser, server.url, runs=min(runs, 2))
        _phase(results, "bytes", skip, page_bytes)

        def memory_and_profile() -> None:
            with StreamlitServer("product") as server:
                if "memory" not in skip:
                    results["memory"] = session_memory(server.url, server.rss_mb, sessions=50)
                if "profile" not in skip:
                    results["profile"] = profile_reruns(server.url, server.process.pid, seconds=15)
        _phase(results, "memory and profile", skip, memory_and_profile)

        def behind_nginx() -> None:
            replicas = os.cpu_count() or 1
            with ServingStack(replicas=replicas, port=free_port()) as stack:
                if "loads" not in skip:
                    results["loads"]["product_nginx"] = measure_loads(
                        browser, stack.url + MAP_QUERY, "map", min(runs, 3), 1, 1)
                if "load" not in skip:
                    browser.close()  # the load test needs every core it can get
                    left = BUDGET_S - (time.perf_counter() - started)
                    results["load_test"] = {**run_load_test(stack.url, deadline_s=max(60.0, left)),
                                            "replicas": replicas}
        _phase(results, "serve", skip, behind_nginx)

    def phone() -> None:
        # Its own browser and serving stack: the load test above may have closed the browser.
        from bench.phone import RESULTS as PHONE_RESULTS
        from bench.phone import run_phone_bench

        phone_runs = int(os.environ.get("BENCH_PHONE_RUNS") or min(runs, 3))
        results["phone"] = run_phone_bench(phone_runs, playwright=playwright)
        write_results(results["phone"], PHONE_RESULTS)
    _phase(results, "phone", skip, phone)
    results["wall_s"] = round(time.perf_counter() - started, 1)
    return results


def _stop_on_signal(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt  # so every server and browser started here is stopped on the way out


def main() -> int:
    if any(arg in ("-h", "--help") for arg in sys.argv[1:]):
        print(__doc__)
        return 0
    signal.signal(signal.SIGTERM, _stop_on_signal)
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    skip = {s.strip() for s in os.environ.get("BENCH_SKIP", "").split(",") if s.strip()}
    results = run_suite(runs, skip)
    write_results(results, RESULTS)
    print(format_report(results))
    if results.get("errors"):
        print("\nphases that failed: " + "; ".join(f"{k}: {v}" for k, v in results["errors"].items()))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
