"""`build`: answers files in three formats, every kind of bad answer reported, no release on error."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard import paths
from dashboard.build.answers import AnswersError, check_answers
from dashboard.build.from_answers import build_release
from dashboard.cli import main
from dashboard.release.read import load_results, open_release

EXAMPLE = paths.SOURCES_DIR / "example_answers.csv"


def example() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE, dtype=str)


def problems_of(tmp_path, frame: pd.DataFrame) -> dict[str, object]:
    path = tmp_path / "answers.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(AnswersError) as info:
        check_answers(path)
    return {p.rule: p for p in info.value.report.problems}


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_build_from_each_format(tmp_path, suffix):
    frame = example()
    frame = frame[frame["district_code"].isin(["080", "084"])]
    path = tmp_path / f"answers{suffix}"
    {".csv": lambda: frame.to_csv(path, index=False), ".parquet": lambda: frame.to_parquet(path),
     ".xlsx": lambda: frame.to_excel(path, index=False)}[suffix]()
    out, summary = build_release(path, tmp_path / "rel", demo=True)
    results = load_results(open_release(out))
    assert set(results["level"]) == {"province", "district"}  # one province is not a national figure
    assert set(results.loc[results["level"] == "district", "unit_code"]) == {"080", "084"}
    assert sum(summary.dropped.values()) == int(frame["answer"].isna().sum())


def test_example_builds_with_one_command(tmp_path, capsys):
    assert main(["build", str(EXAMPLE), "-o", str(tmp_path / "rel"), "--demo"]) == 0
    assert "left out" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "rel")]) == 0


def test_answers_outside_scale(tmp_path):
    frame = example()
    frame.loc[3, "answer"] = "7"
    frame.loc[8, "answer"] = "rất tốt"
    p = problems_of(tmp_path, frame)["answer-range"]
    assert p.count == 2 and p.rows[0]["line"] == 5


def test_unknown_province_code(tmp_path):
    frame = example()
    frame.loc[0, "province_code"] = "99"
    assert problems_of(tmp_path, frame)["unknown-code"].rows[0]["province_code"] == "99"


def test_commune_outside_its_district(tmp_path):
    frame = example()
    frame.loc[0, "commune_code"] = "00001"  # Phúc Xá, Hà Nội
    assert problems_of(tmp_path, frame)["commune-outside-district"].count == 1


def test_district_outside_its_province(tmp_path):
    frame = example()
    frame.loc[0, "district_code"] = "001"
    assert "district-outside-province" in problems_of(tmp_path, frame)


def test_missing_columns(tmp_path):
    problems = problems_of(tmp_path, example().drop(columns=["commune_code", "answer"]))
    assert "commune_code" in problems["column-missing"].column


def test_duplicate_respondents(tmp_path):
    frame = example()
    other = frame["respondent_id"] != frame.loc[0, "respondent_id"]
    frame.loc[frame.index[other][0], "respondent_id"] = frame.loc[0, "respondent_id"]
    frame.loc[0, "commune_code"] = frame.loc[frame.index[-1], "commune_code"]
    assert "duplicate-respondent" in problems_of(tmp_path, frame)


def test_unknown_question(tmp_path):
    frame = example()
    frame.loc[0, "question_id"] = "q17"
    assert problems_of(tmp_path, frame)["question"].rows[0]["question_id"] == "q17"


def test_every_problem_reported_and_no_release_written(tmp_path, capsys):
    frame = example()
    frame.loc[0, "answer"] = "9"
    frame.loc[1, "province_code"] = "99"
    frame.loc[2, "service"] = "tourism"
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    assert main(["build", str(path), "-o", str(tmp_path / "rel")]) == 1
    err = capsys.readouterr().err
    assert all(rule in err for rule in ("answer-range", "unknown-code", "service"))
    assert not (tmp_path / "rel").exists()


def test_not_a_table_file(tmp_path):
    path = tmp_path / "answers.parquet"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(AnswersError) as info:
        check_answers(path)
    assert info.value.report.problems[0].rule == "unreadable"


def test_default_design_is_recorded_and_intervals_have_width(tmp_path):
    out, summary = build_release(EXAMPLE, tmp_path / "rel", demo=True)
    release = open_release(out)
    design = release.descriptor["survey_design"]
    assert design["weighted"] is True and not summary.warnings
    assert design["designs"] == [{"geo_version": "vn63", "years": [2024], "strata": "district", "psu": "commune",
                                  "declared": False, "fpc": False, "district_clusters": "commune"}]
    results = load_results(release)
    shown = results.dropna(subset=["ci_low"])
    assert (shown["ci_high"] > shown["ci_low"]).all() and shown["df"].notna().all() and shown["n_eff"].notna().all()
    assert set(results.loc[results["level"] == "district", "ci_method"].dropna()) == {"pooled"}


def test_a_sipas_design_can_be_declared(tmp_path):
    frame = example().assign(stratum=lambda f: f["province_code"], psu=lambda f: f["district_code"])
    path = tmp_path / "answers.csv"
    frame.to_csv(path, index=False)
    out, _ = build_release(path, tmp_path / "rel", demo=True)
    entry = open_release(out).descriptor["survey_design"]["designs"][0]
    assert (entry["strata"], entry["psu"], entry["declared"], entry["district_clusters"]) == \
        ("declared", "declared", True, "commune")  # districts are the PSUs: their clusters are the communes
    default = load_results(open_release(build_release(EXAMPLE, tmp_path / "default", demo=True)[0]))
    declared = load_results(open_release(out))
    key = ["level", "unit_code", "service", "indicator"]
    both = default.merge(declared, on=key, suffixes=("_default", "_sipas"))
    province = both[(both["level"] == "province") & (both["indicator"] == "index")]
    assert (province["value_default"] == province["value_sipas"]).all()  # same estimate ...
    assert (province["df_sipas"] < province["df_default"]).all()  # ... on 9 districts, not 18 communes


def test_without_weights_the_build_warns_and_says_so(tmp_path, capsys):
    path = tmp_path / "answers.csv"
    example().drop(columns=["weight"]).to_csv(path, index=False)
    assert main(["build", str(path), "-o", str(tmp_path / "rel"), "--demo"]) == 0
    assert "no weight column" in capsys.readouterr().err
    assert open_release(tmp_path / "rel").descriptor["survey_design"]["weighted"] is False


def test_a_psu_in_two_strata(tmp_path):
    frame = example().assign(stratum=lambda f: f["district_code"], psu=lambda f: f["commune_code"])
    frame.loc[0, "stratum"] = "999"  # one row of commune 02641 in another stratum
    p = problems_of(tmp_path, frame)["psu-in-two-strata"]
    assert p.rows[0]["psu"] == frame.loc[0, "psu"] and "one stratum" in p.fix


def test_a_single_psu_stratum_declared_or_by_default(tmp_path):
    frame = example().assign(stratum=lambda f: f["district_code"], psu=lambda f: f["commune_code"])
    lonely = frame["commune_code"] == frame["commune_code"].iloc[0]
    frame.loc[lonely, "stratum"] = "solo"
    assert "single-psu-stratum" in problems_of(tmp_path, frame)
    default = example()
    first = default["district_code"] == "080"
    default = default[~first | (default["commune_code"] == default.loc[first, "commune_code"].iloc[0])]
    p = problems_of(tmp_path, default)["single-psu-stratum"]
    assert "district" in p.message and "collapse" in p.fix


def test_design_columns_must_come_together(tmp_path):
    assert "design-columns" in problems_of(tmp_path, example().assign(stratum="10"))


def test_a_respondent_in_two_psus(tmp_path):
    frame = example().assign(stratum=lambda f: f["province_code"], psu=lambda f: f["district_code"])
    rid = frame["respondent_id"].iloc[0]
    rows = frame.index[frame["respondent_id"] == rid]
    frame.loc[rows[-1], "psu"] = "082" if frame.loc[rows[0], "psu"] != "082" else "083"
    assert "respondent-in-two-psus" in problems_of(tmp_path, frame)


def test_weights_must_be_positive(tmp_path):
    frame = example()
    frame.loc[5, "weight"] = "0"
    assert problems_of(tmp_path, frame)["weight"].rows[0]["line"] == 7
