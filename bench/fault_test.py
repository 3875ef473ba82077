"""Fault test: faults on publication day while readers read the app through nginx.

    python -m bench.fault_test [--readers 30] [--browsers 2] [--quick]      (make fault)

On loopback only: a throw-away data root gets a first release (published with the real `publish`
code), two Streamlit replicas follow it (DASHBOARD_CHECK_SECONDS=1) behind nginx, and a bounded
load of simulated readers (HTML + websocket sessions that rerun the map page, bench.fault_readers)
and a few Chromium pages that reload the map (bench.fault_browser) read it the whole time. At
fixed times the schedule publishes a new release, cuts the current release's results file in
half, publishes a good one again, and kills a replica with SIGKILL and restarts it
(bench.fault_schedule). Every request is checked and recorded; the table printed at the end
(bench.fault_report) says how many were served and failed, and what each fault did to readers.
The figures are written to bench/fault_results.json. Everything stops by itself.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.fault_browser import run_browser_readers
from bench.fault_light import LightReaders
from bench.fault_log import RequestLog
from bench.fault_readers import SimulatedReaders
from bench.fault_releases import DEMO_RELEASE, DEMO_SLICE, publish_copy
from bench.fault_report import format_table, summarise
from bench.fault_schedule import Fault, FaultActions, FaultSchedule
from bench.phone import light_pages
from deploy.replicas import free_port
from deploy.serve import ServingStack

RESULTS = Path(__file__).resolve().parent / "fault_results.json"
FIRST, SECOND, THIRD = ("fault-r1", "1.0.0"), ("fault-r2", "2.0.0"), ("fault-r3", "3.0.0")
KILLED_REPLICA = 0


@dataclass(frozen=True)
class FaultPlan:
    """How much load, and when each fault happens (seconds after every reader was served once)."""

    readers: int = 30
    browsers: int = 2
    light_readers: int = 2  # when nginx serves the light edition (/light/), else none
    think_s: float = 2.0
    publish_at: float = 12.0
    corrupt_at: float = 27.0
    republish_at: float = 42.0
    kill_at: float = 57.0
    run_for_s: float = 80.0  # after the warm-up, at least this long
    after_last_fault_s: float = 10.0  # and at least this long after the last fault is over
    served_again_timeout_s: float = 30.0  # and until every reader was served after it, at most this long
    warmup_timeout_s: float = 90.0
    release_source: Path = DEMO_RELEASE  # the release whose copies are published

    def faults(self, actions: FaultActions, clock: Callable[[], float]) -> list[Fault]:
        return [Fault(self.publish_at, "publish", actions.publish(*SECOND)),
                Fault(self.corrupt_at, "corrupt", actions.corrupt(SECOND[0], SECOND[1])),
                Fault(self.republish_at, "republish", actions.publish(*THIRD)),
                Fault(self.kill_at, "kill", actions.kill_and_restart(KILLED_REPLICA, clock))]


QUICK = FaultPlan(readers=6, browsers=1, think_s=1.5, publish_at=2.0, corrupt_at=9.0, republish_at=16.0,
                  kill_at=23.0, run_for_s=31.0, after_last_fault_s=5.0, warmup_timeout_s=45.0,
                  release_source=DEMO_SLICE)


@dataclass
class FaultRun:
    """What a run produced: the figures (JSON-ready) and the log of every request and fault."""

    figures: dict
    log: RequestLog


def wait_until_every_reader_served(log: RequestLog, readers: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while len(log.readers_with_an_ok_request()) < readers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(log.readers_with_an_ok_request())} of {readers} readers were served "
                               f"within {timeout_s:.0f} s of the start; failures: "
                               f"{[r.detail for r in log.snapshot() if not r.ok][:5]}")
        time.sleep(0.2)


def app_log_lines(stack: ServingStack, needle: str = "cannot be served") -> list[str]:
    """The replicas' log lines that contain `needle` (how the app reported a broken release)."""
    lines = []
    for replica in stack.replicas:
        if replica.log_path.is_file():
            lines += [line.strip() for line in replica.log_path.read_text(errors="replace").splitlines()
                      if needle in line]
    return lines


def sent_before_ready(stack: ServingStack, address: str, since: float, until: float) -> int:
    """Requests nginx sent to the replica at `address` that started between its restart and the
    moment it was ready (wall clock; from the access log's msec and request time)."""
    log = stack.prefix / "logs" / "access.log"
    if not log.is_file():
        return 0
    count = 0
    for line in log.read_text(errors="replace").splitlines():
        found = re.search(r"rt=([\d.]+) up=(.*?) cache=\S* msec=([\d.]+)$", line)
        if not found or address not in found[2]:
            continue
        started = float(found[3]) - float(found[1])
        count += since <= started < until
    return count


def nginx_routed_around(stack: ServingStack) -> int:
    """nginx error-log lines where it could not reach a replica (and tried the next one)."""
    log = stack.prefix / "logs" / "error.log"
    if not log.is_file():
        return 0
    return sum(1 for line in log.read_text(errors="replace").splitlines()
               if "connect() failed" in line or "prematurely closed" in line)


def run_fault_test(plan: FaultPlan, browser=None, workdir: Path | None = None,
                   screenshots: Path | None = None) -> FaultRun:
    """Run the whole test (`browser`: a Playwright Browser for the browser readers, or None;
    `screenshots`: where a browser reader's failed load leaves a screenshot)."""
    with tempfile.TemporaryDirectory(prefix="fault-test-") as scratch:
        work = Path(workdir or scratch)
        # Started as root, nginx's workers run as `nobody`: they must be able to enter this folder
        # (mkdtemp makes it 0700) to reach their cache and temp files and the release files.
        work.mkdir(parents=True, exist_ok=True)
        work.chmod(0o755)
        data_root, staging = work / "data-root", work / "release-sources"
        publish_copy(staging, data_root, *FIRST, source=plan.release_source)
        env = {"DASHBOARD_DATA": str(data_root), "DASHBOARD_CHECK_SECONDS": "1",
               "DASHBOARD_CACHE": str(work / "cache")}
        with ServingStack(replicas=2, host="127.0.0.1", port=free_port(), prefix=work / "nginx",
                          releases_dir=data_root, replica_env=env) as stack:
            log = RequestLog()
            light = light_pages(stack.url)  # empty when nginx does not serve the light edition
            light_readers = plan.light_readers if light else 0
            readers = SimulatedReaders(stack.url, plan.readers, log, think_s=plan.think_s).start()
            static = LightReaders(light, light_readers, log).start()
            schedule = None
            try:
                wait_until_every_reader_served(log, plan.readers + light_readers, plan.warmup_timeout_s)
                actions = FaultActions(stack, data_root, staging, plan.release_source)
                schedule = FaultSchedule(plan.faults(actions, log.now), log).start()
                run_until = log.now() + plan.run_for_s

                def done() -> bool:
                    if not schedule.finished:
                        return False
                    last = max((e.done_at for e in log.events), default=0.0)
                    now = log.now()
                    if now < max(run_until, last + plan.after_last_fault_s):
                        return False
                    # A reader still waiting for its page (a restarted replica answers slowly at
                    # first) is given time to be served: the figures then say how long it took.
                    return log.readers() <= log.readers_with_an_ok_request(since=last) or \
                        now >= last + plan.served_again_timeout_s

                if browser is not None and plan.browsers:
                    run_browser_readers(browser, stack.url, plan.browsers, log, done, screenshots=screenshots)
                while not done():
                    time.sleep(0.2)
            finally:
                if schedule is not None:
                    schedule.cancel()
                    schedule.join(90)
                readers.stop()
                static.stop()
            if schedule.error is not None:
                raise RuntimeError(f"a fault could not be done: {schedule.error!r}") from schedule.error
            figures = summarise(log.snapshot(), log.events, log.now())
            for fault, figure in zip(sorted(log.events, key=lambda e: e.at), figures["events"]):
                if "ready_wall" in fault.extra:
                    figure["sent_to_replica_before_ready"] = sent_before_ready(
                        stack, fault.extra["address"], fault.extra["restarted_wall"], fault.extra["ready_wall"])
            figures["light_edition"] = {"served": bool(light), "pages": [u[len(stack.url):] for u in light]}
            figures["app_log"] = app_log_lines(stack)
            figures["nginx_upstream_errors"] = nginx_routed_around(stack)
    figures["plan"] = {**asdict(plan), "release_source": str(plan.release_source)}
    return FaultRun(figures, log)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fault_test", description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, help="simulated readers (default 30; --quick: 6)")
    parser.add_argument("--browsers", type=int, help="Chromium readers (default 2; --quick: 1; 0: none)")
    parser.add_argument("--quick", action="store_true", help="the short version the browser test runs (~40 s)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the figures (default {RESULTS})")
    parser.add_argument("--workdir", type=Path, help="keep the data root and the nginx and replica logs here "
                        "(default: a temp folder, removed at the end)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = QUICK if args.quick else FaultPlan()
    overrides = {k: v for k, v in (("readers", args.readers), ("browsers", args.browsers)) if v is not None}
    plan = FaultPlan(**{**asdict(plan), **overrides})
    if plan.browsers and Path("/usr/bin/chromium").exists():
        from playwright.sync_api import sync_playwright

        from bench.browser_metrics import launch_browser
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            try:
                figures = run_fault_test(plan, browser, args.workdir).figures
            finally:
                browser.close()
    else:
        if plan.browsers:
            print("no /usr/bin/chromium: running without browser readers", file=sys.stderr)
        figures = run_fault_test(FaultPlan(**{**asdict(plan), "browsers": 0}), None, args.workdir).figures
    args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(figures))
    print(f"\napp log: {len(figures['app_log'])} line(s) about a release that cannot be served"
          + (f"; first: {figures['app_log'][0][:220]}" if figures["app_log"] else ""))
    print(f"nginx: {figures['nginx_upstream_errors']} upstream connection error(s) routed to the other replica")
    if not figures["light_edition"]["served"]:
        print("light edition not served (nginx answers no /light/<lang>/index.html): no light-edition readers")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
