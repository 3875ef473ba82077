"""Pieces every page uses: header, DEMO notice, notes, source line, footer, chart display."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import streamlit as st

from dashboard.content.number_columns import as_text, number_text
from dashboard.figures.charts import Caption
from dashboard.geo.attribution import boundary_attribution
from dashboard.i18n import fmt_date, t
from dashboard.release import read as loaders
from dashboard.release.contract import NOTE_SCOPE_COLUMNS
from dashboard.text import md_escape
from dashboard.ui import cached, state

_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")


def safe_link(title, url) -> str:
    """A markdown link from data: escaped title, and only a plain http(s) URL (its parentheses
    percent-encoded, the same address, so they cannot end the markdown link early)."""
    url = str(url or "").replace("(", "%28").replace(")", "%29")
    if not _URL.fullmatch(url):
        return md_escape(title)
    return f"[{md_escape(title)}]({url})"


@dataclass(frozen=True)
class Context:
    """What a page needs from the frame: language, the open release and where it came from."""

    lang: str
    release: loaders.Release
    source: str
    embed: bool
    lite: bool = False  # ?lite=true: tables and sentences instead of interactive charts and maps

    @property
    def demo(self) -> bool:
        return self.release.demo

    @cached_property
    def _names(self) -> dict[tuple[str, str], str]:
        # Looked up once per run: a call to the cached function costs more than the lookup itself
        # (Streamlit hashes its arguments), and a picker of 700 districts names every one of them.
        return cached.names()

    @cached_property
    def surveys(self) -> dict[str, dict]:
        """survey_id -> the release's description of that survey (empty for releases without)."""
        return loaders.load_surveys(self.release)

    def name(self, geo_version: str, code: str) -> str:
        from dashboard.content.units import unit_name

        return unit_name(self._names, geo_version, code, self.lang)


def render_state_notes() -> None:
    for message in state.pending_notes():
        st.info(message, icon=":material/info:")


def render_demo_notice(ctx: Context, short: bool = False) -> None:
    """The DEMO notice every page of a synthetic release carries (`short`: one line, for phones)."""
    if ctx.demo:
        st.warning(t("frame.demo_notice_short" if short else "frame.demo_notice", ctx.lang), icon=":material/warning:")


def render_release_line(ctx: Context, short: bool = False) -> None:
    """Which release the page shows and how fresh it is (`short`: version and date, for phones)."""
    r = ctx.release
    key = "frame.release_line_short" if short else "frame.release_line"
    st.caption(t(key, ctx.lang, title=md_escape(r.title(ctx.lang)), version=md_escape(r.version),
                 as_of=fmt_date(r.data_as_of, ctx.lang)), width="content")


def render_source_line(ctx: Context, frame: pd.DataFrame | None) -> None:
    """Where the figures just shown come from: source titles with links, or the DEMO notice; and,
    where some of their intervals come from a shared design effect, a word saying so."""
    if frame is not None and "ci_method" in frame and frame["ci_method"].eq("pooled").any():
        st.caption(t("interval.pooled_note", ctx.lang))
    if ctx.demo:
        st.caption("**DEMO** · " + t("source_line_demo", ctx.lang))
        return
    if frame is None or frame.empty or "source_id" not in frame:
        return
    sources = ctx.release.sources
    links = []
    for sid in sorted(frame["source_id"].dropna().unique()):
        s = sources.get(sid)
        if s:
            links.append(safe_link(s.get("title", sid), s.get("path")))
    unique = list(dict.fromkeys(links))
    if unique:
        st.caption(t("source_line", ctx.lang, sources=" · ".join(unique)))
    own = own_surveys(ctx, frame)
    if own:
        st.caption(t("source_line_surveys", ctx.lang, surveys=" · ".join(md_escape(s) for s in own)))


def own_surveys(ctx: Context, frame: pd.DataFrame) -> list[str]:
    """'Name (publisher)' of every province's own survey among the figures of `frame`: each survey
    is its own source and is named wherever its figures appear."""
    if "survey_id" not in frame:
        return []
    out = []
    for sid in sorted(frame["survey_id"].dropna().unique()):
        survey = ctx.surveys.get(sid, {})
        if survey.get("province_code"):
            en = ctx.lang == "en"
            name, publisher = survey.get("name_en" if en else "name", sid), survey.get("publisher_en" if en else "publisher", "")
            out.append(f"{name} ({publisher})")
    return out


def matching_notes(notes: pd.DataFrame, frame: pd.DataFrame | None) -> pd.DataFrame:
    """Notes whose scope (null = any) matches at least one figure of `frame`."""
    if notes.empty:
        return notes
    if frame is None or frame.empty:
        return notes.iloc[0:0]
    # Each scope column is factorised once (a comparison of integer codes per note, not of
    # strings: this ran on every chart of every rerun).
    coded: dict[str, tuple] = {}

    def matches(column: str, value):
        if column not in coded:
            codes, uniques = pd.factorize(frame[column])
            lookup = {(int(u) if column == "year" else str(u)): i for i, u in enumerate(uniques)}
            coded[column] = (codes, lookup)
        codes, lookup = coded[column]
        return codes == lookup.get(int(value) if column == "year" else str(value), -2)

    keep = []
    for _, n in notes.iterrows():
        mask = True
        for column in NOTE_SCOPE_COLUMNS:
            value = n.get(column)
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
                continue
            if column not in frame:  # a note about a survey, beside figures that name none
                mask = False
                break
            mask = mask & matches(column, value)
        keep.append(mask if isinstance(mask, bool) else bool(mask.any()))
    return notes[keep]


def render_notes(ctx: Context, frame: pd.DataFrame | None) -> None:
    """The release's notes (method breaks, conflicts, caveats) that concern the figures shown."""
    relevant = matching_notes(cached.notes(ctx.source), frame)
    if relevant.empty:
        return
    column = "text_en" if ctx.lang == "en" else "text_vi"
    with st.expander(t("notes.title", ctx.lang) + f" ({len(relevant)})", expanded=True):
        for text in relevant[column]:
            st.markdown("- " + md_escape(text))


def render_footer(ctx: Context, methodology_page, light_url: str | None = None) -> None:
    """Dates, sources, licence, boundary attribution, and where the light edition lives."""
    r = ctx.release
    st.divider()
    lines = [t("footer.published", ctx.lang, published=fmt_date(r.published, ctx.lang),
               as_of=fmt_date(r.data_as_of, ctx.lang))]
    if ctx.demo:
        lines.append(t("footer.demo_source", ctx.lang))
    else:
        lines.append(t("footer.sources_count", ctx.lang, count=len(r.sources)))
    licences = [safe_link(lic.get("title") or lic.get("name"), lic.get("path"))
                for lic in r.descriptor.get("licenses", [])]
    lines.append(f"{t('footer.licence', ctx.lang)}: " + "; ".join(licences))
    lines.append(boundary_attribution(ctx.lang))  # our own constant (not data): its URL may stay a link
    if light_url:  # an address we made (static_site.app_addresses), not data
        lines.append(t("footer.light", ctx.lang, url=light_url))
    st.caption("  \n".join(lines))
    if methodology_page is not None:
        st.page_link(methodology_page, label=t("footer.method", ctx.lang), icon=":material/menu_book:",
                     query_params=state.carried_params())


def chart_source(ctx: Context) -> str:
    """The source line baked into every chart: release title and data-as-of date (DEMO marked)."""
    title = ctx.release.title(ctx.lang)
    if ctx.demo and "DEMO" not in title:
        title = "DEMO – " + title
    return t("chart.source", ctx.lang, title=title, as_of=fmt_date(ctx.release.data_as_of, ctx.lang))


def on_phone() -> bool:
    """A phone's browser (by its User-Agent): charts get captions and maps that fit 360 px."""
    headers = st.context.headers
    agent = headers.get("User-Agent", "") if headers else ""
    return any(word in agent for word in ("Mobi", "Android", "iPhone"))


def caption(ctx: Context, title: str, subtitle: str = "", source: str | None = None, narrow: bool = False) -> Caption:
    """The text baked into a chart: title, subtitle and the release's source line, wrapped to fit
    a phone or a `narrow` column."""
    return Caption(title, subtitle, chart_source(ctx) if source is None else source,
                   wrap=48 if narrow or on_phone() else 90)


PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "svg", "filename": "satisfaction-chart", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


GLOSSARY: tuple[str, ...] = ("satisfied", "interval", "significant", "clearly", "rank_range", "pooled", "low_n",
                             "harmonised")


def render_terms(lang: str, terms: tuple[str, ...] = GLOSSARY) -> None:
    """Plain explanations of the statistical words the page uses (khoảng tin cậy, ...)."""
    with st.expander(t("terms.title", lang), icon=":material/help:"):
        for term in terms:
            st.markdown(f"- {t(f'terms.{term}', lang)}")


_LEADS = "_leads_shown"


def render_lead(sentence: str) -> None:
    """The page's one-sentence answer, before any chart (plain words, in bold).

    The first one of a run is keyed `page_lead` (CSS class `st-key-page_lead`): the browser tests
    and the phone benchmark find the page's answer by it."""
    leads = st.session_state.setdefault(_LEADS, set())
    if leads:
        st.markdown(f"**{md_escape(sentence)}**")
    else:
        with st.container(key="page_lead"):
            st.markdown(f"**{md_escape(sentence)}**")
    leads.add(sentence)


def lead_shown(sentence: str) -> bool:
    """True when this run already showed `sentence` as a page's lead (not to be said twice)."""
    return sentence in st.session_state.get(_LEADS, set())


def forget_leads() -> None:
    st.session_state[_LEADS] = set()


def show_figure(fig, key: str | None = None, clickable: bool = False, lang: str = "vi",
                alt: str | None = None, table: pd.DataFrame | None = None):
    """A plotly figure with its own template (so exports look as seen) and SVG download.

    `alt` (a sentence) and `table` (the numbers drawn) are the chart's text alternative, under it
    in an expander a keyboard or screen-reader user can open. `clickable`: clicking a point (a
    map's area) reruns the page; returns the selection event.
    """
    kwargs = {"on_select": "rerun", "selection_mode": "points"} if clickable else {}
    # On a phone Plotly's toolbar stays shown and covers the chart's title; the download bar
    # under every chart does what it offers, and fingers pinch and drag the chart.
    config = {**PLOTLY_CONFIG, "displayModeBar": False} if on_phone() else PLOTLY_CONFIG
    event = st.plotly_chart(fig, theme=None, config=config, key=key, width="stretch", **kwargs)
    if alt or (table is not None and len(table)):
        with st.expander(t("a11y.chart_text", lang), icon=":material/table:"):
            if alt:
                st.markdown(md_escape(alt))
            if table is not None and len(table):
                table = as_text(table)
                st.table(table.set_index(table.columns[0]))
    return event if clickable else None


def show_table(frame: pd.DataFrame, height: int | None = None) -> None:
    """A sortable, scrollable table; a plain HTML table in the light version (no grid code).

    Number columns (`content.number_columns`) stay numbers, so a header click sorts 9,50 before
    85,00; the reader sees them written in the language's format (a Styler's display text)."""
    if state.lite():
        text = as_text(frame)
        st.table(text.set_index(text.columns[0]) if len(text.columns) else text)
        return
    kwargs = {"hide_index": True, "width": "stretch"}
    if height:
        kwargs["height"] = height
    writers = number_text(frame)
    st.dataframe(frame.style.format(writers) if writers else frame, **kwargs)
