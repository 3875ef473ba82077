"""Inline SVG charts for the light edition, drawn once at build time: no chart library reaches the
reader's phone. Pure: data in, markup out.

Charts are drawn in a coordinate space as wide as a phone (`WIDTH` = 360 units), so on a 390 px
screen one unit is one pixel and the 12 px labels stay 12 px; on a wide screen the stylesheet caps
their width. Titles, legends and source lines are HTML around the SVG (they wrap; SVG text does
not), so nothing here is ever cut off at 390 px: the only text inside are short axis labels and
category names, whose column is sized from the longest one.

Every chart is `role="img"` with a `<title>` and a `<desc>`; the table of its numbers under it is
the text alternative. Text from a release is escaped here (`esc`).
"""
from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 360
FONT_PX = 12
SMALL_PX = 10
ROW_PX = 22
INK, MUTED, GRID = "#1a1a1a", "#595959", "#d9d9d9"
# Okabe–Ito, in the app's order (`dashboard.figures.charts.PALETTE`) without its two lightest colours
# (yellow, sky blue): on white they fall under 3:1, and a line is read by its colour.
SERIES_COLOURS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#000000", "#7A5195",
                                   "#3A7D44")
BREAK_COLOUR, REFORM_COLOUR = "#B22222", "#595959"
MIN_SPAN = 10.0  # percentage points: a narrower axis would make small gaps look large (as the app)


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate with at most one decimal, without trailing zeros ('12', '12.5')."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


_NARROW = set("iljtfrI.,:;|!'()[] ")
_WIDE = set("mwMW%@")


def text_px(text: str, size: float = FONT_PX) -> float:
    """About how wide `text` is drawn in a sans-serif face at `size` px (no font metrics at build
    time; generous, so a label is never clipped)."""
    width = 0.0
    for ch in str(text):
        if ch in _NARROW:
            width += 0.32
        elif ch in _WIDE:
            width += 0.86
        elif ch.isupper() or ch.isdigit():
            width += 0.64
        else:
            width += 0.56
    return width * size


def wrap_label(text: str, max_px: float, size: float = FONT_PX) -> list[str]:
    """A category label on at most two lines of `max_px`; a longer one ends with '…'."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if text_px(candidate, size) <= max_px or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    out = []
    for part in lines[:2]:
        while text_px(part, size) > max_px and len(part) > 2:
            part = part[:-2] + "…"
        out.append(part)
    return out


def axis_range(values: Sequence[float], min_span: float = MIN_SPAN) -> tuple[float, float]:
    """A value axis holding every value and interval end, at least `min_span` wide, within 0–100
    (the app's `dashboard.figures.charts.value_range`, kept plotly-free)."""
    finite = [float(v) for v in values if v is not None and not _missing(v)]
    if not finite:
        return 0.0, 100.0
    low, high = min(finite) - 1, max(finite) + 1
    if high - low < min_span:
        middle = (low + high) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    low, high = max(0.0, low), min(100.0, high)
    if high - low < min_span:
        low, high = (0.0, min_span) if low == 0.0 else (100.0 - min_span, 100.0)
    return low, high


def ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick values inside [low, high] (steps of 1, 2, 5, 10, 20...)."""
    span = max(high - low, 1e-9)
    for step in (1, 2, 2.5, 5, 10, 20, 25, 50):
        if span / step <= most:
            break
    first = math.ceil(low / step) * step
    out, value = [], first
    while value <= high + 1e-9:
        out.append(round(value, 6))
        value += step
    return out


def _missing(value) -> bool:
    try:
        return value is None or value != value  # NaN and pd.NA-safe enough for floats
    except TypeError:
        return True


def is_number(value) -> bool:
    if value is None:
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def svg_open(width: float, height: float, title: str, desc: str, fig_id: str, css_class: str,
             first: bool = False) -> str:
    """The root of a chart: `role="img"` named by its `<title>` and described by its `<desc>`."""
    attrs = ' data-first-figure=""' if first else ""
    return (f'<svg class="{css_class}" viewBox="0 0 {num(width)} {num(height)}" role="img" '
            f'aria-labelledby="{fig_id}-t {fig_id}-d" focusable="false"{attrs}>'
            f'<title id="{fig_id}-t">{esc(title)}</title><desc id="{fig_id}-d">{esc(desc)}</desc>')


def demo_mark(x: float, y: float) -> str:
    """'DEMO' in the chart itself, so a cropped screenshot still says the figures are simulated."""
    return f'<text x="{num(x)}" y="{num(y)}" class="demo-mark" text-anchor="end">DEMO</text>'


def fmt_tick(value: float, lang: str) -> str:
    from dashboard.i18n import fmt_number

    return fmt_number(value, lang, 0 if float(value).is_integer() else 1)


# --- dot plot: values with their 95% intervals, one row per place or service ----------------------

@dataclass(frozen=True)
class Mark:
    """One value on a row: its series (colour), interval, and whether its sample is small."""

    value: float
    low: float | None = None
    high: float | None = None
    series: int = 0
    hollow: bool = False


@dataclass(frozen=True)
class DotRow:
    label: str
    marks: tuple[Mark, ...]
    shade: bool = False  # behind the row: in the release's 95% set of places that could be first


@dataclass(frozen=True)
class DotPlot:
    title: str
    desc: str
    axis_label: str
    rows: tuple[DotRow, ...]
    demo: bool = False
    markers: tuple[str, ...] = field(default=("circle", "diamond"))  # shape per series


def _marker(shape: str, x: float, y: float, colour: str, hollow: bool) -> str:
    fill = "#fff" if hollow else colour
    if shape == "diamond":
        r = 5.5
        return (f'<path d="M{num(x)} {num(y - r)}l{num(r)} {num(r)}l{num(-r)} {num(r)}l{num(-r)} {num(-r)}z" '
                f'fill="{fill}" stroke="{colour}" stroke-width="2"/>')
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="4.5" fill="{fill}" stroke="{colour}" stroke-width="2"/>'


def dot_plot_svg(plot: DotPlot, fig_id: str, lang: str, first: bool = False) -> str:
    """Rows of values with interval whiskers on a shared axis; hollow marks for small samples,
    a grey band behind rows that could be first. Rows without any value are left out (a
    suppressed figure is never drawn)."""
    rows = [r for r in plot.rows if any(is_number(m.value) for m in r.marks)]
    values = [v for r in rows for m in r.marks for v in (m.value, m.low, m.high) if is_number(v)]
    low, high = axis_range(values)
    label_w = min(150.0, max((max(text_px(line) for line in wrap_label(r.label, 150)) for r in rows), default=40) + 6)
    left, right, top = label_w + 8, WIDTH - 12, 8
    height = top + ROW_PX * len(rows) + 44
    scale = (right - left) / (high - low)

    def x_of(v: float) -> float:
        return left + (float(v) - low) * scale

    parts = [svg_open(WIDTH, height, plot.title, plot.desc, fig_id, "chart dots", first)]
    for tick in ticks(low, high):
        x = x_of(tick)
        parts.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="{top}" y2="{num(top + ROW_PX * len(rows))}" '
                     f'stroke="{GRID}"/><text x="{num(x)}" y="{num(top + ROW_PX * len(rows) + 16)}" '
                     f'text-anchor="middle" class="tick">{esc(fmt_tick(tick, lang))}</text>')
    for i, row in enumerate(rows):
        y = top + ROW_PX * i + ROW_PX / 2
        if row.shade:
            parts.append(f'<rect x="0" y="{num(y - ROW_PX / 2)}" width="{WIDTH}" height="{ROW_PX}" fill="#ececec"/>')
        lines = wrap_label(row.label, label_w - 6)
        if len(lines) == 1:
            parts.append(f'<text x="{num(label_w)}" y="{num(y + 4)}" text-anchor="end">{esc(lines[0])}</text>')
        else:  # two lines of smaller type in the same row height
            parts.append(f'<text x="{num(label_w)}" y="{num(y - 1)}" text-anchor="end" class="tick">'
                         f'<tspan>{esc(lines[0])}</tspan><tspan x="{num(label_w)}" dy="10">{esc(lines[1])}</tspan></text>')
        for mark in row.marks:
            if not is_number(mark.value):
                continue
            colour = SERIES_COLOURS[mark.series % len(SERIES_COLOURS)]
            if is_number(mark.low) and is_number(mark.high):
                parts.append(f'<line x1="{num(x_of(mark.low))}" x2="{num(x_of(mark.high))}" y1="{num(y)}" '
                             f'y2="{num(y)}" stroke="{colour}" stroke-width="1.5"/>')
            shape = plot.markers[mark.series % len(plot.markers)]
            parts.append(_marker(shape, x_of(mark.value), y, colour, mark.hollow))
    parts.append(f'<text x="{num((left + right) / 2)}" y="{num(height - 6)}" text-anchor="middle" class="tick">'
                 f'{esc(plot.axis_label)}</text>')
    if plot.demo:
        parts.append(demo_mark(WIDTH - 2, height - 6))
    parts.append("</svg>")
    return "".join(parts)


# --- line chart: years, never joined across a method break or the 2025 reform ---------------------

@dataclass(frozen=True)
class Point:
    year: int
    value: float
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Line:
    """One series, already cut where it must not be joined: each segment is drawn on its own."""

    label: str
    segments: tuple[tuple[Point, ...], ...]
    series: int = 0
    dashed: tuple[bool, ...] = ()  # per segment: harmonised figures are drawn dashed
    band: bool = True  # draw the 95% interval as a band


@dataclass(frozen=True)
class YearMark:
    """A vertical line between two years: a method break (red, dashed) or the reform (grey, dotted)."""

    year: int
    label: str
    kind: str = "break"  # break | reform


@dataclass(frozen=True)
class LineChart:
    title: str
    desc: str
    lines: tuple[Line, ...]
    marks: tuple[YearMark, ...] = ()
    demo: bool = False
    width: float = WIDTH
    height: float = 230


def line_chart_svg(chart: LineChart, fig_id: str, lang: str, first: bool = False) -> str:
    """Lines over the years with 95% bands; a lone point gets its interval as a bar. Segments are
    separate paths: two years on either side of a break are never joined."""
    points = [p for line in chart.lines for seg in line.segments for p in seg if is_number(p.value)]
    years = sorted({p.year for p in points} | {m.year for m in chart.marks} | {m.year - 1 for m in chart.marks})
    years = [y for y in years if points and min(p.year for p in points) <= y <= max(p.year for p in points)] or \
        sorted({p.year for p in points})
    values = [v for p in points for v in (p.value, p.low, p.high) if is_number(v)]
    low, high = axis_range(values)
    label_room = max(text_px(fmt_tick(v, lang), SMALL_PX) for v in ticks(low, high)) + 8 if values else 24
    left, right = label_room + 4, chart.width - 14
    top, bottom = 30 if chart.marks else 10, chart.height - 26
    first_year, last_year = (years[0], years[-1]) if years else (0, 1)
    span = max(last_year - first_year, 1)
    pad = (right - left) * (0.5 / (span + 1))

    def x_of(year: float) -> float:
        return left + pad + (year - first_year) * (right - left - 2 * pad) / span if last_year > first_year \
            else (left + right) / 2

    def y_of(value: float) -> float:
        return bottom - (float(value) - low) * (bottom - top) / (high - low)

    parts = [svg_open(chart.width, chart.height, chart.title, chart.desc, fig_id, "chart lines", first)]
    for tick in ticks(low, high, most=5):
        y = y_of(tick)
        parts.append(f'<line x1="{num(left)}" x2="{num(right)}" y1="{num(y)}" y2="{num(y)}" stroke="{GRID}"/>'
                     f'<text x="{num(left - 4)}" y="{num(y + 3.5)}" text-anchor="end" class="tick">'
                     f'{esc(fmt_tick(tick, lang))}</text>')
    step = 1 if len(years) <= 8 else 2
    for year in years[::step]:
        parts.append(f'<text x="{num(x_of(year))}" y="{num(bottom + 16)}" text-anchor="middle" class="tick">{year}</text>')
    for mark in chart.marks:
        x = x_of(mark.year - 0.5)
        colour, dash = (BREAK_COLOUR, "4 3") if mark.kind == "break" else (REFORM_COLOUR, "1.5 2.5")
        anchor, tx = ("start", x + 3) if x < (left + right) / 2 + 40 else ("end", x - 3)
        words = mark.label.split()
        head, tail = " ".join(words[:-1]), words[-1] if words else ""
        parts.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="4" y2="{num(bottom)}" stroke="{colour}" '
                     f'stroke-dasharray="{dash}" stroke-width="1.5"/>'
                     f'<text x="{num(tx)}" y="12" text-anchor="{anchor}" class="mark" fill="{colour}">'
                     f'<tspan>{esc(head or tail)}</tspan>'
                     + (f'<tspan x="{num(tx)}" dy="10">{esc(tail)}</tspan>' if head else "") + "</text>")
    for line in chart.lines:
        colour = SERIES_COLOURS[line.series % len(SERIES_COLOURS)]
        for j, segment in enumerate(line.segments):
            seg = [p for p in segment if is_number(p.value)]
            if not seg:
                continue
            dashed = line.dashed[j] if j < len(line.dashed) else False
            banded = [p for p in seg if is_number(p.low) and is_number(p.high)]
            if line.band and len(banded) == len(seg) and len(seg) > 1:
                upper = " ".join(f"{num(x_of(p.year))},{num(y_of(p.high))}" for p in seg)
                lower = " ".join(f"{num(x_of(p.year))},{num(y_of(p.low))}" for p in reversed(seg))
                parts.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.15"/>')
            elif line.band and len(seg) == 1 and banded:
                p = seg[0]
                parts.append(f'<line x1="{num(x_of(p.year))}" x2="{num(x_of(p.year))}" y1="{num(y_of(p.low))}" '
                             f'y2="{num(y_of(p.high))}" stroke="{colour}" stroke-opacity="0.5" stroke-width="2"/>')
            if len(seg) > 1:
                path = " ".join(f"{num(x_of(p.year))},{num(y_of(p.value))}" for p in seg)
                style = ' stroke-dasharray="6 4"' if dashed else ""
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{style}/>')
            for p in seg:
                parts.append(f'<circle cx="{num(x_of(p.year))}" cy="{num(y_of(p.value))}" r="3.5" fill="{colour}"/>')
    if chart.demo:
        parts.append(demo_mark(chart.width - 2, chart.height - 4))
    parts.append("</svg>")
    return "".join(parts)
