"""Plotly figures for the pages: pure functions, data in, figure out (no streamlit).

Every figure carries its title, subtitle, source line and "data as of" date inside it, so an
exported PNG/SVG stands on its own. Number formats follow the language (plotly `separators`).
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.content.trends import method_break_years, reform_year
from dashboard.i18n import flag_name, fmt_interval, fmt_number, fmt_pct, t

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
FONT = "Noto Sans, Arial, sans-serif"
# plotly_white's layout without its per-trace-type defaults: the charts look the same, and a
# figure no longer spends ~15 ms validating 24 trace templates it never uses (profiled: a third
# of a page's rerun).
TEMPLATE = go.layout.Template(layout=pio.templates["plotly_white"].layout)


@dataclass(frozen=True)
class Caption:
    """Text baked into a figure."""

    title: str
    subtitle: str = ""
    source: str = ""
    wrap: int = 90  # characters per subtitle line: about 90 on a wide screen, 48 on a phone

    @property
    def title_wrap(self) -> int:
        return int(self.wrap * 0.72)  # the title's type is larger and bold

    @property
    def source_wrap(self) -> int:
        return int(self.wrap * 1.22)  # the source line's type is smaller


def separators(lang: str) -> str:
    return ".," if lang == "en" else ",."


def _wrap(text: str, width: int = 90) -> str:
    """Escape and wrap text for plotly (which never wraps by itself)."""
    lines = []
    for line in str(text).split("\n"):
        lines += textwrap.wrap(line, width) or [""]
    return "<br>".join(html_text(line) for line in lines)


def label_px(labels) -> int:
    """About how wide the longest axis label is drawn (12 px type), in px."""
    return int(5.6 * max((len(str(x)) for x in labels), default=0)) + 6


def frame_figure(fig: go.Figure, cap: Caption, lang: str, height: int = 420, legend: bool = True,
           top_extra: int = 0, legend_rows: int = 1, labels_px: int = 0) -> go.Figure:
    """Title, subtitle, source line, margins and number format of every chart.

    `labels_px`: width of the category labels left of the plot; the source line starts that far
    left of the plot so it lines up with the title and does not run off a phone's screen.
    """
    title_lines = len(textwrap.wrap(cap.title, cap.title_wrap) or [""])
    sub_lines = len(textwrap.wrap(cap.subtitle, cap.wrap)) if cap.subtitle else 0
    src_lines = sum(len(textwrap.wrap(line, cap.source_wrap) or [""]) for line in cap.source.split("\n")) if cap.source else 0
    title = f"<b>{_wrap(cap.title, cap.title_wrap)}</b>" + (
        f"<br><span style='font-size:12px;color:#444'>{_wrap(cap.subtitle, cap.wrap)}</span>" if cap.subtitle else "")
    fig.update_layout(
        # Anchored to the top edge (plotly would centre it in the top margin, onto the legend).
        title={"text": title, "x": 0, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top",
               "pad": {"t": 22}, "font": {"size": 16}},  # plotly draws the first line ~11 px above the anchor
        separators=separators(lang), template=TEMPLATE, height=height,
        font={"family": FONT, "size": 12, "color": "#1a1a1a"},
        # The legend sits between the subtitle and the plot, growing upwards: its rows never
        # collide with the axis labels or the source line, however many there are.
        margin={"l": 10, "r": 10, "t": 40 + 21 * title_lines + 16 * sub_lines + top_extra
                + (LEGEND_ROW_PX * legend_rows + 4 if legend else 0),
                "b": 44 + 13 * src_lines},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "font": {"size": 11}},
        showlegend=legend, hoverlabel={"font": {"family": FONT}},
    )
    if cap.source:
        fig.add_annotation(text=_wrap(cap.source, cap.source_wrap), xref="paper", yref="paper", x=0, y=0,
                           yshift=-40, xshift=-labels_px,
                           showarrow=False, xanchor="left", yanchor="top", align="left",
                           font={"size": 10, "color": "#555"})
    return fig


CHAR_PX, ENTRY_PX = 6.6, 48  # legend text at 11 px; symbol and gaps of one entry
LEGEND_ROW_PX = 21


def legend_rows(labels: list[str], cap: Caption) -> int:
    """Rows a horizontal legend takes when plotly wraps it at the chart's width (from the caption's wrap)."""
    width = cap.wrap * 7.2  # px a subtitle line of `wrap` characters spans
    rows, used = 1, 0.0
    for label in labels:
        entry = ENTRY_PX + CHAR_PX * len(str(label))
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def _two_lines(label: str) -> str:
    """A short chart label on two lines (it sits beside a break line, where room is narrow)."""
    head, _, tail = html_text(label).rpartition(" ")
    return f"{head}<br>{tail}" if head else tail


def html_text(text: str) -> str:
    """Plotly renders a small HTML subset in text: names from data must not become markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hover_text(row, name: str, lang: str) -> str:
    """One figure's hover: name, value, interval, n and flags, in the language's number format."""
    parts = [f"<b>{html_text(name)}</b>", f"{t('map.hover_value', lang)}: {fmt_pct(row.get('value'), lang)}"]
    ci = fmt_interval(row.get("ci_low"), row.get("ci_high"), lang)
    if ci != "–":
        parts.append(f"{t('map.hover_ci', lang)}: {ci}")
    n = row.get("n")
    if n is not None and not pd.isna(n):
        parts.append(f"{t('map.hover_n', lang)}: {fmt_number(n, lang, 0)}")
    flag = flag_name(row.get("flag"), lang, row.get("ci_method"))
    if flag:
        parts.append(f"{t('map.hover_flag', lang)}: {html_text(flag)}")
    return "<br>".join(parts)


def build_dot_plot(frame: pd.DataFrame, cap: Caption, lang: str, label_col: str = "name",
                   group_col: str | None = None, highlight: set[str] | None = None) -> go.Figure:
    """Values with their 95% intervals, sorted; hollow markers for small samples (low_n).

    One row per label; with `group_col` the groups are drawn as separate coloured series.
    """
    data = frame.dropna(subset=["value"]).copy()
    fig = go.Figure()
    groups = [None] if group_col is None else list(dict.fromkeys(data[group_col]))
    order = (data.groupby(label_col)["value"].max().sort_values().index.tolist())
    for i, group in enumerate(groups):
        part = data if group is None else data[data[group_col] == group]
        low_n = part["flag"].fillna("").eq("low_n") if "flag" in part else pd.Series(False, index=part.index)
        err_plus = (part["ci_high"] - part["value"]).where(part["ci_high"].notna())
        err_minus = (part["value"] - part["ci_low"]).where(part["ci_low"].notna())
        color = PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Scatter(
            x=part["value"], y=part[label_col], mode="markers", name=str(group) if group is not None else "",
            marker={"size": 10, "color": ["white" if f else color for f in low_n],
                    "line": {"color": color, "width": 2}, "symbol": "circle"},
            error_x={"type": "data", "array": err_plus, "arrayminus": err_minus, "color": color, "thickness": 1.5, "width": 0},
            hovertext=[hover_text(r, r[label_col], lang) for _, r in part.iterrows()], hoverinfo="text",
            showlegend=group is not None,
            cliponaxis=False,  # a figure of 100% sits on the axis' end: draw its whole marker
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=order, automargin=True, title=None)
    fig.update_xaxes(title=t("col.value", lang), ticksuffix="", zeroline=False, gridcolor="#e5e5e5",
                     range=value_range(data))
    if group_col is None and "top_set" in data:
        _shade_rows(fig, data.loc[data["top_set"].fillna(False).astype(bool), label_col], order)
    height = max(320, min(1400, 26 * len(order) + 170))
    return frame_figure(fig, cap, lang, height=height, legend=group_col is not None, labels_px=label_px(order))


MIN_SPAN = 10.0  # percentage points: a narrower axis would make small gaps look large


def value_range(data: pd.DataFrame, min_span: float = MIN_SPAN) -> list[float]:
    """An x range holding every value and interval, at least `min_span` wide, within 0–100."""
    lows = pd.concat([data["value"], data.get("ci_low", data["value"])]).dropna()
    highs = pd.concat([data["value"], data.get("ci_high", data["value"])]).dropna()
    if lows.empty:
        return [0.0, 100.0]
    low, high = float(lows.min()) - 1, float(highs.max()) + 1
    if high - low < min_span:
        middle = (low + high) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    low, high = max(0.0, low), min(100.0, high)
    if high - low < min_span:  # pushed against 0 or 100: widen on the other side
        low, high = (0.0, min_span) if low == 0.0 else (100.0 - min_span, 100.0)
    return [low, high]


def _shade_rows(fig: go.Figure, labels: pd.Series, order: list) -> None:
    """A grey band behind each of `labels` (the places that could be first: the release's joint
    95% confidence set). `order` lists the categories bottom to top; plotly puts category i at y = i."""
    position = {label: i for i, label in enumerate(order)}
    rows = sorted(position[label] for label in labels if label in position)
    runs: list[list[int]] = []
    for row in rows:  # one band per run of neighbouring rows
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    for run in runs:
        fig.add_hrect(y0=run[0] - 0.45, y1=run[-1] + 0.45, fillcolor="#d9d9d9", opacity=0.45, line_width=0, layer="below")


def _segments(series: pd.DataFrame, service: str, breaks: set[tuple[str, int]]) -> list[pd.DataFrame]:
    """Split one unit's yearly series where it must not be joined: a method break the release
    declares for the service (SIPAS 2022) and the 2025 reform (a different boundary set)."""
    series = series.sort_values("year")
    key = series["geo_version"].astype(str)
    if "harmonised" in series:
        key = key + series["harmonised"].fillna(False).astype(bool).map({True: "h", False: ""})
    for year in sorted(y for s, y in breaks if s == service):
        key = key + (series["year"] >= year).map({True: "b", False: "a"})
    return [part for _, part in series.groupby(key, sort=False)]


def _mark_year(fig: go.Figure, year: int, label: str, color: str, dash: str) -> None:
    fig.add_vline(x=year - 0.5, line={"color": color, "dash": dash, "width": 1.5})
    fig.add_annotation(x=year - 0.5, y=1, yref="paper", text=_two_lines(label), showarrow=False, xanchor="left",
                       yanchor="top", xshift=3, bgcolor="rgba(255,255,255,0.85)",
                       font={"size": 10, "color": color})  # right of the line: the left edge may be near


def build_trend(frame: pd.DataFrame, cap: Caption, lang: str, breaks: set[tuple[str, int]] = frozenset(),
                label_col: str = "label") -> go.Figure:
    """Year lines with 95% interval bands; never joined across a method break or the reform.

    `breaks` are the release's (service, year) method breaks. Rows with `harmonised` True
    (earlier years re-estimated on the 34 provinces) are drawn dashed.
    """
    fig = go.Figure()
    labels = list(dict.fromkeys(frame[label_col]))
    years = sorted(frame["year"].astype(int).unique())
    for i, label in enumerate(labels):
        color = PALETTE[i % len(PALETTE)]
        series = frame[frame[label_col] == label]
        service = str(series["service"].iloc[0])
        for j, seg in enumerate(_segments(series, service, breaks)):
            seg = seg.sort_values("year")
            if seg["ci_low"].notna().any() and len(labels) <= 3:  # more bands than that is a blur
                fig.add_trace(go.Scatter(
                    x=list(seg["year"]) + list(seg["year"])[::-1],
                    y=list(seg["ci_high"]) + list(seg["ci_low"])[::-1], fill="toself", fillcolor=color,
                    opacity=0.15, line={"width": 0}, hoverinfo="skip", showlegend=False, legendgroup=label,
                ))
            if len(seg) == 1 and seg["ci_low"].notna().any() and len(labels) <= 3:  # a lone point: its interval as a bar
                r = seg.iloc[0]
                fig.add_trace(go.Scatter(x=[r["year"], r["year"]], y=[r["ci_low"], r["ci_high"]], mode="lines",
                                         line={"color": color, "width": 2}, opacity=0.45, hoverinfo="skip",
                                         showlegend=False, legendgroup=label))
            dashed = bool(seg["harmonised"].iloc[0]) if "harmonised" in seg else False
            fig.add_trace(go.Scatter(
                x=seg["year"], y=seg["value"], mode="lines+markers", name=html_text(label), legendgroup=label,
                showlegend=(j == 0), line={"color": color, "width": 2.5, "dash": "dash" if dashed else "solid"},
                marker={"size": 8, "color": color},
                hovertext=[hover_text(r, f"{label} · {int(r['year'])}", lang) for _, r in seg.iterrows()],
                hoverinfo="text",
            ))
    reform = reform_year(frame)
    for year in method_break_years(frame, breaks):
        _mark_year(fig, year, t("tr.method_break", lang, year=year), "#B22222", "dash")
    if reform is not None:  # the reform is its own mark (and a new boundary set), not a method change
        _mark_year(fig, reform, t("tr.reform_2025", lang), "#555", "dot")
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years], title=None,
                     range=[min(years) - 0.4, max(years) + 0.4], gridcolor="#eeeeee")
    fig.update_yaxes(title=t("col.value", lang), gridcolor="#e5e5e5", range=value_range(frame))
    rows = legend_rows(labels, cap)
    return frame_figure(fig, cap, lang, height=440 + 18 * (rows - 1), legend_rows=rows)


def build_heatmap(matrix: pd.DataFrame, cap: Caption, lang: str, zmin: float = 60, zmax: float = 100) -> go.Figure:
    """Rows (units) × columns (services) of values; blanks stay blank (not published)."""
    text = [[fmt_number(v, lang, 1) for v in row] for row in matrix.to_numpy()]
    narrow = cap.wrap < 60  # a phone: eight columns of ~25 px, so the names stand on end
    columns = [html_text(c) for c in matrix.columns] if narrow else [_wrap(c, 14) for c in matrix.columns]
    label_lines = (max((len(str(c)) for c in matrix.columns), default=1) // 3) if narrow else \
        max((c.count("<br>") + 1 for c in columns), default=1)
    fig = go.Figure(go.Heatmap(
        z=matrix.to_numpy(dtype=float), x=columns, y=[html_text(i) for i in matrix.index],
        text=text, texttemplate="%{text}", textfont={"size": 10}, colorscale="Viridis", zmin=zmin, zmax=zmax,
        colorbar={"title": {"text": "%"}, "thickness": 12}, hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        xgap=1, ygap=1,
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top", tickangle=-90 if narrow else 0, tickfont={"size": 10})
    return frame_figure(fig, cap, lang, height=max(360, 20 * len(matrix) + 170 + 13 * label_lines), legend=False,
                  top_extra=14 * label_lines + 10, labels_px=label_px(matrix.index))
