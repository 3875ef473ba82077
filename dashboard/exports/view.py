"""One exportable view: the figure, the exact figures behind it, and where it came from.

Pages build an `ExportView`; the download bar, the story pack and the static edition turn it into
files. File names come from `name` made ASCII (diacritics dropped, spaces to dashes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.exports.stamp import ExportStamp, stamp_for_export
from dashboard.exports.tables import require_rows
from dashboard.text import slugify


def file_stem(name: str, default: str = "chart") -> str:
    """An ASCII file name stem: 'Đắk Lắk – 2024' -> 'dak-lak-2024' (at most 80 characters)."""
    return slugify(name, max_length=80, default=default)


@dataclass(frozen=True)
class ExportView:
    """What one chart or map exports. `release` is a `loaders.Release`."""

    figure: go.Figure | None
    data: pd.DataFrame
    name: str
    lang: str
    release: object
    permalink: str = ""
    notes: tuple[str, ...] = ()
    accessed: date | None = None
    source: str = ""  # the source line, drawn into the image if the figure lacks it
    extra: dict = field(default_factory=dict)  # free-form facts for README (e.g. {"page": "map"})

    @property
    def stem(self) -> str:
        return file_stem(self.name)

    def rows(self) -> pd.DataFrame:
        """The data, or `NothingToExport` when the view is empty."""
        return require_rows(self.data, f"the view {self.name!r}")

    def stamp(self) -> ExportStamp:
        return ExportStamp.for_release(self.release, self.lang, permalink=self.permalink, source=self.source)

    def export_figure(self) -> go.Figure:
        """The figure as it is exported: a stamped copy at the export width."""
        if self.figure is None:
            raise ValueError("this view has no figure")
        return stamp_for_export(self.figure, self.stamp())
