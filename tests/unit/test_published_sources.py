"""The real release's source files: merged, checked row by row, refused with file and line.

Every bad-input test breaks one rule in one row of an otherwise valid file, runs the publisher's
command against an already published release and asserts: exit 1, the message names the file
and the line, nothing new is written and the published release is byte for byte the same.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import paths
from dashboard.build.published import build_real_release, default_figure_files
from dashboard.build.published_sources import FIGURE_COLUMNS
from dashboard.cli import main
from dashboard.release import contract as C
from dashboard.release.read import load_notes, load_results, load_table, open_release

PUBLISHED = paths.SOURCES_DIR / "published"
UNCERTAIN = paths.SOURCES_DIR / "sipas_found_2026-11_uncertain.csv"
GOOD = {"year": "2023", "geo_version": "vn63", "level": "province", "unit_code": "62", "unit_name_vi": "Kon Tum",
        "service": "admin", "indicator": "index", "value": "82.10", "rank": "35",
        "source_url": "https://snv.kontum.gov.vn/pages/detail/11383", "source_note": "Sở Nội vụ Kon Tum"}
COLUMNS = [*FIGURE_COLUMNS, "survey", "status"]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


def read_source(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Path:
    """The real release built from the committed source files."""
    return build_real_release(None, tmp_path_factory.mktemp("real") / "sipas-published")


@pytest.fixture
def published(tmp_path, real) -> Path:
    """A copy of the real release standing for the one the site serves."""
    return Path(shutil.copytree(real, tmp_path / "site" / "sipas-published"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def refused(tmp_path, published, files: list[Path], capsys) -> str:
    """Run `real` on `files` into the published release: it must refuse and touch nothing."""
    before = snapshot(published)
    args = ["real", "-o", str(published)]
    for f in files:
        args += ["--csv", str(f)]
    assert main(args) == 1
    assert snapshot(published) == before, "the published release changed"
    assert not [p for p in published.parent.iterdir() if p.name.startswith(".")], "a staging folder was left"
    return capsys.readouterr().err


# --- bad input: one rule, one row, file and line ----------------------------------------------

BAD_ROWS = {
    "unknown code": ({"unit_code": "03"}, "unknown code '03'"),
    "value above 100": ({"value": "182.10"}, "outside 0–100"),
    "value not a number": ({"value": "82,10%"}, "not a number"),
    "year before 2015": ({"year": "2014"}, "before 2015"),
    "rank above 63": ({"rank": "64"}, "above the 63 provinces"),
    "empty source url": ({"source_url": ""}, "empty source_url"),
    "name of another place": ({"unit_name_vi": "Gia Lai"}, "is not the name of 62"),
    "unknown survey": ({"survey": "pci-2023"}, "survey 'pci-2023' is not defined"),
    "unknown status": ({"status": "maybe"}, "status 'maybe'"),
    "nothing published": ({"value": "", "rank": ""}, "neither a value nor a rank"),
    "district without its survey": ({"level": "district", "unit_code": "084", "unit_name_vi": "Si Ma Cai", "rank": "1"},
                                    "publishes no district figures"),
    "survey of another province": ({"level": "district", "unit_code": "084", "unit_name_vi": "Si Ma Cai", "rank": "1",
                                    "survey": "angiang-2021"}, "not in province 89"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_refused_with_its_file_and_line(case, tmp_path, published, capsys):
    change, message = BAD_ROWS[case]
    bad_row = {**GOOD, "year": "2022", "value": "78.39", "rank": "42", **change}
    bad = write_csv(tmp_path / "new_figures.csv", [GOOD, bad_row])
    err = refused(tmp_path, published, [bad], capsys)
    lines = [line for line in err.splitlines() if ".csv:" in line]
    assert len(lines) == 1, err  # the one broken rule, nothing else
    assert lines[0].startswith(f"{bad}:3: ") or "new_figures.csv:3: " in lines[0], lines[0]
    assert message in lines[0] and "; " in lines[0], lines[0]  # file:line: what is wrong; how to fix
    assert "Traceback" not in err and "Nothing was written" in err


def test_a_duplicate_key_is_refused_with_both_places(tmp_path, published, capsys):
    again = write_csv(tmp_path / "again.csv", [{**GOOD, "value": "82.20"}])  # Kon Tum 2023 is in sipas_found_2026-11.csv
    err = refused(tmp_path, published, [*default_figure_files(), again], capsys)
    line = next(line for line in err.splitlines() if "given twice" in line)
    found = read_source(PUBLISHED / "sipas_found_2026-11.csv")
    first = found.index[(found["unit_code"] == "62") & (found["year"] == "2023") & (found["service"] == "admin")][0] + 2
    assert line.startswith(str(again)) or "again.csv:2:" in line
    assert f"sipas_found_2026-11.csv:{first}" in line and "82.1" in line and "82.2" in line, line


def test_the_same_figure_twice_is_refused_too(tmp_path, published, capsys):
    twice = write_csv(tmp_path / "twice.csv", [GOOD, GOOD])
    err = refused(tmp_path, published, [twice], capsys)
    assert "twice.csv:3:" in err and "given twice (also" in err


def test_a_file_with_a_missing_column_is_refused_at_line_1(tmp_path, published, capsys):
    bad = tmp_path / "short.csv"
    bad.write_text("year,value\n2023,80\n", encoding="utf-8")
    assert "short.csv:1: missing column(s)" in refused(tmp_path, published, [bad], capsys)


def test_a_file_not_in_utf8_is_refused_with_the_line_of_the_bad_byte(tmp_path, published, capsys):
    bad = tmp_path / "cp1258.csv"
    write_csv(bad, [GOOD, {**GOOD, "year": "2022", "value": "78.39"}])
    text = bad.read_text(encoding="utf-8")
    bad.write_bytes(text.encode("utf-8").replace("Sở".encode(), b"S\xf4", 1))
    assert "cp1258.csv:2: not UTF-8" in refused(tmp_path, published, [bad], capsys)


def test_every_problem_is_reported_in_one_run(tmp_path, published, capsys):
    bad = write_csv(tmp_path / "many.csv", [{**GOOD, "year": "2014"}, {**GOOD, "year": "2022", "rank": "99"},
                                            {**GOOD, "year": "2021", "source_url": ""}])
    err = refused(tmp_path, published, [bad], capsys)
    assert all(f"many.csv:{n}:" in err for n in (2, 3, 4)), err


# --- conflicts: one published, the other a note -----------------------------------------------

def test_a_conflict_marked_published_and_superseded_becomes_a_note(tmp_path):
    kept = {**GOOD, "status": "published"}
    other = {**GOOD, "value": "81.90", "rank": "", "source_url": "https://example.org/other", "status": "superseded"}
    out = build_real_release([write_csv(tmp_path / "a.csv", [kept]), write_csv(tmp_path / "b.csv", [other])],
                             tmp_path / "rel")
    release = open_release(out)
    results = load_results(release)
    assert results["value"].tolist() == [82.10]
    note = load_notes(release).set_index("note_id").loc["conflict-2023-62-admin-index"]
    assert "81.90%" in note["text_en"] and "82.10%" in note["text_en"] and "81,90%" in note["text_vi"]
    assert "example.org" in note["text_en"] and "snv.kontum.gov.vn" in note["text_en"]  # both sources named
    assert release.sources[note["source_id"]]["path"] == "https://example.org/other"


def test_a_superseded_figure_needs_a_published_one(tmp_path, published, capsys):
    alone = write_csv(tmp_path / "alone.csv", [{**GOOD, "status": "superseded"}])
    assert "alone.csv:2: a superseded figure with no published figure" in refused(tmp_path, published, [alone], capsys)


def test_a_conflict_without_saying_which_is_published_is_refused(tmp_path, published, capsys):
    rows = [GOOD, {**GOOD, "value": "81.90", "status": "superseded"}]  # the first does not say `published`
    assert "given twice" in refused(tmp_path, published, [write_csv(tmp_path / "c.csv", rows)], capsys)


# --- what the committed sources give --------------------------------------------------------

def committed_rows() -> pd.DataFrame:
    frames = [read_source(f).assign(_file=f.name) for f in default_figure_files()]
    rows = pd.concat(frames, ignore_index=True)
    return rows[rows["status"].fillna("") != "superseded"]


def test_every_figure_and_rank_of_the_sources_is_in_the_release(real):
    release = open_release(real)
    results = load_results(release).set_index(list(C.RESULT_KEY))
    ranks = load_table(release, "published_ranks").set_index(list(C.RESULT_KEY))
    rows = committed_rows()
    for _, row in rows.iterrows():
        key = (int(row["year"]), row["geo_version"], row["level"], row["unit_code"], row["service"], row["indicator"])
        if row["value"]:
            assert results.loc[key, "value"] == pytest.approx(float(row["value"])), key
            assert release.sources[results.loc[key, "source_id"]]["path"] == row["source_url"], key
        else:
            assert key not in results.index, f"a rank-only row became a figure: {key}"
        if row["rank"]:
            assert int(ranks.loc[key, "rank"]) == int(row["rank"]), key
    assert len(results) == (rows["value"] != "").sum() and len(ranks) == (rows["rank"] != "").sum()


def test_district_rows_carry_their_own_survey_and_province(real):
    release = open_release(real)
    districts = load_results(release, level="district")
    surveys = {s["id"]: s for s in release.descriptor["surveys"]}
    assert set(districts["survey_id"]) == {"laocai-2023", "angiang-2021", "hanoi-2022", "cantho-2024"}
    for _, row in districts.iterrows():
        assert row["parent_code"] == surveys[row["survey_id"]]["province_code"], row.to_dict()
    assert set(load_results(release, level=["national", "province"])["survey_id"]) == {"sipas"}
    caveats = load_notes(release).query("note_id.str.startswith('survey-')", engine="python")
    assert set(caveats["survey_id"].dropna()) == {"laocai-2023", "angiang-2021", "hanoi-2022", "cantho-2024"}
    assert caveats["text_en"][caveats["survey_id"] == "angiang-2021"].str.contains("not compared or ranked").all()


def test_kon_tum_health_care_policy_is_a_policy_item_not_health_services(real):
    results = load_results(open_release(real), unit_code="62", year=2023)
    assert "health" not in set(results["service"])
    item = results[results["indicator"] == "health_care"]
    assert item["service"].tolist() == ["policy"] and item["value"].tolist() == [80.25]


def test_no_doubtful_figure_is_published(real):
    """The uncertain file is for cross-checking: none of its figures or ranks reaches the release."""
    release = open_release(real)
    results = load_results(release).set_index(list(C.RESULT_KEY))
    ranks = load_table(release, "published_ranks").set_index(list(C.RESULT_KEY))
    doubtful = read_source(UNCERTAIN)
    assert len(doubtful) == 24
    for _, row in doubtful.iterrows():
        key = (int(row["year"]), row["geo_version"], row["level"], row["unit_code"], row["service"], row["indicator"])
        if row["value"] and key in results.index:
            assert results.loc[key, "value"] != pytest.approx(float(row["value"])), key
        if row["rank"] and key in ranks.index:
            assert int(ranks.loc[key, "rank"]) != int(row["rank"]), key
    # Đồng Tháp 2021 repeats Sóc Trăng's 89.51: the release says so where Sóc Trăng's figure is shown.
    notes = load_notes(release)
    assert notes[(notes["unit_code"] == "94") & notes["text_en"].str.contains("Đồng Tháp")].shape[0] == 1


def test_published_ranks_agree_with_published_values():
    """Cross-check of the sources: within a year, a higher SIPAS value never has a worse rank."""
    rows = committed_rows()
    rows = rows[(rows["level"] == "province") & (rows["value"] != "") & (rows["rank"] != "")]
    for _, part in rows.groupby(["year", "service", "indicator"]):
        ordered = part.assign(v=part["value"].astype(float), r=part["rank"].astype(int)).sort_values("v", ascending=False)
        assert ordered["r"].is_monotonic_increasing, ordered[["unit_name_vi", "v", "r"]]
