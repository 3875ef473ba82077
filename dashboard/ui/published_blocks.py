"""Blocks of a release of published figures: what exists for a place, which provinces a year
covers, and the national series that leads the overview."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.content.plain_language import lead_trend
from dashboard.content.published import coverage_lines, district_groups, published_items
from dashboard.content.tables import series_table
from dashboard.content.trends import break_note
from dashboard.i18n import t
from dashboard.release.contract import INDEX
from dashboard.ui import cached, chart_block, components, frame, page_data, state
from dashboard.ui.components import Context, md_escape, safe_link


def render_published_items(ctx: Context, figures: pd.DataFrame, ranks: pd.DataFrame, name: str,
                           districts: pd.DataFrame | None = None) -> None:
    """'What has been published for <place>': every figure and published rank, each with its year,
    value in the reader's format, survey and source link; or that nothing was found as text. A
    place without a figure opens with that in one sentence. `districts`: figures of the place's
    districts (a province's own survey), listed after its own."""
    items = published_items(figures, ranks, ctx.release.sources, ctx.surveys, ctx.lang)
    if figures.empty:
        ranked = [i for i in items if i.rank]
        components.render_lead(t("pf.lead_ranks", ctx.lang, unit=name, count=len(ranked), year=ranked[0].year,
                                 rank=ranked[0].rank) if ranked else t("pf.lead_none", ctx.lang, unit=name))
    st.subheader(t("pf.exists", ctx.lang, unit=name))
    groups = district_groups(districts, ctx.surveys, ctx.lang) if districts is not None and len(districts) else []
    if not items and not groups:
        st.info(t("pf.exists_none", ctx.lang, unit=name))
        return
    st.caption(t("pf.exists_help", ctx.lang))
    lines = []
    for item in items:
        parts = [f"**{item.year}** · {md_escape(item.what)}" + (f": **{md_escape(item.value)}**" if item.value else "")]
        if item.rank:
            parts.append(md_escape(item.rank))
        if item.survey:
            parts.append(t("pf.survey", ctx.lang, survey=md_escape(item.survey)))
        parts.append(t("pf.source", ctx.lang, link=safe_link(item.source_title, item.source_url)))
        lines.append("- " + " · ".join(parts))
    for group in groups:
        links = {ctx.release.sources.get(sid, {}).get("path"): ctx.release.sources.get(sid, {}).get("title", sid)
                 for sid in group.source_ids}  # one link per address (each district's quote is its own source)
        sources = " · ".join(safe_link(title, url) for url, title in links.items())
        figures_text = ", ".join(f"{ctx.name('vn63', code)} {value}" for code, value in group.figures)
        lines.append("- " + " · ".join([f"**{group.year}** · " + md_escape(t("pf.districts", ctx.lang, figures=figures_text)),
                                        t("pf.survey", ctx.lang, survey=md_escape(group.survey)),
                                        t("pf.source", ctx.lang, link=sources)]))
    st.markdown("\n".join(lines))


def render_coverage(ctx: Context, year: int, geo: str = "vn63") -> None:
    """'Figures published for N of 63 provinces in YEAR', with the provinces as links to their
    profiles, and those with a published rank only (never among the figures)."""
    figures = cached.results(ctx.source, year=year, level="province", geo_version=geo)
    ranks = cached.statistics(ctx.source, "published_ranks", year=year, level="province", geo_version=geo)
    cov = page_data.coverage(ctx.source, year, geo)
    st.subheader(t("ov.coverage", ctx.lang, n=len(cov.with_value), total=cov.total, year=year))
    if cov.with_value.empty and cov.rank_only.empty:
        st.caption(t("ov.coverage_none", ctx.lang, year=year))
        return
    st.caption(t("ov.coverage_help", ctx.lang))
    profile = frame.page("profile")
    lines = coverage_lines(cov, lambda code: ctx.name(geo, code), ctx.lang)
    n_values = len(cov.with_value)
    for i, (code, text) in enumerate(lines):
        if i == n_values:
            st.markdown(f"**{md_escape(t('ov.coverage_ranks', ctx.lang, n=len(lines) - n_values))}**")
        if profile is None or ctx.embed:
            st.markdown("- " + md_escape(text))
        else:
            st.page_link(profile, label=text, icon=":material/location_on:", query_params={
                **state.carried_params(), "unit": code, "geo": geo, "level": "province", "year": str(year)})
    shown = set(cov.with_value["unit_code"]) | set(cov.rank_only["unit_code"])
    components.render_source_line(ctx, pd.concat([figures[figures["unit_code"].isin(shown)],
                                                  ranks[ranks["unit_code"].isin(shown)]], ignore_index=True))


def render_national_series(ctx: Context) -> None:
    """The national index of every service over the years: the complete part of the release, with
    the method break drawn (the line is never joined across it)."""
    national = page_data.national_series(ctx.source, ctx.lang)
    if national.empty:
        return
    breaks = cached.breaks(ctx.source)
    admin = national[national["service"] == "admin"]
    years = sorted(admin["year"].astype(int).unique()) if len(admin) else sorted(national["year"].astype(int).unique())
    st.subheader(t("ov.complete", ctx.lang))
    st.caption(t("ov.series_lead", ctx.lang, first=years[0], last=years[-1], count=len(years)))
    cap = components.caption(ctx, t("ov.national_series", ctx.lang), break_note(national, breaks, ctx.lang))
    figure = page_data.national_series_figure(ctx.source, ctx.lang, cap)
    chart_block.render_chart(ctx, figure, national, key="overview_series", name=cap.title, page="",
                             table=series_table(national, ctx.lang),
                             alt=lead_trend(national, "VN", ctx.name("vn63", "VN"), "admin", INDEX, ctx.lang,
                                            cached.statistics(ctx.source, "changes", unit_code="VN", service="admin",
                                                              indicator=INDEX), breaks))
    components.render_source_line(ctx, national)
