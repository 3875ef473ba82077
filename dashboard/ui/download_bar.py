"""The download bar under every chart and map: PNG, SVG, CSV, XLSX, story pack, link, embed, citation.

Files are made only when someone clicks (`st.download_button` with a callable, `on_click="ignore"`:
no rerun), so a page pays nothing for the bar. Images come from the process's one Chromium
(`exports.images.shared_renderer`); when there is none, the image buttons are disabled with a
plain message (the chart's own camera button still works), and the story pack comes without
images. An empty view shows "nothing to export" instead of buttons. In embed mode the bar is only
a link back to the full view.
"""
from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.exports import ExportView
from dashboard.exports.citation import bibtex, citation_info, house_citation
from dashboard.exports.images import shared_renderer
from dashboard.exports.permalink import app_base_url, build_permalink, embed_height, embed_snippet, public_base_url
from dashboard.exports.stamp import figure_caption
from dashboard.exports.story_pack import build_story_pack, view_csv, view_png, view_svg, view_xlsx
from dashboard.exports.tables import FORMATS
from dashboard.i18n import fmt_int, t
from dashboard.ui import cached, components, frame
from dashboard.ui.components import Context

LOG = logging.getLogger(__name__)
ZIP_MIME = "application/zip"


def _base_url() -> str:
    """DASHBOARD_PUBLIC_URL, else the address the reader is using, else localhost."""
    try:
        seen = st.context.url
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest, bare mode) there is no URL
        seen = None
    return public_base_url(app_base_url(seen, frame.PAGE_SLUGS))


def view_links(ctx: Context, page: str, params: dict) -> tuple[str, str]:
    """(permalink, embed URL) of the view: every parameter, the language and the release pinned."""
    base = _base_url()
    link = build_permalink(base, page, params, ctx.lang, ctx.release.id)
    embed = build_permalink(base, page, params, ctx.lang, ctx.release.id, embed=True)
    return link, embed


def _notes_for(ctx: Context, data: pd.DataFrame) -> tuple[str, ...]:
    """The release's notes that concern these figures, in the reader's language."""
    try:
        relevant = components.matching_notes(cached.notes(ctx.source), data)
    except Exception:  # noqa: BLE001 - notes are a nicety of the README; never block a download
        LOG.exception("reading the notes for an export failed")
        return ()
    column = "text_en" if ctx.lang == "en" else "text_vi"
    return tuple(str(text) for text in relevant[column].dropna()) if column in relevant else ()


def _safely(make, view: ExportView):
    """A zero-argument callable for st.download_button that logs what went wrong before failing."""
    def produce() -> bytes:
        try:
            return make(view)
        except Exception:
            LOG.exception("export of %r failed", view.name)
            raise
    return produce


def render_download_bar(fig: go.Figure | None, data: pd.DataFrame | None, ctx: Context, name: str,
                        permalink_params: dict, *, page: str | None = None, key: str | None = None) -> None:
    """Download buttons, permalink, embed snippet and citation for one chart or map.

    fig: the figure exactly as shown (title, subtitle and source baked in); None for a table only.
    data: the exact figures behind it (what the CSV/XLSX hold), e.g. the rows passed to the builder.
    name: a short human name of the view; the ASCII file names are made from it.
    permalink_params: the view's query parameters (year, service, indicator, level, unit, ...);
        language and release are added from `ctx`.
    page: the page's fixed slug ('' overview, 'map', 'services', ...); found from the registry if None.
    key: a prefix for the widget keys, needed when one page has two bars with the same name.
    """
    slug = frame.current_slug() if page is None else page
    link, embed_url = view_links(ctx, slug, permalink_params)
    if ctx.embed:
        st.markdown(f"[{t('export.open_full', ctx.lang)}]({link})")
        return
    prefix = f"dl_{key or name}"
    with st.container(border=True):
        st.markdown(f"**{t('export.heading', ctx.lang)}**")
        if data is None or data.empty:
            st.info(t("export.nothing", ctx.lang), icon=":material/info:")
            return
        view = ExportView(figure=fig, data=data, name=name, lang=ctx.lang, release=ctx.release, permalink=link,
                          notes=_notes_for(ctx, data), accessed=date.today(), source=components.chart_source(ctx))
        # A wrapping row: the buttons side by side on a wide screen, on two or three lines in a
        # narrow column or on a phone (fixed columns would cut the labels to one letter).
        row = st.container(horizontal=True, gap="small")
        _buttons(view, prefix, row)
        _share_popovers(row, ctx, fig, name, link, embed_url)


def _share_popovers(row, ctx: Context, fig: go.Figure | None, name: str, link: str, embed_url: str) -> None:
    """Link, embed code and citation, each behind a button in the bar's row. A popover's content
    is drawn only when opened: the four code boxes (with their syntax highlighter) cost a page
    load nothing, where open expanders cost about a quarter of a second of the map's first draw."""
    lang = ctx.lang
    with row.popover(t("export.link_button", lang), icon=":material/link:"):
        st.caption(t("export.link", lang))
        st.code(link, language=None, wrap_lines=True)
    if fig is not None:
        with row.popover(t("export.embed_button", lang), icon=":material/code:"):
            st.caption(t("export.embed_help", lang))
            title = figure_caption(fig)[0] or name
            st.code(embed_snippet(embed_url, title, embed_height(fig.layout.height)), language="html", wrap_lines=True)
    with row.popover(t("export.cite", lang), icon=":material/format_quote:"):
        info = citation_info(ctx.release, lang, link)
        st.code(house_citation(info, lang), language=None, wrap_lines=True)
        st.code(bibtex(info, lang), language="latex")


def _buttons(view: ExportView, prefix: str, row) -> None:
    """The five download buttons in `row`; image ones disabled (with the reason) when no browser can draw."""
    lang, stem = view.lang, view.stem
    renderer = shared_renderer()
    problem = renderer.problem() if view.figure is not None else None
    images_ok = view.figure is not None and problem is None
    buttons = [
        ("png", t("export.png", lang), _safely(lambda v: view_png(v, renderer), view), "image/png",
         t("export.png_help", lang), images_ok),
        ("svg", t("export.svg", lang), _safely(lambda v: view_svg(v, renderer), view), "image/svg+xml",
         t("export.svg_help", lang), images_ok),
        ("csv", t("export.csv", lang), _safely(view_csv, view), FORMATS["csv"][0], t("export.csv_help", lang), True),
        ("xlsx", t("export.xlsx", lang), _safely(view_xlsx, view), FORMATS["xlsx"][0], t("export.xlsx_help", lang),
         True),
        ("zip", t("export.pack", lang),
         _safely(lambda v: build_story_pack(v, renderer if images_ok else None), view), ZIP_MIME,
         t("export.pack_help", lang), True),
    ]
    for ext, label, make, mime, help_text, enabled in buttons:
        row.download_button(label, data=make, file_name=f"{stem}.{ext}", mime=mime, key=f"{prefix}_{ext}",
                            help=help_text, on_click="ignore", disabled=not enabled,
                            icon=":material/download:", width="content")
    if view.figure is not None and problem is not None:
        LOG.warning("image export unavailable: %s", problem)
        st.caption(t("export.images_unavailable", lang))


def render_format_buttons(data_for, rows: int, prefix: str, release_id: str, lang: str) -> None:
    """One download button per table format (the data page); `data_for(fmt)` is a callable that
    makes the bytes, so they are made only when someone clicks."""
    st.caption(t("dl.rows", lang, count=rows, rows=fmt_int(rows, lang)))
    cols = st.columns(len(FORMATS))
    for col, (fmt, (mime, ext)) in zip(cols, FORMATS.items()):
        col.download_button(ext.upper(), data=data_for(fmt), file_name=f"{release_id}-{prefix}.{ext}", mime=mime,
                            on_click="ignore", key=f"dl_{prefix}_{fmt}", icon=":material/download:")
