"""The light (static) edition: `python -m dashboard export-static RELEASE -o DIR`.

Plain HTML pages (index, one per service and per province, methodology, data) in Vietnamese and
English, whose charts and maps are inline SVG drawn at build time: no JavaScript, no chart library,
one small stylesheet, so a page opens in about two seconds on a cheap phone on 3G. Each figure has
its title, source line, DEMO mark where it is demo, and the table of its numbers; every page names
the release, its licence and the boundary attribution. Any web server or CDN serves the folder
without Python: what a province puts on its portal, what `publish` writes beside each release
(`dashboard.publishing.editions`) and what nginx serves at `/light/` (`?lite=true` lands there).

Why not the interactive Plotly edition any more: it sent 4.8 MB of plotly.js to every chart page,
which is what a reader on a slow connection must not pay; the app is the interactive version, and
its download bar makes the PNG/SVG images a journalist needs.
"""
from __future__ import annotations

import sys
from pathlib import Path

from dashboard.i18n import LANGS


def run_export_static_command(release: str, out: Path, languages: str = "both", tables: str = "all",
                              site_url: str = "/light/") -> int:
    """CLI entry: 0 written (and every link resolves), 1 refused or broken (a message says why)."""
    from dashboard.exports.errors import ExportError
    from dashboard.release.read import ReleaseInvalid
    from dashboard.static_site.build import export_static

    chosen = LANGS if languages == "both" else (languages,)
    try:
        report = export_static(release, out, languages=tuple(chosen), tables=tables, site_url=site_url)
    except ReleaseInvalid as exc:
        print(f"export-static: the release is not valid:\n{exc}", file=sys.stderr)
        return 1
    except ExportError as exc:
        print(f"export-static: {exc}", file=sys.stderr)
        return 1
    print(f"export-static: {report.summary()}", file=sys.stderr)
    for page in report.over_budget:
        print(f"export-static: {page} is over the budget ({report.sizes[page][1] / 1024:.0f} KB gzip)", file=sys.stderr)
    if report.broken:
        for page, ref in report.broken[:20]:
            print(f"export-static: broken reference in {page}: {ref}", file=sys.stderr)
        return 1
    return 0
