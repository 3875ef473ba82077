"""Accessibility in a real browser: axe-core on every page in both languages (and on the light
edition's pages), the page language a screen reader gets, phones at 360 px, and the keyboard.

axe-core runs in Debian's Chromium through axe-playwright-python. Zero serious or critical
violations are allowed; minor and moderate ones are printed so they stay visible.
"""
from __future__ import annotations

import time

import pytest

from tests.browser.conftest import PHONE_AGENT, settle

SLUGS = ["", "map", "services", "trends", "compare", "profile", "data", "methodology"]
BLOCKING = ("serious", "critical")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def scan(page, axe, url: str) -> list[dict]:
    page.goto(url, timeout=60_000)
    settle(page)
    time.sleep(0.5)
    violations = axe.run(page).response["violations"]
    for v in violations:
        print(f"\n{url}: {v['id']} [{v['impact']}] x{len(v['nodes'])}: {v['help']}")
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']} at {[n['target'] for n in v['nodes'][:3]]}: {v['nodes'][0]['failureSummary']}"
                     for v in violations)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("slug", SLUGS)
def test_axe_finds_no_serious_violation(base_url, page, axe, slug, lang):
    blocking = scan(page, axe, f"{base_url}/{slug}?lang={lang}")
    assert not blocking, describe(blocking)
    # What a screen reader announces the page as: its real language, not Streamlit's "en".
    assert page.evaluate("document.documentElement.lang") == lang


@pytest.mark.parametrize("query", ["map?release=demo&year=2024", "compare?release=demo&level=district&province=10",
                                   "trends?release=demo&geo=vn34&units=VN,15", "map?release=demo&lite=true"])
def test_axe_on_the_demo_release_and_the_light_version(base_url, page, axe, query):
    blocking = scan(page, axe, f"{base_url}/{query}")
    assert not blocking, describe(blocking)


@pytest.mark.parametrize("slug", SLUGS)
def test_phones_never_scroll_sideways(base_url, browser, slug):
    phone = browser.new_page(viewport={"width": 360, "height": 780}, user_agent=PHONE_AGENT)
    try:
        phone.goto(f"{base_url}/{slug}?release=demo", timeout=60_000)
        settle(phone)
        widths = phone.evaluate("""() => [document.documentElement.scrollWidth,
            (document.querySelector('[data-testid="stMain"]') || document.body).scrollWidth]""")
        assert max(widths) <= 361, f"the page is {widths} px wide on a 360 px phone"
    finally:
        phone.close()


def test_the_year_can_be_changed_with_the_keyboard_alone(base_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{base_url}/map?release=demo&lang=en", timeout=60_000)
        settle(page)
        for _ in range(60):  # Tab through the page until the year picker has the focus
            page.keyboard.press("Tab")
            label = page.evaluate("document.activeElement && document.activeElement.getAttribute('aria-label')")
            if label and label.startswith("Selected 20") or (label or "").startswith("Year"):
                break
        else:
            pytest.fail("the year picker cannot be reached with Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
        ring = page.evaluate("""() => { let e = document.activeElement;
            for (let i = 0; i < 4 && e; i++, e = e.parentElement) {
              const s = getComputedStyle(e);
              if (parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== 'none'
                  || s.borderColor.includes('11, 83, 148')) return true; }
            return false; }""")
        assert ring or float(outline.replace("px", "") or 0) >= 2, "the focused control shows a visible focus"
        page.keyboard.type("2022")
        page.keyboard.press("Enter")
        settle(page)
        assert "year=2022" in page.url
    finally:
        page.close()


LIGHT_PAGES = ["index.html", "vi/index.html", "en/index.html", "vi/services/admin.html", "en/services/health.html",
               "vi/provinces/lao-cai-vn63.html", "en/provinces/ha-noi-vn34.html", "vi/provinces/ha-giang-vn63.html",
               "vi/methodology.html", "en/data.html", "en/404.html", "vi/404.html"]


@pytest.mark.parametrize("path", LIGHT_PAGES)
def test_axe_on_the_light_edition(light_site, page, axe, path):
    page.goto(light_site + path, timeout=60_000)
    violations = axe.run(page).response["violations"]
    for v in violations:
        print(f"\n{path}: {v['id']} [{v['impact']}] x{len(v['nodes'])}: {v['help']}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    lang = path.split("/")[0] if "/" in path else "vi"
    assert page.evaluate("document.documentElement.lang") == lang  # in the served HTML, not set by a script
