"""Services: every service side by side for a unit, its parent and the country; province × service."""
import streamlit as st

from dashboard.content.plain_language import lead_services
from dashboard.content.services import comparison_rows, criteria_table, matrix_table, province_matrix, services_table
from dashboard.figures.charts import build_dot_plot, build_heatmap
from dashboard.i18n import service_name, t
from dashboard.release.contract import INDEX
from dashboard.ui import cached, chart_block, choices, components, frame

ctx = frame.context()
lang = ctx.lang
idx = choices.require_rows(ctx, cached.results(ctx.source, indicator=INDEX))

c1, c2, c3 = choices.picker_row(ctx, 3)
year = choices.pick_year(ctx, idx["year"].unique(), container=c1)
of_year = cached.results(ctx.source, year=year)
levels = [lv for lv in ("national", "province", "district") if lv in set(of_year["level"].unique())]
level = choices.pick_level(ctx, levels, container=c2, default="province" if "province" in levels else None)
at_level = of_year[of_year["level"] == level]
pairs = at_level[["geo_version", "unit_code"]].drop_duplicates()
codes = sorted(zip(pairs["geo_version"], pairs["unit_code"]))
unit = choices.pick_unit(ctx, codes, container=c3)
geo = at_level["geo_version"].iloc[0] if not at_level.empty else "vn63"

rows = comparison_rows(of_year, unit, geo, ctx.name)
sentence = lead_services(rows, unit, ctx.name(geo, unit), year, lang)
components.render_lead(sentence)
st.subheader(t("svc.section", lang))
if rows.empty:
    st.info(t("nodata", lang))
else:
    rows["service_label"] = rows["service"].map(lambda s: service_name(s, lang))
    cap = components.caption(ctx, t("svc.title", lang, unit=ctx.name(geo, unit), year=year), "")
    figure = cached.memo("svc_dots", (ctx.source, year, geo, unit, lang, cap),
                         lambda: build_dot_plot(rows, cap, lang, label_col="service_label", group_col="who"))
    chart_block.render_chart(ctx, figure, rows.rename(columns={"who": "name"}), key="svc_dots", name=cap.title, page="services",
                             alt=sentence, table=services_table(rows, lang))
chart_block.end_embed(ctx, "services", rows)
components.render_source_line(ctx, rows)

st.subheader(t("svc.criteria", lang))
crit = cached.memo("svc_criteria", (ctx.source, year, geo, unit, lang),
                   lambda: criteria_table(of_year, unit, geo, ctx.name, lang))
if crit.empty:
    st.info(t("nodata", lang))
else:
    components.show_table(crit)

matrix = cached.memo("svc_matrix", (ctx.source, year, lang), lambda: province_matrix(idx[idx["year"] == year], ctx.name, lang))
st.subheader(t("svc.heatmap", lang, year=year))
if matrix.empty:
    st.info(t("nodata", lang))
else:
    sort_service = st.selectbox(t("ctl.sort", lang), list(matrix.columns), key="svc_sort")
    matrix = matrix.sort_values(sort_service, ascending=False, na_position="last")
    cap = components.caption(ctx, t("svc.heatmap", lang, year=year), t("not_published", lang) + ": □")
    figure = cached.memo("svc_heat", (ctx.source, year, lang, cap, sort_service), lambda: build_heatmap(matrix, cap, lang))
    chart_block.render_chart(ctx, figure, matrix.reset_index(), key="svc_heat",
                             name=cap.title, page="services")
    st.caption(t("svc.heatmap_help", lang))
    components.show_table(cached.memo("svc_matrix_table", (ctx.source, year, lang, sort_service),
                                      lambda: matrix_table(matrix, lang)))
components.render_notes(ctx, of_year[of_year["unit_code"].isin([unit, "VN"])])
components.render_terms(lang, ("satisfied", "interval"))
