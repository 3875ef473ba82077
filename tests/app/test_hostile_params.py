"""Hostile query parameters: scripts, SQL fragments, path traversal, huge values and unicode tricks.

Every one must leave a working page with its default content and a friendly note saying which
parameter was ignored; none may reach the page as markup, nor stay in the URL.
"""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_pages import APP, TIMEOUT, assert_ok, run, texts

RTL_OVERRIDE, ZERO_WIDTH_SPACE = "\u202e", "\u200b"
CYRILLIC_A, CYRILLIC_E = "\u0430", "\u0435"  # look like Latin a and e

# (parameter, value): each value is not a valid choice and must be dropped with a note.
DROPPED = [
    pytest.param("year", "<script>alert(1)</script>", id="script"),
    pytest.param("service", "<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param("year", "2023 OR 1=1", id="sql-or"),
    pytest.param("year", "2023'; DROP TABLE results;--", id="sql-drop"),
    pytest.param("unit", "01 UNION SELECT password FROM users", id="sql-union"),
    pytest.param("release", "../../etc/passwd", id="traversal"),
    pytest.param("release", "sipas-published/../demo", id="traversal-inside"),
    pytest.param("unit", "..%2F..%2Fetc%2Fpasswd", id="traversal-encoded"),
    pytest.param("province", "/etc/passwd", id="absolute-path"),
    pytest.param("year", "9" * 100_000, id="huge-year"),
    pytest.param("units", ",".join(["01"] * 5_000), id="huge-list"),
    pytest.param("service", RTL_OVERRIDE + "nimda", id="rtl-override"),
    pytest.param("year", "2023" + ZERO_WIDTH_SPACE, id="zero-width"),
    pytest.param("year", "\uff12\uff10\uff12\uff13", id="fullwidth-digits"),
    pytest.param("service", CYRILLIC_A + "dmin", id="homoglyph-service"),
    pytest.param("lang", CYRILLIC_E + "n", id="homoglyph-lang"),
    pytest.param("level", "province\x00", id="nul-byte"),
    pytest.param("q", "<script>alert(1)</script>", id="search-script"),
    pytest.param("q", "H\u00e0 N\u1ed9i" + RTL_OVERRIDE, id="search-rtl"),
]

# ASCII look-alikes pass the character check; they must still be refused as "no such value".
LOOKALIKES = [
    pytest.param("year", "2O23", id="letter-O-for-zero"),
    pytest.param("release", "sipas-pub1ished", id="digit-1-for-l"),
    pytest.param("release", "..", id="dot-dot"),
]


def hostile_text_absent(at, value: str) -> None:
    """The value never reaches the page as text (it is neither markup nor echoed raw)."""
    body = texts(at) + "\n".join(e.value for e in at.error)
    for fragment in ("<script", "<img", RTL_OVERRIDE, ZERO_WIDTH_SPACE, "/etc/passwd", "DROP TABLE"):
        if fragment in value:
            assert fragment not in body, fragment


@pytest.mark.parametrize("param, value", DROPPED)
def test_hostile_value_is_dropped_with_a_note(param, value):
    at = run({param: value})
    assert_ok(at)
    notes = [i.value for i in at.info]
    assert any(f"“{param}”" in n for n in notes), notes  # the note names the ignored parameter
    assert at.metric, "the page still shows its default content"
    assert at.query_params.get(param) in (None, [], [None]) or value not in at.query_params[param]
    hostile_text_absent(at, value)


@pytest.mark.parametrize("param, value", LOOKALIKES)
def test_lookalike_value_falls_back_with_a_note(param, value):
    at = run({param: value})
    assert_ok(at)
    assert any(value in i.value for i in at.info), [i.value for i in at.info]
    assert at.metric


def test_notes_are_in_english_when_asked():
    at = run({"lang": "en", "year": "\uff12\uff10\uff12\uff13"})
    assert_ok(at)
    assert any("“year” parameter in the address is not valid" in i.value for i in at.info)


def test_many_hostile_params_at_once():
    params = {"year": "<script>", "service": "' OR ''='", "unit": "../../etc/passwd", "level": "x" * 70_000,
              "geo": "vn63" + ZERO_WIDTH_SPACE, "province": RTL_OVERRIDE + "01", "release": "../demo",
              "indicator": CYRILLIC_A + "ccess"}
    at = run(params)
    assert_ok(at)
    notes = "\n".join(i.value for i in at.info)
    for param in params:
        assert f"“{param}”" in notes, param
    assert at.metric
    for value in params.values():
        hostile_text_absent(at, value)


def test_foreign_and_embed_params_do_not_break_the_page():
    # Streamlit owns `embed`; a garbled value must not switch the chrome off or raise.
    at = run({"embed": "true<script>", "utm_source": "<script>alert(1)</script>"})
    assert_ok(at)
    assert "Sự hài lòng của người dân với dịch vụ công" in texts(at)
    assert "<script" not in texts(at)


@pytest.mark.parametrize("page", ["map", "services", "trends", "compare", "profile", "data", "methodology"])
def test_hostile_params_on_every_page(page):
    params = {"year": "\uff12\uff10\uff12\uff13", "service": RTL_OVERRIDE + "admin", "unit": "../../etc/passwd",
              "level": "<script>alert(1)</script>", "province": "1 OR 1=1", "geo": "vn63" + ZERO_WIDTH_SPACE,
              "indicator": "x" * 100_000, "q": "<img src=x onerror=alert(1)>"}
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    for key, value in params.items():  # a shared link straight to the page
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py").run()
    assert_ok(at)
    notes = "\n".join(i.value for i in at.info)
    for param in params:
        assert f"“{param}”" in notes, (param, notes)
    assert len(at.main.children) > 0
    body = texts(at)
    assert "<script" not in body and "<img" not in body and "/etc/passwd" not in body
    for param, value in params.items():
        assert value not in at.query_params.get(param, []), param
