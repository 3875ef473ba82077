"""The pickers pages share (year, service, indicator, level, unit), bound to the URL."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import indicator_name, level_name, service_name, t
from dashboard.release.contract import GEO_VERSIONS, INDEX, SERVICES
from dashboard.ui import cached, components, state
from dashboard.ui import frame as page_frame
from dashboard.ui.components import Context

NONE = "none"


def available(ctx: Context) -> pd.DataFrame:
    """(year, geo_version, level, service, indicator, units) the release holds."""
    return cached.years_of(ctx.source)


def pick_service(ctx: Context, services, container=None, default: str | None = None) -> str | None:
    services = [s for s in SERVICES if s in set(services)]
    if not services:
        return None
    default = default if default in services else ("admin" if "admin" in services else services[0])
    return state.select("service", t("ctl.service", ctx.lang), services, default,
                        format_func=lambda s: service_name(s, ctx.lang), container=container)


def pick_indicator(ctx: Context, service: str, indicators, container=None) -> str | None:
    order = cached.indicators(ctx.source)
    order = order[order["service"] == service]["indicator"].tolist()
    options = [i for i in order if i in set(indicators)] or sorted(set(indicators))
    if not options:
        return None
    default = INDEX if INDEX in options else options[0]
    return state.select("indicator", t("ctl.indicator", ctx.lang), options, default,
                        format_func=lambda i: indicator_name(service, i, ctx.lang), container=container)


def pick_year(ctx: Context, years, container=None, default: int | None = None,
              label_visibility: str = "visible") -> int | None:
    years = sorted({int(y) for y in years}, reverse=True)
    if not years:
        return None
    default = default if default in years else years[0]
    return state.select("year", t("ctl.year", ctx.lang), years, default, container=container,
                        label_visibility=label_visibility)


def pick_page_year(ctx: Context, years, default: int | None = None) -> int | None:
    """The year of a page whose only picker it is: a narrow box, not a full-width row. On a phone
    its label is left to screen readers: the lead sentence right below names the year."""
    phone = components.on_phone()
    slot = st.container(horizontal=True, width=160 if phone else 240, key="picker_year")
    return pick_year(ctx, years, container=slot, default=default,
                     label_visibility="collapsed" if phone else "visible")


def pick_geo(ctx: Context, pool: pd.DataFrame, container=None) -> str:
    """The boundary set (63 or 34 provinces) among those in `pool`; by default that of its latest year."""
    geos = [g for g in GEO_VERSIONS if g in set(pool["geo_version"].unique())] or ["vn63"]
    latest = str(pool.loc[pool["year"].idxmax(), "geo_version"]) if len(pool) else geos[0]
    return state.select("geo", t("ctl.geo", ctx.lang), geos, latest, format_func=lambda g: t(f"geo.{g}", ctx.lang),
                        container=container)


def pick_boundary_set(ctx: Context, geos: list[str], container=None) -> str:
    """The boundary set of a year's figures: the only one there is, or (a year on both) the one
    the URL asks for, by default the newer."""
    if len(geos) < 2:
        return geos[0] if geos else "vn63"
    wanted = state.get("geo")
    return state.select("geo", t("ctl.geo", ctx.lang), geos, wanted if wanted in geos else geos[-1],
                        format_func=lambda g: t(f"geo.{g}", ctx.lang), container=container)


def pick_level(ctx: Context, levels, container=None, default: str | None = None) -> str | None:
    order = ["province", "district", "national", "commune"]
    levels = [lv for lv in order if lv in set(levels)]
    if not levels:
        return None
    default = default if default in levels else levels[0]
    return state.select("level", t("ctl.level", ctx.lang), levels, default,
                        format_func=lambda lv: level_name(lv, ctx.lang), container=container)


def pick_unit(ctx: Context, codes_geo: list[tuple[str, str]], label_key: str = "ctl.unit", container=None,
              default: str | None = None, param: str = "unit", allow_none: bool = False) -> str | None:
    """A unit by GSO code; options labelled with names, sorted by name ('none' = no unit)."""
    if not codes_geo:
        return None
    labels = {code: ctx.name(geo, code) for geo, code in codes_geo}
    options = sorted(labels, key=lambda c: (c != "VN", labels[c]))
    if allow_none:
        options = [NONE, *options]
        labels[NONE] = "—"
    default = default if default in options else options[0]
    chosen = state.select(param, t(label_key, ctx.lang), options, default,
                          format_func=lambda c: labels.get(c, c), container=container)
    return None if chosen == NONE else chosen


def picker_row(ctx: Context, n: int, stacked: bool = False) -> list:
    """Where a page's `n` pickers go, so that the page's answer comes first on every screen.

    On a wide screen: one row of `n` columns (`stacked`: one under the other, in the current
    column, for a page that puts its pickers beside its figure). On a phone, columns would stack
    into `n` full-width pickers before the answer; there they go behind one compact "change"
    button (a popover that opens them), and the sentence and the chart or map start in the first
    screen. The choices stay in the URL either way; the page's lead sentence says what is shown.
    """
    if components.on_phone() and not ctx.embed:
        with st.container(key="pickers_phone"):
            box = st.popover(t("ctl.change", ctx.lang), icon=":material/tune:", width="stretch")
        return [box] * n
    if stacked:
        here = st.container()
        return [here] * n
    return list(st.columns(n))


def more_pickers(ctx: Context, row: list):
    """Where a page's further pickers go (after the `row` of `picker_row`): behind the same
    "change" button on a phone, else on their own line in the page."""
    return row[0] if components.on_phone() and not ctx.embed else st.container()


def require_rows(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame`, or a plain "no data" note and the end of the page when it is empty."""
    if frame.empty:
        st.info(t("nodata", ctx.lang))
        page_frame.stop_here()
    return frame


def pick_regional_view(ctx: Context, stacked: bool = False) -> tuple[str, str, str, int, object]:
    """Service, indicator, level (province or district) and year of a map or comparison: four
    pickers in a row (`stacked`: one under the other), each offering only what the release holds
    for the choices before it; and where the page's further pickers go (`more_pickers`)."""
    avail = available(ctx)
    pool = require_rows(ctx, avail[avail["level"].isin(["province", "district"])])
    row = picker_row(ctx, 4, stacked=stacked)
    c1, c2, c3, c4 = row
    service = pick_service(ctx, pool["service"].unique(), container=c1)
    pool = pool[pool["service"] == service]
    indicator = pick_indicator(ctx, service, pool["indicator"].unique(), container=c2)
    pool = pool[pool["indicator"] == indicator]
    level = pick_level(ctx, pool["level"].unique(), container=c3)
    year = pick_year(ctx, pool[pool["level"] == level]["year"].unique(), container=c4)
    return service, indicator, level, year, more_pickers(ctx, row)
