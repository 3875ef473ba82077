"""`validate`: check a release against contract v1 and list every problem found.

Each problem names the file, the column, up to five offending rows (with their keys) and how to
fix it. Nothing here raises on a bad file: every failure becomes a `Problem` in the report.
"""
from __future__ import annotations

import json
import sys
import unicodedata
import warnings
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.atomic_files import sha256_tag
from dashboard.crash_log import crash_message
from dashboard.geo.units_table import read_units
from dashboard.release import contract as C
from dashboard.release.fetch import ReleaseSourceError, fetch_release
from dashboard.release.sniff import guess_file_kind

MAX_ROWS_SHOWN = 5


@dataclass(frozen=True)
class Problem:
    """One broken rule: where, what, which rows, and how to fix it."""

    rule: str
    file: str
    column: str | None
    message: str
    fix: str
    rows: tuple[dict, ...] = ()
    count: int = 0


@dataclass
class Report:
    """The outcome of validating one release."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, rule: str, file: str, column: str | None, message: str, fix: str,
            rows: pd.DataFrame | None = None, count: int | None = None) -> None:
        shown: tuple[dict, ...] = ()
        if rows is not None and len(rows):
            shown = tuple(_jsonable(r) for r in rows.head(MAX_ROWS_SHOWN).to_dict("records"))
        total = count if count is not None else (len(rows) if rows is not None else 0)
        self.problems.append(Problem(rule, file, column, message, fix, shown, total))

    def to_dict(self) -> dict:
        return {"source": self.source, "valid": self.valid, "summary": self.summary,
                "problems": [asdict(p) for p in self.problems]}

    def format_text(self) -> str:
        if self.valid:
            s = self.summary
            return "\n".join([
                f"VALID: {self.source}",
                f"  release   {s.get('id')} (version {s.get('version')}, {'DEMO' if s.get('demo') else 'real figures'})",
                f"  years     {', '.join(map(str, s.get('years', [])))}",
                f"  geo       {', '.join(s.get('geo_versions', []))}",
                f"  levels    {', '.join(s.get('levels', []))}",
                f"  services  {', '.join(s.get('services', []))}",
                f"  units     {s.get('units')}",
                f"  rows      {s.get('rows')}",
                *([f"  ranks     {s['published_ranks']} published rank(s)"] if s.get("published_ranks") else []),
                *([f"  surveys   {', '.join(s['surveys'])}"] if s.get("surveys") else []),
            ])
        lines = [f"INVALID: {self.source}: {len(self.problems)} problem(s)"]
        for i, p in enumerate(self.problems, 1):
            where = p.file + (f", column '{p.column}'" if p.column else "")
            lines.append(f"\n{i}. [{p.rule}] {where}: {p.message}")
            if p.count:
                lines.append(f"   rows affected: {p.count}" + (" (first 5 shown)" if p.count > len(p.rows) else ""))
            for row in p.rows:
                lines.append("     " + ", ".join(f"{k}={v!r}" for k, v in row.items()))
            lines.append(f"   fix: {p.fix}")
        return "\n".join(lines)


def _jsonable(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
            out[k] = None
        elif hasattr(v, "item"):
            out[k] = v.item()
        else:
            out[k] = v
    return out


# --- datapackage.json ----------------------------------------------------------------------

def _read_descriptor(folder: Path, report: Report) -> dict | None:
    path = folder / C.DATAPACKAGE
    f = C.DATAPACKAGE
    if not path.is_file():
        report.add("file-missing", f, None, "the release has no datapackage.json.",
                   "Write the descriptor next to the Parquet files (python -m dashboard build writes it).")
        return None
    raw = path.read_bytes()
    if len(raw) > C.MAX_DATAPACKAGE_BYTES:
        report.add("file-too-large", f, None, f"the descriptor is {len(raw)} bytes, over the limit.",
                   "A descriptor holds metadata only; move data into the Parquet tables.")
        return None
    if not raw.strip():
        report.add("file-empty", f, None, "the descriptor is empty.", "Regenerate the release.")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add("not-utf8", f, None, f"not UTF-8 text (bad byte at position {exc.start}).",
                   "Save the file as UTF-8.")
        return None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        kind = guess_file_kind(raw)
        if kind and kind.startswith("an HTML page"):
            report.add("not-json", f, None, f"this is {kind}, not the release's JSON descriptor.",
                       "Check the address: it must be the folder URL that holds datapackage.json, reachable "
                       "without logging in.")
            return None
        report.add("not-json", f, None, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                   "Fix the JSON syntax, or regenerate the release.")
        return None
    if not isinstance(descriptor, dict):
        report.add("not-json", f, None, "the descriptor must be a JSON object.", "Regenerate the release.")
        return None
    return descriptor


def _check_descriptor(d: dict, report: Report) -> None:
    f = C.DATAPACKAGE
    from frictionless import Package  # imported lazily: frictionless is slow to import

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fl = Package.validate_descriptor(d)
    for task_error in fl.flatten(["type", "message"]):
        report.add("frictionless", f, None, f"not a valid Data Package: {task_error[1]}",
                   "Follow the Frictionless Data Package spec (https://datapackage.org).")
    for prop, typ in C.REQUIRED_PACKAGE_PROPERTIES.items():
        if prop not in d:
            report.add("package-property", f, prop, f"required property '{prop}' is missing.",
                       f"Add '{prop}' ({typ.__name__}) to datapackage.json.")
        elif not isinstance(d[prop], typ) or (typ is str and not d[prop].strip()):
            report.add("package-property", f, prop, f"'{prop}' must be a non-empty {typ.__name__}.",
                       f"Set '{prop}' to a {typ.__name__}.")
    if isinstance(d.get("id"), str) and not C.RELEASE_ID_PATTERN.fullmatch(d["id"]):
        report.add("package-property", f, "id", f"release id {d['id'][:80]!r} is not a safe name.",
                   "Use lower-case letters, digits, '.', '_' or '-' (at most 64 characters).")
    for prop in ("published", "data_as_of"):
        value = d.get(prop)
        if isinstance(value, str) and not _is_date(value):
            report.add("package-property", f, prop, f"'{prop}' = {value[:40]!r} is not a date.",
                       "Write dates as YYYY-MM-DD.")
    if d.get("contract_version") not in (None, *C.SUPPORTED_CONTRACT_VERSIONS):
        report.add("package-property", f, "contract_version",
                   f"contract version {str(d.get('contract_version'))[:20]!r} is not supported by this dashboard.",
                   f"Build the release for contract version {' or '.join(C.SUPPORTED_CONTRACT_VERSIONS)}.")
    _check_survey_design(d.get("survey_design"), report)
    if isinstance(d.get("licenses"), list) and not d["licenses"]:
        report.add("package-property", f, "licenses", "no licence given.", "Add at least one licence.")
    _check_sources(d, report)
    _check_surveys(d, report)
    _check_resources(d, report)


def _check_survey_design(design, report: Report) -> None:
    """The optional `survey_design` object (v1.1): how the figures were estimated."""
    if design is None:
        return
    f, prop = C.DATAPACKAGE, "survey_design"
    fix = ("Write survey_design as {'weighted': true/false, 'designs': [{'geo_version', 'years', 'strata', "
           "'psu', 'declared', ...}], 'thresholds': {...}} (python -m dashboard build writes it).")
    if not isinstance(design, dict):
        report.add("package-property", f, prop, "'survey_design' must be an object.", fix)
        return
    for key, typ in C.SURVEY_DESIGN_PROPERTIES.items():
        if not isinstance(design.get(key), typ):
            report.add("package-property", f, prop, f"'survey_design.{key}' is missing or not a {typ.__name__}.", fix)
    for entry in design.get("designs") if isinstance(design.get("designs"), list) else []:
        if not (isinstance(entry, dict) and entry.get("geo_version") in C.GEO_VERSIONS
                and isinstance(entry.get("strata"), str) and isinstance(entry.get("psu"), str)):
            report.add("package-property", f, prop,
                       "every entry of 'survey_design.designs' needs a known geo_version, 'strata' and 'psu'.", fix)
            break


def _is_date(value: str) -> bool:
    if not C.DATE_PATTERN.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def source_ids(d: dict) -> set[str]:
    """Ids of the sources a descriptor declares."""
    return {s["id"] for s in d.get("sources", []) if isinstance(s, dict) and isinstance(s.get("id"), str)}


def _check_sources(d: dict, report: Report) -> None:
    seen: set[str] = set()
    for i, s in enumerate(d.get("sources", []) if isinstance(d.get("sources"), list) else []):
        if not isinstance(s, dict) or not isinstance(s.get("id"), str) or not s.get("id"):
            report.add("source", C.DATAPACKAGE, "sources", f"source #{i + 1} has no 'id'.",
                       "Give every source an 'id' that results.source_id can refer to.")
            continue
        if s["id"] in seen:
            report.add("source", C.DATAPACKAGE, "sources", f"source id {s['id']!r} is declared twice.",
                       "Make source ids unique.")
        seen.add(s["id"])
        if not isinstance(s.get("title"), str) or not s["title"].strip():
            report.add("source", C.DATAPACKAGE, "sources", f"source {s['id']!r} has no title.",
                       "Give every source a title saying who published it.")
        path = s.get("path")
        if path is not None and not (isinstance(path, str) and path.startswith(("http://", "https://"))):
            report.add("source", C.DATAPACKAGE, "sources", f"source {s['id']!r} path is not an http(s) URL.",
                       "Give the address where the figure was published.")


def survey_ids(d: dict) -> set[str]:
    """Ids of the surveys a descriptor declares (v1.1 `surveys`)."""
    surveys = d.get("surveys") if isinstance(d.get("surveys"), list) else []
    return {s["id"] for s in surveys if isinstance(s, dict) and isinstance(s.get("id"), str) and s["id"]}


def _check_surveys(d: dict, report: Report) -> None:
    """The optional `surveys` list (v1.1): each survey the figures come from, named and described."""
    if "surveys" not in d:
        return
    f, prop = C.DATAPACKAGE, "surveys"
    fields = ", ".join(f"'{k}'" for k in C.SURVEY_PROPERTIES)
    if not isinstance(d["surveys"], list):
        report.add("survey", f, prop, "'surveys' must be a list.",
                   f"Write surveys as a list of objects with {fields} (and 'province_code' for a province's own survey).")
        return
    seen: set[str] = set()
    for i, survey in enumerate(d["surveys"]):
        if not isinstance(survey, dict):
            report.add("survey", f, prop, f"survey #{i + 1} is not an object.", f"Give every survey {fields}.")
            continue
        name = survey.get("id") if isinstance(survey.get("id"), str) and survey.get("id") else f"#{i + 1}"
        missing = [k for k, typ in C.SURVEY_PROPERTIES.items()
                   if not (isinstance(survey.get(k), typ) and str(survey.get(k)).strip())]
        if missing:
            report.add("survey", f, prop, f"survey {name!r} has no {', '.join(missing)}.",
                       f"Give every survey {fields}: a reader must know who ran it and how.")
        for k, typ in C.SURVEY_OPTIONAL_PROPERTIES.items():
            if k in survey and survey[k] is not None and not isinstance(survey[k], typ):
                report.add("survey", f, prop, f"survey {name!r}: '{k}' must be a {typ.__name__}.",
                           f"Set '{k}' to a {typ.__name__} or leave it out.")
        code = survey.get("province_code")
        if isinstance(code, str) and not C.code_matches_level(code, "province"):
            report.add("survey", f, prop, f"survey {name!r}: province_code {code[:20]!r} is not a province code.",
                       "Give the GSO code of the province that ran its own survey (two digits, e.g. '89').")
        path = survey.get("path")
        if isinstance(path, str) and not path.startswith(("http://", "https://")):
            report.add("survey", f, prop, f"survey {name!r}: path is not an http(s) URL.",
                       "Give the address where the survey or its results were published.")
        if name in seen:
            report.add("survey", f, prop, f"survey id {name!r} is declared twice.", "Make survey ids unique.")
        seen.add(name)


def _check_resources(d: dict, report: Report) -> None:
    resources = d.get("resources") if isinstance(d.get("resources"), list) else []
    by_name = {r.get("name"): r for r in resources if isinstance(r, dict)}
    for spec in C.TABLES.values():
        if spec.required and spec.name not in by_name:
            report.add("resource-missing", C.DATAPACKAGE, "resources",
                       f"no resource named '{spec.name}'.",
                       f"Add a resource {{'name': '{spec.name}', 'path': '{spec.path}', 'hash': 'sha256:...'}}.")
    for r in resources:
        if not isinstance(r, dict):
            continue
        name, path = r.get("name"), r.get("path")
        if name in C.TABLES and path != C.TABLES[name].path:
            report.add("resource-path", C.DATAPACKAGE, "resources",
                       f"resource '{name}' must have path '{C.TABLES[name].path}', not {str(path)[:80]!r}.",
                       "Use the contract's file names; paths are plain file names inside the release.")
        if isinstance(path, str) and ("/" in path or "\\" in path or path.startswith(".")):
            report.add("resource-path", C.DATAPACKAGE, "resources",
                       f"resource path {path[:80]!r} points outside the release folder.",
                       "Paths must be plain file names inside the release folder.")
        digest = r.get("hash")
        if not (isinstance(digest, str) and digest.startswith("sha256:") and len(digest) == 71):
            report.add("resource-hash", C.DATAPACKAGE, "resources",
                       f"resource '{name}' has no sha256 hash.",
                       "Add 'hash': 'sha256:<64 hex digits>' for every file.")


# --- Parquet files -------------------------------------------------------------------------

def _read_table(folder: Path, spec: C.TableSpec, resource: dict | None, report: Report) -> pa.Table | None:
    path = folder / spec.path
    f = spec.path
    if not path.is_file():
        if spec.required or resource is not None:
            report.add("file-missing", f, None, "the file is missing.",
                       f"Put {spec.path} in the release folder, or rebuild the release.")
        return None
    size = path.stat().st_size
    if size == 0:
        report.add("file-empty", f, None, "the file is empty (0 bytes).", "Rebuild the release; the copy failed.")
        return None
    if size > C.MAX_FILE_BYTES:
        report.add("file-too-large", f, None, f"{size} bytes is over the limit of {C.MAX_FILE_BYTES}.",
                   "Split the release or publish pre-aggregated figures only.")
        return None
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(size - 4, 0))
        tail = fh.read(4)
    if head != b"PAR1":
        with path.open("rb") as fh:
            kind = guess_file_kind(fh.read(512))
        seems = f" It looks like {kind}." if kind else ""
        report.add("not-parquet", f, None, f"this is not a Parquet file (it does not start with PAR1).{seems}",
                   "Write the table with pyarrow.parquet.write_table (a CSV or Excel file renamed .parquet will not do).")
        return None
    if tail != b"PAR1":
        report.add("truncated", f, None, "the Parquet file is truncated (its footer is missing).",
                   "Copy the file again completely, or rebuild the release.")
        return None
    if resource is not None:
        expected = str(resource.get("hash", ""))
        actual = sha256_tag(path)
        if expected.startswith("sha256:") and expected != actual:
            report.add("hash-mismatch", f, None,
                       f"the sha256 in datapackage.json ({expected[7:19]}…) does not match the file ({actual[7:19]}…).",
                       "The file changed after the descriptor was written: rebuild the release, or restore the file.")
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for corrupt files
        report.add("unreadable-parquet", f, None, f"the Parquet file cannot be read ({type(exc).__name__}: {str(exc)[:160]}).",
                   "Rebuild the release; the file is corrupt.")
        return None
    return _check_utf8(table, f, report)


def _check_utf8(table: pa.Table, f: str, report: Report) -> pa.Table | None:
    bad = []
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            try:
                column.validate(full=True)
            except pa.ArrowInvalid:
                bad.append(name)
    for name in bad:
        report.add("not-utf8", f, name, "text in this column is not valid UTF-8.",
                   "Write text as UTF-8 (NFC); re-encode the source (e.g. from Windows-1258) before building.")
    return None if bad else table


def _check_columns(table: pa.Table, spec: C.TableSpec, resource: dict | None,
                   report: Report) -> pa.Table | None:
    """Columns present, of the right type, no unknown columns without a note.

    Returns the table with castable columns cast to the contract's types (so the row rules can
    still run and report everything), or None when a column is missing or cannot be cast.
    """
    f = spec.path
    usable = True
    documented = _documented_fields(resource)
    for fld in list(spec.schema) + list(spec.optional_fields):
        if fld.name not in table.column_names:
            if fld in spec.optional_fields:
                continue
            report.add("column-missing", f, fld.name, "required column is missing.",
                       f"Add the column '{fld.name}' ({fld.type}).")
            usable = False
            continue
        actual = table.schema.field(fld.name).type
        if not _type_ok(actual, fld.type):
            report.add("column-type", f, fld.name, f"type is {actual}, the contract says {fld.type}.",
                       f"Cast the column before writing, e.g. pa.array(values, type=pa.{fld.type}()).")
            try:
                index = table.schema.get_field_index(fld.name)
                table = table.set_column(index, fld.name, table.column(fld.name).cast(fld.type))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                usable = False
        elif not fld.nullable and table.column(fld.name).null_count:
            rows = _rows_where(table, spec, table.column(fld.name).is_null().to_numpy(zero_copy_only=False))
            report.add("null", f, fld.name, "empty values where a value is required.",
                       f"Fill '{fld.name}' on every row.", rows)
    for name in table.column_names:
        if name not in spec.known_columns and name not in documented:
            report.add("column-unknown", f, name, "column not in the contract and not described in datapackage.json.",
                       "Remove it, or describe it in the resource's schema.fields with a 'description'.")
    return table if usable else None


def _documented_fields(resource: dict | None) -> set[str]:
    fields = ((resource or {}).get("schema") or {}).get("fields") or []
    return {f["name"] for f in fields if isinstance(f, dict) and f.get("name") and f.get("description")}


def _type_ok(actual: pa.DataType, expected: pa.DataType) -> bool:
    if pa.types.is_string(expected):
        return pa.types.is_string(actual) or pa.types.is_large_string(actual) or pa.types.is_null(actual)
    return actual == expected or pa.types.is_null(actual)


def _rows_where(table: pa.Table, spec: C.TableSpec, mask) -> pd.DataFrame:
    cols = [c for c in spec.key if c in table.column_names]
    return table.select(cols).to_pandas()[mask]


def _frame(table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas()
    for col in frame.columns:
        if pd.api.types.is_string_dtype(frame[col]) or frame[col].dtype == object:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


# --- row rules -----------------------------------------------------------------------------

def _check_enum(df: pd.DataFrame, spec: C.TableSpec, column: str, allowed, report: Report,
                nullable: bool = False) -> None:
    if column not in df:
        return
    values = df[column]
    bad = ~values.isin(list(allowed)) & (values.notna() if nullable else True)
    if bad.any():
        shown = df.loc[bad, [c for c in spec.key if c in df] + ([column] if column not in spec.key else [])]
        report.add("allowed-values", spec.path, column,
                   f"{int(bad.sum())} value(s) not allowed: {sorted(map(str, values[bad].unique()))[:5]}.",
                   f"Use one of: {', '.join(allowed)}.", shown)


def _check_nfc(df: pd.DataFrame, spec: C.TableSpec, columns, report: Report) -> None:
    for column in columns:
        if column not in df:
            continue
        bad = df[column].map(lambda v: isinstance(v, str) and unicodedata.normalize("NFC", v) != v)
        if bad.any():
            report.add("not-nfc", spec.path, column, "text is not NFC-normalised (diacritics stored decomposed).",
                       "Normalise text with unicodedata.normalize('NFC', s) before writing.",
                       df.loc[bad, list(spec.key) + [column]])


def _check_unique(df: pd.DataFrame, spec: C.TableSpec, report: Report) -> None:
    key = [c for c in spec.key if c in df]
    dup = df.duplicated(key, keep=False)
    if dup.any():
        report.add("duplicate-key", spec.path, ", ".join(key),
                   f"{int(dup.sum())} rows share a key ({', '.join(key)}); each figure must appear once.",
                   "Remove the duplicates, or fix the key columns.", df.loc[dup, key])


def _check_indicators(df: pd.DataFrame, report: Report) -> None:
    spec = C.TABLES["indicators"]
    _check_enum(df, spec, "service", C.SERVICES, report)
    _check_enum(df, spec, "unit", tuple(C.UNIT_RANGES), report)
    _check_unique(df, spec, report)
    _check_nfc(df, spec, ["name_vi", "name_en", "description_vi", "description_en"], report)


def _check_results(df: pd.DataFrame, indicators: pd.DataFrame | None, sources: set[str],
                   report: Report, v11: bool = False, surveys: dict[str, dict] | None = None) -> None:
    spec = C.TABLES["results"]
    _check_enum(df, spec, "geo_version", C.GEO_VERSIONS, report)
    _check_enum(df, spec, "level", C.LEVELS, report)
    _check_enum(df, spec, "service", C.SERVICES, report)
    _check_enum(df, spec, "flag", C.FLAGS, report, nullable=True)
    _check_unique(df, spec, report)
    _check_places_and_years(df, spec, report)
    _check_values(df, indicators, report, v11=v11)
    _check_indicators_defined(df, spec, indicators, report)
    _check_sources_declared(df, spec, sources, report)
    _check_survey_column(df, spec, surveys or {}, report)


def _check_places_and_years(df: pd.DataFrame, spec: C.TableSpec, report: Report) -> None:
    """Years in range, the geo version fits the year and the level, codes in format and known."""
    f, key = spec.path, list(C.RESULT_KEY)
    this_year = date.today().year
    bad = (df["year"] < C.FIRST_YEAR) | (df["year"] > this_year + 1)
    if bad.any():
        report.add("year-range", f, "year", f"years outside {C.FIRST_YEAR}–{this_year + 1}.",
                   "Check the survey year.", df.loc[bad, key])

    geo_ok = [C.geo_version_allowed(g, int(y)) if g in C.GEO_VERSIONS else True
              for g, y in zip(df["geo_version"], df["year"])]
    bad = ~pd.Series(geo_ok, index=df.index)
    if bad.any():
        report.add("geo-version-year", f, "geo_version",
                   f"geo_version does not fit the year: vn34 exists from {C.VN34_FIRST_YEAR}, vn63 until {C.VN63_LAST_YEAR}.",
                   "Use vn63 for results before the July 2025 reform and vn34 after it.", df.loc[bad, key])

    level_ok = [lv not in C.LEVELS or gv not in C.LEVELS_BY_GEO or lv in C.LEVELS_BY_GEO[gv]
                for lv, gv in zip(df["level"], df["geo_version"])]
    bad = ~pd.Series(level_ok, index=df.index)
    if bad.any():
        report.add("level-geo-version", f, "level", "vn34 has no district level (abolished on 1 July 2025).",
                   "Publish vn34 results for the nation, provinces or communes only.", df.loc[bad, key])

    code_ok = [lv not in C.LEVELS or C.code_matches_level(code, lv) for code, lv in zip(df["unit_code"], df["level"])]
    bad = ~pd.Series(code_ok, index=df.index)
    if bad.any():
        report.add("unit-code-format", f, "unit_code",
                   "unit codes do not have the GSO format of their level (VN / 2 / 3 / 5 digits).",
                   "Use GSO codes as text with leading zeros ('01', '084'); national is 'VN'.", df.loc[bad, key])
    else:
        _check_units_known(df, report, spec)


def _check_indicators_defined(df: pd.DataFrame, spec: C.TableSpec, indicators: pd.DataFrame | None,
                              report: Report) -> None:
    if indicators is None:
        return
    defined = set(zip(indicators["service"], indicators["indicator"]))
    bad = ~pd.Series([(s, i) in defined for s, i in zip(df["service"], df["indicator"])], index=df.index)
    if bad.any():
        report.add("indicator-undefined", spec.path, "indicator", "indicators not defined in indicators.parquet.",
                   "Add a row (service, indicator, names, unit, ...) to indicators.parquet.", df.loc[bad, list(C.RESULT_KEY)])


def _check_sources_declared(df: pd.DataFrame, spec: C.TableSpec, sources: set[str], report: Report) -> None:
    bad = ~df["source_id"].isin(sources)
    if bad.any():
        report.add("source-undefined", spec.path, "source_id",
                   f"source ids not declared in datapackage.json: {sorted(map(str, df.loc[bad, 'source_id'].unique()))[:5]}.",
                   "Declare each source under 'sources' with an id, title and URL.",
                   df.loc[bad, list(C.RESULT_KEY) + ["source_id"]])


def _check_survey_column(df: pd.DataFrame, spec: C.TableSpec, surveys: dict[str, dict], report: Report) -> None:
    """survey_id (v1.1): declared under `surveys`; a province's own survey only covers that province."""
    if "survey_id" not in df:
        return
    f, key = spec.path, list(C.RESULT_KEY)
    named = df["survey_id"].notna()
    bad = named & ~df["survey_id"].isin(list(surveys))
    if bad.any():
        report.add("survey-undefined", f, "survey_id",
                   f"survey ids not declared in datapackage.json: {sorted(map(str, df.loc[bad, 'survey_id'].unique()))[:5]}.",
                   "Declare each survey under 'surveys' with its id, names, publisher and method.",
                   df.loc[bad, key + ["survey_id"]])
    provincial = {sid: s["province_code"] for sid, s in surveys.items() if isinstance(s.get("province_code"), str)}
    if not provincial:
        return
    units = read_units()
    parents = {} if units is None else {(g, c): p for g, lv, c, p in zip(
        units["geo_version"], units["level"], units["unit_code"], units["parent_code"]) if lv == "district"}
    outside = []
    for i, (sid, g, lv, code) in enumerate(zip(df["survey_id"], df["geo_version"], df["level"], df["unit_code"])):
        province = provincial.get(sid)
        if province is None:
            continue
        inside = (lv == "province" and code == province) or \
                 (lv == "district" and parents.get((g, code), province) == province)
        if not inside:
            outside.append(i)
    if outside:
        rows = df.iloc[outside]
        report.add("survey-province", f, "survey_id",
                   "figures of a province's own survey lie outside that province (or at another level).",
                   "A province's own survey covers that province and its districts only: fix the unit or the survey_id.",
                   rows[key + ["survey_id"]].assign(survey_province=[provincial[s] for s in rows["survey_id"]]))


def _check_published_ranks(df: pd.DataFrame, indicators: pd.DataFrame | None, sources: set[str],
                           surveys: dict[str, dict], report: Report) -> None:
    """published_ranks.parquet (v1.1): ranks as a source published them, 1 <= rank <= rank_of."""
    spec = C.TABLES["published_ranks"]
    f, key = spec.path, list(spec.key)
    _check_enum(df, spec, "geo_version", C.GEO_VERSIONS, report)
    _check_enum(df, spec, "level", C.LEVELS, report)
    _check_enum(df, spec, "service", C.SERVICES, report)
    _check_unique(df, spec, report)
    _check_places_and_years(df, spec, report)
    bad = df["level"].eq("national")
    if bad.any():
        report.add("published-rank", f, "level", "the country as a whole has no rank.",
                   "Publish ranks of provinces or of a province's districts only.", df.loc[bad, key])
    expected = df["geo_version"].map(C.PROVINCES_BY_GEO)
    province = df["level"].eq("province") & expected.notna()
    bad = province & (df["rank_of"].isna() | (df["rank_of"] != expected))
    if bad.any():
        report.add("published-rank-of", f, "rank_of",
                   "a province's rank must be out of the number of provinces of its boundary set (63 for vn63, 34 for vn34).",
                   "Set rank_of to 63 (vn63) or 34 (vn34).",
                   df.loc[bad, key + ["rank", "rank_of"]].assign(expected=expected[bad].astype("Int64")))
    bad = (df["rank"] < 1) | (df["rank_of"].notna() & (df["rank"] > df["rank_of"]))
    if bad.any():
        report.add("published-rank", f, "rank", "ranks must be between 1 and rank_of.",
                   "Copy the rank as published (1 = highest); a rank above the number of places ranked is a typo.",
                   df.loc[bad, key + ["rank", "rank_of"]])
    _check_indicators_defined(df, spec, indicators, report)
    _check_sources_declared(df, spec, sources, report)
    _check_survey_column(df, spec, surveys, report)


def _check_units_known(df: pd.DataFrame, report: Report, spec: C.TableSpec = C.TABLES["results"]) -> None:
    f, key = spec.path, list(C.RESULT_KEY)
    units = read_units()
    if units is None:
        report.add("unit-codes-unchecked", f, "unit_code",
                   "geodata/units.parquet is not available here, so unit codes cannot be checked against the official list.",
                   "Run validate from a checkout with geodata/ (it is committed), or point DASHBOARD_GEODATA at it.")
        return
    known = set(zip(units["geo_version"], units["level"], units["unit_code"]))
    checkable = df["level"].isin(["national", "province", "district"])
    bad = checkable & ~pd.Series([(g, lv, c) in known for g, lv, c in zip(df["geo_version"], df["level"], df["unit_code"])],
                                 index=df.index)
    if bad.any():
        report.add("unit-code-unknown", f, "unit_code",
                   "unit codes that do not exist in this geo version (see geodata/units.parquet).",
                   "Check the code against the official GSO list for the geo version (vn63 before the reform, vn34 after).",
                   df.loc[bad, key])
    if "parent_code" in df:
        parents = {(g, lv, c): p for g, lv, c, p in zip(units["geo_version"], units["level"], units["unit_code"],
                                                         units["parent_code"])}
        has_parent = df["parent_code"].notna() & df["level"].eq("district")
        wrong = has_parent & pd.Series(
            [parents.get((g, "district", c), p) != p for g, c, p in zip(df["geo_version"], df["unit_code"], df["parent_code"])],
            index=df.index)
        if wrong.any():
            shown = df.loc[wrong, key + ["parent_code"]].assign(
                official_province=[parents.get((g, "district", c))
                                   for g, c in zip(df.loc[wrong, "geo_version"], df.loc[wrong, "unit_code"])])
            report.add("district-province", f, "parent_code", "district rows name the wrong province.",
                       "Set parent_code to the province the district belongs to (official_province).", shown)


def _check_values(df: pd.DataFrame, indicators: pd.DataFrame | None, report: Report,
                  spec: C.TableSpec = C.TABLES["results"], v11: bool = False) -> None:
    f, key = spec.path, list(C.RESULT_KEY)
    units = {}
    if indicators is not None:
        units = {(s, i): u for s, i, u in zip(indicators["service"], indicators["indicator"], indicators["unit"])}
    ranges = [C.UNIT_RANGES.get(units.get((s, i), "percent"), (0, 100)) for s, i in zip(df["service"], df["indicator"])]
    lo = pd.Series([r[0] for r in ranges], index=df.index)
    hi = pd.Series([r[1] for r in ranges], index=df.index)
    value, ci_low, ci_high = df["value"], df["ci_low"], df["ci_high"]

    bad = value.notna() & ((value < lo) | (value > hi))
    if bad.any():
        report.add("value-range", f, "value", "values outside the indicator's range (0–100 for percent).",
                   "Publish percentages as 0–100 (not 0–1); check the unit in indicators.parquet.",
                   df.loc[bad, key + ["value"]])
    suppressed = df["flag"].eq("suppressed")
    bad = value.isna() & ~suppressed
    if bad.any():
        report.add("value-missing", f, "value", "empty values without the flag 'suppressed'.",
                   "Give the figure, or set flag='suppressed' if it must not be published.", df.loc[bad, key])
    bad = value.notna() & suppressed
    if bad.any():
        report.add("suppressed-value", f, "value", "figures flagged 'suppressed' still carry a value.",
                   "Leave value, ci_low, ci_high empty on suppressed rows.", df.loc[bad, key + ["value"]])
    bad = ci_low.isna() != ci_high.isna()
    if bad.any():
        report.add("ci-pair", f, "ci_low", "only one end of the confidence interval is given.",
                   "Give both ci_low and ci_high, or neither.", df.loc[bad, key + ["ci_low", "ci_high"]])
    has_ci = ci_low.notna() & ci_high.notna() & value.notna()
    bad = has_ci & ~((ci_low <= value) & (value <= ci_high))
    if bad.any():
        report.add("ci-order", f, "ci_low", "the interval does not contain the value (need ci_low <= value <= ci_high).",
                   "Check that ci_low and ci_high are not swapped and are on the value's scale.",
                   df.loc[bad, key + ["value", "ci_low", "ci_high"]])
    bad = (ci_low.notna() & (ci_low < lo)) | (ci_high.notna() & (ci_high > hi))
    if bad.any():
        report.add("ci-range", f, "ci_high", "interval ends outside the indicator's range.",
                   "Clip intervals to the scale (0–100 for percent).", df.loc[bad, key + ["ci_low", "ci_high"]])
    bad = df["n"].notna() & (df["n"] < 0)
    if bad.any():
        report.add("n-negative", f, "n", "negative respondent counts.", "n is a count of respondents: 0 or more.",
                   df.loc[bad, key + ["n"]])
    if v11:
        bad = has_ci & ~(ci_high > ci_low)
        if bad.any():
            report.add("interval-width", f, "ci_high",
                       "intervals of zero width: no sample makes a figure certain (contract 1.1).",
                       "Publish intervals that have a width at 0 and 100 % (e.g. Korn–Graubard), never a clipped Wald interval.",
                       df.loc[bad, key + ["value", "ci_low", "ci_high"]])
    _check_uncertainty_columns(df, spec, report)


def _check_uncertainty_columns(df: pd.DataFrame, spec: C.TableSpec, report: Report) -> None:
    """se, df, n_eff and ci_method (optional, v1.1): what each interval rests on."""
    f, key = spec.path, list(C.RESULT_KEY)
    if "ci_method" in df:
        _check_enum(df, spec, "ci_method", C.CI_METHODS, report, nullable=True)
        bad = df["ci_method"].notna() & (df["ci_low"].isna() | df["ci_high"].isna())
        if bad.any():
            report.add("ci-method", f, "ci_method", "a ci_method is given for figures without an interval.",
                       "Leave ci_method empty where there is no interval.", df.loc[bad, key + ["ci_method"]])
    for column, rule in (("se", df.get("se", pd.Series(dtype=float)) < 0),
                         ("df", df.get("df", pd.Series(dtype=float)) <= 0),
                         ("n_eff", df.get("n_eff", pd.Series(dtype=float)) <= 0)):
        if column in df and rule.any():
            report.add("value-range", f, column, f"{column} must be positive ({column} >= 0 for se).",
                       f"Recompute {column}: it is a standard error, degrees of freedom or an effective sample size.",
                       df.loc[rule, key + [column]])
    if "n_eff" in df and "n" in df:
        # an index averages several answers per respondent, so n_eff may exceed n there only
        bad = df["n_eff"].notna() & df["n"].notna() & (df["indicator"] != C.INDEX) & (df["n_eff"] > df["n"] + 0.01)
        if bad.any():
            report.add("value-range", f, "n_eff", "an effective sample size larger than the respondents behind it.",
                       "n_eff = n / design effect, with the design effect at least 1 for a criterion.",
                       df.loc[bad, key + ["n", "n_eff"]])


def _check_derived(df: pd.DataFrame, spec: C.TableSpec, indicators: pd.DataFrame | None, report: Report,
                   v11: bool = False) -> None:
    """Rules of the optional statistics tables: ranks, changes, harmonised figures."""
    key = list(spec.key)
    _check_enum(df, spec, "geo_version", C.GEO_VERSIONS, report)
    _check_enum(df, spec, "level", C.LEVELS, report)
    _check_enum(df, spec, "service", C.SERVICES, report)
    _check_unique(df, spec, report)
    if spec.name == "ranks":
        bad = ~((df["rank_low"] >= 1) & (df["rank_low"] <= df["rank"]) & (df["rank"] <= df["rank_high"]))
        if "rank_of" in df:
            bad |= df["rank_of"].notna() & (df["rank_high"] > df["rank_of"])
        if bad.any():
            report.add("rank-order", spec.path, "rank", "need 1 <= rank_low <= rank <= rank_high (<= rank_of).",
                       "Recompute the rank intervals.", df.loc[bad, key + ["rank", "rank_low", "rank_high"]])
    elif spec.name == "gaps":
        bad = ~((df["ci_low"] <= df["gap"]) & (df["gap"] <= df["ci_high"]))
        if bad.any():
            report.add("ci-order", spec.path, "ci_low", "the interval does not contain the gap.",
                       "Check that ci_low and ci_high are not swapped.", df.loc[bad, key + ["gap", "ci_low", "ci_high"]])
        _check_tests(df, spec, "p_value", None, report)
    elif spec.name == "changes":
        _check_tests(df, spec, "p_value", "q_value", report)
        has_ci = df["ci_low"].notna() & df["ci_high"].notna()
        bad = has_ci & ~((df["ci_low"] <= df["change"]) & (df["change"] <= df["ci_high"]))
        if bad.any():
            report.add("ci-order", spec.path, "ci_low", "the interval does not contain the change.",
                       "Check that ci_low and ci_high are not swapped.", df.loc[bad, key + ["change", "ci_low", "ci_high"]])
        bad = df["change"].abs() > 100
        if bad.any():
            report.add("value-range", spec.path, "change", "changes of more than 100 points.",
                       "A change is the difference of two percentages.", df.loc[bad, key + ["change"]])
    else:
        _check_values(df, indicators, report, spec, v11=v11)
        bad = df["geo_version"] != "vn34"
        if bad.any():
            report.add("allowed-values", spec.path, "geo_version", "harmonised figures are on the vn34 map.",
                       "Only re-aggregate to vn34.", df.loc[bad, key])


def _check_tests(df: pd.DataFrame, spec: C.TableSpec, p_col: str, q_col: str | None, report: Report) -> None:
    """p- and q-values in [0, 1], q >= p, and `significant` meaning p < 0.05 (v1.1)."""
    key = list(spec.key)
    for col in (p_col, q_col):
        if col and col in df:
            bad = df[col].notna() & ((df[col] < 0) | (df[col] > 1))
            if bad.any():
                report.add("value-range", spec.path, col, f"{col} outside 0–1.", "A p- or q-value is a probability.",
                           df.loc[bad, key + [col]])
    if q_col and q_col in df and p_col in df:
        bad = df[q_col].notna() & df[p_col].notna() & (df[q_col] < df[p_col] - 1e-6)
        if bad.any():
            report.add("q-value", spec.path, q_col, "q-values smaller than their p-values.",
                       "Adjust p-values with Benjamini–Hochberg: q = min over larger p of p·m/rank, never below p.",
                       df.loc[bad, key + [p_col, q_col]])
    if p_col in df and "significant" in df:
        known = df[p_col].notna() & df["significant"].notna()
        bad = known & ((df[p_col] < C.SIGNIFICANCE_LEVEL) != df["significant"].astype(bool))
        if bad.any():
            report.add("significance", spec.path, "significant", "'significant' disagrees with the p-value.",
                       f"significant means p_value < {C.SIGNIFICANCE_LEVEL}.", df.loc[bad, key + [p_col, "significant"]])


def _check_notes(notes: list | pd.DataFrame | None, sources: set[str], where: str, report: Report,
                 surveys: set[str] = frozenset()) -> None:
    if notes is None:
        return
    if isinstance(notes, list):
        if not all(isinstance(n, dict) for n in notes):
            report.add("notes", where, "notes", "every note must be an object.", "See contract v1, notes.")
            return
        notes = pd.DataFrame(notes)
    if notes.empty:
        return
    spec = C.TABLES["notes"]
    for col in ("note_id", "kind", "text_vi", "text_en"):
        if col not in notes or notes[col].isna().any():
            report.add("notes", where, col, f"every note needs '{col}'.", f"Fill '{col}' on every note.")
            return
    _check_enum(notes, spec, "kind", C.NOTE_KINDS, report)
    for col, allowed in (("geo_version", C.GEO_VERSIONS), ("level", C.LEVELS), ("service", C.SERVICES)):
        if col in notes:
            _check_enum(notes, spec, col, allowed, report, nullable=True)
    if "source_id" in notes:
        bad = notes["source_id"].notna() & ~notes["source_id"].isin(sources)
        if bad.any():
            report.add("source-undefined", where, "source_id", "notes cite undeclared sources.",
                       "Declare each source under 'sources'.", notes.loc[bad, ["note_id", "source_id"]])
    if "survey_id" in notes:
        bad = notes["survey_id"].notna() & ~notes["survey_id"].isin(list(surveys))
        if bad.any():
            report.add("survey-undefined", where, "survey_id", "notes concern undeclared surveys.",
                       "Declare each survey under 'surveys'.", notes.loc[bad, ["note_id", "survey_id"]])
    dup = notes["note_id"].duplicated(keep=False)
    if dup.any():
        report.add("duplicate-key", where, "note_id", "note ids must be unique.", "Rename the duplicates.",
                   notes.loc[dup, ["note_id"]])


# --- entry points --------------------------------------------------------------------------

def validate_release(source: str | Path) -> Report:
    """Validate the release at a folder or URL and return the full report (never raises)."""
    report = Report(source=str(source))
    try:
        folder = fetch_release(source)
    except ReleaseSourceError as exc:
        report.add("unreachable", str(source), None, str(exc), "Point at a release folder or its URL.")
        return report
    descriptor = _read_descriptor(folder, report)
    if descriptor is not None:
        _check_descriptor(descriptor, report)
    d = descriptor or {}
    resources = {r.get("name"): r for r in d.get("resources", []) if isinstance(r, dict)} \
        if isinstance(d.get("resources"), list) else {}
    frames: dict[str, pd.DataFrame] = {}
    for spec in C.TABLES.values():
        table = _read_table(folder, spec, resources.get(spec.name), report)
        if table is not None:
            table = _check_columns(table, spec, resources.get(spec.name), report)
        if table is not None:
            frames[spec.name] = _frame(table)
    sources = source_ids(d)
    indicators = frames.get("indicators")
    if indicators is not None:
        _check_indicators(indicators, report)
    results = frames.get("results")
    v11 = d.get("contract_version") == "1.1"
    surveys = {s["id"]: s for s in d.get("surveys", []) if isinstance(s, dict) and isinstance(s.get("id"), str)} \
        if isinstance(d.get("surveys"), list) else {}
    if results is not None:
        _check_results(results, indicators, sources, report, v11=v11, surveys=surveys)
    if "published_ranks" in frames:
        _check_published_ranks(frames["published_ranks"], indicators, sources, surveys, report)
    for name in ("ranks", "changes", "harmonised", "gaps"):
        if name in frames:
            _check_derived(frames[name], C.TABLES[name], indicators, report, v11=v11)
    _check_notes(d.get("notes"), sources, C.DATAPACKAGE, report, set(surveys))
    _check_notes(frames.get("notes"), sources, C.TABLES["notes"].path, report, set(surveys))
    if results is not None:
        report.summary = {
            "id": d.get("id"), "version": d.get("version"), "demo": d.get("demo"),
            "years": sorted(int(y) for y in results["year"].unique()),
            "geo_versions": sorted(results["geo_version"].astype(str).unique()),
            "levels": [lv for lv in C.LEVELS if lv in set(results["level"])],
            "services": [s for s in C.SERVICES if s in set(results["service"])],
            "units": int(results[["geo_version", "level", "unit_code"]].drop_duplicates().shape[0]),
            "rows": int(len(results)),
            "published_ranks": int(len(frames["published_ranks"])) if "published_ranks" in frames else 0,
            "surveys": sorted(surveys),
        }
    return report


def run_validate_command(path: str, as_json: bool = False) -> int:
    """CLI: print the report; exit 0 when valid, 1 when not."""
    try:
        report = validate_release(path)
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line here, the traceback in a log file
        print(crash_message("validate", f"validate {path}", exc), file=sys.stderr)
        return 1
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else report.format_text())
    return 0 if report.valid else 1
