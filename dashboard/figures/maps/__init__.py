"""Basemap-free choropleth maps (plotly MapLibre `Choroplethmap`, style white-bg: no tiles,
no CDN, draws offline). Pure: data and geometry in, figure out.

Colour classes are FIXED (the same cut points every year, for every indicator in percent), so a
colour means the same value on every map; the palette is sequential and colour-blind-safe
(viridis). Units without a figure are drawn light grey with a legend entry "not published".
Geometry is either the URL of a static GeoJSON file (the app: fetched once, cached by the browser)
or embedded (exports), then cut so that each feature is sent once. Hoàng Sa and Trường Sa are
outlined and framed (see `archipelagos`).
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.charts import Caption, frame_figure, hover_text, html_text
from dashboard.figures.maps import archipelagos
from dashboard.figures.maps.archipelagos import ARCHIPELAGOS, owner_in
from dashboard.i18n import fmt_number, t

BREAKS: tuple[float, ...] = (60, 65, 70, 75, 80, 85, 90, 95)
# viridis sampled at 9 points, dark (low) to yellow (high)
CLASS_COLOURS: tuple[str, ...] = ("#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c",
                                  "#28ae80", "#5ec962", "#addc30", "#fde725")
MISSING_COLOUR = "#d9d9d9"
EDGE_COLOUR = "#ffffff"
# The whole country with Hoàng Sa and Trường Sa (minx, miny, maxx, maxy).
COUNTRY_BOUNDS = (102.1, 6.6, 117.3, 23.4)
LEGEND_ENTRY_PX = 104  # px one legend entry takes (symbol, gap and a 62 px label)
PHONE_WIDTH, WIDE_WIDTH = 340, 640  # px of map the layout can count on: phone or wider


def class_labels(lang: str) -> list[str]:
    """Legend labels of the fixed classes, in the language's number format."""
    f = lambda v: fmt_number(v, lang, 0)  # noqa: E731
    labels = [f"< {f(BREAKS[0])}%"]
    labels += [f"{f(a)}–{f(b)}%" for a, b in zip(BREAKS[:-1], BREAKS[1:])]
    labels.append(f"≥ {f(BREAKS[-1])}%")
    return labels


def classify(value) -> int | None:
    """Index of the fixed class a value falls in (None when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    for i, cut in enumerate(BREAKS):
        if value < cut:
            return i
    return len(BREAKS)


def _mercator(lat: float) -> float:
    """Web Mercator y of a latitude, in degree-equivalents (so spans compare with longitude)."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def view_for(bounds: tuple[float, float, float, float] | None, plot_height: int,
             plot_width: int = WIDE_WIDTH) -> dict:
    """Centre and zoom that fit a bounding box (the whole country if None) in a map area.

    MapLibre draws 512·2^zoom px per 360° of longitude, in Web Mercator. The figure's width is
    only known in the browser, so `plot_width` is the width the page can count on.
    """
    minx, miny, maxx, maxy = bounds or COUNTRY_BOUNDS
    lon_span = max(maxx - minx, 0.05) * 1.06
    lat_span = max(_mercator(maxy) - _mercator(miny), 0.05) * 1.06
    px_per_degree = min(plot_width / lon_span, max(plot_height, 120) / lat_span)
    zoom = max(2.5, min(11.0, math.log2(px_per_degree * 360 / 512)))
    centre_lat = _latitude((_mercator(miny) + _mercator(maxy)) / 2)
    return {"center": {"lat": round(centre_lat, 4), "lon": round((minx + maxx) / 2, 4)}, "zoom": round(zoom, 2)}


def _subset(geometry: dict | str, codes: set[str]) -> dict | str:
    """The features a trace draws: a URL is shared by every trace (the browser fetches it once and
    each trace draws only its `locations`); an embedded layer is cut so no geometry is sent twice."""
    if isinstance(geometry, str):
        return geometry
    return {"type": "FeatureCollection", "features": [f for f in geometry["features"] if f["id"] in codes]}


def _archipelago_traces(geometry: dict | str, present: set[str], data: pd.DataFrame, names: dict[str, str],
                        lang: str, bounds) -> list[go.BaseTraceType]:
    """Hoàng Sa and Trường Sa: island parts outlined in their unit's colour, and framed."""
    traces: list[go.BaseTraceType] = []
    hover = dict(zip(data["unit_code"], data["hover"])) if len(data) else {}
    classes = dict(zip(data["unit_code"], data["cls"])) if len(data) else {}
    shown = [a for a in ARCHIPELAGOS if owner_in(a, present) and archipelagos.in_view(a, bounds)]
    for a in shown:
        owner = owner_in(a, present)
        colour = CLASS_COLOURS[classes[owner]] if owner in classes else MISSING_COLOUR
        text = hover.get(owner, f"<b>{html_text(names.get(owner, owner))}</b><br>{t('not_published', lang)}")
        traces.append(go.Choroplethmap(
            geojson=_subset(geometry, {a.feature_id}), locations=[a.feature_id], z=[0],
            colorscale=[[0, colour], [1, colour]], showscale=False, showlegend=False,
            marker={"line": {"color": colour, "width": 3}},
            text=[f"{text}<br><i>{html_text(a.name(lang))}</i>"], hovertemplate="%{text}<extra></extra>"))
    if shown:
        lons, lats = archipelagos.frame_lines()
        traces.append(go.Scattermap(lon=lons, lat=lats, mode="lines", line={"color": "#555555", "width": 1},
                                    hoverinfo="skip", name=t("map.archipelago_frames", lang), showlegend=False))
    return traces


def build_choropleth(geometry: dict | str, units: pd.DataFrame, values: pd.DataFrame, cap: Caption, lang: str,
                     selected: str | None = None, bounds=None, height: int = 620,
                     width: int = WIDE_WIDTH) -> go.Figure:
    """A choropleth of `values` (unit_code, value, ci_low, ci_high, n, flag) over the units of
    `units` (unit_code, name); units without a value are drawn as not published.

    `geometry` is the layer's GeoJSON (features with `id` = unit code, see `geometry_files`) or
    the URL of that file, which the browser fetches once and caches. `height` is the map area's
    height in px (the legend and source line come on top of it); `width` the width to fit it to.
    """
    names = dict(zip(units["unit_code"], units["name"]))
    present = set(names)
    if isinstance(geometry, dict):
        present &= {f["id"] for f in geometry["features"]}
    if any(owner_in(a, present) and archipelagos.in_view(a, bounds) for a in ARCHIPELAGOS):
        cap = replace(cap, source="\n".join(filter(None, [cap.source, t("map.archipelago_frames", lang)])))
    data = values[values["unit_code"].isin(present) & values["value"].notna()].copy()
    data["cls"] = data["value"].map(classify)
    data["hover"] = [hover_text(r, names[r["unit_code"]], lang) for _, r in data.iterrows()]
    labels = class_labels(lang)
    fig = go.Figure()
    missing = sorted(present - set(data["unit_code"].unique()))
    trace_common = {"marker": {"line": {"color": EDGE_COLOUR, "width": 0.6}}, "showscale": False,
                    "hovertemplate": "%{text}<extra></extra>", "showlegend": True}
    if missing:
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(geometry, set(missing)), locations=missing, z=[0] * len(missing),
            colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]], name=t("not_published", lang),
            text=[f"<b>{html_text(names[c])}</b><br>{t('not_published', lang)}" for c in missing],
            legendrank=100, **trace_common))
    for i, label in enumerate(labels):
        part = data[data["cls"] == i]
        colour = CLASS_COLOURS[i]
        codes = list(part["unit_code"])
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(geometry, set(codes)), locations=codes or [None], z=[i] * len(codes) or [0],
            colorscale=[[0, colour], [1, colour]], name=label, legendrank=i + 1,
            text=list(part["hover"]) or [""], **trace_common))
    for trace in _archipelago_traces(geometry, present, data, names, lang, bounds):
        fig.add_trace(trace)
    if selected and selected in present:
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(geometry, {selected}), locations=[selected], z=[0],
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker={"line": {"color": "#d62728", "width": 3}}, hoverinfo="skip", showlegend=False))
    frame_figure(fig, cap, lang, height=height, legend=False)  # the map's legend goes under it, below
    # Legend under the map (inside it, it would hide the south on a phone); the source line sits at
    # the bottom edge whatever the number of legend rows.
    top = fig.layout.margin.t
    columns = max(1, int(width // LEGEND_ENTRY_PX))
    legend_px = 20 * -(-len(fig.data and [tr for tr in fig.data if tr.showlegend]) // columns) + 14
    source_px = 13 * sum(len(textwrap.wrap(line, cap.source_wrap) or [""]) for line in cap.source.split("\n"))
    bottom = legend_px + source_px + 24
    fig.update_layout(map={"style": "white-bg", **view_for(bounds, height, width)}, showlegend=True,
                      # No legend title: the subtitle gives the unit, and a title would indent every row.
                      legend={"orientation": "h", "x": 0, "y": -0.01, "xanchor": "left", "yanchor": "top",
                              "traceorder": "normal", "font": {"size": 11},
                              "entrywidth": 62, "entrywidthmode": "pixels"},
                      margin={"l": 0, "r": 0, "b": bottom}, height=height + top + bottom)
    for ann in fig.layout.annotations:
        ann.yshift = -(legend_px + 8)
    return fig
