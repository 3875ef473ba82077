"""Map: a choropleth of provinces or districts for any service, indicator and year."""
import streamlit as st

from dashboard.content.published import district_scopes
from dashboard.content.units import unit_pairs
from dashboard.i18n import t
from dashboard.ui import chart_block, choices, components, frame, mapview, state, tables

ctx = frame.context()
lang = ctx.lang
# The pickers and the answer beside the map, so the whole map is in the first screen of a laptop
# (the country is tall and narrow: a full-width map left most of its width empty). On a phone the
# columns stack: the "change" button, the sentence, then the map.
controls, figure = (st.container(), st.container()) if ctx.embed else st.columns([2, 3], gap="medium")
with controls:
    service, indicator, level, year, more = choices.pick_regional_view(ctx, stacked=True)
    province = None
    if level == "district":
        values_all = mapview.map_values(ctx, service, indicator, year, level)
        parents, whole_country = district_scopes(values_all, ctx.surveys)
        options = ["all", *parents] if whole_country else parents
        default = parents[0] if parents and (len(parents) < 5 or not whole_country) else "all"
        province = state.select("province", t("ctl.province", lang), options, default,
                                format_func=lambda c: t("map.all_country", lang) if c == "all" else ctx.name("vn63", c),
                                container=more)
        province = None if province == "all" else province
    lead = st.container()

with figure:
    values, units = mapview.render_map(ctx, service, indicator, year, level, province, selected=state.get("unit"),
                                       width=mapview.BESIDE_WIDTH, lead_container=lead)
chart_block.end_embed(ctx, "map", values)
components.render_source_line(ctx, values)
components.render_notes(ctx, values)
components.render_terms(lang, ("satisfied", "interval", "low_n"))

if units is not None and not units.empty:
    geo, codes = unit_pairs(units)
    unit = choices.pick_unit(ctx, codes, label_key="map.pick_unit", allow_none=True)
    if unit:
        st.page_link(frame.page("profile"), label=t("map.go_profile", lang, unit=ctx.name(geo, unit)),
                     icon=":material/location_on:",
                     query_params={**state.carried_params(), "unit": unit, "geo": geo, "level": level})

if not ctx.lite:  # the light version already listed the figures in place of the map
    st.subheader(t("map.table", lang))
    tables.show_values(ctx, values, with_units=units, ranks=mapview.map_ranks(ctx, service, indicator, year, level, province))
