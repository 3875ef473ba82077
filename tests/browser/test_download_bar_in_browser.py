"""The download bar in a real browser: each button delivers its file; link, embed and cite open on demand.

Serves the test page `tests/app/download_bar_page.py` with the app's Streamlit settings and clicks
PNG, SVG, CSV, XLSX and the story pack; the files must arrive and be what they claim to be.
Skipped without /usr/bin/chromium, except on CI (CI=true), where that is a failure.
"""
from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

import pytest

from dashboard.launch import config_flags
from tests.browser.conftest import ARTIFACTS, CHROMIUM, ROOT, require, streamlit_server

PAGE = ROOT / "tests" / "app" / "download_bar_page.py"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bar_url():
    require("/usr/bin/chromium", CHROMIUM.exists())
    command = [sys.executable, "-m", "streamlit", "run", str(PAGE), *config_flags(), "--server.port={port}"]
    with streamlit_server(command, "download-bar-server.log") as url:
        yield url


def test_every_download_button_delivers_its_file(bar_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    try:
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
    finally:
        page.close()
    name, png = files["PNG image"]
    assert name == "lao-cai-va-dak-lak-2024.png" and png.startswith(b"\x89PNG")
    from PIL import Image

    assert Image.open(io.BytesIO(png)).width >= 1600
    assert b"<svg" in files["SVG image"][1][:200]
    assert files["Data CSV"][1].startswith("\ufeff".encode()) and "Đắk Lắk".encode() in files["Data CSV"][1]
    assert files["Data XLSX"][1].startswith(b"PK")
    names = zipfile.ZipFile(io.BytesIO(files["Story pack (ZIP)"][1])).namelist()
    assert {"README.txt", "lao-cai-va-dak-lak-2024.png", "lao-cai-va-dak-lak-2024.csv", "citation.bib"} <= set(names)


def test_link_embed_and_cite_open_on_demand(bar_url, browser):
    # Their code boxes are drawn only when a reader opens them (a page load pays nothing for them).
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.goto(f"{bar_url}/?lang=en")
        page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=60_000)
        assert page.locator('[data-testid="stCode"]').count() == 0
        shown = {}
        for label in ("Link", "Embed", "Cite"):
            page.get_by_role("button", name=label).click()
            code = page.locator('[data-testid="stCode"]').first
            code.wait_for(timeout=10_000)
            shown[label] = " ".join(page.locator('[data-testid="stCode"]').all_inner_texts())
            page.keyboard.press("Escape")
            page.locator('[data-testid="stCode"]').first.wait_for(state="detached", timeout=10_000)
    finally:
        page.close()
    assert "lang=en" in shown["Link"] and "release=" in shown["Link"]
    assert "<iframe" in shown["Embed"] and "embed=true" in shown["Embed"]
    assert "@misc{" in shown["Cite"], shown["Cite"]
