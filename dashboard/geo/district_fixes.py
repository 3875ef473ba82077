"""Hand-made correction table: district codes of the ODV 2009 layer -> official (GSO) codes.

The raw layer (`raw/odv-districts-2009`) carries `Code_vung` = 2-digit province + 3-digit district
code, but it is the 2009 set of districts with a few coding errors. The official list is the last
pre-July-2025 one (696 codes, `vietnamadminunits` 1.0.4, table `admin_units_legacy`).

How each entry was established: every official commune centroid (10,035 of them, from
`vietnamadminunits`) was placed in the raw polygons; a polygon whose communes all belong to another
official district carries the wrong code, and an official district whose communes fall in one
other polygon was split out of it. The official district centroids are too coarse for this on
their own (several equal the province centroid), but they agree wherever they are usable.

The tables are applied in this order: ROW_CODE_FIXES (per raw row), CODE_FIXES (per layer code),
MERGED_INTO (obsolete code -> successor). SPLIT_FROM then says which official districts have no
polygon of their own in 2009 and must be carved out of their parent's polygon.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# Raw rows that carry a neighbour's Code_vung but their own name: (Code_vung, Ten_Huyen as
# decoded) -> official code. Without this they would be dissolved into the neighbour.
ROW_CODE_FIXES: dict[tuple[str, str], str] = {
    ("11097", "Muong Lay"): "095",  # TX Mường Lay, coded as Mường Chà (097); 095 went to Lai Châu
    ("70694", "Binh Long"): "690",  # TX Bình Long, coded as Hớn Quản (694)
    ("82823", "Gò Công"): "816",  # TP Gò Công, coded as Gò Công Tây (823)
    ("95954", "Phước Long"): "957",  # Phước Long (Bạc Liêu), coded as TP Bạc Liêu (954)
}

# Whole layer codes (Code_vung) whose name is right but whose code is wrong or outdated.
CODE_FIXES: dict[str, str] = {
    # Hải Phòng: codes permuted among six districts (names right, codes shuffled).
    "31303": "306",  # Hai An -> Hải An 306
    "31306": "308",  # Do Son -> Đồ Sơn 308
    "31307": "303",  # Hong Bang -> Hồng Bàng 303
    "31308": "309",  # Duong Kinh -> Dương Kinh 309
    "31309": "314",  # Kien Thuy -> Kiến Thụy 314
    "31314": "307",  # Kien An -> Kiến An 307
    # Ninh Thuận: codes permuted among six districts. Worked out by placing official centroids
    # (district and commune) in the polygons: each polygon holds the centroids of exactly one
    # official district, and that district's name is the layer's name for the polygon.
    "58589": "582",  # Phan Rang-Thap Cham -> Phan Rang - Tháp Chàm 582
    "58588": "585",  # Ninh Son -> Ninh Sơn 585
    "58585": "586",  # Ninh Hai -> Ninh Hải 586
    "58582": "587",  # Ninh Phuoc -> Ninh Phước 587
    "58586": "588",  # Thuan Bac -> Thuận Bắc 588
    "58587": "589",  # Thuan Nam -> Thuận Nam 589
    # Single wrong codes.
    "12095": "105",  # Lai Chau: 095 is Mường Lay (Điện Biên); this is TP Lai Châu 105
    "70957": "688",  # Phuoc Long (Bình Phước): 957 is in Bạc Liêu; this is TX Phước Long 688
    "64636": "624",  # Ayun Pa: the town's code is 624 (636 is not a code any more)
}

# Districts abolished since 2009: obsolete code -> the official district that absorbed it.
# The polygon is dissolved into the successor's. Values: (successor, old name, note).
MERGED_INTO: dict[str, tuple[str, str, str]] = {
    "044": ("045", "Thông Nông", "merged into Hà Quảng (Cao Bằng, 2020)"),
    "046": ("047", "Trà Lĩnh", "merged into Trùng Khánh (Cao Bằng, 2020)"),
    "050": ("049", "Phục Hòa", "merged with Quảng Uyên into Quảng Hòa (Cao Bằng, 2020)"),
    "151": ("148", "Kỳ Sơn", "merged into TP Hòa Bình (2020)"),
    "204": ("193", "Hoành Bồ", "merged into TP Hạ Long (Quảng Ninh, 2020)"),
    "221": ("213", "Yên Dũng", "merged into TP Bắc Giang (2025)"),
    "358": ("356", "Mỹ Lộc", "merged into TP Nam Định (2025)"),
    "369": ("374", "Ninh Bình", "TP Ninh Bình merged with Hoa Lư into TP Hoa Lư (2025)"),
    "405": ("380", "Đông Sơn", "merged into TP Thanh Hóa"),
    "413": ("412", "Cửa Lò", "merged into TP Vinh (Nghệ An, 2025)"),
    "448": ("445", "Lộc Hà", "merged into Thạch Hà (Hà Tĩnh, 2025)"),
    "483": ("482", "Nam Đông", "merged into Phú Lộc (Huế, 2025)"),
    "519": ("509", "Nông Sơn", "merged into Quế Sơn (Quảng Nam, 2025)"),
    "526": ("525", "Tây Trà", "merged into Trà Bồng (Quảng Ngãi, 2020)"),
    "681": ("682", "Đạ Huoai", "merged with Đạ Tẻh and Cát Tiên into Đạ Huoai, code 682 (2025)"),
    "683": ("682", "Cát Tiên", "merged with Đạ Huoai and Đạ Tẻh into Đạ Huoai, code 682 (2025)"),
    "752": ("753", "Long Điền", "merged with Đất Đỏ into Long Đất, code 753 (2025)"),
    "762": ("769", "Thủ Đức", "merged with Quận 2 and Quận 9 into TP Thủ Đức, code 769 (2021)"),
    "763": ("769", "Quận 9", "merged with Quận 2 and Thủ Đức into TP Thủ Đức, code 769 (2021)"),
}

# Official districts created after 2009 by splitting a 2009 district: new code -> (parent code,
# note). They have no polygon in the layer; the build carves the parent polygon (see
# district_layer.carve_splits) and marks both parts geometry_kind = "approximate_split".
SPLIT_FROM: dict[str, tuple[str, str]] = {
    "021": ("019", "Bắc Từ Liêm, split from Từ Liêm (now Nam Từ Liêm) in 2013"),
    "128": ("123", "Vân Hồ, split from Mộc Châu in 2013"),
    "224": ("219", "TX Chũ, split from Lục Ngạn in 2025"),
    "449": ("447", "TX Kỳ Anh, split from huyện Kỳ Anh in 2015"),
    "458": ("454", "TX Ba Đồn, split from Quảng Trạch in 2013"),
    "475": ("474", "Phú Xuân, split from TP Huế (now Thuận Hóa) in 2025"),
    "618": ("616", "Ia H'Drai, split from Sa Thầy in 2015"),
    "698": ("691", "Phú Riềng, split from Bù Gia Mập in 2015"),
    "719": ("721", "Bàu Bàng, split from Bến Cát in 2013"),
    "726": ("723", "Bắc Tân Uyên, split from Tân Uyên in 2013"),
    "817": ("820", "TX Cai Lậy, split from huyện Cai Lậy in 2013"),
    "851": ("850", "TX Duyên Hải, split from huyện Duyên Hải in 2015"),
    "937": ("936", "TX Long Mỹ, split from huyện Long Mỹ in 2015"),
}

# Hand-made cuts where the commune centroids cannot place a split: child code -> latitude; the
# child is the part of its parent's 2009 polygon south of that latitude.
# Ia H'Drai (618): its three communes (Ia Tơi, Ia Đal, Ia Dom) carry the Kon Tum province centroid
# as a placeholder, and Mô Rai's centroid predates the split. Ia H'Drai is the south of the 2009
# Sa Thầy polygon (Cambodia to the west, Gia Lai to the east and south, Sa Thầy to the north) and
# covers 980 km²; 14.26 N is the latitude that gives the cut that area. A straight line, so it is
# only a sketch of the real boundary, and marked approximate like the other splits.
LATITUDE_CUTS: dict[str, float] = {
    "618": 14.26,
}

# Former names of official districts (search aliases): renamed units and absorbed ones.
FORMER_NAMES: dict[str, tuple[str, ...]] = {
    "019": ("Từ Liêm", "Huyện Từ Liêm"),
    "049": ("Quảng Uyên", "Huyện Quảng Uyên"),
    "374": ("Thành phố Ninh Bình",),
    "407": ("Tĩnh Gia", "Huyện Tĩnh Gia"),
    "474": ("Thành phố Huế", "TP Huế"),
    "682": ("Đạ Tẻh", "Huyện Đạ Tẻh"),
    "753": ("Đất Đỏ", "Huyện Đất Đỏ"),
    "754": ("Tân Thành", "Huyện Tân Thành"),
    "769": ("Quận 2",),
}


@dataclass(frozen=True)
class CodeAssignment:
    """The official code given to one raw row, and why (for the build report)."""

    official_code: str
    reason: str


def assign_official_code(code_vung: str, layer_name: str) -> CodeAssignment:
    """The official district code for one raw row of the 2009 layer, with the rule applied."""
    if (code_vung, layer_name) in ROW_CODE_FIXES:
        return CodeAssignment(ROW_CODE_FIXES[(code_vung, layer_name)], "row fix")
    code = CODE_FIXES.get(code_vung)
    reason = "code fix" if code else "as in layer"
    code = code or code_vung[-3:]
    if code in MERGED_INTO:
        return CodeAssignment(MERGED_INTO[code][0], "merged into successor")
    return CodeAssignment(code, reason)


def assign_official_codes(rows: pd.DataFrame) -> pd.DataFrame:
    """Add `official_code` and `code_reason` to raw rows (columns Code_vung, Ten_Huyen)."""
    assigned = [assign_official_code(c, n) for c, n in zip(rows["Code_vung"], rows["Ten_Huyen"])]
    out = rows.copy()
    out["official_code"] = [a.official_code for a in assigned]
    out["code_reason"] = [a.reason for a in assigned]
    return out


def former_names(official_code: str) -> tuple[str, ...]:
    """Old names that should still find this district: renames and absorbed districts."""
    absorbed = tuple(name for old, (new, name, _) in sorted(MERGED_INTO.items())
                     if new == official_code)
    return FORMER_NAMES.get(official_code, ()) + absorbed
