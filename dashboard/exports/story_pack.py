"""The files of one view: PNG, SVG, CSV, XLSX, and the story pack ZIP that holds them all.

The story pack is what a journalist files with a story: the image (PNG and SVG), the exact numbers
(CSV and XLSX), README.txt (what the numbers are, the method in two sentences, caveats such as
small samples), CITATION.txt and citation.bib, LICENSE.txt and permalink.txt. If images cannot be
made on this server the pack is still made, without them, and README says so.
"""
from __future__ import annotations

import logging

import pandas as pd

from dashboard.exports.citation import bibtex, citation_info
from dashboard.exports.errors import ExportUnavailable
from dashboard.exports.images import ImageRenderer
from dashboard.exports.readme import citation_text, licence_text, readme_text
from dashboard.exports.stamp import figure_caption
from dashboard.exports.tables import csv_bytes
from dashboard.exports.view import ExportView
from dashboard.exports.xlsx import write_zip, xlsx_bytes
from dashboard.i18n import t

LOG = logging.getLogger(__name__)
TEXT_FILES = ("README.txt", "CITATION.txt", "citation.bib", "LICENSE.txt", "permalink.txt")


def view_png(view: ExportView, renderer: ImageRenderer) -> bytes:
    """The view's image as PNG (1920 px wide), stamped with release id and DEMO notice."""
    view.rows()
    return renderer.png(view.export_figure())


def view_svg(view: ExportView, renderer: ImageRenderer) -> bytes:
    view.rows()
    return renderer.svg(view.export_figure())


def view_csv(view: ExportView) -> bytes:
    """The exact figures behind the view, CSV in UTF-8 with BOM."""
    return csv_bytes(view.rows())


def about_frame(view: ExportView) -> pd.DataFrame:
    """The XLSX's second sheet: title, source, release and link, so the file stands alone too."""
    title, subtitle, source = figure_caption(view.figure) if view.figure is not None else (view.name, "", "")
    release = view.release
    lines = [title, subtitle, source or view.source,
             t("export.release_line", view.lang, release=release.id, version=release.version),
             view.permalink, t("export.demo_stamp", view.lang) if release.demo else ""]
    return pd.DataFrame({t("export.about_sheet", view.lang): [line for line in lines if line]})


def view_xlsx(view: ExportView) -> bytes:
    """The figures as XLSX: sheet 'data' (exactly the CSV) and an 'about' sheet."""
    return xlsx_bytes([("data", view.rows()), ("about", about_frame(view))])


def story_pack_files(view: ExportView, with_images: bool = True) -> list[str]:
    """The names of the files a story pack holds, in the order they are written."""
    stem = view.stem
    images = [f"{stem}.png", f"{stem}.svg"] if with_images and view.figure is not None else []
    return [*TEXT_FILES[:1], *images, f"{stem}.csv", f"{stem}.xlsx", *TEXT_FILES[1:]]


def build_story_pack(view: ExportView, renderer: ImageRenderer | None) -> bytes:
    """The story pack ZIP; `renderer` None (or one without a browser) leaves the images out."""
    data = view.rows()
    stem = view.stem
    images: dict[str, bytes] = {}
    problem = None
    if view.figure is not None and renderer is not None:
        figure = view.export_figure()
        try:
            images = {f"{stem}.png": renderer.png(figure), f"{stem}.svg": renderer.svg(figure)}
        except ExportUnavailable as exc:
            problem = str(exc)
            LOG.warning("story pack without images: %s", exc)
    elif view.figure is not None:
        problem = "no image renderer"
    files = story_pack_files(view, with_images=bool(images))
    citation = citation_info(view.release, view.lang, view.permalink, view.accessed)
    contents = {
        "README.txt": readme_text(view, files, citation, images_problem=problem).encode("utf-8"),
        **images,
        f"{stem}.csv": csv_bytes(data),
        f"{stem}.xlsx": view_xlsx(view),
        "CITATION.txt": citation_text(view).encode("utf-8"),
        "citation.bib": bibtex(citation, view.lang).encode("utf-8"),
        "LICENSE.txt": licence_text(view).encode("utf-8"),
        "permalink.txt": (view.permalink + "\n").encode("utf-8"),
    }
    return write_zip((name, contents[name]) for name in files)
