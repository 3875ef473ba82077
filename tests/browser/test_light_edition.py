"""The light edition as readers get it: through `make serve`'s nginx at /light/ (gzip, types, cache
and security headers, a 404 page in the reader's language and never a server error, `?lite=true`
sent to the matching page, a publish and a rollback switching it at once), and on a 390 x 844
phone (the answer and the first figure in the first screen, nothing cut off or scrolling sideways,
the map's provinces reachable with the keyboard).

Skipped without nginx or chromium locally; a failure on CI (CI=true).
"""
from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard import paths
from dashboard.publishing import editions
from dashboard.publishing.publish import publish_release, rollback_release
from deploy.replicas import free_port
from tests.browser.conftest import PHONE_AGENT, require_nginx, settle
from tests.edition_helpers import REAL_BUILDER, tiny_edition_builder
from tests.publish_helpers import make_release

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data_root(tmp_path_factory):
    """The real release (its real edition) published into a throw-away data root nginx can read."""
    work = tmp_path_factory.mktemp("light-serve")
    for folder in (work, *work.parents):
        if folder == Path("/tmp") or folder == Path("/"):
            break
        folder.chmod(folder.stat().st_mode | 0o755)  # nginx's workers run as nobody when started as root
    root = work / "releases"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(editions, "_default_builder", REAL_BUILDER)
        publish_release(paths.RELEASES_DIR / "sipas-published", root)
    return root


@pytest.fixture(scope="module")
def stack(data_root):
    require_nginx()
    from deploy.serve import ServingStack

    env = {"DASHBOARD_DATA": str(data_root), "DASHBOARD_CACHE": str(data_root.parent / "cache")}
    with ServingStack(replicas=1, host="127.0.0.1", port=free_port(), releases_dir=data_root,
                      prefix=data_root.parent / "nginx", replica_env=env) as running:
        yield running


def get(url: str, headers: dict[str, str] | None = None):
    """(status, headers, body as received) of a GET that does not follow redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def raw_status(stack, path: str) -> int:
    """The status of a request for `path` sent exactly as written (no client-side normalising)."""
    host, port = stack.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_light_pages_are_served_gzipped_with_their_type_and_a_strict_policy(stack):
    status, headers, body = get(stack.url + "/light/vi/index.html", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    import gzip

    page = gzip.decompress(body).decode("utf-8")
    assert '<html lang="vi">' in page and "data-first-figure" in page
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "style-src 'self'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "max-age=60" in headers["Cache-Control"]
    assert headers.get("Set-Cookie") is None, "the same page for everyone: no sticky-session cookie"
    sheet = re.search(r'href="(\.\./assets/style\.[0-9a-f]{10}\.css)"', page)[1]
    status, headers, _ = get(stack.url + "/light/vi/" + sheet, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"] and headers["Content-Encoding"] == "gzip"
    status, headers, _ = get(stack.url + "/light/data/releases/sipas-published/results.csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_the_light_root_offers_both_languages(stack):
    assert get(stack.url + "/light")[0] == 301
    status, _, body = get(stack.url + "/light/")
    assert status == 200 and b'href="vi/index.html"' in body and b'href="en/index.html"' in body


@pytest.mark.parametrize("path,lang", [("/light/vi/no-such-page.html", "vi"), ("/light/en/provinces/nowhere.html", "en"),
                                       ("/light/en/", "en"), ("/light/vi/services/", "vi"), ("/light/xyz", "vi"),
                                       ("/releases/sipas-published/light/en/nope.html", "en")])
def test_a_missing_light_page_is_a_404_in_the_readers_language(stack, path, lang):
    status, headers, body = get(stack.url + path)
    if path == "/light/en/":
        assert status == 200  # the folder's index page
        return
    page = body.decode("utf-8")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert f'<html lang="{lang}">' in page and f'href="/light/{lang}/index.html"' in page


@pytest.mark.parametrize("path", ["/light/../etc/passwd", "/light/%2e%2e/%2e%2e/etc/passwd", "/light/vi/%00",
                                  "/light/vi/..%2f..%2f..%2fetc/passwd", "/light/vi/index.html%00.png",
                                  "/releases/..%2f/light/x", "/light/en/" + "a" * 3000, "/light/vi/%ff%fe.html"])
def test_odd_light_addresses_never_get_a_server_error(stack, path):
    status = raw_status(stack, path)
    assert status < 500, (path, status)
    assert status != 200 or path == "/light/../etc/passwd", (path, status)  # that one is the app's page


@pytest.mark.parametrize("query,target", [
    ("/?lite=true", "/light/vi/index.html"),
    ("/map?lite=true&service=policy&lang=en", "/light/en/services/policy.html"),
    ("/trends?lite=true", "/light/vi/services/admin.html"),
    ("/profile?lite=true&unit=10&geo=vn63", "/light/vi/units/vn63-10.html"),
    ("/methodology?lite=true&lang=en", "/light/en/methodology.html"),
])
def test_lite_true_is_sent_to_the_matching_light_page(stack, query, target):
    status, headers, _ = get(stack.url + query)
    assert status == 302 and headers["Location"].endswith(target)
    status, _, body = get(stack.url + target)
    assert status == 200
    if "/units/" in target:  # a page by GSO code sends the reader on to the province's own page
        page = re.search(rb'url=\.\./(provinces/[a-z-]+-vn63\.html)', body)[1].decode()
        assert get(stack.url + "/light/vi/" + page)[0] == 200


def test_the_apps_page_says_where_the_light_version_is_while_it_loads(stack, browser):
    status, _, body = get(stack.url + "/map?lang=en")
    assert status == 200 and b'<a href="/light/en/services/admin.html">Slow connection?' in body
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(stack.url + "/?lang=en", timeout=60_000)
        settle(page)
        assert page.locator(".light-hint").count() == 0, "the app replaces the hint once it runs"
        assert page.locator("a[href*='/light/en/index.html']").count() >= 1, "the app's own light link"
        assert violations == [], violations
    finally:
        page.close()


def test_a_publish_and_a_rollback_switch_the_light_edition_at_once(stack, data_root, tmp_path, monkeypatch):
    monkeypatch.setattr(editions, "_default_builder", tiny_edition_builder)
    before = get(stack.url + "/light/en/index.html")[2]
    publish_release(make_release(tmp_path / "next", "light-next"), data_root)
    assert b"<title>light-next</title>" in get(stack.url + "/light/en/index.html")[2]
    rollback_release(data_root)
    assert get(stack.url + "/light/en/index.html")[2] == before


# --- on a phone -----------------------------------------------------------------------------------

PHONE_PAGES = ["vi/index.html", "en/services/admin.html", "vi/provinces/lao-cai-vn63.html",
               "en/provinces/ha-noi-vn34.html", "vi/services/health.html"]


@pytest.fixture
def phone(browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, user_agent=PHONE_AGENT, is_mobile=True,
                            has_touch=True)
    yield page
    page.close()


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_the_answer_and_the_first_figure_are_in_the_first_screen(light_site, phone, path):
    phone.goto(light_site + path, timeout=60_000)
    first = phone.locator("[data-first-figure]")
    assert first.count() == 1
    box = first.bounding_box()
    assert box is not None and box["y"] < 844 - 120, f"the first figure starts at {box and box['y']:.0f} px"
    lead = phone.locator("p.lead").first.bounding_box()
    assert lead["y"] + lead["height"] <= 844
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth]")
    assert max(widths) <= 390, f"the page is {widths} px wide on a 390 px phone"
    cut = phone.evaluate("""() => [...document.querySelectorAll('h1, h2, .sub, .cap, .src, .lead')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.slice(0, 60))""")
    assert cut == [], f"text cut off at 390 px: {cut}"


def test_the_maps_provinces_are_reachable_with_the_keyboard(light_site, phone):
    phone.goto(light_site + "vi/services/admin.html", timeout=60_000)
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "skip"  # the skip link comes first
    for _ in range(40):
        phone.keyboard.press("Tab")
        if phone.evaluate("!!document.activeElement.closest('svg.map')"):
            break
    else:
        pytest.fail("no province of the map can be reached with Tab")
    name = phone.evaluate("document.activeElement.querySelector('title').textContent")
    assert ":" in name  # "<province>: <value>" or "<province>: chưa công bố"
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/light/vi/provinces/[a-z-]+-vn34\.html$"), timeout=10_000)
