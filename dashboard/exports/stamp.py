"""Make an exported image stand alone: release id, DEMO notice and boundary attribution drawn in.

The on-screen chart already carries its title, subtitle and source line (`charts.frame_figure`). An image
that leaves the site also needs the release it came from (and where to find it again), a DEMO
notice nobody can miss when the figures are synthetic, and, for maps, the boundary licence's
attribution. `stamp_for_export` adds what is missing to a COPY of the figure, as one footer
annotation (named `export-stamp`) in extra bottom margin, so nothing on the chart moves; a map's
geometry, referred to by URL in the app, is put back inline (Kaleido cannot fetch it).
"""
from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.exports.images import EXPORT_WIDTH
from dashboard.exports.map_geometry import with_embedded_geometry
from dashboard.geo.attribution import boundary_attribution
from dashboard.i18n import t
from dashboard.text import html_escape

STAMP_NAME = "export-stamp"
WATERMARK_NAME = "export-demo-watermark"
DEMO_RED = "#B00020"
LINE_PX = 14
WRAP = 125
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# `charts.frame_figure`: "<b>title (maybe wrapped with <br>)</b><br><span ...>subtitle</span>"
_SUBTITLE = re.compile(r"^(.*?)(?:<br\s*/?>\s*<span[^>]*>(.*)</span>)?\s*$", re.DOTALL)
MAP_TRACES = ("choroplethmap", "scattermap", "densitymap", "choroplethmapbox", "scattermapbox", "choropleth",
              "scattergeo")


@dataclass(frozen=True)
class ExportStamp:
    """What an exported image must say besides the chart itself."""

    lang: str
    release_id: str
    version: str = ""
    demo: bool = False
    title: str = ""  # drawn only if the figure has no title
    source: str = ""  # drawn only if the figure does not carry it already
    permalink: str = ""

    @classmethod
    def for_release(cls, release, lang: str, permalink: str = "", source: str = "", title: str = "") -> ExportStamp:
        """The stamp of a `loaders.Release` (or anything with id, version, demo)."""
        return cls(lang=lang, release_id=release.id, version=release.version, demo=release.demo,
                   title=title, source=source, permalink=permalink)


def plain_text(text) -> str:
    """Plotly's HTML-ish text as a reader sees it: no tags, entities decoded, single spaces."""
    text = _BREAK.sub(" ", str(text or ""))
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", text))).strip()


def is_map(fig: go.Figure) -> bool:
    """True when the figure draws geography (its export must carry the boundary attribution)."""
    return any(trace.type in MAP_TRACES for trace in fig.data)


def figure_texts(fig: go.Figure) -> list[str]:
    """Every text drawn around the chart (title, annotations, axis and legend titles), as plain text."""
    layout = fig.layout
    texts = [plain_text(layout.title.text)] if layout.title and layout.title.text else []
    texts += [plain_text(a.text) for a in layout.annotations or () if a.text]
    for axis in (layout.xaxis, layout.yaxis):
        if axis and axis.title and axis.title.text:
            texts.append(plain_text(axis.title.text))
    if layout.legend and layout.legend.title and layout.legend.title.text:
        texts.append(plain_text(layout.legend.title.text))
    return [text for text in texts if text]


def figure_caption(fig: go.Figure) -> tuple[str, str, str]:
    """(title, subtitle, source) as `charts.frame_figure` draws them: title, <span>subtitle</span>, source at the foot."""
    raw = str(fig.layout.title.text or "") if fig.layout.title else ""
    parts = _SUBTITLE.match(raw)
    title, subtitle = (parts.group(1), parts.group(2) or "") if parts else (raw, "")
    sources = [a.text for a in fig.layout.annotations or ()
               if a.name not in (STAMP_NAME, WATERMARK_NAME) and a.yref == "paper" and a.y == 0 and a.yanchor == "top"]
    return plain_text(title), plain_text(subtitle), plain_text(sources[0]) if sources else ""


def _contains(texts: list[str], wanted: str) -> bool:
    wanted = plain_text(wanted)
    return any(wanted in text for text in texts)


def stamp_lines(fig: go.Figure, stamp: ExportStamp) -> list[tuple[str, bool]]:
    """The footer lines to add, each (text, is_demo_notice), in drawing order."""
    texts = figure_texts(fig)
    lines: list[tuple[str, bool]] = []
    if stamp.source and not _contains(texts, stamp.source):
        lines.append((stamp.source, False))
    if is_map(fig) and not any("Open Development Vietnam" in text for text in texts):
        lines.append((boundary_attribution(stamp.lang, short=True), False))
    release = t("export.release_line", stamp.lang, release=stamp.release_id, version=stamp.version or "–")
    lines.append((release + (f" · {stamp.permalink}" if stamp.permalink else ""), False))
    if stamp.demo:
        lines.append((t("export.demo_stamp", stamp.lang), True))
    return lines


MULTILINE_TITLE_SHIFT = 12  # px plotly.js lifts a multi-line, top-anchored title above its pad


def _keep_title_inside(fig: go.Figure) -> None:
    """Keep the title off the image's edges: a little left padding, and plotly.js draws a title of
    several lines anchored at the container's top about 11 px higher than its pad says (cutting
    off its first line), so move it, and the plot, down by that much."""
    title = fig.layout.title
    if not (title and title.text):
        return
    if title.xanchor == "left" and not title.pad.l:
        title.pad.l = 8
    if not _BREAK.search(str(title.text)):
        return
    if title.yref != "container" or title.yanchor != "top" or (title.pad.t or 0) > MULTILINE_TITLE_SHIFT:
        return
    shift = MULTILINE_TITLE_SHIFT
    fig.update_layout(title={"pad": {"t": (title.pad.t or 0) + shift}},
                      margin={"t": (fig.layout.margin.t if fig.layout.margin.t is not None else 100) + shift},
                      height=(fig.layout.height or 500) + shift)


def stamp_for_export(fig: go.Figure, stamp: ExportStamp, width: int = EXPORT_WIDTH) -> go.Figure:
    """A copy of `fig` at `width` px with the stamp's lines drawn under everything else."""
    out = go.Figure(with_embedded_geometry(fig))
    _keep_title_inside(out)
    layout = out.layout
    if stamp.title and not (layout.title and layout.title.text):
        out.update_layout(title={"text": f"<b>{html_escape(stamp.title, quote=False)}</b>", "x": 0, "xanchor": "left"})
    wrapped: list[str] = []
    for text, demo in stamp_lines(out, stamp):
        for piece in textwrap.wrap(text, WRAP, break_long_words=True, break_on_hyphens=False) or [""]:
            piece = html_escape(piece, quote=False)
            wrapped.append(f"<b><span style='color:{DEMO_RED}'>{piece}</span></b>" if demo else piece)
    bottom = layout.margin.b if layout.margin and layout.margin.b is not None else 80
    extra = LINE_PX * len(wrapped) + 10
    height = (layout.height or 500) + extra
    out.update_layout(width=width, height=height, margin={"b": bottom + extra})
    out.add_annotation(name=STAMP_NAME, text="<br>".join(wrapped), xref="paper", yref="paper", x=0, y=0,
                       xanchor="left", yanchor="top", yshift=-(bottom + 2), showarrow=False, align="left",
                       font={"size": 10, "color": "#444"})
    if stamp.demo:
        out.add_annotation(name=WATERMARK_NAME, text="DEMO", xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False, textangle=-24, font={"size": 96, "color": "rgba(176,0,32,0.13)"})
    return out
