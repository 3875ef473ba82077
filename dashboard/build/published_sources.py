"""The source files of the real release: published figures, the surveys they come from, notes.

A department adds next year's published figures as one more CSV file in the figures format (one
row per published figure or rank, each with the address where it was seen); the surveys file
names every survey the figures come from, the notes file holds what a reader must be told.
Everything here is checked row by row and every problem is reported as `file:line: what is wrong;
how to fix it`, so a publisher can correct all of them in one pass. Nothing is estimated.

Figures CSV (UTF-8), one row per published figure:
  year, geo_version, level, unit_code, unit_name_vi, service, indicator, value, rank,
  source_url, source_note, and optionally survey (default `sipas`) and status
  (`published` / `superseded`: a key given twice must say which figure is published; the
  superseded one becomes a conflict note citing both values and both sources).
"""
from __future__ import annotations

import csv
import io
import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.release import contract as C
from dashboard.release.catalogue import published_indicator_table
from dashboard.text import fold

FIGURE_COLUMNS: tuple[str, ...] = ("year", "geo_version", "level", "unit_code", "unit_name_vi", "service", "indicator",
                                   "value", "rank", "source_url", "source_note")
FIGURE_OPTIONAL_COLUMNS: tuple[str, ...] = ("survey", "status")
SURVEY_COLUMNS: tuple[str, ...] = ("survey_id", "name_vi", "name_en", "publisher_vi", "publisher_en", "province_code",
                                   "method_vi", "method_en", "source_url")
NOTE_COLUMNS: tuple[str, ...] = ("note_id", "kind", *C.NOTE_SCOPE_COLUMNS, "source_url", "text_vi", "text_en")
STATUSES: tuple[str, ...] = ("published", "superseded")
# The survey a figure comes from when its row does not say: the ministry's SIPAS.
DEFAULT_SURVEY = "sipas"
KEY = list(C.RESULT_KEY)


@dataclass
class Problems:
    """Every problem found in the source files, as `file:line: what is wrong; how to fix it`."""

    lines: list[str] = field(default_factory=list)

    def add(self, file: str, line: int, what: str, fix: str) -> None:
        self.lines.append(f"{file}:{line}: {what}; {fix}")

    def __bool__(self) -> bool:
        return bool(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


class PublishedSourcesError(Exception):
    """The source files are not usable; `problems` lists every problem with its file and line."""

    def __init__(self, problems: Problems) -> None:
        count = len(problems.lines)
        super().__init__(f"{count} problem(s) in the source files; no release was written:\n" + "\n".join(problems.lines))
        self.problems = problems


def display_path(path: Path) -> str:
    """A path as the publisher typed it or relative to the working folder, for messages."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def read_csv_rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...],
                  problems: Problems) -> list[dict]:
    """The rows of a CSV file as dicts of NFC text, each with its `_file` and `_line`.

    A missing file, bytes that are not UTF-8, missing or unknown columns are problems (line 1 for
    the header); the rows are still returned when the header is usable, so every row is checked.
    """
    name = display_path(path)
    if not Path(path).is_file():
        problems.add(name, 0, "the file does not exist", "give the path of a CSV file in the published-figures format")
        return []
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problems.add(name, line, f"not UTF-8 text (byte {raw[exc.start]:#04x})",
                     "save the file as UTF-8 (in Excel: CSV UTF-8), so names keep their diacritics")
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        problems.add(name, 1, f"missing column(s) {', '.join(missing)}",
                     f"the header must hold {', '.join(required)} (and optionally {', '.join(optional)})")
        return []
    unknown = [c for c in header if c not in required and c not in optional and c]
    if unknown:
        problems.add(name, 1, f"unknown column(s) {', '.join(unknown)}",
                     f"use only {', '.join(required + optional)}; a column the release does not know would be lost")
    rows = []
    for row in reader:
        if None in row:  # more fields than the header
            problems.add(name, reader.line_num, f"{len(header) + len(row[None])} fields for {len(header)} columns",
                         "quote text that holds a comma (\"...\")")
            continue
        clean = {k.strip(): _nfc(v or "") for k, v in row.items() if k}
        if not any(clean.values()):
            continue  # a blank line
        rows.append({**{c: clean.get(c, "") for c in (*required, *optional)}, "_file": name, "_line": reader.line_num})
    return rows


def _int(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://")) and len(text) > len("https://") and " " not in text


# --- surveys ---------------------------------------------------------------------------------

def read_surveys(path: Path, units: pd.DataFrame | None, problems: Problems) -> dict[str, dict]:
    """survey_id -> the survey's descriptor entry (contract `surveys`), from the surveys CSV."""
    surveys: dict[str, dict] = {}
    provinces = _known(units, "province")
    for row in read_csv_rows(path, SURVEY_COLUMNS, (), problems):
        where = (row["_file"], row["_line"])
        sid = row["survey_id"]
        if not sid or not C.RELEASE_ID_PATTERN.fullmatch(sid):
            problems.add(*where, f"survey_id {sid!r} is not a short id",
                         "use lower-case letters, digits and '-', e.g. angiang-2021")
            continue
        if sid in surveys:
            problems.add(*where, f"survey {sid} is defined twice (also line {surveys[sid]['_line']})", "keep one line per survey")
            continue
        empty = [c for c in ("name_vi", "name_en", "publisher_vi", "publisher_en", "method_vi", "method_en") if not row[c]]
        if empty:
            problems.add(*where, f"survey {sid} has no {', '.join(empty)}",
                         "a reader must learn in both languages who ran the survey and how")
        code = row["province_code"]
        if code and (not C.code_matches_level(code, "province") or (provinces and ("vn63", code) not in provinces
                                                                       and ("vn34", code) not in provinces)):
            problems.add(*where, f"province_code {code!r} is not a known province", "give the GSO code, e.g. 89 for An Giang")
        if row["source_url"] and not _is_url(row["source_url"]):
            problems.add(*where, "source_url is not an http(s) address",
                         "give the address where the survey is described, or leave it empty")
        entry = {"id": sid, "name": row["name_vi"], "name_en": row["name_en"], "publisher": row["publisher_vi"],
                 "publisher_en": row["publisher_en"], "method": row["method_vi"], "method_en": row["method_en"],
                 "_line": row["_line"]}
        if code:
            entry["province_code"] = code
        if row["source_url"]:
            entry["path"] = row["source_url"]
        surveys[sid] = entry
    if surveys and DEFAULT_SURVEY not in surveys:
        problems.add(display_path(path), 1, f"no survey '{DEFAULT_SURVEY}'",
                     f"define '{DEFAULT_SURVEY}' (the ministry's SIPAS): figures whose row names no survey come from it")
    return surveys


# --- figures ---------------------------------------------------------------------------------

def _known(units: pd.DataFrame | None, level: str | None = None) -> dict[tuple[str, str], dict]:
    """(geo_version, unit_code) -> unit row, for one level (all levels when None)."""
    if units is None:
        return {}
    rows = units if level is None else units[units["level"] == level]
    return {(g, c): r for g, c, r in zip(rows["geo_version"], rows["unit_code"], rows.to_dict("records"))}


def _names_match(written: str, unit: dict) -> bool:
    """The name in the CSV is the unit's name or one of its aliases (diacritics and case aside)."""
    names = {fold(unit.get("name_vi", "")), fold(unit.get("name_en", ""))}
    names |= {fold(a) for a in str(unit.get("aliases") or "").split("|") if a}
    return fold(written) in names


def check_figure_row(row: dict, units: pd.DataFrame | None, surveys: dict[str, dict], indicators: set[tuple[str, str]],
                     problems: Problems) -> dict | None:
    """One row of a figures CSV, typed; None (and problems added) when a rule is broken."""
    where = (row["_file"], row["_line"])
    before = len(problems)
    year = _int(row["year"])
    this_year = date.today().year
    if year is None:
        problems.add(*where, f"year {row['year']!r} is not a year", "write the survey year, e.g. 2024")
    elif year < C.FIRST_YEAR:
        problems.add(*where, f"year {year} is before {C.FIRST_YEAR}, when the first SIPAS pilots ran",
                     "check the survey year (the year surveyed, not the year announced)")
    elif year > this_year + 1:
        problems.add(*where, f"year {year} is in the future", "check the survey year")
    geo, level, code = row["geo_version"], row["level"], row["unit_code"]
    if geo not in C.GEO_VERSIONS:
        problems.add(*where, f"geo_version {geo!r} is unknown", f"use {' or '.join(C.GEO_VERSIONS)}")
    elif year is not None and not C.geo_version_allowed(geo, year):
        problems.add(*where, f"geo_version {geo} does not fit the year {year}",
                     "use vn63 (63 provinces) up to 2024 and vn34 (34 provinces) from 2025")
    if level not in ("national", "province", "district"):
        problems.add(*where, f"level {level!r} is unknown", "use national, province or district")
    elif geo in C.LEVELS_BY_GEO and level not in C.LEVELS_BY_GEO[geo]:
        problems.add(*where, f"{geo} has no {level} level", "districts exist on vn63 only (abolished in July 2025)")
    unit = None
    if level in C.CODE_PATTERNS and not C.code_matches_level(code, level):
        problems.add(*where, f"unit code {code!r} is not a {level} code",
                     "use the GSO code as text with its leading zeros: VN, 2 digits for a province, 3 for a district")
    elif units is not None and level in C.CODE_PATTERNS and geo in C.GEO_VERSIONS:
        unit = _known(units, level).get((geo, code))
        if unit is None:
            problems.add(*where, f"unknown code {code!r}: no {level} has it on {geo}",
                         "check the code against the GSO list (geodata/units.parquet)")
        elif row["unit_name_vi"] and not _names_match(row["unit_name_vi"], unit):
            problems.add(*where, f"unit_name_vi {row['unit_name_vi']!r} is not the name of {code} ({unit['name_vi']})",
                         "check the code: the name and the code must be the same place")
    service, indicator = row["service"], row["indicator"]
    if service not in C.SERVICES:
        problems.add(*where, f"service {service!r} is unknown", f"use one of {', '.join(C.SERVICES)}")
    elif (service, indicator) not in indicators:
        problems.add(*where, f"indicator {indicator!r} is not defined for {service}",
                     "use index or a criterion of the catalogue (dashboard/release/catalogue.py)")
    value = None
    if row["value"]:
        value = _number(row["value"])
        low, high = C.UNIT_RANGES["percent"]
        if value is None:
            problems.add(*where, f"value {row['value']!r} is not a number",
                         "write the figure with a decimal point and no % sign, e.g. 83.94")
        elif not low <= value <= high:
            problems.add(*where, f"value {row['value']} is outside 0–100", "write percentages as 0–100 (83.94, not 0.8394)")
    rank = None
    if row["rank"]:
        rank = _int(row["rank"])
        if rank is None or rank < 1:
            problems.add(*where, f"rank {row['rank']!r} is not a rank", "write the published rank as a whole number, 1 = highest")
            rank = None
        elif level == "national":
            problems.add(*where, "the country has no rank", "leave rank empty on national rows")
        elif level == "province" and geo in C.PROVINCES_BY_GEO and rank > C.PROVINCES_BY_GEO[geo]:
            problems.add(*where, f"rank {rank} is above the {C.PROVINCES_BY_GEO[geo]} provinces of {geo}",
                         "check the rank as published (a rank out of 63 in vn63 years, out of 34 from 2025)")
        elif level == "district" and unit is not None and units is not None:
            siblings = int(((units["level"] == "district") & (units["geo_version"] == geo)
                            & (units["parent_code"] == unit["parent_code"])).sum())
            if rank > siblings:
                problems.add(*where, f"rank {rank} is above the {siblings} districts of the province",
                             "check the rank as published")
    if value is None and rank is None and not row["value"] and not row["rank"]:
        problems.add(*where, "neither a value nor a rank", "give the published figure, its published rank, or both")
    if not row["source_url"]:
        problems.add(*where, "empty source_url", "give the address where the figure was published: every figure keeps its source")
    elif not _is_url(row["source_url"]):
        problems.add(*where, f"source_url {row['source_url'][:60]!r} is not an http(s) address",
                     "give the full address (https://...) where the figure was published")
    survey = row["survey"] or DEFAULT_SURVEY
    spec = surveys.get(survey)
    if spec is None:
        problems.add(*where, f"survey {survey!r} is not defined", "add it to the surveys file (data/sources/surveys.csv)")
    elif spec.get("province_code"):
        province = spec["province_code"]
        inside = (level == "province" and code == province) or \
                 (level == "district" and (unit is None or unit.get("parent_code") == province))
        if not inside:
            problems.add(*where, f"{code} is not in province {province}, whose own survey {survey} is",
                         "a province's own survey covers that province and its districts: fix the code or the survey")
    elif level == "district":
        problems.add(*where, f"a district figure from the survey {survey!r}, which publishes no district figures",
                     "name the province's own survey the figure comes from in the survey column (defined in the surveys file)")
    status = row["status"] or ""
    if status and status not in STATUSES:
        problems.add(*where, f"status {status!r} is unknown", "use published or superseded, or leave it empty")
    if len(problems) > before:
        return None
    parent = None
    if level == "district" and unit is not None:
        parent = unit["parent_code"]
    elif level == "province":
        parent = "VN"
    return {"year": year, "geo_version": geo, "level": level, "unit_code": code, "service": service,
            "indicator": indicator, "value": value, "rank": rank,
            "rank_of": C.PROVINCES_BY_GEO.get(geo) if level == "province" and rank is not None else None,
            "source_url": row["source_url"], "source_note": row["source_note"], "survey_id": survey,
            "status": status, "parent_code": parent, "unit_name_vi": row["unit_name_vi"],
            "_file": row["_file"], "_line": row["_line"]}


def _describe(row: dict) -> str:
    parts = []
    if row["value"] is not None:
        parts.append(f"value {row['value']:.2f}")
    if row["rank"] is not None:
        parts.append(f"rank {row['rank']}")
    return " and ".join(parts)


def merge_figures(rows: list[dict], problems: Problems) -> tuple[list[dict], list[tuple[dict, dict]]]:
    """The published rows, and (superseded row, published row) pairs, from every file's rows.

    A key (year, geo_version, level, unit_code, service, indicator) may be given once; given
    again, one row must say `published` and every other `superseded`.
    """
    by_key: dict[tuple, list[dict]] = {}
    for row in rows:
        by_key.setdefault(tuple(row[k] for k in KEY), []).append(row)
    published, superseded = [], []
    for key, group in by_key.items():
        if len(group) == 1:
            row = group[0]
            if row["status"] == "superseded":
                problems.add(row["_file"], row["_line"], "a superseded figure with no published figure of the same key",
                             "add the published figure (status published), or clear the status")
                continue
            published.append(row)
            continue
        chosen = [r for r in group if r["status"] == "published"]
        unmarked = [r for r in group if not r["status"]]
        others = [r for r in group if r["status"] == "superseded"]
        first = group[0]
        if len(chosen) == 1 and not unmarked:
            published.append(chosen[0])
            superseded += [(r, chosen[0]) for r in others]
            continue
        what = f"{key[0]} {key[2]} {key[3]} {key[4]}/{key[5]}"
        for row in group[1:]:
            same = _describe(row) == _describe(first)
            problems.add(row["_file"], row["_line"],
                         f"the figure {what} is given twice (also {first['_file']}:{first['_line']})"
                         + ("" if same else f" with different values ({_describe(first)} there, {_describe(row)} here)"),
                         "remove one, or set status published on the one to publish and superseded on the other "
                         "(it becomes a conflict note with both values and sources)")
    return published, superseded


def read_figures(paths: list[Path], units: pd.DataFrame | None, surveys: dict[str, dict],
                 problems: Problems) -> tuple[list[dict], list[tuple[dict, dict]]]:
    """Every figures CSV, checked row by row and merged (see `merge_figures`)."""
    indicators = set(zip(*[published_indicator_table()[c] for c in ("service", "indicator")]))
    if not paths:
        problems.add("(no file)", 0, "no figures file given", "pass one or more --csv FILE")
    checked = []
    for path in paths:
        for row in read_csv_rows(path, FIGURE_COLUMNS, FIGURE_OPTIONAL_COLUMNS, problems):
            typed = check_figure_row(row, units, surveys, indicators, problems)
            if typed is not None:
                checked.append(typed)
    return merge_figures(checked, problems)


# --- notes -----------------------------------------------------------------------------------

def read_notes(path: Path, units: pd.DataFrame | None, surveys: dict[str, dict], problems: Problems) -> list[dict]:
    """The release's notes (method breaks, conflicts, caveats) from the notes CSV, each with the
    figures it concerns (empty scope column = any) and, optionally, the address it cites."""
    indicators = set(zip(*[published_indicator_table()[c] for c in ("service", "indicator")]))
    known = _known(units)
    notes, seen = [], {}
    for row in read_csv_rows(path, NOTE_COLUMNS, (), problems):
        where = (row["_file"], row["_line"])
        before = len(problems)
        nid = row["note_id"]
        if not nid:
            problems.add(*where, "empty note_id", "give every note a short unique id")
        elif nid in seen:
            problems.add(*where, f"note_id {nid} is used twice (also line {seen[nid]})", "make note ids unique")
        seen.setdefault(nid, row["_line"])
        if row["kind"] not in C.NOTE_KINDS:
            problems.add(*where, f"kind {row['kind']!r} is unknown", f"use one of {', '.join(C.NOTE_KINDS)}")
        for column in ("text_vi", "text_en"):
            if not row[column]:
                problems.add(*where, f"empty {column}", "write the note in both languages")
        year = _int(row["year"]) if row["year"] else None
        if row["year"] and (year is None or year < C.FIRST_YEAR):
            problems.add(*where, f"year {row['year']!r} is not a survey year", "write a year from 2015, or leave it empty")
        for column, allowed in (("geo_version", C.GEO_VERSIONS), ("level", C.LEVELS), ("service", C.SERVICES)):
            if row[column] and row[column] not in allowed:
                problems.add(*where, f"{column} {row[column]!r} is unknown",
                             f"use one of {', '.join(allowed)}, or leave it empty")
        if row["indicator"] and row["service"] and (row["service"], row["indicator"]) not in indicators:
            problems.add(*where, f"indicator {row['indicator']!r} is not defined for {row['service']}",
                         "use index or a criterion")
        if row["unit_code"] and known and not any(c == row["unit_code"] and (not row["geo_version"] or g == row["geo_version"])
                                                  for g, c in known):
            problems.add(*where, f"unknown unit code {row['unit_code']!r}", "check the code against geodata/units.parquet")
        if row["survey_id"] and row["survey_id"] not in surveys:
            problems.add(*where, f"survey {row['survey_id']!r} is not defined", "add it to the surveys file")
        if row["source_url"] and not _is_url(row["source_url"]):
            problems.add(*where, "source_url is not an http(s) address", "give the full address, or leave it empty")
        if len(problems) > before:
            continue
        note = {"note_id": nid, "kind": row["kind"], "text_vi": row["text_vi"], "text_en": row["text_en"]}
        for column in C.NOTE_SCOPE_COLUMNS:
            if row[column]:
                note[column] = year if column == "year" else row[column]
        if row["source_url"]:
            note["_source_url"] = row["source_url"]
        notes.append(note)
    return notes
