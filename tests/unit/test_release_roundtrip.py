"""Demo -> validate -> load, the real release from the published CSV, and safe replacement."""
from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from dashboard import paths
from dashboard.build.demo import DemoDesign, build_demo_release
from dashboard.build.published import build_real_release
from dashboard.release.read import ReleaseInvalid, load_notes, load_results, load_table, open_release
from dashboard.release.validate import validate_release
from dashboard.release.write import ReleaseWriteError, write_release
from tests.release_factory import write_raw_release

SMALL = DemoDesign(provinces=("10", "15"), respondents_per_village=6, communes_per_province_vn34=6)


@pytest.fixture(scope="module")
def demo_release(tmp_path_factory):
    return build_demo_release(tmp_path_factory.mktemp("rel") / "demo", seed=7, design=SMALL)


def test_demo_roundtrip(demo_release):
    assert validate_release(demo_release).valid
    release = open_release(demo_release)
    assert release.demo is True
    results = load_results(release)
    assert set(results["year"]) == {2021, 2022, 2023, 2024, 2025}
    assert set(results.loc[results["year"] == 2025, "geo_version"]) == {"vn34"}
    assert set(results.loc[results["year"] < 2025, "level"]) == {"national", "province", "district"}
    # Lào Cai (10) and Yên Bái (15) merged into the new Lào Cai (15) in 2025.
    assert set(results.loc[(results["year"] == 2025) & (results["level"] == "province"), "unit_code"]) == {"15"}
    assert not results.loc[results["year"] < 2022, "service"].eq("policy").any()
    shown = results.dropna(subset=["value"])
    assert ((shown["ci_low"] <= shown["value"]) & (shown["value"] <= shown["ci_high"])).all()
    assert shown["value"].between(0, 100).all()


def test_demo_is_deterministic(demo_release, tmp_path):
    again = build_demo_release(tmp_path / "demo", seed=7, design=SMALL)
    for name in ("results.parquet", "indicators.parquet", "datapackage.json"):
        assert hashlib.sha256((again / name).read_bytes()).digest() == \
            hashlib.sha256((demo_release / name).read_bytes()).digest(), name


def test_demo_seed_changes_the_figures(demo_release, tmp_path):
    other = build_demo_release(tmp_path / "other", seed=8, design=SMALL)
    a = pd.read_parquet(demo_release / "results.parquet")
    b = pd.read_parquet(other / "results.parquet")
    assert not a["value"].equals(b["value"])


def test_demo_index_is_mean_of_criteria(demo_release):
    results = load_results(open_release(demo_release), year=2024, level="province", service="health")
    crit = results[results["indicator"] != "index"]
    for unit, part in crit.groupby("unit_code"):
        index = results[(results["unit_code"] == unit) & (results["indicator"] == "index")]["value"].iloc[0]
        assert abs(part["value"].mean() - index) < 0.02


def test_loader_reads_only_requested_rows_and_columns(demo_release):
    release = open_release(demo_release)
    part = load_results(release, columns=["unit_code", "value"], year=2024, level="province", service=["admin"],
                        indicator="index")
    assert list(part.columns) == ["unit_code", "value"]
    assert len(part) == 2  # Lào Cai and Yên Bái


def test_loader_keeps_integer_n(demo_release):
    results = load_results(open_release(demo_release), year=2024)
    assert str(results["n"].dtype) == "Int32"


def test_loader_refuses_what_validate_refuses(tmp_path):
    folder = write_raw_release(tmp_path / "bad")
    (folder / "results.parquet").write_bytes(b"not parquet")
    with pytest.raises(ReleaseInvalid) as info:
        open_release(folder)
    assert info.value.report.problems[0].rule == "not-parquet"


def test_real_release_from_published_csv(tmp_path):
    out = build_real_release(None, tmp_path / "real")
    release = open_release(out)
    assert release.demo is False
    results = load_results(release)
    latest = results[(results["year"] == 2024) & (results["unit_code"] == "VN") & (results["indicator"] == "index")]
    assert latest.set_index("service")["value"].to_dict() == {"admin": 83.94, "policy": 83.84}  # 6 April 2025 (VNA)
    policy = results[(results["year"] == 2022) & (results["service"] == "policy")]
    assert policy["value"].tolist() == [79.72]  # marked `published`; 77.37 `superseded`
    notes = load_notes(release)
    conflict = notes[notes["note_id"] == "conflict-2022-VN-policy-index"].iloc[0]
    assert "77.37" in conflict["text_en"] and "79.72" in conflict["text_en"]
    assert "method_break" in set(notes["kind"])
    # Every figure keeps a source with its URL.
    assert results["source_id"].map(lambda s: release.sources[s]["path"].startswith("http")).all()
    # Both provinces published at rank 38 in 2021 are kept (Đà Nẵng's in the note).
    ranks = load_table(release, "published_ranks")
    assert ranks.loc[(ranks["year"] == 2021) & (ranks["rank"] == 38), "unit_code"].tolist() == ["77"]
    assert "Đà Nẵng" in notes.set_index("note_id").loc["rank-38-2021", "text_vi"]
    assert {"084", "085", "087", "088"} <= set(results.loc[results["level"] == "district", "unit_code"])
    by_id = {n["note_id"]: n for n in release.descriptor["notes"]}
    assert "Lào Cai" in by_id["survey-laocai-2023"]["text_vi"]
    assert "84.09" in by_id["sipas-overall-from-2022"]["text_en"]
    assert release.descriptor["changelog"][0]["version"] == release.version


def test_failed_write_leaves_published_release_untouched(tmp_path, demo_release):
    target = tmp_path / "published"
    write_raw_release(target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    results = pd.read_parquet(demo_release / "results.parquet")
    results.loc[0, "value"] = 250.0  # breaks the range rule
    meta = json.loads((demo_release / "datapackage.json").read_text(encoding="utf-8"))
    meta.pop("resources")
    meta.pop("contract_version")
    from dashboard.release.catalogue import indicator_table
    with pytest.raises(ReleaseWriteError) as info:
        write_release(target, meta, results, indicator_table())
    assert "value-range" in str(info.value)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".published")]  # no staging left


def test_committed_default_releases_are_valid():
    for release_id in ("sipas-published", "demo"):
        folder = paths.RELEASES_DIR / release_id
        if not folder.exists():
            pytest.fail(f"{folder} is missing: run `python -m dashboard defaults` and commit it")
        report = validate_release(folder)
        assert report.valid, report.format_text()


def test_broken_copy_of_published_release_lists_precise_problems(tmp_path, capsys):
    import shutil

    from dashboard.cli import main

    copy = tmp_path / "copy"
    shutil.copytree(paths.RELEASES_DIR / "sipas-published", copy)
    results = pd.read_parquet(copy / "results.parquet")
    results.loc[0, "value"] = 797.6  # a decimal comma lost
    results.loc[1, "unit_code"] = "7"  # a leading zero lost
    results.to_parquet(copy / "results.parquet")  # pandas' own types, and the hash no longer matches
    assert main(["validate", str(copy)]) == 1
    out = capsys.readouterr().out
    for rule in ("hash-mismatch", "column-type", "value-range", "unit-code-format", "797.6", "unit_code='7'"):
        assert rule in out, out
    # The published release itself is untouched and still valid.
    assert main(["validate", str(paths.RELEASES_DIR / "sipas-published")]) == 0


def test_real_command_with_broken_csv(tmp_path, capsys):
    from dashboard.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("year,value\n2023,80\n", encoding="utf-8")
    assert main(["real", "--csv", str(bad), "-o", str(tmp_path / "out")]) == 1
    assert "bad.csv:1: missing column(s)" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_written_release_is_readable_by_a_web_server(tmp_path):
    """mkdtemp makes private folders; nginx's workers (another user) must still read the release."""
    import stat

    from dashboard.build.demo import DemoDesign, build_demo_release

    out = build_demo_release(tmp_path / "demo", design=DemoDesign(provinces=("10",), respondents_per_village=3))
    mode = stat.S_IMODE(out.stat().st_mode)
    assert mode & 0o055 == 0o055, oct(mode)  # group and others may list and enter it


def test_a_bug_of_ours_gives_one_line_and_keeps_the_traceback_in_a_log(tmp_path, monkeypatch, capsys):
    import dashboard.release.validate as validate_module
    from dashboard.cli import main

    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))

    def broken(_source):
        raise KeyError("internal-state")

    monkeypatch.setattr(validate_module, "validate_release", broken)
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "bug in the dashboard" in err
    logs = list((tmp_path / "cache" / "logs").glob("validate-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "KeyError: 'internal-state'" in text and f"validate {tmp_path}" in text
