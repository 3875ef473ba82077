"""Light editions in tests that are about something else: a builder that writes a whole (tiny)
edition in milliseconds instead of the real three seconds, so publish tests stay fast. The tests
of the edition itself (tests/unit/test_static_site.py, test_light_svg.py, the edition tests of
test_publish.py) use the real builder."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.i18n import LANGS
from dashboard.publishing import editions
from dashboard.static_site.build import EDITION_FORMAT, MARKER

REAL_BUILDER = editions._default_builder


def tiny_edition_builder(source: Path, out: Path) -> None:
    """An index page per language and the marker: all that publishing an edition checks."""
    release_id = json.loads((Path(source) / "datapackage.json").read_text(encoding="utf-8"))["id"]
    for lang in LANGS:
        (out / lang).mkdir(parents=True, exist_ok=True)
        (out / lang / "index.html").write_text(f'<!doctype html><html lang="{lang}"><title>{release_id}</title>',
                                               encoding="utf-8")
    (out / MARKER).write_text(f"{release_id}\n{EDITION_FORMAT}\n", encoding="utf-8")


@pytest.fixture
def fast_editions(monkeypatch):
    monkeypatch.setattr(editions, "_default_builder", tiny_edition_builder)


@pytest.fixture
def real_editions(monkeypatch):
    monkeypatch.setattr(editions, "_default_builder", REAL_BUILDER)
