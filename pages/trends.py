"""Trends: year lines with interval bands, the 2022 method break and the 2025 reform, changes, ranks."""
import streamlit as st

from dashboard.content.plain_language import lead_trend
from dashboard.content.published import one_survey
from dashboard.content.tables import series_table
from dashboard.content.trends import break_note, change_table, rank_table, trend_rows
from dashboard.figures.charts import build_trend
from dashboard.i18n import indicator_name, service_name, t
from dashboard.ui import cached, chart_block, choices, components, frame, state

ctx = frame.context()
lang = ctx.lang
avail = choices.available(ctx)
row = choices.picker_row(ctx, 4)
c1, c2, c3, c4 = row
service = choices.pick_service(ctx, avail["service"].unique(), container=c1)
pool = avail[avail["service"] == service]
indicator = choices.pick_indicator(ctx, service, pool["indicator"].unique(), container=c2)
pool = pool[pool["indicator"] == indicator]
geo = choices.pick_geo(ctx, pool, container=c3)
levels = [lv for lv in ("province", "district") if lv in set(pool[pool["geo_version"] == geo]["level"])] or ["national"]
level = choices.pick_level(ctx, levels, container=c4)

results = cached.results(ctx.source, service=service, indicator=indicator, level=["national", level])
harmonised = cached.statistics(ctx.source, "harmonised", service=service, indicator=indicator, level=level)
data = trend_rows(results, harmonised, geo)
labels = {c: ctx.name(geo, c) for c in data["unit_code"].unique()}
options = sorted(labels, key=lambda c: (c != "VN", labels[c]))
chosen = state.multiselect("units", t("ctl.units", lang), options, ["VN"], format_func=lambda c: labels.get(c, c),
                           container=choices.more_pickers(ctx, row))
shown, left_out = one_survey(data[data["unit_code"].isin(chosen)], chosen[0] if chosen else None, ctx.surveys, lang)
shown = shown.copy()
if left_out:  # a province's own survey is never drawn beside SIPAS or another province's survey
    st.caption(left_out)
if shown.empty:
    st.info(t("nodata", lang))
    frame.stop_here()
shown["label"] = shown["unit_code"].map(labels)

title = t("tr.title", lang, indicator=indicator_name(service, indicator, lang), service=service_name(service, lang))
notes = [break_note(shown, cached.breaks(ctx.source), lang),
         t("tr.harmonised_note", lang) if shown["harmonised"].any() else "",
         t("tr.vn63_note", lang) if geo == "vn63" and (avail["geo_version"] == "vn34").any() else ""]
cap = components.caption(ctx, title, " ".join(n for n in notes if n))
sentence = lead_trend(shown, chosen[0], labels.get(chosen[0], chosen[0]), service, indicator, lang,
                      cached.statistics(ctx.source, "changes", service=service, indicator=indicator, unit_code=chosen[:1]),
                      cached.breaks(ctx.source))
components.render_lead(sentence)
view = (ctx.source, service, indicator, geo, level, tuple(chosen), lang)  # everything the tables depend on
figure = cached.memo("trend", (*view, cap), lambda: build_trend(shown, cap, lang, cached.breaks(ctx.source)))
chart_block.render_chart(ctx, figure, shown.rename(columns={"label": "name"}), key="trend", name=title, page="trends",
                         alt=sentence, table=cached.memo("trend_series", view, lambda: series_table(shown, lang)))
chart_block.end_embed(ctx, "trends", shown)
components.render_source_line(ctx, shown)
components.render_notes(ctx, shown)
components.render_terms(lang, ("interval", "significant", "clearly", "harmonised"))

st.subheader(t("tr.changes", lang))
st.caption(t("tr.changes_help", lang))
changes = cached.statistics(ctx.source, "changes", service=service, indicator=indicator, unit_code=chosen)
breaks = cached.breaks(ctx.source)
components.show_table(cached.memo("trend_changes", view, lambda: change_table(shown, labels, lang, changes, breaks)))
st.subheader(t("tr.ranks", lang))
ranked = cached.statistics(ctx.source, "ranks", service=service, indicator=indicator, level=level, unit_code=chosen)
said = cached.statistics(ctx.source, "published_ranks", service=service, indicator=indicator, level=level,
                         unit_code=chosen, geo_version=geo)
ranks = cached.memo("trend_ranks", view, lambda: rank_table(
    ranked[ranked["geo_version"] == geo], said, data[(data["level"] == level) & data["unit_code"].isin(chosen)], labels,
    lang))
if ranks.empty:
    st.info(t("tr.ranks_none", lang))
else:
    st.caption(t("cmp.rank_help", lang))
    components.show_table(ranks)
