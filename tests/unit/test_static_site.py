"""The static edition: plain HTML that any web server can serve, links that all resolve, nothing
from a CDN, names shown as text, and the source, licence and boundary attribution on every page.

One small release (two services, two provinces of each boundary set, a province's districts) is
exported once for the module; unit and source names carry `<script>` to prove they are escaped.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from dashboard import paths
from dashboard.cli import main
from dashboard.exports.images import browser_problem, shared_renderer
from dashboard.static_site.build import export_static
from dashboard.static_site.links import broken_links, page_references
from tests.ci import require
from tests.release_factory import valid_descriptor, write_raw_release

EVIL = "<script>alert(1)</script>"
BOM = "\ufeff".encode("utf-8")


def _small_results() -> pd.DataFrame:
    demo = pd.read_parquet(paths.RELEASES_DIR / "demo" / "results.parquet")
    demo = demo[demo["service"].isin(["admin", "health"]) & demo["indicator"].isin(["index", "access"])]
    keep = (
        (demo["level"] == "national")
        | ((demo["level"] == "province") & demo["unit_code"].isin(["10", "66"]) & (demo["geo_version"] == "vn63"))
        | ((demo["level"] == "province") & demo["unit_code"].isin(["15", "01"]) & (demo["geo_version"] == "vn34"))
        | ((demo["level"] == "district") & (demo["parent_code"] == "10") & (demo["year"] == 2024))
    )
    small = demo[keep & ((demo["service"] == "admin") | (demo["year"] == 2025))].copy()
    small["source_id"] = "s1"
    return small.reset_index(drop=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    geodata = root / "geodata"
    geodata.mkdir()
    for layer in paths.GEODATA_DIR.glob("*.parquet"):
        if layer.name != "units.parquet":
            (geodata / layer.name).symlink_to(layer)
    units = pd.read_parquet(paths.GEODATA_DIR / "units.parquet")
    lao_cai = (units["geo_version"] == "vn63") & (units["unit_code"] == "10")
    units.loc[lao_cai, "name_vi"] = "Lào Cai " + EVIL
    units.loc[lao_cai, "name_en"] = "Lao Cai " + EVIL
    units.to_parquet(geodata / "units.parquet")
    descriptor = valid_descriptor()
    descriptor.update(id="static-test", name="static-test", title="Bản thử " + EVIL, title_en="Test " + EVIL)
    descriptor["sources"] = [{"id": "s1", "title": "Nguồn " + EVIL, "path": "https://example.org/sipas?a=1&b=2"}]
    descriptor["notes"] = []
    release = write_raw_release(root / "release", results=_small_results(), descriptor=descriptor)
    with_images = browser_problem() is None  # without a browser locally: pages only (the image test skips)
    old = os.environ.get("DASHBOARD_GEODATA")
    os.environ["DASHBOARD_GEODATA"] = str(geodata)
    try:
        report = export_static(release, root / "site", images="summary" if with_images else "none",
                               renderer=shared_renderer() if with_images else None)
    finally:
        if old is None:
            del os.environ["DASHBOARD_GEODATA"]
        else:
            os.environ["DASHBOARD_GEODATA"] = old
    print(f"\nstatic edition of the small release: {report.pages} pages, {report.images} images, "
          f"{report.seconds:.1f} s (images {report.image_seconds:.1f} s)")
    return report, with_images


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_local_reference_resolves(site):
    report, _ = site
    assert report.broken == []
    assert broken_links(report.out_dir) == []


def test_link_check_finds_a_broken_reference(site, tmp_path):
    report, _ = site
    copy = tmp_path / "copy"
    shutil.copytree(report.out_dir, copy, symlinks=True)
    page = copy / "en" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", '<a href="nowhere.html">x</a>'
                                                             '<script src="https://cdn.example/p.js"></script></main>'),
                    encoding="utf-8")
    assert sorted(ref for _, ref in broken_links(copy)) == ["https://cdn.example/p.js", "nowhere.html"]


def test_pages_for_each_province_and_service_in_both_languages(site):
    out = site[0].out_dir
    for lang in ("vi", "en"):
        for page in ("index.html", "methodology.html", "data.html", "services/admin.html", "services/health.html",
                     "provinces/lao-cai-vn63.html", "provinces/dak-lak-vn63.html", "provinces/lao-cai-vn34.html",
                     "provinces/ha-noi-vn34.html"):
            assert (out / lang / page).is_file(), f"{lang}/{page}"
    vi_page = (out / "vi" / "services" / "admin.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi_page and 'href="../../en/services/admin.html"' in vi_page
    en_page = (out / "en" / "provinces" / "dak-lak-vn63.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in en_page and 'href="../../vi/provinces/dak-lak-vn63.html"' in en_page
    assert (out / "index.html").is_file()


def test_plotly_js_once_locally_no_cdn(site):
    out = site[0].out_dir
    assert (out / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    charts = 0
    for page in _pages(out):
        text = page.read_text(encoding="utf-8")
        refs, _ = page_references(page)
        scripts = [ref for tag, ref in refs if tag == "script"]
        assert all(not re.match(r"https?:|//", ref) for ref in scripts), page
        assert "cdn.plot.ly" not in text and "cdn.jsdelivr" not in text
        assert len(text) < 3_000_000, f"{page} seems to inline plotly.js"
        if "Plotly.newPlot" in text:
            charts += 1
            assert sum(ref.endswith("assets/plotly.min.js") for ref in scripts) == 1, page
    assert charts >= 8


def test_every_page_carries_source_licence_attribution_and_demo(site):
    out = site[0].out_dir
    for page in _pages(out):
        if page.parent == out:
            continue  # the language chooser
        text = page.read_text(encoding="utf-8")
        assert "Open Development Vietnam" in text and "CC BY-SA 4.0" in text, page
        assert 'href="https://creativecommons.org/licenses/by/4.0/"' in text, page
        assert "DEMO" in text and "static-test" in text, page
    admin = (out / "vi" / "services" / "admin.html").read_text(encoding="utf-8")
    # the charts' own source line (inside the figure's JSON, where plotly writes non-ASCII as \\u escapes)
    assert "Nguồn: DEMO".encode("ascii", "backslashreplace").decode() in admin


def test_names_and_titles_are_text_not_markup(site):
    out = site[0].out_dir
    for page in _pages(out):
        assert EVIL not in page.read_text(encoding="utf-8"), page
    index = (out / "vi" / "index.html").read_text(encoding="utf-8")
    assert "Lào Cai &lt;script&gt;alert(1)&lt;/script&gt;" in index
    province = (out / "en" / "provinces" / "lao-cai-vn63.html").read_text(encoding="utf-8")
    assert "<h1>Lào Cai &lt;script&gt;alert(1)&lt;/script&gt;" in province  # diacritics in English too
    methodology = (out / "vi" / "methodology.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/sipas?a=1&amp;b=2">Nguồn &lt;script&gt;' in methodology


def test_csvs_pngs_and_stable_tables_next_to_pages(site):
    report, with_images = site
    out = report.out_dir
    csvs = list((out / "vi" / "services").glob("*.csv"))
    assert csvs and all(path.read_bytes().startswith(BOM) for path in csvs)
    back = pd.read_csv(out / "vi" / "provinces" / "dak-lak-vn63-data.csv", encoding="utf-8-sig")
    assert set(back["name"]) == {"Đắk Lắk"}
    tables = out / "data" / "releases" / "static-test"
    assert {"results.csv", "results.json", "results.xlsx", "results.parquet", "datapackage.json"} <= {
        p.name for p in tables.iterdir()}
    assert json.loads((tables / "datapackage.json").read_text(encoding="utf-8"))["id"] == "static-test"
    data_page = (out / "en" / "data.html").read_text(encoding="utf-8")
    assert 'href="../data/releases/static-test/results.csv"' in data_page
    require(f"a browser for Kaleido ({browser_problem()})", with_images)
    pngs = list((out / "vi" / "services").glob("*.png"))
    assert report.images == len(list(out.rglob("*.png"))) >= 4 and pngs
    for png in pngs:
        assert Image.open(io.BytesIO(png.read_bytes())).width >= 1600
        assert f'src="{png.name}"' in (png.parent / f"{png.name.split('-')[0]}.html").read_text(encoding="utf-8")


def test_cli_has_help_and_refuses_a_foreign_folder(tmp_path, capsys):
    assert main(["export-static", "--help"]) == 0
    assert "--no-images" in capsys.readouterr().out
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["export-static", str(paths.RELEASES_DIR / "sipas-published"), "-o", str(tmp_path), "--no-images"]) == 1
    assert "not empty" in capsys.readouterr().err and (tmp_path / "notes.txt").is_file()
