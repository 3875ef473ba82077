"""The trends page's tables: year-over-year changes with their significance, and ranks."""
from __future__ import annotations

import pandas as pd

from dashboard.i18n import fmt_number, fmt_signed, t
from dashboard.views.figures import rank_changes, year_changes


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


def series_labels(frame: pd.DataFrame, labels: dict[str, str], lang: str) -> list[str]:
    """One legend label per unit; the 34-province (2025) series is labelled as its own."""
    out = []
    for code, geo in zip(frame["unit_code"], frame["geo_version"]):
        name = labels.get(code, code)
        out.append(f"{name} ({t('geo.vn34', lang)})" if geo == "vn34" and code != "VN" else name)
    return out


def _significance(row, lang: str) -> str:
    if row["method_break"]:
        return t("tr.break_2022", lang)
    if row["reform"]:
        return t("tr.reform_2025", lang)
    if row["significant"] is None or pd.isna(row["significant"]):
        text = t("unknown", lang)
    else:
        text = t("yes", lang) if row["significant"] else t("no", lang)
    return f"{text} ({t('tr.vs_harmonised', lang)})" if row.get("vs_harmonised", False) else text


def change_table(frame: pd.DataFrame, labels: dict[str, str], lang: str,
                 tested: pd.DataFrame | None = None) -> pd.DataFrame:
    """Change from the previous year for each unit, with the release's significance test."""
    changes = year_changes(frame, tested)
    if changes.empty:
        return pd.DataFrame({t("col.unit", lang): []})
    changes = changes.sort_values(["unit_code", "year"])
    return pd.DataFrame({
        t("col.unit", lang): [labels.get(c, c) for c in changes["unit_code"]],
        t("col.year", lang): [f"{int(p)} → {int(y)}" for p, y in zip(changes["prev_year"], changes["year"])],
        t("col.previous", lang): [fmt_number(v, lang) for v in changes["prev_value"]],
        t("col.value", lang): [fmt_number(v, lang) for v in changes["value"]],
        t("col.change", lang): [fmt_signed(v, lang) for v in changes["change"]],
        t("col.significant", lang): [_significance(r, lang) for _, r in changes.iterrows()],
    })


def rank_table(level_frame: pd.DataFrame, chosen: list[str], labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Rank of the chosen units each year; published ranks (out of 63) where the release has them."""
    if level_frame.empty:
        return pd.DataFrame()
    published = "rank_published" in level_frame and level_frame["rank_published"].notna().any()
    if published:
        rows = level_frame[level_frame["unit_code"].isin(chosen) & level_frame["rank_published"].notna()].copy()
        rows["rank"] = rows["rank_published"].astype(int)
        rows["of"] = 63
        rows = rows.sort_values(["unit_code", "year"])
        rows["rank_change"] = -rows.groupby("unit_code")["rank"].diff()
    else:
        counts = level_frame.groupby("year")["unit_code"].nunique()
        if counts.max() < 3:
            return pd.DataFrame()
        rows = rank_changes(level_frame)
        rows = rows[rows["unit_code"].isin(chosen)].sort_values(["unit_code", "year"])
    if rows.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        t("col.unit", lang): [labels.get(c, c) for c in rows["unit_code"]],
        t("col.year", lang): [f"{int(y)} ({t('tr.harmonised', lang)})" if h else str(int(y))
                              for y, h in zip(rows["year"], rows.get("harmonised", pd.Series(False, index=rows.index)))],
        t("col.rank", lang): [f"{int(r)}/{int(o)}" for r, o in zip(rows["rank"], rows["of"])],
        t("col.rank_change", lang): [fmt_signed(v, lang, 0) if pd.notna(v) else "–" for v in rows["rank_change"]],
    })
