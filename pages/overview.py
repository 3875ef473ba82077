"""Overview: headline index per service, biggest movers, a small map, the year in words.

On a release of published figures it leads with what is complete (the national series, the 2022
break drawn) and then says which provinces the year covers, each a link to its profile."""
import streamlit as st

from dashboard.content.comparisons import headline
from dashboard.content.overview import headline_metrics, missing_items, mover_lines, overview_map_choice
from dashboard.content.published import year_rows
from dashboard.i18n import fmt_number, service_name, t
from dashboard.release.contract import INDEX
from dashboard.ui import cached, choices, components, frame, mapview, published_blocks

ctx = frame.context()
lang = ctx.lang
idx = choices.require_rows(ctx, cached.results(ctx.source, indicator=INDEX))
year = choices.pick_page_year(ctx, idx["year"])
sentences = cached.overview_sentences(ctx.source, year, lang)
if sentences:
    components.render_lead(sentences[0])
if not ctx.demo:
    published_blocks.render_national_series(ctx)

# The answer first: the map beside the headline figures (under it on a phone), then the rest.
map_col, figures_col = st.columns([1, 1])
with map_col:
    map_service, map_year = overview_map_choice(idx, year)
    st.subheader(t("ov.map", lang, service=service_name(map_service, lang), year=map_year))
    if map_year != year:
        st.caption(t("ov.map_latest", lang, year=year, map_year=map_year))
    values, _ = mapview.render_map(ctx, map_service, INDEX, map_year, "province", height=440, width=420,
                                   key="overview_map", lead=False, alt_table=True, page="")
with figures_col:
    st.subheader(t("ov.headline", lang, year=year))
    heads = headline(idx, year, "VN")
    st.caption(t("ov.headline_scope", lang, unit=ctx.name("vn63", "VN")))
    cols = st.columns(2)
    for i, metric in enumerate(headline_metrics(heads, idx, cached.statistics(ctx.source, "changes", year=year,
                                                                               unit_code="VN"),
                                                cached.breaks(ctx.source), lang)):
        cols[i % 2].metric(metric["label"], metric["value"], delta=metric["delta"], delta_color=metric["delta_color"],
                           help=metric["help"])
    components.render_source_line(ctx, heads)
if not ctx.demo:
    published_blocks.render_coverage(ctx, year)

summary_col, movers_col = st.columns([1, 1])
with summary_col:
    st.subheader(t("ov.summary", lang))
    for sentence in sentences[1:]:
        st.markdown("- " + components.md_escape(sentence))
with movers_col:
    st.subheader(t("ov.movers", lang))
    moved = cached.overview_movers(ctx.source, year)
    st.caption(t("ov.movers_rule" if moved["tested"] else "ov.movers_rule_real", lang,
                 count=moved["compared"], compared=fmt_number(moved["compared"], lang, 0)))
    for kind, text in mover_lines(moved, ctx.name, lang):
        if kind == "heading":
            st.markdown(f"**{components.md_escape(text)}**")
        elif kind == "empty":
            st.caption(text)
        else:
            st.markdown("- " + components.md_escape(text))

if not ctx.demo:
    st.subheader(t("ov.missing", lang))
    for item in missing_items(cached.results(ctx.source), lang, cached.statistics(ctx.source, "published_ranks"),
                              lambda code: ctx.name("vn63", code), cached.province_counts()):
        st.markdown("- " + components.md_escape(item))
components.render_notes(ctx, year_rows(idx, year))
