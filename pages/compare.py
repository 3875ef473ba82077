"""Compare: districts within a province (or provinces) with intervals, tie groups, small samples."""
import streamlit as st

from dashboard.content.compare import compare_subtitle, has_rank_ranges, parent_codes, ranked_table, side_by_side, units_by_value
from dashboard.content.plain_language import lead_compare
from dashboard.content.published import own_survey_sentence
from dashboard.i18n import indicator_name, level_name, service_name, t
from dashboard.ui import cached, chart_block, choices, components, frame, page_data, state

ctx = frame.context()
lang = ctx.lang
service, indicator, level, year, more = choices.pick_regional_view(ctx)

scope = level_name(level, ctx.lang)
province = None
if level == "district":
    parents = parent_codes(cached.results(ctx.source, year=year, service=service, indicator=indicator, level=level))
    province = state.select("province", t("ctl.province", lang), parents, parents[0],
                            format_func=lambda c: ctx.name("vn63", c), container=more)
    scope = f"{level_name(level, lang)} – {ctx.name('vn63', province)}"
view = page_data.compare_view(ctx.source, service, indicator, level, year, province, lang)
data, own = view.data, view.own

cap = components.caption(ctx, t("cmp.title", lang, indicator=indicator_name(service, indicator, lang),
                                service=service_name(service, lang), year=year, scope=scope),
                         compare_subtitle(data, lang))
sentence = lead_compare(data, scope, lang)
components.render_lead(sentence)
if own:  # say why only this survey's districts are here (a province's own survey: no rank ranges)
    st.info(own_survey_sentence(own, lang), icon=":material/info:")
if view.left_out:  # one survey per ranking, never several
    st.caption(view.left_out)
if data.empty:
    st.info(t("nodata", lang))
else:
    figure = page_data.compare_dots(ctx.source, service, indicator, level, year, province, lang, cap)
    chart_block.render_chart(ctx, figure, data, key="cmp_dots", name=cap.title,
                             page="compare", alt=sentence)
    chart_block.end_embed(ctx, "compare", data)
    if has_rank_ranges(data):
        st.caption(t("cmp.rank_help", lang))
    components.show_table(ranked_table(data, lang, view.published))
components.render_source_line(ctx, data)
components.render_notes(ctx, data)
components.render_terms(lang, ("interval", "rank_range", "low_n", "pooled"))

st.subheader(t("cmp.side", lang))
codes, labels = units_by_value(data)
picked = state.multiselect("units", t("ctl.units", lang), codes, codes[:3], format_func=lambda c: labels.get(c, c))
if len(picked) < 2:
    st.info(t("cmp.pick_hint", lang))
else:
    rows = cached.results(ctx.source, year=year, level=level, unit_code=picked, indicator="index")
    components.show_table(side_by_side(rows, picked, labels, lang))
