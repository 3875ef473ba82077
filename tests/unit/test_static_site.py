"""The light (static) edition: plain HTML that any web server can serve, links that all resolve,
no script and nothing from another host, names shown as text (in the SVG too), and the source,
licence, boundary attribution and DEMO mark on every page.

One small release (two services, two provinces of each boundary set, a province's districts) is
exported once for the module; unit and source names carry `<script>` to prove they are escaped.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import paths
from dashboard.cli import main
from dashboard.static_site.build import MARKER, export_static
from dashboard.static_site.links import broken_links, page_references
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
    release = write_raw_release(root / "release", results=_small_results(), descriptor=descriptor)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASHBOARD_GEODATA", str(geodata))
        report = export_static(release, root / "site")
    print(f"\nlight edition of the small release: {report.summary()}")
    return report


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def _chart_pages(out: Path) -> list[Path]:
    return [p for p in _pages(out) if p.parent != out and p.name != "404.html" and "units" not in p.parts]


def test_every_local_reference_resolves(site):
    assert site.broken == []
    assert broken_links(site.out_dir) == []


def test_link_check_finds_a_broken_reference(site, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(site.out_dir, copy, symlinks=True)
    page = copy / "en" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", '<a href="nowhere.html">x</a>'
                                                             '<script src="https://cdn.example/p.js"></script></main>'),
                    encoding="utf-8")
    assert sorted(ref for _, ref in broken_links(copy)) == ["https://cdn.example/p.js", "nowhere.html"]


def test_pages_for_each_province_and_service_in_both_languages(site):
    out = site.out_dir
    for lang in ("vi", "en"):
        for page in ("index.html", "methodology.html", "data.html", "404.html", "services/admin.html",
                     "services/health.html", "provinces/lao-cai-vn63.html", "provinces/dak-lak-vn63.html",
                     "provinces/lao-cai-vn34.html", "provinces/ha-noi-vn34.html", "units/vn63-10.html"):
            assert (out / lang / page).is_file(), f"{lang}/{page}"
    # every province of a boundary set the release uses gets a page, with figures or not
    assert len(list((out / "vi" / "provinces").glob("*-vn63.html"))) == 63
    assert len(list((out / "vi" / "provinces").glob("*-vn34.html"))) == 34
    vi_page = (out / "vi" / "services" / "admin.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi_page and 'href="../../en/services/admin.html"' in vi_page
    en_page = (out / "en" / "provinces" / "dak-lak-vn63.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in en_page and 'href="../../vi/provinces/dak-lak-vn63.html"' in en_page
    assert (out / "index.html").is_file() and (out / MARKER).read_text().startswith("static-test\n")


def test_no_script_no_chart_library_one_local_stylesheet(site):
    out = site.out_dir
    assert not list(out.rglob("*.js"))
    for page in _pages(out):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.replace("&lt;script", ""), page
        assert "plotly" not in text.lower(), page
        refs, _ = page_references(page)
        sheets = [ref for tag, ref in refs if tag == "link" and not ref.endswith(".html")]  # not rel=canonical
        assert len(sheets) <= 1 and all(re.search(r"assets/style\.[0-9a-f]{10}\.css$", s) for s in sheets), page


def test_every_page_carries_source_licence_attribution_and_demo(site):
    for page in _chart_pages(site.out_dir) + [site.out_dir / "vi" / "methodology.html"]:
        text = page.read_text(encoding="utf-8")
        assert "Open Development Vietnam" in text and "CC BY-SA 4.0" in text, page
        assert 'href="https://creativecommons.org/licenses/by/4.0/"' in text, page
        assert "DEMO" in text and "static-test" in text, page
        for svg in re.findall(r"<svg.*?</svg>", text, re.S):
            assert ">DEMO</text>" in svg, f"{page}: a chart of a demo release without its DEMO mark"
    admin = (site.out_dir / "vi" / "services" / "admin.html").read_text(encoding="utf-8")
    assert admin.count('class="src"') == admin.count("<figure")  # a source line under every figure


def test_names_and_titles_are_text_not_markup(site):
    out = site.out_dir
    for page in _pages(out):
        assert EVIL not in page.read_text(encoding="utf-8"), page
    escaped = "Lào Cai &lt;script&gt;alert(1)&lt;/script&gt;"
    index = (out / "vi" / "index.html").read_text(encoding="utf-8")
    assert escaped in index
    assert f"<title>{escaped}: " in index  # the map's province link, inside the SVG
    province = (out / "en" / "provinces" / "lao-cai-vn63.html").read_text(encoding="utf-8")
    assert f"<h1>{escaped}</h1>" in province  # diacritics in English too
    assert re.search(r'<title id="f1-t">' + re.escape(escaped), province)  # the chart's own title
    methodology = (out / "vi" / "methodology.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/sipas?a=1&amp;b=2">Nguồn &lt;script&gt;' in methodology


def test_each_page_has_its_csv_and_the_release_tables(site):
    out = site.out_dir
    csvs = list((out / "vi" / "services").glob("*.csv"))
    assert csvs and all(path.read_bytes().startswith(BOM) for path in csvs)
    back = pd.read_csv(out / "vi" / "provinces" / "dak-lak-vn63.csv", encoding="utf-8-sig", dtype={"unit_code": str})
    assert set(back.loc[back["unit_code"] == "66", "name"]) == {"Đắk Lắk"}
    tables = out / "data" / "releases" / "static-test"
    assert {"results.csv", "results.json", "results.xlsx", "results.parquet", "datapackage.json"} <= {
        p.name for p in tables.iterdir()}
    assert json.loads((tables / "datapackage.json").read_text(encoding="utf-8"))["id"] == "static-test"
    data_page = (out / "en" / "data.html").read_text(encoding="utf-8")
    assert 'href="../data/releases/static-test/results.csv"' in data_page


def test_a_light_edition_keeps_csv_and_parquet_only(tmp_path):
    report = export_static(paths.RELEASES_DIR / "sipas-published", tmp_path / "site", tables="light")
    files = {p.name for p in (tmp_path / "site" / "data" / "releases" / "sipas-published").iterdir()}
    assert "results.csv" in files and "results.parquet" in files and "datapackage.json" in files
    assert not any(name.endswith((".xlsx", ".json")) and name != "datapackage.json" for name in files)
    assert report.broken == []


def test_unit_stubs_send_readers_to_the_province_page_without_script(site):
    stub = (site.out_dir / "en" / "units" / "vn63-66.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../provinces/dak-lak-vn63.html">' in stub
    assert '<a href="../provinces/dak-lak-vn63.html">' in stub


def test_404_pages_link_home_from_any_depth(site):
    for lang in ("vi", "en"):
        page = (site.out_dir / lang / "404.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page and f'href="/light/{lang}/index.html"' in page
        assert 'href="/light/assets/style.' in page


def test_cli_has_help_and_refuses_a_foreign_folder(tmp_path, capsys):
    assert main(["export-static", "--help"]) == 0
    assert "--tables" in capsys.readouterr().out
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["export-static", str(paths.RELEASES_DIR / "sipas-published"), "-o", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err and (tmp_path / "notes.txt").is_file()


def test_cli_writes_and_reports_the_largest_page(tmp_path, capsys):
    # --no-images is still accepted (scripts written for the Plotly edition), and says it does nothing
    assert main(["export-static", "sipas-published", "-o", str(tmp_path / "site"), "--no-images"]) == 0
    err = capsys.readouterr().err
    assert "no effect" in err and re.search(r"largest page \S+: \d+ KB raw, \d+ KB gzip", err)


def test_every_page_is_reached_by_following_links_from_the_index(site):
    """What the phone benchmark crawls: from <lang>/index.html, every page of the edition."""
    from urllib.parse import urlsplit

    for lang in ("vi", "en"):
        seen, todo = set(), [(site.out_dir / lang / "index.html").resolve()]
        while todo:
            page = todo.pop()
            if page in seen or not page.is_file():
                continue
            seen.add(page)
            for _, ref in page_references(page)[0]:
                parts = urlsplit(ref)
                if not parts.scheme and not parts.netloc and parts.path.endswith(".html"):
                    todo.append((page.parent / parts.path).resolve())
        pages = {p.resolve() for p in (site.out_dir / lang).rglob("*.html")
                 if p.name != "404.html" and "units" not in p.parts}
        assert pages - seen == set()
