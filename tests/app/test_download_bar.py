"""The download bar under AppTest: buttons, permalink, embed snippet, citation, and the clear
messages for an empty view and for a server without a browser (never a traceback)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parent / "download_bar_page.py")
TIMEOUT = 60


def run(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def buttons(at: AppTest) -> dict[str, object]:
    return {b.label: b for b in at.get("download_button")}


def codes(at: AppTest) -> str:
    return "\n".join(c.value for c in at.code)


def test_bar_has_five_downloads_permalink_embed_and_citation(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/usr/bin/chromium")
    monkeypatch.setenv("DASHBOARD_PUBLIC_URL", "https://dulieu.example.vn")
    at = run({"lang": "en"})
    found = buttons(at)
    assert list(found) == ["PNG image", "SVG image", "Data CSV", "Data XLSX", "Story pack (ZIP)"]
    text = codes(at)
    link = "https://dulieu.example.vn/compare?lang=en&release=demo&year=2024&service=admin"
    assert link in text
    assert f'<iframe src="{link.replace("&", "&amp;")}&amp;embed=true"' in text
    assert "@misc{demo_2026," in text and "[Data set – DEMO]" in text


def test_empty_view_says_nothing_to_export():
    at = run({"empty": "1"})
    assert not at.get("download_button")
    assert any("Không có gì để tải về" in i.value for i in at.info)


def test_without_a_browser_images_are_disabled_with_a_message(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = run({"lang": "en"})
    found = buttons(at)
    assert found["PNG image"].proto.disabled and found["SVG image"].proto.disabled
    assert not found["Data CSV"].proto.disabled and not found["Story pack (ZIP)"].proto.disabled
    assert any("cannot make PNG/SVG images" in c.value for c in at.caption)


def test_embed_mode_is_only_a_link_back():
    at = run({"as_embed": "true"})
    assert not at.get("download_button")
    links = [m.value for m in at.markdown if "embed=true" not in m.value and "compare?lang=vi" in m.value]
    assert links and "release=demo" in links[0]
