"""The plain tables of geodata/: every unit with names, slugs, centroids and search aliases
(`units.parquet`), and the vn63 -> vn34 crosswalk (`crosswalk_vn63_vn34.parquet`).
"""
from __future__ import annotations

import re

import pandas as pd

from dashboard.geo.district_fixes import former_names
from dashboard.geo.names import english_name, search_aliases
from dashboard.text import nfc, slugify

NATIONAL_CODE = "VN"
NATIONAL_NAME_VI = "Toàn quốc"
NATIONAL_NAME_EN = "Vietnam"
LEVELS = ("national", "province", "district")

UNIT_COLUMNS = ["geo_version", "level", "unit_code", "name_vi", "name_en", "slug", "parent_code",
                "lat", "lon", "label_lat", "label_lon", "aliases"]

# Everyday names no rule derives from the official ones (keyed by GSO province code).
_PROVINCE_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "01": ("hanoi", "ha noi city", "tp hn"),
    "31": ("haiphong",),
    "46": ("thừa thiên huế", "tỉnh thừa thiên huế", "thừa thiên - huế", "tt huế", "tt-huế",
           "thành phố huế", "tp huế"),
    "48": ("danang", "tp đà nẵng"),
    "66": ("đắc lắc", "daklak"),
    "67": ("đắc nông", "daknong"),
    "77": ("brvt", "br-vt", "vũng tàu", "bà rịa vũng tàu"),
    "79": ("tp hcm", "tp. hcm", "tphcm", "tp.hcm", "hcm", "hcmc", "sài gòn", "saigon",
           "ho chi minh city", "tp hồ chí minh"),
    "92": ("cantho", "tp cần thơ"),
}

_UNIT_TYPE_ABBREVIATIONS = {"thành phố": "tp", "thị xã": "tx", "quận": "q", "huyện": "h"}


def province_aliases(code: str, name_vi: str, full_name_vi: str,
                     extra_names: tuple[str, ...] = ()) -> str:
    """Search aliases of a province: full and short names, `tp`/`tỉnh` forms, everyday names."""
    ascii_short = slugify(name_vi).replace("-", "")
    phrases = [full_name_vi, name_vi, f"tỉnh {name_vi}", f"tp {name_vi}", f"thành phố {name_vi}",
               english_name(name_vi), ascii_short, *_PROVINCE_EXTRA_ALIASES.get(code, ()),
               *extra_names]
    return search_aliases(phrases)


def district_aliases(code: str, name_vi: str, full_name_vi: str, layer_names: tuple[str, ...]
                     ) -> str:
    """Search aliases of a district: full and short names, `tp`/`tx`/`q` forms, former names."""
    short = re.sub(r"\s*\(.*\)$", "", name_vi)  # `Kỳ Anh (Thị xã)` -> `Kỳ Anh`
    phrases = [full_name_vi, name_vi, short]
    lowered = nfc(full_name_vi).lower()
    for unit_type, abbreviation in _UNIT_TYPE_ABBREVIATIONS.items():
        if lowered.startswith(unit_type + " "):
            rest = lowered[len(unit_type) + 1:]
            phrases += [f"{abbreviation} {rest}", f"{abbreviation}.{rest}"]
    number = re.fullmatch(r"quận (\d+)", lowered)
    if number:
        phrases += [f"q{number[1]}", f"q.{number[1]}", f"district {number[1]}"]
    phrases += [*former_names(code), *layer_names]
    return search_aliases(phrases)


def build_units(vn63: pd.DataFrame, vn34: pd.DataFrame, districts: pd.DataFrame,
                crosswalk: pd.DataFrame, labels: dict[tuple[str, str], tuple[float, float]],
                national_point: tuple[float, float],
                district_layer_names: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Every unit of every level and geo version (no geometry), in a fixed order.

    vn63/vn34/districts are the official lists (official_units); `labels` maps (geo_version,
    unit_code) to a (lat, lon) point inside the unit's polygon; `district_layer_names` holds the
    names the raw layer used for each district (old spellings become aliases).
    """
    rows = []
    lat, lon = national_point
    for version in ("vn63", "vn34"):
        rows.append(dict(geo_version=version, level="national", unit_code=NATIONAL_CODE,
                         name_vi=NATIONAL_NAME_VI, name_en=NATIONAL_NAME_EN, slug="vietnam",
                         parent_code="", lat=lat, lon=lon, label_lat=lat, label_lon=lon,
                         aliases=search_aliases(["toàn quốc", "cả nước", "việt nam", "vietnam",
                                                 "viet nam", "national"])))
    names63 = vn63.set_index("unit_code")["name_vi"]
    predecessors = crosswalk.groupby("vn34_code")["vn63_code"].apply(list)
    for version, table in (("vn63", vn63), ("vn34", vn34)):
        for row in table.itertuples(index=False):
            extra = ()
            if version == "vn34":  # merged-in provinces keep their names as aliases
                extra = tuple(names63[c] for c in predecessors[row.unit_code] if c != row.unit_code)
            label = labels.get((version, row.unit_code), (row.lat, row.lon))
            rows.append(dict(geo_version=version, level="province", unit_code=row.unit_code,
                             name_vi=row.name_vi, name_en=english_name(row.name_vi),
                             slug=slugify(row.name_vi), parent_code=NATIONAL_CODE,
                             lat=row.lat, lon=row.lon, label_lat=label[0], label_lon=label[1],
                             aliases=province_aliases(row.unit_code, row.name_vi,
                                                      row.full_name_vi, extra)))
    for row in districts.itertuples(index=False):
        label = labels.get(("vn63", row.unit_code), (row.lat, row.lon))
        rows.append(dict(geo_version="vn63", level="district", unit_code=row.unit_code,
                         name_vi=row.name_vi, name_en=english_name(row.name_vi), slug=row.slug,
                         parent_code=row.parent_code, lat=row.lat, lon=row.lon,
                         label_lat=label[0], label_lon=label[1],
                         aliases=district_aliases(row.unit_code, row.name_vi, row.full_name_vi,
                                                  district_layer_names.get(row.unit_code, ()))))
    units = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    for col in ("lat", "lon", "label_lat", "label_lon"):
        units[col] = units[col].astype(float).round(6)
    units["level_order"] = units["level"].map({lvl: i for i, lvl in enumerate(LEVELS)})
    units = units.sort_values(["geo_version", "level_order", "unit_code"], ignore_index=True)
    return units.drop(columns="level_order")


def build_crosswalk(province_crosswalk: pd.DataFrame, districts: pd.DataFrame) -> pd.DataFrame:
    """vn63 provinces and districts -> vn34 province: level, vn63_code, vn63_parent_code, vn34_code.

    A district goes with its province: provinces were merged whole in 2025.
    """
    to_vn34 = province_crosswalk.set_index("vn63_code")["vn34_code"]
    provinces = pd.DataFrame({"level": "province", "vn63_code": province_crosswalk["vn63_code"],
                              "vn63_parent_code": NATIONAL_CODE,
                              "vn34_code": province_crosswalk["vn34_code"]})
    district_rows = pd.DataFrame({"level": "district", "vn63_code": districts["unit_code"],
                                  "vn63_parent_code": districts["parent_code"],
                                  "vn34_code": districts["parent_code"].map(to_vn34)})
    out = pd.concat([provinces, district_rows], ignore_index=True)
    if out["vn34_code"].isna().any():
        raise ValueError("some vn63 units have no vn34 province in the crosswalk")
    return out.sort_values(["level", "vn63_code"], ascending=[False, True], ignore_index=True)
