"""The trends page's tables: year-over-year changes with their significance, and ranks."""
from __future__ import annotations

import pandas as pd

from dashboard.content.compare import first_last, rank_text
from dashboard.content.comparisons import change_rows
from dashboard.content.number_columns import set_number_column
from dashboard.content.published import rank_phrase
from dashboard.i18n import fmt_interval, t


def trend_rows(results: pd.DataFrame, harmonised: pd.DataFrame, geo: str) -> pd.DataFrame:
    """The yearly figures to draw on one boundary set, with a `harmonised` column.

    On `vn63` (the 63 provinces and their districts, up to 2024) units are read only on that
    set: code 15 is Yên Bái there, and the new Lào Cai on `vn34`. On `vn34`, the 34 provinces'
    own figures (from 2025) are preceded by the release's harmonised figures: earlier years
    re-aggregated to the new provinces. The national series belongs to both.
    """
    own = results[(results["geo_version"] == geo) | (results["level"] == "national")].assign(harmonised=False)
    if geo != "vn34" or harmonised.empty:
        return own.reset_index(drop=True)
    earlier = harmonised[harmonised["geo_version"] == "vn34"].assign(harmonised=True)
    earlier = earlier[earlier["level"].isin(set(own["level"].unique()))]
    columns = [c for c in own.columns if c in earlier.columns]
    return pd.concat([own, earlier[columns]], ignore_index=True).sort_values(["unit_code", "year"], ignore_index=True)


def reform_year(frame: pd.DataFrame) -> int | None:
    """The first year on the 34 provinces when the frame also holds earlier figures, else None."""
    own = frame[(frame["geo_version"] == "vn34")]
    if "harmonised" in own:
        own = own[~own["harmonised"].fillna(False).astype(bool)]
    if own.empty:
        return None
    first = int(own["year"].min())
    return first if (frame["year"].astype(int) < first).any() else None


def method_break_years(frame: pd.DataFrame, breaks: set[tuple[str, int]]) -> list[int]:
    """The release's method breaks that fall inside the frame's years for its services (the
    2025 reform, marked on its own, excluded)."""
    years = frame["year"].astype(int)
    services, reform = set(frame["service"].unique()), reform_year(frame)
    return sorted({y for s, y in breaks if s in services and years.min() < y <= years.max() and y != reform})


def break_note(series: pd.DataFrame, breaks: set[tuple[str, int]], lang: str) -> str:
    """A trend chart's subtitle where its line is broken by a change of method, else ''."""
    broken = method_break_years(series, breaks)
    return t("tr.break_note", lang, years=", ".join(map(str, broken))) if broken else ""


NOT_COMPARED = ("break", "reform", "vs_harmonised")


def change_table(frame: pd.DataFrame, labels: dict[str, str], lang: str, changes: pd.DataFrame | None,
                 breaks: set[tuple[str, int]]) -> pd.DataFrame:
    """Change from the previous year for each unit, with the release's interval and verdict."""
    rows = change_rows(frame, changes, breaks)
    if rows.empty:
        return pd.DataFrame({t("col.unit", lang): []})
    out = pd.DataFrame({
        t("col.unit", lang): [labels.get(c, c) for c in rows["unit_code"]],
        t("col.year", lang): [f"{int(p)} → {int(y)}" + (f" ({t('tr.harmonised', lang)})" if h else "")
                              for p, y, h in zip(rows["prev_year"], rows["year"], rows["harmonised"])],
        t("col.previous", lang): rows["prev_value"].tolist(),
        t("col.value", lang): rows["value"].tolist(),
        t("col.change", lang): [v if verdict not in NOT_COMPARED else None
                                for v, verdict in zip(rows["change"], rows["verdict"])],
        t("col.change_interval", lang): [fmt_interval(a, b, lang) for a, b in zip(rows["change_low"], rows["change_high"])],
        t("col.significant", lang): [t(f"verdict.{v}", lang) for v in rows["verdict"]],
    })
    for column in (t("col.previous", lang), t("col.value", lang)):
        set_number_column(out, column, out[column], lang)
    set_number_column(out, t("col.change", lang), out[t("col.change", lang)], lang, signed=True)
    if rows["change_low"].isna().all():
        out = out.drop(columns=t("col.change_interval", lang))
    return out


def rank_table(ranks: pd.DataFrame, published: pd.DataFrame, values: pd.DataFrame, labels: dict[str, str],
               lang: str) -> pd.DataFrame:
    """Ranks of the chosen units each year, as the release published them.

    `ranks` are rows of ranks.parquet (the rank, its 95% range, whether the unit could be first or
    last); `published` are rows of published_ranks.parquet (a rank a source published, with or
    without a value: `values` holds the figures, to say which). The two are never mixed: a
    release with rank ranges shows those. Nothing is ranked here.
    """
    if not ranks.empty:
        rows = ranks.sort_values(["unit_code", "year"])
        of = rows["rank_of"] if "rank_of" in rows else pd.Series(pd.NA, index=rows.index)
        out = pd.DataFrame({
            t("col.unit", lang): [labels.get(c, c) for c in rows["unit_code"]],
            t("col.year", lang): [str(int(y)) for y in rows["year"]],
            t("cmp.rank", lang): [rank_text(r, lo, hi, n) for r, lo, hi, n in
                                  zip(rows["rank"], rows["rank_low"], rows["rank_high"], of)],
        })
        if "top_set" in rows:
            out[t("cmp.first_last", lang)] = [first_last(a, b, lang) for a, b in zip(rows["top_set"], rows["bottom_set"])]
        return out
    if published.empty:
        return pd.DataFrame()
    rows = published.sort_values(["unit_code", "year"])
    valued = set(zip(values.dropna(subset=["value"])["unit_code"], values.dropna(subset=["value"])["year"].astype(int)))
    return pd.DataFrame({
        t("col.unit", lang): [labels.get(c, c) for c in rows["unit_code"]],
        t("col.year", lang): [str(int(y)) for y in rows["year"]],
        t("col.rank_published", lang): [rank_phrase(r, o, (c, int(y)) in valued, lang)
                                        for r, o, c, y in zip(rows["rank"], rows["rank_of"], rows["unit_code"], rows["year"])],
    })


def narrow_pool(avail: pd.DataFrame, service: str | None, indicator: str | None = None) -> pd.DataFrame:
    """The (year, geo, level, ...) combinations the release holds for a service (and indicator)."""
    pool = avail[avail["service"] == service]
    return pool if indicator is None else pool[pool["indicator"] == indicator]


def trend_levels(pool: pd.DataFrame, geo: str) -> list[str]:
    """Levels a trend offers on `geo` beside the country (the country alone when there is none)."""
    present = set(pool.loc[pool["geo_version"] == geo, "level"])
    return [lv for lv in ("province", "district") if lv in present] or ["national"]


def has_geo(avail: pd.DataFrame, geo: str) -> bool:
    """Whether the release holds any figure on boundary set `geo`."""
    return bool((avail["geo_version"] == geo).any())


def unit_codes(data: pd.DataFrame) -> list[str]:
    return list(data["unit_code"].unique())


def of_units(data: pd.DataFrame, chosen, level: str | None = None) -> pd.DataFrame:
    """The rows of the `chosen` units (at `level`, if given)."""
    rows = data[data["unit_code"].isin(list(chosen))]
    return rows if level is None else rows[rows["level"] == level]


def on_geo_only(frame: pd.DataFrame, geo: str) -> pd.DataFrame:
    return frame[frame["geo_version"] == geo]


def with_labels(shown: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The lines with each unit's name in `label` (the legend)."""
    return shown.assign(label=shown["unit_code"].map(labels))


def any_harmonised(shown: pd.DataFrame) -> bool:
    return bool(shown["harmonised"].any()) if "harmonised" in shown else False
