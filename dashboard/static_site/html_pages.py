"""HTML of the light edition's pages: the frame every page shares, figures, tables, the stylesheet.

Every text from data or the catalogue is escaped here (`esc`), so a name or a source title holding
`<script>` shows as text; only plain http(s) links from data become links. No page needs
JavaScript, and no page loads anything but its HTML and one small stylesheet.

Phone first: the header is two short lines, the DEMO notice one sentence, so the page's answer
(its lead sentence and first figure) starts in the first screen of a 390 × 844 phone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard.geo.attribution import boundary_attribution
from dashboard.i18n import fmt_date, t
from dashboard.static_site.figures import Figure, Table, source_numbers
from dashboard.static_site.svg import SERIES_COLOURS, esc
from dashboard.static_site.svg_map import class_css

_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_CODE = re.compile(r"`([^`]+)`")
_ORDERED = re.compile(r"^\d+\.\s+")
CSS_NAME = "style.css"

STYLE_CSS = """\
:root{--ink:#1a1a1a;--muted:#595959;--line:#d9dde3;--accent:#0b5394;--demo:#b00020}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"Noto Sans",Arial,sans-serif;color:var(--ink);line-height:1.45;font-size:16px}
header,main,footer{max-width:980px;margin:0 auto;padding:0 12px}
header{border-bottom:1px solid var(--line);padding-top:6px;padding-bottom:4px}
.site{font-weight:700;color:var(--ink);text-decoration:none}
nav ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:0 12px;font-size:.85rem}
nav a,.site{display:inline-block;padding:3px 0}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:6px}
.skip:focus{left:8px}
h1{font-size:1.35rem;line-height:1.25;margin:10px 0 6px}
h2{font-size:1.1rem;line-height:1.3;margin:18px 0 4px}
h3{font-size:1rem;margin:14px 0 4px}
.demo{border-left:4px solid var(--demo);color:var(--demo);padding:2px 8px;margin:8px 0;font-size:.9rem}
.lead{font-weight:700;margin:6px 0 8px}
figure{margin:10px 0 6px;padding:0}
.sub,.notes,.src,figcaption{font-size:.85rem;color:var(--muted);margin:2px 0}
.legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:2px 10px;font-size:.8rem}
.k{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border:1px solid #fff}
.dia{transform:rotate(45deg) scale(.85)}
svg{display:block;width:100%;height:auto;max-width:480px;overflow:visible}
svg.map{max-width:520px}
svg text{font-size:12px;fill:var(--ink)}
svg .tick,svg .mark{font-size:10px;fill:var(--muted)}
svg .mark{font-weight:700}
svg .demo-mark{font-size:11px;font-weight:700;fill:var(--demo)}
.map path{stroke:#fff;stroke-width:.6;vector-effect:non-scaling-stroke}
.map path.isle{stroke-width:2.5}
.map a:focus-visible path,.map a:hover path{stroke:#000;stroke-width:2.5}
.map a:focus-visible{outline:none}
.frame{fill:none;stroke:#555;stroke-width:1}
svg .isle-name{font-size:9px;fill:#333}
.tw{overflow-x:auto;margin:6px 0 14px}
table{border-collapse:collapse;font-size:.85rem;width:100%}
.cap{font-size:.85rem;color:var(--muted);margin:8px 0 0}
th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top;white-space:nowrap}
th[scope=col]{white-space:normal;min-width:4.5em;font-size:.8rem}
th[scope=row]{font-weight:400;white-space:normal;min-width:7em}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.columns{columns:3 11em;padding-left:18px}
footer{border-top:1px solid var(--line);margin-top:28px;padding-top:6px;padding-bottom:20px;font-size:.8rem;color:var(--muted)}
/* A cheap phone lays out only what is on screen: later figures and tables wait until scrolled to
   (they stay in the accessibility tree and find-in-page). */
figure~figure,.tw{content-visibility:auto;contain-intrinsic-size:auto 480px}
@media print{nav,.skip{display:none}}
"""


def stylesheet() -> str:
    """The one stylesheet: layout, then the map classes and series colours (from their constants)."""
    series = "".join(f".s{i}{{background:{c}}}" for i, c in enumerate(SERIES_COLOURS))
    return STYLE_CSS + class_css() + series + "\n"


def safe_url(url) -> str | None:
    """A plain http(s) URL from data, or None."""
    url = str(url or "")
    return url if _URL.fullmatch(url) else None


def link(href: str, label, attrs: str = "") -> str:
    return f'<a href="{esc(href)}"{attrs}>{esc(label)}</a>'


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


_NUMERIC = re.compile(r"^[−+±]?[\d.,]+(–[\d.,]+)?%?( \(.*\))?$|^–$")


def table_html(table: Table, table_id: str, first: bool = False, labelled_by: str | None = None) -> str:
    """A table in a scrollable region (a phone may be narrower than its columns): a caption, row
    headers in the first column (links to the places' pages when known), numbers right-aligned."""
    frame = table.frame
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    rows = list(frame.itertuples(index=False, name=None))
    numeric = [bool(rows) and all(_NUMERIC.match(str(row[i])) for row in rows) for i in range(len(frame.columns))]
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            if i == 0:
                href = table.links.get(text)
                cells.append(f'<th scope="row">{link(href, text) if href else esc(text)}</th>')
            else:
                cells.append(f'<td class="n">{esc(text)}</td>' if numeric[i] else f"<td>{esc(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    mark = ' data-first-figure=""' if first else ""
    # The caption stands outside the scrolling region so that it wraps at the screen's width (or a
    # heading right above names the table: `labelled_by`).
    label = labelled_by or f"{table_id}-c"
    caption = "" if labelled_by else f'<p class="cap" id="{label}">{esc(table.caption)}</p>'
    return (f'{caption}<div class="tw" role="region" aria-labelledby="{label}" tabindex="0">'
            f'<table aria-labelledby="{label}"{mark}>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def sources_html(rows: pd.DataFrame, release, lang: str) -> str:
    """Where the figure's numbers come from: the DEMO notice, or each source (numbered when there
    are several, matching the table's 'Source' column), with the release and its date."""
    from dashboard.static_site.content import source_title

    about = esc(t("frame.release_line", lang, title=source_title(release, lang), version=release.version,
                  as_of=fmt_date(release.data_as_of, lang)))
    if release.demo:
        return f'<p class="src"><strong>DEMO</strong> · {esc(t("source_line_demo", lang))} {about}</p>'
    numbers = source_numbers(rows)
    sources = release.sources
    items = []
    for source_id, number in numbers.items():
        source = sources.get(source_id, {"title": source_id})
        label = external_link(source.get("path"), source.get("title", source_id))
        items.append(f"[{number}] {label}" if len(numbers) > 1 else label)
    listed = esc(t("source_line", lang, sources="")) + " · ".join(items) + ". " if items else ""
    return f'<p class="src">{listed}{about}</p>'


def figure_html(figure: Figure, fig_id: str, release, lang: str) -> str:
    """Title (h2), subtitle and legend in HTML, the SVG, then the source and notes, then its table."""
    legend = ""
    if figure.legend:
        legend = '<ul class="legend">' + "".join(f'<li><span class="k {esc(cls)}"></span>{esc(label)}</li>'
                                                  for cls, label in figure.legend) + "</ul>"
    notes = "".join(f'<p class="notes">{esc(note)}</p>' for note in figure.notes if note)
    sub = f'<p class="sub">{esc(figure.subtitle)}</p>' if figure.subtitle else ""
    table = table_html(figure.table, f"{fig_id}-tbl") if figure.table is not None and len(figure.table.frame) else ""
    return (f'<figure id="{fig_id}" aria-labelledby="{fig_id}-h"><h2 id="{fig_id}-h">{esc(figure.title)}</h2>'
            f"{sub}{legend}{figure.svg}<figcaption>{sources_html(figure.rows, release, lang)}{notes}</figcaption>"
            f"</figure>{table}")


@dataclass(frozen=True)
class Frame:
    """What every page shares: language, release, where the edition's root is, the other language's page."""

    lang: str
    release: object  # loaders.Release
    root: str  # relative path from the page to the edition's root, e.g. "../../"
    other_lang_href: str | None  # the same page in the other language (None: not written)
    css: str = f"assets/{CSS_NAME}"  # the stylesheet, from the edition's root


def nav_html(frame: Frame) -> str:
    lang, base = frame.lang, f"{frame.root}{frame.lang}/"
    items = [link(f"{base}index.html#services", t("static.services", lang)),
             link(f"{base}index.html#provinces", t("static.provinces", lang)),
             link(f"{base}methodology.html", t("static.methodology", lang)),
             link(f"{base}data.html", t("static.data", lang))]
    if frame.other_lang_href:
        other = "vi" if lang == "en" else "en"
        items.append(f'<a href="{esc(frame.other_lang_href)}" hreflang="{other}" lang="{other}">'
                     f'{esc(t("static.other_lang", lang))}</a>')
    return f'<nav aria-label="{esc(t("frame.nav", lang))}"><ul>' + "".join(f"<li>{i}</li>" for i in items) + "</ul></nav>"


def footer_html(frame: Frame) -> str:
    lang, release = frame.lang, frame.release
    lines = [esc(t("frame.release_line", lang, title=release.title(lang), version=release.version,
                   as_of=fmt_date(release.data_as_of, lang))),
             esc(t("footer.published", lang, published=fmt_date(release.published, lang),
                   as_of=fmt_date(release.data_as_of, lang)))]
    lines.append(esc(t("footer.demo_source", lang)) if release.demo else
                 esc(t("footer.sources_count", lang, count=len(release.sources))))
    licences = [external_link(lic.get("path"), lic.get("title") or lic.get("name") or "")
                for lic in release.descriptor.get("licenses", [])]
    lines.append(f"{esc(t('footer.licence', lang))}: " + "; ".join(licences))
    lines.append(esc(boundary_attribution(lang)))
    lines.append(esc(t("light.generated", lang, release=release.id)))
    return "<footer>" + "".join(f"<p>{line}</p>" for line in lines) + "</footer>"


def demo_notice(release, lang: str) -> str:
    return f'<p class="demo" role="note">{inline_markdown(t("light.demo_notice", lang))}</p>' if release.demo else ""


def page_html(frame: Frame, title: str, body: str, description: str = "", head_title: str = "") -> str:
    """A whole page: head (one stylesheet), skip link, header, DEMO notice, body, footer."""
    lang = frame.lang
    meta = f'<meta name="description" content="{esc(description)}">\n' if description else ""
    # Which release the page shows, for programs (a monitor, a crawler, the fault test) as for people.
    meta += (f'<meta name="dashboard:release" content="{esc(frame.release.id)}">\n'
             f'<meta name="dashboard:version" content="{esc(frame.release.version)}">\n')
    return (f'<!doctype html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(head_title or title)} · {esc(t('app.title', lang))}</title>\n{meta}"
            f'<link rel="stylesheet" href="{esc(frame.root)}{esc(frame.css)}">\n</head>\n<body>\n'
            f'<a class="skip" href="#main">{esc(t("light.skip", lang))}</a>\n'
            f'<header><a class="site" href="{esc(frame.root)}{esc(lang)}/index.html">{esc(t("app.title", lang))}</a>'
            f"{nav_html(frame)}</header>\n<main id=\"main\">\n{demo_notice(frame.release, lang)}\n"
            f"<h1>{esc(title)}</h1>\n{body}\n</main>\n{footer_html(frame)}\n</body>\n</html>\n")
