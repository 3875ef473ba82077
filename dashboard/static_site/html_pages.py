"""HTML of the static edition's pages. Every text from data or the catalogue is escaped here, so a
name or a source title holding `<script>` shows as text; only http(s) links from data become links.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.geo.attribution import boundary_attribution
from dashboard.i18n import fmt_date, t

_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_CODE = re.compile(r"`([^`]+)`")
_ORDERED = re.compile(r"^\d+\.\s+")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"],
                 "toImageButtonOptions": {"format": "svg", "scale": 2}}

STYLE_CSS = """\
:root { --ink: #1a1a1a; --muted: #555; --line: #d9dde3; --accent: #0b5394; --demo: #b00020; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans", Arial, sans-serif; color: var(--ink); line-height: 1.5; }
header, main, footer { max-width: 1040px; margin: 0 auto; padding: 0 16px; }
header { border-bottom: 1px solid var(--line); padding-top: 12px; padding-bottom: 8px; }
header .site { font-weight: 700; font-size: 1.1rem; color: var(--ink); text-decoration: none; }
nav ul { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
a { color: var(--accent); }
.demo { border: 2px solid var(--demo); color: var(--demo); padding: 8px 12px; margin: 12px 0; }
figure.chart { margin: 24px 0; border-bottom: 1px solid var(--line); padding-bottom: 12px; }
figure.chart img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: var(--muted); }
table { border-collapse: collapse; font-size: 0.9rem; margin: 12px 0; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.columns { columns: 3 16em; }
footer { border-top: 1px solid var(--line); margin-top: 32px; padding-top: 8px; padding-bottom: 24px;
         font-size: 0.85rem; color: var(--muted); }
@media print { nav, .downloads { display: none; } }
"""


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def safe_url(url) -> str | None:
    """A plain http(s) URL from data, or None."""
    url = str(url or "")
    return url if _URL.fullmatch(url) else None


def link(href: str, label) -> str:
    return f'<a href="{esc(href)}">{esc(label)}</a>'


def external_link(url, label) -> str:
    """A link to an outside address from data (text only when it is not a plain http(s) URL)."""
    safe = safe_url(url)
    return link(safe, label) if safe else esc(label)


def inline_markdown(text: str) -> str:
    """The catalogue's inline markdown (**bold**, *italic*, `code`) as HTML, everything else escaped."""
    out = esc(text)
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _ITALIC.sub(r"<em>\1</em>", out)


def markdown_html(text: str) -> str:
    """The methodology texts' markdown subset: paragraphs, '- ' and '1. ' lists, inline markup."""
    blocks, items, kind = [], [], None

    def close() -> None:
        nonlocal items, kind
        if items:
            blocks.append(f"<{kind}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{kind}>")
        items, kind = [], None

    for line in str(text).split("\n"):
        stripped = line.strip()
        if stripped.startswith("- "):
            if kind != "ul":
                close()
                kind = "ul"
            items.append(inline_markdown(stripped[2:]))
        elif _ORDERED.match(stripped):
            if kind != "ol":
                close()
                kind = "ol"
            items.append(inline_markdown(_ORDERED.sub("", stripped)))
        else:
            close()
            if stripped:
                blocks.append(f"<p>{inline_markdown(stripped)}</p>")
    close()
    return "\n".join(blocks)


def table_html(frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> str:
    """A table of text; columns named in `numeric` are right-aligned."""
    head = "".join(f"<th scope=\"col\">{esc(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(f'<td class="num">{esc(v)}</td>' if c in numeric else f"<td>{esc(v)}</td>"
                        for c, v in zip(frame.columns, row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def chart_html(fig: go.Figure, div_id: str, lang: str, png: str | None, csv: str, alt: str) -> str:
    """An interactive chart (plotly.js loaded once per page), its PNG as the no-script fallback,
    and links to the PNG and CSV."""
    height = int(fig.layout.height or 450)
    div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOTLY_CONFIG,
                      default_width="100%", default_height=f"{height}px")
    fallback = f'<img src="{esc(png)}" alt="{esc(alt)}" width="960">' if png else esc(t("static.no_js", lang))
    downloads = [link(png, t("static.png", lang))] if png else []
    downloads.append(link(csv, t("static.csv", lang)))
    return (f'<figure class="chart">{div}<noscript>{fallback}</noscript>'
            f'<figcaption class="downloads">{" · ".join(downloads)}</figcaption></figure>')


@dataclass(frozen=True)
class Frame:
    """What every page shares: language, release, where the site root is, the other language's page."""

    lang: str
    release: object  # loaders.Release
    root: str  # relative path from the page to the site root, e.g. "../../"
    other_lang_href: str | None  # the same page in the other language (None: not written)
    charts: bool = False


def nav_html(frame: Frame) -> str:
    lang, base = frame.lang, f"{frame.root}{frame.lang}/"
    items = [link(f"{base}index.html", t("static.home", lang)),
             link(f"{base}index.html#services", t("static.services", lang)),
             link(f"{base}index.html#provinces", t("static.provinces", lang)),
             link(f"{base}methodology.html", t("static.methodology", lang)),
             link(f"{base}data.html", t("static.data", lang))]
    if frame.other_lang_href:
        items.append(f'<a href="{esc(frame.other_lang_href)}" hreflang="{"vi" if lang == "en" else "en"}">'
                     f'{esc(t("static.other_lang", lang))}</a>')
    return "<nav><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul></nav>"


def footer_html(frame: Frame) -> str:
    lang, release = frame.lang, frame.release
    lines = [esc(t("frame.release_line", lang, title=release.title(lang), version=release.version,
                   as_of=fmt_date(release.data_as_of, lang))),
             esc(t("footer.published", lang, published=fmt_date(release.published, lang),
                   as_of=fmt_date(release.data_as_of, lang)))]
    lines.append(esc(t("footer.demo_source", lang)) if release.demo else
                 esc(t("footer.sources_count", lang, n=len(release.sources))))
    licences = [external_link(lic.get("path"), lic.get("title") or lic.get("name") or "")
                for lic in release.descriptor.get("licenses", [])]
    lines.append(f"{esc(t('footer.licence', lang))}: " + "; ".join(licences))
    lines.append(esc(boundary_attribution(lang)))
    lines.append(esc(t("static.generated", lang, release=release.id)))
    return "<footer>" + "".join(f"<p>{line}</p>" for line in lines) + "</footer>"


def page_html(frame: Frame, title: str, body: str) -> str:
    """A whole page: head (plotly.js only where there are charts), header, DEMO notice, body, footer."""
    lang = frame.lang
    script = f'<script src="{esc(frame.root)}assets/plotly.min.js"></script>' if frame.charts else ""
    demo = (f'<p class="demo" role="note">{inline_markdown(t("frame.demo_notice", lang))}</p>'
            if frame.release.demo else "")
    return (f'<!doctype html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} · {esc(t('app.title', lang))}</title>\n"
            f'<link rel="stylesheet" href="{esc(frame.root)}assets/style.css">\n{script}\n</head>\n<body>\n'
            f'<header><a class="site" href="{esc(frame.root)}{esc(lang)}/index.html">{esc(t("app.title", lang))}</a>'
            f"{nav_html(frame)}</header>\n<main>\n{demo}\n<h1>{esc(title)}</h1>\n{body}\n</main>\n"
            f"{footer_html(frame)}\n</body>\n</html>\n")
