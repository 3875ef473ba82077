"""Load a release (local folder or http(s) URL) into typed frames.

`open_release` refuses, with validate's own report, anything validate would refuse. After that,
reads are narrow: only the columns and rows a view asks for (pyarrow predicate push-down), so a
page never loads the whole table to show one year of one service.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from dashboard.release import contract as C
from dashboard.release.fetch import ReleaseSourceError, fetch_release
from dashboard.release.validate import Report, validate_release

_NULLABLE_INTS = {pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}


class ReleaseInvalid(Exception):
    """The release breaks the contract; `report` lists every problem."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.format_text())
        self.report = report


@dataclass(frozen=True)
class Release:
    """A validated release: where its files are and what its descriptor says."""

    origin: str
    folder: Path
    descriptor: dict = field(repr=False)

    @property
    def id(self) -> str:
        return self.descriptor["id"]

    @property
    def demo(self) -> bool:
        return bool(self.descriptor["demo"])

    @property
    def data_as_of(self) -> str:
        return self.descriptor["data_as_of"]

    @property
    def published(self) -> str:
        return self.descriptor["published"]

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    def title(self, lang: str) -> str:
        return self.descriptor["title_en"] if lang == "en" else self.descriptor["title"]

    @property
    def sources(self) -> dict[str, dict]:
        return {s["id"]: s for s in self.descriptor.get("sources", [])}

    def path_of(self, table: str) -> Path:
        return self.folder / C.TABLES[table].path


def open_release(source: str | Path) -> Release:
    """Validate and open a release; raise `ReleaseInvalid` (with the full report) if it is broken.

    A URL release is downloaded once, then validated from the local copy."""
    try:
        folder = fetch_release(source)
    except ReleaseSourceError:
        raise ReleaseInvalid(validate_release(source)) from None  # the report says why it is unreachable
    report = validate_release(folder)
    report.source = str(source)
    if not report.valid:
        raise ReleaseInvalid(report)
    descriptor = json.loads((folder / C.DATAPACKAGE).read_text(encoding="utf-8"))
    return Release(origin=str(source), folder=folder, descriptor=descriptor)


def _filter_expression(filters: dict) -> ds.Expression | None:
    expr = None
    for column, wanted in filters.items():
        if wanted is None:
            continue
        values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        term = ds.field(column).isin(values)
        expr = term if expr is None else expr & term
    return expr


def read_table(path: Path, columns: list[str] | None = None, **filters) -> pd.DataFrame:
    """Read selected columns and rows of a Parquet table, keeping nullable integers as integers."""
    dataset = ds.dataset(path, format="parquet")
    table = dataset.to_table(columns=columns, filter=_filter_expression(filters))
    return table.to_pandas(types_mapper=_NULLABLE_INTS.get)


def load_results(release: Release, columns: list[str] | None = None, **filters) -> pd.DataFrame:
    """Figures of a release, e.g. `load_results(r, year=2024, service=["admin"], level="province")`."""
    return read_table(release.path_of("results"), columns, **filters)


def load_table(release: Release, name: str, columns: list[str] | None = None, **filters) -> pd.DataFrame:
    """Rows of any table of the contract; an optional table the release lacks reads as empty."""
    path = release.path_of(name)
    if not path.is_file():
        schema = C.TABLES[name].schema
        return schema.empty_table().select(columns or schema.names).to_pandas(types_mapper=_NULLABLE_INTS.get)
    return read_table(path, columns, **filters)


def load_indicators(release: Release) -> pd.DataFrame:
    return read_table(release.path_of("indicators")).sort_values(["service", "sort_order"], ignore_index=True)


def load_notes(release: Release) -> pd.DataFrame:
    """Notes from the descriptor and from notes.parquet, in one frame with every scope column."""
    frames = [pd.DataFrame(release.descriptor.get("notes", []))]
    if release.path_of("notes").is_file():
        frames.append(read_table(release.path_of("notes")))
    notes = pd.concat(frames, ignore_index=True)
    columns = C.NOTES_SCHEMA.names + [f.name for f in C.NOTES_OPTIONAL_FIELDS]
    for column in columns:
        if column not in notes:
            notes[column] = None
    return notes[columns]


def load_surveys(release: Release) -> dict[str, dict]:
    """survey_id -> the survey's entry in the descriptor (v1.1 `surveys`; empty when absent)."""
    return {s["id"]: s for s in release.descriptor.get("surveys", []) if isinstance(s, dict) and "id" in s}
