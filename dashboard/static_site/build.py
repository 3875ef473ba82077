"""Write the light (static) edition of a release into a folder.

    DIR/index.html                        language choice
    DIR/assets/style.<hash>.css           the one stylesheet (content-named: cached for a year)
    DIR/data/releases/<id>/...            the release's tables (CSV and Parquet; every format with
                                          `tables="all"`) and its datapackage.json
    DIR/<lang>/index.html, methodology.html, data.html, 404.html
    DIR/<lang>/services/<service>.html    (+ <service>.csv: the page's figures)
    DIR/<lang>/provinces/<slug>-<geo>.html (+ .csv)
    DIR/<lang>/units/<geo>-<code>.html    redirects by GSO code (see `content`)
    DIR/.static-edition                   marker: release id and edition format

Charts and maps are inline SVG drawn here (`svg`, `svg_map`): a page is its HTML and one
stylesheet, nothing else. The report gives every page's size as sent (raw and gzip), so a build
that breaks the budget (`PAGE_BUDGET_GZIP`) says so.
"""
from __future__ import annotations

import gzip
import hashlib
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import paths
from dashboard.exports.errors import ExportError
from dashboard.exports.static_files import file_bytes, release_files
from dashboard.exports.tables import csv_bytes
from dashboard.geo.units_table import units_or_empty
from dashboard.i18n import LANGS, t
from dashboard.release.contract import method_breaks
from dashboard.release.read import Release, load_notes, load_results, load_table, open_release
from dashboard.settings import load_settings
from dashboard.static_site import bodies
from dashboard.static_site.content import SiteData, provinces_of, services_of, unit_stub_path, with_names
from dashboard.static_site.html_pages import Frame, page_html, stylesheet
from dashboard.static_site.links import broken_links
from dashboard.static_site.pages import Page, index_page, province_page, service_page

MARKER = ".static-edition"
EDITION_FORMAT = 2  # bump when the pages written for the same release change (editions are rebuilt)
OWN_ENTRIES = ("index.html", "assets", "data", *LANGS)
PAGE_BUDGET_GZIP = 150 * 1024  # bytes a page may cost on the wire (issue 16: a phone on 3G)
TABLE_FORMATS = {"light": ("csv", "parquet"), "all": ("csv", "json", "xlsx", "parquet")}
DEFAULT_SITE_URL = "/light/"
CSV_COLUMNS = ["year", "geo_version", "level", "unit_code", "name", "service", "indicator", "value", "ci_low",
               "ci_high", "n", "flag", "source_id"]


@dataclass
class SiteReport:
    """What was written, how long it took, how heavy the pages are, and what is wrong (ideally nothing)."""

    out_dir: Path
    release_id: str = ""
    pages: int = 0
    figures: int = 0
    csv_files: int = 0
    seconds: float = 0.0
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # page -> (raw bytes, gzip bytes)
    broken: list[tuple[str, str]] = field(default_factory=list)

    def largest(self) -> tuple[str, int, int]:
        name = max(self.sizes, key=lambda p: self.sizes[p][1])
        return (name, *self.sizes[name])

    def median_gzip(self) -> float:
        return statistics.median(g for _, g in self.sizes.values())

    def median_raw(self) -> float:
        return statistics.median(r for r, _ in self.sizes.values())

    @property
    def over_budget(self) -> list[str]:
        return [p for p, (_, g) in self.sizes.items() if g > PAGE_BUDGET_GZIP]

    def summary(self) -> str:
        if not self.sizes:
            return f"{self.pages} pages in {self.out_dir} in {self.seconds:.1f} s"
        name, raw, zipped = self.largest()
        return (f"{self.pages} pages ({self.figures} figures, {self.csv_files} CSV files) in {self.out_dir} in "
                f"{self.seconds:.1f} s; largest page {name}: {raw / 1024:.0f} KB raw, {zipped / 1024:.0f} KB gzip; "
                f"median {self.median_raw() / 1024:.0f} KB raw, {self.median_gzip() / 1024:.0f} KB gzip "
                f"(budget {PAGE_BUDGET_GZIP // 1024} KB gzip per page)")


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


def write_stylesheet(out_dir: Path) -> str:
    """Write the stylesheet under a name holding its hash; returns its path from the edition's root."""
    css = stylesheet().encode("utf-8")
    name = f"assets/style.{hashlib.sha256(css).hexdigest()[:10]}.css"
    (out_dir / "assets").mkdir(exist_ok=True)
    (out_dir / name).write_bytes(css)
    return name


def write_data_files(release: Release, out_dir: Path, formats: tuple[str, ...]) -> list:
    """The release's tables in `formats` and its datapackage.json under `data/releases/<id>/`."""
    target = out_dir / "data" / "releases" / release.id
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for item in release_files(release.folder, release.id):
        if item.table != "datapackage" and item.fmt not in formats:
            continue
        (target / item.file_name).write_bytes(file_bytes(release.folder, item))
        written.append(item)
    return written


def _plain(frame):
    """Years as ints and text as Python strings: the pages cut these tables into thousands of small
    pieces, where Arrow-backed strings cost more than they save (a third of the build's time)."""
    if "year" in frame:
        frame["year"] = frame["year"].astype(int)
    text = [c for c in frame.columns if str(frame[c].dtype) in ("str", "string")]
    return frame.astype({c: object for c in text}) if text else frame


def site_data(release: Release) -> SiteData:
    """Every table the pages read, once."""
    optional = {name: _plain(load_table(release, name)) for name in ("ranks", "gaps", "harmonised")}
    return SiteData(release=release, results=_plain(load_results(release)), units=_plain(units_or_empty()),
                    geodata_dir=load_settings().geodata_dir, breaks=frozenset(method_breaks(load_notes(release))), **optional)


class _Writer:
    """Writes pages of one language, keeping the report (sizes as sent: raw and gzip)."""

    def __init__(self, out_dir: Path, release: Release, css: str, languages: tuple[str, ...],
                 report: SiteReport) -> None:
        self.out_dir, self.release, self.css, self.languages, self.report = out_dir, release, css, languages, report

    def frame(self, lang: str, page_path: str) -> Frame:
        root = "../" * (page_path.count("/") + 1)  # the language folder, then any subfolder
        other = next((code for code in self.languages if code != lang), None)
        return Frame(lang=lang, release=self.release, root=root, css=self.css,
                     other_lang_href=f"{root}{other}/{page_path}" if other else None)

    def write(self, lang: str, page_path: str, html: str, measured: bool = True) -> None:
        target = self.out_dir / lang / page_path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = html.encode("utf-8")
        target.write_bytes(data)
        self.report.pages += 1
        if measured:
            self.report.sizes[f"{lang}/{page_path}"] = (len(data), len(gzip.compress(data, 6, mtime=0)))

    def chart_page(self, lang: str, page: Page, data: SiteData) -> None:
        csv_name = None
        rows = page.rows
        if len(rows):
            rows = with_names(rows, data, lang)
            csv_name = f"{Path(page.path).stem}.csv"
            columns = [c for c in CSV_COLUMNS if c in rows]
            (self.out_dir / lang / page.path).parent.mkdir(parents=True, exist_ok=True)
            (self.out_dir / lang / Path(page.path).parent / csv_name).write_bytes(csv_bytes(rows[columns]))
            self.report.csv_files += 1
        body = bodies.chart_page_body(page, self.release, lang, csv_name)
        title = f"{page.title} ({page.subtitle})" if page.subtitle else page.title
        self.write(lang, page.path, page_html(self.frame(lang, page.path), page.title, body,
                                              description=page.leads[0] if page.leads else "", head_title=title))
        self.report.figures += len(page.figures)

    def text_page(self, lang: str, page_path: str, title: str, body: str) -> None:
        self.write(lang, page_path, page_html(self.frame(lang, page_path), title, body))


def export_static(source: str | Path, out_dir: Path, languages: tuple[str, ...] = LANGS, tables: str = "all",
                  site_url: str = DEFAULT_SITE_URL) -> SiteReport:
    """Write the light edition of the release at `source` into `out_dir`; returns what was done.

    `tables`: "all" (every table as CSV, JSON, XLSX and Parquet: a province's portal has no other
    server) or "light" (CSV and Parquet: what `publish` keeps beside each release). `site_url`: the
    address the edition is served at, for the 404 pages' links (they are served at any depth).
    """
    if tables not in TABLE_FORMATS:
        raise ValueError(f"tables must be one of {sorted(TABLE_FORMATS)}")
    started = time.perf_counter()
    release = open_release(resolve_release_source(source))
    prepare_folder(out_dir)
    report = SiteReport(out_dir=out_dir, release_id=release.id)
    css = write_stylesheet(out_dir)
    files = write_data_files(release, out_dir, TABLE_FORMATS[tables])
    data = site_data(release)
    notes = load_notes(release)
    written = tuple(code for code in LANGS if code in languages)
    writer = _Writer(out_dir, release, css, written, report)
    for lang in written:
        writer.chart_page(lang, index_page(data, lang), data)
        for service in services_of(data):
            writer.chart_page(lang, service_page(data, service, lang), data)
        for geo, code in provinces_of(data):
            page = province_page(data, geo, code, lang)
            writer.chart_page(lang, page, data)
            label = data.name(geo, code, lang)
            writer.write(lang, unit_stub_path(geo, code),
                         bodies.unit_stub(f"../{data.province_path(geo, code)}", label, lang), measured=False)
        writer.text_page(lang, "methodology.html", t("m.title", lang), bodies.methodology_body(release, lang, notes))
        writer.text_page(lang, "data.html", t("dl.title", lang), bodies.data_body(files, "../", lang))
        not_found = Frame(lang=lang, release=release, root=site_url, css=css, other_lang_href=None)
        writer.write(lang, "404.html", page_html(not_found, t("light.not_found", lang), bodies.not_found_body(lang, site_url)),
                     measured=False)
    (out_dir / "index.html").write_text(bodies.language_chooser(release, css, written), encoding="utf-8")
    (out_dir / MARKER).write_text(f"{release.id}\n{EDITION_FORMAT}\n", encoding="utf-8")
    report.broken = broken_links(out_dir)
    report.seconds = time.perf_counter() - started
    return report
