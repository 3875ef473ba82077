"""Showing tables of figures on a page."""
from __future__ import annotations

import pandas as pd

from dashboard.content.tables import value_table
from dashboard.ui import components
from dashboard.ui.components import Context


def show_values(ctx: Context, values: pd.DataFrame, with_units: pd.DataFrame | None = None,
                extra: tuple[str, ...] = (), ranks: pd.DataFrame | None = None) -> None:
    """A table of figures; with `ranks` (published_ranks rows of the same figures) the rank each
    source published, said in words beside the value (never turned into a value)."""
    sources = None if ctx.demo else ctx.release.sources
    table = value_table(values, ctx.name, ctx.lang, units=with_units, sources=sources, extra=extra, ranks=ranks)
    components.show_table(table, height=min(38 * (len(table) + 1), 500) if len(table) > 3 else None)
