"""What pages show, computed once per choice and shared by every session.

Each function's arguments are its cache key: the release source, the reader's choices and the
language (and a chart's caption, which holds the width it was wrapped to). Each loads its own
inputs through the cached readers of `dashboard.ui.cached`, so no DataFrame is hashed per call
and a key cannot miss something the result depends on. Tables and frames are `cache_data` (each
caller gets its own copy); figures and larger objects are `cache_resource` (one shared object:
nobody may change it in place).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.content import compare as compare_content
from dashboard.content import profile as profile_content
from dashboard.content import services as services_content
from dashboard.content import trends as trends_content
from dashboard.content.published import (
    Coverage,
    one_survey,
    own_survey,
    province_coverage,
    same_survey,
    year_rows,
)
from dashboard.content.tables import series_table
from dashboard.content.units import DISPLAY_NAME, unit_name
from dashboard.figures.charts import Caption, build_dot_plot, build_heatmap, build_trend
from dashboard.figures.maps import build_choropleth
from dashboard.i18n import service_name
from dashboard.release import read as loaders
from dashboard.release.contract import INDEX
from dashboard.ui import cached

TTL = cached.TTL


def _name_of(lang: str):
    names = cached.names()
    return lambda geo, code: unit_name(names, geo, code, lang)


def _surveys(source: str) -> dict[str, dict]:
    return loaders.load_surveys(cached.release(source))


# --- compare --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CompareView:
    """The units a comparison ranks (one survey only), with names and the release's rank ranges."""

    data: pd.DataFrame
    left_out: str  # a sentence naming the surveys left out, '' if none
    own: dict | None  # the province's own survey the figures come from (no rank ranges then)
    published: pd.DataFrame  # rows of published_ranks for the same figures


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def compare_view(source: str, service: str, indicator: str, level: str, year: int, province: str | None,
                 lang: str) -> CompareView:
    data = cached.results(source, year=year, service=service, indicator=indicator, level=level)
    data = compare_content.in_province(data, province)
    surveys = _surveys(source)
    data, left_out = one_survey(data, None, surveys, lang)  # one survey per ranking, never several
    own = own_survey(data, surveys)  # a province's own survey: no rank ranges of the product (there are none)
    data = compare_content.with_names(data, _name_of(lang))
    codes = data["unit_code"].tolist()
    ranks = None if own else cached.statistics(source, "ranks", year=year, service=service, indicator=indicator,
                                               level=level, unit_code=codes)
    published = cached.statistics(source, "published_ranks", year=year, service=service, indicator=indicator,
                                  level=level, unit_code=codes)
    return CompareView(compare_content.with_ranks(data, ranks), left_out, own, published)


@st.cache_resource(max_entries=64, ttl=TTL, show_spinner=False)
def compare_dots(source: str, service: str, indicator: str, level: str, year: int, province: str | None,
                 lang: str, cap: Caption) -> go.Figure:
    view = compare_view(source, service, indicator, level, year, province, lang)
    return build_dot_plot(view.data, cap, lang)


# --- services -------------------------------------------------------------------------------------

@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def service_rows(source: str, year: int, geo: str, unit: str, lang: str) -> pd.DataFrame:
    """Every service's index of `unit` (on `geo`), its parent and the country, with `service_label`."""
    rows = services_content.comparison_rows(cached.results(source, year=year), unit, geo, _name_of(lang))
    return rows.assign(service_label=[service_name(s, lang) for s in rows["service"]])


@st.cache_resource(max_entries=64, ttl=TTL, show_spinner=False)
def service_dots(source: str, year: int, geo: str, unit: str, lang: str, cap: Caption) -> go.Figure:
    rows = service_rows(source, year, geo, unit, lang)
    return build_dot_plot(rows, cap, lang, label_col="service_label", group_col="who")


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def service_criteria(source: str, year: int, geo: str, unit: str, lang: str) -> pd.DataFrame:
    return services_content.criteria_table(cached.results(source, year=year), unit, geo, _name_of(lang), lang)


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def service_matrix(source: str, year: int, geo: str, lang: str, sort_by: str | None = None) -> pd.DataFrame:
    """Provinces × services of the overall index on `geo` (sorted by the `sort_by` column, best first)."""
    idx = services_content.on_geo(year_rows(cached.results(source, indicator=INDEX), year), geo)
    matrix = services_content.province_matrix(idx, _name_of(lang), lang)
    return services_content.sort_matrix(matrix, sort_by)


@st.cache_resource(max_entries=64, ttl=TTL, show_spinner=False)
def service_heatmap(source: str, year: int, geo: str, lang: str, sort_by: str | None, cap: Caption) -> go.Figure:
    return build_heatmap(service_matrix(source, year, geo, lang, sort_by), cap, lang)


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def service_matrix_table(source: str, year: int, geo: str, lang: str, sort_by: str | None) -> pd.DataFrame:
    return services_content.matrix_table(service_matrix(source, year, geo, lang, sort_by), lang)


# --- trends ---------------------------------------------------------------------------------------

@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def trend_data(source: str, service: str, indicator: str, geo: str, level: str) -> pd.DataFrame:
    """The yearly figures a trend can draw on `geo` (harmonised earlier years included on vn34)."""
    results = cached.results(source, service=service, indicator=indicator, level=["national", level])
    harmonised = cached.statistics(source, "harmonised", service=service, indicator=indicator, level=level)
    return trends_content.trend_rows(results, harmonised, geo)


def _labels(data: pd.DataFrame, geo: str, lang: str) -> dict[str, str]:
    name_of = _name_of(lang)
    return {c: name_of(geo, c) for c in trends_content.unit_codes(data)}


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def trend_shown(source: str, service: str, indicator: str, geo: str, level: str, chosen: tuple[str, ...],
                lang: str) -> tuple[pd.DataFrame, str]:
    """The lines drawn for the `chosen` units (one survey only, labelled) and a sentence naming
    the surveys left out ('' if none)."""
    data = trend_data(source, service, indicator, geo, level)
    shown, left_out = one_survey(trends_content.of_units(data, chosen), chosen[0] if chosen else None,
                                 _surveys(source), lang)
    return trends_content.with_labels(shown, _labels(data, geo, lang)), left_out


@st.cache_resource(max_entries=64, ttl=TTL, show_spinner=False)
def trend_figure(source: str, service: str, indicator: str, geo: str, level: str, chosen: tuple[str, ...],
                 lang: str, cap: Caption) -> go.Figure:
    shown, _ = trend_shown(source, service, indicator, geo, level, chosen, lang)
    return build_trend(shown, cap, lang, cached.breaks(source))


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def trend_series_table(source: str, service: str, indicator: str, geo: str, level: str, chosen: tuple[str, ...],
                       lang: str) -> pd.DataFrame:
    shown, _ = trend_shown(source, service, indicator, geo, level, chosen, lang)
    return series_table(shown, lang)


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def trend_change_table(source: str, service: str, indicator: str, geo: str, level: str, chosen: tuple[str, ...],
                       lang: str) -> pd.DataFrame:
    shown, _ = trend_shown(source, service, indicator, geo, level, chosen, lang)
    changes = cached.statistics(source, "changes", service=service, indicator=indicator, unit_code=list(chosen))
    labels = _labels(trend_data(source, service, indicator, geo, level), geo, lang)
    return trends_content.change_table(shown, labels, lang, changes, cached.breaks(source))


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def trend_rank_table(source: str, service: str, indicator: str, geo: str, level: str, chosen: tuple[str, ...],
                     lang: str) -> pd.DataFrame:
    data = trend_data(source, service, indicator, geo, level)
    ranked = cached.statistics(source, "ranks", service=service, indicator=indicator, level=level, unit_code=list(chosen))
    said = cached.statistics(source, "published_ranks", service=service, indicator=indicator, level=level,
                             unit_code=list(chosen), geo_version=geo)
    return trends_content.rank_table(trends_content.on_geo_only(ranked, geo), said,
                                     trends_content.of_units(data, chosen, level=level), _labels(data, geo, lang), lang)


# --- profile --------------------------------------------------------------------------------------

@st.cache_data(max_entries=16, ttl=TTL, show_spinner=False)
def profile_codes(source: str, geo: str) -> list[tuple[str, str]]:
    """(geo, code) of every place a profile can show on `geo`."""
    return profile_content.profile_codes(cached.units(), cached.results(source, geo_version=geo),
                                         cached.statistics(source, "published_ranks", geo_version=geo), geo=geo)


@st.cache_data(max_entries=128, ttl=TTL, show_spinner=False)
def profile_rows(source: str, geo: str, unit: str) -> pd.DataFrame:
    """Every figure of one place (all years) on `geo`."""
    return profile_content.unit_rows(cached.results(source, geo_version=geo), unit, geo)


def profile_national(source: str, geo: str, unit: str, year: int) -> pd.DataFrame:
    """The country's figures of `year` from the place's own survey (never beside another survey)."""
    return same_survey(cached.results(source, unit_code="VN", year=year), year_rows(profile_rows(source, geo, unit), year))


@st.cache_data(max_entries=128, ttl=TTL, show_spinner=False)
def profile_table(source: str, geo: str, unit: str, year: int, lang: str) -> pd.DataFrame:
    of_year = year_rows(profile_rows(source, geo, unit), year)
    gaps = cached.statistics(source, "gaps", year=year, unit_code=unit, geo_version=geo)
    return profile_content.profile_table(of_year, profile_national(source, geo, unit, year), lang, gaps)


@st.cache_data(max_entries=128, ttl=TTL, show_spinner=False)
def profile_history(source: str, geo: str, unit: str, lang: str) -> pd.DataFrame:
    """The place's overall index of every service over the years, labelled by service."""
    return profile_content.history_rows(profile_rows(source, geo, unit), lang)


@st.cache_data(max_entries=128, ttl=TTL, show_spinner=False)
def profile_history_table(source: str, geo: str, unit: str, lang: str) -> pd.DataFrame:
    return series_table(profile_history(source, geo, unit, lang), lang)


@st.cache_resource(max_entries=128, ttl=TTL, show_spinner=False)
def profile_history_figure(source: str, geo: str, unit: str, lang: str, cap: Caption) -> go.Figure:
    return build_trend(profile_history(source, geo, unit, lang), cap, lang, cached.breaks(source))


# --- overview and maps ----------------------------------------------------------------------------

@st.cache_resource(max_entries=32, ttl=TTL, show_spinner=False)
def coverage(source: str, year: int, geo: str) -> Coverage:
    """Which provinces have a published figure (or a published rank only) in `year`."""
    figures = cached.results(source, year=year, level="province", geo_version=geo)
    ranks = cached.statistics(source, "published_ranks", year=year, level="province", geo_version=geo)
    return province_coverage(figures, ranks, year, geo)


@st.cache_data(max_entries=16, ttl=TTL, show_spinner=False)
def national_series(source: str, lang: str) -> pd.DataFrame:
    """The national index of every service over the years, labelled by service."""
    return profile_content.history_rows(profile_content.national_rows(cached.results(source, indicator=INDEX)), lang)


@st.cache_resource(max_entries=16, ttl=TTL, show_spinner=False)
def national_series_figure(source: str, lang: str, cap: Caption) -> go.Figure:
    return build_trend(national_series(source, lang), cap, lang, cached.breaks(source))


@st.cache_resource(max_entries=64, ttl=TTL, show_spinner=False)
def map_figure(source: str, service: str, indicator: str, year: int, level: str, province: str | None,
               selected: str | None, lang: str, cap: Caption, size: tuple[int, int], layer: str,
               geometry_url: str) -> go.Figure:
    """A choropleth of the release's figures on a boundary layer (`geometry_url`: the layer's
    geometry file, whose name changes when the geodata is rebuilt)."""
    loaded = cached.geo_layer(layer, province if level == "district" else None)
    units = loaded.units.assign(name=loaded.units[DISPLAY_NAME])
    values = compare_content.in_province(cached.results(source, year=year, service=service, indicator=indicator,
                                                        level=level), province if level == "district" else None)
    bounds = None
    if level == "district" and province and not units.empty:
        bounds = (units["minx"].min(), units["miny"].min(), units["maxx"].max(), units["maxy"].max())
    return build_choropleth(loaded.geometry, units, values, cap, lang, selected=selected, bounds=bounds,
                            height=size[0], width=size[1])
