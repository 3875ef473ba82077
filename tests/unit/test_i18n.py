"""The message catalogues (gettext .po) are complete in both languages, plural forms are right, and
numbers/dates follow each language."""
from __future__ import annotations

import re
import string
import tomllib
import unicodedata
from fnmatch import fnmatch
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dashboard.i18n import LANGS, catalogue_path, fmt_date, fmt_number, fmt_pct, fmt_signed, message_keys, service_name, t
from dashboard.i18n.methodology import methodology_sections

ROOT = Path(__file__).resolve().parents[2]
COUNTS = re.compile(r"plural: counts \{(\w+)\}")


def _read(lang: str):
    """The catalogue as babel reads it, independently of the loader under test."""
    with catalogue_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


PO = {lang: _read(lang) for lang in LANGS}
MSGS = {lang: {(m.id[0] if m.pluralizable else m.id): m for m in PO[lang] if m.id} for lang in LANGS}
KEYS = sorted(MSGS["vi"])
PLURAL_KEYS = sorted(k for k, m in MSGS["en"].items() if m.pluralizable)


def forms(msg) -> tuple[str, ...]:
    return tuple(msg.string) if msg.pluralizable else (msg.string,)


def placeholders(text: str) -> set[str]:
    """Names of the `{placeholders}` of a message (a stray brace raises ValueError)."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_catalogue_headers():
    assert str(PO["vi"].locale) == "vi" and str(PO["en"].locale) == "en"
    assert (PO["vi"].num_plurals, PO["vi"].plural_expr) == (1, "0")
    assert (PO["en"].num_plurals, PO["en"].plural_expr) == (2, "(n != 1)")
    for lang in LANGS:
        raw = catalogue_path(lang).read_bytes()
        text = raw.decode("utf-8")  # strict: the files are UTF-8
        assert f'"Language: {lang}\\n"' in text and '"Content-Type: text/plain; charset=utf-8\\n"' in text
        assert "EMAIL@ADDRESS" not in text and "YEAR-MO-DA" not in text, "placeholders left in the header"
        assert not PO[lang].fuzzy


def test_both_languages_have_the_same_keys():
    assert len(KEYS) > 400
    assert set(MSGS["vi"]) == set(MSGS["en"])
    assert message_keys("vi") == message_keys("en") == set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_every_form_of_every_message_has_the_same_placeholders(key):
    vi, en = MSGS["vi"][key], MSGS["en"][key]
    assert vi.pluralizable == en.pluralizable, key
    if vi.pluralizable:
        assert vi.id == en.id == (key, key + "|plural")
    names = placeholders(forms(vi)[0])
    for lang, msg in (("vi", vi), ("en", en)):
        assert len(forms(msg)) == (PO[lang].num_plurals if msg.pluralizable else 1), (key, lang)
        for text in forms(msg):
            assert text.strip(), f"{key} is empty in {lang}"
            assert placeholders(text) == names, (key, lang, text)


def test_texts_are_nfc_and_keep_their_diacritics():
    for lang in LANGS:
        for key, msg in MSGS[lang].items():
            for text in forms(msg):
                assert unicodedata.is_normalized("NFC", text), (lang, key)
    assert t("app.title", "vi") == "Sự hài lòng của người dân với dịch vụ công"
    assert t("page.profile", "vi") == "Hồ sơ địa phương"
    for lang in ("vi", "en"):
        for title, body in methodology_sections(lang):
            assert unicodedata.normalize("NFC", title + body) == title + body


def test_plural_messages_name_their_count_and_differ_in_english():
    assert {"dl.rows", "footer.sources_count", "export.readme.low_n", "export.readme.suppressed",
            "export.readme.provisional", "lead.compare_could_be_first", "pf.lead_ranks"} <= set(PLURAL_KEYS)
    for key in PLURAL_KEYS:
        vi, en = MSGS["vi"][key], MSGS["en"][key]
        counted = [m.group(1) for c in en.auto_comments if (m := COUNTS.search(c))]
        assert len(counted) == 1, f"{key}: no '#. plural: counts {{name}}' comment"
        assert counted[0] in placeholders(en.string[0]), key
        assert [m.group(1) for c in vi.auto_comments if (m := COUNTS.search(c))] == counted, key
        one, other = en.string
        assert one != other, f"{key}: the English singular is the plural"


def _dummy_values(key: str) -> dict[str, str]:
    return {name: f"<{name}>" for name in placeholders(forms(MSGS["en"][key])[-1])}


@pytest.mark.parametrize("key", PLURAL_KEYS)
def test_plural_form_follows_the_count(key):
    values = _dummy_values(key)
    one, other = MSGS["en"][key].string
    assert t(key, "en", count=1, **values) == one.format(**values)
    assert t(key, "en", count=0, **values) == other.format(**values)
    assert t(key, "en", count=2, **values) == other.format(**values)
    assert t(key, "en", count=21, **values) == other.format(**values)
    (only,) = MSGS["vi"][key].string
    for n in (0, 1, 2, 5):
        assert t(key, "vi", count=n, **values) == only.format(**values)
    assert t(key, "en", **values) == other.format(**values), "without a count: the general form"


def test_count_fills_its_placeholder():
    assert t("dl.rows", "en", count=1) == "1 row"
    assert t("dl.rows", "en", count=2) == "2 rows"
    assert t("dl.rows", "en", count=0) == "0 rows"
    assert t("dl.rows", "vi", count=1) == "1 dòng" and t("dl.rows", "vi", count=2) == "2 dòng"
    assert t("dl.rows", "en", count=1234, rows=fmt_number(1234, "en", 0)) == "1,234 rows"  # a formatted number wins
    assert t("export.readme.low_n", "en", count=1, low_n=50).startswith("1 figure rests on fewer than 50 respondents")
    assert t("export.readme.low_n", "en", count=3, low_n=50).startswith("3 figures rest on fewer than 50 respondents")
    assert t("map.counts", "en", count=1, total=63, missing=62) == "1 of 63 places has a figure; 62 not published."
    assert t("map.counts", "en", count=5, total=63, missing=58) == "5 of 63 places have a figure; 58 not published."
    assert t("page.map", "en", count=3) == "Map", "a count does not change a message without plural forms"


def test_missing_key_raises():
    for lang in ("vi", "en", "fr"):
        with pytest.raises(KeyError):
            t("no.such.message", lang)
    with pytest.raises(KeyError):
        t("dl.rows|plural", "en", count=2)  # the msgid_plural is not a key


def test_keys_used_in_code_exist_and_plural_calls_pass_a_count():
    call = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']""")
    used, without_count = set(), []
    paths = [ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "dashboard").rglob("*.py")]
    assert len(paths) > 50
    for path in paths:
        source = path.read_text(encoding="utf-8")
        for match in call.finditer(source):
            used.add(match.group(1))
            if match.group(1) in PLURAL_KEYS:
                depth, end = 0, match.start() + 1
                for end in range(match.start() + 1, len(source)):
                    depth += {"(": 1, ")": -1}.get(source[end], 0)
                    if depth == 0:
                        break
                if "count=" not in source[match.start():end]:
                    without_count.append(f"{path.relative_to(ROOT)}: {match.group(1)}")
    assert len(used) > 200
    missing = sorted(used - set(KEYS))
    assert not missing, missing
    assert not without_count, without_count


def test_catalogues_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["dashboard"]
    for lang in LANGS:
        relative = catalogue_path(lang).relative_to(ROOT / "dashboard").as_posix()
        assert any(fnmatch(relative, pattern) for pattern in patterns), relative
    assert not (ROOT / "dashboard" / "i18n" / "messages.py").exists(), "the messages live in the .po files only"


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
