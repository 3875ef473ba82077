"""Publication-ready exports: what a journalist downloads must stand alone and open right.

Kaleido tests share one Chromium (the process's `shared_renderer`). They are skipped only when
no browser is installed AND CI is not "true"; in CI a missing browser fails them.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import time
import zipfile

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard import paths
from dashboard.exports import ExportView, NothingToExport
from dashboard.exports.citation import bibtex, bibtex_key, citation_info, house_citation
from dashboard.exports.errors import ExportError, ExportUnavailable
from dashboard.exports.images import ImageRenderer, browser_problem, shared_renderer
from dashboard.exports.map_geometry import static_file_for, with_embedded_geometry
from dashboard.exports.permalink import (
    build_permalink,
    embed_height,
    embed_snippet,
    public_base_url,
)
from dashboard.exports.stamp import (
    ExportStamp,
    figure_caption,
    figure_texts,
    stamp_for_export,
)
from dashboard.exports.static_files import (
    release_files,
    stable_data_urls,
    write_release_files,
)
from dashboard.exports.story_pack import (
    build_story_pack,
    story_pack_files,
    view_csv,
    view_png,
    view_svg,
    view_xlsx,
)
from dashboard.exports.tables import csv_bytes, json_bytes, to_format
from dashboard.exports.xlsx import xlsx_bytes
from dashboard.figures.charts import Caption, build_dot_plot
from dashboard.figures.maps import build_choropleth
from dashboard.figures.maps.layers import read_map_layer
from dashboard.i18n import t
from dashboard.release.read import load_results, open_release
from tests.ci import require

NAMES = ["Lào Cai", "Đắk Lắk", "Thừa Thiên Huế"]
BOM = "\ufeff".encode("utf-8")


@pytest.fixture(scope="module")
def demo():
    return open_release(paths.RELEASES_DIR / "demo")


@pytest.fixture(scope="module")
def real():
    return open_release(paths.RELEASES_DIR / "sipas-published")


@pytest.fixture(scope="module")
def renderer() -> ImageRenderer:
    """The shared Chromium; skip (locally) or fail (CI) when there is none."""
    problem = browser_problem()
    require(f"a browser for Kaleido ({problem})", problem is None)
    return shared_renderer()


def small_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "year": [2024, 2024, 2024], "geo_version": ["vn63"] * 3, "level": ["province"] * 3,
        "unit_code": ["10", "66", "46"], "name": NAMES, "service": ["admin"] * 3, "indicator": ["index"] * 3,
        "value": [84.1, 79.5, 88.25], "ci_low": [80.2, 75.0, None], "ci_high": [88.0, 84.0, None],
        "n": pd.array([520, 45, None], dtype="Int32"), "flag": ["", "low_n", None], "source_id": ["s1"] * 3,
    })


def dot_view(release, lang="vi", data=None, name="So sánh các tỉnh – 2024") -> ExportView:
    data = small_frame() if data is None else data
    cap = Caption("Chỉ số hài lòng – Đắk Lắk và các tỉnh", "Năm 2024, khoảng tin cậy 95%",
                  "Nguồn: Bộ Nội vụ · số liệu tính đến 6 tháng 4, 2025")
    fig = build_dot_plot(data.dropna(subset=["value"]), cap, lang) if len(data) else build_dot_plot(small_frame(), cap, lang)
    link = build_permalink("https://example.org/app", "compare", {"year": 2024, "service": "admin"}, lang, release.id)
    return ExportView(fig, data, name, lang, release, permalink=link, notes=("Ghi chú: thử <b>nghiệm</b>",))


# -- tables ------------------------------------------------------------------------------------

def test_csv_has_bom_and_round_trips_diacritics():
    data = small_frame()
    raw = csv_bytes(data)
    assert raw.startswith(BOM)
    assert "Đắk Lắk".encode() in raw  # UTF-8, not a legacy code page
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype={"unit_code": str})
    assert back["name"].tolist() == NAMES
    assert back["unit_code"].tolist() == ["10", "66", "46"]
    assert back["value"].tolist() == [84.1, 79.5, 88.25]


def test_xlsx_round_trips_and_is_deterministic(tmp_path):
    data = small_frame()
    raw = to_format(data, "xlsx")
    assert raw == to_format(data, "xlsx")  # same table, same bytes (stable URLs)
    path = tmp_path / "a.xlsx"
    path.write_bytes(raw)
    back = pd.read_excel(path, dtype={"unit_code": str})
    assert back["name"].tolist() == NAMES
    assert back["unit_code"].tolist() == ["10", "66", "46"]
    assert back["value"].tolist() == [84.1, 79.5, 88.25]
    assert pd.isna(back["ci_low"].iloc[2]) and back["n"].iloc[0] == 520 and pd.isna(back["n"].iloc[2])


def test_xlsx_escapes_markup_and_names_sheets_safely(tmp_path):
    frame = pd.DataFrame({"name": ["<b>A & B</b>", "x\x01y"], "flag": [True, False]})
    path = tmp_path / "b.xlsx"
    path.write_bytes(xlsx_bytes([("data/1:[x]", frame), ("data/1:[x]", frame)]))
    book = pd.read_excel(path, sheet_name=None)
    assert list(book) == ["data_1__x_", "data_1__x__1"]
    assert book["data_1__x_"]["name"].tolist() == ["<b>A & B</b>", "xy"]
    assert book["data_1__x_"]["flag"].tolist() == [True, False]


def test_json_is_records_in_utf8():
    records = json.loads(json_bytes(small_frame()).decode("utf-8"))
    assert [r["name"] for r in records] == NAMES and records[2]["ci_low"] is None
    assert "Đắk".encode() in json_bytes(small_frame())


# -- stamp --------------------------------------------------------------------------------------

def test_stamp_draws_release_demo_and_keeps_the_original(demo, real):
    view = dot_view(demo)
    before = view.figure.to_json()
    stamped = view.export_figure()
    texts = " ".join(figure_texts(stamped))
    assert "Chỉ số hài lòng – Đắk Lắk và các tỉnh" in texts and "Năm 2024" in texts
    assert "Nguồn: Bộ Nội vụ" in texts and "demo" in texts and "DEMO" in texts
    assert view.permalink in texts
    assert stamped.layout.width == 960 and stamped.layout.height > view.figure.layout.height
    assert view.figure.to_json() == before, "stamping must not change the figure on screen"
    real_texts = " ".join(figure_texts(dot_view(real).export_figure()))
    assert "sipas-published" in real_texts and "DEMO" not in real_texts


def test_stamp_adds_source_title_and_boundary_attribution_when_missing(demo):
    layer = read_map_layer(paths.GEODATA_DIR, "provinces_vn63")
    units = layer.units.assign(name=layer.units["name_vi"])
    fig = build_choropleth(layer.geojson, units, small_frame(), Caption("Bản đồ"), "vi")
    fig.layout.title = None
    stamp = ExportStamp("en", "demo", "1.0.0", demo=True, title="Fallback title", source="Source: the ministry")
    texts = " ".join(figure_texts(stamp_for_export(fig, stamp)))
    assert "Fallback title" in texts and "Source: the ministry" in texts
    assert "Open Development Vietnam" in texts and "CC BY-SA 4.0" in texts


def test_figure_caption_reads_title_subtitle_source(demo):
    title, subtitle, source = figure_caption(dot_view(demo).figure)
    assert title == "Chỉ số hài lòng – Đắk Lắk và các tỉnh"
    assert subtitle == "Năm 2024, khoảng tin cậy 95%"
    assert source.startswith("Nguồn: Bộ Nội vụ")


# -- images (Kaleido) ------------------------------------------------------------------------------

def _svg_text(svg: bytes) -> str:
    return html.unescape(svg.decode("utf-8"))


def test_svg_holds_title_source_release_and_demo(demo, renderer):
    svg = _svg_text(view_svg(dot_view(demo), renderer))
    assert svg.lstrip().startswith("<svg")
    for text in ("Chỉ số hài lòng – Đắk Lắk và các tỉnh", "Nguồn: Bộ Nội vụ", "demo", "DEMO – DỮ LIỆU MÔ PHỎNG",
                 "Đắk Lắk", "Thừa Thiên Huế"):
        assert text in svg, text


def _coloured_share(png: bytes) -> float:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return float(((pixels.max(axis=2) - pixels.min(axis=2)) > 40).mean())


def test_png_is_wide_and_not_blank(demo, renderer):
    started = time.perf_counter()
    png = view_png(dot_view(demo), renderer)
    print(f"\nPNG of a dot plot: {time.perf_counter() - started:.2f} s")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 1600
    pixels = np.asarray(image.convert("L"))
    assert (pixels < 128).mean() > 0.005, "the image has no dark text or marks"
    assert pixels[:8].min() > 200 and pixels[:, :8].min() > 200, "the title touches the image's edge (clipped)"
    assert _coloured_share(png) > 0.001, "the image has no coloured marks"


def test_maplibre_map_renders_offline(demo, renderer):
    """The MapLibre choropleth (no tiles) really draws in Kaleido: many coloured pixels."""
    layer = read_map_layer(paths.GEODATA_DIR, "provinces_vn63")
    units = layer.units.assign(name=layer.units["name_vi"])
    values = load_results(demo, year=2024, level="province", service="admin", indicator="index")
    fig = build_choropleth(layer.geojson, units, values, Caption("Bản đồ SIPAS 2024"), "vi")
    view = ExportView(fig, values, "ban-do", "vi", demo)
    started = time.perf_counter()
    png = view_png(view, renderer)
    print(f"\nPNG of the province map: {time.perf_counter() - started:.2f} s")
    assert Image.open(io.BytesIO(png)).width >= 1600
    assert _coloured_share(png) > 0.02, "the map's provinces were not drawn"


def test_map_with_url_geometry_is_embedded_for_export(tmp_path):
    layer = read_map_layer(paths.GEODATA_DIR, "provinces_vn34", static_dir=tmp_path / "geo")
    units = layer.units.assign(name=layer.units["name_vi"])
    fig = build_choropleth(layer.url, units, pd.DataFrame(columns=small_frame().columns), Caption("x"), "vi")
    assert isinstance(fig.data[0].geojson, str)
    embedded = with_embedded_geometry(fig, static_dir=tmp_path)
    drawn = [trace for trace in embedded.data if getattr(trace, "geojson", None) is not None]
    assert all(isinstance(trace.geojson, dict) for trace in drawn)
    assert sum(len(trace.geojson["features"]) for trace in drawn) >= 34
    assert static_file_for("app/static/../../etc/passwd", tmp_path) is None
    with pytest.raises(ExportError):
        with_embedded_geometry(fig, static_dir=tmp_path / "nowhere")


def test_missing_browser_gives_a_clear_message(monkeypatch, demo):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    problem = browser_problem()
    assert "Chromium" in problem and "apt-get install chromium" in problem
    fresh = ImageRenderer()
    started = time.perf_counter()
    with pytest.raises(ExportUnavailable, match="Chromium"):
        fresh.png(dot_view(demo).export_figure())
    assert time.perf_counter() - started < 2, "a missing browser must be reported at once, not after a timeout"
    assert t(ExportUnavailable.message_key, "vi") and t(ExportUnavailable.message_key, "en")
    # the story pack is still made, without images, and says why
    names = zipfile.ZipFile(io.BytesIO(build_story_pack(dot_view(demo), fresh))).namelist()
    assert not any(n.endswith((".png", ".svg")) for n in names) and "README.txt" in names


# -- story pack, citation, permalink -------------------------------------------------------------

def test_story_pack_holds_every_listed_file(demo, renderer):
    view = dot_view(demo)
    started = time.perf_counter()
    pack = zipfile.ZipFile(io.BytesIO(build_story_pack(view, renderer)))
    print(f"\nstory pack: {time.perf_counter() - started:.2f} s")
    listed = story_pack_files(view)
    assert pack.namelist() == listed
    stem = "so-sanh-cac-tinh-2024"
    assert {f"{stem}.png", f"{stem}.svg", f"{stem}.csv", f"{stem}.xlsx", "README.txt", "CITATION.txt",
            "citation.bib", "LICENSE.txt", "permalink.txt"} == set(listed)
    readme = pack.read("README.txt").decode("utf-8")
    for name in listed:
        assert f"- {name}" in readme
    assert "Chỉ số hài lòng – Đắk Lắk và các tỉnh" in readme
    assert "1 con số dựa trên dưới 50 người trả lời" in readme  # the low_n caveat
    assert "DEMO" in readme and "Ghi chú: thử <b>nghiệm</b>" in readme
    assert pack.read("permalink.txt").decode().strip() == view.permalink
    assert "creativecommons.org/licenses/by/4.0" in pack.read("LICENSE.txt").decode()
    assert pack.read(f"{stem}.csv").startswith(BOM)
    assert Image.open(io.BytesIO(pack.read(f"{stem}.png"))).width >= 1600
    citation = pack.read("CITATION.txt").decode()
    assert demo.descriptor["title"] in citation and demo.descriptor["title_en"] in citation


def test_story_pack_without_figure_or_renderer(real):
    view = ExportView(None, small_frame(), "Bảng", "en", real, permalink="https://example.org/data?lang=en")
    pack = zipfile.ZipFile(io.BytesIO(build_story_pack(view, None)))
    assert pack.namelist() == story_pack_files(view) == ["README.txt", "bang.csv", "bang.xlsx", "CITATION.txt",
                                                         "citation.bib", "LICENSE.txt", "permalink.txt"]
    readme = pack.read("README.txt").decode()
    assert "published without confidence intervals" not in readme  # this frame has intervals
    assert real.descriptor["description_en"] in readme  # the release's own description


def test_xlsx_of_a_view_has_data_and_about_sheets(tmp_path, demo):
    view = dot_view(demo)
    path = tmp_path / "v.xlsx"
    path.write_bytes(view_xlsx(view))
    book = pd.read_excel(path, sheet_name=None)
    assert list(book) == ["data", "about"]
    assert book["data"]["name"].tolist() == NAMES
    about = " ".join(book["about"].iloc[:, 0].astype(str)) + " " + book["about"].columns[0]
    assert "Chỉ số hài lòng" in about and "demo" in about and view.permalink in about


def test_citation_and_bibtex(real):
    url = build_permalink("https://example.org", "trends", {"service": "admin", "q": "Đắk Lắk"}, "en", real.id)
    info = citation_info(real, "en", url)
    text = house_citation(info, "en")
    for part in (real.id, real.descriptor["title_en"], "(2026)", url, f"version {real.version};", "Data as of 6 April 2025"):
        assert part in text, part
    assert "Bộ dữ liệu" in house_citation(citation_info(real, "vi", url), "vi")
    bib = bibtex(info)
    assert bib.startswith("@misc{sipas_published_2026,")
    assert "year = {2026}" in bib and f"url = {{{url}}}" in bib and real.descriptor["title_en"] in bib
    assert r"\%" in bib.split("howpublished")[1].split("\n")[0]  # % escaped inside \url{} of a normal field
    assert bibtex_key(info).isascii()
    assert "DEMO" not in text


def test_empty_view_says_nothing_to_export(demo, renderer):
    view = dot_view(demo, data=small_frame().iloc[0:0])
    for make in (view_csv, view_xlsx, lambda v: view_png(v, renderer), lambda v: build_story_pack(v, renderer)):
        with pytest.raises(NothingToExport):
            make(view)
    vi, en = t(NothingToExport.message_key, "vi"), t(NothingToExport.message_key, "en")
    assert "Không có gì để tải về" in vi and "Nothing to export" in en


def test_permalink_and_embed_snippet():
    link = build_permalink("https://data.example.vn/app/", "map",
                           {"indicator": "index", "year": 2024, "embed": "true", "unit": "", "service": "admin",
                            "utm_source": "x"}, "en", "demo")
    assert link == ("https://data.example.vn/app/map?lang=en&release=demo&year=2024&service=admin&indicator=index"
                    "&utm_source=x")
    assert build_permalink("http://h", "", {"units": "01,79"}, "vi").endswith("/?lang=vi&units=01,79")
    embed = build_permalink("http://h", "map", {"year": 2024}, "vi", "demo", embed=True)
    assert embed.endswith("&embed=true")
    snippet = embed_snippet(embed, 'Bản đồ "SIPAS" <2024>', embed_height(620))
    assert snippet.startswith('<iframe src="http://h/map?lang=vi&amp;release=demo&amp;year=2024&amp;embed=true"')
    assert 'title="Bản đồ &quot;SIPAS&quot; &lt;2024&gt;"' in snippet and 'height="730"' in snippet
    with pytest.raises(ValueError):
        build_permalink("http://h", "map", {"q": "<script>"}, "vi")
    with pytest.raises(ValueError):
        build_permalink("http://h", "../etc", {}, "vi")


def test_public_base_url(monkeypatch):
    monkeypatch.delenv("DASHBOARD_PUBLIC_URL", raising=False)
    assert public_base_url("https://sipas.example.vn/map") == "https://sipas.example.vn/map"
    assert public_base_url(None) == "http://localhost:8501"
    assert public_base_url("javascript:alert(1)") == "http://localhost:8501"
    monkeypatch.setenv("DASHBOARD_PUBLIC_URL", "https://dulieu.gov.vn/hailong/")
    assert public_base_url("http://10.0.0.5:8501") == "https://dulieu.gov.vn/hailong"


# -- stable files ---------------------------------------------------------------------------------

def test_stable_files_are_complete_deterministic_and_listed(tmp_path, real):
    target, written = write_release_files(real.folder, tmp_path)
    assert written and target == tmp_path / "releases" / "sipas-published"
    index = json.loads((target / "index.json").read_text(encoding="utf-8"))
    names = {f["name"] for f in index["files"]}
    for table in ("results", "indicators", "notes", "changes"):
        assert {f"{table}.csv", f"{table}.json", f"{table}.xlsx", f"{table}.parquet"} <= names
    assert "datapackage.json" in names
    for entry in index["files"]:
        assert hashlib.sha256((target / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    assert (target / "results.parquet").read_bytes() == (real.folder / "results.parquet").read_bytes()
    assert (target / "results.csv").read_bytes().startswith(BOM)
    assert write_release_files(real.folder, tmp_path) == (target, False)  # up to date: left alone
    hashes = {e["name"]: e["sha256"] for e in index["files"]}
    (target / "index.json").unlink()
    write_release_files(real.folder, tmp_path)
    again = json.loads((target / "index.json").read_text(encoding="utf-8"))
    assert {e["name"]: e["sha256"] for e in again["files"]} == hashes  # same release, same bytes
    urls = stable_data_urls(real, "https://h.example", static_dir=tmp_path)
    assert ("https://h.example/app/static/releases/sipas-published/results.csv"
            in [url for _, url in urls])
    assert all(item.available for item, _ in urls)
    assert not any(item.available for item, _ in stable_data_urls(real, static_dir=tmp_path / "missing"))
    assert len(urls) == len(release_files(real.folder, real.id))


# -- a large view -------------------------------------------------------------------------------

def test_the_app_address_is_read_off_any_of_its_pages():
    from dashboard.exports.permalink import app_base_url

    slugs = ("", "map", "trends", "services")
    assert app_base_url("http://localhost:8610/trends", slugs) == "http://localhost:8610"
    assert app_base_url("https://x.gov.vn/sipas/map?year=2024#a", slugs) == "https://x.gov.vn/sipas"
    assert app_base_url("https://x.gov.vn/", slugs) == "https://x.gov.vn"
    assert app_base_url("https://x.gov.vn/sipas", slugs) == "https://x.gov.vn/sipas"  # not a page slug
    assert app_base_url(None, slugs) is None
