"""The main part of each page of the light edition (the frame around it is `html_pages.page_html`)."""
from __future__ import annotations

from dashboard.content.method import design_lines
from dashboard.geo.attribution import boundary_attribution
from dashboard.i18n import LANGS, t
from dashboard.i18n.methodology import FLAGS_TEXT, methodology_sections
from dashboard.static_site.html_pages import esc, external_link, figure_html, link, markdown_html, table_html
from dashboard.static_site.pages import Page

LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def chart_page_body(page: Page, release, lang: str, csv_name: str | None) -> str:
    """Answer first (lead sentences), then each figure with its table, then link lists and the CSV."""
    parts = [f'<p class="sub">{esc(page.subtitle)}</p>'] if page.subtitle else []
    parts += [f'<p class="lead">{esc(sentence)}</p>' for sentence in page.leads if sentence]
    for number, figure in enumerate(page.figures, start=1):
        parts.append(figure_html(figure, f"f{number}", release, lang))
    for number, table in enumerate(page.tables, start=1):
        parts.append(f'<h2 id="t{number}-h">{esc(table.caption)}</h2>')
        parts.append(table_html(table, f"t{number}", first=not page.figures and number == 1,
                                labelled_by=f"t{number}-h"))
    if not page.figures and not page.tables and not page.links:
        parts.append(f"<p>{esc(t('static.none', lang))}</p>")
    for number, (heading, items) in enumerate(page.links):
        anchor = ' id="services"' if number == 0 and page.kind == "index" else ""
        if number == 1 and page.kind == "index":
            anchor = ' id="provinces"'
        parts.append(f"<h2{anchor}>{esc(heading)}</h2>")
        css = ' class="columns"' if len(items) > 8 else ""
        parts.append(f"<ul{css}>" + "".join(f"<li>{link(href, label)}</li>" for href, label in items) + "</ul>"
                     if items else f"<p>{esc(t('static.none', lang))}</p>")
    if csv_name:
        parts.append(f'<p class="notes">{link(csv_name, t("light.csv", lang))}</p>')
    return "\n".join(parts)


def methodology_body(release, lang: str, notes) -> str:
    en = lang == "en"
    parts = []
    for title, body in methodology_sections(lang):
        parts.append(f"<h2>{esc(title)}</h2>")
        parts.append(markdown_html(body))
    parts.append(f"<h2>{esc(t('m.design', lang))}</h2><ul>")
    parts += [f"<li>{esc(line)}</li>" for line in design_lines(release.descriptor, lang)]
    parts.append("</ul>")
    parts.append(f"<h2>{esc(t('m.flags', lang))}</h2><ul>")
    parts += [f"<li><code>{esc(flag)}</code>: {esc(en_text if en else vi)}</li>"
              for flag, (vi, en_text) in FLAGS_TEXT.items()]
    parts.append("</ul>")
    if release.sources:
        parts.append(f"<h2>{esc(t('m.sources', lang))}</h2><ul>")
        for source in release.sources.values():
            note = f" – {esc(source['note'])}" if source.get("note") else ""
            parts.append(f"<li>{external_link(source.get('path'), source.get('title', source['id']))}{note}</li>")
        parts.append("</ul>")
    licences = [external_link(lic.get("path"), lic.get("title") or lic.get("name") or "")
                for lic in release.descriptor.get("licenses", [])]
    parts.append(f"<h2>{esc(t('footer.licence', lang))}</h2><p>{'; '.join(licences)}</p>")
    parts.append(f"<h2>{esc(t('footer.boundaries', lang))}</h2><p>{esc(boundary_attribution(lang))}</p>")
    column = "text_en" if en else "text_vi"
    texts = [text for text in notes.get(column, []) if isinstance(text, str) and text]
    if texts:
        parts.append(f"<h2>{esc(t('m.notes', lang))}</h2><ul>" + "".join(f"<li>{esc(x)}</li>" for x in texts) + "</ul>")
    return "\n".join(parts)


def data_body(files, root: str, lang: str) -> str:
    """The release's tables in the formats this edition carries, one row per table."""
    parts = [f"<p>{esc(t('light.data_intro', lang))}</p>", f"<h2>{esc(t('static.tables', lang))}</h2>"]
    tables: dict[str, dict[str, str]] = {}
    descriptor = None
    for item in files:
        if item.table == "datapackage":
            descriptor = item
            continue
        tables.setdefault(item.table, {})[item.fmt] = f"{root}data/{item.path}"
    formats = [f for f in ("csv", "json", "xlsx", "parquet") if any(f in links for links in tables.values())]
    head = "".join(f'<th scope="col">{f.upper()}</th>' for f in formats)
    rows = []
    for table, links in tables.items():
        cells = "".join(f"<td>{link(links[f], f'{table}.{f}')}</td>" if f in links else "<td>–</td>" for f in formats)
        rows.append(f'<tr><th scope="row">{esc(table)}</th>{cells}</tr>')
    parts.append(f'<div class="tw" role="region" aria-labelledby="files-c" tabindex="0"><table data-first-figure="">'
                 f'<caption id="files-c">{esc(t("static.tables", lang))}</caption>'
                 f'<thead><tr><th scope="col">{esc(t("light.table", lang))}</th>{head}</tr></thead>'
                 f"<tbody>{''.join(rows)}</tbody></table></div>")
    if descriptor is not None:
        parts.append(f"<p>{esc(t('dl.descriptor', lang))}: {link(f'{root}data/{descriptor.path}', 'datapackage.json')}</p>")
    return "\n".join(parts)


def not_found_body(lang: str, site_url: str) -> str:
    """The 404 page's text: what happened and the way back (the index of the same language). It is
    served at any address under the edition, so its links start from the site's own address."""
    return (f"<p>{esc(t('light.not_found_text', lang))}</p>"
            f"<p>{link(f'{site_url}{lang}/index.html', t('light.not_found_home', lang))}</p>")


def language_chooser(release, css_href: str, languages: tuple[str, ...] = LANGS) -> str:
    """The edition's root index.html: the app's title in both languages and a link to each."""
    items = "".join(f'<li><a href="{code}/index.html" hreflang="{code}" lang="{code}">'
                    f'{esc(LANG_NAMES.get(code, code))}: {esc(release.title(code))}</a></li>' for code in languages)
    return ('<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(t('app.title', 'vi'))} · {esc(t('app.title', 'en'))}</title>\n"
            f'<link rel="stylesheet" href="{esc(css_href)}">\n</head>\n<body>\n<main id="main">\n'
            f"<h1>{esc(t('app.title', 'vi'))}</h1>\n<p lang=\"en\">{esc(t('app.title', 'en'))}</p>\n"
            f"<ul>{items}</ul>\n</main>\n</body>\n</html>\n")


def unit_stub(target: str, label: str, lang: str) -> str:
    """A page that only sends the reader on to a province page (no script: a meta refresh and a link)."""
    return (f'<!doctype html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="refresh" content="0; url={esc(target)}">\n'
            f'<link rel="canonical" href="{esc(target)}">\n<title>{esc(label)}</title>\n</head>\n'
            f'<body>\n<main>\n<h1>{esc(label)}</h1>\n<p>{link(target, label)}</p>\n</main>\n</body>\n</html>\n')
