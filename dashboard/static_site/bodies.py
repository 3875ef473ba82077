"""The main part of each static page (the frame around it is `html_pages.page_html`)."""
from __future__ import annotations

from dashboard.i18n import LANGS, service_name, t
from dashboard.i18n.methodology import FLAGS_TEXT, methodology_sections
from dashboard.views.method import design_lines
from dashboard.geo.attribution import boundary_attribution
from dashboard.static_site.content import GEO_ORDER, Page, SiteData, index_table, province_path, service_path, \
    services_of, sorted_provinces
from dashboard.static_site.html_pages import esc, external_link, link, markdown_html, table_html

NUMERIC_COLUMNS = ("col.value", "col.n", "col.interval")


def numeric_columns(lang: str) -> tuple[str, ...]:
    return tuple(t(key, lang) for key in NUMERIC_COLUMNS)


def index_body(data: SiteData, lang: str) -> str:
    release = data.release
    parts = [f"<p>{esc(t('static.intro', lang))}</p>"]
    description = release.descriptor.get("description_en" if lang == "en" else "description")
    if description:
        parts.append(f"<p>{esc(description)}</p>")
    headline = index_table(data, lang)
    if not headline.empty:
        parts.append(f"<h2>{esc(t('indicator.index', lang))} – {esc(t('level.national', lang))}</h2>")
        parts.append(table_html(headline, numeric_columns(lang)))
    services = services_of(data)
    parts.append(f'<h2 id="services">{esc(t("static.services", lang))}</h2>')
    parts.append("<ul>" + "".join(f"<li>{link(service_path(s), service_name(s, lang))}</li>" for s in services)
                 + "</ul>" if services else f"<p>{esc(t('static.none', lang))}</p>")
    parts.append(f'<h2 id="provinces">{esc(t("static.provinces", lang))}</h2>')
    provinces = sorted_provinces(data, lang)
    if not provinces:
        parts.append(f"<p>{esc(t('static.none', lang))}</p>")
    for geo in GEO_ORDER:
        group = [(c, name) for g, c, name in provinces if g == geo]
        if group:
            parts.append(f"<h3>{esc(t(f'static.geo_{geo}', lang))}</h3>")
            parts.append('<ul class="columns">' + "".join(
                f"<li>{link(province_path(data.units, geo, code), name)}</li>" for code, name in group) + "</ul>")
    return "\n".join(parts)


def chart_page_body(page: Page, charts_html: list[str], data_csv: str | None, lang: str) -> str:
    parts = list(charts_html) or [f"<p>{esc(t('static.none', lang))}</p>"]
    if page.table is not None and not page.table.empty:
        parts.append(f"<h2>{esc(t('static.table', lang))}</h2>")
        parts.append(table_html(page.table, numeric_columns(lang)))
    if data_csv:
        parts.append(f'<p class="downloads">{link(data_csv, t("static.csv", lang))}</p>')
    return "\n".join(parts)


def methodology_body(data: SiteData, lang: str, notes) -> str:
    en = lang == "en"
    parts = []
    for title, body in methodology_sections(lang):
        parts.append(f"<h2>{esc(title)}</h2>")
        parts.append(markdown_html(body))
    parts.append(f"<h2>{esc(t('m.design', lang))}</h2><ul>")
    parts += [f"<li>{esc(line)}</li>" for line in design_lines(data.release.descriptor, lang)]
    parts.append("</ul>")
    parts.append(f"<h2>{esc(t('m.flags', lang))}</h2><ul>")
    parts += [f"<li><code>{esc(flag)}</code>: {esc(en_text if en else vi)}</li>"
              for flag, (vi, en_text) in FLAGS_TEXT.items()]
    parts.append("</ul>")
    sources = data.release.sources
    if sources:
        parts.append(f"<h2>{esc(t('m.sources', lang))}</h2><ul>")
        for source in sources.values():
            note = f" – {esc(source['note'])}" if source.get("note") else ""
            parts.append(f"<li>{external_link(source.get('path'), source.get('title', source['id']))}{note}</li>")
        parts.append("</ul>")
    licences = [external_link(lic.get("path"), lic.get("title") or lic.get("name") or "")
                for lic in data.release.descriptor.get("licenses", [])]
    parts.append(f"<h2>{esc(t('footer.licence', lang))}</h2><p>{'; '.join(licences)}</p>")
    parts.append(f"<h2>{esc(t('footer.boundaries', lang))}</h2><p>{esc(boundary_attribution(lang))}</p>")
    column = "text_en" if en else "text_vi"
    texts = [text for text in notes.get(column, []) if isinstance(text, str) and text]
    if texts:
        parts.append(f"<h2>{esc(t('m.notes', lang))}</h2><ul>" + "".join(f"<li>{esc(x)}</li>" for x in texts) + "</ul>")
    return "\n".join(parts)


def data_body(files, root: str, lang: str) -> str:
    """The stable files of the release, one row per table, one link per format."""
    parts = [f"<p>{esc(t('stable.intro', lang))}</p>", f"<h2>{esc(t('static.tables', lang))}</h2>"]
    tables: dict[str, dict[str, str]] = {}
    descriptor = None
    for item in files:
        if item.table == "datapackage":
            descriptor = item
            continue
        tables.setdefault(item.table, {})[item.fmt] = f"{root}data/{item.path}"
    formats = ["csv", "json", "xlsx", "parquet"]
    head = "".join(f'<th scope="col">{f.upper()}</th>' for f in formats)
    rows = []
    for table, links in tables.items():
        cells = "".join(f"<td>{link(links[f], f'{table}.{f}')}</td>" if f in links else "<td>–</td>" for f in formats)
        rows.append(f"<tr><th scope=\"row\">{esc(table)}</th>{cells}</tr>")
    parts.append(f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    if descriptor is not None:
        parts.append(f"<p>{esc(t('dl.descriptor', lang))}: {link(f'{root}data/{descriptor.path}', 'datapackage.json')}</p>")
    return "\n".join(parts)


def language_chooser(release, languages: tuple[str, ...] = LANGS) -> str:
    """The site's root index.html: the release's title and a link to each language written."""
    items = "".join(f'<li><a href="{code}/index.html" hreflang="{code}">{esc(release.title(code))}</a></li>'
                    for code in languages)
    return ('<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(t('app.title', 'vi'))} · {esc(t('app.title', 'en'))}</title>\n"
            '<link rel="stylesheet" href="assets/style.css">\n</head>\n<body>\n<main>\n'
            f"<h1>{esc(t('app.title', 'vi'))}</h1>\n<p lang=\"en\">{esc(t('app.title', 'en'))}</p>\n"
            f"<ul>{items}</ul>\n</main>\n</body>\n</html>\n")
