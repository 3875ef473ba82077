"""Streamlit servers for the benchmark: the product, the naive baseline and the floor.

All three run with the settings of streamlit_config/config.toml (the flags `make run` passes),
each in its own process on a free loopback port, so they differ only in the page they serve.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard.launch import config_flags
from deploy.replicas import REPO_ROOT, free_port, wait_healthy

BENCH_DIR = Path(__file__).resolve().parent
APPS = {
    "product": REPO_ROOT / "replica.py",  # app.py's pages, as every replica serves them
    "baseline": BENCH_DIR / "baseline_app.py",
    "floor": BENCH_DIR / "floor_app.py",
    "floor_map": BENCH_DIR / "floor_map_app.py",
}


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class StreamlitServer:
    """`streamlit run APP` with the product's settings on 127.0.0.1; a context manager."""

    def __init__(self, app: str, extra_flags: tuple[str, ...] = ()) -> None:
        self.app = app
        self.port = free_port()
        self.extra_flags = extra_flags
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{app}-", suffix=".log", delete=False)  # noqa: SIM115

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> StreamlitServer:
        command = [sys.executable, "-m", "streamlit", "run", str(APPS[self.app]), *config_flags(),
                   f"--server.port={self.port}", "--server.address=127.0.0.1", *self.extra_flags]
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        if wait:
            wait_healthy(f"{self.url}/_stcore/health", process=self.process)
        return self

    def rss_mb(self) -> float:
        return rss_mb(self.process.pid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
