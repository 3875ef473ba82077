"""The sampling design behind a survey's answers: declared, or the seeds' default, and checked.

An answers file may declare its design with `stratum` and `psu` columns (and `fpc`: the number of
PSUs in the stratum's population, where known). Without them the default is used and stated:
strata are the districts and PSUs the communes (the seeds' design: every district, 2 communes);
after the 2025 reform, with no districts, strata are the provinces. SIPAS draws districts inside
provinces, so a SIPAS file declares `stratum` = province code and `psu` = district code.

District figures are always domain estimates *given* the district is in the sample: their
clusters are the PSUs when PSUs lie inside one district, otherwise the communes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

DESIGN_COLUMNS = ("stratum", "psu")


@dataclass(frozen=True)
class Design:
    """How one boundary set's answers were sampled, as the release records it."""

    geo_version: str
    years: tuple[int, ...]
    strata: str  # what a stratum is: "district", "province" or "declared"
    psu: str  # what a PSU is: "commune" or "declared"
    declared: bool
    fpc: bool
    district_clusters: str | None  # clusters of district figures: "psu", "commune" or None (no districts)

    def to_json(self) -> dict:
        return {**asdict(self), "years": list(self.years)}


def declared(answers: pd.DataFrame) -> bool:
    """True when the answers carry their own design columns (both, filled on every row)."""
    return all(c in answers and answers[c].notna().all() for c in DESIGN_COLUMNS)


def with_design(part: pd.DataFrame) -> tuple[pd.DataFrame, Design]:
    """`part` (one boundary set) with `stratum` and `psu` columns for province and national figures."""
    part = part.copy()
    has_districts = "district_code" in part and part["district_code"].notna().all()
    if declared(part):
        part["stratum"] = part["stratum"].astype(str)
        part["psu"] = part["psu"].astype(str)
        strata, psu = "declared", "declared"
    else:
        part["stratum"] = part["district_code"] if has_districts else part["province_code"]
        part["psu"] = part["commune_code"]
        strata, psu = ("district" if has_districts else "province"), "commune"
    if "fpc" in part and not part["fpc"].notna().all():
        part = part.drop(columns="fpc")
    district_clusters = None
    if has_districts:
        district_clusters = "psu" if psu == "declared" and psu_inside_districts(part) else "commune"
    design = Design(str(part["geo_version"].iloc[0]), tuple(sorted(int(y) for y in part["year"].unique())),
                    strata, psu, strata == "declared", "fpc" in part, district_clusters)
    return part, design


def psu_inside_districts(part: pd.DataFrame) -> bool:
    """True when PSUs are smaller than districts: each lies inside one district and some district
    has several (then PSUs can be a district's clusters; when the PSUs are the districts, the
    communes are)."""
    inside = bool((part.groupby(["year", "psu"])["district_code"].nunique() <= 1).all())
    return inside and bool((part.groupby(["year", "district_code"])["psu"].nunique() > 1).any())


def district_design(part: pd.DataFrame, clusters: str) -> pd.DataFrame:
    """Design columns for district figures: the district is the stratum, its clusters the PSUs."""
    out = part.assign(stratum=part["district_code"])
    if clusters == "commune":
        out["psu"] = part["commune_code"]
    return out.drop(columns=[c for c in ("fpc",) if c in out])
