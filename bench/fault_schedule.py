"""The faults of the fault test, done at fixed times while readers read through nginx.

- `publish`: a new release (new id and version) is published with the real `publish` code;
  readers must switch to it without a failed request.
- `corrupt`: the current release's results file is cut in half in place; the app must keep
  serving the last good release (and log the problem) with no failed request.
- `kill`: one replica gets SIGKILL; nginx routes around it (proxy_next_upstream), and after the
  supervisor's poll interval (`deploy.serve` checks every 2 s) `restart_dead_replicas()` takes it
  out of nginx's upstream and starts it again; the event is over when the replica is ready
  (/readyz) and back in nginx's upstream.

Each fault is recorded in the `RequestLog` as a `FaultEvent` on the readers' clock.
"""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.fault_log import FaultEvent, RequestLog
from bench.fault_releases import corrupt_release, publish_copy
from deploy.replicas import wait_healthy
from deploy.serve import ServingStack

SUPERVISOR_POLL_S = 2.0  # deploy.serve's loop looks for dead replicas this often


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@dataclass(frozen=True)
class Fault:
    """A fault to do `at` seconds after the schedule starts."""

    at: float
    name: str
    action: Callable[[], tuple[str, str | None, dict]]  # -> (detail, release version after, extra)


class FaultActions:
    """The faults, bound to one serving stack and its data root."""

    def __init__(self, stack: ServingStack, data_root: Path, staging_dir: Path, source: Path) -> None:
        self.stack, self.data_root, self.staging_dir, self.source = stack, data_root, staging_dir, source

    def publish(self, release_id: str, version: str) -> Callable[[], tuple[str, str | None, dict]]:
        def act():
            outcome = publish_copy(self.staging_dir, self.data_root, release_id, version, self.source)
            return (f"published {release_id} (version {version}); was {outcome.previous}", version,
                    {"release_id": release_id, "previous": outcome.previous})
        return act

    def corrupt(self, release_id: str, last_good_version: str) -> Callable[[], tuple[str, str | None, dict]]:
        def act():
            damaged = corrupt_release(self.data_root, release_id)
            return (f"truncated {release_id}/{damaged.name} to half its size in place", last_good_version,
                    {"release_id": release_id, "file": str(damaged)})
        return act

    def kill_and_restart(self, index: int, clock: Callable[[], float]) -> Callable[[], tuple[str, str | None, dict]]:
        def act():
            replica = self.stack.replicas[index]
            replica.process.send_signal(signal.SIGKILL)
            replica.process.wait(timeout=10)
            killed_at = clock()
            time.sleep(SUPERVISOR_POLL_S)
            restarted_wall = time.time()  # nginx's access log is on the wall clock
            restarted = self.stack.restart_dead_replicas()
            restarted_at = clock()
            wait_healthy(replica.ready_url, timeout_s=60, process=replica.process)
            healthy_at = clock()  # ready: serves a release it has opened and validated
            ready_wall = time.time()
            rejoined = wait_until(lambda: replica.address not in self.stack.down, timeout_s=10)
            return (f"SIGKILL to replica {index + 1} (port {replica.port}); restarted after {SUPERVISOR_POLL_S:.0f} s",
                    None, {"port": replica.port, "killed_at": round(killed_at, 2),
                           "restarted_at": round(restarted_at, 2), "healthy_at": round(healthy_at, 2),
                           "back_in_nginx": rejoined, "restarted": [r.port for r in restarted],
                           "address": replica.address, "restarted_wall": restarted_wall, "ready_wall": ready_wall})
        return act


class FaultSchedule:
    """Runs faults on a thread, each at its time plus the time the earlier faults took; `join()`
    waits for the last one."""

    def __init__(self, faults: list[Fault], log: RequestLog) -> None:
        self.faults = sorted(faults, key=lambda f: f.at)
        self.log = log
        self.error: BaseException | None = None
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-schedule", daemon=True)
        self._origin = 0.0

    def start(self) -> FaultSchedule:
        self._origin = self.log.now()
        self._thread.start()
        return self

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive()

    def cancel(self) -> None:
        self._cancel.set()

    def join(self, timeout_s: float | None = None) -> None:
        self._thread.join(timeout_s)

    def _run(self) -> None:
        # A fault that takes long (a publish validates the release, slow on a busy machine) moves
        # the later ones back by as much, so readers always get the planned time between faults.
        slip = 0.0
        try:
            for fault in self.faults:
                wait = self._origin + fault.at + slip - self.log.now()
                if self._cancel.wait(max(0.0, wait)):
                    return
                at = self.log.now()
                detail, release_after, extra = fault.action()
                slip += self.log.now() - at
                self.log.add_event(FaultEvent(fault.name, round(at, 2), round(self.log.now(), 2), detail,
                                              release_after, extra))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, which reports it
            self.error = exc
