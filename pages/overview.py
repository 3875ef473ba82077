"""Overview: headline index per service, biggest movers, a small map, the year in words."""
import streamlit as st

from dashboard.charts import build_trend
from dashboard.contract import INDEX
from dashboard.i18n import fmt_pct, fmt_signed, service_name, t
from dashboard.ui import cached, chart_block, choices, components, frame, mapview
from dashboard.views.figures import crosses_break, headline, year_changes
from dashboard.views.plain_language import lead_trend
from dashboard.views.tables import series_table
from dashboard.views.overview import missing_items, overview_map_choice

ctx = frame.context()
lang = ctx.lang
idx = choices.require_rows(ctx, cached.results(ctx.source, indicator=INDEX))
year = choices.pick_year(ctx, idx["year"].unique(), container=st.columns([1, 3])[0])
sentences = cached.overview_sentences(ctx.source, year, lang)
if sentences:
    components.render_lead(sentences[0])

st.subheader(t("ov.headline", lang, year=year))
heads = headline(idx, year, "VN")
changes = year_changes(idx[idx["unit_code"] == "VN"])
changes = changes[changes["year"] == year].set_index("service")
st.caption(t("ov.headline_scope", lang, unit=ctx.name("vn63", "VN")))
cols = st.columns(4)
for i, row in heads.iterrows():
    delta = None
    if row["service"] in changes.index and not crosses_break(row["service"], year - 1, year):
        delta = fmt_signed(changes.loc[row["service"], "change"], lang).replace("−", "-")
    explain = service_name(row["service"], lang) + (". " + t("ov.delta_help", lang, year=year - 1) if delta else "")
    cols[i % 4].metric(service_name(row["service"], lang, short=True), fmt_pct(row["value"], lang), delta=delta,
                       help=explain)
components.render_source_line(ctx, heads)

st.subheader(t("ov.summary", lang))
for sentence in sentences[1:]:
    st.markdown("- " + components.md_escape(sentence))

left, right = st.columns([1, 1])
with left:
    st.subheader(t("ov.movers", lang))
    rises, falls, filtered = cached.overview_movers(ctx.source, year)
    st.caption(t("ov.movers_rule" if filtered else "ov.movers_rule_real", lang))
    if year >= 2025 and rises.empty and falls.empty:
        st.info(t("ov.movers_reform", lang, year=year, prev=year - 1))
    for title, frame_ in ((t("ov.rises", lang), rises), (t("ov.falls", lang), falls)):
        st.markdown(f"**{title}**")
        if frame_.empty:
            st.caption(t("ov.no_movers", lang))
        for _, r in frame_.iterrows():
            st.markdown("- " + components.md_escape(t(
                "ov.mover_line", lang, unit=ctx.name(r["geo_version"], r["unit_code"]),
                service=service_name(r["service"], lang), prev=fmt_pct(r["prev_value"], lang),
                value=fmt_pct(r["value"], lang), change=fmt_signed(r["change"], lang))))
with right:
    map_service, map_year = overview_map_choice(idx, year)
    st.subheader(t("ov.map", lang, service=service_name(map_service, lang), year=map_year))
    if map_year != year:
        st.caption(t("ov.map_latest", lang, year=year, map_year=map_year))
    values, _ = mapview.render_map(ctx, map_service, INDEX, map_year, "province", height=440, width=420,
                                   key="overview_map", lead=False, alt_table=True, page="")

if not ctx.demo:
    national = idx[(idx["unit_code"] == "VN")].copy()
    national["label"] = national["service"].map(lambda s: service_name(s, lang))
    cap = components.caption(ctx, t("ov.national_series", lang), t("tr.break_note", lang))
    chart_block.render_chart(ctx, build_trend(national, cap, lang), national, key="overview_series",
                             name=cap.title, page="", table=series_table(national, lang),
                             alt=lead_trend(national, "VN", ctx.name("vn63", "VN"), "admin", INDEX, lang))
    st.subheader(t("ov.missing", lang))
    for item in missing_items(cached.results(ctx.source), lang):
        st.markdown("- " + components.md_escape(item))
components.render_notes(ctx, idx[idx["year"] == year])
