"""The overview page's content: plain-language sentences made from the figures, in vi or en."""
from __future__ import annotations

import pandas as pd

from dashboard.contract import INDEX
from dashboard.i18n import fmt_number, fmt_pct, service_name, t
from dashboard.views.figures import METHOD_BREAK_YEAR, crosses_break, headline, movers, year_changes

MAIN_SERVICE = "admin"
PROVINCE_COUNT = {"vn63": 63, "vn34": 34}


def summary_sentences(frame: pd.DataFrame, year: int, lang: str, demo: bool,
                      name_of, tested: pd.DataFrame | None = None) -> list[str]:
    """3–5 sentences about `year`, from the overall indices in `frame` (all years, all levels).

    `name_of(geo_version, unit_code) -> str` gives unit names in the language.
    """
    idx = frame[frame["indicator"] == INDEX]
    out: list[str] = []
    national = headline(idx, year, "VN")
    if not national.empty:
        main = national[national["service"] == MAIN_SERVICE]
        row = main.iloc[0] if not main.empty else national.iloc[0]
        out.append(t("sum.latest", lang, year=year, service=service_name(row["service"], lang).lower(),
                     unit=name_of(row["geo_version"], "VN"), value=fmt_pct(row["value"], lang)))
        if len(national) >= 3:
            best = national.loc[national["value"].idxmax()]
            worst = national.loc[national["value"].idxmin()]
            out.append(t("sum.best_worst", lang, best=service_name(best["service"], lang).lower(),
                         best_value=fmt_pct(best["value"], lang),
                         worst=service_name(worst["service"], lang).lower(),
                         worst_value=fmt_pct(worst["value"], lang)))
        change = year_changes(idx[(idx["unit_code"] == "VN") & (idx["service"] == row["service"])])
        change = change[change["year"] == year]
        if not change.empty:
            c = change.iloc[0]
            if crosses_break(c["service"], int(c["prev_year"]), year):
                out.append(t("sum.method_break", lang))
            else:
                delta = float(c["change"])
                key = "sum.change_flat" if abs(delta) < 0.05 else ("sum.change_up" if delta > 0 else "sum.change_down")
                out.append(t(key, lang, prev_year=int(c["prev_year"]), service=service_name(c["service"], lang).lower(),
                             change=fmt_number(abs(delta), lang)))
    provinces = idx[(idx["year"] == year) & (idx["level"] == "province") & (idx["service"] == MAIN_SERVICE)]
    provinces = provinces.dropna(subset=["value"])
    if len(provinces) >= 2:
        low, high = provinces.loc[provinces["value"].idxmin()], provinces.loc[provinces["value"].idxmax()]
        every = PROVINCE_COUNT.get(str(provinces["geo_version"].iloc[0]), 0)
        key = "sum.range" if provinces["unit_code"].nunique() >= every else "sum.range_published"
        out.append(t(key, lang, service=service_name(MAIN_SERVICE, lang).lower(), n=provinces["unit_code"].nunique(),
                     low=fmt_pct(low["value"], lang), low_unit=name_of(low["geo_version"], low["unit_code"]),
                     high=fmt_pct(high["value"], lang), high_unit=name_of(high["geo_version"], high["unit_code"])))
    if demo:
        rises, falls, _ = movers(idx[idx["level"] != "national"], year, limit=10_000, tested=tested)
        if len(rises) or len(falls):
            out.append(t("sum.clear_changes", lang, rises=rises["unit_code"].nunique(), falls=falls["unit_code"].nunique()))
        out.append(t("sum.demo", lang))
    else:
        n_prov = idx[(idx["year"] == year) & (idx["level"] == "province")]["unit_code"].nunique()
        if n_prov == 0:
            out.append(t("sum.national_only", lang, year=year))
        elif n_prov < 63:
            out.append(t("sum.sparse", lang, year=year, n_prov=n_prov))
        if year >= METHOD_BREAK_YEAR and not any(s == t("sum.method_break", lang) for s in out):
            out.append(t("sum.method_break", lang))
    return out[:5]


def missing_items(frame: pd.DataFrame, lang: str) -> list[str]:
    """What a sparse (real) release does not hold, in plain words."""
    items = []
    services = set(frame["service"].unique())
    if not services & {"education", "health", "security", "roads", "water", "electricity"}:
        items.append(t("missing.services", lang))
    per_year = frame[frame["level"] == "province"].groupby("year")["unit_code"].nunique()
    if per_year.empty or per_year.max() < 63:
        items.append(t("missing.provinces", lang))
    if frame["ci_low"].isna().all():
        items.append(t("missing.intervals", lang))
    districts = frame[frame["level"] == "district"]
    if 0 < districts["unit_code"].nunique() < 50:
        items.append(t("missing.districts", lang))
    last = int(frame["year"].max()) if not frame.empty else None
    if last is not None and last < 2025:
        items.append(t("missing.recent", lang, year=last + 1))
    return items


def overview_map_choice(frame: pd.DataFrame, year: int) -> tuple[str, int]:
    """The service and year of the overview's small map: administrative services if published,
    in `year` or, when `year` has no provincial figure, the latest year that has one."""
    provincial = frame[(frame["level"] == "province") & (frame["indicator"] == INDEX) & frame["value"].notna()]
    services = [s for s in (MAIN_SERVICE, *sorted(provincial["service"].unique())) if s in set(provincial["service"].unique())]
    if not services:
        return MAIN_SERVICE, year
    of_year = provincial[provincial["year"] == year]
    service = next((s for s in services if s in set(of_year["service"].unique())), services[0])
    years = provincial[provincial["service"] == service]["year"]
    return service, (year if year in set(years) else int(years[years <= year].max() if (years <= year).any() else years.max()))
