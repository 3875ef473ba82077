"""The data page's content: which tables a release has, the current selection, stable addresses."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dashboard.release import contract as C

if TYPE_CHECKING:  # a type only: content sits below exports
    from dashboard.exports.static_files import StableFile

SELECTION_FILTERS: tuple[str, ...] = ("year", "service", "indicator", "level", "geo_version")


def release_tables(release) -> list[str]:
    """Tables of a `loaders.Release`, in contract order: required ones, then optional ones it has."""
    names = []
    for name, spec in C.TABLES.items():
        has_file = (release.folder / spec.path).is_file()
        if spec.required or has_file or (name == "notes" and release.descriptor.get("notes")):
            names.append(name)
    return names


def selection_filters(params: dict[str, str]) -> dict[str, object]:
    """The URL's choices as filters on results (geo -> geo_version; a non-numeric year is ignored)."""
    wanted = {"geo_version" if k == "geo" else k: v for k, v in params.items()
              if (k == "geo" or k in SELECTION_FILTERS) and v}
    if "year" in wanted:
        if str(wanted["year"]).isdigit():
            wanted["year"] = int(wanted["year"])
        else:
            wanted.pop("year")
    return wanted


def select_rows(results: pd.DataFrame, filters: dict[str, object]) -> pd.DataFrame:
    rows = results
    for column, value in filters.items():
        if column in rows:
            rows = rows[rows[column] == value]
    return rows


def stable_links_markdown(pairs: list[tuple[StableFile, str]], lang: str) -> str:
    """A markdown list: one line per table, one link per format (our own addresses, not data).

    A list, not a table: its lines wrap on a 360 px phone, where a five-column table would not.
    """
    rows: dict[str, list[str]] = {}
    for item, url in pairs:
        label = item.file_name if item.table == "datapackage" else item.fmt.upper()
        rows.setdefault(item.table, []).append(f"[{label}]({url})")
    return "\n".join(f"- **{table}**: " + " · ".join(links) for table, links in rows.items())


def preview_rows(rows: pd.DataFrame, n: int = 200) -> pd.DataFrame:
    """The first `n` rows of a selection, for a preview on screen."""
    return rows.head(n)
