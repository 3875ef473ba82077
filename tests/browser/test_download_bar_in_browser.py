"""The download bar in a real browser: each button delivers its file.

Serves the test page `tests/app/download_bar_page.py` with the app's Streamlit settings and clicks
PNG, SVG, CSV, XLSX and the story pack; the files must arrive and be what they claim to be.
Skipped without /usr/bin/chromium, except on CI (CI=true), where that is a failure.
"""
from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from dashboard.launch import config_flags

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "tests" / "app" / "download_bar_page.py"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: install it (apt-get install chromium)")
    pytest.skip("no /usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def bar_url():
    _require_chromium()
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "download-bar-server.log", "w")  # noqa: SIM115 - closed at teardown
    env = {**os.environ, "BROWSER_PATH": str(CHROMIUM), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(PAGE), *config_flags(),
                             f"--server.port={port}"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("the test page did not become healthy within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_every_download_button_delivers_its_file(bar_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        page.goto(f"{bar_url}/?lang=en")
        page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=60_000)
        files = {}
        for label in ("PNG image", "SVG image", "Data CSV", "Data XLSX", "Story pack (ZIP)"):
            button = page.get_by_role("button", name=label)
            started = time.perf_counter()
            with page.expect_download(timeout=60_000) as info:
                button.click()
            download = info.value
            files[label] = (download.suggested_filename, Path(download.path()).read_bytes())
            print(f"\n{label}: {download.suggested_filename} in {time.perf_counter() - started:.2f} s")
        page.screenshot(path=str(ARTIFACTS / "download-bar.png"), full_page=True)
        browser.close()
    name, png = files["PNG image"]
    assert name == "lao-cai-va-dak-lak-2024.png" and png.startswith(b"\x89PNG")
    from PIL import Image

    assert Image.open(io.BytesIO(png)).width >= 1600
    assert b"<svg" in files["SVG image"][1][:200]
    assert files["Data CSV"][1].startswith("\ufeff".encode()) and "Đắk Lắk".encode() in files["Data CSV"][1]
    assert files["Data XLSX"][1].startswith(b"PK")
    names = zipfile.ZipFile(io.BytesIO(files["Story pack (ZIP)"][1])).namelist()
    assert {"README.txt", "lao-cai-va-dak-lak-2024.png", "lao-cai-va-dak-lak-2024.csv", "citation.bib"} <= set(names)
