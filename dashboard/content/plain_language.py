"""One-sentence answers in plain words: the first line of every page and the text of every chart.

Each function takes the figures a page shows and returns one sentence in the reader's language
("Năm 2024, Lào Cai: 87,1% hài lòng với y tế, cao hơn cả nước 2,3 điểm."). Screen-reader users
get the same sentence as the chart's text alternative. Pure: no streamlit, no data reading.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard.content.comparisons import change_rows
from dashboard.i18n import fmt_number, fmt_pct, fmt_signed, indicator_name, service_name, t

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


def lead_trend(shown: pd.DataFrame, unit: str, unit_name: str, service: str, indicator: str, lang: str,
               changes: pd.DataFrame | None = None, breaks: set[tuple[str, int]] = frozenset()) -> str:
    """A place's figure over its latest comparable stretch of years, and what the last step means.

    Comparable: the same boundary set and the same side of every method break the release
    declares for the service; harmonised years count as comparable with the new provinces' own
    figures. The stretch is only described; the last year-on-year step carries the release's verdict.
    """
    series = _values(shown[shown["unit_code"] == unit]).sort_values("year")
    what = _what(service, indicator, lang)
    if series.empty:
        return t("lead.none", lang, unit=unit_name, year="")
    last = series.iloc[-1]
    started = [y for s, y in breaks if s == service and y <= int(last["year"])]
    if started:
        series = series[series["year"] >= max(started)]
    if "harmonised" not in series:
        series = series[series["geo_version"] == last["geo_version"]]
    first = series.iloc[0]
    if int(first["year"]) == int(last["year"]):
        return t("lead.trend_one", lang, unit=unit_name, what=what, year=int(last["year"]),
                 value=fmt_pct(last["value"], lang, 1))
    sentence = t("lead.trend", lang, unit=unit_name, what=what, first_year=int(first["year"]),
                 last_year=int(last["year"]), first=fmt_pct(first["value"], lang, 1), last=fmt_pct(last["value"], lang, 1))
    steps = change_rows(series, changes, breaks)
    step = steps[steps["year"] == int(last["year"])]
    if len(step) and step["verdict"].iloc[0] not in ("break", "reform", "vs_harmonised"):
        sentence += " " + t("lead.trend_step", lang, prev_year=int(step["prev_year"].iloc[0]),
                            change=fmt_signed(step["change"].iloc[0], lang),
                            verdict=t(f"verdict.{step['verdict'].iloc[0]}", lang))
    return sentence


def lead_compare(data: pd.DataFrame, scope: str, lang: str) -> str:
    """Highest and lowest of the units compared, and which could be first (the release's joint set)."""
    shown = _values(data).sort_values("value", ascending=False)
    if shown.empty:
        return t("lead.compare_none", lang, scope=scope)
    high, low = shown.iloc[0], shown.iloc[-1]
    sentence = t("lead.compare", lang, n=len(shown), scope=scope, high=high["name"],
                 high_value=fmt_pct(high["value"], lang, 1), low=low["name"], low_value=fmt_pct(low["value"], lang, 1))
    if "top_set" in shown and shown["top_set"].notna().any():
        first = shown[shown["top_set"].fillna(False).astype(bool)]
        if len(first) == 1:
            sentence += " " + t("lead.compare_first", lang, unit=first["name"].iloc[0])
        elif len(first) > 1:
            sentence += " " + t("lead.compare_could_be_first", lang, count=len(first))
    return sentence


def lead_profile(of_year: pd.DataFrame, national: pd.DataFrame, unit: str, unit_name: str, year: int,
                 lang: str, service: str | None = None, gaps: pd.DataFrame | None = None) -> str:
    """A place's main figure of the year and its gap to the country, with the release's test of the gap."""
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
    tested = pd.DataFrame() if gaps is None or gaps.empty else gaps[
        (gaps["unit_code"] == unit) & (gaps["service"] == service) & (gaps["indicator"] == "index")]
    if tested.empty:
        qualifier = t("lead.gap_untested", lang) if pd.isna(own.get("ci_low")) else ""
    else:
        qualifier = t("lead.gap_clear" if bool(tested["significant"].iloc[0]) else "lead.gap_unclear", lang)
    key = "lead.profile_same" if abs(gap) < 0.05 else ("lead.profile_above" if gap > 0 else "lead.profile_below")
    return t(key, lang, year=year, unit=unit_name, value=value, service=service_name(service, lang).lower(),
             gap=fmt_number(abs(gap), lang, 1), qualifier=qualifier)
