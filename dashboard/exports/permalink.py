"""Permalinks and embed snippets: the absolute URL that reopens exactly one view.

A view's state lives in its query parameters (PRODUCT.md); a permalink is base URL + the page's
fixed slug + every parameter, in a fixed order so the same view always gives the same link, with
the language and the release pinned: a link in an article must keep showing the numbers the
article quotes even after a newer release becomes the default. The embed snippet adds
`embed=true`, which hides the navigation and leaves the chart, its source line and a link back.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlencode, urlsplit

from dashboard.settings import load_settings

# Parameters in the order they appear in a link (any others follow, sorted).
PARAM_ORDER: tuple[str, ...] = ("lang", "release", "year", "service", "indicator", "level", "geo", "province",
                                "unit", "units", "q")
DEFAULT_BASE_URL = "http://localhost:8501"
EMBED_EXTRA_PX = 110  # source line and the link back under the chart in embed mode
_SLUG = re.compile(r"[a-z0-9-]{0,40}")
_VALUE = re.compile(r"[\w .,'-]{1,80}")


def public_base_url(fallback: str | None = None) -> str:
    """Where the app is published: DASHBOARD_PUBLIC_URL, else `fallback` (e.g. the URL the reader
    is using), else http://localhost:8501. Never ends with a slash."""
    configured = load_settings().public_url or ""
    for candidate in (configured, fallback or "", DEFAULT_BASE_URL):
        parts = urlsplit(candidate)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")
    return DEFAULT_BASE_URL


def app_base_url(page_url: str | None, slugs) -> str | None:
    """The app's own address from the address of one of its pages: `https://x.vn/sipas/map?year=1`
    -> `https://x.vn/sipas` (the page slug, query and fragment removed)."""
    if not page_url:
        return None
    parts = urlsplit(page_url)
    segments = parts.path.rstrip("/").split("/")
    if segments and segments[-1] in {s for s in slugs if s}:
        segments = segments[:-1]
    return f"{parts.scheme}://{parts.netloc}{'/'.join(segments)}"


def ordered_params(params: dict[str, object]) -> list[tuple[str, str]]:
    """Non-empty parameters as (name, text) pairs in PARAM_ORDER; `embed` is never carried."""
    clean = {str(k): str(v) for k, v in params.items() if v not in (None, "") and k != "embed"}
    for name, value in clean.items():
        if not _VALUE.fullmatch(value):
            raise ValueError(f"parameter {name}={value!r} is not a short plain value")
    known = [(k, clean[k]) for k in PARAM_ORDER if k in clean]
    return known + sorted((k, v) for k, v in clean.items() if k not in PARAM_ORDER)


def build_permalink(base_url: str, page_slug: str, params: dict[str, object], lang: str,
                    release_id: str | None = None, embed: bool = False) -> str:
    """The absolute URL of a view: `base_url/page_slug?lang=..&release=..&<params>[&embed=true]`.

    `page_slug` is a page's fixed slug ('' for the overview, 'map', 'trends', ...).
    """
    if not _SLUG.fullmatch(page_slug):
        raise ValueError(f"page slug {page_slug!r} is not one of the app's fixed slugs")
    merged = dict(params)
    merged["lang"] = lang
    if release_id:
        merged["release"] = release_id
    pairs = ordered_params(merged)
    if embed:
        pairs.append(("embed", "true"))
    query = urlencode(pairs, safe=",")
    base = base_url.rstrip("/")
    path = f"{base}/{page_slug}" if page_slug else f"{base}/"
    return f"{path}?{query}" if query else path


def embed_height(figure_height: int | float | None) -> int:
    """A sensible iframe height: the chart's own height plus its source line and link back."""
    return int(figure_height or 450) + EMBED_EXTRA_PX


def embed_snippet(embed_url: str, title: str, height: int) -> str:
    """An <iframe> for an article; the URL and title are escaped so they cannot break the markup."""
    return (f'<iframe src="{html.escape(embed_url, quote=True)}" title="{html.escape(title, quote=True)}" '
            f'width="100%" height="{int(height)}" style="border:0" loading="lazy"></iframe>')
