"""Methodology: survey design, the SIPAS criteria, how figures are computed, flags, sources, releases."""
import streamlit as st

from dashboard.content.method import design_lines
from dashboard.geo.attribution import BOUNDARY_ATTRIBUTION, boundary_attribution
from dashboard.i18n import changelog_line, fmt_date, t
from dashboard.i18n.methodology import FLAGS_TEXT, methodology_sections
from dashboard.settings import load_settings
from dashboard.store.catalog import published_releases
from dashboard.ui import cached, components, frame

ctx = frame.context()
lang = ctx.lang
en = lang == "en"
st.header(t("m.title", lang))
components.render_lead(t("lead.method", lang))
for title, body in methodology_sections(lang):
    st.subheader(title)
    st.markdown(body)
st.subheader(t("m.design", lang))
for line in design_lines(ctx.release.descriptor, lang):
    st.markdown("- " + components.md_escape(line))

components.render_terms(lang)
st.subheader(t("m.flags", lang))
for flag, (vi, en_text) in FLAGS_TEXT.items():
    st.markdown(f"- `{flag}`: {en_text if en else vi}")

st.subheader(t("m.sources", lang))
sources = ctx.release.sources
for source in sources.values():  # real links a screen reader announces, with each source's note
    note = f" — {components.md_escape(source['note'])}" if source.get("note") else ""
    st.markdown(f"- `{components.md_escape(source['id'])}` · "
                f"{components.safe_link(source.get('title') or source['id'], source.get('path'))}{note}")
if ctx.surveys:  # each survey is its own source: who ran it and how
    st.subheader(t("m.surveys", lang))
    for survey in ctx.surveys.values():
        name, publisher, method = (survey.get(k + ("_en" if en else "")) for k in ("name", "publisher", "method"))
        st.markdown(f"- **{components.md_escape(name)}** ({components.md_escape(publisher)}): {components.md_escape(method)}")
st.markdown(f"**{t('footer.licence', lang)}:** " + "; ".join(
    components.safe_link(lic.get("title") or lic.get("name"), lic.get("path"))
    for lic in ctx.release.descriptor.get("licenses", [])))
st.markdown(components.md_escape(boundary_attribution(lang)))
if lang == "vi":
    st.caption(components.md_escape(BOUNDARY_ATTRIBUTION))  # the licence's own wording

notes = cached.notes(ctx.source)
if not notes.empty:
    st.subheader(t("m.notes", lang))
    for text in notes["text_en" if en else "text_vi"]:
        st.markdown("- " + components.md_escape(text))

st.subheader(t("m.releases", lang))
overview = frame.page("")
for entry in published_releases(load_settings().data):  # the switch offers a few; every one is here
    try:
        r = cached.release(entry.source)
    except Exception:  # noqa: BLE001 - a broken release is listed as such, never a traceback
        st.markdown(f"- {components.md_escape(entry.release_id)}: ⚠️")
        continue
    line = (f"- **{components.md_escape(r.title(lang))}** (`{r.id}`, v{components.md_escape(r.version)}) — "
            + t("footer.published", lang, published=fmt_date(r.published, lang), as_of=fmt_date(r.data_as_of, lang)))
    st.markdown(line)
    for change in r.descriptor.get("changelog", []) or []:
        st.markdown("    - " + components.md_escape(changelog_line(change, lang)))
    if overview is not None and r.id != ctx.release.id:  # ?release=<id> opens any published release
        st.page_link(overview, label=t("m.open_release", lang, release=components.md_escape(r.id)), icon=":material/database:",
                     query_params={**({"lang": lang} if lang != "vi" else {}), "release": r.id})
