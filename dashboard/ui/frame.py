"""The frame every page shares: title, language and release switches, DEMO notice, nav, footer.

app.py calls `start()` before running the page and `finish()` after it; pages call `context()`
to get the language and the open release of this run.
"""
from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import cached, components, state
from dashboard.ui.components import Context

PAGE_SLUGS: tuple[str, ...] = ("", "map", "services", "trends", "compare", "profile", "data", "methodology")
PAGE_KEYS = {"": "overview"}
PAGE_ICONS = {"": ":material/home:", "map": ":material/map:", "services": ":material/bar_chart:",
              "trends": ":material/show_chart:", "compare": ":material/compare_arrows:",
              "profile": ":material/location_on:", "data": ":material/download:",
              "methodology": ":material/menu_book:"}
_CTX = "_frame_context"
_PAGES = "_frame_pages"
_NOTES_SLOT = "_frame_notes_slot"

PRINT_CSS = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stElementToolbar"], .stDownloadButton, [data-testid="stSegmentedControl"],
  [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stTextInput"],
  [data-testid="stPageLink"] { display: none !important; }
  .block-container { padding: 0 !important; max-width: 100% !important; }
}
</style>
"""


def set_document_language(lang: str) -> None:
    """Streamlit hard-codes <html lang="en">; screen readers need the page's real language.

    `lang` is one of LANGS (validated), never text from the URL or data.
    """
    import streamlit.components.v1 as components_v1

    code = "en" if lang == "en" else "vi"
    components_v1.html(f"<script>window.parent.document.documentElement.lang = '{code}';</script>", height=0)


def page_key(slug: str) -> str:
    return PAGE_KEYS.get(slug, slug)


def make_pages(lang: str) -> dict[str, st.Page]:
    """The registry of pages at their fixed URL slugs ('' is the overview, the default page)."""
    pages = {}
    for slug in PAGE_SLUGS:
        key = page_key(slug)
        pages[slug] = st.Page(f"pages/{key}.py", title=t(f"page.{key}", lang), icon=PAGE_ICONS[slug],
                              url_path=slug or None, default=(slug == ""))
    return pages


def page(slug: str):
    """A registered page object (to link to it), or None outside the app."""
    return st.session_state.get(_PAGES, {}).get(slug)


def context() -> Context:
    """The context app.py made for this run.

    Missing only when Streamlit ran a page file directly: with a `pages/` folder, the first run of
    a fresh server takes the legacy multipage path (a deep link like /compare as the first request).
    Streamlit leaves that mode only when app.py itself calls `st.navigation`, which that path never
    does; so switch it off here (the flag `st.navigation` sets) and rerun through app.py, which
    resolves the same URL to the same page.
    """
    if _CTX not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state[_CTX]


def _pick_release(lang: str) -> tuple[Context | None, str | None]:
    options = cached.release_options()
    if not options:
        return None, None
    by_id = {o.release_id: o for o in options}
    labels = {o.release_id: (t("frame.release_demo", lang) if o.demo else t("frame.release_real", lang)) for o in options}
    # Two releases with the same kind get their own titles to tell them apart.
    if len(set(labels.values())) < len(labels):
        labels = {i: (by_id[i].title_en if lang == "en" else by_id[i].title_vi)[:60] for i in labels}
    default = options[0].release_id
    chosen = state.choose("release", list(by_id), default, describe=lambda i: labels.get(i, i), write=False)
    if chosen == default and state.get("release") == default:
        del st.query_params["release"]  # the default release keeps the URL short
    return by_id[chosen], labels


def start() -> Context | None:
    """Sanitise the URL, draw the header and switches; returns the run's context (None: no data)."""
    state.sanitize_query_params()
    lang = state.lang()
    if "lang" in st.query_params and st.query_params.get("lang") not in ("vi", "en"):
        state.note(t("state.no_such", lang, what=t("state.what.lang", lang), value=st.query_params.get("lang")[:40],
                     fallback="Tiếng Việt"))
        del st.query_params["lang"]
    embed = state.embedded()
    st.markdown(PRINT_CSS, unsafe_allow_html=True)  # static CSS, no data in it
    set_document_language(lang)
    option, labels = _pick_release(lang)
    if option is None:
        st.error(t("frame.no_release", lang))
        return None
    release = cached.release(option.source)
    ctx = Context(lang=lang, release=release, source=option.source, embed=embed)
    st.session_state[_CTX] = ctx
    if not embed:
        st.markdown(f"### {t('app.title', lang)}")
        lang_col, rel_col, _ = st.columns([2, 3, 3], vertical_alignment="bottom")
        state.select("lang", t("frame.language", lang), ["vi", "en"], "vi",
                     format_func=lambda v: {"vi": "Tiếng Việt", "en": "English"}[v],
                     container=lang_col, widget="segmented", write=False)
        state.select("release", t("frame.release", lang), list(labels), option.release_id,
                     format_func=lambda i: labels.get(i, i), container=rel_col, widget="segmented", write=False)
        if st.query_params.get("lang") == "vi":
            del st.query_params["lang"]
    components.render_release_line(ctx)
    components.render_demo_notice(ctx)
    st.session_state[_NOTES_SLOT] = st.container()  # filled after the page made its choices
    return ctx


def register(pages: dict[str, st.Page]) -> None:
    st.session_state[_PAGES] = pages


def render_nav(lang: str) -> None:
    """Links to every page that carry the current choices (built-in navigation would drop them)."""
    pages = st.session_state.get(_PAGES, {})
    params = state.carried_params()
    with st.sidebar:
        st.markdown(f"**{t('frame.nav', lang)}**")
        for slug, p in pages.items():
            st.page_link(p, label=t(f"page.{page_key(slug)}", lang), icon=PAGE_ICONS[slug], query_params=params)


def finish(ctx: Context | None) -> None:
    if not state.embedded():
        render_nav(ctx.lang if ctx else state.lang())
    slot = st.session_state.pop(_NOTES_SLOT, None)
    if slot is not None:
        with slot:
            components.render_state_notes()
    if ctx is None or ctx.embed:
        if ctx is not None:
            components.render_source_line(ctx, None)
        return
    components.render_footer(ctx, page("methodology"))
