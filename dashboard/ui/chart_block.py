"""A chart as the pages show it: the figure, its text alternative, its download bar; and embeds.

In embed mode (`?embed=true`, a chart placed in a news article) a page draws its main chart, the
source line and a link back to the full view, then stops: no navigation, no pickers, no tables.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.content.number_columns import as_text
from dashboard.content.tables import value_table
from dashboard.exports.stamp import figure_caption
from dashboard.i18n import t
from dashboard.ui import components, state
from dashboard.ui.components import Context
from dashboard.ui.download_bar import render_download_bar, view_links


def render_chart(ctx: Context, fig: go.Figure, data: pd.DataFrame | None, *, key: str, name: str, page: str,
                 alt: str | None = None, table: pd.DataFrame | None = None, clickable: bool = False):
    """Draw a chart with its text alternative (sentence + table) and its download bar.

    `data` is exactly what the chart shows (the CSV/XLSX of the bar). Returns the click event of
    a `clickable` chart.
    """
    if ctx.lite:
        _render_lite(ctx, fig, data, alt, table)
        event = None
    else:
        event = components.show_figure(fig, key=key, clickable=clickable, lang=ctx.lang, alt=alt, table=table)
    if not ctx.embed:
        render_download_bar(fig, data, ctx, name, state.carried_params(), page=page, key=key)
    return event


def _render_lite(ctx: Context, fig: go.Figure, data: pd.DataFrame | None, alt: str | None,
                 table: pd.DataFrame | None) -> None:
    """The light version of a chart: its title, its sentence and its numbers as a plain HTML table
    (no plotly or MapLibre code is sent to the browser)."""
    title = figure_caption(fig)[0]
    if title:
        st.markdown(f"**{components.md_escape(title)}**")
    if alt and not components.lead_shown(alt):
        st.markdown(components.md_escape(alt))
    if table is None and data is not None and "value" in data:
        table = value_table(data, lambda g, c: _names(data).get(c, c), ctx.lang)
    if table is not None and len(table):
        table = as_text(table)
        st.table(table.set_index(table.columns[0]))
    st.caption(components.chart_source(ctx))


def _names(data: pd.DataFrame) -> dict[str, str]:
    return dict(zip(data["unit_code"], data["name"])) if {"unit_code", "name"} <= set(data.columns) else {}


def end_embed(ctx: Context, page: str, data: pd.DataFrame | None) -> None:
    """In embed mode: the source line and a link back to the full page, then nothing more."""
    if not ctx.embed:
        return
    components.render_source_line(ctx, data)
    link, _ = view_links(ctx, page, state.carried_params())
    st.markdown(components.safe_link(t("export.open_full", ctx.lang), link))
    st.stop()
