"""Basemap-free choropleth maps (plotly MapLibre `Choroplethmap`, style white-bg: no tiles,
no CDN, draws offline). Pure: data and geometry in, figure out.

Colour classes are FIXED (the same cut points every year, for every indicator in percent), so a
colour means the same value on every map; the palette is sequential and colour-blind-safe
(viridis). Units without a figure are drawn light grey with a legend entry "not published".
Each feature's geometry is sent once: every class trace carries only its own features.
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import Caption, _frame, _html, hover_text
from dashboard.i18n import fmt_number, t

BREAKS: tuple[float, ...] = (60, 65, 70, 75, 80, 85, 90, 95)
# viridis sampled at 9 points, dark (low) to yellow (high)
CLASS_COLOURS: tuple[str, ...] = ("#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c",
                                  "#28ae80", "#5ec962", "#addc30", "#fde725")
MISSING_COLOUR = "#d9d9d9"
EDGE_COLOUR = "#ffffff"
# Whole country incl. Hoàng Sa and Trường Sa.
COUNTRY_VIEW = {"center": {"lat": 15.7, "lon": 109.8}, "zoom": 4.25}


def class_labels(lang: str) -> list[str]:
    """Legend labels of the fixed classes, in the language's number format."""
    f = lambda v: fmt_number(v, lang, 0)  # noqa: E731
    labels = [f"< {f(BREAKS[0])}"]
    labels += [f"{f(a)}–{f(b)}" for a, b in zip(BREAKS[:-1], BREAKS[1:])]
    labels.append(f"≥ {f(BREAKS[-1])}")
    return labels


def classify(value) -> int | None:
    """Index of the fixed class a value falls in (None when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    for i, cut in enumerate(BREAKS):
        if value < cut:
            return i
    return len(BREAKS)


def view_for(bounds: tuple[float, float, float, float] | None, height: int = 620) -> dict:
    """Centre and zoom that fit a bounding box (minx, miny, maxx, maxy); the country view if None."""
    if bounds is None:
        # MapLibre zoom: 512·2^z px per 360°; the country (with the archipelagos) spans ~16°.
        return {**COUNTRY_VIEW, "zoom": round(min(4.25, math.log2((height - 130) * 360 / 512 / 16.5)), 2)}
    minx, miny, maxx, maxy = bounds
    span = max(maxx - minx, (maxy - miny) * 1.1, 0.05)
    zoom = max(3.0, min(10.0, math.log2((height - 130) * 360 / 512 / span) - 0.5))  # room for phones
    return {"center": {"lat": (miny + maxy) / 2, "lon": (minx + maxx) / 2}, "zoom": zoom}


def _subset(geojson: dict, codes: set[str]) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] in codes]}


def build_choropleth(geojson: dict, units: pd.DataFrame, values: pd.DataFrame, cap: Caption, lang: str,
                     selected: str | None = None, bounds=None, height: int = 620) -> go.Figure:
    """A choropleth of `values` (unit_code, value, ci_low, ci_high, n, flag) over the units of
    `units` (unit_code, name); units without a value are drawn as not published."""
    names = dict(zip(units["unit_code"], units["name"]))
    present = {f["id"] for f in geojson["features"]} & set(names)
    data = values[values["unit_code"].isin(present) & values["value"].notna()].copy()
    data["cls"] = data["value"].map(classify)
    labels = class_labels(lang)
    fig = go.Figure()
    missing = sorted(present - set(data["unit_code"]))
    trace_common = {"marker": {"line": {"color": EDGE_COLOUR, "width": 0.6}}, "showscale": False,
                    "hovertemplate": "%{text}<extra></extra>", "showlegend": True}
    if missing:
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(geojson, set(missing)), locations=missing, z=[0] * len(missing),
            colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]], name=t("not_published", lang),
            text=[f"<b>{_html(names[c])}</b><br>{t('not_published', lang)}" for c in missing],
            legendrank=100, **trace_common))
    for i, label in enumerate(labels):
        part = data[data["cls"] == i]
        colour = CLASS_COLOURS[i]
        codes = list(part["unit_code"])
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(geojson, set(codes)), locations=codes or [None], z=[i] * len(codes) or [0],
            colorscale=[[0, colour], [1, colour]], name=label, legendrank=i + 1,
            text=[hover_text(r, names[r["unit_code"]], lang) for _, r in part.iterrows()] or [""],
            **trace_common))
    if selected and selected in present:
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(geojson, {selected}), locations=[selected], z=[0],
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker={"line": {"color": "#d62728", "width": 3}}, hoverinfo="skip", showlegend=False))
    fig.update_layout(map={"style": "white-bg", **view_for(bounds, height)})
    _frame(fig, cap, lang, height=height, legend=True)
    # Legend under the map (inside it, it would hide the south on a phone); the source line sits at
    # the bottom edge whatever the number of legend rows.
    bottom = 175
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.01, "xanchor": "left", "yanchor": "top",
                              "title": {"text": t("map.legend", lang), "side": "top left"},
                              "traceorder": "normal", "font": {"size": 11},
                              "entrywidth": 78, "entrywidthmode": "pixels"},
                      margin={"l": 0, "r": 0, "b": bottom}, height=height + 60)
    for ann in fig.layout.annotations:
        ann.yshift = -(bottom - 55)
    return fig
