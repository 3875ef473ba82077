"""Compare: districts within a province (or provinces) with intervals, tie groups, small samples."""
import streamlit as st

from dashboard.content.compare import compare_subtitle, has_rank_ranges, ranked_table, side_by_side, with_ranks
from dashboard.content.plain_language import lead_compare
from dashboard.content.published import one_survey, own_survey, own_survey_sentence
from dashboard.figures.charts import build_dot_plot
from dashboard.i18n import indicator_name, level_name, service_name, t
from dashboard.ui import cached, chart_block, choices, components, frame, state

ctx = frame.context()
lang = ctx.lang
service, indicator, level, year, more = choices.pick_regional_view(ctx)

data = cached.results(ctx.source, year=year, service=service, indicator=indicator, level=level)
scope = level_name(level, ctx.lang)
if level == "district":
    parents = sorted({p for p in data["parent_code"].dropna().unique()})
    province = state.select("province", t("ctl.province", lang), parents, parents[0],
                            format_func=lambda c: ctx.name("vn63", c), container=more)
    data = data[data["parent_code"] == province]
    scope = f"{level_name(level, lang)} – {ctx.name('vn63', province)}"
data, left_out = one_survey(data, None, ctx.surveys, lang)  # one survey per ranking, never several
own = own_survey(data, ctx.surveys)  # a province's own survey: no rank ranges of the product (there are none)
data = data.assign(name=[ctx.name(g, c) for g, c in zip(data["geo_version"], data["unit_code"])])
data = with_ranks(data, cached.statistics(ctx.source, "ranks", year=year, service=service, indicator=indicator,
                                          level=level, unit_code=data["unit_code"].tolist()) if not own else None)
published = cached.statistics(ctx.source, "published_ranks", year=year, service=service, indicator=indicator, level=level,
                              unit_code=data["unit_code"].tolist())

cap = components.caption(ctx, t("cmp.title", lang, indicator=indicator_name(service, indicator, lang),
                                service=service_name(service, lang), year=year, scope=scope),
                         compare_subtitle(data, lang))
sentence = lead_compare(data, scope, lang)
components.render_lead(sentence)
if own:  # say why only this survey's districts are here
    st.info(own_survey_sentence(own, lang), icon=":material/info:")
if left_out:
    st.caption(left_out)
if data.empty:
    st.info(t("nodata", lang))
else:
    figure = cached.memo("cmp_dots", (ctx.source, service, indicator, level, year, state.get("province"), lang, cap),
                         lambda: build_dot_plot(data, cap, lang))
    chart_block.render_chart(ctx, figure, data, key="cmp_dots", name=cap.title,
                             page="compare", alt=sentence)
    chart_block.end_embed(ctx, "compare", data)
    if has_rank_ranges(data):
        st.caption(t("cmp.rank_help", lang))
    components.show_table(ranked_table(data, lang, published))
components.render_source_line(ctx, data)
components.render_notes(ctx, data)
components.render_terms(lang, ("interval", "rank_range", "low_n", "pooled"))

st.subheader(t("cmp.side", lang))
codes = data.sort_values("value", ascending=False)["unit_code"].tolist()
labels = dict(zip(data["unit_code"], data["name"]))
picked = state.multiselect("units", t("ctl.units", lang), codes, codes[:3], format_func=lambda c: labels.get(c, c))
if len(picked) < 2:
    st.info(t("cmp.pick_hint", lang))
else:
    rows = cached.results(ctx.source, year=year, level=level, unit_code=picked, indicator="index")
    components.show_table(side_by_side(rows, picked, labels, lang))
