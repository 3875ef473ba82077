"""Services: every service side by side for a unit, its parent and the country; province × service."""
import streamlit as st

from dashboard.content import services as svc
from dashboard.content.plain_language import lead_services
from dashboard.content.tables import with_name_column
from dashboard.i18n import t
from dashboard.release.contract import INDEX
from dashboard.ui import cached, chart_block, choices, components, frame, page_data, state

ctx = frame.context()
lang = ctx.lang
idx = choices.require_rows(ctx, cached.results(ctx.source, indicator=INDEX))

row = choices.picker_row(ctx, 3)
c1, c2, c3 = row
# A shared link with ?geo=vn63 opens on the latest year of that boundary set.
year = choices.pick_year(ctx, idx["year"], container=c1, default=svc.latest_year_on(idx, state.get("geo")))
of_year = cached.results(ctx.source, year=year)
levels = svc.levels_of(of_year)
level = choices.pick_level(ctx, levels, container=c2, default="province" if "province" in levels else None)
geos = svc.geos_of(svc.at_level(of_year, level))
geo = choices.pick_boundary_set(ctx, geos, container=choices.more_pickers(ctx, row) if len(geos) > 1 else None)
unit = choices.pick_unit(ctx, svc.unit_choices(of_year, level, geo), container=c3)

rows = page_data.service_rows(ctx.source, year, geo, unit, lang)
sentence = lead_services(rows, unit, ctx.name(geo, unit), year, lang)
components.render_lead(sentence)
st.subheader(t("svc.section", lang))
if rows.empty:
    st.info(t("nodata", lang))
else:
    cap = components.caption(ctx, t("svc.title", lang, unit=ctx.name(geo, unit), year=year), "")
    chart_block.render_chart(ctx, page_data.service_dots(ctx.source, year, geo, unit, lang, cap), with_name_column(rows, "who"),
                             key="svc_dots", name=cap.title, page="services", alt=sentence,
                             table=svc.services_table(rows, lang))
chart_block.end_embed(ctx, "services", rows)
components.render_source_line(ctx, rows)

st.subheader(t("svc.criteria", lang))
crit = page_data.service_criteria(ctx.source, year, geo, unit, lang)
if crit.empty:
    st.info(t("nodata", lang))
else:
    components.show_table(crit)

matrix = page_data.service_matrix(ctx.source, year, geo, lang)
st.subheader(t("svc.heatmap", lang, year=year))
if matrix.empty:
    st.info(t("nodata", lang))
else:
    sort_service = st.selectbox(t("ctl.sort", lang), list(matrix.columns), key="svc_sort")
    cap = components.caption(ctx, t("svc.heatmap", lang, year=year), t("not_published", lang) + ": □")
    sorted_matrix = page_data.service_matrix(ctx.source, year, geo, lang, sort_service)
    chart_block.render_chart(ctx, page_data.service_heatmap(ctx.source, year, geo, lang, sort_service, cap),
                             svc.matrix_rows(sorted_matrix),
                             key="svc_heat", name=cap.title, page="services")
    st.caption(t("svc.heatmap_help", lang))
    components.show_table(page_data.service_matrix_table(ctx.source, year, geo, lang, sort_service))
components.render_notes(ctx, svc.unit_and_country(of_year, unit, geo))
components.render_terms(lang, ("satisfied", "interval"))
