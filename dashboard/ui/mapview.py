"""Drawing a choropleth of one service/indicator/year from the release and the geodata."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.content.compare import in_province
from dashboard.content.plain_language import lead_map
from dashboard.content.tables import value_table
from dashboard.content.units import DISPLAY_NAME
from dashboard.figures.maps import PHONE_WIDTH, WIDE_WIDTH
from dashboard.figures.maps.archipelagos import ARCHIPELAGOS, owner_in
from dashboard.geo.attribution import boundary_attribution
from dashboard.i18n import indicator_name, level_name, service_name, t
from dashboard.release.contract import geo_version_of_year
from dashboard.ui import cached, chart_block, components, frame, page_data, state
from dashboard.ui.components import Context

# px a map in the wider of two columns can count on: 3/5 of a 1280 px laptop's page beside the sidebar.
BESIDE_WIDTH = 460


def layer_name(level: str, geo: str, province: str | None = None) -> str:
    """The layer to draw: the detailed district layer for one province, else the country view."""
    if level == "district":
        return "districts_vn63_detail" if province else "districts_vn63"
    return f"provinces_{geo}"


def map_values(ctx: Context, service: str, indicator: str, year: int, level: str,
               province: str | None = None) -> pd.DataFrame:
    values = cached.results(ctx.source, year=year, service=service, indicator=indicator, level=level)
    return in_province(values, province if level == "district" else None)


def map_ranks(ctx: Context, service: str, indicator: str, year: int, level: str,
              province: str | None = None) -> pd.DataFrame:
    """The ranks sources published for the map's figures (shown in its table, never as colours)."""
    ranks = cached.statistics(ctx.source, "published_ranks", year=year, service=service, indicator=indicator, level=level)
    if level == "district" and province and len(ranks):
        units = cached.units()
        inside = set(units[(units["level"] == "district") & (units["parent_code"] == province)]["unit_code"])
        ranks = ranks[ranks["unit_code"].isin(inside)]
    return ranks


def clicked_unit(event, codes) -> str | None:
    """The unit code of a clicked map area (an archipelago's island parts count as their unit)."""
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else \
        getattr(getattr(event, "selection", None), "points", None) or []
    for point in points:
        location = point.get("location") if isinstance(point, dict) else None
        if isinstance(location, str) and location:
            islands = {a.feature_id: a for a in ARCHIPELAGOS}
            return owner_in(islands[location], codes) if location in islands else location
    return None


def render_map(ctx: Context, service: str, indicator: str, year: int, level: str = "province",
               province: str | None = None, selected: str | None = None, height: int = 500,
               width: int = WIDE_WIDTH, key: str = "map", lead: bool = True,
               alt_table: bool = False, page: str = "map",
               lead_container=None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Draw the map; returns (values, units of the layer with names) — units None if no geodata.

    `lead`: open with the map's one-sentence answer (in `lead_container` if given, e.g. the
    column beside the map). The same sentence (and with `alt_table`, the table of figures) is the
    map's text alternative.
    """
    geo = geo_version_of_year(year)
    values = map_values(ctx, service, indicator, year, level, province)
    layer = layer_name(level, geo, province)
    loaded = cached.geo_layer(layer, province if level == "district" else None)
    if loaded is None:
        st.info(t("map.no_geo", ctx.lang, layer=layer))
        return values, None
    units = loaded.units.copy()
    units["name"] = units[DISPLAY_NAME]
    scope = level_name(level, ctx.lang)
    if level == "district" and province:
        scope = f"{t('map.district_scope', ctx.lang)} {ctx.name('vn63', province)}"
    cap = components.caption(
        ctx, t("map.title", ctx.lang, indicator=indicator_name(service, indicator, ctx.lang),
               service=service_name(service, ctx.lang), year=year),
        t("map.subtitle", ctx.lang, level=scope),
        components.chart_source(ctx) + "\n" + boundary_attribution(ctx.lang, short=True), narrow=width < 500)
    phone = components.on_phone()
    size = (min(height, 430), min(width, PHONE_WIDTH)) if phone else (height, width)
    fig = page_data.map_figure(ctx.source, service, indicator, year, level, province, selected, ctx.lang, cap, size,
                               layer, loaded.url)
    codes = set(units["unit_code"].unique())
    in_layer = values[values["unit_code"].isin(codes)]
    sentence = lead_map(in_layer, len(units), service, indicator, year, ctx.lang, ctx.name)
    if lead:
        with lead_container if lead_container is not None else st.container():
            components.render_lead(sentence)
    table = value_table(in_layer, ctx.name, ctx.lang, units=units) if alt_table else None
    named = in_layer.assign(name=[ctx.name(g, c) for g, c in zip(in_layer["geo_version"], in_layer["unit_code"])])
    event = chart_block.render_chart(ctx, fig, named, key=key, name=cap.title, page=page, alt=sentence, table=table,
                                     clickable=True)
    clicked = clicked_unit(event, codes)
    if clicked and frame.page("profile") is not None:
        # A click on a place opens its profile, keeping the reader's choices.
        st.switch_page(frame.page("profile"), query_params={**state.carried_params(), "unit": clicked,
                                                             "geo": geo, "level": level})
    if "geometry_kind" in units and (units["geometry_kind"] == "approximate_split").any():
        sketched = units[units["geometry_kind"] == "approximate_split"]["name"]
        st.caption(t("map.approximate", ctx.lang, units=", ".join(sorted(sketched))))
    shown = values["unit_code"].isin(codes) & values["value"].notna()
    st.caption(t("map.counts", ctx.lang, count=int(shown.sum()), total=len(units), missing=len(units) - int(shown.sum()))
               + (" " + t("map.archipelagos", ctx.lang) if level == "province" else ""))
    return values, units
