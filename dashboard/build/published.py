"""`real`: the release of figures that were actually published, from the source files.

Nothing is estimated. The figures come from one or more CSV files (`data/sources/published/`
by default; see `published_sources` for the format), merged; each figure keeps the address
where it was seen and the note that came with it (one source per address and note). Ranks as
published go to `published_ranks.parquet`, with or without a value. Each survey is its own
source: a figure names its survey (the ministry's SIPAS unless a province's own survey), and the
surveys are described in the release. Notes come from the notes file, from every figure a row
marks `superseded` (a conflict note with both values and both sources) and from every
province's own survey (a caveat: not comparable with SIPAS or with other provinces' surveys).
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from dashboard import paths
from dashboard.build.published_sources import (
    KEY,
    Problems,
    PublishedSourcesError,
    read_figures,
    read_notes,
    read_surveys,
)
from dashboard.geo.units_table import read_units
from dashboard.i18n import fmt_pct
from dashboard.release.catalogue import published_indicator_table
from dashboard.release.contract import method_breaks
from dashboard.release.write import ReleaseWriteError, write_release
from dashboard.stats.changes import year_over_year

PUBLISHED_DIR = paths.SOURCES_DIR / "published"
SURVEYS_CSV = paths.SOURCES_DIR / "surveys.csv"
NOTES_CSV = paths.SOURCES_DIR / "notes.csv"
DATA_AS_OF = "2025-04-06"  # the newest announcement the published figures could include (METHOD_FACTS.md)
PUBLISHED = "2026-11-30"
CHANGELOG = [
    {"version": "1.2.0", "date": "2026-11-30",
     "text_vi": ("Thêm 57 con số và 11 thứ hạng tìm được tháng 11/2026: các tỉnh 2018–2024, chính sách của Hà Nội, "
                 "tiêu chí tiếp cận toàn quốc 2024, chính sách khám, chữa bệnh của Kon Tum 2023 và kết quả cấp huyện từ "
                 "khảo sát riêng của An Giang, Hà Nội và Cần Thơ. Thứ hạng đã công bố nằm trong bảng riêng; mỗi khảo "
                 "sát là một nguồn riêng."),
     "text_en": ("Added 57 figures and 11 ranks found in November 2026: provinces 2018–2024, Hà Nội's policy figures, "
                 "the 2024 national access criterion, Kon Tum's 2023 health-care policy item and district results of "
                 "An Giang's, Hà Nội's and Cần Thơ's own surveys. Published ranks are kept in a table of their own; "
                 "each survey is its own source.")},
    {"version": "1.1.0", "date": "2026-11-23",
     "text_vi": "Thêm chỉ số SIPAS và chỉ số hài lòng về chính sách toàn quốc năm 2024 (công bố ngày 6/4/2025).",
     "text_en": "Added the 2024 national SIPAS and policy satisfaction figures (announced 6 April 2025)."},
    {"version": "1.0.0", "date": "2026-01-15",
     "text_vi": "Bản đầu tiên: các con số 2017–2023 đã công bố dưới dạng văn bản.",
     "text_en": "First release: the figures for 2017–2023 published as text."},
]


def default_figure_files(folder: Path = PUBLISHED_DIR) -> list[Path]:
    """The committed figures files: every CSV in `data/sources/published/`, by name."""
    return sorted(folder.glob("*.csv"))


def _publisher(url: str) -> str:
    host = urlparse(url).netloc
    return host[4:] if host.startswith("www.") else host


class Sources:
    """The release's sources: one per (address, note) of a figure; a note's address reuses one."""

    def __init__(self) -> None:
        self.entries: list[dict] = []
        self._ids: dict[tuple[str, str], str] = {}

    def of(self, url: str, note: str = "") -> str:
        if (url, note) not in self._ids:
            sid = f"s{len(self.entries) + 1:02d}"
            self._ids[(url, note)] = sid
            self.entries.append({"id": sid, "title": _publisher(url), "path": url, **({"note": note} if note else {})})
        return self._ids[(url, note)]

    def of_address(self, url: str) -> str:
        for (known, _), sid in self._ids.items():
            if known == url:
                return sid
        return self.of(url)


def _said(row: dict, lang: str) -> str:
    """'77,37%' / 'rank 34' as a source gave it, in the note's language."""
    parts = []
    if row["value"] is not None:
        parts.append(fmt_pct(row["value"], lang))
    if row["rank"] is not None:
        parts.append(("hạng " if lang == "vi" else "rank ") + str(row["rank"]))
    return ", ".join(parts)


def conflict_note(old: dict, kept: dict, sources: Sources) -> dict:
    """A superseded figure as a conflict note: both values, both sources."""
    a, b = _publisher(old["source_url"]), _publisher(kept["source_url"])
    return {
        "note_id": f"conflict-{old['year']}-{old['unit_code']}-{old['service']}-{old['indicator']}", "kind": "conflict",
        **{k: old[k] for k in KEY}, "survey_id": old["survey_id"], "source_id": sources.of(old["source_url"], old["source_note"]),
        "text_vi": (f"{a} công bố {_said(old, 'vi')} cho cùng con số; bản phát hành này dùng {_said(kept, 'vi')} theo {b}, "
                    "nguồn được chọn là con số công bố. Hai con số có thể là hai cách tổng hợp khác nhau hoặc số đã hiệu chỉnh."),
        "text_en": (f"{a} gives {_said(old, 'en')} for the same figure; this release publishes {_said(kept, 'en')} from {b}, "
                    "the source chosen as the published figure. They may be different aggregates or a later revision."),
    }


def survey_note(survey: dict) -> dict:
    """The caveat every figure of a province's own survey carries."""
    return {
        "note_id": f"survey-{survey['id']}", "kind": "caveat", "survey_id": survey["id"],
        "text_vi": (f"Số liệu này lấy từ {survey['name']} ({survey['publisher']}): {survey['method']} Không so sánh "
                    "hay xếp hạng chung với SIPAS của Bộ Nội vụ hoặc với khảo sát của tỉnh khác."),
        "text_en": (f"These figures come from {survey['name_en']} ({survey['publisher_en']}): {survey['method_en']} "
                    "They are not compared or ranked with the ministry's SIPAS or with other provinces' surveys."),
    }


def build_tables(published: list[dict], superseded: list[tuple[dict, dict]], surveys: dict[str, dict],
                 file_notes: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, list[dict], list[dict]]:
    """results, published_ranks, sources and notes from the checked source rows."""
    sources = Sources()
    rows = pd.DataFrame(published)
    rows["source_id"] = [sources.of(u, n) for u, n in zip(rows["source_url"], rows["source_note"])]
    valued = rows[rows["value"].notna()]
    results = pd.DataFrame({
        **{k: valued[k] for k in KEY}, "value": valued["value"].astype(float), "ci_low": None, "ci_high": None,
        "n": None, "flag": None, "source_id": valued["source_id"], "parent_code": valued["parent_code"],
        "survey_id": valued["survey_id"],
    })
    ranked = rows[rows["rank"].notna()]
    ranks = pd.DataFrame({**{k: ranked[k] for k in KEY}, "rank": ranked["rank"].astype(int),
                          "rank_of": ranked["rank_of"].astype("Int64"), "source_id": ranked["source_id"],
                          "survey_id": ranked["survey_id"]})
    notes = []
    for note in file_notes:
        url = note.pop("_source_url", None)
        notes.append({**note, **({"source_id": sources.of_address(url)} if url else {})})
    notes += [conflict_note(old, kept, sources) for old, kept in superseded]
    used = set(rows["survey_id"])
    notes += [survey_note(s) for sid, s in surveys.items() if s.get("province_code") and sid in used]
    return results, ranks, sources.entries, notes


def real_metadata(sources: list[dict], notes: list[dict], surveys: list[dict]) -> dict:
    return {
        "id": "sipas-published",
        "name": "sipas-published",
        "title": "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS): các con số đã công bố, 2017–2024",
        "title_en": "Satisfaction with public administrative services (SIPAS): published figures, 2017–2024",
        "description": ("Các con số và thứ hạng do Bộ Nội vụ, sở nội vụ các tỉnh và báo chí công bố, mỗi con số kèm địa chỉ "
                        "nguồn và khảo sát của nó. Không có con số nào được ước tính."),
        "description_en": ("Figures and ranks published by the Ministry of Home Affairs, provincial departments and the "
                           "press, each with the address where it was seen and the survey it comes from. Nothing is "
                           "estimated."),
        "version": CHANGELOG[0]["version"],
        "published": PUBLISHED,
        "changelog": CHANGELOG,
        "data_as_of": DATA_AS_OF,
        "demo": False,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 (compilation); figures remain "
                      "the publishers' facts", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": sources,
        "surveys": surveys,
        "notes": notes,
    }


def read_sources(figure_files: list[Path], surveys_csv: Path = SURVEYS_CSV, notes_csv: Path = NOTES_CSV):
    """Every source file read and checked; raises PublishedSourcesError listing every problem."""
    problems = Problems()
    units = read_units()
    surveys = read_surveys(surveys_csv, units, problems)
    published, superseded = read_figures(figure_files, units, surveys, problems)
    notes = read_notes(notes_csv, units, surveys, problems)
    if problems:
        raise PublishedSourcesError(problems)
    return published, superseded, surveys, notes


def build_real_release(figure_files: list[Path] | None, out: Path, surveys_csv: Path = SURVEYS_CSV,
                       notes_csv: Path = NOTES_CSV) -> Path:
    """Read, check and merge the source files, then write and validate the release at `out`."""
    published, superseded, surveys, file_notes = read_sources(
        default_figure_files() if figure_files is None else list(figure_files), surveys_csv, notes_csv)
    results, ranks, sources, notes = build_tables(published, superseded, surveys, file_notes)
    used = set(results["survey_id"]) | set(ranks["survey_id"])
    described = [{k: v for k, v in s.items() if not k.startswith("_")} for sid, s in surveys.items() if sid in used]
    # Published figures have no intervals: changes carry no significance; none across a method
    # break, and none between two surveys (a province's own survey is never compared with SIPAS).
    numeric = results.astype({"ci_low": float, "ci_high": float})
    breaks = method_breaks(notes)
    changes = [year_over_year(part, breaks) for _, part in numeric.groupby("survey_id")]
    statistics = {"changes": pd.concat(changes, ignore_index=True), "published_ranks": ranks}
    return write_release(out, real_metadata(sources, notes, described), results, published_indicator_table(), None,
                         None, statistics)


def run_real_command(figure_files: list[Path] | None, out: Path, surveys_csv: Path = SURVEYS_CSV,
                     notes_csv: Path = NOTES_CSV) -> int:
    """CLI: build the real release; every problem of the sources by file and line, exit 1."""
    try:
        path = build_real_release(figure_files, out, surveys_csv, notes_csv)
    except PublishedSourcesError as exc:
        print(str(exc), file=sys.stderr)
        print("Nothing was written; the published release is unchanged.", file=sys.stderr)
        return 1
    except ReleaseWriteError as exc:
        print(f"The real release did not pass validation; nothing was replaced.\n{exc}", file=sys.stderr)
        return 1
    print(f"wrote release to {path}")
    return 0
