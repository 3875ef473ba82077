"""The frame every page shares: title, language and release switches, DEMO notice, nav, footer.

app.py calls `start()` before running the page and `finish()` after it; pages call `context()`
to get the language and the open release of this run.
"""
from __future__ import annotations

import logging

import streamlit as st

from dashboard.i18n import t
from dashboard.release import read as loaders
from dashboard.store.tracker import TrackerState, describe_failure
from dashboard.ui import cached, components, state
from dashboard.ui.components import Context
from dashboard.ui.page_scripts import language_script

PAGE_SLUGS: tuple[str, ...] = ("", "map", "services", "trends", "compare", "profile", "data", "methodology")
PAGE_KEYS = {"": "overview"}
PAGE_ICONS = {"": ":material/home:", "map": ":material/map:", "services": ":material/bar_chart:",
              "trends": ":material/show_chart:", "compare": ":material/compare_arrows:",
              "profile": ":material/location_on:", "data": ":material/download:",
              "methodology": ":material/menu_book:"}
_CTX = "_frame_context"
_PAGES = "_frame_pages"
_NOTES_SLOT = "_frame_notes_slot"
_LIGHT_URL = "_frame_light_url"
log = logging.getLogger(__name__)

# Static CSS (no data in it): readable captions and their links (Streamlit fades captions to 60%
# opacity, which leaves links at 3:1 on white, axe "color-contrast"; #595959 is 7:1), a focus ring every keyboard user
# can see, and a clean print of any page.
PAGE_CSS = """
<style>
[data-testid="stCaptionContainer"] { opacity: 1; color: #595959; }
/* The answer first: the page starts right under Streamlit's top bar (it leaves 6rem), and the
   title is a line, not a banner; the lead sentence and the chart or map then fit the first screen. */
[data-testid="stMainBlockContainer"] { padding-top: 3.75rem; }
.st-key-page_header h3 { font-size: 1.15rem; line-height: 1.3; padding: 0.25rem 0; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.25rem; }
  .st-key-page_header h3 { font-size: 1.05rem; }
  [data-testid="stMain"] h2 { font-size: 1.35rem; }
  [data-testid="stMain"] h3 { font-size: 1.15rem; }
}
[data-testid="stCaptionContainer"] a, [data-testid="stMarkdownContainer"] a { color: #0b5394; }
:focus-visible { outline: 3px solid #0b5394 !important; outline-offset: 2px !important; }
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
    st.html(f"<script>{language_script(lang)}</script>", unsafe_allow_javascript=True)


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
    A context left by an earlier run is not this run's: on that path app.py did not run, so the
    release of the page would be the earlier run's (and the frame missing). AppTest takes that path
    on every run after the first, which is how the release-switching tests found it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if _CTX not in st.session_state or PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state[_CTX]


def _release_labels(options: list[cached.ReleaseOption], lang: str) -> dict[str, str]:
    """Short labels for the release switch: the kind, or titles (then versions) when kinds repeat."""
    labels = {o.release_id: t("frame.release_demo" if o.demo else "frame.release_real", lang) for o in options}
    if len(set(labels.values())) < len(labels):
        labels = {o.release_id: (o.title_en if lang == "en" else o.title_vi)[:60] for o in options}
    if len(set(labels.values())) < len(labels):
        labels = {o.release_id: f"{labels[o.release_id][:40]} ({o.release_id})" for o in options}
    return labels


def _pick_release(lang: str, options: list[cached.ReleaseOption]) -> tuple[cached.ReleaseOption | None, dict]:
    if not options:
        return None, {}
    by_id = {o.release_id: o for o in options}
    labels = _release_labels(options, lang)
    default = options[0].release_id
    chosen = state.choose("release", list(by_id), default, describe=lambda i: labels.get(i, i), write=False)
    if chosen == default and state.get("release") == default:
        del st.query_params["release"]  # the default release keeps the URL short
    return by_id[chosen], labels


def start() -> Context | None:
    """Sanitise the URL, draw the header and switches; returns the run's context (None: no data)."""
    state.sanitize_query_params()
    components.forget_leads()
    lang = state.lang()
    if "lang" in st.query_params and st.query_params.get("lang") not in ("vi", "en"):
        state.note(t("state.no_such", lang, what=t("state.what.lang", lang), value=st.query_params.get("lang")[:40],
                     fallback="Tiếng Việt"))
        del st.query_params["lang"]
    embed = state.embedded()
    st.markdown(PAGE_CSS, unsafe_allow_html=True)  # static CSS, no data in it
    set_document_language(lang)
    # One release per run, taken here: every read of this run goes to ctx.source, so a page never
    # mixes two releases even if a new one is published while it is drawn.
    tracked = cached.current_release()
    options = cached.release_options(tracked.release, state.get("release"))
    option, labels = _pick_release(lang, options)
    if option is None:
        st.error(t("frame.no_release", lang))
        return None
    opened = _open_chosen(option, options, lang)
    if opened is None:
        st.error(t("frame.no_release", lang))
        return None
    release, option = opened
    ctx = Context(lang=lang, release=release, source=option.source, embed=embed, lite=state.lite())
    st.session_state[_CTX] = ctx
    current = tracked.release is not None and tracked.release.id == ctx.release.id
    st.session_state[_LIGHT_URL] = light_edition_url(ctx, current)
    if not embed:
        _render_header(ctx, option, labels)
        if st.query_params.get("lang") == "vi":
            del st.query_params["lang"]
    else:
        components.render_release_line(ctx)
    _render_stale_notice(ctx, tracked)
    components.render_demo_notice(ctx, short=not embed)  # one line above the page; embeds keep the full text
    st.session_state[_NOTES_SLOT] = st.container()  # filled after the page made its choices
    return ctx


def _render_header(ctx: Context, option: cached.ReleaseOption, labels: dict[str, str]) -> None:
    """The frame above every page, in as little height as it takes: one row with the title, the
    language switch, the release switch (in a small popover: few readers change it) and the light
    version, then one line saying which release is shown. On a phone the row wraps, and the light
    version goes beside a short release line (how fresh the figures are; the full line is in the
    popover). The page's answer and its chart or map then start in the first screen instead of
    after four rows of controls.
    """
    lang, phone = ctx.lang, components.on_phone()
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="page_header"):
        st.markdown(f"### {t('app.title', lang)}", width="content")
        with st.container(horizontal=True, vertical_alignment="center", gap="small", width="content",
                          key="page_switches"):
            state.select("lang", t("frame.language", lang), ["vi", "en"], "vi",
                         format_func=lambda v: {"vi": "Tiếng Việt", "en": "English"}[v],
                         widget="segmented", write=False, label_visibility="collapsed")
            with st.popover(labels.get(option.release_id, option.release_id), icon=":material/database:",
                            help=t("frame.release", lang)):
                state.select("release", t("frame.release", lang), list(labels), option.release_id,
                             format_func=lambda i: labels.get(i, i), widget="segmented", write=False)
                if phone:
                    components.render_release_line(ctx)  # the full line: title and version
            if not phone:
                _render_lite_switch(ctx)
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="page_release"):
        components.render_release_line(ctx, short=phone)
        if phone:
            _render_lite_switch(ctx)


def _open_chosen(option: cached.ReleaseOption, options: list[cached.ReleaseOption],
                 lang: str) -> tuple[loaders.Release, cached.ReleaseOption] | None:
    """Open the chosen release; one that broke since it was listed gives way to the default."""
    for candidate in dict.fromkeys([option, options[0]]):
        try:
            release = cached.release(candidate.source)
        except Exception as exc:  # noqa: BLE001 - never a traceback for a broken release; it is logged
            log.warning("release %s at %s cannot be opened: %s", candidate.release_id, candidate.source,
                        describe_failure(exc))
            continue
        if candidate is not option:
            state.note(t("frame.release_broken", lang, release=option.release_id,
                         reason=t("frame.release_damaged", lang)))
            if "release" in st.query_params:
                del st.query_params["release"]
        return release, candidate
    return None


def current_slug() -> str:
    """The slug of the page being run ('' for the overview), from the page registry."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run = get_script_run_ctx()
    for slug in PAGE_SLUGS:
        registered = page(slug)
        if run is not None and registered is not None and getattr(registered, "_script_hash", None) == run.page_script_hash:
            return slug
    return ""


def light_edition_url(ctx: Context, current: bool, slug: str | None = None) -> str | None:
    """The light edition's page for this view, in the reader's language (None: the release has no
    light edition, e.g. a single release opened by URL; the app's own light variant is linked then)."""
    params = {**state.carried_params(), "lang": ctx.lang}
    try:
        return cached.light_address(current_slug() if slug is None else slug, params, ctx.release.id, current)
    except Exception as exc:  # noqa: BLE001 - a missing link must never break a page; it is logged
        log.warning("light edition address for release %s: %s", ctx.release.id, exc)
        return None


def _render_lite_switch(ctx: Context) -> None:
    """A link to the light edition's page for this view (offered prominently on a slow connection),
    or, for a release without a light edition, to the app's own light variant; and back from it."""
    url = st.session_state.get(_LIGHT_URL)
    here = page(current_slug())
    params = state.carried_params()
    if ctx.lite:  # ?lite=true reached the app itself (no nginx in front to send it to the edition)
        if url is not None:
            st.markdown(f":material/speed: [{components.md_escape(t('lite.offer_edition', ctx.lang))}]({url})",
                        width="content")
        if here is not None:
            st.page_link(here, label=t("lite.leave_short", ctx.lang), icon=":material/open_in_full:",
                         help=f"{t('lite.on', ctx.lang)} {t('lite.leave', ctx.lang)}.",
                         query_params={k: v for k, v in params.items() if k != "lite"})
        return
    slow = state.slow_connection() and st.query_params.get("lite") != "false"
    label = t("lite.link_slow" if slow else "lite.link", ctx.lang)
    offer = t("lite.offer_slow" if slow else "lite.offer", ctx.lang)
    if url is not None:  # the static light edition of this view (served by nginx at /light/)
        st.markdown(f":material/speed: [{components.md_escape(label)}]({url})", help=t("lite.offer_edition", ctx.lang),
                    width="content")
    elif here is not None:  # no light edition for this release: the app's own light variant
        st.page_link(here, label=label, icon=":material/speed:", help=offer, query_params={**params, "lite": "true"})


def _render_stale_notice(ctx: Context, tracked: TrackerState) -> None:
    """A discreet line when the newest release could not be opened (the problem itself is logged)."""
    if not tracked.stale:
        return
    if tracked.release is not None and ctx.release.id == tracked.release.id:
        st.caption(":material/history: " + t("frame.release_stale", ctx.lang,
                                               release=components.md_escape(ctx.release.id),
                                               version=components.md_escape(ctx.release.version)))
    elif tracked.release is None:
        st.caption(":material/history: " + t("frame.release_unavailable", ctx.lang))


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
    components.render_footer(ctx, page("methodology"), st.session_state.get(_LIGHT_URL))


def stop_here() -> None:
    """End the page early (nothing more to show), with the navigation and the footer (sources,
    licence, attribution) still drawn: `st.stop()` alone would end app.py before `finish`."""
    finish(st.session_state.get(_CTX))
    st.stop()
