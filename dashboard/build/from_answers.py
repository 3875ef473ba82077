"""`build`: survey answers -> a complete release that passes `validate`.

The answers are checked first (dashboard.build.answers); any problem stops the build with the full
report and nothing is written. Figures come from the same estimator as the DEMO release.
No microdata is ever written to the release.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import paths
from dashboard.build.answers import AnswersError, AnswersSummary, check_answers
from dashboard.release.catalogue import indicator_table
from dashboard.release.write import ReleaseWriteError, write_release
from dashboard.stats.release_tables import statistics_tables, survey_design

SOURCE_ID = "survey"


def build_release(answers_path: Path, out: Path, *, year: int | None = None, release_id: str | None = None,
                  source_title: str = "", source_url: str | None = None, demo: bool = False,
                  today: date | None = None) -> tuple[Path, AnswersSummary]:
    """Check the answers, compute every figure, write the release. Returns (path, what was read)."""
    answers, summary = check_answers(answers_path)
    if year is not None:
        answers = answers[answers["year"] == year]
    vn34 = answers["geo_version"] == "vn34"
    answers.loc[vn34, "district_code"] = None  # no district level after the 2025 reform
    from dashboard.geo import official_units

    covers_country = all(set(official_units.provinces(g)["unit_code"]) <= set(part["province_code"])
                         for g, part in answers.groupby("geo_version"))
    crosswalk = pd.read_parquet(paths.GEODATA_DIR / "crosswalk_vn63_vn34.parquet")
    tables, designs = statistics_tables(answers, SOURCE_ID, crosswalk, national=covers_country)
    results = tables.pop("results")
    day = (today or date.today()).isoformat()
    years = sorted(int(y) for y in answers["year"].unique())
    rid = release_id or f"survey-{years[0]}" + (f"-{years[-1]}" if len(years) > 1 else "")
    source = {"id": SOURCE_ID, "title": source_title or f"Survey answers: {answers_path.name}"}
    if source_url:
        source["path"] = source_url
    meta = {
        "id": rid, "name": rid,
        "title": f"Kết quả khảo sát sự hài lòng {', '.join(map(str, years))}",
        "title_en": f"Satisfaction survey results {', '.join(map(str, years))}",
        "version": "1.0.0", "published": day, "data_as_of": day, "demo": demo,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [source],
        "build": {"answers_rows": summary.rows, "respondents": summary.respondents, "dropped": summary.dropped},
        "survey_design": survey_design(designs, weighted="weight" in answers),
    }
    return write_release(out, meta, results, indicator_table(), statistics=tables), summary


def run_build_command(answers: Path, out: Path, year: int | None, release_id: str | None,
                      source_title: str, source_url: str | None, demo: bool = False) -> int:
    try:
        path, summary = build_release(answers, out, year=year, release_id=release_id,
                                      source_title=source_title, source_url=source_url, demo=demo)
    except AnswersError as exc:
        print(f"The answers file has problems; no release was written.\n{exc}", file=sys.stderr)
        return 1
    except ReleaseWriteError as exc:
        print(f"The computed release did not pass validation; nothing was replaced.\n{exc}", file=sys.stderr)
        return 1
    for reason, count in summary.dropped.items():
        print(f"left out: {count} rows, {reason}")
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote release to {path}")
    return 0
