"""Profile: find a place by name (with or without diacritics); every service, history, peers."""
import streamlit as st

from dashboard.content import comparisons
from dashboard.content import profile as pf
from dashboard.content.plain_language import lead_profile, lead_trend
from dashboard.content.published import latest_figure, same_survey, year_rows
from dashboard.content.tables import with_name_column
from dashboard.content.trends import break_note
from dashboard.content.units import found_places, search_units
from dashboard.i18n import fmt_pct, service_name, t
from dashboard.release.contract import INDEX
from dashboard.ui import cached, chart_block, choices, components, frame, page_data, published_blocks, state, tables

ctx = frame.context()
lang = ctx.lang
profile_page = frame.page("profile")

query = None if ctx.embed else st.text_input(t("ctl.search", lang), key="profile_search",
                                             placeholder=t("ctl.search_ph", lang), max_chars=80)
if query:
    found = search_units(cached.units(), query)
    if found.empty:
        st.info(t("pf.none", lang, query=query[:80]))
    else:
        st.markdown(f"**{t('pf.found', lang)}**")
        for label, params in found_places(found, ctx.name, lang):
            st.page_link(profile_page, label=label, icon=":material/location_on:",
                         query_params={**state.carried_params(), **params})

geo = state.choose("geo", ["vn63", "vn34"], "vn63", describe=lambda g: t(f"geo.{g}", lang))
unit = choices.pick_unit(ctx, page_data.profile_codes(ctx.source, geo), label_key="pf.pick", default="VN")
rows = page_data.profile_rows(ctx.source, geo, unit)
ranks = pf.unit_rows(cached.statistics(ctx.source, "published_ranks", geo_version=geo), unit, geo)
name = ctx.name(geo, unit)
st.header(name)
level, parent = pf.unit_facts(cached.units(), geo, unit)
districts = pf.districts_of(cached.results(ctx.source, geo_version=geo), unit, level)
if parent and parent != "VN":
    st.caption(t("pf.parent", lang, parent=ctx.name(geo, parent)))
if rows.empty:  # nothing published, or a published rank only: say what exists
    if ctx.demo:
        st.info(t("pf.no_data", lang, unit=name))
    else:
        published_blocks.render_published_items(ctx, rows, ranks, name, districts)
    frame.stop_here()

year = choices.pick_page_year(ctx, pf.profile_years(pf.years_on(choices.available(ctx), geo), rows["year"]),
                              default=pf.latest_year(rows))
latest = latest_figure(rows, year)
shown = pf.shown_year(rows, year, latest)
if shown != year and latest is not None:
    st.info(t("pf.no_figure_year", lang, unit=name, year=year, value=fmt_pct(latest["value"], lang), latest_year=shown,
              what=service_name(latest["service"], lang)))
of_year = year_rows(rows, shown)
national = page_data.profile_national(ctx.source, geo, unit, shown)
par = pf.par_sentence(of_year, level, lang)
gaps = cached.statistics(ctx.source, "gaps", year=shown, unit_code=unit, geo_version=geo)
sentences = [lead_profile(of_year, national, unit, name, shown, lang, gaps=gaps), *([par] if par else [])]
for sentence in sentences:
    components.render_lead(sentence)
st.subheader(t("pf.services", lang, year=shown))
table = page_data.profile_table(ctx.source, geo, unit, shown, lang)
components.show_table(table)
components.render_source_line(ctx, of_year)
components.render_notes(ctx, of_year)
if not ctx.demo:
    published_blocks.render_published_items(ctx, rows, ranks, name, districts)
components.render_terms(lang, ("satisfied", "interval", "low_n", "pooled"))

history = page_data.profile_history(ctx.source, geo, unit, lang)
main = pf.main_service(history)
cap = components.caption(ctx, f"{name}: {t('pf.history', lang)}", break_note(history, cached.breaks(ctx.source), lang))
history_table = page_data.profile_history_table(ctx.source, geo, unit, lang)
chart_block.render_chart(ctx, page_data.profile_history_figure(ctx.source, geo, unit, lang, cap),
                         with_name_column(history, "label"), key="pf_history", name=cap.title, page="profile",
                         alt=lead_trend(history, unit, name, main, INDEX, lang, cached.statistics(
                             ctx.source, "changes", unit_code=unit, service=main, indicator=INDEX),
                             cached.breaks(ctx.source)), table=history_table)
chart_block.end_embed(ctx, "profile", history)

if level != "national":
    service = pf.main_service(of_year)
    same = cached.results(ctx.source, year=shown, level=level, service=service, indicator=INDEX, geo_version=geo)
    close = comparisons.peers(same_survey(same, of_year), unit)
    st.subheader(t("pf.peers", lang, service=service_name(service, lang), year=shown))
    if close.empty:
        st.info(t("nodata", lang))
    else:
        tables.show_values(ctx, close)

st.caption(t("pf.print_hint", lang))
brief = pf.briefing_html(name, t("pf.services", lang, year=shown), table, sentences, components.chart_source(ctx), lang,
                         ctx.release.data_as_of, ctx.demo, history_table, t("pf.history", lang))
st.download_button(t("pf.print", lang), brief.encode("utf-8"), file_name=f"briefing-{unit}-{shown}.html",
                   mime="text/html", on_click="ignore", icon=":material/print:")
