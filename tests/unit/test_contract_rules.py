"""Contract v1, rule by rule: each test writes a release that breaks exactly one rule."""
from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

from dashboard.release import contract as C
from dashboard.release.validate import run_validate_command, validate_release
from tests.release_factory import (
    rewrite_descriptor,
    valid_descriptor,
    valid_results,
    write_raw_release,
)


def rules(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in report.problems:
        out.setdefault(p.rule, []).append(p)
    return out


def only_problem(report, rule: str):
    found = rules(report)
    assert rule in found, report.format_text()
    return found[rule][0]


def test_valid_release_passes(tmp_path):
    report = validate_release(write_raw_release(tmp_path / "r"))
    assert report.valid, report.format_text()
    assert report.summary["years"] == [2023, 2025]
    assert report.summary["rows"] == len(valid_results())
    assert report.summary["levels"] == ["national", "province", "district"]


def test_missing_results_file(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    (folder / "results.parquet").unlink()
    p = only_problem(validate_release(folder), "file-missing")
    assert p.file == "results.parquet" and "results.parquet" in p.fix


def test_missing_descriptor(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    (folder / "datapackage.json").unlink()
    assert only_problem(validate_release(folder), "file-missing").file == "datapackage.json"


def test_descriptor_not_json(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    (folder / "datapackage.json").write_text("{ not json", encoding="utf-8")
    p = only_problem(validate_release(folder), "not-json")
    assert "line 1" in p.message


def test_descriptor_not_utf8(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    (folder / "datapackage.json").write_bytes('{"title": "Hà Nội"}'.encode("cp1258", errors="replace") + b"\xff")
    assert only_problem(validate_release(folder), "not-utf8").file == "datapackage.json"


@pytest.mark.parametrize("prop", ["id", "title_en", "data_as_of", "demo", "sources", "licenses"])
def test_required_package_property(tmp_path, prop):
    folder = write_raw_release(tmp_path / "r")
    rewrite_descriptor(folder, lambda d: d.pop(prop))
    problem = only_problem(validate_release(folder), "package-property")
    assert any(p.column == prop for p in rules(validate_release(folder))["package-property"]), problem


def test_demo_must_be_boolean(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    rewrite_descriptor(folder, lambda d: d.update(demo="yes"))
    assert only_problem(validate_release(folder), "package-property").column == "demo"


def test_bad_date(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    rewrite_descriptor(folder, lambda d: d.update(data_as_of="31/12/2025"))
    assert only_problem(validate_release(folder), "package-property").column == "data_as_of"


def test_hash_mismatch(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    rewrite_descriptor(folder, lambda d: d["resources"][0].update(hash="sha256:" + "a" * 64))
    p = only_problem(validate_release(folder), "hash-mismatch")
    assert p.file == "results.parquet"


def test_resource_path_traversal(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    rewrite_descriptor(folder, lambda d: d["resources"].append(
        {"name": "evil", "path": "../../etc/passwd", "hash": "sha256:" + "0" * 64}))
    assert "outside" in only_problem(validate_release(folder), "resource-path").message


def test_empty_file(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    (folder / "results.parquet").write_bytes(b"")
    assert only_problem(validate_release(folder), "file-empty").file == "results.parquet"


def test_not_parquet(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    (folder / "results.parquet").write_text("year,value\n2023,80\n", encoding="utf-8")
    assert only_problem(validate_release(folder), "not-parquet").file == "results.parquet"


def test_truncated_parquet(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    data = (folder / "results.parquet").read_bytes()
    (folder / "results.parquet").write_bytes(data[: len(data) // 2])
    assert only_problem(validate_release(folder), "truncated").file == "results.parquet"


def test_not_utf8_text_column(tmp_path):
    results = valid_results()
    table = pa.Table.from_pandas(results, preserve_index=False)
    # Rebuild unit_code as binary holding Latin-1 bytes, cast to string without validation.
    bad = pa.array([b"\xe0\xff"] + [c.encode() for c in results["unit_code"][1:]], type=pa.binary())
    table = table.set_column(table.schema.get_field_index("unit_code"), "unit_code", bad.view(pa.string()))
    folder = write_raw_release(tmp_path / "r", results_table=table)
    p = only_problem(validate_release(folder), "not-utf8")
    assert p.column == "unit_code"


def test_missing_column(tmp_path):
    results = valid_results()
    table = pa.Table.from_pandas(results.drop(columns=["source_id"]), preserve_index=False)
    folder = write_raw_release(tmp_path / "r", results_table=table)
    assert only_problem(validate_release(folder), "column-missing").column == "source_id"


def test_wrong_column_type(tmp_path):
    results = valid_results()
    table = pa.Table.from_pandas(results, preserve_index=False)  # year becomes int64
    folder = write_raw_release(tmp_path / "r", results_table=table)
    assert any(p.column == "year" for p in rules(validate_release(folder))["column-type"])


def test_unknown_column_needs_a_note(tmp_path):
    results = valid_results().assign(comment="x")
    from dashboard.release.write import to_table
    table = to_table(results, C.TABLES["results"], [pa.field("comment", pa.string())])
    folder = write_raw_release(tmp_path / "r", results_table=table)
    assert only_problem(validate_release(folder), "column-unknown").column == "comment"
    # Described in the descriptor's resource schema, the same column is accepted.
    rewrite_descriptor(folder, lambda d: d["resources"][0].update(
        schema={"fields": [{"name": "comment", "type": "string", "description": "Editor's comment."}]}))
    assert validate_release(folder).valid


@pytest.mark.parametrize("column,value", [("service", "tourism"), ("level", "region"),
                                          ("geo_version", "vn64"), ("flag", "dubious")])
def test_allowed_values(tmp_path, column, value):
    results = valid_results()
    results.loc[2, column] = value
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "allowed-values")
    assert p.column == column and p.rows and p.count == 1


def test_duplicate_key(tmp_path):
    results = pd.concat([valid_results(), valid_results().iloc[[2]]], ignore_index=True)
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "duplicate-key")
    assert p.count == 2 and p.rows[0]["unit_code"] == "10"


def test_value_out_of_range(tmp_path):
    results = valid_results()
    results.loc[2, ["value", "ci_low", "ci_high"]] = [0.841, 0.80, 0.88]
    results.loc[1, "value"] = 104.0
    report = validate_release(write_raw_release(tmp_path / "r", results))
    p = only_problem(report, "value-range")
    assert p.count == 1 and p.rows[0]["value"] == 104.0


def test_ci_must_contain_value(tmp_path):
    results = valid_results()
    results.loc[2, ["ci_low", "ci_high"]] = [88.0, 80.2]
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "ci-order")
    assert p.rows[0]["unit_code"] == "10"


def test_ci_pair(tmp_path):
    results = valid_results()
    results.loc[2, "ci_high"] = None
    assert only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "ci-pair")


def test_n_not_negative(tmp_path):
    results = valid_results()
    results.loc[2, "n"] = -3
    assert only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "n-negative").count == 1


def test_missing_value_needs_suppressed_flag(tmp_path):
    results = valid_results()
    results.loc[4, "flag"] = None
    assert only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "value-missing")


def test_suppressed_figure_has_no_value(tmp_path):
    results = valid_results()
    results.loc[2, "flag"] = "suppressed"
    assert only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "suppressed-value")


def test_vn34_only_from_2025(tmp_path):
    results = valid_results()
    results.loc[5, "year"] = 2024
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "geo-version-year")
    assert p.rows[0]["year"] == 2024


def test_vn34_has_no_districts(tmp_path):
    results = valid_results()
    results.loc[3, ["geo_version", "year"]] = ["vn34", 2025]
    assert only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "level-geo-version")


def test_unit_code_format(tmp_path):
    results = valid_results()
    results.loc[2, "unit_code"] = "1"  # lost its leading zero
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "unit-code-format")
    assert p.rows[0]["unit_code"] == "1"


def test_unit_code_known_for_geo_version(tmp_path):
    results = valid_results()
    results.loc[5, "unit_code"] = "10"  # Lào Cai's old code 10 no longer exists in vn34
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "unit-code-unknown")
    assert p.rows[0]["geo_version"] == "vn34"


def test_district_province_consistent(tmp_path):
    results = valid_results()
    results.loc[3, "parent_code"] = "01"  # Si Ma Cai (084) is in Lào Cai (10), not Hà Nội
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "district-province")
    assert p.rows[0]["official_province"] == "10"


def test_indicator_must_be_defined(tmp_path):
    results = valid_results()
    results.loc[1, "indicator"] = "speed"
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "indicator-undefined")
    assert p.rows[0]["indicator"] == "speed"


def test_source_must_be_declared(tmp_path):
    results = valid_results()
    results.loc[1, "source_id"] = "s9"
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "source-undefined")
    assert "s9" in p.message


def test_note_kind_allowed(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    rewrite_descriptor(folder, lambda d: d["notes"][0].update(kind="gossip"))
    assert only_problem(validate_release(folder), "allowed-values").column == "kind"


def test_text_must_be_nfc(tmp_path):
    import unicodedata

    from dashboard.release.catalogue import indicator_table

    indicators = indicator_table()
    indicators.loc[0, "name_vi"] = unicodedata.normalize("NFD", indicators.loc[0, "name_vi"])
    folder = write_raw_release(tmp_path / "r", indicators=indicators)
    assert only_problem(validate_release(folder), "not-nfc").file == "indicators.parquet"


def test_every_problem_listed_not_just_the_first(tmp_path):
    results = valid_results()
    results.loc[1, "value"] = 150.0
    results.loc[2, "service"] = "tourism"
    results.loc[3, "source_id"] = "nope"
    report = validate_release(write_raw_release(tmp_path / "r", results))
    assert {"value-range", "allowed-values", "source-undefined"} <= set(rules(report))


def test_offending_rows_capped_at_five(tmp_path):
    results = pd.concat([valid_results()] * 1, ignore_index=True)
    results["value"] = 120.0
    results.loc[4, "value"] = None
    p = only_problem(validate_release(write_raw_release(tmp_path / "r", results)), "value-range")
    assert p.count == 6 and len(p.rows) == 5


def test_cli_exit_codes_and_json(tmp_path, capsys):
    good = write_raw_release(tmp_path / "good")
    assert run_validate_command(str(good)) == 0
    assert "VALID" in capsys.readouterr().out
    bad = write_raw_release(tmp_path / "bad")
    (bad / "indicators.parquet").write_bytes(b"PAR1garbage")
    assert run_validate_command(str(bad), as_json=True) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is False and out["problems"][0]["file"] == "indicators.parquet"


def test_cli_usage_error_exit_2(capsys):
    from dashboard.cli import main

    assert main(["validate"]) == 2
    assert main([]) == 2


def test_missing_folder_is_a_clear_message(tmp_path):
    report = validate_release(tmp_path / "nope")
    assert not report.valid and "no such folder" in report.problems[0].message


def test_unreachable_url_is_a_clear_message():
    report = validate_release("http://127.0.0.1:9/release")
    assert not report.valid and report.problems[0].rule == "unreachable"


def _with_statistics(tmp_path, name: str, frame: pd.DataFrame):
    import hashlib

    import pyarrow.parquet as pq

    from dashboard.release.write import to_table

    folder = write_raw_release(tmp_path / "r")
    pq.write_table(to_table(frame, C.TABLES[name]), folder / f"{name}.parquet")
    digest = "sha256:" + hashlib.sha256((folder / f"{name}.parquet").read_bytes()).hexdigest()
    rewrite_descriptor(folder, lambda d: d["resources"].append({"name": name, "path": f"{name}.parquet", "hash": digest}))
    return validate_release(folder)


RANK = dict(year=2023, geo_version="vn63", level="province", unit_code="10", parent_code="VN", service="admin",
            indicator="index", rank=3, rank_low=2, rank_high=6, tie_group=1)


def test_ranks_table_is_checked(tmp_path):
    assert _with_statistics(tmp_path, "ranks", pd.DataFrame([RANK])).valid
    bad = pd.DataFrame([{**RANK, "rank_low": 5}])
    assert only_problem(_with_statistics(tmp_path / "b", "ranks", bad), "rank-order").file == "ranks.parquet"


def test_changes_table_is_checked(tmp_path):
    row = dict(year=2023, geo_version="vn63", level="province", unit_code="10", service="admin", indicator="index",
               change=2.0, ci_low=3.0, ci_high=5.0, significant=True)
    assert only_problem(_with_statistics(tmp_path, "changes", pd.DataFrame([row])), "ci-order").file == "changes.parquet"


def test_harmonised_table_is_on_vn34(tmp_path):
    row = valid_results().iloc[[2]].assign(geo_version="vn63")
    p = only_problem(_with_statistics(tmp_path, "harmonised", row), "allowed-values")
    assert p.file == "harmonised.parquet" and p.column == "geo_version"
    ok = valid_results().iloc[[2]].assign(geo_version="vn34", unit_code="15")
    assert _with_statistics(tmp_path / "ok", "harmonised", ok).valid


# --- contract 1.1: what an interval rests on, tests, gaps, the survey design ---------------

def exactly(report, rule: str):
    """The report holds problems of `rule` and of no other rule."""
    assert set(rules(report)) == {rule}, report.format_text()
    return rules(report)[rule][0]


def _uncertain_results() -> pd.DataFrame:
    """valid_results() with se, df, n_eff and ci_method on the rows that have an interval."""
    frame = valid_results()
    frame = frame.assign(se=(frame["ci_high"] - frame["ci_low"]) / 4, df=30.0, n_eff=frame["n"] * 0.8,
                         ci_method="design")
    frame.loc[frame["ci_low"].isna(), ["se", "df", "n_eff", "ci_method"]] = None
    return frame


def test_a_release_with_uncertainty_columns_is_valid(tmp_path):
    assert validate_release(write_raw_release(tmp_path / "r", _uncertain_results())).valid


def test_zero_width_intervals_are_refused_from_contract_1_1_only(tmp_path):
    frame = valid_results()
    frame.loc[2, ["value", "ci_low", "ci_high"]] = 100.0
    p = exactly(validate_release(write_raw_release(tmp_path / "new", frame)), "interval-width")
    assert p.rows[0]["unit_code"] == "10" and "Korn–Graubard" in p.fix
    old = {**valid_descriptor(), "contract_version": "1"}
    assert validate_release(write_raw_release(tmp_path / "old", frame, descriptor=old)).valid  # v1 stays valid


def test_an_unknown_contract_version_is_refused(tmp_path):
    folder = write_raw_release(tmp_path / "r")
    rewrite_descriptor(folder, lambda d: d.update(contract_version="2"))
    assert "1.1" in exactly(validate_release(folder), "package-property").fix


def test_ci_method_and_effective_sample_size_are_checked(tmp_path):
    frame = _uncertain_results()
    frame.loc[1, "ci_method"] = "bootstrap"
    assert exactly(validate_release(write_raw_release(tmp_path / "a", frame)), "allowed-values").column == "ci_method"
    frame.loc[1, "ci_method"] = "design"
    frame.loc[1, "n_eff"] = frame.loc[1, "n"] * 2  # a criterion: n_eff cannot exceed n
    assert exactly(validate_release(write_raw_release(tmp_path / "b", frame)), "value-range").column == "n_eff"


CHANGE = dict(year=2023, geo_version="vn63", level="province", unit_code="10", service="admin", indicator="index",
              change=2.0, ci_low=-1.0, ci_high=5.0, significant=False, se=1.5, df=20.0, p_value=0.2, q_value=0.4,
              family="2023/vn63/province/admin", harmonised=False)


def test_changes_with_tests_are_checked(tmp_path):
    assert _with_statistics(tmp_path / "ok", "changes", pd.DataFrame([CHANGE])).valid
    assert exactly(_with_statistics(tmp_path / "q", "changes", pd.DataFrame([{**CHANGE, "q_value": 0.1}])),
                   "q-value").column == "q_value"
    assert exactly(_with_statistics(tmp_path / "s", "changes", pd.DataFrame([{**CHANGE, "significant": True}])),
                   "significance").column == "significant"


def test_gaps_table_is_checked(tmp_path):
    gap = dict(year=2023, geo_version="vn63", level="province", unit_code="10", service="admin", indicator="index",
               reference_code="VN", gap=1.5, ci_low=-0.5, ci_high=3.5, p_value=0.14, significant=False)
    assert _with_statistics(tmp_path / "ok", "gaps", pd.DataFrame([gap])).valid
    assert exactly(_with_statistics(tmp_path / "bad", "gaps", pd.DataFrame([{**gap, "ci_low": 2.0}])),
                   "ci-order").file == "gaps.parquet"


def test_survey_design_property_is_checked(tmp_path):
    design = {"weighted": True, "thresholds": {"min_n": 10},
              "designs": [{"geo_version": "vn63", "years": [2023], "strata": "district", "psu": "commune"}]}
    folder = write_raw_release(tmp_path / "ok")
    rewrite_descriptor(folder, lambda d: d.update(survey_design=design))
    assert validate_release(folder).valid
    for broken in ("by district", {**design, "weighted": "yes"}, {**design, "designs": [{"geo_version": "vn99"}]}):
        folder = write_raw_release(tmp_path / f"bad{len(str(broken))}")
        rewrite_descriptor(folder, lambda d, b=broken: d.update(survey_design=b))
        assert exactly(validate_release(folder), "package-property").column == "survey_design"


def test_unit_codes_that_cannot_be_checked_are_a_problem(tmp_path, monkeypatch):
    """Without geodata/units.parquet a VALID would claim a check that did not happen."""
    import dashboard.release.validate as validate_module

    monkeypatch.setattr(validate_module, "read_units", lambda: None)
    p = exactly(validate_release(write_raw_release(tmp_path / "r")), "unit-codes-unchecked")
    assert "geodata" in p.fix
