"""Check a static edition: every local href/src of every page points at a file that exists."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []  # (tag, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, value))
            if name == "id" and value:
                self.ids.add(value)


def page_references(page: Path) -> tuple[list[tuple[str, str]], set[str]]:
    """(tag, href/src) of every reference in a page, and the ids it defines."""
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.refs, parser.ids


def is_local(ref: str) -> bool:
    parts = urlsplit(ref)
    return not parts.scheme and not parts.netloc


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, reference) for each local reference that resolves to no file (or no #anchor) in `site`,
    and each script or stylesheet loaded from another host (the edition must work offline)."""
    broken = []
    root = site.resolve()
    for page in sorted(site.rglob("*.html")):
        refs, ids = page_references(page)
        for tag, ref in refs:
            name = str(page.relative_to(site))
            if not is_local(ref):
                if tag in ("script", "link", "img"):
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
                if parts.fragment not in page_references(target)[1]:
                    broken.append((name, ref))
    return broken
