"""Number columns of a table that stay numbers, with the text a reader sees beside them.

A sortable table must sort 9,50 before 85,00, so its figures stay numbers; the reader still sees
them in the language's format (Vietnamese 85,00; English 85.00). A table builder sets a column
with `set_number_column`, which records in `frame.attrs` how to write it; `number_text` gives
that text per column (the app's sortable tables format with it), and `as_text` writes the whole
table as text (an HTML table, a chart's text alternative, the light edition). Pure: no streamlit.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from dashboard.i18n import fmt_number, fmt_signed

FORMATS = "number_formats"


def set_number_column(frame: pd.DataFrame, column: str, values: Iterable, lang: str, decimals: int = 2,
                      missing: str = "–", signed: bool = False) -> None:
    """`frame[column] = values` as numbers (NaN: `missing`), written in `lang` with `decimals`."""
    numbers = [float("nan") if v is None or pd.isna(v) else float(v) for v in values]
    frame[column] = pd.Series(numbers, index=frame.index, dtype="float64")
    formats = dict(frame.attrs.get(FORMATS, {}))
    formats[column] = (lang, decimals, missing, signed)
    frame.attrs[FORMATS] = formats


def _writer(lang: str, decimals: int, missing: str, signed: bool) -> Callable[[object], str]:
    def write(value) -> str:
        if value is None or pd.isna(value):
            return missing
        return fmt_signed(value, lang, decimals) if signed else fmt_number(value, lang, decimals)
    return write


def number_text(frame: pd.DataFrame) -> dict[str, Callable[[object], str]]:
    """column -> the function writing its numbers as the reader sees them (columns still present)."""
    return {column: _writer(*spec) for column, spec in frame.attrs.get(FORMATS, {}).items() if column in frame}


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its number columns written as text (a table nobody sorts)."""
    writers = number_text(frame)
    if not writers:
        return frame
    out = frame.copy()
    for column, write in writers.items():
        out[column] = [write(v) for v in frame[column]]
    out.attrs = {}
    return out
