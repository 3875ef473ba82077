"""Data: every table of the release as CSV (UTF-8 BOM), XLSX and Parquet, and datapackage.json."""
import json
from functools import partial

import streamlit as st

from dashboard.contract import DATAPACKAGE
from dashboard.i18n import fmt_int, t
from dashboard.ui import cached, components, frame, state
from dashboard.views.exports import FORMATS, release_table_bytes, to_format
from dashboard.views.tables import value_table

ctx = frame.context()
lang = ctx.lang
release = ctx.release
folder = str(release.folder)
st.header(t("dl.title", lang))
st.markdown(t("dl.intro", lang))
st.caption(t("dl.stable", lang, release=components.md_escape(release.id)))


def buttons(table: str, data_for, rows: int, prefix: str) -> None:
    """One download button per format; the bytes are made only when someone clicks."""
    st.caption(t("dl.rows", lang, rows=fmt_int(rows, lang)))
    cols = st.columns(len(FORMATS))
    for col, (fmt, (mime, ext)) in zip(cols, FORMATS.items()):
        col.download_button(f"{ext.upper()}", data=data_for(fmt), file_name=f"{release.id}-{prefix}.{ext}",
                            mime=mime, on_click="ignore", key=f"dl_{prefix}_{fmt}", icon=":material/download:")


# The current selection: the choices carried in the URL (year, service, level, unit).
filters = {k: state.get(k) for k in ("year", "service", "indicator", "level") if state.get(k)}
if "year" in filters and filters["year"].isdigit():
    filters["year"] = int(filters["year"])
else:
    filters.pop("year", None)
whole = cached.results(ctx.source)
current = whole
for column, value in filters.items():
    current = current[current[column] == value]

st.subheader(t("dl.table", lang, table="results"))
st.markdown(f"**{t('dl.filtered', lang)}** " + components.md_escape(", ".join(f"{k}={v}" for k, v in filters.items()) or "–"))
buttons("results", lambda fmt: partial(to_format, current, fmt, "results"), len(current), "results-selection")
with st.expander(t("dl.preview", lang)):
    components.show_table(value_table(current.head(200), ctx.name, lang,
                                      extra=("year", "service", "indicator")), height=300)
st.markdown(f"**{t('dl.whole', lang)}**")
buttons("results", lambda fmt: partial(release_table_bytes, folder, "results", fmt), len(whole), "results")

for table, frame_ in (("indicators", cached.indicators(ctx.source)), ("notes", cached.notes(ctx.source))):
    st.subheader(t("dl.table", lang, table=table))
    buttons(table, lambda fmt, table=table: partial(release_table_bytes, folder, table, fmt), len(frame_), table)

st.subheader(t("dl.descriptor", lang))
descriptor = json.dumps(release.descriptor, ensure_ascii=False, indent=2).encode("utf-8")
st.download_button(DATAPACKAGE, descriptor, file_name=f"{release.id}-{DATAPACKAGE}", mime="application/json",
                   on_click="ignore", key="dl_descriptor", icon=":material/download:")
components.render_source_line(ctx, current)
