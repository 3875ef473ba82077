"""The committed default releases are exactly what their builders make from the committed sources."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard import paths
from dashboard.build.demo import build_demo_release
from dashboard.build.published import build_real_release
from dashboard.release import contract as C
from dashboard.release.read import load_table, open_release


def assert_same_release(committed_dir, fresh_dir):
    committed, fresh = open_release(committed_dir), open_release(fresh_dir)
    strip = lambda d: {k: v for k, v in d.items() if k != "resources"}  # noqa: E731 - hashes differ with bytes only
    assert strip(json.loads((committed_dir / C.DATAPACKAGE).read_text(encoding="utf-8"))) == \
        strip(json.loads((fresh_dir / C.DATAPACKAGE).read_text(encoding="utf-8")))
    for name, spec in C.TABLES.items():
        if not committed.path_of(name).is_file() and not fresh.path_of(name).is_file():
            continue
        a, b = load_table(committed, name), load_table(fresh, name)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=False,
                                      rtol=0, atol=1e-9, obj=spec.path)


def test_the_real_release_equals_a_fresh_build(tmp_path):
    fresh = build_real_release(None, tmp_path / "real")
    assert_same_release(paths.RELEASES_DIR / "sipas-published", fresh)


@pytest.mark.slow
def test_the_demo_release_equals_a_fresh_build(tmp_path):
    assert_same_release(paths.RELEASES_DIR / "demo", build_demo_release(tmp_path / "demo"))
