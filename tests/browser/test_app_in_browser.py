"""The app in a real browser: every page loads without an error box, the map really draws.

Starts the app the way `make run` does (`python -m dashboard.launch`, PORT set) and drives
Debian's Chromium with Playwright. Screenshots at 1280 and 390 px go to tests/artifacts/.
Skipped without /usr/bin/chromium, except on CI (CI=true), where that is a failure.
"""
from __future__ import annotations

import io
import time

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE_AGENT, settle

SLUGS = ["", "map", "services", "trends", "compare", "profile", "data", "methodology"]

pytestmark = pytest.mark.browser


def shoot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main element, so grow the viewport to it."""
    size = page.viewport_size
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 8000)})
    time.sleep(1)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def test_deep_link_as_the_first_request_after_start(base_url, browser):
    """A link from an article (/compare?...) may be the first request a fresh server sees."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{base_url}/compare?release=demo&level=district&province=10", timeout=60_000)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "/compare" in page.url
        assert "DEMO" in page.locator('[data-testid="stMain"]').inner_text()
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_page_loads_without_error(base_url, browser, slug, width):
    page = browser.new_page(viewport={"width": width, "height": 900}, user_agent=PHONE_AGENT if width < 500 else None)
    try:
        page.goto(f"{base_url}/{slug}", timeout=60_000)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stMain"]').inner_text().strip()
        shoot(page, f"{slug or 'overview'}-{width}")
    finally:
        page.close()


def _map_pixels_drawn(page) -> int:
    """Distinct colours in the map's screenshot: a blank canvas has one or two."""
    from PIL import Image

    canvas = page.locator(".js-plotly-plot .maplibregl-canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    time.sleep(2)  # MapLibre draws on the next animation frames
    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB").resize((120, 120))
    return len(image.getcolors(maxcolors=120 * 120) or [])


@pytest.mark.parametrize("query", ["release=demo&year=2024", "year=2023", "release=demo&level=district&province=10"])
def test_map_really_draws(base_url, browser, query):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.goto(f"{base_url}/map?{query}", timeout=60_000)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator(".maplibregl-canvas").count() >= 1
        assert _map_pixels_drawn(page) > 5, "the map canvas is blank"
        shoot(page, f"map-drawn-{query.replace('&', '_').replace('=', '-')}")
    finally:
        page.close()


def test_language_and_params_survive_navigation(base_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{base_url}/map?lang=en&release=demo&year=2023&service=health", timeout=60_000)
        settle(page)
        page.locator('[data-testid="stSidebar"] a', has_text="Trends").click()
        settle(page)
        assert "/trends" in page.url
        for part in ("lang=en", "release=demo", "service=health"):
            assert part in page.url
        assert "Satisfaction index" in page.content() or "Overall index" in page.content()
        page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
        page.reload()
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "service=health" in page.url
    finally:
        page.close()


def test_embed_shows_only_the_map_its_source_and_a_link_back(base_url, browser):
    page = browser.new_page(viewport={"width": 700, "height": 900})
    try:
        page.goto(f"{base_url}/map?embed=true&release=demo&year=2024&lang=en", timeout=60_000)
        settle(page)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert page.locator('[data-testid="stSidebar"] a').count() == 0, "no navigation in an embed"
        assert page.locator('[data-testid="stSelectbox"]').count() == 0, "no pickers in an embed"
        assert page.locator('[data-testid="stDownloadButton"]').count() == 0
        assert "DEMO" in main and _map_pixels_drawn(page) > 5
        back = page.get_by_role("link", name="See the full view, the data and the sources")
        assert "/map?" in back.get_attribute("href") and "embed" not in back.get_attribute("href")
        shoot(page, "embed-map")
    finally:
        page.close()
