"""One-sentence answers in plain words: the first line of every page and the text of every chart.

Each function takes the figures a page shows and returns one sentence in the reader's language
("Năm 2024, Lào Cai: 87,1% hài lòng với y tế, cao hơn cả nước 2,3 điểm."). Screen-reader users
get the same sentence as the chart's text alternative. Pure: no streamlit, no data reading.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from dashboard.i18n import fmt_number, fmt_pct, indicator_name, service_name, t

NameOf = Callable[[str, str], str]


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.dropna(subset=["value"]) if "value" in frame else frame.iloc[0:0]


def _what(service: str, indicator: str, lang: str) -> str:
    """'the overall index of health care' / 'chỉ số chung của khám, chữa bệnh'."""
    return t("lead.what", lang, indicator=indicator_name(service, indicator, lang).lower(),
             service=service_name(service, lang).lower())


def lead_map(values: pd.DataFrame, total_units: int, service: str, indicator: str, year: int, lang: str,
             name_of: NameOf) -> str:
    """Highest and lowest place on a map, and how many places have a figure."""
    shown = _values(values)
    what = _what(service, indicator, lang)
    if shown.empty:
        return t("lead.map_none", lang, year=year, what=what)
    high, low = shown.loc[shown["value"].idxmax()], shown.loc[shown["value"].idxmin()]
    if len(shown) == 1:
        return t("lead.map_one", lang, year=year, what=what, unit=name_of(high["geo_version"], high["unit_code"]),
                 value=fmt_pct(high["value"], lang, 1), total=total_units)
    return t("lead.map", lang, year=year, what=what,
             high=name_of(high["geo_version"], high["unit_code"]), high_value=fmt_pct(high["value"], lang, 1),
             low=name_of(low["geo_version"], low["unit_code"]), low_value=fmt_pct(low["value"], lang, 1),
             shown=len(shown), total=max(total_units, len(shown)))


def lead_services(rows: pd.DataFrame, unit: str, unit_name: str, year: int, lang: str) -> str:
    """Which service a place is most and least satisfied with."""
    own = _values(rows[rows["unit_code"] == unit])
    if own.empty:
        return t("lead.none", lang, unit=unit_name, year=year)
    best, worst = own.loc[own["value"].idxmax()], own.loc[own["value"].idxmin()]
    if len(own) == 1:
        return t("lead.services_one", lang, year=year, unit=unit_name, service=service_name(best["service"], lang).lower(),
                 value=fmt_pct(best["value"], lang, 1))
    return t("lead.services", lang, year=year, unit=unit_name,
             best=service_name(best["service"], lang).lower(), best_value=fmt_pct(best["value"], lang, 1),
             worst=service_name(worst["service"], lang).lower(), worst_value=fmt_pct(worst["value"], lang, 1))


def lead_trend(shown: pd.DataFrame, unit: str, unit_name: str, service: str, indicator: str, lang: str) -> str:
    """How a place's figure moved over its latest comparable stretch of years.

    Comparable: the same boundary set and, for administrative services, the same side of the 2022
    method change; harmonised years count as comparable with the new provinces' own figures.
    """
    from dashboard.views.figures import METHOD_BREAK_SERVICES, METHOD_BREAK_YEAR

    series = _values(shown[shown["unit_code"] == unit]).sort_values("year")
    what = _what(service, indicator, lang)
    if series.empty:
        return t("lead.none", lang, unit=unit_name, year="")
    last = series.iloc[-1]
    if service in METHOD_BREAK_SERVICES and int(last["year"]) >= METHOD_BREAK_YEAR:
        series = series[series["year"] >= METHOD_BREAK_YEAR]
    if "harmonised" not in series:
        series = series[series["geo_version"] == last["geo_version"]]
    first = series.iloc[0]
    if int(first["year"]) == int(last["year"]):
        return t("lead.trend_one", lang, unit=unit_name, what=what, year=int(last["year"]),
                 value=fmt_pct(last["value"], lang, 1))
    change = float(last["value"]) - float(first["value"])
    key = "lead.trend_flat" if abs(change) < 0.5 else ("lead.trend_up" if change > 0 else "lead.trend_down")
    return t(key, lang, unit=unit_name, what=what, first_year=int(first["year"]), last_year=int(last["year"]),
             first=fmt_pct(first["value"], lang, 1), last=fmt_pct(last["value"], lang, 1),
             change=fmt_number(abs(change), lang, 1))


def lead_compare(data: pd.DataFrame, scope: str, lang: str) -> str:
    """Highest and lowest of the units compared, and how many of the top are statistically tied."""
    shown = _values(data).sort_values("value", ascending=False)
    if shown.empty:
        return t("lead.compare_none", lang, scope=scope)
    high, low = shown.iloc[0], shown.iloc[-1]
    sentence = t("lead.compare", lang, n=len(shown), scope=scope, high=high["name"],
                 high_value=fmt_pct(high["value"], lang, 1), low=low["name"], low_value=fmt_pct(low["value"], lang, 1))
    if "tie_group" in shown and shown["tie_group"].notna().any():
        tied = int((shown["tie_group"] == high["tie_group"]).sum())
        if tied > 1:
            sentence += " " + t("lead.compare_tied", lang, tied=tied)
    return sentence


def lead_profile(of_year: pd.DataFrame, national: pd.DataFrame, unit: str, unit_name: str, year: int,
                 lang: str, service: str | None = None) -> str:
    """A place's main figure of the year and its gap to the country."""
    idx = _values(of_year[(of_year["unit_code"] == unit) & (of_year["indicator"] == "index")])
    if idx.empty:
        return t("lead.none", lang, unit=unit_name, year=year)
    services = list(idx["service"])
    service = service if service in services else ("admin" if "admin" in services else services[0])
    own = idx[idx["service"] == service].iloc[0]
    value = fmt_pct(own["value"], lang, 1)
    country = _values(national[(national["service"] == service) & (national["indicator"] == "index")])
    if unit == "VN" or country.empty:
        return t("lead.profile", lang, year=year, unit=unit_name, value=value, service=service_name(service, lang).lower())
    gap = float(own["value"]) - float(country["value"].iloc[0])
    key = "lead.profile_same" if abs(gap) < 0.05 else ("lead.profile_above" if gap > 0 else "lead.profile_below")
    return t(key, lang, year=year, unit=unit_name, value=value, service=service_name(service, lang).lower(),
             gap=fmt_number(abs(gap), lang, 1))
