"""Province layers: GSO codes joined to the 63-province layer, and the 34 built by dissolving it.

The 34-province layer is rebuilt from the 63 with the official crosswalk (the safer source of
truth, SOURCES.md); TaliaCao's own 34-province layer and mapping sheet are only cross-checked.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.geo.names import NameMatch, match_names
from dashboard.geo.simplify import polygonal_part

# Areas are compared in a metric projection (VN-2000 is not in every PROJ build; UTM 48N is).
_AREA_CRS = 32648


def join_province_codes(raw: gpd.GeoDataFrame, official: pd.DataFrame
                        ) -> tuple[gpd.GeoDataFrame, list[NameMatch]]:
    """Give each raw province (raw_name, geometry) its GSO code; geometry repaired.

    Returns the layer sorted by unit_code (columns unit_code, raw_name, geometry) and the list of
    name matches; raises NameMatchError if any name does not match exactly one official province.
    """
    matches = match_names(raw["raw_name"], official)
    codes = {m.raw_name: m.unit_code for m in matches}
    out = raw.assign(unit_code=raw["raw_name"].map(codes))
    out["geometry"] = [polygonal_part(g) for g in out.geometry]
    out = out.sort_values("unit_code", ignore_index=True)
    return out[["unit_code", "raw_name", "geometry"]], matches


def dissolve_provinces(vn63: gpd.GeoDataFrame, crosswalk: pd.DataFrame) -> gpd.GeoDataFrame:
    """vn34 provinces as the union of their vn63 parts (crosswalk columns vn63_code, vn34_code)."""
    target = vn63["unit_code"].map(crosswalk.set_index("vn63_code")["vn34_code"])
    if target.isna().any():
        raise ValueError(f"vn63 provinces missing from the crosswalk: {vn63.unit_code[target.isna()].tolist()}")
    rows = []
    for code, part in vn63.assign(vn34_code=target).groupby("vn34_code", sort=True):
        rows.append((code, polygonal_part(shapely.union_all(part.geometry.values))))
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=["unit_code", "geometry"]),
                            geometry="geometry", crs=4326)


def area_mismatch(a: gpd.GeoSeries, b: gpd.GeoSeries) -> pd.Series:
    """Symmetric-difference area of aligned geometries as a share of the first one's area."""
    a_m = a.to_crs(_AREA_CRS)
    b_m = b.to_crs(_AREA_CRS)
    return pd.Series(a_m.symmetric_difference(b_m, align=False).area.values / a_m.area.values,
                     index=a.index)


def cross_check_vn34(dissolved: gpd.GeoDataFrame, raw34: gpd.GeoDataFrame, mapping: pd.DataFrame,
                     crosswalk: pd.DataFrame, vn63_official: pd.DataFrame,
                     vn34_official: pd.DataFrame, tolerance: float = 0.001) -> list[str]:
    """Compare the dissolve with TaliaCao's 34-province layer and mapping sheet.

    Returns report lines; disagreements are reported, not fatal (the official crosswalk wins).
    Raises NameMatchError if their names cannot be joined to official units.
    """
    lines = []
    raw_matches = match_names(raw34["raw_name"], vn34_official)
    raw_codes = raw34["raw_name"].map({m.raw_name: m.unit_code for m in raw_matches})
    theirs = gpd.GeoSeries([polygonal_part(g) for g in raw34.geometry], index=raw_codes.values,
                           crs=4326).sort_index()
    ours = dissolved.set_index("unit_code").geometry.sort_index()
    share = area_mismatch(ours, theirs.reindex(ours.index))
    off = share[share > tolerance]
    lines.append(
        f"raw 34-province layer: 34 names matched; geometry differs from our dissolve by at most "
        f"{share.max():.4%} of a province's area"
        + (f"; above {tolerance:.1%}: " + ", ".join(f"{c} {v:.2%}" for c, v in off.items())
           if len(off) else "")
    )
    from_codes = {m.raw_name: m.unit_code for m in match_names(mapping["from_name"], vn63_official)}
    to_lookup = {m.raw_name: m.unit_code
                 for m in match_names(mapping["to_name"].drop_duplicates(), vn34_official)}
    sheet = pd.DataFrame({"vn63_code": mapping["from_name"].map(from_codes),
                          "sheet_vn34": mapping["to_name"].map(to_lookup)})
    both = crosswalk.merge(sheet, on="vn63_code", how="outer")
    disagree = both[both["vn34_code"] != both["sheet_vn34"]]
    if disagree.empty:
        lines.append("mapping sheet: all 63 old -> new assignments agree with the official crosswalk")
    else:
        lines.append("mapping sheet DISAGREES with the official crosswalk (official kept): "
                     + ", ".join(f"{r.vn63_code}: official {r.vn34_code}, sheet {r.sheet_vn34}"
                                 for r in disagree.itertuples()))
    return lines
