"""The overview page's content: plain-language sentences made from the figures, in vi or en."""
from __future__ import annotations

import pandas as pd

from dashboard.content.comparisons import change_rows, headline, movers
from dashboard.i18n import fmt_number, fmt_pct, fmt_signed, service_name, t
from dashboard.release.contract import INDEX, PROVINCES_BY_GEO

MAIN_SERVICE = "admin"
CHANGE_SENTENCE = {"clear_up": "sum.change_up_clear", "clear_down": "sum.change_down_clear",
                   "alone": "sum.change_alone", "noise": "sum.change_noise", "untested": "sum.change_untested"}


def national_change_sentence(idx: pd.DataFrame, service: str, year: int, lang: str, changes: pd.DataFrame | None,
                             breaks: set[tuple[str, int]]) -> str | None:
    """The national index of `service` against the year before, with the release's verdict."""
    rows = change_rows(idx[(idx["unit_code"] == "VN") & (idx["service"] == service)], changes, breaks)
    rows = rows[rows["year"] == year]
    if rows.empty:
        return None
    c = rows.iloc[0]
    if c["verdict"] == "break":
        return t("sum.method_break", lang)
    if c["verdict"] in ("reform", "vs_harmonised"):
        return t("sum.change_reform", lang, prev_year=int(c["prev_year"]))
    delta = float(c["change"])
    direction = "flat" if abs(delta) < 0.05 else ("up" if delta > 0 else "down")
    return t(f"sum.change_{direction}", lang, prev_year=int(c["prev_year"]), service=service_name(service, lang).lower(),
             change=fmt_number(abs(delta), lang)) + " " + t(CHANGE_SENTENCE[c["verdict"]], lang)


def summary_sentences(frame: pd.DataFrame, year: int, lang: str, demo: bool, name_of,
                      changes: pd.DataFrame | None = None, breaks: set[tuple[str, int]] = frozenset(),
                      provinces: dict[str, int] | None = None) -> list[str]:
    """3–5 sentences about `year`, from the overall indices in `frame` (all years, all levels).

    `name_of(geo_version, unit_code) -> str` gives unit names in the language; `changes` are the
    release's published changes and `breaks` its declared method breaks; `provinces` the number of
    provinces of each boundary set (`content.units.province_counts`; by default the contract's).
    """
    provinces = PROVINCES_BY_GEO if provinces is None else provinces
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
        change = national_change_sentence(idx, row["service"], year, lang, changes, breaks)
        if change:
            out.append(change)
    ranged = idx[(idx["year"] == year) & (idx["level"] == "province") & (idx["service"] == MAIN_SERVICE)]
    ranged = ranged.dropna(subset=["value"])
    if len(ranged) >= 2:
        low, high = ranged.loc[ranged["value"].idxmin()], ranged.loc[ranged["value"].idxmax()]
        every = provinces.get(str(ranged["geo_version"].iloc[0]), 0)
        key = "sum.range" if ranged["unit_code"].nunique() >= every else "sum.range_published"
        out.append(t(key, lang, service=service_name(MAIN_SERVICE, lang).lower(), n=ranged["unit_code"].nunique(),
                     low=fmt_pct(low["value"], lang), low_unit=name_of(low["geo_version"], low["unit_code"]),
                     high=fmt_pct(high["value"], lang), high_unit=name_of(high["geo_version"], high["unit_code"])))
    moved = movers(idx, changes, year)
    if moved["tested"]:
        key = "sum.clear_changes" if moved["clear_rises"] or moved["clear_falls"] else "sum.no_clear_changes"
        out.append(t(key, lang, count=moved["compared"], rises=moved["clear_rises"], falls=moved["clear_falls"],
                     compared=fmt_number(moved["compared"], lang, 0)))
    if demo:
        out.append(t("sum.demo", lang))
    else:
        on_geo = idx[(idx["year"] == year) & (idx["level"] == "province")].groupby("geo_version")["unit_code"].nunique()
        if on_geo.empty:
            out.append(t("sum.national_only", lang, year=year))
        elif not any(n >= provinces.get(g, 0) for g, n in on_geo.items()):
            geo = str(on_geo.idxmax())
            out.append(t("sum.sparse_of", lang, year=year, n_prov=int(on_geo[geo]), total=provinces.get(geo, 0)))
        broke = any(s == MAIN_SERVICE and y <= year for s, y in breaks)
        if broke and not any(s == t("sum.method_break", lang) for s in out):
            out.append(t("sum.method_break", lang))
    return out[:5]


def missing_items(frame: pd.DataFrame, lang: str, published_ranks: pd.DataFrame | None = None,
                  name_of=None, provinces: dict[str, int] | None = None) -> list[str]:
    """What a sparse (real) release does not hold, in plain words. `published_ranks`: rows of the
    release's published_ranks (ranks without a value are counted); `name_of(code)` names provinces;
    `provinces`: the number of provinces of each boundary set (by default the contract's)."""
    provinces = PROVINCES_BY_GEO if provinces is None else provinces
    items = []
    services = set(frame["service"].unique())
    if not services & {"education", "health", "security", "roads", "water", "electricity"}:
        items.append(t("missing.services", lang))
    per_year = frame[frame["level"] == "province"].groupby(["year", "geo_version"])["unit_code"].nunique()
    if not any(n >= provinces.get(geo, 0) for (_, geo), n in per_year.items()):
        items.append(t("missing.provinces", lang))
    if frame["ci_low"].isna().all():
        items.append(t("missing.intervals", lang))
    if published_ranks is not None and len(published_ranks):
        keys = ["year", "geo_version", "level", "unit_code", "service", "indicator"]
        alone = published_ranks.merge(frame[keys].assign(_v=True), on=keys, how="left")["_v"].isna().sum()
        if alone:
            items.append(t("missing.ranks", lang, count=int(alone)))
    districts = frame[frame["level"] == "district"]
    if 0 < districts["unit_code"].nunique() < 50:
        parents = sorted(districts["parent_code"].dropna().unique()) if "parent_code" in districts else []
        named = ", ".join(name_of(p) if name_of else p for p in parents)
        items.append(t("missing.districts", lang, count=districts["unit_code"].nunique(), provinces=named))
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


def headline_metrics(heads: pd.DataFrame, idx: pd.DataFrame, changes: pd.DataFrame | None,
                     breaks: set[tuple[str, int]], lang: str) -> list[dict]:
    """One headline metric per service: value, change since the year before (only where the
    release compared the two years) and whether it is clear; the delta is grey when it is not."""
    if heads.empty:
        return []
    year = int(heads["year"].iloc[0])
    rows = change_rows(idx[idx["unit_code"] == "VN"], changes, breaks)
    rows = rows[rows["year"] == year].set_index("service")
    out = []
    for _, head in heads.iterrows():
        service = head["service"]
        metric = {"label": service_name(service, lang, short=True), "value": fmt_pct(head["value"], lang),
                  "delta": None, "delta_color": "off", "help": service_name(service, lang)}
        if service in rows.index:
            c = rows.loc[service]
            metric["help"] += ". " + t("ov.delta_help", lang, year=int(c["prev_year"]),
                                      verdict=t(f"verdict.{c['verdict']}", lang))
            if c["verdict"] not in ("break", "reform", "vs_harmonised"):
                metric["delta"] = fmt_signed(c["change"], lang).replace("−", "-")
                metric["delta_color"] = "normal" if c["verdict"] in ("clear_up", "clear_down") else "off"
        out.append(metric)
    return out


def mover_lines(moved: dict, name_of, lang: str) -> list[tuple[str, str]]:
    """The overview's list of the clearest changes as (kind, text): kind is heading, item or empty."""
    out: list[tuple[str, str]] = []
    for title, frame in ((t("ov.rises", lang), moved["rises"]), (t("ov.falls", lang), moved["falls"])):
        out.append(("heading", title))
        if frame.empty:
            out.append(("empty", t("ov.no_movers" if moved["compared"] else "ov.no_comparison", lang)))
        for _, r in frame.iterrows():
            line = t("ov.mover_line", lang, unit=name_of(r["geo_version"], r["unit_code"]),
                     service=service_name(r["service"], lang), prev=fmt_pct(r["prev_value"], lang),
                     value=fmt_pct(r["value"], lang), change=fmt_signed(r["change"], lang))
            if pd.notna(r["ci_low"]):  # a big change from few answers: its size is uncertain, say how much
                line += " " + t("ov.mover_interval", lang, low=fmt_signed(r["ci_low"], lang),
                                high=fmt_signed(r["ci_high"], lang))
            out.append(("item", line))
    return out
