"""The app's "light version" links open the light edition's page for the view the reader is on, in
their language: overview -> index, a map or services page -> its service's page, a profile -> its
province's page (a district's province), anything the edition lacks -> the index; the footer says
where the edition lives; a release without an edition keeps the app's own light variant.

A throw-away data root: the real release published with its real light edition (current), the
DEMO release with a stand-in one (not current).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import paths
from dashboard.exports.map_geometry import STATIC_DIR
from dashboard.store import editions
from dashboard.store.publish import publish_release
from tests.app.test_pages import APP, TIMEOUT, assert_ok
from tests.edition_helpers import REAL_BUILDER, tiny_edition_builder

LINK = re.compile(r"\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("light-links") / "releases"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(editions, "_default_builder", tiny_edition_builder)
        publish_release(paths.RELEASES_DIR / "demo", root)
        patch.setattr(editions, "_default_builder", REAL_BUILDER)
        publish_release(paths.RELEASES_DIR / "sipas-published", root)
    return root


@pytest.fixture
def behind_nginx(root, monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DATA", str(root))
    monkeypatch.setenv("DASHBOARD_LIGHT_URL", "/light/")
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))


def light_link(params: dict[str, str], page: str | None = None) -> str:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert_ok(at)
    found = [LINK.search(m.value).group(1) for m in at.markdown if m.value.startswith(":material/speed:")]
    assert len(found) == 1, [m.value for m in at.markdown][:5]
    return found[0]


@pytest.mark.usefixtures("behind_nginx")
@pytest.mark.parametrize("params,page,expected", [
    ({}, None, "/light/vi/index.html"),
    ({"lang": "en"}, None, "/light/en/index.html"),
    ({"service": "policy", "lang": "en"}, "map", "/light/en/services/policy.html"),
    ({}, "map", "/light/vi/services/admin.html"),  # the map's default service
    ({"service": "health"}, "map", "/light/vi/index.html"),  # the edition has no page for it
    ({"unit": "10", "geo": "vn63", "level": "province"}, "profile", "/light/vi/provinces/lao-cai-vn63.html"),
    ({"unit": "084", "geo": "vn63", "level": "district", "lang": "en"}, "profile",
     "/light/en/provinces/lao-cai-vn63.html"),  # a district: its province's page
    ({}, "methodology", "/light/vi/methodology.html"),
    ({"release": "demo", "lang": "en"}, None, "/releases/demo/light/en/index.html"),  # not the current release
])
def test_light_link_opens_the_matching_page(params, page, expected, root):
    url = light_link(params, page)
    assert url == expected
    served = root / ".light" / ("current" if url.startswith("/light/") else "demo")
    assert (served / url.split("/light/", 1)[1]).is_file(), "the page exists in the edition nginx serves"


def test_footer_says_where_the_light_edition_lives(behind_nginx):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    assert any("Light edition for slow connections" in c.value and "/light/en/index.html" in c.value
               for c in at.caption)


def test_lite_true_reaching_the_app_points_to_the_edition_and_back(behind_nginx):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lite"] = "true"
    at.run()
    assert_ok(at)
    assert any("/light/vi/index.html" in m.value for m in at.markdown)
    back = [p for p in at.get("page_link") if "đầy đủ" in p.label]
    assert back and "lite" not in back[0].proto.query_string


def test_without_nginx_streamlit_serves_a_copy_of_the_edition(root, monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DATA", str(root))
    monkeypatch.delenv("DASHBOARD_LIGHT_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    url = light_link({"unit": "10", "geo": "vn63"}, "profile")
    assert url == "app/static/light/sipas-published/vi/provinces/lao-cai-vn63.html"
    assert (Path(STATIC_DIR) / url.removeprefix("app/static/")).is_file(), "Streamlit serves static/ at app/static/"


def test_a_release_without_an_edition_keeps_the_apps_light_variant(tmp_path, monkeypatch):
    bare = tmp_path / "bare"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(editions, "_default_builder", tiny_edition_builder)
        publish_release(paths.RELEASES_DIR / "sipas-published", bare)
    for link in ("current", "sipas-published"):
        (bare / ".light" / link).unlink()
    monkeypatch.setenv("DASHBOARD_DATA", str(bare))
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    assert_ok(at)
    links = [p for p in at.get("page_link") if "light version" in p.label.lower()]
    assert links and links[0].proto.query_string.endswith("lite=true")
    assert not any(m.value.startswith(":material/speed:") for m in at.markdown)
