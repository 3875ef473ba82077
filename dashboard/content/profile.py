"""One unit's profile: every service and criterion, history, peers, and a printable briefing."""
from __future__ import annotations

import html

import pandas as pd

from dashboard.content.number_columns import as_text, set_number_column
from dashboard.i18n import flag_names, fmt_date, fmt_interval, fmt_number, indicator_name, service_name, t
from dashboard.release.catalogue import catalogue_order
from dashboard.release.contract import INDEX


def unit_rows(frame: pd.DataFrame, unit: str, geo: str) -> pd.DataFrame:
    """Every figure of one unit (all years) on one boundary set."""
    return frame[(frame["unit_code"] == unit) & (frame["geo_version"] == geo)]


def districts_of(frame: pd.DataFrame, unit: str, level: str) -> pd.DataFrame | None:
    """The figures of a province's districts (None for other places or without parent codes)."""
    if level != "province" or "parent_code" not in frame:
        return None
    return frame[(frame["level"] == "district") & (frame["parent_code"] == unit)]


def profile_codes(units: pd.DataFrame, *tables: pd.DataFrame, geo: str) -> list[tuple[str, str]]:
    """(geo, code) of every place a profile can show on `geo`: the country, every province and
    district of the boundary set (a place with nothing published says so) and any unit of `tables`."""
    known = units[(units["geo_version"] == geo) & units["level"].isin(["national", "province", "district"])]["unit_code"]
    codes = set(known) | {"VN"}
    for table in tables:
        codes |= set(table.loc[table["geo_version"] == geo, "unit_code"]) if len(table) else set()
    return sorted((geo, c) for c in codes)


def unit_facts(units: pd.DataFrame, geo: str, code: str) -> tuple[str, str | None]:
    """The level of a unit and its parent's code (None for the country), from the units table."""
    if code == "VN":
        return "national", None
    row = units[(units["geo_version"] == geo) & (units["unit_code"] == code)]
    if row.empty:
        return ("province" if len(code) == 2 else "district"), None
    return str(row["level"].iloc[0]), (str(row["parent_code"].iloc[0]) or None)


def profile_years(release_years, own_years) -> list[int]:
    """Years a profile offers: every year of the release on its boundary set (a reader arriving
    from another page keeps the year), with the place's own years."""
    return sorted({int(y) for y in [*release_years, *own_years]}, reverse=True)


def profile_table(rows_year: pd.DataFrame, national_year: pd.DataFrame, lang: str,
                  gaps: pd.DataFrame | None = None) -> pd.DataFrame:
    """Service and criterion rows of one year: value, interval, n, flag, the national value and
    the release's verdict on the gap to the country (`gaps`: rows of gaps.parquet)."""
    rows = rows_year.sort_values(["service", "indicator"], key=catalogue_order)
    nat = {(s, i): v for s, i, v in zip(national_year["service"], national_year["indicator"], national_year["value"])}
    out = pd.DataFrame({
        t("col.service", lang): [service_name(s, lang) for s in rows["service"]],
        t("col.indicator", lang): [("• " if i != INDEX else "") + indicator_name(s, i, lang)
                                   for s, i in zip(rows["service"], rows["indicator"])],
        t("col.value", lang): rows["value"].tolist(),
        t("col.interval", lang): [fmt_interval(a, b, lang) for a, b in zip(rows["ci_low"], rows["ci_high"])],
        t("col.n", lang): rows["n"].tolist(),
        t("col.flag", lang): flag_names(rows, lang),
        t("level.national", lang): [nat.get((s, i)) for s, i in zip(rows["service"], rows["indicator"])],
    })
    for column, decimals in ((t("col.value", lang), 2), (t("col.n", lang), 0), (t("level.national", lang), 2)):
        set_number_column(out, column, out[column], lang, decimals=decimals)
    if gaps is not None and len(gaps):
        verdict = {(s, i): gap_verdict(g, sig, lang) for s, i, g, sig in
                   zip(gaps["service"], gaps["indicator"], gaps["gap"], gaps["significant"])}
        out[t("pf.vs_country", lang)] = [verdict.get((s, i), "") for s, i in zip(rows["service"], rows["indicator"])]
    for column in (t("col.interval", lang), t("col.n", lang), t("col.flag", lang)):
        if (out[column].isna() | out[column].isin(["–", ""])).all():
            out = out.drop(columns=column)
    return out.reset_index(drop=True)


def gap_verdict(gap: float, significant: bool, lang: str) -> str:
    """'clearly higher' / 'clearly lower' / 'not distinguishable' from the country."""
    if not bool(significant):
        return t("gap.same", lang)
    return t("gap.higher" if gap > 0 else "gap.lower", lang)


# SIPAS is one component of the provincial PAR Index, worth 10 of its 100 points (METHOD_FACTS.md).
PAR_SIPAS_POINTS = 10.0


def par_points(value: float) -> float:
    """Points a SIPAS percentage earns in the PAR Index's SIPAS component (out of 10):
    Hà Tĩnh 2021, 91,17% -> 9,12 points (baohatinh.vn)."""
    return round(value / 100 * PAR_SIPAS_POINTS, 2)


def par_sentence(of_year: pd.DataFrame, level: str, lang: str) -> str | None:
    """What a province's SIPAS index of the year earns in the PAR Index; None for other places."""
    sipas = of_year[(of_year["service"] == "admin") & (of_year["indicator"] == INDEX)].dropna(subset=["value"])
    if level != "province" or sipas.empty:
        return None
    return t("pf.par", lang, points=fmt_number(par_points(float(sipas["value"].iloc[0])), lang))


def _html_table(table: pd.DataFrame) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(str(c))}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>" for row in table.to_numpy())
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def briefing_html(title: str, subtitle: str, table: pd.DataFrame, sentences: list[str], source: str,
                  lang: str, as_of: str, demo: bool, history: pd.DataFrame | None = None,
                  history_title: str = "") -> str:
    """A self-contained, printable one-page HTML briefing (all text escaped)."""
    esc = html.escape
    more = (f"<h2>{esc(history_title)}</h2>{_html_table(as_text(history))}" if history is not None and len(history) else "")
    demo_box = (f"<p class='demo'>{esc(t('frame.demo_notice', lang).replace('**', ''))}</p>" if demo else "")
    items = "".join(f"<li>{esc(s)}</li>" for s in sentences)
    return f"""<!doctype html>
<html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font-family: 'Noto Sans', Arial, sans-serif; margin: 2em; color: #1a1a1a; }}
h1 {{ font-size: 1.5em; margin-bottom: 0; }} .sub {{ color: #444; margin-top: .2em; }}
h2 {{ font-size: 1.1em; margin-top: 1.2em; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9em; }}
th, td {{ border: 1px solid #bbb; padding: 4px 6px; text-align: left; }} th {{ background: #f1f4f8; }}
.demo {{ border: 3px solid #b45309; background: #fff7ed; padding: .6em; font-weight: bold; }}
.src {{ font-size: .8em; color: #555; margin-top: 1.5em; }}
@media print {{ body {{ margin: 1cm; }} }}
</style></head><body>
<h1>{esc(title)}</h1><p class="sub">{esc(subtitle)}</p>{demo_box}
<ul>{items}</ul>
{_html_table(as_text(table))}{more}
<p class="src">{esc(source)} · {esc(fmt_date(as_of, lang))}</p>
</body></html>"""


def national_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["unit_code"] == "VN"]


def history_rows(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A place's overall index of every service over the years, each line labelled by its service."""
    history = rows[rows["indicator"] == INDEX]
    return history.assign(label=[service_name(s, lang) for s in history["service"]])


def main_service(rows: pd.DataFrame) -> str:
    """The service a place's summary speaks of: administrative services when it has them."""
    services = set(rows["service"].unique())
    return "admin" if "admin" in services else str(rows["service"].iloc[0])


def latest_year(rows: pd.DataFrame) -> int:
    return int(rows["year"].max())


def years_on(avail: pd.DataFrame, geo: str) -> pd.Series:
    """The years the release holds on boundary set `geo`."""
    return avail.loc[avail["geo_version"] == geo, "year"]


def shown_year(rows: pd.DataFrame, year: int, latest) -> int:
    """The year a profile shows: the one asked for when the place has figures then, else the year
    of its latest figure (`latest`, from `latest_figure`), else its last year."""
    if (rows["year"] == year).any():
        return year
    return int(latest["year"]) if latest is not None else latest_year(rows)
