"""The compare page's tables: units ranked with their rank ranges, and 2–5 units side by side."""
from __future__ import annotations

import pandas as pd

from dashboard.content.number_columns import set_number_column
from dashboard.content.published import rank_phrase
from dashboard.i18n import flag_names, fmt_interval, service_name, t
from dashboard.release.contract import SERVICES

RANK_COLUMNS = ["rank", "rank_low", "rank_high", "rank_of", "top_set", "bottom_set"]


def with_ranks(data: pd.DataFrame, ranks: pd.DataFrame | None) -> pd.DataFrame:
    """Figures with the release's rank, 95% rank range and first/last sets (ranks.parquet); None:
    figures that must not carry the product's rank ranges (a province's own survey)."""
    ranks = pd.DataFrame() if ranks is None else ranks
    present = [c for c in RANK_COLUMNS if c in ranks]
    out = data.merge(ranks[["unit_code", *present]], on="unit_code", how="left") if len(ranks) else data
    return out.assign(**{c: pd.NA for c in RANK_COLUMNS if c not in out})


def is_true(value) -> bool:
    """True for True/np.True_, False for False, None, NaN and pd.NA."""
    return not pd.isna(value) and bool(value)


def rank_text(rank, low, high, of=None) -> str:
    """'5 (2–14) / 63': the rank, its 95% range and how many places were ranked."""
    if pd.isna(rank):
        return ""
    text = str(int(rank)) if low == high else f"{int(rank)} ({int(low)}–{int(high)})"
    return text + ("" if of is None or pd.isna(of) else f" / {int(of)}")


def first_last(top, bottom, lang: str) -> str:
    """Whether a unit is in the joint 95% confidence set for first or for last place."""
    parts = ([t("cmp.could_be_first", lang)] if is_true(top) else []) + \
        ([t("cmp.could_be_last", lang)] if is_true(bottom) else [])
    return ", ".join(parts)


def ranked_table(data: pd.DataFrame, lang: str, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units by value with interval, n, flag, rank range and whether each could be first or last;
    with `published` (rows of published_ranks), the rank each source published, in its own column."""
    rows = data.dropna(subset=["value"]).copy()
    rows = rows.sort_values("value", ascending=False)
    out = pd.DataFrame({
        t("col.unit", lang): rows["name"].tolist(),
        t("col.value", lang): rows["value"].tolist(),
        t("col.interval", lang): [fmt_interval(a, b, lang) for a, b in zip(rows["ci_low"], rows["ci_high"])],
        t("col.n", lang): rows["n"].tolist(),
        t("col.flag", lang): flag_names(rows, lang),
        t("cmp.rank", lang): [rank_text(r, lo, hi, n) for r, lo, hi, n in
                              zip(rows["rank"], rows["rank_low"], rows["rank_high"], rows["rank_of"])],
        t("cmp.first_last", lang): [first_last(a, b, lang) for a, b in zip(rows["top_set"], rows["bottom_set"])],
    })
    set_number_column(out, t("col.value", lang), out[t("col.value", lang)], lang)
    set_number_column(out, t("col.n", lang), out[t("col.n", lang)], lang, decimals=0)
    if published is not None and len(published):
        said = {c: (r, o) for c, r, o in zip(published["unit_code"], published["rank"], published["rank_of"])}
        out[t("col.rank_published", lang)] = [rank_phrase(*said[c], True, lang) if c in said else "" for c in rows["unit_code"]]
    if rows["ci_low"].isna().all():
        out = out.drop(columns=[t("col.interval", lang)])
    if rows["rank"].isna().all():
        out = out.drop(columns=[t("cmp.rank", lang)])
    if rows["top_set"].isna().all():
        out = out.drop(columns=[t("cmp.first_last", lang)])
    if rows["n"].isna().all():
        out = out.drop(columns=[t("col.n", lang)])
    if (out[t("col.flag", lang)] == "").all():
        out = out.drop(columns=[t("col.flag", lang)])
    return out.reset_index(drop=True)


def compare_subtitle(data: pd.DataFrame, lang: str) -> str:
    """What the chart's marks mean: hollow = small sample, grey band = could be first."""
    parts = []
    if "top_set" in data and data["top_set"].fillna(False).astype(bool).any():
        parts.append(t("cmp.top_band", lang))
    if data["flag"].eq("low_n").any():
        parts.append(t("cmp.low_n", lang))
    return " ".join(parts)


def side_by_side(rows: pd.DataFrame, picked: list[str], labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Services (rows) × picked units (columns) of the overall index (numbers, written in the language)."""
    pivot = rows.pivot_table(index="service", columns="unit_code", values="value", aggfunc="first")
    pivot = pivot.reindex([s for s in SERVICES if s in pivot.index])
    out = pd.DataFrame({t("col.service", lang): [service_name(s, lang) for s in pivot.index]})
    for code in picked:
        if code in pivot.columns:
            set_number_column(out, labels.get(code, code), pivot[code], lang)
    return out


def has_rank_ranges(data: pd.DataFrame) -> bool:
    """True when the figures carry the release's 95% rank ranges (ranks.parquet)."""
    return "rank" in data and bool(data["rank"].notna().any())


def parent_codes(data: pd.DataFrame) -> list[str]:
    """The provinces whose districts the figures hold, by code."""
    return sorted({p for p in data["parent_code"].dropna().unique()}) if "parent_code" in data else []


def in_province(data: pd.DataFrame, province: str | None) -> pd.DataFrame:
    """The figures of one province's districts (all figures when no province is given)."""
    if not province or "parent_code" not in data:
        return data
    return data[data["parent_code"] == province]


def with_names(data: pd.DataFrame, name_of) -> pd.DataFrame:
    """The figures with each unit's name in `name`."""
    return data.assign(name=[name_of(g, c) for g, c in zip(data["geo_version"], data["unit_code"])])


def units_by_value(data: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Unit codes by value, highest first, and code -> name (from `with_names`)."""
    return data.sort_values("value", ascending=False)["unit_code"].tolist(), dict(zip(data["unit_code"], data["name"]))
