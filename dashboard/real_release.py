"""`real`: the release of figures that were actually published, from `sipas_published.csv`.

Nothing is estimated. Each figure keeps the address where it was seen and the note that came
with it (one source per address and note). The published rank is kept as an extra, documented
column. Known caveats become release notes tied to the figures they concern: the 2022 method
break, the conflicting 2022 policy figure (the later citation is published, the other recorded),
the two provinces both reported 38th in 2021, and Lào Cai's own district survey.
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pyarrow as pa

from dashboard.contract import method_breaks
from dashboard.indicator_catalog import indicator_table
from dashboard.release_writer import ReleaseWriteError, write_release
from dashboard.stats.changes import year_over_year

REQUIRED_COLUMNS = ["year", "geo_version", "level", "unit_code", "unit_name_vi", "service", "indicator",
                    "value", "rank", "source_url", "source_note"]
# The 2022 national policy figure appears twice; the later citation (2024, Nhân Dân) is published.
CONFLICT_KEEP = {(2022, "VN", "policy", "index"): 79.72}
DATA_AS_OF = "2025-04-06"  # the newest announcement the published figures could include (METHOD_FACTS.md)
PUBLISHED = "2026-11-23"
CHANGELOG = [
    {"version": "1.1.0", "date": "2026-11-23",
     "text_vi": "Thêm chỉ số SIPAS và chỉ số hài lòng về chính sách toàn quốc năm 2024 (công bố ngày 6/4/2025).",
     "text_en": "Added the 2024 national SIPAS and policy satisfaction figures (announced 6 April 2025)."},
    {"version": "1.0.0", "date": "2026-01-15",
     "text_vi": "Bản đầu tiên: các con số 2017–2023 đã công bố dưới dạng văn bản.",
     "text_en": "First release: the figures for 2017–2023 published as text."},
]


class PublishedFiguresError(Exception):
    """The CSV of published figures is not usable."""


def read_published_csv(path: Path) -> pd.DataFrame:
    """Read the CSV with codes kept as text and names NFC-normalised."""
    if not path.is_file():
        raise PublishedFiguresError(f"{path}: file not found. Copy shared/data/sipas_published.csv there.")
    try:
        frame = pd.read_csv(path, dtype={"unit_code": str, "source_note": str}, encoding="utf-8", keep_default_na=False,
                            na_values={"value": [""], "rank": [""]})
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise PublishedFiguresError(f"{path}: not a UTF-8 CSV ({exc}).") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise PublishedFiguresError(f"{path}: missing columns {missing}.")
    for col in ("unit_name_vi", "source_note"):
        frame[col] = frame[col].map(lambda s: unicodedata.normalize("NFC", s))
    return frame


def _publisher(url: str) -> str:
    host = urlparse(url).netloc
    return host[4:] if host.startswith("www.") else host


def build_tables(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[dict], list[dict]]:
    """Results, sources and notes from the published figures."""
    keyed = frame.assign(key=list(zip(frame["year"], frame["unit_code"], frame["service"], frame["indicator"])))
    conflicts = keyed[keyed["key"].isin(CONFLICT_KEEP)]
    dropped = conflicts[conflicts["value"] != conflicts["key"].map(CONFLICT_KEEP)]
    kept = keyed.drop(index=dropped.index)

    sources, source_of = [], {}
    for url, note in dict.fromkeys(zip(frame["source_url"], frame["source_note"])):
        sid = f"s{len(sources) + 1:02d}"
        source_of[(url, note)] = sid
        sources.append({"id": sid, "title": _publisher(url), "path": url, **({"note": note} if note else {})})

    results = pd.DataFrame({
        "year": kept["year"], "geo_version": kept["geo_version"], "level": kept["level"],
        "unit_code": kept["unit_code"], "service": kept["service"], "indicator": kept["indicator"],
        "value": kept["value"].astype(float), "ci_low": None, "ci_high": None, "n": None, "flag": None,
        "source_id": [source_of[(u, n)] for u, n in zip(kept["source_url"], kept["source_note"])],
        "parent_code": [("10" if lv == "district" else "VN" if lv == "province" else None) for lv in kept["level"]],
        "rank_published": kept["rank"].astype("Int64"),
    })
    notes = [
        {"note_id": "sipas-2022-method-break", "kind": "method_break", "year": 2022, "service": "admin",
         "text_vi": ("Từ năm 2022 SIPAS khảo sát hộ gia đình tại nơi cư trú với bộ câu hỏi mới (trước đó: người sử dụng "
                     "dịch vụ tại bộ phận một cửa). Mức giảm từ 87,16% (2021) xuống 80,08% (2022) là do thay đổi phương "
                     "pháp, không phải do sự hài lòng giảm thật. Không nối số liệu trước và sau 2022 thành một chuỗi."),
         "text_en": ("From 2022 SIPAS samples households at home with a new questionnaire (before: users met at one-stop "
                     "offices). The fall from 87.16% (2021) to 80.08% (2022) is the change of method, not a real drop. "
                     "Do not join figures before and after 2022 into one series.")},
    ]
    for _, row in dropped.iterrows():
        keep = CONFLICT_KEEP[row["key"]]
        notes.append({
            "note_id": f"conflict-{row['year']}-{row['unit_code']}-{row['service']}", "kind": "conflict",
            "year": int(row["year"]), "geo_version": row["geo_version"], "level": row["level"],
            "unit_code": row["unit_code"], "service": row["service"], "indicator": row["indicator"],
            "source_id": source_of[(row["source_url"], row["source_note"])],
            "text_vi": (f"Nguồn khác công bố {row['value']:.2f}% cho cùng chỉ số; bản này dùng {keep:.2f}% theo trích dẫn "
                        "muộn hơn. Hai con số có thể là hai cách tổng hợp khác nhau hoặc số đã hiệu chỉnh."),
            "text_en": (f"Another source gives {row['value']:.2f}% for the same figure; this release uses {keep:.2f}%, "
                        "the later citation. They may be different aggregates or a later revision."),
        })
    notes.append({
        "note_id": "rank-38-2021", "kind": "conflict", "year": 2021, "service": "admin", "indicator": "index",
        "text_vi": ("Năm 2021 cả Bà Rịa - Vũng Tàu và Đà Nẵng đều được báo chí đưa tin xếp hạng 38/63; có thể là đồng hạng "
                    "hoặc một nguồn nhầm. Giữ nguyên như đã công bố."),
        "text_en": ("In 2021 both Bà Rịa - Vũng Tàu and Đà Nẵng were reported at rank 38 of 63: a tie or an error in one "
                    "source. Both are kept as published."),
    })
    notes.append({
        "note_id": "laocai-district-survey", "kind": "caveat", "level": "district", "service": "admin",
        "text_vi": ("Số liệu cấp huyện là khảo sát riêng của tỉnh Lào Cai năm 2023 (4 tiêu chí), không phải SIPAS của "
                    "Bộ Nội vụ; không so sánh với chỉ số SIPAS cấp tỉnh."),
        "text_en": ("District figures come from Lào Cai's own 2023 survey (4 criteria), not the Ministry's SIPAS; do not "
                    "compare them with provincial SIPAS figures."),
    })
    notes.append({
        "note_id": "sipas-overall-from-2022", "kind": "caveat", "service": "admin", "indicator": "index",
        "text_vi": ("Từ năm 2022, con số 'dịch vụ hành chính công' ở đây là chỉ số SIPAS chung do Bộ Nội vụ công bố "
                    "(gồm cả hai lĩnh vực). Riêng sự hài lòng về cung ứng dịch vụ hành chính công năm 2024 là 84,09%."),
        "text_en": ("From 2022 the 'administrative services' figure here is the overall SIPAS index the Ministry "
                    "announces (both areas). Satisfaction with the delivery of administrative services alone was "
                    "84.09% in 2024."),
    })
    notes.append({
        "note_id": "sparse", "kind": "caveat",
        "text_vi": ("Bảng đủ 63 tỉnh chỉ được công bố dưới dạng ảnh; ở đây chỉ có các con số đã được công bố dưới dạng văn "
                    "bản: số liệu toàn quốc 2018–2024, một số tỉnh mỗi năm. Tỉnh không có số liệu là 'chưa công bố'."),
        "text_en": ("Full 63-province tables were published only as images; this release holds the figures published as "
                    "text: national figures for 2018–2024 and a few provinces a year. Provinces without a figure are "
                    "'not published'."),
    })
    return results, sources, notes


def real_metadata(sources: list[dict], notes: list[dict]) -> dict:
    return {
        "id": "sipas-published",
        "name": "sipas-published",
        "title": "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS): các con số đã công bố, 2017–2024",
        "title_en": "Satisfaction with public administrative services (SIPAS): published figures, 2017–2024",
        "description": ("Các con số do Bộ Nội vụ, sở nội vụ các tỉnh và báo chí công bố, mỗi con số kèm địa chỉ nguồn. "
                        "Không có con số nào được ước tính."),
        "description_en": ("Figures published by the Ministry of Home Affairs, provincial departments and the press, each "
                           "with the address where it was seen. Nothing is estimated."),
        "version": CHANGELOG[0]["version"],
        "published": PUBLISHED,
        "changelog": CHANGELOG,
        "data_as_of": DATA_AS_OF,
        "demo": False,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 (compilation); figures remain "
                      "the publishers' facts", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": sources,
        "notes": notes,
    }


def additions_path(csv: Path) -> Path:
    """Figures this project found after the shared CSV was compiled (same columns), beside it."""
    return csv.with_name(f"{csv.stem}_additions{csv.suffix}")


def read_all_published(csv: Path) -> pd.DataFrame:
    """The shared CSV plus the project's additions, if any (an addition never repeats a figure)."""
    frame = read_published_csv(csv)
    extra = additions_path(csv)
    if not extra.is_file():
        return frame
    added = read_published_csv(extra)
    key = ["year", "level", "unit_code", "service", "indicator"]
    repeated = added.merge(frame[key], on=key)
    if len(repeated):
        raise PublishedFiguresError(f"{extra}: {len(repeated)} figure(s) already in {csv.name}: "
                                    f"{repeated[key].to_dict('records')[:5]}. Remove them from the additions.")
    return pd.concat([frame, added], ignore_index=True)


def build_real_release(csv: Path, out: Path) -> Path:
    frame = read_all_published(csv)
    results, sources, notes = build_tables(frame)
    extra = [{"name": "rank_published", "type": pa.int16(), "frictionless_type": "integer",
              "description": "Rank out of 63 provinces (or within the province for districts) as published by the source, where it was published."}]
    # Published figures have no intervals: changes carry no significance; none across the 2022 break.
    numeric = results.astype({"ci_low": float, "ci_high": float})
    statistics = {"changes": year_over_year(numeric, method_breaks(notes))}
    return write_release(out, real_metadata(sources, notes), results, indicator_table(), None, extra, statistics)


def run_real_command(csv: Path, out: Path) -> int:
    try:
        path = build_real_release(csv, out)
    except PublishedFiguresError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except ReleaseWriteError as exc:
        print(f"The real release did not pass validation; nothing was replaced.\n{exc}", file=sys.stderr)
        return 1
    print(f"wrote release to {path}")
    return 0
