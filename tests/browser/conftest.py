"""Shared pieces of the browser tier: one Playwright session for the whole run, app servers.

Playwright's sync API allows one running session per process, so every browser test file uses
the session-wide `browser` fixture here instead of starting its own. Chromium is Debian's
(/usr/bin/chromium); without it the tests skip locally and fail under CI (tests/ci.py).
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ci import require as require_input

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


# A phone's browser: the app lays maps and captions out for 360 px when the User-Agent says so.
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0 Mobile Safari/537.36")


def require(what: str, present: bool) -> None:
    """Skip without `what` locally; under CI the skip fails the run (tests/conftest.py)."""
    require_input(what, present)


def require_nginx() -> None:
    """Skip without Debian's nginx locally; a failure on CI."""
    from deploy.nginx_config import NginxMissing, find_nginx

    try:
        find_nginx()
    except NginxMissing:
        require("nginx", False)



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(command: list[str], log_name: str, env: dict[str, str] | None = None):
    """Start a Streamlit server (command gets PORT in its env), wait for health, yield its URL."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / log_name, "w") as log:
        full_env = {**os.environ, "PORT": str(port), "BROWSER_PATH": str(CHROMIUM), "PYTHONPATH": str(ROOT),
                    **(env or {})}
        proc = subprocess.Popen([part.replace("{port}", str(port)) for part in command], cwd=ROOT, env=full_env,
                                stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 90
            while time.time() < deadline:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.5)
            else:
                pytest.fail(f"the server ({log_name}) did not become healthy within 90 s")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def browser():
    require("/usr/bin/chromium", CHROMIUM.exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def base_url():
    """The app as `make run` serves it (python -m dashboard.launch)."""
    require("/usr/bin/chromium", CHROMIUM.exists())
    with streamlit_server([sys.executable, "-m", "dashboard.launch"], "server.log") as url:
        yield url


def settle(page, timeout_s: float = 45) -> None:
    """Wait until Streamlit has finished running the script and the page stops changing."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_s * 1000)
    deadline, stable, last = time.time() + timeout_s, 0, None
    while time.time() < deadline and stable < 3:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        size = len(page.content())
        stable = stable + 1 if (not running and size == last) else 0
        last = size
        time.sleep(0.3)


@pytest.fixture(scope="session")
def light_site(tmp_path_factory):
    """The DEMO release's light edition, built once and served by a plain static web server at
    `<url>/light/` (where nginx serves it), so its 404 pages' links resolve too."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from dashboard import paths
    from dashboard.static_site.build import export_static

    require("/usr/bin/chromium", CHROMIUM.exists())
    out = tmp_path_factory.mktemp("light-site")
    export_static(paths.RELEASES_DIR / "demo", out / "light", tables="light")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/light/"
    finally:
        server.shutdown()
        server.server_close()
