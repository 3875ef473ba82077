"""`make serve`'s topology on loopback: two replicas behind nginx, driven through nginx only.

Checks what publication day relies on: pages load through the proxy with the security headers,
the map still draws with the Content-Security-Policy in force (and the browser reports no CSP
violation), the websocket goes through nginx, static files are gzipped and cached, release files
are served with caching and CORS, sessions are sticky, and the replicas listen on loopback only.
Skipped without nginx or chromium locally; a failure on CI (CI=true), where .ci/run installs both.
"""
from __future__ import annotations

import gzip
import json
import re
import time
import urllib.request
from pathlib import Path

import pytest

from deploy.nginx_config import STICKY_COOKIE
from deploy.replicas import free_port
from tests.browser.conftest import require_nginx

MAP = "/map?release=demo&year=2024"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stack():
    require_nginx()
    from deploy.serve import ServingStack

    with ServingStack(replicas=2, host="127.0.0.1", port=free_port()) as running:
        yield running


def get(url: str, headers: dict[str, str] | None = None):
    """(status, headers, body) of a GET, body as received (not decompressed)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def csp(headers) -> dict[str, list[str]]:
    policy = headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_health_check_through_nginx_says_a_replica_is_ready(stack):
    status, headers, body = get(stack.url + "/healthz")
    assert status == 200
    answer = json.loads(body)
    assert answer["ready"] is True and answer["release"] == "sipas-published" and answer["version"]
    assert "no-store" in headers["Cache-Control"]


def test_every_replica_is_ready_with_the_release_it_serves(stack):
    for replica in stack.replicas:
        status, _, body = get(replica.ready_url)
        assert status == 200 and json.loads(body)["release"] == "sipas-published"


def test_a_replica_without_a_release_is_alive_but_not_ready(tmp_path):
    """Liveness and readiness differ: with nothing to serve, the process answers its health check
    but never says it is ready, so no orchestrator or nginx sends it readers."""
    from deploy.replicas import Replica, replica_command, wait_healthy

    empty = tmp_path / "no-releases"
    empty.mkdir()
    replica = Replica(free_port(), tmp_path / "replica.log", replica_command(),
                      {"DASHBOARD_DATA": str(empty), "DASHBOARD_CACHE": str(tmp_path / "cache")})
    replica.start()
    try:
        wait_healthy(replica.health_url, timeout_s=90, process=replica.process)
        status, _, body = get(replica.ready_url)
        assert status == 503 and json.loads(body) == {"ready": False, "release": None, "version": None,
                                                      "stale": True}
    finally:
        replica.stop()


def test_pages_carry_the_security_headers(stack):
    status, headers, _ = get(stack.url + MAP)
    assert status == 200
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert csp(headers)["frame-ancestors"] == ["'self'"]
    assert headers["Server"] == "nginx"  # no version


def test_embeds_may_be_framed_by_other_sites(stack):
    _, headers, _ = get(stack.url + MAP + "&embed=true")
    assert csp(headers)["frame-ancestors"] == ["*"]
    assert headers.get("X-Frame-Options") is None


def test_first_response_sets_the_sticky_cookie(stack):
    _, headers, _ = get(stack.url + "/")
    cookies = headers.get_all("Set-Cookie") or []
    assert any(c.startswith(f"{STICKY_COOKIE}=") and "httponly" in c.lower() for c in cookies)


def test_streamlit_bundles_are_gzipped_and_cached_for_a_year(stack):
    _, _, html = get(stack.url + "/")
    script = re.search(rb'src="\./(static/js/[^"]+\.js)"', html)[1].decode()
    status, headers, body = get(f"{stack.url}/{script}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body)  # really gzip
    assert "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]


def test_release_files_are_served_with_caching_and_cors(stack):
    status, headers, body = get(stack.url + "/releases/demo/datapackage.json")
    assert status == 200
    assert json.loads(body)["id"] == "demo"
    assert "max-age=" in headers["Cache-Control"]
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, _, _ = get(stack.url + "/releases/demo/results.parquet")
    assert status == 200
    for hidden in ("/releases/.staging/datapackage.json", "/releases/demo/notes.txt"):
        assert get(stack.url + hidden)[0] == 404


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_replicas_listen_on_loopback_only(stack):
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
    for replica in stack.replicas:
        addresses = _listening_addresses(replica.port)
        assert addresses and addresses <= loopback, (replica.port, addresses)


def _map_colours(page) -> int:
    import io

    from PIL import Image

    canvas = page.locator(".js-plotly-plot .maplibregl-canvas").first
    canvas.wait_for(state="visible", timeout=60_000)
    time.sleep(2)  # MapLibre draws on the next animation frames
    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB").resize((120, 120))
    return len(image.getcolors(maxcolors=120 * 120) or [])


@pytest.mark.parametrize("query", [MAP, MAP + "&embed=true&lang=en"])
def test_map_draws_through_nginx_with_the_csp_in_force(stack, browser, query):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    violations, sockets = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("websocket", lambda ws: sockets.append(ws))
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => console.error('Content Security Policy violation: ' + e.violatedDirective))")
    try:
        response = page.goto(stack.url + query, timeout=60_000)
        assert response.header_value("content-security-policy")
        assert _map_colours(page) > 5, "the map canvas is blank behind nginx"
        assert page.locator('[data-testid="stException"]').count() == 0
        assert any(ws.url.startswith(stack.url.replace("http", "ws")) and ws.url.endswith("/_stcore/stream")
                   for ws in sockets)
        expected = "en" if "lang=en" in query else "vi"
        page.wait_for_function(f"document.documentElement.lang === '{expected}'", timeout=10_000)
        time.sleep(1)
        assert violations == [], violations
    finally:
        page.close()
