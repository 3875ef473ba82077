"""Write the static edition of a release into a folder.

    DIR/index.html                      language choice
    DIR/assets/plotly.min.js, style.css plotly.js once, local (no CDN: works offline)
    DIR/data/releases/<id>/...          every table as CSV/JSON/XLSX/Parquet + datapackage.json
    DIR/<lang>/index.html, methodology.html, data.html
    DIR/<lang>/services/<service>.html  (+ <service>-<chart>.png/.csv, <service>-data.csv)
    DIR/<lang>/provinces/<slug>-<geo>.html (+ its charts' .png/.csv and <slug>-<geo>-data.csv)

PNG images come from one Kaleido/Chromium process (about 0.5 s per chart, 2-3 s per map).
`images`: "none" (fastest), "summary" (default: on each service page the map and ranking of the
newest boundary set and the national series) or "all" (every chart, also on province pages).
"""
from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import plotly

from dashboard import paths
from dashboard.contract import method_breaks
from dashboard.exports.errors import ExportError
from dashboard.exports.images import ImageRenderer, shared_renderer
from dashboard.exports.stamp import ExportStamp, figure_caption, stamp_for_export
from dashboard.exports.static_files import release_files, write_release_files
from dashboard.exports.tables import csv_bytes
from dashboard.i18n import LANGS, t
from dashboard.loaders import Release, load_notes, load_results, open_release
from dashboard.static_site import bodies
from dashboard.static_site.content import Page, SiteData, province_page, provinces_of, service_page, services_of
from dashboard.static_site.html_pages import STYLE_CSS, Frame, chart_html, page_html
from dashboard.static_site.links import broken_links
from dashboard.views.units import geodata_dir, read_units

MARKER = ".static-edition"
IMAGE_MODES = ("none", "summary", "all")
OWN_ENTRIES = ("index.html", "assets", "data", *LANGS)


@dataclass
class SiteReport:
    """What was written, how long it took, and what is wrong with it (nothing, ideally)."""

    out_dir: Path
    pages: int = 0
    charts: int = 0
    images: int = 0
    csv_files: int = 0
    seconds: float = 0.0
    image_seconds: float = 0.0
    image_problem: str | None = None
    broken: list[tuple[str, str]] = field(default_factory=list)


def resolve_release_source(source: str | Path) -> str:
    """A release folder, a release id under data/releases/, or an http(s) URL."""
    text = str(source)
    if text.startswith(("http://", "https://")) or Path(text).is_dir():
        return text
    candidate = paths.RELEASES_DIR / text
    return str(candidate) if candidate.is_dir() else text


def prepare_folder(out_dir: Path) -> None:
    """Create `out_dir`, or clear a previous static edition in it; refuse a folder holding other files."""
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise ExportError(f"{out_dir} is not empty and is not a static edition: choose a new or empty folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry in OWN_ENTRIES:
        target = out_dir / entry
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def write_assets(out_dir: Path) -> None:
    assets = out_dir / "assets"
    assets.mkdir(exist_ok=True)
    shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", assets / "plotly.min.js")
    (assets / "style.css").write_text(STYLE_CSS, encoding="utf-8")


class _Images:
    """Renders PNGs with one browser; after the first failure it stops trying (and says why)."""

    def __init__(self, mode: str, renderer: ImageRenderer | None, release: Release) -> None:
        self.mode, self.renderer, self.release = mode, renderer, release
        self.problem: str | None = None
        self.count, self.seconds = 0, 0.0

    def wanted(self, summary: bool) -> bool:
        return self.problem is None and (self.mode == "all" or (self.mode == "summary" and summary))

    def write(self, fig, lang: str, target: Path) -> bool:
        if self.renderer is None:
            self.renderer = shared_renderer()
        started = time.perf_counter()
        try:
            target.write_bytes(self.renderer.png(stamp_for_export(fig, ExportStamp.for_release(self.release, lang))))
        except ExportError as exc:
            self.problem = str(exc)
            print(f"export-static: no more PNG images: {exc}", file=sys.stderr)
            return False
        finally:
            self.seconds += time.perf_counter() - started
        self.count += 1
        return True


def _write_chart_page(out_dir: Path, lang: str, page: Page, data: SiteData, images: _Images,
                      report: SiteReport, languages: tuple[str, ...]) -> None:
    target = out_dir / lang / page.path
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = Path(page.path).stem
    charts = []
    for number, chart in enumerate(page.charts, start=1):
        base = f"{stem}-{chart.stem}"
        (target.parent / f"{base}.csv").write_bytes(csv_bytes(chart.data))
        report.csv_files += 1
        png = None
        if images.wanted(chart.summary) and images.write(chart.figure, lang, target.parent / f"{base}.png"):
            png = f"{base}.png"
        alt = figure_caption(chart.figure)[0] or page.title
        charts.append(chart_html(chart.figure, f"chart-{number}", lang, png, f"{base}.csv", alt))
        report.charts += 1
    data_csv = None
    if page.data is not None and not page.data.empty:
        data_csv = f"{stem}-data.csv"
        (target.parent / data_csv).write_bytes(csv_bytes(page.data))
        report.csv_files += 1
    frame = _frame(data.release, lang, page.path, languages, charts=bool(charts))
    target.write_text(page_html(frame, page.title, bodies.chart_page_body(page, charts, data_csv, lang)),
                      encoding="utf-8")
    report.pages += 1


def _frame(release: Release, lang: str, page_path: str, languages: tuple[str, ...], charts: bool = False) -> Frame:
    depth = page_path.count("/") + 1  # the language folder, then any subfolder
    root = "../" * depth
    other = next((code for code in languages if code != lang), None)
    return Frame(lang=lang, release=release, root=root, charts=charts,
                 other_lang_href=f"{root}{other}/{page_path}" if other else None)


def _write_text_page(out_dir: Path, lang: str, path: str, title: str, body: str, release: Release,
                     report: SiteReport, languages: tuple[str, ...]) -> None:
    target = out_dir / lang / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page_html(_frame(release, lang, path, languages), title, body), encoding="utf-8")
    report.pages += 1


def export_static(source: str | Path, out_dir: Path, images: str = "summary",
                  languages: tuple[str, ...] = LANGS, renderer: ImageRenderer | None = None) -> SiteReport:
    """Write the static edition of the release at `source` into `out_dir`; returns what was done."""
    if images not in IMAGE_MODES:
        raise ValueError(f"images must be one of {IMAGE_MODES}")
    started = time.perf_counter()
    release = open_release(resolve_release_source(source))
    prepare_folder(out_dir)
    write_assets(out_dir)
    write_release_files(release.folder, out_dir / "data")
    results = load_results(release)
    results["year"] = results["year"].astype(int)
    data = SiteData(release=release, results=results, units=read_units(), geodata_dir=geodata_dir(),
                    breaks=frozenset(method_breaks(load_notes(release))))
    notes = load_notes(release)
    report = SiteReport(out_dir=out_dir)
    painter = _Images(images, renderer, release)
    layers: dict = {}
    files = release_files(release.folder, release.id)
    written = tuple(code for code in LANGS if code in languages)
    for lang in written:
        _write_text_page(out_dir, lang, "index.html", release.title(lang), bodies.index_body(data, lang), release,
                         report, written)
        for service in services_of(data):
            _write_chart_page(out_dir, lang, service_page(data, service, lang, layers), data, painter, report, written)
        for geo, code in provinces_of(data):
            _write_chart_page(out_dir, lang, province_page(data, geo, code, lang), data, painter, report, written)
        _write_text_page(out_dir, lang, "methodology.html", t("m.title", lang),
                         bodies.methodology_body(data, lang, notes), release, report, written)
        _write_text_page(out_dir, lang, "data.html", t("dl.title", lang), bodies.data_body(files, "../", lang),
                         release, report, written)
    (out_dir / "index.html").write_text(bodies.language_chooser(release, written), encoding="utf-8")
    (out_dir / MARKER).write_text(f"{release.id}\n", encoding="utf-8")
    report.images, report.image_seconds, report.image_problem = painter.count, painter.seconds, painter.problem
    report.broken = broken_links(out_dir)
    report.seconds = time.perf_counter() - started
    return report
