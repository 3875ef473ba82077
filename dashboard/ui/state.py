"""The URL is the state: query parameters <-> validated choices, with friendly fallbacks.

Every choice a page offers is a query parameter (ASCII). `sanitize_query_params` runs first on
every rerun and drops anything that is not a known, short, ASCII value. `choose` validates a
parameter against what the data holds and falls back to a default with a note the page shows.
`select` draws a widget bound to a parameter: the widget's change callback writes the URL, and
a URL change (reload, shared link, page switch) sets the widget.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import streamlit as st

from dashboard.i18n import LANGS, t

PARAMS: tuple[str, ...] = ("lang", "release", "year", "service", "indicator", "level", "unit",
                           "province", "geo", "embed", "units", "q", "lite")
# Signals of a slow or metered connection a browser may send (Save-Data; ECT once nginx asks for
# it with Accept-CH): the light version is then offered.
SLOW_CONNECTIONS = ("slow-2g", "2g", "3g")
# Params that make no sense once another one changes (e.g. indicator after a service change).
DEPENDENTS: dict[str, tuple[str, ...]] = {
    "release": ("year",),
    "service": ("indicator",),
    "level": ("unit",),
    "geo": ("unit", "units", "province"),  # a code means another place on the other boundary set
}
_SAFE = re.compile(r"[A-Za-z0-9_.,-]{1,64}")
_SAFE_Q = re.compile(r"[\w .,'-]{1,80}")  # a search text may hold Vietnamese letters
_NOTES_KEY = "_state_notes"


def is_safe(name: str, value: str) -> bool:
    pattern = _SAFE_Q if name == "q" else _SAFE
    return isinstance(value, str) and bool(pattern.fullmatch(value))


def sanitize_query_params() -> None:
    """Drop unknown or malformed parameters (noting the malformed ones) before anything reads them."""
    st.session_state[_NOTES_KEY] = []
    for name in list(st.query_params.keys()):
        value = st.query_params.get(name)
        if name not in PARAMS:
            continue  # foreign params (e.g. utm_*) are harmless and never read
        if not is_safe(name, value):
            del st.query_params[name]
            note(t("state.bad_param", lang(), param=name))


def note(message: str) -> None:
    notes = st.session_state.setdefault(_NOTES_KEY, [])
    if message not in notes:
        notes.append(message)


def pending_notes() -> list[str]:
    return list(st.session_state.get(_NOTES_KEY, []))


def get(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def lang() -> str:
    value = st.query_params.get("lang")
    return value if value in LANGS else "vi"


def lite() -> bool:
    """The light version: ?lite=true."""
    return st.query_params.get("lite") == "true"


def slow_connection() -> bool:
    """True when the browser says the connection is slow or metered (Save-Data, ECT)."""
    headers = st.context.headers if st.context.headers else {}
    return headers.get("Save-Data", "").lower() == "on" or headers.get("ECT", "").lower() in SLOW_CONNECTIONS


def embedded() -> bool:
    """Opened with ?embed=true. Streamlit keeps `embed` out of st.query_params and says it through
    st.context (False in a run without a browser, such as AppTest)."""
    try:
        return bool(st.context.is_embedded)
    except Exception:  # noqa: BLE001 - no browser session behind this run
        return False


def choose(name: str, options: Sequence[Any], default: Any, describe: Callable[[Any], str] | None = None,
           write: bool = True) -> Any:
    """The option the `name` parameter asks for, or `default` with a note if it is not offered.

    Options are compared as strings (URL values are strings). With `write`, a non-default
    choice is kept in the URL so the view can be shared as it is.
    """
    raw = get(name)
    by_text = {str(o): o for o in options}
    if raw is None:
        value = default
    elif raw in by_text:
        value = by_text[raw]
    else:
        value = default
        fallback = describe(default) if (describe and default is not None) else str(default)
        note(t("state.no_such", lang(), what=t(f"state.what.{name}", lang()), value=raw[:40], fallback=fallback))
        del st.query_params[name]
    if write and value is not None and get(name) != str(value):
        st.query_params[name] = str(value)
    return value


def _on_change(name: str, key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        return
    if isinstance(value, (list, tuple)):
        st.query_params[name] = ",".join(str(v) for v in value)
    else:
        st.query_params[name] = str(value)
    for dependent in DEPENDENTS.get(name, ()):
        if dependent in st.query_params:
            del st.query_params[dependent]


def select(name: str, label: str, options: Sequence[Any], default: Any, *,
           format_func: Callable[[Any], str] = str, container=None, widget: str = "selectbox",
           help: str | None = None, write: bool = True, label_visibility: str = "visible") -> Any:
    """A widget bound to the `name` query parameter; returns the validated choice.

    `label_visibility="collapsed"` hides the label on screen; screen readers still announce it."""
    options = list(options)
    if not options:
        return None
    if default not in options:
        default = options[0]
    value = choose(name, options, default, describe=format_func, write=write)
    if embedded():
        return value  # an embed shows the chart the URL asks for, without pickers
    key = f"_w_{name}"
    # Always (re)assign: a widget with the same key on another page is a different widget, and
    # it would start from its own default instead of the URL's value.
    st.session_state[key] = value
    where = container if container is not None else st
    kwargs = dict(options=options, format_func=format_func, key=key, on_change=_on_change,
                  args=(name, key), help=help, label_visibility=label_visibility)
    if widget == "radio":
        where.radio(label, horizontal=True, **kwargs)
    elif widget == "segmented":
        where.segmented_control(label, required=True, **kwargs)
    else:
        where.selectbox(label, **kwargs)
    chosen = st.session_state.get(key, value)
    return chosen if chosen in options else value


def choose_many(name: str, options: Sequence[str], default: Iterable[str], max_items: int = 5) -> list[str]:
    """A comma-separated list parameter, keeping only offered values (at most `max_items`)."""
    raw = get(name)
    if raw is None:
        return list(default)[:max_items]
    wanted = [v for v in raw.split(",") if v]
    kept = [v for v in wanted if v in set(options)][:max_items]
    if len(kept) != len(wanted):
        note(t("state.bad_param", lang(), param=name))
        if kept:
            st.query_params[name] = ",".join(kept)
        else:
            del st.query_params[name]
    return kept or list(default)[:max_items]


def multiselect(name: str, label: str, options: Sequence[str], default: Iterable[str], *,
                format_func: Callable[[Any], str] = str, max_items: int = 5, container=None) -> list[str]:
    """A multiselect bound to a comma-separated query parameter."""
    value = choose_many(name, options, default, max_items)
    if embedded():
        return value
    key = f"_w_{name}"
    st.session_state[key] = value
    where = container if container is not None else st
    where.multiselect(label, options=list(options), format_func=format_func, key=key,
                      max_selections=max_items, on_change=_on_change, args=(name, key))
    return list(st.session_state.get(key, value))


def carried_params() -> dict[str, str]:
    """The current, validated parameters, to carry along when moving to another page."""
    return {k: v for k, v in st.query_params.to_dict().items() if k in PARAMS and k != "q" and v}
