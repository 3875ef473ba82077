"""Overview: headline index per service, biggest movers, a small map, the year in words.

On a release of published figures it leads with what is complete (the national series, the 2022
break drawn) and then says which provinces the year covers, each a link to its profile."""
import streamlit as st

from dashboard.contract import INDEX
from dashboard.i18n import fmt_number, service_name, t
from dashboard.ui import cached, choices, components, frame, mapview, published_blocks
from dashboard.views.figures import headline
from dashboard.views.overview import headline_metrics, missing_items, mover_lines, overview_map_choice

ctx = frame.context()
lang = ctx.lang
idx = choices.require_rows(ctx, cached.results(ctx.source, indicator=INDEX))
year = choices.pick_year(ctx, idx["year"].unique(), container=st.columns([1, 3])[0])
sentences = cached.overview_sentences(ctx.source, year, lang)
if sentences:
    components.render_lead(sentences[0])
if not ctx.demo:
    published_blocks.render_national_series(ctx, idx)

st.subheader(t("ov.headline", lang, year=year))
heads = headline(idx, year, "VN")
st.caption(t("ov.headline_scope", lang, unit=ctx.name("vn63", "VN")))
cols = st.columns(4)
for i, metric in enumerate(headline_metrics(heads, idx, cached.statistics(ctx.source, "changes", year=year,
                                                                           unit_code="VN"), cached.breaks(ctx.source), lang)):
    cols[i % 4].metric(metric["label"], metric["value"], delta=metric["delta"], delta_color=metric["delta_color"],
                       help=metric["help"])
components.render_source_line(ctx, heads)
if not ctx.demo:
    published_blocks.render_coverage(ctx, year)

st.subheader(t("ov.summary", lang))
for sentence in sentences[1:]:
    st.markdown("- " + components.md_escape(sentence))

left, right = st.columns([1, 1])
with left:
    st.subheader(t("ov.movers", lang))
    moved = cached.overview_movers(ctx.source, year)
    st.caption(t("ov.movers_rule" if moved["tested"] else "ov.movers_rule_real", lang,
                 compared=fmt_number(moved["compared"], lang, 0)))
    for kind, text in mover_lines(moved, ctx.name, lang):
        if kind == "heading":
            st.markdown(f"**{components.md_escape(text)}**")
        elif kind == "empty":
            st.caption(text)
        else:
            st.markdown("- " + components.md_escape(text))
with right:
    map_service, map_year = overview_map_choice(idx, year)
    st.subheader(t("ov.map", lang, service=service_name(map_service, lang), year=map_year))
    if map_year != year:
        st.caption(t("ov.map_latest", lang, year=year, map_year=map_year))
    values, _ = mapview.render_map(ctx, map_service, INDEX, map_year, "province", height=440, width=420,
                                   key="overview_map", lead=False, alt_table=True, page="")

if not ctx.demo:
    st.subheader(t("ov.missing", lang))
    for item in missing_items(cached.results(ctx.source), lang, cached.statistics(ctx.source, "published_ranks"),
                              lambda code: ctx.name("vn63", code)):
        st.markdown("- " + components.md_escape(item))
components.render_notes(ctx, idx[idx["year"] == year])
