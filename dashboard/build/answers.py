"""Survey answers in: read a CSV, XLSX or Parquet file and check it before any figure is made.

Schema (PRODUCT.md, "Survey answers in"): one row per respondent and question with
respondent_id, year, province_code, district_code, commune_code, village, service, question_id,
answer (1–5 or empty), optional weight, optional geo_version (default: vn34 from 2025, else
vn63) and an optional declared design: `stratum` and `psu` (with `fpc`, the number of PSUs in the
stratum's population, where known; see `dashboard.stats.design`). Codes are GSO codes kept as text.
Every problem is reported with its file, rows, column
and fix; a file with problems produces no release.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.geo import official_units
from dashboard.release import contract as C
from dashboard.release.catalogue import CRITERIA
from dashboard.release.validate import Report

REQUIRED = ["respondent_id", "year", "province_code", "district_code", "commune_code", "village", "service",
            "question_id", "answer"]
OPTIONAL = ["weight", "geo_version", "stratum", "psu", "fpc"]
TEXT_COLUMNS = ["respondent_id", "province_code", "district_code", "commune_code", "village", "service",
                "question_id", "geo_version", "stratum", "psu"]


class UnsupportedFormat(ValueError):
    """The file's extension is not one of the three accepted formats."""


class AnswersError(Exception):
    """The answers file cannot be used; `report` lists every problem."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.format_text())
        self.report = report


@dataclass
class AnswersSummary:
    """What was read and what was left out of the estimates, and why."""

    rows: int = 0
    respondents: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_answers(path: Path) -> pd.DataFrame:
    """Read the file with every code column as text (leading zeros kept)."""
    suffix = path.suffix.lower()
    dtypes = {c: str for c in TEXT_COLUMNS}
    if suffix == ".csv":
        return pd.read_csv(path, dtype=dtypes, encoding="utf-8-sig", keep_default_na=False,
                           na_values={"answer": [""], "weight": [""]})
    if suffix in (".xlsx", ".xls"):
        return pd.read_excel(path, dtype=dtypes)
    if suffix == ".parquet":
        frame = pd.read_parquet(path)
        for col in TEXT_COLUMNS:
            if col in frame:
                frame[col] = frame[col].astype("string").astype(object).where(frame[col].notna(), None)
        return frame
    raise UnsupportedFormat(f"unsupported file type {suffix!r}")


def _rows(frame: pd.DataFrame, mask: pd.Series, columns: list[str]) -> pd.DataFrame:
    shown = frame.loc[mask, [c for c in columns if c in frame]].copy()
    shown.insert(0, "line", shown.index + 2)  # 1-based, after the header line
    return shown


def check_answers(path: Path) -> tuple[pd.DataFrame, AnswersSummary]:
    """Read and check an answers file; raise `AnswersError` listing every problem."""
    report = Report(source=str(path))
    f = path.name
    if not path.is_file():
        report.add("file-missing", f, None, "the answers file does not exist.", "Check the path.")
        raise AnswersError(report)
    try:
        frame = read_answers(path)
    except UnsupportedFormat as exc:
        report.add("file-type", f, None, str(exc), "Give a .csv (UTF-8), .xlsx or .parquet file.")
        raise AnswersError(report) from None
    except Exception as exc:  # noqa: BLE001 - a corrupt file of any of three formats, each reader its own errors
        report.add("unreadable", f, None, f"cannot be read ({type(exc).__name__}: {str(exc)[:160]}).",
                   "Export the file again as UTF-8 CSV, XLSX or Parquet.")
        raise AnswersError(report) from None
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        report.add("column-missing", f, ", ".join(missing), "required columns are missing.",
                   f"The answers schema is: {', '.join(REQUIRED)} (+ optional {', '.join(OPTIONAL)}).")
        raise AnswersError(report)
    frame = frame.reset_index(drop=True)
    _check_values(frame, f, report)
    if not report.valid:
        raise AnswersError(report)
    summary = AnswersSummary(rows=len(frame), respondents=int(frame["respondent_id"].nunique()))
    no_answer = frame["answer"].isna()
    if no_answer.any():
        summary.dropped["no answer (empty or 'don't know'): not counted in any figure"] = int(no_answer.sum())
    if "weight" not in frame and frame["district_code"].nunique() > 1:
        summary.warnings.append(
            "no weight column: every respondent counts the same, so a district of 30,000 adults weighs as much "
            "as one of 300,000 in province and national figures. Give each respondent's weight (adults represented) "
            "if the sample is not self-weighting; the release records that no weights were given.")
    return frame, summary


def _check_values(frame: pd.DataFrame, f: str, report: Report) -> None:
    key = ["respondent_id", "service", "question_id"]
    year = pd.to_numeric(frame["year"], errors="coerce")
    bad = year.isna() | (year < C.FIRST_YEAR) | (year > 2100)
    if bad.any():
        report.add("year", f, "year", "years that are not a survey year.", "Write the year as a number, e.g. 2024.",
                   _rows(frame, bad, key + ["year"]))
    frame["year"] = year.fillna(0).astype("int16")
    if "geo_version" not in frame or frame["geo_version"].isna().all():
        frame["geo_version"] = np.where(frame["year"] >= C.VN34_FIRST_YEAR, "vn34", "vn63")
    answer = pd.to_numeric(frame["answer"], errors="coerce")
    bad = frame["answer"].notna() & (answer.isna() | ~answer.isin([1, 2, 3, 4, 5]))
    if bad.any():
        report.add("answer-range", f, "answer", "answers outside the 1–5 scale.",
                   "Answers are whole numbers 1–5; leave 'don't know' empty.", _rows(frame, bad, key + ["answer"]))
    frame["answer"] = answer.where(answer.isin([1, 2, 3, 4, 5]))
    if "weight" in frame:
        weight = pd.to_numeric(frame["weight"], errors="coerce")
        bad = weight.isna() | (weight <= 0)
        if bad.any():
            report.add("weight", f, "weight", "weights must be positive numbers.", "Fix or remove the weight column.",
                       _rows(frame, bad, key + ["weight"]))
        frame["weight"] = weight
    bad = ~frame["service"].isin(C.SERVICES)
    if bad.any():
        report.add("service", f, "service", "unknown services.", f"Use one of: {', '.join(C.SERVICES)}.",
                   _rows(frame, bad, key))
    allowed = {(s, c[0]) for s, crits in CRITERIA.items() for c in crits} | {(s, C.INDEX) for s in C.SERVICES}
    bad = frame["service"].isin(C.SERVICES) & ~pd.Series(
        [(s, q) in allowed for s, q in zip(frame["service"], frame["question_id"])], index=frame.index)
    if bad.any():
        report.add("question", f, "question_id", "question ids that are not a criterion of their service.",
                   "Use the criterion ids of indicators.parquet (e.g. admin: access, procedures, ...).",
                   _rows(frame, bad, key))
    _check_geography(frame, f, report)
    if report.valid:
        _check_design(frame, f, report)
    per_respondent = frame.groupby("respondent_id")[["year", "commune_code"]].nunique()
    twice = per_respondent[(per_respondent > 1).any(axis=1)].index
    bad = frame["respondent_id"].isin(twice)
    if bad.any():
        report.add("duplicate-respondent", f, "respondent_id",
                   f"{len(twice)} respondent id(s) appear in more than one commune or year.",
                   "Give every respondent a unique id.", _rows(frame, bad, ["respondent_id", "year", "commune_code"]))


def _check_geography(frame: pd.DataFrame, f: str, report: Report) -> None:
    key = ["respondent_id", "province_code", "district_code", "commune_code"]
    bad = ~frame["geo_version"].isin(C.GEO_VERSIONS)
    if bad.any():
        report.add("geo-version", f, "geo_version", "unknown geo versions.", "Use vn63 or vn34.",
                   _rows(frame, bad, key + ["geo_version"]))
        return
    for geo, part in frame.groupby("geo_version"):
        provinces = set(official_units.provinces(geo)["unit_code"])
        bad = ~part["province_code"].isin(provinces)
        if bad.any():
            report.add("unknown-code", f, "province_code", f"province codes unknown in {geo}.",
                       "Use GSO codes with leading zeros ('01'); after July 2025 use the 34 new codes.",
                       _rows(frame, bad.reindex(frame.index, fill_value=False), key))
        if geo == "vn63":
            districts = official_units.districts_vn63().set_index("unit_code")["parent_code"]
            communes = official_units.communes_vn63().set_index("unit_code")["district_code"]
            bad = part["district_code"].map(districts) != part["province_code"]
            if bad.any():
                report.add("district-outside-province", f, "district_code",
                           "districts unknown or not in the given province.", "Check the district code.",
                           _rows(frame, bad.reindex(frame.index, fill_value=False), key))
            bad = part["commune_code"].map(communes) != part["district_code"]
        else:
            communes = official_units.communes_vn34().set_index("unit_code")["province_code"]
            bad = part["commune_code"].map(communes) != part["province_code"]
        if bad.any():
            report.add("commune-outside-district", f, "commune_code",
                       "communes unknown or not in the given district (province after 2025).",
                       "Check the commune code against the official list.",
                       _rows(frame, bad.reindex(frame.index, fill_value=False), key))


def _check_design(frame: pd.DataFrame, f: str, report: Report) -> None:
    """The declared design (stratum, psu, fpc) or the default one must be usable for variances."""
    given = [c for c in ("stratum", "psu") if c in frame]
    if len(given) == 1 or (given and frame[given].isna().any(axis=None) and frame[given].notna().any(axis=None)):
        report.add("design-columns", f, ", ".join(given), "the design is declared on some rows or by one column only.",
                   "Give both `stratum` and `psu` on every row (or neither: strata = districts, PSUs = communes).")
        return
    key = ["respondent_id", "year", "province_code", "district_code", "commune_code"]
    work = frame.copy()
    if given and work["stratum"].notna().all():
        stratum_name, psu_name = "stratum", "PSU"
    else:
        has_district = work["district_code"].notna() & (work["geo_version"] == "vn63")
        work["stratum"] = np.where(has_district, work["district_code"], work["province_code"])
        work["psu"] = work["commune_code"]
        stratum_name, psu_name = "district (default stratum)", "commune (default PSU)"
    psus = work.drop_duplicates(["year", "stratum", "psu", "province_code"])
    twice = psus.groupby(["year", "psu"])["stratum"].transform("nunique") > 1
    if twice.any():
        bad = work.set_index(["year", "psu"]).index.isin(psus.loc[twice].set_index(["year", "psu"]).index)
        report.add("psu-in-two-strata", f, "psu", "PSUs that appear in more than one stratum in the same year.",
                   "A PSU is sampled within one stratum: give it one stratum code, or give the two parts different PSU codes.",
                   _rows(frame, pd.Series(bad, index=frame.index), key + ["stratum", "psu"]))
    spread = psus.groupby(["year", "psu"])["province_code"].transform("nunique") > 1
    if spread.any():
        bad = work.set_index(["year", "psu"]).index.isin(psus.loc[spread].set_index(["year", "psu"]).index)
        report.add("psu-in-two-provinces", f, "psu", "PSUs whose respondents live in more than one province.",
                   "A PSU is a place (a commune, a district) inside one province: check the psu or province codes.",
                   _rows(frame, pd.Series(bad, index=frame.index), key + ["psu"]))
    moved = work.groupby("respondent_id")["psu"].transform("nunique") > 1
    if moved.any():
        report.add("respondent-in-two-psus", f, "psu", "respondents with answers in more than one PSU.",
                   "Every respondent belongs to one PSU: check the psu column of their rows.", _rows(frame, moved, key + ["psu"]))
    sizes = work.drop_duplicates(["year", "stratum", "psu"]).groupby(["year", "stratum"])["psu"].transform("size")
    lonely = work.drop_duplicates(["year", "stratum", "psu"])[sizes == 1]
    if len(lonely):
        bad = work.set_index(["year", "stratum"]).index.isin(lonely.set_index(["year", "stratum"]).index)
        report.add("single-psu-stratum", f, "stratum",
                   f"{len(lonely)} {stratum_name}(s) with a single {psu_name} in the sample: their variance cannot be "
                   "estimated, and leaving them out would understate every interval that includes them.",
                   "Sample a second PSU there, or collapse the stratum with a similar one of the same province "
                   "(declare `stratum` and `psu` columns giving both the same stratum code).",
                   _rows(frame, pd.Series(bad, index=frame.index), key + [c for c in ("stratum", "psu") if c in frame]))
    if "fpc" in frame:
        _check_fpc(frame, work, f, report, key)


def _check_fpc(frame: pd.DataFrame, work: pd.DataFrame, f: str, report: Report, key: list[str]) -> None:
    fpc = pd.to_numeric(frame["fpc"], errors="coerce")
    sampled = work.groupby(["year", "stratum"])["psu"].transform("nunique")
    varies = fpc.groupby([work["year"], work["stratum"]]).transform("nunique") > 1
    bad = fpc.isna() | (fpc < sampled) | varies
    if bad.any():
        report.add("fpc", f, "fpc", "fpc must be the number of PSUs in the stratum's population: a number, the same "
                   "on every row of a stratum, and at least the number of PSUs sampled there.",
                   "Fix the fpc values, or remove the column (then no finite-population correction is made).",
                   _rows(frame, bad, key + ["fpc"]))
    frame["fpc"] = fpc
