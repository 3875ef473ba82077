"""The static edition: `python -m dashboard export-static RELEASE -o DIR`.

Plain HTML pages (index, one per service and per province, methodology, data) in Vietnamese and
English, with the app's own charts as interactive Plotly HTML (plotly.js included once, locally),
their PNG images and CSV data, every table of the release, the source line, the DEMO notice, the
licence and the boundary attribution on every page. Any web server or CDN can serve the folder
without Python: what a province puts on its portal, and what survives a publication-day spike.
"""
from __future__ import annotations

import sys
from pathlib import Path

from dashboard.i18n import LANGS


def run_export_static_command(release: str, out: Path, images: str = "summary", languages: str = "both") -> int:
    """CLI entry: 0 written (and every link resolves), 1 refused or broken (a message says why)."""
    from dashboard.exports.errors import ExportError
    from dashboard.loaders import ReleaseInvalid
    from dashboard.static_site.build import export_static

    chosen = LANGS if languages == "both" else (languages,)
    try:
        report = export_static(release, out, images=images, languages=tuple(chosen))
    except ReleaseInvalid as exc:
        print(f"export-static: the release is not valid:\n{exc}", file=sys.stderr)
        return 1
    except ExportError as exc:
        print(f"export-static: {exc}", file=sys.stderr)
        return 1
    print(f"export-static: {report.pages} pages, {report.charts} charts, {report.images} PNG images "
          f"({report.image_seconds:.1f} s), {report.csv_files} CSV files in {report.out_dir} "
          f"in {report.seconds:.1f} s", file=sys.stderr)
    if report.image_problem:
        print(f"export-static: images were left out: {report.image_problem}", file=sys.stderr)
    if report.broken:
        for page, ref in report.broken[:20]:
            print(f"export-static: broken reference in {page}: {ref}", file=sys.stderr)
        return 1
    return 0
