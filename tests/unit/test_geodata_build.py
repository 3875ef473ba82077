"""`python -m dashboard geodata`: deterministic, and a bad raw folder never touches the output."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from dashboard import paths
from dashboard.cli import main
from dashboard.geo.build import run_geodata_command
from dashboard.geo.raw_sources import RAW_FILES
from tests.ci import require

RAW = paths.RAW_BOUNDARIES_DIR
@pytest.fixture
def raw_boundaries():
    """The raw boundary files live beside the clone (../shared/boundaries/raw), not in the repo."""
    require(f"raw boundary files under {RAW} (see boundaries/SOURCES.md)",
            all((RAW / f).is_file() for f in RAW_FILES), input_name="raw-boundaries")
    return RAW


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def copy_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    for path in raw.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)  # the shared copy is read-only
    return raw


@pytest.mark.slow
def test_build_is_deterministic_and_matches_the_committed_files(tmp_path, raw_boundaries):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_geodata_command(RAW, first) == 0
    assert run_geodata_command(RAW, second) == 0
    assert digests(first) == digests(second)
    committed = digests(paths.GEODATA_DIR)
    assert {k: committed.get(k) for k in digests(first)} == digests(first), \
        "geodata/ is stale: rerun `python -m dashboard geodata`"


def test_missing_raw_folder_exits_1_and_leaves_output_unchanged(tmp_path, capsys):
    out = tmp_path / "geodata"
    out.mkdir()
    (out / "provinces_vn63.parquet").write_bytes(b"committed")
    before = digests(out)
    assert main(["geodata", "--raw", str(tmp_path / "nowhere"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "diaphantinh_63_fixednames.topojson" in err and "Traceback" not in err
    assert digests(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geodata"]  # no temporary folder left


def test_missing_shapefile_sidecar_exits_1_naming_the_file(tmp_path, capsys, raw_boundaries):
    raw = copy_raw(tmp_path)
    (raw / "odv-districts-2009" / "diaphanhuyen.dbf").unlink()
    out = tmp_path / "out"
    assert run_geodata_command(raw, out) == 1
    assert "diaphanhuyen.dbf" in capsys.readouterr().err
    assert not out.exists()


def test_malformed_raw_file_exits_1_and_leaves_output_unchanged(tmp_path, capsys, raw_boundaries):
    raw = copy_raw(tmp_path)
    (raw / "odv-provinces-63" / "diaphantinh_63_fixednames.topojson").write_text("{not json")
    out = tmp_path / "out"
    out.mkdir()
    (out / "units.parquet").write_bytes(b"committed")
    before = digests(out)
    assert run_geodata_command(raw, out) == 1
    err = capsys.readouterr().err
    assert "diaphantinh_63_fixednames.topojson" in err and "Traceback" not in err
    assert digests(out) == before


def test_unmatched_province_name_fails_the_build_loudly(tmp_path, capsys, raw_boundaries):
    raw = copy_raw(tmp_path)
    path = raw / "odv-provinces-63" / "diaphantinh_63_fixednames.topojson"
    path.write_text(path.read_text(encoding="utf-8").replace('"Bạc Liêu"', '"Atlantis"'),
                    encoding="utf-8")
    assert run_geodata_command(raw, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "Atlantis" in err and "Traceback" not in err
