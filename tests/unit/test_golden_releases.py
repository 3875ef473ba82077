"""Releases published under contract v1 must stay readable and valid for every later version.

`tests/fixtures/golden-v1/` is frozen: the real release as published at contract 1 (v1.1.0 of its
data) and a slice of the DEMO release of the same date (ranks with tie groups, changes with only
`significant`, zero-width intervals that v1 allowed). Never rebuild these files: if a change of
code makes them invalid or unreadable, the change is wrong (or needs a migration, written down).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.content.compare import ranked_table, with_ranks
from dashboard.content.comparisons import change_rows, movers
from dashboard.content.overview import summary_sentences
from dashboard.release.contract import method_breaks
from dashboard.release.read import load_notes, load_results, load_table, open_release
from dashboard.release.validate import validate_release

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden-v1"
FOLDERS = sorted(p.name for p in GOLDEN.iterdir())


def test_the_golden_releases_are_contract_1():
    assert FOLDERS == ["demo-slice", "sipas-published"]
    for name in FOLDERS:
        assert json.loads((GOLDEN / name / "datapackage.json").read_text(encoding="utf-8"))["contract_version"] == "1"


@pytest.mark.parametrize("name", FOLDERS)
def test_a_v1_release_still_validates(name):
    report = validate_release(GOLDEN / name)
    assert report.valid, report.format_text()


@pytest.mark.parametrize("name", FOLDERS)
def test_a_v1_release_still_reads_and_its_pages_still_say_something(name):
    release = open_release(GOLDEN / name)
    results = load_results(release)
    changes = load_table(release, "changes")
    breaks = method_breaks(load_notes(release))
    assert len(results) and breaks  # the 2022 break (real) or the 2025 reform (demo), from the notes
    latest = int(results["year"].max())
    sentences = summary_sentences(results[results["indicator"] == "index"], latest, "en", release.demo,
                                  lambda geo, code: code, changes, breaks)
    assert sentences and sentences[0].startswith(f"In {latest}")
    rows = change_rows(results[results["unit_code"] == "VN"], changes, breaks)
    assert set(rows["verdict"]) <= {"untested", "noise", "alone", "break", "reform", "vs_harmonised",
                                    "clear_up", "clear_down"}
    assert movers(results[results["indicator"] == "index"], changes, latest)["tested"] is False  # v1: no q-values


def test_v1_ranks_show_their_ranges_without_inventing_new_columns():
    release = open_release(GOLDEN / "demo-slice")
    figures = load_results(release, year=2024, level="province", service="admin", indicator="index",
                           geo_version="vn63")
    ranks = load_table(release, "ranks", year=2024, level="province", service="admin", indicator="index")
    table = ranked_table(with_ranks(figures.assign(name=figures["unit_code"]), ranks), "en")
    assert "Rank (95% range) / places" in table.columns and "Could be first / last" not in table.columns
