"""Profile: find a place by name (with or without diacritics); every service, history, peers."""
import streamlit as st

from dashboard.content import comparisons
from dashboard.content.plain_language import lead_profile, lead_trend
from dashboard.content.profile import (
    briefing_html,
    districts_of,
    par_sentence,
    profile_codes,
    profile_table,
    profile_years,
    unit_facts,
    unit_rows,
)
from dashboard.content.published import latest_figure, same_survey
from dashboard.content.tables import series_table
from dashboard.content.trends import break_note
from dashboard.content.units import search_units
from dashboard.figures.charts import build_trend
from dashboard.i18n import fmt_pct, level_name, service_name, t
from dashboard.release.contract import INDEX
from dashboard.ui import cached, chart_block, choices, components, frame, published_blocks, state, tables

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
        for _, u in found.iterrows():
            parent = ctx.name(u["geo_version"], u["parent_code"]) if u["level"] == "district" else ""
            label = f"{ctx.name(u['geo_version'], u['unit_code'])}" + (f" ({parent})" if parent else "") + \
                f" · {level_name(u['level'], lang)} · {t('geo.' + u['geo_version'], lang)}"
            st.page_link(profile_page, label=label, icon=":material/location_on:", query_params={
                **state.carried_params(), "unit": u["unit_code"], "geo": u["geo_version"], "level": u["level"]})

geo = state.choose("geo", ["vn63", "vn34"], "vn63", describe=lambda g: t(f"geo.{g}", lang))
on_geo = cached.results(ctx.source, geo_version=geo)
ranks_geo = cached.statistics(ctx.source, "published_ranks", geo_version=geo)
codes = cached.memo("pf_codes", (ctx.source, geo), lambda: profile_codes(cached.units(), on_geo, ranks_geo, geo=geo))
unit = choices.pick_unit(ctx, codes, label_key="pf.pick", default="VN")
rows = cached.memo("pf_rows", (ctx.source, geo, unit), lambda: unit_rows(on_geo, unit, geo))
name = ctx.name(geo, unit)
st.header(name)
level, parent = unit_facts(cached.units(), geo, unit)
if parent and parent != "VN":
    st.caption(t("pf.parent", lang, parent=ctx.name(geo, parent)))
if rows.empty:  # nothing published, or a published rank only: say what exists
    if ctx.demo:
        st.info(t("pf.no_data", lang, unit=name))
    else:
        published_blocks.render_published_items(ctx, rows, unit_rows(ranks_geo, unit, geo), name,
                                                districts_of(on_geo, unit, level))
    frame.stop_here()

on_release = choices.available(ctx)
year = choices.pick_page_year(ctx, profile_years(on_release[on_release["geo_version"] == geo]["year"], rows["year"]),
                              default=int(rows["year"].max()))
latest = latest_figure(rows, year)
shown = year if (rows["year"] == year).any() else (int(latest["year"]) if latest is not None else int(rows["year"].max()))
if shown != year and latest is not None:
    st.info(t("pf.no_figure_year", lang, unit=name, year=year, value=fmt_pct(latest["value"], lang), latest_year=shown,
              what=service_name(latest["service"], lang)))
of_year = rows[rows["year"] == shown]
national = same_survey(cached.results(ctx.source, unit_code="VN", year=shown), of_year)  # never beside another survey
par = par_sentence(of_year, level, lang)
gaps = cached.statistics(ctx.source, "gaps", year=shown, unit_code=unit, geo_version=geo)
sentences = [lead_profile(of_year, national, unit, name, shown, lang, gaps=gaps), *([par] if par else [])]
for sentence in sentences:
    components.render_lead(sentence)
st.subheader(t("pf.services", lang, year=shown))
table = cached.memo("pf_table", (ctx.source, geo, unit, shown, lang), lambda: profile_table(of_year, national, lang, gaps))
components.show_table(table)
components.render_source_line(ctx, of_year)
components.render_notes(ctx, of_year)
if not ctx.demo:
    published_blocks.render_published_items(ctx, rows, unit_rows(ranks_geo, unit, geo), name,
                                            districts_of(on_geo, unit, level))
components.render_terms(lang, ("satisfied", "interval", "low_n", "pooled"))

history = rows[rows["indicator"] == INDEX].copy()
history["label"] = history["service"].map(lambda s: service_name(s, lang))
main = "admin" if "admin" in set(history["service"].unique()) else str(history["service"].iloc[0])
cap = components.caption(ctx, f"{name}: {t('pf.history', lang)}", break_note(history, cached.breaks(ctx.source), lang))
history_table = cached.memo("pf_history_table", (ctx.source, geo, unit, lang), lambda: series_table(history, lang))
figure = cached.memo("pf_history", (ctx.source, geo, unit, lang, cap), lambda: build_trend(history, cap, lang, cached.breaks(ctx.source)))
chart_block.render_chart(ctx, figure, history.rename(columns={"label": "name"}),
                         key="pf_history", name=cap.title, page="profile",
                         alt=lead_trend(history, unit, name, main, INDEX, lang, cached.statistics(
                             ctx.source, "changes", unit_code=unit, service=main, indicator=INDEX),
                             cached.breaks(ctx.source)), table=history_table)
chart_block.end_embed(ctx, "profile", history)

if level != "national":
    service = "admin" if "admin" in set(of_year["service"].unique()) else str(of_year["service"].iloc[0])
    same = cached.results(ctx.source, year=shown, level=level, service=service, indicator=INDEX, geo_version=geo)
    close = comparisons.peers(same_survey(same, of_year), unit)
    st.subheader(t("pf.peers", lang, service=service_name(service, lang), year=shown))
    if close.empty:
        st.info(t("nodata", lang))
    else:
        tables.show_values(ctx, close)

st.caption(t("pf.print_hint", lang))
brief = briefing_html(name, t("pf.services", lang, year=shown), table, sentences, components.chart_source(ctx), lang,
                      ctx.release.data_as_of, ctx.demo, history_table, t("pf.history", lang))
st.download_button(t("pf.print", lang), brief.encode("utf-8"), file_name=f"briefing-{unit}-{shown}.html",
                   mime="text/html", on_click="ignore", icon=":material/print:")
