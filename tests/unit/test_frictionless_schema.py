"""Every datapackage.json carries the contract as Frictionless Table Schema: outside tools can check
a release with `frictionless validate` alone, and it fails on the contract's own rules."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from frictionless import Package

from dashboard.build.demo import DemoDesign, build_demo_release
from dashboard.build.published import build_real_release
from dashboard.release import contract as C


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    return build_demo_release(tmp_path_factory.mktemp("demo") / "demo",
                              design=DemoDesign(provinces=("10", "15"), respondents_per_village=3))


def frictionless_errors(folder):
    report = Package(str(folder / C.DATAPACKAGE)).validate()
    return [(e[0], e[1]) for e in report.flatten(["type", "message"])]


def test_every_resource_declares_its_schema_keys_and_the_indicators_foreign_key(small_demo):
    descriptor = json.loads((small_demo / C.DATAPACKAGE).read_text(encoding="utf-8"))
    schemas = {r["name"]: r["schema"] for r in descriptor["resources"]}
    assert set(schemas) >= {"results", "indicators", "ranks", "changes", "gaps", "harmonised"}
    for name, schema in schemas.items():
        assert schema["primaryKey"] == list(C.TABLES[name].key)
        assert [f["name"] for f in schema["fields"]] == pq.read_schema(small_demo / C.TABLES[name].path).names
    results = {f["name"]: f for f in schemas["results"]["fields"]}
    assert results["service"]["constraints"] == {"required": True, "enum": list(C.SERVICES)}
    assert results["year"]["constraints"]["minimum"] == C.FIRST_YEAR
    assert schemas["results"]["foreignKeys"][0]["reference"] == {"resource": "indicators",
                                                                 "fields": ["service", "indicator"]}


def test_frictionless_alone_passes_our_releases(small_demo, tmp_path):
    assert frictionless_errors(small_demo) == []
    real = build_real_release(None, tmp_path / "real")
    assert frictionless_errors(real) == []
    cli = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(real / C.DATAPACKAGE)],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout[-2000:]


def _rewrite_results(folder, change):
    table = pq.read_table(folder / "results.parquet").to_pandas()
    change(table)
    spec_schema = pq.read_schema(folder / "results.parquet")
    import pyarrow as pa

    pq.write_table(pa.Table.from_pandas(table, schema=spec_schema, preserve_index=False), folder / "results.parquet")
    descriptor = json.loads((folder / C.DATAPACKAGE).read_text(encoding="utf-8"))
    for r in descriptor["resources"]:
        if r["name"] == "results":
            r["hash"] = "sha256:" + hashlib.sha256((folder / "results.parquet").read_bytes()).hexdigest()
    (folder / C.DATAPACKAGE).write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("column,value,error", [("service", "tourism", "constraint-error"),
                                                ("year", 2010, "constraint-error"),
                                                ("indicator", "smiles", "foreign-key")])
def test_frictionless_alone_fails_a_broken_release(tmp_path, column, value, error):
    real = build_real_release(None, tmp_path / "real")
    _rewrite_results(real, lambda t: t.__setitem__(column, [value] + list(t[column].iloc[1:])))
    assert error in {kind for kind, _ in frictionless_errors(real)}
