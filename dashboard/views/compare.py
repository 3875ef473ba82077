"""The compare page's tables: units ranked with tie groups, and 2–5 units side by side."""
from __future__ import annotations

import pandas as pd

from dashboard.contract import SERVICES
from dashboard.i18n import flag_name, fmt_interval, fmt_number, service_name, t


def with_ranks(data: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    """Figures with the release's rank, 95% rank interval and tie group (bootstrap, ranks.parquet)."""
    cols = ["unit_code", "rank", "rank_low", "rank_high", "tie_group"]
    if ranks.empty:
        return data.assign(**{c: pd.NA for c in cols[1:]})
    return data.merge(ranks[cols], on="unit_code", how="left")


def ranked_table(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Units by value with interval, n, flag, rank interval and tie group (from `with_ranks`)."""
    rows = data.dropna(subset=["value"]).copy()
    rows = rows.sort_values("value", ascending=False)
    out = pd.DataFrame({
        t("col.unit", lang): rows["name"].tolist(),
        t("col.value", lang): [fmt_number(v, lang) for v in rows["value"]],
        t("col.interval", lang): [fmt_interval(a, b, lang) for a, b in zip(rows["ci_low"], rows["ci_high"])],
        t("col.n", lang): [fmt_number(v, lang, 0) for v in rows["n"]],
        t("col.flag", lang): [flag_name(f, lang) for f in rows["flag"]],
        t("cmp.rank", lang): [_rank_text(r, lo, hi) for r, lo, hi in zip(rows["rank"], rows["rank_low"], rows["rank_high"])],
        t("cmp.tie", lang): ["" if pd.isna(g) else str(int(g)) for g in rows["tie_group"]],
    })
    if rows["ci_low"].isna().all():
        out = out.drop(columns=[t("col.interval", lang)])
    if rows["tie_group"].isna().all():
        out = out.drop(columns=[t("cmp.rank", lang), t("cmp.tie", lang)])
    if rows["n"].isna().all():
        out = out.drop(columns=[t("col.n", lang)])
    return out.reset_index(drop=True)


def _rank_text(rank, low, high) -> str:
    if pd.isna(rank):
        return ""
    return f"{int(rank)} ({int(low)}–{int(high)})" if low != high else str(int(rank))


def side_by_side(rows: pd.DataFrame, picked: list[str], labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Services (rows) × picked units (columns) of the overall index, as text in the language."""
    pivot = rows.pivot_table(index="service", columns="unit_code", values="value", aggfunc="first")
    pivot = pivot.reindex([s for s in SERVICES if s in pivot.index])
    out = pd.DataFrame({t("col.service", lang): [service_name(s, lang) for s in pivot.index]})
    for code in picked:
        if code in pivot.columns:
            out[labels.get(code, code)] = [fmt_number(v, lang) for v in pivot[code]]
    return out
