"""Contract 1.1's published ranks, surveys and survey_id, rule by rule: each broken release breaks
exactly one rule, and the report holds that rule and no other."""
from __future__ import annotations

import hashlib

import pandas as pd
import pyarrow.parquet as pq

from dashboard.release import contract as C
from dashboard.release.validate import validate_release
from dashboard.release.write import to_table
from tests.release_factory import rewrite_descriptor, valid_descriptor, valid_results, write_raw_release

SURVEYS = [
    {"id": "sipas", "name": "SIPAS của Bộ Nội vụ", "name_en": "SIPAS, Ministry of Home Affairs", "publisher": "Bộ Nội vụ",
     "publisher_en": "Ministry of Home Affairs", "method": "Khảo sát hộ gia đình.", "method_en": "A household survey."},
    {"id": "laocai-2023", "name": "Khảo sát riêng của Lào Cai", "name_en": "Lào Cai's own survey",
     "publisher": "Tỉnh Lào Cai", "publisher_en": "Lào Cai province", "method": "4 tiêu chí.", "method_en": "4 criteria.",
     "province_code": "10", "path": "https://example.org/laocai-survey"},
]
RANK = dict(year=2023, geo_version="vn63", level="province", unit_code="10", service="admin", indicator="index",
            rank=41, rank_of=63, source_id="s1", survey_id="sipas")


def problems_by_rule(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in report.problems:
        out.setdefault(p.rule, []).append(p)
    return out


def exactly(report, rule: str):
    """The report holds problems of `rule` and of no other rule; returns the first."""
    found = problems_by_rule(report)
    assert set(found) == {rule}, report.format_text()
    return found[rule][0]


def surveyed_results() -> pd.DataFrame:
    """valid_results() with a survey on every row: the district of Lào Cai from its own survey."""
    frame = valid_results()
    frame["survey_id"] = ["laocai-2023" if lv == "district" else "sipas" for lv in frame["level"]]
    return frame


def release(folder, results=None, ranks: pd.DataFrame | None = None, surveys=SURVEYS):
    descriptor = {**valid_descriptor(), "surveys": surveys} if surveys is not None else valid_descriptor()
    folder = write_raw_release(folder, surveyed_results() if results is None else results, descriptor=descriptor)
    if ranks is not None:
        path = folder / C.TABLES["published_ranks"].path
        pq.write_table(to_table(ranks, C.TABLES["published_ranks"]), path)
        digest = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        rewrite_descriptor(folder, lambda d: d["resources"].append(
            {"name": "published_ranks", "path": path.name, "hash": digest}))
    return validate_release(folder)


def test_a_release_with_surveys_and_published_ranks_is_valid(tmp_path):
    district_rank = {**RANK, "level": "district", "unit_code": "084", "rank": 1, "rank_of": None,
                     "source_id": "s2", "survey_id": "laocai-2023"}
    report = release(tmp_path / "r", ranks=pd.DataFrame([RANK, district_rank]))
    assert report.valid, report.format_text()
    assert report.summary["published_ranks"] == 2 and report.summary["surveys"] == ["laocai-2023", "sipas"]


def test_a_rank_above_the_provinces_of_its_boundary_set_is_refused(tmp_path):
    p = exactly(release(tmp_path / "r", ranks=pd.DataFrame([{**RANK, "rank": 64}])), "published-rank")
    assert p.file == "published_ranks.parquet" and p.column == "rank" and p.rows[0]["rank"] == 64


def test_a_rank_below_one_is_refused(tmp_path):
    assert exactly(release(tmp_path / "r", ranks=pd.DataFrame([{**RANK, "rank": 0}])), "published-rank").column == "rank"


def test_a_province_rank_out_of_another_count_is_refused(tmp_path):
    p = exactly(release(tmp_path / "r", ranks=pd.DataFrame([{**RANK, "rank_of": 40, "rank": 30}])), "published-rank-of")
    assert p.rows[0]["expected"] == 63
    assert exactly(release(tmp_path / "n", ranks=pd.DataFrame([{**RANK, "rank_of": None}])),
                   "published-rank-of").column == "rank_of"


def test_a_rank_of_the_country_is_refused(tmp_path):
    row = {**RANK, "level": "national", "unit_code": "VN", "rank_of": None}
    assert exactly(release(tmp_path / "r", ranks=pd.DataFrame([row])), "published-rank").column == "level"


def test_a_rank_citing_an_undeclared_source_is_refused(tmp_path):
    p = exactly(release(tmp_path / "r", ranks=pd.DataFrame([{**RANK, "source_id": "s9"}])), "source-undefined")
    assert p.file == "published_ranks.parquet"


def test_a_rank_of_an_unknown_unit_is_refused(tmp_path):
    p = exactly(release(tmp_path / "r", ranks=pd.DataFrame([{**RANK, "unit_code": "03"}])), "unit-code-unknown")
    assert p.file == "published_ranks.parquet" and p.rows[0]["unit_code"] == "03"


def test_a_rank_given_twice_is_refused(tmp_path):
    assert exactly(release(tmp_path / "r", ranks=pd.DataFrame([RANK, {**RANK, "rank": 40}])),
                   "duplicate-key").file == "published_ranks.parquet"


def test_a_survey_id_not_declared_is_refused(tmp_path):
    frame = surveyed_results()
    frame.loc[0, "survey_id"] = "pci"
    p = exactly(release(tmp_path / "r", frame), "survey-undefined")
    assert p.file == "results.parquet" and p.rows[0]["survey_id"] == "pci"


def test_a_province_survey_outside_its_province_is_refused(tmp_path):
    frame = surveyed_results()
    frame.loc[2, "survey_id"] = "laocai-2023"
    frame.loc[2, "unit_code"] = "01"  # Hà Nội's figure labelled with Lào Cai's own survey
    p = exactly(release(tmp_path / "r", frame), "survey-province")
    assert p.rows[0]["unit_code"] == "01" and p.rows[0]["survey_province"] == "10"


def test_a_survey_without_its_method_is_refused(tmp_path):
    broken = [SURVEYS[0], {k: v for k, v in SURVEYS[1].items() if k != "method_en"}]
    p = exactly(release(tmp_path / "r", surveys=broken), "survey")
    assert "method_en" in p.message and p.file == "datapackage.json"


def test_a_survey_declared_twice_is_refused(tmp_path):
    assert "twice" in exactly(release(tmp_path / "r", surveys=[*SURVEYS, SURVEYS[1]]), "survey").message


def test_a_note_about_an_undeclared_survey_is_refused(tmp_path):
    folder = write_raw_release(tmp_path / "r", surveyed_results(), descriptor={**valid_descriptor(), "surveys": SURVEYS})
    rewrite_descriptor(folder, lambda d: d["notes"].append(
        {"note_id": "n2", "kind": "caveat", "survey_id": "hanoi-2022", "text_vi": "Khảo sát riêng.", "text_en": "Own survey."}))
    assert exactly(validate_release(folder), "survey-undefined").column == "survey_id"


def test_releases_without_surveys_or_published_ranks_stay_valid(tmp_path):
    assert validate_release(write_raw_release(tmp_path / "r")).valid
