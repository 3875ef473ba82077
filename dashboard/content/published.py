"""What was published for a place, as published: figures, ranks without a value, their surveys.

Reads the release's results, `published_ranks` and `surveys` (contract 1.1) and says them in
words: "ranked 41st of 63 (published rank; no value published)". Nothing is ranked, estimated or
compared here: a published rank is a fact a source stated, never a colour on a map and never one
of the product's rank intervals. Pure: no streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.i18n import fmt_pct, indicator_name, service_name, t
from dashboard.release.catalogue import catalogue_order
from dashboard.release.contract import INDEX, PROVINCES_BY_GEO

KEY = ["year", "geo_version", "level", "unit_code", "service", "indicator"]
MAIN_SERVICE = "admin"


def ordinal(rank: int, lang: str) -> str:
    """41st / 22nd / 13th in English; the number itself in Vietnamese (xếp thứ 41)."""
    if lang != "en":
        return str(rank)
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def survey_name(survey: dict | None, lang: str) -> str:
    if not survey:
        return ""
    return str(survey.get("name_en" if lang == "en" else "name") or survey.get("id", ""))


def rank_phrase(rank, rank_of, has_value: bool, lang: str) -> str:
    """A published rank in words: 'ranked 41st of 63 (published rank; no value published)'.

    A rank whose source does not say out of how many places (`rank_of` empty: a province's own
    survey ranking its districts) says where it was given: 'ranked 1st in the province's own survey'."""
    if rank is None or pd.isna(rank):
        return ""
    rank = int(rank)
    if rank_of is not None and not pd.isna(rank_of):
        where = t("pub.rank_of", lang, rank=ordinal(rank, lang), of=int(rank_of))
    else:
        where = t("pub.rank_in", lang, rank=ordinal(rank, lang))
    return t("pub.rank_only" if not has_value else "pub.rank_with_value", lang, where=where)


@dataclass(frozen=True)
class PublishedItem:
    """One published figure or rank of a place, ready to be said."""

    year: int
    service: str
    indicator: str
    what: str  # the service and indicator in words
    value: str  # '83,57%' in the reader's format, '' for a rank without a value
    rank: str  # the published rank in words, ''
    survey: str  # the survey's name when it is not the release's main survey ('' for SIPAS)
    source_title: str
    source_url: str


def _what(service: str, indicator: str, lang: str) -> str:
    name = service_name(service, lang)
    return name if indicator == INDEX else f"{name}: {indicator_name(service, indicator, lang)}"


def published_items(figures: pd.DataFrame, ranks: pd.DataFrame, sources: dict[str, dict],
                    surveys: dict[str, dict], lang: str, main_survey: str = "sipas") -> list[PublishedItem]:
    """Every figure and published rank of one place (rows of results and of published_ranks),
    newest year first, then in catalogue order; each with its source and, for a province's own
    survey, the survey's name."""
    value_cols = KEY + ["value", "source_id"] + (["survey_id"] if "survey_id" in figures else [])
    rank_cols = KEY + ["rank", "rank_of", "source_id"] + (["survey_id"] if "survey_id" in ranks else [])
    if len(ranks):
        renamed = ranks[rank_cols].rename(columns={"source_id": "rank_source", "survey_id": "rank_survey"})
        merged = figures[value_cols].merge(renamed, on=KEY, how="outer")
    else:
        merged = figures[value_cols].assign(rank=pd.NA, rank_of=pd.NA)
    if merged.empty:
        return []
    if "rank_source" in merged:
        merged["source_id"] = merged["source_id"].fillna(merged["rank_source"])
    if "survey_id" not in merged:
        merged["survey_id"] = None
    if "rank_survey" in merged:
        merged["survey_id"] = merged["survey_id"].fillna(merged["rank_survey"])
    merged = merged.sort_values(["year", "service", "indicator"], ascending=[False, True, True], key=catalogue_order)
    items = []
    for row in merged.itertuples(index=False):
        has_value = not pd.isna(row.value)
        survey = surveys.get(row.survey_id) if isinstance(row.survey_id, str) else None
        source = sources.get(row.source_id, {}) if isinstance(row.source_id, str) else {}
        items.append(PublishedItem(
            year=int(row.year), service=row.service, indicator=row.indicator, what=_what(row.service, row.indicator, lang),
            value=fmt_pct(row.value, lang) if has_value else "",
            rank=rank_phrase(row.rank, row.rank_of, has_value, lang),
            survey=survey_name(survey, lang) if survey and row.survey_id != main_survey else "",
            source_title=str(source.get("title", row.source_id or "")), source_url=str(source.get("path", ""))))
    return items


def latest_figure(figures: pd.DataFrame, year: int) -> pd.Series | None:
    """The place's latest published overall figure up to `year` (administrative services first),
    else its latest at all; None when nothing was published."""
    idx = figures[(figures["indicator"] == INDEX) & figures["value"].notna()]
    if idx.empty:
        return None
    before = idx[idx["year"] <= year]
    pool = before if len(before) else idx
    pool = pool[pool["year"] == pool["year"].max()]
    main = pool[pool["service"] == MAIN_SERVICE]
    return (main if len(main) else pool).iloc[0]


@dataclass(frozen=True)
class Coverage:
    """Which provinces have a published figure (or only a published rank) for a year."""

    year: int
    total: int
    with_value: pd.DataFrame  # unit_code, value, source_id, rank, rank_of (one row per province)
    rank_only: pd.DataFrame  # unit_code, rank, rank_of, source_id


def province_coverage(figures: pd.DataFrame, ranks: pd.DataFrame, year: int, geo: str = "vn63",
                      service: str = MAIN_SERVICE, indicator: str = INDEX) -> Coverage:
    """Provinces with a published figure of `service`/`indicator` in `year`, best first, and those
    with only a published rank (never placed among the figures)."""
    pick = lambda f: f[(f["year"] == year) & (f["geo_version"] == geo) & (f["level"] == "province")  # noqa: E731
                       & (f["service"] == service) & (f["indicator"] == indicator)]
    values = pick(figures).dropna(subset=["value"])
    own_ranks = pick(ranks) if len(ranks) else ranks.iloc[0:0]
    with_rank = values[["unit_code", "value", "source_id"]].merge(
        own_ranks[["unit_code", "rank", "rank_of"]] if len(own_ranks) else pd.DataFrame(columns=["unit_code", "rank", "rank_of"]),
        on="unit_code", how="left")
    only = own_ranks[~own_ranks["unit_code"].isin(set(values["unit_code"]))] if len(own_ranks) else own_ranks
    return Coverage(year, PROVINCES_BY_GEO.get(geo, 0),
                    with_rank.sort_values("value", ascending=False, ignore_index=True),
                    only.sort_values("rank", ignore_index=True) if len(only) else only)


def coverage_lines(cov: Coverage, name_of, lang: str) -> list[tuple[str, str]]:
    """(unit_code, 'Quảng Ninh: 90,61% · hạng 1/63') for each province of a coverage, figures
    first (best first), then 'Nghệ An: hạng 12/63, chưa công bố giá trị' for a rank alone. Short,
    to fit a phone: the list's caption says the ranks are as published."""
    lines = []
    for row in cov.with_value.itertuples(index=False):
        text = t("ov.line_value", lang, unit=name_of(row.unit_code), value=fmt_pct(row.value, lang))
        if not pd.isna(row.rank):
            text += " · " + t("ov.line_rank", lang, rank=ordinal(int(row.rank), lang), of=int(row.rank_of))
        lines.append((row.unit_code, text))
    for row in cov.rank_only.itertuples(index=False):
        lines.append((row.unit_code, t("ov.line_rank_only", lang, unit=name_of(row.unit_code),
                                       rank=ordinal(int(row.rank), lang), of=int(row.rank_of))))
    return lines


def survey_groups(data: pd.DataFrame, surveys: dict[str, dict]) -> list[str]:
    """The surveys of the figures in `data`, the release's main one (no province) first."""
    if "survey_id" not in data or data.empty:
        return []
    present = [s for s in data["survey_id"].dropna().unique()]
    return sorted(present, key=lambda s: (bool(surveys.get(s, {}).get("province_code")), s))


def own_survey_sentence(survey: dict, lang: str) -> str:
    """Why the figures of a province's own survey are shown alone."""
    return t("pub.own_survey", lang, survey=survey_name(survey, lang),
             publisher=survey.get("publisher_en" if lang == "en" else "publisher", ""),
             method=survey.get("method_en" if lang == "en" else "method", ""))


def same_survey(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` from the survey(s) of the rows `like` (a place's own figures): what a
    place may be set beside. Releases without survey_id keep every row."""
    if "survey_id" not in frame or "survey_id" not in like or like["survey_id"].dropna().empty:
        return frame
    return frame[frame["survey_id"].isin(set(like["survey_id"].dropna()))]


def one_survey(frame: pd.DataFrame, first_unit: str | None, surveys: dict[str, dict],
               lang: str) -> tuple[pd.DataFrame, str]:
    """The rows of one survey only, the survey of `first_unit` (else the release's main one), and a
    sentence naming the surveys left out ('' when nothing was left out): figures of different
    surveys are never drawn or ranked together."""
    groups = survey_groups(frame, surveys)
    if len(groups) < 2:
        return frame, ""
    own = frame[frame["unit_code"] == first_unit]["survey_id"].dropna() if first_unit else pd.Series(dtype=object)
    keep = str(own.iloc[0]) if len(own) else groups[0]
    left = [survey_name(surveys.get(g), lang) or g for g in groups if g != keep]
    return frame[frame["survey_id"] == keep], t("pub.other_surveys", lang, surveys="; ".join(left))


def district_scopes(values: pd.DataFrame, surveys: dict[str, dict]) -> tuple[list[str], bool]:
    """The provinces whose districts have figures, and whether they may share one map of the whole
    country: not when any comes from a province's own survey (one colour scale would compare them)."""
    parents = sorted({p for p in values.get("parent_code", pd.Series(dtype=object)) if isinstance(p, str)})
    own = [s for s in survey_groups(values, surveys) if surveys.get(s, {}).get("province_code")]
    return parents, not own and len(survey_groups(values, surveys)) < 2


def own_survey(data: pd.DataFrame, surveys: dict[str, dict]) -> dict | None:
    """The province's own survey the figures of `data` come from, or None (SIPAS, or no survey named)."""
    for sid in survey_groups(data, surveys):
        if surveys.get(sid, {}).get("province_code"):
            return surveys[sid]
    return None


@dataclass(frozen=True)
class DistrictGroup:
    """A province's district figures of one survey and year, best first."""

    year: int
    survey: str  # the survey's name in the reader's language
    figures: list[tuple[str, str]]  # (district code, '99,36%')
    source_ids: list[str]


def district_groups(districts: pd.DataFrame, surveys: dict[str, dict], lang: str) -> list[DistrictGroup]:
    """The district figures under a province (rows of results, overall index), one group per
    survey and year, newest first: a province's profile says they exist and which survey they are."""
    rows = districts[(districts["indicator"] == INDEX) & districts["value"].notna()]
    if rows.empty:
        return []
    has_survey = "survey_id" in rows
    groups = []
    for key, part in rows.groupby(["year", "survey_id"] if has_survey else ["year"], sort=False):
        year, sid = (key[0], key[1]) if has_survey else (key[0], None)
        part = part.sort_values("value", ascending=False)
        groups.append(DistrictGroup(int(year), survey_name(surveys.get(sid), lang) if sid else "",
                                    [(c, fmt_pct(v, lang)) for c, v in zip(part["unit_code"], part["value"])],
                                    list(dict.fromkeys(part["source_id"]))))
    return sorted(groups, key=lambda g: -g.year)


def year_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of one year."""
    return frame[frame["year"] == year]
