"""Release contract v1.1: the one definition of what a published release is.

A release is a folder (or URL prefix) holding `datapackage.json`, `results.parquet`,
`indicators.parquet` and optional tables. `validate`, the builders, the loaders and the tests all
read the rules from here; nothing else defines a column, an allowed value or a range.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa

CONTRACT_VERSION = "1.1"
# Releases of these versions stay valid: v1.1 only adds optional columns, tables and properties.
SUPPORTED_CONTRACT_VERSIONS: tuple[str, ...] = ("1", "1.1")

SERVICES: tuple[str, ...] = (
    "admin", "policy", "education", "health", "security", "roads", "water", "electricity",
)
# The six essential public services (seed 000), in the order the seeds list them.
ESSENTIAL_SERVICES: tuple[str, ...] = ("education", "health", "security", "roads", "water", "electricity")
SIPAS_SERVICES: tuple[str, ...] = ("admin", "policy")
SIPAS_CRITERIA: tuple[str, ...] = ("access", "procedures", "civil_servants", "results", "feedback")
INDEX = "index"

LEVELS: tuple[str, ...] = ("national", "province", "district", "commune")
GEO_VERSIONS: tuple[str, ...] = ("vn63", "vn34")
FLAGS: tuple[str, ...] = ("low_n", "suppressed", "provisional")
# What the build's flags mean: `suppressed` below MIN_N respondents (no value published), `low_n`
# below LOW_N respondents or an effective sample size below LOW_N_EFF (NCHS: n_eff < 30). Figures
# whose own variance has fewer than MIN_DF degrees of freedom get a pooled interval (CI_METHODS).
MIN_N = 10
LOW_N = 50
LOW_N_EFF = 30
MIN_DF = 8
# How an interval was made (v1.1): from the figure's own design-based variance, or from a design
# effect pooled over its level because its own variance rests on too few degrees of freedom.
CI_METHODS: tuple[str, ...] = ("design", "pooled")
NOTE_KINDS: tuple[str, ...] = ("method_break", "conflict", "correction", "caveat", "harmonised")
# How many provinces each boundary set has: a province's published rank is "out of" this many.
PROVINCES_BY_GEO: dict[str, int] = {"vn63": 63, "vn34": 34}

# Province mergers took effect on 1 July 2025: vn34 results exist from 2025; vn63 results end with
# the 2025 survey round at the latest.
VN34_FIRST_YEAR = 2025
VN63_LAST_YEAR = 2025
FIRST_YEAR = 2015  # SIPAS pilots started in 2015 (METHOD_FACTS.md)

# Levels each geo version can have: the reform abolished districts.
LEVELS_BY_GEO: dict[str, tuple[str, ...]] = {
    "vn63": ("national", "province", "district", "commune"),
    "vn34": ("national", "province", "commune"),
}

# GSO code format per level.
CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "national": re.compile(r"VN"),
    "province": re.compile(r"\d{2}"),
    "district": re.compile(r"\d{3}"),
    "commune": re.compile(r"\d{5}"),
}
PARENT_LEVEL: dict[str, str] = {"province": "national", "district": "province", "commune": "district"}

# Units an indicator can be published in, with the closed range of allowed values.
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "percent": (0.0, 100.0),
    "points_10": (0.0, 10.0),
}

RESULT_KEY: tuple[str, ...] = ("year", "geo_version", "level", "unit_code", "service", "indicator")
INDICATOR_KEY: tuple[str, ...] = ("service", "indicator")

# The key columns every per-figure table starts with (RESULT_KEY), in that order.
KEY_FIELDS = [
    pa.field("year", pa.int16(), nullable=False),
    pa.field("geo_version", pa.string(), nullable=False),
    pa.field("level", pa.string(), nullable=False),
    pa.field("unit_code", pa.string(), nullable=False),
    pa.field("service", pa.string(), nullable=False),
    pa.field("indicator", pa.string(), nullable=False),
]

RESULTS_SCHEMA = pa.schema(KEY_FIELDS + [
    pa.field("value", pa.float64(), nullable=True),
    pa.field("ci_low", pa.float64(), nullable=True),
    pa.field("ci_high", pa.float64(), nullable=True),
    pa.field("n", pa.int32(), nullable=True),
    pa.field("flag", pa.string(), nullable=True),
    pa.field("source_id", pa.string(), nullable=False),
])
# Optional columns of results.parquet that the contract knows; any other extra column must be
# described in the datapackage resource's schema (a "note"), or validate refuses it.
RESULTS_OPTIONAL_FIELDS = [
    # The GSO code of the unit's parent (province of a district, district of a commune).
    pa.field("parent_code", pa.string(), nullable=True),
    # v1.1: what the interval rests on. se in the value's units; df of the variance estimate the
    # interval uses; n_eff the effective sample size (n over the design effect).
    pa.field("se", pa.float64(), nullable=True),
    pa.field("df", pa.float64(), nullable=True),
    pa.field("n_eff", pa.float64(), nullable=True),
    pa.field("ci_method", pa.string(), nullable=True),
    # v1.1: the survey a figure comes from, an id of the descriptor's `surveys` list. Figures of
    # different surveys (the ministry's SIPAS, a province's own survey) are never ranked together.
    pa.field("survey_id", pa.string(), nullable=True),
]

INDICATORS_SCHEMA = pa.schema([
    pa.field("service", pa.string(), nullable=False),
    pa.field("indicator", pa.string(), nullable=False),
    pa.field("name_vi", pa.string(), nullable=False),
    pa.field("name_en", pa.string(), nullable=False),
    pa.field("description_vi", pa.string(), nullable=True),
    pa.field("description_en", pa.string(), nullable=True),
    pa.field("unit", pa.string(), nullable=False),
    pa.field("higher_is_better", pa.bool_(), nullable=False),
    pa.field("sort_order", pa.int16(), nullable=False),
])

NOTES_SCHEMA = pa.schema([
    pa.field("note_id", pa.string(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),
    pa.field("text_vi", pa.string(), nullable=False),
    pa.field("text_en", pa.string(), nullable=False),
    pa.field("year", pa.int16(), nullable=True),
    pa.field("geo_version", pa.string(), nullable=True),
    pa.field("level", pa.string(), nullable=True),
    pa.field("unit_code", pa.string(), nullable=True),
    pa.field("service", pa.string(), nullable=True),
    pa.field("indicator", pa.string(), nullable=True),
    pa.field("source_id", pa.string(), nullable=True),
])
# v1.1, optional: the scope column a note may add to NOTE_SCOPE_COLUMNS (a note about one survey).
NOTES_OPTIONAL_FIELDS = [pa.field("survey_id", pa.string(), nullable=True)]

# v1.1, optional: ranks exactly as a source published them, with or without a published value.
# Kept apart from ranks.parquet (the product's own rank intervals): nothing here was computed,
# and a rank is never turned into a colour or mixed with the product's intervals.
PUBLISHED_RANKS_SCHEMA = pa.schema(KEY_FIELDS + [
    pa.field("rank", pa.int16(), nullable=False),  # 1 = highest, as published
    # Out of how many: for provinces, the provinces of the boundary set (PROVINCES_BY_GEO); for
    # units ranked by a province's own survey, empty when the source does not say.
    pa.field("rank_of", pa.int16(), nullable=True),
    pa.field("source_id", pa.string(), nullable=False),
])
PUBLISHED_RANKS_OPTIONAL_FIELDS = [pa.field("survey_id", pa.string(), nullable=True)]

RANKS_SCHEMA = pa.schema(KEY_FIELDS + [
    pa.field("parent_code", pa.string(), nullable=False),  # ranked among the units of this parent
    pa.field("rank", pa.int16(), nullable=False),
    pa.field("rank_low", pa.int16(), nullable=False),
    pa.field("rank_high", pa.int16(), nullable=False),
])
RANKS_OPTIONAL_FIELDS = [
    pa.field("tie_group", pa.int16(), nullable=True),  # v1 only: groups of overlapping rank intervals
    pa.field("rank_of", pa.int16(), nullable=True),  # v1.1: how many units were ranked together
    pa.field("top_set", pa.bool_(), nullable=True),  # v1.1: in the joint 95% confidence set for first place
    pa.field("bottom_set", pa.bool_(), nullable=True),  # v1.1: ... for last place
]

CHANGES_SCHEMA = pa.schema(KEY_FIELDS + [
    pa.field("change", pa.float64(), nullable=False),  # points versus the year before
    pa.field("ci_low", pa.float64(), nullable=True),
    pa.field("ci_high", pa.float64(), nullable=True),
    pa.field("significant", pa.bool_(), nullable=True),  # the single 5% test: p_value < 0.05
])
CHANGES_OPTIONAL_FIELDS = [
    pa.field("se", pa.float64(), nullable=True),
    pa.field("df", pa.float64(), nullable=True),
    pa.field("p_value", pa.float64(), nullable=True),
    pa.field("q_value", pa.float64(), nullable=True),  # Benjamini–Hochberg within `family`
    pa.field("family", pa.string(), nullable=True),  # year/geo_version/level/service[/harmonised]
    pa.field("harmonised", pa.bool_(), nullable=True),  # a change between harmonised figures
]

# v1.1: each place against the country (gap = place − country), tested at build time.
GAPS_SCHEMA = pa.schema(KEY_FIELDS + [
    pa.field("reference_code", pa.string(), nullable=False),
    pa.field("gap", pa.float64(), nullable=False),
    pa.field("ci_low", pa.float64(), nullable=False),
    pa.field("ci_high", pa.float64(), nullable=False),
    pa.field("p_value", pa.float64(), nullable=False),
    pa.field("significant", pa.bool_(), nullable=False),
])
SIGNIFICANCE_LEVEL = 0.05

# The columns of a note that say which figures it concerns (null = all); survey_id is v1.1's.
NOTE_SCOPE_COLUMNS: tuple[str, ...] = ("year", "geo_version", "level", "unit_code", "service", "indicator",
                                       "survey_id")


@dataclass(frozen=True)
class TableSpec:
    """A Parquet table of a release."""

    name: str
    path: str
    schema: pa.Schema
    required: bool
    key: tuple[str, ...]
    optional_fields: tuple[pa.Field, ...] = ()

    @property
    def known_columns(self) -> set[str]:
        return set(self.schema.names) | {f.name for f in self.optional_fields}


TABLES: dict[str, TableSpec] = {
    "results": TableSpec("results", "results.parquet", RESULTS_SCHEMA, True, RESULT_KEY,
                         tuple(RESULTS_OPTIONAL_FIELDS)),
    "indicators": TableSpec("indicators", "indicators.parquet", INDICATORS_SCHEMA, True, INDICATOR_KEY),
    "notes": TableSpec("notes", "notes.parquet", NOTES_SCHEMA, False, ("note_id",), tuple(NOTES_OPTIONAL_FIELDS)),
    "ranks": TableSpec("ranks", "ranks.parquet", RANKS_SCHEMA, False, RESULT_KEY, tuple(RANKS_OPTIONAL_FIELDS)),
    "changes": TableSpec("changes", "changes.parquet", CHANGES_SCHEMA, False, RESULT_KEY, tuple(CHANGES_OPTIONAL_FIELDS)),
    "gaps": TableSpec("gaps", "gaps.parquet", GAPS_SCHEMA, False, RESULT_KEY),
    "published_ranks": TableSpec("published_ranks", "published_ranks.parquet", PUBLISHED_RANKS_SCHEMA, False,
                                 RESULT_KEY, tuple(PUBLISHED_RANKS_OPTIONAL_FIELDS)),
    # Pre-reform figures re-aggregated to the 34 provinces (vn34 before 2025 is allowed here only).
    "harmonised": TableSpec("harmonised", "harmonised.parquet", RESULTS_SCHEMA, False, RESULT_KEY,
                            tuple(RESULTS_OPTIONAL_FIELDS)),
}

DATAPACKAGE = "datapackage.json"
# Top-level properties of datapackage.json, beyond what Frictionless itself requires.
REQUIRED_PACKAGE_PROPERTIES: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "name": str,
    "title": str,
    "title_en": str,
    "version": str,
    "published": str,
    "data_as_of": str,
    "licenses": list,
    "sources": list,
    "demo": bool,
    "contract_version": str,
    "resources": list,
}
# v1.1, optional: how the figures were estimated (`survey_design`), written by `build`/`demo`.
SURVEY_DESIGN_PROPERTIES: dict[str, type | tuple[type, ...]] = {
    "weighted": bool,  # were weights given with the answers?
    "designs": list,  # one entry per boundary set: geo_version, years, strata, psu, declared, fpc, district_clusters
    "thresholds": dict,  # min_n, low_n, low_n_eff, min_df, significance
}
# v1.1, optional: `surveys`, one entry per survey the figures come from (results.survey_id).
# `province_code` is set for a province's own survey: its figures must lie in that province.
SURVEY_PROPERTIES: dict[str, type] = {
    "id": str,
    "name": str,  # vi
    "name_en": str,
    "publisher": str,  # vi
    "publisher_en": str,
    "method": str,  # how it was run, in words (vi)
    "method_en": str,
}
SURVEY_OPTIONAL_PROPERTIES: dict[str, type] = {"province_code": str, "path": str}
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
RELEASE_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# Hard limits that keep a hostile release from exhausting memory.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_DATAPACKAGE_BYTES = 2 * 1024 * 1024


def code_matches_level(code: str, level: str) -> bool:
    """True when a unit code has the GSO format of its level (`VN`, 2, 3 or 5 digits)."""
    pattern = CODE_PATTERNS.get(level)
    return bool(pattern and isinstance(code, str) and pattern.fullmatch(code))


def geo_version_of_year(year: int) -> str:
    """The boundary set a year's results are drawn on: vn34 from the 2025 reform, vn63 before."""
    return "vn34" if year >= VN34_FIRST_YEAR else "vn63"


def geo_version_allowed(geo_version: str, year: int) -> bool:
    """vn34 only from 2025 (the reform of 1 July 2025); vn63 up to 2025."""
    if geo_version == "vn34":
        return year >= VN34_FIRST_YEAR
    if geo_version == "vn63":
        return year <= VN63_LAST_YEAR
    return False


def method_breaks(notes) -> set[tuple[str, int]]:
    """(service, year) pairs the release's `method_break` notes declare: figures of that service
    before and after `year` are different series, never joined or compared. A note without a
    service concerns every service. `notes` is a list of dicts or a notes frame."""
    records = notes.to_dict("records") if hasattr(notes, "to_dict") else list(notes or [])
    out: set[tuple[str, int]] = set()
    for note in records:
        year = note.get("year")
        if note.get("kind") != "method_break" or year is None or year != year:  # None or NaN
            continue
        service = note.get("service")
        services = [service] if isinstance(service, str) and service else SERVICES
        out |= {(s, int(year)) for s in services}
    return out


def crosses_break(breaks: set[tuple[str, int]], service: str, year_from: int, year_to: int) -> bool:
    """True when comparing two years of a service straddles one of the release's method breaks."""
    return any(s == service and year_from < year <= year_to for s, year in breaks)


# --- the contract as Frictionless Table Schema (so outside tools can check a release) --------

# What each column means, for the Table Schema in every datapackage.json (and readers of it).
FIELD_DESCRIPTIONS: dict[str, str] = {
    "year": "survey year", "geo_version": "boundary set: vn63 (63 provinces, to 2025) or vn34 (34 provinces, from 2025)",
    "level": "national, province, district or commune", "unit_code": "GSO code of the unit (VN for the country)",
    "service": "service group", "indicator": "index (the service's overall index) or a criterion id",
    "value": "the published figure, on the indicator's scale", "ci_low": "lower end of the 95% interval",
    "ci_high": "upper end of the 95% interval", "n": "respondents behind the figure",
    "flag": "low_n, suppressed or provisional", "source_id": "key of a source in this datapackage.json",
    "parent_code": "GSO code of the unit's parent", "se": "standard error, in the value's units",
    "df": "degrees of freedom of the variance the interval uses", "n_eff": "effective sample size (n / design effect)",
    "ci_method": "design: the figure's own variance; pooled: a design effect shared by its level",
    "rank": "rank among the units of its parent (1 = most satisfied)", "rank_low": "best rank of the 95% rank range",
    "rank_high": "worst rank of the 95% rank range", "rank_of": "how many units were ranked together",
    "tie_group": "contract 1 only: group of overlapping rank intervals",
    "top_set": "in the joint 95% confidence set for first place", "bottom_set": "in the joint 95% confidence set for last place",
    "change": "points versus the year before", "significant": "the single 5% test: p_value < 0.05",
    "p_value": "two-sided p-value", "q_value": "Benjamini–Hochberg q-value within `family`",
    "family": "family of comparisons: year/geo_version/level/service[/harmonised]",
    "harmonised": "a change between harmonised (re-estimated 34-province) figures",
    "reference_code": "the unit compared with (VN: the country)",
    "survey_id": "the survey the figure comes from (an id of `surveys` in datapackage.json)",
    "gap": "the unit's figure minus the reference's",
}
_FRICTIONLESS_TYPES = {pa.int16(): "integer", pa.int32(): "integer", pa.float64(): "number", pa.string(): "string",
                       pa.bool_(): "boolean"}
_ENUMS: dict[str, tuple[str, ...]] = {"geo_version": GEO_VERSIONS, "level": LEVELS, "service": SERVICES,
                                      "flag": FLAGS, "ci_method": CI_METHODS, "kind": NOTE_KINDS,
                                      "unit": tuple(UNIT_RANGES)}
_RANGES: dict[str, tuple[float | None, float | None]] = {
    "year": (FIRST_YEAR, None), "value": (0.0, 100.0), "ci_low": (0.0, 100.0), "ci_high": (0.0, 100.0),
    "n": (0, None), "se": (0.0, None), "n_eff": (0.0, None), "p_value": (0.0, 1.0), "q_value": (0.0, 1.0),
    "rank": (1, None), "rank_low": (1, None), "rank_high": (1, None), "rank_of": (1, None), "change": (-100.0, 100.0),
    "gap": (-100.0, 100.0),
}
# Intervals of differences (changes, gaps) can be negative.
_DIFFERENCE_TABLES = ("changes", "gaps")


def frictionless_schema(spec: TableSpec, columns: list[str], extra: list[dict] = ()) -> dict:
    """The Table Schema of a table as written: its columns (contract fields, then documented extra
    fields), types, required, enums, ranges, primary key and, for results, the foreign key to
    indicators. The value range is the widest the contract allows (0–100); validate checks each
    indicator's own unit on top."""
    known = {f.name: f for f in [*spec.schema, *spec.optional_fields]}
    extras = {e["name"]: e for e in extra}
    fields = []
    for name in columns:
        if name in known:
            fld = known[name]
            kind = _FRICTIONLESS_TYPES.get(fld.type, "any")
            # frictionless 5.21 reads a null of a numeric Parquet column as a float NaN (its pandas
            # reader only maps the `np.nan` object itself to null), which fails integer types and
            # every range. Nullable numbers are therefore declared as plain numbers; `validate`
            # checks their ranges on top.
            numeric_nullable = fld.nullable and kind in ("integer", "number")
            entry = {"name": name, "type": "number" if numeric_nullable else kind,
                     "description": FIELD_DESCRIPTIONS.get(name, "")}
            constraints: dict = {"required": True} if not fld.nullable else {}
            if name in _ENUMS:
                constraints["enum"] = list(_ENUMS[name])
            low, high = (None, None) if numeric_nullable else _RANGES.get(name, (None, None))
            if spec.name in _DIFFERENCE_TABLES and name in ("ci_low", "ci_high") and not numeric_nullable:
                low, high = (-100.0, 100.0)
            if low is not None:
                constraints["minimum"] = low
            if high is not None:
                constraints["maximum"] = high
            if constraints:
                entry["constraints"] = constraints
        else:
            e = extras[name]
            kind = e.get("frictionless_type", "string")
            entry = {"name": name, "type": "number" if kind == "integer" else kind,  # nullable: see above
                     "description": e["description"]}
        fields.append(entry)
    schema = {"fields": fields, "primaryKey": list(spec.key)}
    if spec.name in ("results", "harmonised"):
        schema["foreignKeys"] = [{"fields": list(INDICATOR_KEY),
                                  "reference": {"resource": "indicators", "fields": list(INDICATOR_KEY)}}]
    return schema
