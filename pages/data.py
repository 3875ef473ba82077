"""Data: every table of the release (CSV with BOM, XLSX, JSON, Parquet), the selection, stable URLs."""
import json
from functools import partial

import streamlit as st

from dashboard.content.downloads import release_tables, select_rows, selection_filters, stable_links_markdown
from dashboard.content.tables import value_table
from dashboard.exports.static_files import stable_data_urls
from dashboard.exports.tables import FORMATS, release_table_bytes, to_format
from dashboard.i18n import fmt_int, t
from dashboard.release.contract import DATAPACKAGE
from dashboard.ui import cached, components, frame, state

ctx = frame.context()
lang = ctx.lang
release = ctx.release
folder = str(release.folder)
st.header(t("dl.title", lang))
components.render_lead(t("lead.data", lang))
st.markdown(t("dl.intro", lang))


def buttons(data_for, rows: int, prefix: str) -> None:
    """One download button per format; the bytes are made only when someone clicks."""
    st.caption(t("dl.rows", lang, count=rows, rows=fmt_int(rows, lang)))
    cols = st.columns(len(FORMATS))
    for col, (fmt, (mime, ext)) in zip(cols, FORMATS.items()):
        col.download_button(ext.upper(), data=data_for(fmt), file_name=f"{release.id}-{prefix}.{ext}", mime=mime,
                            on_click="ignore", key=f"dl_{prefix}_{fmt}", icon=":material/download:")


filters = selection_filters({k: state.get(k) or "" for k in ("year", "service", "indicator", "level", "geo")})
current = select_rows(cached.results(ctx.source), filters)
st.subheader(t("dl.filtered", lang))
st.caption(components.md_escape(", ".join(f"{k} = {v}" for k, v in filters.items()) or t("dl.no_filter", lang)))
if current.empty:
    st.info(t("export.nothing", lang))
else:
    buttons(lambda fmt: partial(to_format, current, fmt, "results"), len(current), "results-selection")
    with st.expander(t("dl.preview", lang)):
        components.show_table(value_table(current.head(200), ctx.name, lang, extra=("year", "service", "indicator")),
                              height=300)

st.subheader(t("dl.whole", lang))
readers = {"results": cached.results, "indicators": cached.indicators, "notes": cached.notes}
for table in release_tables(release):
    st.markdown(f"**{t('dl.table', lang, table=table)}** · {t(f'dl.about.{table}', lang)}")
    rows = len(readers[table](ctx.source) if table in readers else cached.statistics(ctx.source, table))
    buttons(lambda fmt, table=table: partial(release_table_bytes, folder, table, fmt), rows, table)

st.subheader(t("dl.descriptor", lang))
descriptor = json.dumps(release.descriptor, ensure_ascii=False, indent=2).encode("utf-8")
st.download_button(DATAPACKAGE, descriptor, file_name=f"{release.id}-{DATAPACKAGE}", mime="application/json",
                   on_click="ignore", key="dl_descriptor", icon=":material/download:")

st.subheader(t("stable.heading", lang))
st.markdown(t("stable.intro", lang))
pairs = stable_data_urls(release)
if not all(item.available for item, _ in pairs):
    st.info(t("stable.missing", lang), icon=":material/info:")
st.markdown(stable_links_markdown(pairs, lang))
components.render_source_line(ctx, current)
