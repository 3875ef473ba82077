"""Names of administrative units and finding a unit by what someone types.

Names come from `geodata/units.parquet` (built by `python -m dashboard geodata`; read by
`dashboard.geo.units_table`). When it is not built yet, units are still usable: their name is
their GSO code, so no page breaks.
"""
from __future__ import annotations

import pandas as pd

from dashboard.i18n import level_name, t
from dashboard.release.contract import PROVINCES_BY_GEO
from dashboard.text import fold

# Places are named with their Vietnamese diacritics in both languages (PRODUCT.md, Geography:
# "Names keep Vietnamese diacritics"): Hà Tĩnh, not Ha Tinh. `name_en` (ASCII) is for search.
DISPLAY_NAME = "name_vi"


def name_lookup(units: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(geo_version, unit_code) -> display name."""
    return {(g, c): n for g, c, n in zip(units["geo_version"], units["unit_code"], units[DISPLAY_NAME])}


def unit_name(names: dict[tuple[str, str], str], geo_version: str, code: str, lang: str) -> str:
    """A unit's name; the national unit is 'Toàn quốc'/'Vietnam'; unknown codes show the code."""
    if code == "VN":
        return "Toàn quốc" if lang != "en" else "Vietnam"
    return names.get((geo_version, code)) or names.get(("vn63", code)) or code


def add_names(frame: pd.DataFrame, names: dict[tuple[str, str], str], lang: str,
              column: str = "name") -> pd.DataFrame:
    """A copy of `frame` with a column of unit names (from geo_version + unit_code)."""
    out = frame.copy()
    out[column] = [unit_name(names, g, c, lang) for g, c in zip(out["geo_version"], out["unit_code"])]
    return out


def search_units(units: pd.DataFrame, query: str, limit: int = 12,
                 levels: tuple[str, ...] = ("province", "district")) -> pd.DataFrame:
    """Units whose name or alias matches `query`, with or without diacritics, best first.

    Exact name matches come first, then names starting with the query, then names containing it;
    within a rank, provinces before districts and the newest boundary set first.
    """
    key = fold(query)[:80]
    if not key or units.empty:
        return units.iloc[0:0]
    pool = units[units["level"].isin(levels)].copy()
    keys = [
        {fold(a) for a in str(aliases).split("|") if a} | {fold(vi), fold(en)}
        for aliases, vi, en in zip(pool["aliases"], pool["name_vi"], pool["name_en"])
    ]

    def rank(names: set[str]) -> int:
        if key in names:
            return 0
        if any(n.startswith(key) for n in names):
            return 1
        if any(key in n for n in names):
            return 2
        return 9

    pool["_rank"] = [rank(k) for k in keys]
    pool = pool[pool["_rank"] < 9]
    pool["_lvl"] = pool["level"].map({"province": 0, "district": 1}).fillna(2)
    pool["_geo"] = pool["geo_version"].map({"vn63": 0, "vn34": 1}).fillna(2)
    pool = pool.sort_values(["_rank", "_lvl", "_geo", "name_vi"])
    return pool.drop(columns=["_rank", "_lvl", "_geo"]).head(limit).reset_index(drop=True)


def unit_pairs(units: pd.DataFrame) -> tuple[str, list[tuple[str, str]]]:
    """The boundary set of a layer's units and their (geo, code) pairs."""
    geo = str(units["geo_version"].iloc[0])
    return geo, [(geo, c) for c in units["unit_code"]]


def found_places(found: pd.DataFrame, name_of, lang: str) -> list[tuple[str, dict[str, str]]]:
    """Each place a search found, as a link's label ('Name (province) · level · boundary set')
    and the parameters of its profile."""
    places = []
    for u in found.to_dict("records"):
        parent = name_of(u["geo_version"], u["parent_code"]) if u["level"] == "district" else ""
        label = f"{name_of(u['geo_version'], u['unit_code'])}" + (f" ({parent})" if parent else "") + \
            f" · {level_name(u['level'], lang)} · {t('geo.' + u['geo_version'], lang)}"
        places.append((label, {"unit": u["unit_code"], "geo": u["geo_version"], "level": u["level"]}))
    return places


def province_counts(units: pd.DataFrame) -> dict[str, int]:
    """geo_version -> how many provinces its boundary set has, from the units table (63 on vn63,
    34 on vn34); the contract's count for a boundary set the table does not hold (geodata not built)."""
    provinces = units[units["level"] == "province"].groupby("geo_version")["unit_code"].nunique()
    return {**PROVINCES_BY_GEO, **{str(g): int(n) for g, n in provinces.items() if n}}
