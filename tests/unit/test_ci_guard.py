"""CI cannot pass silently: a skipped test fails under DASHBOARD_REQUIRE_ALL, an empty run fails."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(tmp_path: Path, body: str, **env: str) -> subprocess.CompletedProcess:
    folder = tmp_path / "tests"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    (folder / "ci.py").write_text((ROOT / "tests" / "ci.py").read_text(encoding="utf-8"))
    (folder / "test_sample.py").write_text(body)
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "DASHBOARD_REQUIRE_ALL", "DASHBOARD_ALLOW_MISSING")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "tests"], cwd=tmp_path,
                          env={**clean, **env}, capture_output=True, text=True)


SKIPPING = """
from tests.ci import require

def test_needs_a_tool():
    require("a tool", False)

def test_needs_the_raw_files():
    require("raw files", False, input_name="raw-boundaries")
"""


def test_skips_pass_locally(tmp_path):
    out = run_pytest(tmp_path, SKIPPING)
    assert out.returncode == 0 and "2 skipped" in out.stdout, out.stdout


def test_a_skip_fails_under_ci_except_a_declared_missing_input(tmp_path):
    out = run_pytest(tmp_path, SKIPPING, DASHBOARD_REQUIRE_ALL="1", DASHBOARD_ALLOW_MISSING="raw-boundaries")
    assert out.returncode == 1, out.stdout
    assert "1 failed" in out.stdout and "1 skipped" in out.stdout
    assert "skipped under CI, which must run every test: missing input: a tool" in out.stdout
    assert "inputs .ci/run declared missing" in out.stdout and "raw files" in out.stdout


def test_ci_true_alone_is_the_same_switch(tmp_path):
    out = run_pytest(tmp_path, SKIPPING, CI="True")
    assert out.returncode == 1 and "2 failed" in out.stdout, out.stdout


def test_no_tests_collected_is_a_failure():
    from tests.run_all import main

    assert main(["-p", "no:cacheprovider", "-k", "no_test_has_this_name_at_all", "tests/unit/test_ci_guard.py"]) == 5
