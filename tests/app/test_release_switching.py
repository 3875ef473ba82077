"""The app on a data root: it follows `current` without a restart, keeps the last good release with
a discreet notice when the current one breaks, and shows names from a release as text only."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.publishing.publish import publish_release, rollback_release
from tests.app.test_pages import APP, TIMEOUT, assert_ok, texts
from tests.edition_helpers import fast_editions  # noqa: F401 - fixture (tiny light editions)
from tests.publish_helpers import make_release

pytestmark = pytest.mark.usefixtures("fast_editions")

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
STALE_EN = "The newest data release could not be opened"


def hostile_descriptor_fields() -> dict:
    return {
        "title_en": f"Results {SCRIPT}", "title": f"Kết quả {SCRIPT}",
        "sources": [{"id": "s1", "title": f"Ministry {SCRIPT}",
                     "path": "https://example.org/a) [x](javascript:alert(1)"},
                    {"id": "s2", "title": f"Department {IMG}", "path": "https://example.org/ok"}],
        "notes": [{"note_id": "n1", "kind": "caveat", "year": 2023, "service": "admin",
                   "text_vi": f"Ghi chú {IMG}", "text_en": f"Note {IMG} [click](javascript:alert(1))"}],
    }


@pytest.fixture
def root(tmp_path, monkeypatch):
    root = tmp_path / "releases"
    publish_release(make_release(tmp_path / "src" / "r1", "r1", demo=False, **hostile_descriptor_fields()), root)
    monkeypatch.setenv("DASHBOARD_DATA", str(root))
    monkeypatch.setenv("DASHBOARD_CHECK_SECONDS", "0")  # look for a new release on every run
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))  # the app's private copies
    return root


def app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in {"lang": "en", **(params or {})}.items():
        at.query_params[key] = value
    return at


def release_line(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Release:"))


# Markup that would be live in st.markdown: a tag or a link whose opening character is not escaped
# (links to http(s) addresses and the app's own links to the light edition are meant).
LIVE_MARKUP = re.compile(r"(?<!\\)<(script|img|iframe|a |svg)|(?<!\\)\]\((?!https?://|app/static/light/|/light/)")


def live_markup(text: str) -> list[str]:
    return [m.group(0) for m in LIVE_MARKUP.finditer(text)]


def all_text(at: AppTest) -> str:
    """Every text element as sent to the browser, escapes kept (AppTest's lists include expanders' content)."""
    kinds = ("markdown", "caption", "info", "warning", "error", "subheader", "header")
    return "\n".join([*(el.value for kind in kinds for el in getattr(at, kind)), *(e.label for e in at.expander)])


def test_names_from_a_release_are_text_not_markup(root):
    at = app({"year": "2023"})
    at.run()
    assert_ok(at)
    body = all_text(at)
    assert live_markup(body) == []
    assert "Results \\<script\\>alert\\(1\\)\\</script\\>" in release_line(at), "the title is shown, escaped"
    assert "Ministry \\<script\\>" in body, "source titles are shown, as text"
    assert "Note \\<img" in body, "notes are shown, as text"


def test_source_links_only_for_plain_http_addresses(root):
    at = app({"year": "2023"})
    at.run()
    at.switch_page("pages/data.py").run()
    assert_ok(at)
    line = next(c.value for c in at.caption if c.value.startswith("Source:"))
    assert "[Department \\<img src=x onerror=alert\\(1\\)\\>](https://example.org/ok)" in line
    assert "](https://example.org/a)" not in line and "Ministry \\<script" in line  # odd address: no link
    assert live_markup(line) == []


def test_chart_text_from_a_release_is_escaped(root):
    at = app({"service": "admin", "indicator": "index"})
    at.run()
    at.switch_page("pages/trends.py").run()
    assert_ok(at)
    charts = at.get("plotly_chart")
    assert charts, "the trends page draws a chart"
    figure = json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)  # undo JSON's \\u003c escapes
    assert "Results &lt;script&gt;alert(1)&lt;/script&gt;" in figure  # the release title in the source line
    assert "<script" not in figure


def test_follows_a_new_current_release_without_a_restart(root, tmp_path):
    at = app()
    at.run()
    assert "r1" not in release_line(at) and "Results" in release_line(at)
    publish_release(make_release(tmp_path / "src" / "r2", "r2", version="2.0.0", demo=False,
                                 title_en="Survey 2025"), root)
    at.run()  # the same session, next interaction
    assert_ok(at)
    assert "Survey 2025" in release_line(at) and "2.0.0" in release_line(at).replace("\\", "")
    assert STALE_EN not in texts(at)
    rollback_release(root)
    at.run()
    assert "Results" in release_line(at)


def test_keeps_the_last_good_release_with_a_discreet_notice(root, tmp_path, caplog):
    publish_release(make_release(tmp_path / "src" / "r2", "r2", version="2.0.0", demo=False,
                                 title_en="Survey 2025"), root)
    at = app()
    at.run()
    assert "Survey 2025" in release_line(at)
    (root / "r2" / "results.parquet").write_text("year,value\n2025,80\n", encoding="utf-8")  # overwritten by hand
    at.run()
    assert_ok(at)
    assert "Survey 2025" in release_line(at), "still the last good release"
    assert at.metric, "with its figures"
    notice = [c.value for c in at.caption if STALE_EN in c.value]
    assert notice and "r2" in notice[0]
    assert not [w for w in at.warning if STALE_EN in w.value] and not at.error, "discreet: a caption only"
    assert any("cannot be served" in r.getMessage() and str(root / "r2") in r.getMessage() for r in caplog.records)

    shutil.rmtree(root / "r2")  # deleted altogether
    at.run()
    assert_ok(at)
    assert "Survey 2025" in release_line(at)


def test_notice_in_vietnamese(root, tmp_path):
    at = app({"lang": "vi"})
    at.run()
    (root / "current").write_text("not a pointer", encoding="utf-8")
    at.run()
    assert_ok(at)
    assert any("Chưa mở được bản phát hành dữ liệu mới nhất" in c.value for c in at.caption)


def test_older_releases_stay_available_by_id(root, tmp_path):
    publish_release(make_release(tmp_path / "src" / "r2", "r2", version="2.0.0", demo=False,
                                 title_en="Survey 2025"), root)
    at = app({"release": "r1"})
    at.run()
    assert_ok(at)
    assert "Results" in release_line(at)
    assert at.query_params["release"] == ["r1"] or at.query_params["release"] == "r1"


def test_an_older_release_damaged_after_it_was_opened_still_shows(root, tmp_path):
    publish_release(make_release(tmp_path / "src" / "r2", "r2", version="2.0.0", demo=False,
                                 title_en="Survey 2025"), root)
    at = app({"release": "r1"})
    at.run()
    assert "Results" in release_line(at)
    (root / "r1" / "results.parquet").write_bytes(b"PK\x03\x04 overwritten by hand")
    at.run()
    assert_ok(at)
    assert "Results" in release_line(at) and at.metric


def test_an_older_release_broken_before_it_was_opened_is_not_offered(root, tmp_path):
    publish_release(make_release(tmp_path / "src" / "r2", "r2", version="2.0.0", demo=False,
                                 title_en="Survey 2025"), root)
    (root / "r1" / "results.parquet").unlink()
    at = app({"release": "r1"})
    at.run()
    assert_ok(at)
    assert "Survey 2025" in release_line(at)
    assert any("“r1”" in i.value for i in at.info), "a note says the asked-for release is not available"


def test_an_older_release_that_breaks_while_listed_gives_way_to_the_current_one(root, tmp_path, caplog):
    from dashboard.ui import cached

    publish_release(make_release(tmp_path / "src" / "r2", "r2", version="2.0.0", demo=False,
                                 title_en="Survey 2025"), root)
    at = app({"release": "r1"})
    at.run()
    assert "Results" in release_line(at)
    (root / "r1" / "results.parquet").write_text("<html>gone</html>", encoding="utf-8")
    cached._opened_release.clear()  # as when its cache entry expires
    at.run()
    assert_ok(at)
    assert "Survey 2025" in release_line(at)
    assert any("Could not open the release “r1”" in i.value for i in at.info)
    assert "release" not in at.query_params
    assert any("r1" in r.getMessage() and "cannot be opened" in r.getMessage() for r in caplog.records)


@pytest.fixture
def many(tmp_path, monkeypatch):
    """A data root that has served a demo, then r1, r2 and r3 (current), in that order."""
    root = tmp_path / "many"
    for release_id, demo in [("d", True), ("r1", False), ("r2", False), ("r3", False)]:
        publish_release(make_release(tmp_path / "src" / release_id, release_id, demo=demo), root)
    monkeypatch.setenv("DASHBOARD_DATA", str(root))
    monkeypatch.setenv("DASHBOARD_CHECK_SECONDS", "0")
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    return root


def switch_options(at: AppTest) -> list[str]:
    switch = next(w for w in at.get("button_group") if w.key == "_w_release")
    return [option.content for option in switch.proto.options]


def test_the_switch_offers_the_current_release_the_previous_one_and_the_demo(many):
    """Publishing keeps every release: the switch stays three long, the others are a link away."""
    at = app()
    at.run()
    assert_ok(at)
    assert switch_options(at) == ["Release r3", "Release r2", "Release d"]
    at.switch_page("pages/methodology.py").run()
    assert_ok(at)
    links = {p.label: p.proto.query_string for p in at.get("page_link") if p.label.startswith("Open release")}
    assert set(links) == {"Open release d", "Open release r1", "Open release r2"}, "every release but the one shown"
    assert "release=r1" in links["Open release r1"] and "lang=en" in links["Open release r1"]


def test_an_older_release_not_in_the_switch_opens_by_its_address(many):
    at = app({"release": "r1"})
    at.run()
    assert_ok(at)
    assert "Release r1" in release_line(at)
    assert "Release r1" in switch_options(at), "the release shown is in the switch while it is shown"
    assert not at.info or not any("r1" in i.value for i in at.info), "no note: r1 is a published release"
