"""Trends: year lines with interval bands, the 2022 method break and the 2025 reform, changes, ranks."""
import streamlit as st

from dashboard.content import trends as tr
from dashboard.content.plain_language import lead_trend
from dashboard.content.tables import with_name_column
from dashboard.i18n import indicator_name, service_name, t
from dashboard.ui import cached, chart_block, choices, components, frame, page_data, state

ctx = frame.context()
lang = ctx.lang
avail = choices.available(ctx)
row = choices.picker_row(ctx, 4)
c1, c2, c3, c4 = row
service = choices.pick_service(ctx, avail["service"], container=c1)
indicator = choices.pick_indicator(ctx, service, tr.narrow_pool(avail, service)["indicator"], container=c2)
pool = tr.narrow_pool(avail, service, indicator)
geo = choices.pick_geo(ctx, pool, container=c3)
level = choices.pick_level(ctx, tr.trend_levels(pool, geo), container=c4)

data = page_data.trend_data(ctx.source, service, indicator, geo, level)
labels = {c: ctx.name(geo, c) for c in tr.unit_codes(data)}
options = sorted(labels, key=lambda c: (c != "VN", labels[c]))
chosen = state.multiselect("units", t("ctl.units", lang), options, ["VN"], format_func=lambda c: labels.get(c, c),
                           container=choices.more_pickers(ctx, row))
view = (ctx.source, service, indicator, geo, level, tuple(chosen), lang)  # the key of everything below
shown, left_out = page_data.trend_shown(*view)
if left_out:  # a province's own survey is never drawn beside SIPAS or another province's survey
    st.caption(left_out)
if shown.empty:
    st.info(t("nodata", lang))
    frame.stop_here()

title = t("tr.title", lang, indicator=indicator_name(service, indicator, lang), service=service_name(service, lang))
notes = [tr.break_note(shown, cached.breaks(ctx.source), lang),
         t("tr.harmonised_note", lang) if tr.any_harmonised(shown) else "",
         t("tr.vn63_note", lang) if geo == "vn63" and tr.has_geo(avail, "vn34") else ""]
cap = components.caption(ctx, title, " ".join(n for n in notes if n))
sentence = lead_trend(shown, chosen[0], labels.get(chosen[0], chosen[0]), service, indicator, lang,
                      cached.statistics(ctx.source, "changes", service=service, indicator=indicator, unit_code=chosen[:1]),
                      cached.breaks(ctx.source))
components.render_lead(sentence)
chart_block.render_chart(ctx, page_data.trend_figure(*view, cap), with_name_column(shown, "label"), key="trend", name=title,
                         page="trends", alt=sentence, table=page_data.trend_series_table(*view))
chart_block.end_embed(ctx, "trends", shown)
components.render_source_line(ctx, shown)
components.render_notes(ctx, shown)
components.render_terms(lang, ("interval", "significant", "clearly", "harmonised"))

st.subheader(t("tr.changes", lang))
st.caption(t("tr.changes_help", lang))
components.show_table(page_data.trend_change_table(*view))
st.subheader(t("tr.ranks", lang))
ranks = page_data.trend_rank_table(*view)
if ranks.empty:
    st.info(t("tr.ranks_none", lang))
else:
    st.caption(t("cmp.rank_help", lang))
    components.show_table(ranks)
