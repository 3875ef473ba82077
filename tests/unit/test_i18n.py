"""The message catalogue is complete in both languages, and numbers/dates follow each language."""
from __future__ import annotations

import re
import unicodedata

import pytest

from dashboard.i18n import LANGS, fmt_date, fmt_number, fmt_pct, fmt_signed, service_name, t
from dashboard.i18n.messages import MESSAGES
from dashboard.i18n.methodology import methodology_sections

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    pair = MESSAGES[key]
    assert len(pair) == len(LANGS) == 2
    vi, en = pair
    assert vi.strip() and en.strip(), f"{key} is empty in a language"
    assert set(PLACEHOLDER.findall(vi)) == set(PLACEHOLDER.findall(en)), key


def test_texts_are_nfc():
    for vi, _en in MESSAGES.values():
        assert unicodedata.normalize("NFC", vi) == vi
    for lang in ("vi", "en"):
        for title, body in methodology_sections(lang):
            assert unicodedata.normalize("NFC", title + body) == title + body


def test_keys_used_in_code_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    used = set()
    for folder in ("pages", "dashboard"):  # every t("...") call, wherever it is
        for path in (root / folder).rglob("*.py"):
            used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']""", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in MESSAGES)
    assert not missing, missing


def test_number_formats():
    assert fmt_number(1234.5, "vi", 1) == "1.234,5"
    assert fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_pct(82.66, "vi") == "82,66%"
    assert fmt_pct(None, "en") == "–"
    assert fmt_signed(-0.5, "en") == "−0.50"
    assert fmt_signed(2.58, "vi") == "+2,58"


def test_dates_and_names():
    assert fmt_date("2025-04-06", "en") == "6 April 2025"
    assert "2025" in fmt_date("2025-04-06", "vi") and "4" in fmt_date("2025-04-06", "vi")
    assert service_name("health", "vi") == "Khám, chữa bệnh"
    assert t("page.map", "en") == "Map"


def test_changelog_lines_in_both_languages():
    from dashboard.i18n import changelog_line

    change = {"version": "1.1.0", "date": "2026-11-23", "text_vi": "Thêm số liệu 2024.", "text_en": "Added 2024."}
    assert changelog_line(change, "vi") == "1.1.0 (23 tháng 11, 2026): Thêm số liệu 2024."
    assert changelog_line(change, "en") == "1.1.0 (23 November 2026): Added 2024."
    assert changelog_line("plain text", "en") == "plain text"
