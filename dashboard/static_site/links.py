"""Check a static edition: every local href/src of every page points at a file that exists.

The pages are our own markup (every attribute double-quoted, see `html_pages`), so references are
read with a regular expression: a full HTML parser took a quarter of the build's time.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:=\"[^\"]*\"|='[^']*'|=[^\s>]+)?)*)\s*/?>")
_ATTR = re.compile(r"([\w:-]+)=(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")


def page_references(page: Path) -> tuple[list[tuple[str, str]], set[str]]:
    """(tag, href/src) of every reference in a page, and the ids it defines."""
    refs: list[tuple[str, str]] = []
    ids: set[str] = set()
    for tag in _TAG.finditer(page.read_text(encoding="utf-8")):
        for attr in _ATTR.finditer(tag.group(2)):
            name = attr.group(1).lower()
            value = html.unescape(next(v for v in attr.groups()[1:] if v is not None))
            if name in ("href", "src"):
                refs.append((tag.group(1).lower(), value))
            elif name == "id" and value:
                ids.add(value)
    return refs, ids


def is_local(ref: str) -> bool:
    """A reference inside the edition (relative to the page)."""
    parts = urlsplit(ref)
    return not parts.scheme and not parts.netloc and not ref.startswith("/")


def is_other_host(ref: str) -> bool:
    parts = urlsplit(ref)
    return bool(parts.scheme or parts.netloc)


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, reference) for each local reference that resolves to no file (or no #anchor) in `site`,
    and each script or stylesheet loaded from another host (the edition must work offline)."""
    broken = []
    root = site.resolve()
    anchors: dict[Path, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        refs, ids = page_references(page)
        anchors[page.resolve()] = ids
        for tag, ref in refs:
            name = str(page.relative_to(site))
            if not is_local(ref):  # another host (never for a script, a stylesheet, an image), or the
                if tag in ("script", "link", "img") and is_other_host(ref):  # site's own address (404 pages)
                    broken.append((name, ref))
                continue
            parts = urlsplit(ref)
            if not parts.path:
                if parts.fragment and parts.fragment not in ids:
                    broken.append((name, ref))
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if root not in target.parents or not target.is_file():
                broken.append((name, ref))
            elif parts.fragment and target.suffix == ".html":
                if target not in anchors:
                    anchors[target] = page_references(target)[1]
                if parts.fragment not in anchors[target]:
                    broken.append((name, ref))
    return broken
