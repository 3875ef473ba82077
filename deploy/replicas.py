"""Streamlit replicas of the dashboard, each bound to 127.0.0.1 on its own port.

Each replica is started the way `make run` starts the app (`python -m dashboard.launch`, so the
settings of streamlit_config/config.toml are in force) plus flags that only make sense behind
the proxy: bind to loopback (nginx is the only way in) and compress websocket messages.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
HEALTH_PATH = "/_stcore/health"  # the process answers (liveness)
READY_PATH = "/readyz"  # it serves a release it has opened and validated (replica.py; readiness)
# Behind nginx: reachable from loopback only; permessage-deflate shrinks the figures' JSON on the
# websocket several times (nginx passes the extension through; gzip cannot touch websocket frames).
# No forced full garbage collection after every script run (runner.postScriptGC): py-spy found it
# was 38% of the server's time on reruns (map page rerun 155 -> 102 ms median); Python's own
# generational GC still runs, and RSS with 50 sessions stayed the same (bench/, make bench).
REPLICA_FLAGS = ("--server.address=127.0.0.1", "--server.enableWebsocketCompression=true",
                 "--runner.postScriptGC=false")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    """True when `url` answers 200 (Streamlit's /_stcore/health, nginx's /healthz)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own loopback addresses
            return response.status == 200
    except OSError:
        return False


def wait_healthy(url: str, timeout_s: float = 90, process: subprocess.Popen | None = None) -> None:
    """Block until `url` is healthy; raises RuntimeError on timeout or if `process` exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} was healthy")
        if is_healthy(url):
            return
        time.sleep(0.3)
    raise RuntimeError(f"{url} not healthy within {timeout_s:.0f} s")


def replica_command(extra_flags: tuple[str, ...] = REPLICA_FLAGS) -> list[str]:
    """The command of one replica (its port comes from the PORT environment variable)."""
    return [sys.executable, "-m", "dashboard.launch", *extra_flags]


@dataclass
class Replica:
    """One Streamlit process and where its output goes."""

    port: int
    log_path: Path
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def health_url(self) -> str:
        return f"http://{self.address}{HEALTH_PATH}"

    @property
    def ready_url(self) -> str:
        return f"http://{self.address}{READY_PATH}"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                            env={**os.environ, **self.env, "PORT": str(self.port)})

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout_s: float = 10) -> None:
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout_s)


def make_replicas(count: int, log_dir: Path, command: list[str] | None = None,
                  env: dict[str, str] | None = None) -> list[Replica]:
    """`count` replicas on free loopback ports (not started yet)."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return [Replica(port, log_dir / f"replica-{i + 1}-{port}.log", command or replica_command(), dict(env or {}))
            for i, port in enumerate(ports)]
