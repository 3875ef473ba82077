"""The answer first: each page's one-sentence answer and its chart or map open the first screen.

On a phone (390 × 844, a phone's User-Agent: the app lays pages out by it) and on a laptop
(1280 × 800), right after the page has loaded, the page's lead sentence (`render_lead`, keyed
`page_lead`) lies wholly inside the viewport and its first chart or map starts inside it with at
least `MIN_VISIBLE_PX` of it showing. The controls that used to come first stay reachable but
compact: on a phone the pickers sit behind one "change" button that opens them, and the language
and release switches share one row with the title. Screenshots of each first screen go to
tests/artifacts/first-screen/.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE_AGENT, settle

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
MIN_VISIBLE_PX = 200  # of the first figure, or all of it if it is shorter
FIGURE = '[data-testid="stPlotlyChart"]'
LEAD = ".st-key-page_lead"
SHOTS = ARTIFACTS / "first-screen"

# (page and query, language) for the pages whose answer is a chart or a map.
WITH_FIGURE = [("", "vi"), ("", "en"), ("map", "vi"), ("map", "en"), ("map?release=demo&year=2024", "vi"),
               ("services", "vi"), ("trends", "en"), ("compare?release=demo", "vi"), ("?release=demo", "en")]
# Pages whose answer is a sentence and a table (the profile's chart is its history, further down).
LEAD_ONLY = ["profile", "data", "methodology"]


def open_page(browser, base_url: str, path: str, lang: str, screen: str):
    context = browser.new_context(viewport=SCREENS[screen], user_agent=PHONE_AGENT if screen == "phone" else None,
                                  is_mobile=screen == "phone", has_touch=screen == "phone")
    page = context.new_page()
    join = "&" if "?" in path else "?"
    page.goto(f"{base_url}/{path}{join}lang={lang}", timeout=60_000)
    settle(page)
    return context, page


def top_and_height(page, selector: str) -> tuple[float, float]:
    """Where the first element matching `selector` is, relative to the viewport, at no scroll."""
    element = page.locator(selector).first
    element.wait_for(state="visible", timeout=30_000)
    box = element.bounding_box()
    assert box is not None, f"{selector} is not laid out"
    return box["y"], box["height"]


def comes_first(page, first: str, then: str) -> bool:
    """True when the first `first` element precedes the first `then` element in the document
    (reading order; on a laptop the map page shows them side by side)."""
    return page.evaluate("""([a, b]) => !!(document.querySelector(a).compareDocumentPosition(
        document.querySelector(b)) & Node.DOCUMENT_POSITION_FOLLOWING)""", [first, then])


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))  # the viewport only: exactly the first screen


def name_of(path: str, lang: str, screen: str) -> str:
    path = "overview" + path if not path or path.startswith("?") else path
    return f"{path.replace('?', '-').replace('&', '-').replace('=', '-')}-{lang}-{screen}"


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("path, lang", WITH_FIGURE)
def test_the_answer_and_its_figure_are_in_the_first_screen(base_url, browser, path, lang, screen):
    context, page = open_page(browser, base_url, path, lang, screen)
    try:
        height = SCREENS[screen]["height"]
        shoot(page, name_of(path, lang, screen))
        assert page.locator('[data-testid="stException"]').count() == 0
        lead_top, lead_height = top_and_height(page, LEAD)
        assert 0 <= lead_top and lead_top + lead_height <= height, \
            f"the lead sentence spans {lead_top:.0f}–{lead_top + lead_height:.0f} px of a {height} px screen"
        figure_top, figure_height = top_and_height(page, FIGURE)
        visible = min(MIN_VISIBLE_PX, figure_height)
        assert comes_first(page, LEAD, FIGURE), "a screen reader reads the sentence before the figure"
        assert figure_top + visible <= height, \
            f"the first figure starts at {figure_top:.0f} px: less than {visible:.0f} px of it in a {height} px screen"
    finally:
        context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("slug", LEAD_ONLY)
def test_the_answer_is_in_the_first_screen(base_url, browser, slug, screen):
    context, page = open_page(browser, base_url, slug, "vi", screen)
    try:
        shoot(page, name_of(slug, "vi", screen))
        lead_top, lead_height = top_and_height(page, LEAD)
        assert 0 <= lead_top and lead_top + lead_height <= SCREENS[screen]["height"]
    finally:
        context.close()


def test_on_a_phone_the_pickers_wait_behind_one_change_button(base_url, browser):
    context, page = open_page(browser, base_url, "map?release=demo", "en", "phone")
    try:
        lead_top, _ = top_and_height(page, LEAD)
        above = [box for box in (s.bounding_box() for s in page.locator('[data-testid="stSelectbox"]').all())
                 if box is not None and box["y"] < lead_top]
        assert above == [], "no full-width picker before the answer on a phone"
        page.get_by_role("button", name="Change what is shown").click()
        year = page.locator('[data-testid="stSelectbox"]').filter(has_text="Year").first
        year.wait_for(state="visible", timeout=10_000)
        year.click()
        page.get_by_role("option", name="2023", exact=True).click()
        settle(page)
        assert "year=2023" in page.url, "the choice made behind the button is in the address"
        assert "2023" in page.locator(LEAD).inner_text()
    finally:
        context.close()


def test_on_a_phone_language_and_release_switches_stay_one_tap_away(base_url, browser):
    context, page = open_page(browser, base_url, "map", "vi", "phone")
    try:
        header_top, header_height = top_and_height(page, ".st-key-page_header")
        assert header_top + header_height < top_and_height(page, LEAD)[0]
        page.locator(".st-key-page_header").get_by_role("radio", name="English").click()
        settle(page)
        assert "lang=en" in page.url
        page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
        page.locator(".st-key-page_header").get_by_role("button", name="Real figures").click()
        page.get_by_role("radio", name="DEMO (simulated)").click()
        settle(page)
        assert "release=demo" in page.url
        assert "DEMO" in page.locator('[data-testid="stMain"]').inner_text()
    finally:
        context.close()
