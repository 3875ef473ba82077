"""Surveys drawn from a population whose true satisfaction is known, to check what `build` claims.

A population of real provinces, districts and communes (GSO codes) gets a true satisfaction on
the logit scale for every district, service and criterion: a service level, a criterion offset,
a province effect and a district effect, all fixed for the population. A person's answer follows
the demo generator's model (commune, village and person effects plus logistic noise, 1-5 scale,
4-5 = satisfied), so the true share of satisfied adults in a district is

    P_d = E[ sigmoid(eta_d + s * Z) ],  Z ~ N(0, 1),  s^2 = commune^2 + village^2 + person^2,

computed by Gauss-Hermite quadrature; a province's and the country's truth are the
population-weighted means of their districts' shares, an index is the mean of its criteria.

Two designs are drawn from it:
- `seeds`: every district, 2 communes each, 4 villages of 10 adults (seed 000); weights are the
  district's adults over its sample size; the answers carry no design columns, so `build`'s
  default (strata = districts, PSUs = communes) applies.
- `sipas`: in every province 3 districts drawn at random, then 2 communes each, 4 villages of 10
  adults; weights include the district's selection (districts in the province / 3); the answers
  declare `stratum` = province and `psu` = district, as SIPAS must.

The truth is the same every year, so every change between two years is a null change.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from dashboard.geo import official_units

COMMUNE_SD, VILLAGE_SD, PERSON_SD = 0.25, 0.15, 0.55
CUT = 0.0  # latent > 0 <=> answer 4 or 5 (the demo's cut points put 4 above 0.0)
CUTPOINTS = np.array([-2.6, -1.3, 0.0, 2.1])
DONT_KNOW = 0.03

# (service, criterion) -> (baseline logit, share of respondents who answer it)
QUESTIONS: dict[tuple[str, str], tuple[float, float]] = {
    ("admin", "access"): (1.9, 0.6),
    ("admin", "procedures"): (1.5, 0.6),
    ("admin", "civil_servants"): (2.1, 0.6),
    ("admin", "results"): (1.8, 0.6),
    ("admin", "feedback"): (1.1, 0.12),  # few people gave feedback: a rare domain
    ("electricity", "reliability"): (2.9, 0.97),  # near the top of the scale
    ("electricity", "price"): (2.4, 0.97),
    ("electricity", "service"): (2.6, 0.97),
}


def _gauss_hermite(eta: np.ndarray, sd: float, points: int = 40) -> np.ndarray:
    """E[sigmoid(eta + sd * Z)] for Z ~ N(0, 1)."""
    x, w = np.polynomial.hermite_e.hermegauss(points)
    w = w / w.sum()
    return (1 / (1 + np.exp(-(eta[:, None] + sd * x[None, :])))) @ w


@dataclass
class Population:
    """Provinces (whole vn34 provinces, so harmonisation can be checked), their districts and truth."""

    vn34_provinces: tuple[str, ...] = ("04", "08", "11", "12", "15", "19")
    seed: int = 7
    province_sd: float = 0.32
    district_sd: float = 0.28
    crosswalk: pd.DataFrame = field(init=False, repr=False)
    districts: pd.DataFrame = field(init=False, repr=False)
    communes: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        crosswalk = official_units.province_crosswalk()
        self.crosswalk = crosswalk[crosswalk["vn34_code"].isin(self.vn34_provinces)].reset_index(drop=True)
        provinces = sorted(self.crosswalk["vn63_code"])
        communes = official_units.communes_vn63()
        districts = official_units.districts_vn63()
        districts = districts[districts["parent_code"].isin(provinces)
                              & districts["unit_code"].isin(communes["district_code"])]
        self.districts = districts[["unit_code", "parent_code"]].rename(
            columns={"unit_code": "district_code", "parent_code": "province_code"}).reset_index(drop=True)
        self.districts["adults"] = np.exp(rng.normal(11.6, 0.55, len(self.districts))).round()
        self.communes = communes[communes["district_code"].isin(self.districts["district_code"])][
            ["unit_code", "district_code"]].rename(columns={"unit_code": "commune_code"}).reset_index(drop=True)
        prov_effect = {p: rng.normal(0, self.province_sd) for p in provinces}
        rows = []
        for (service, criterion), (base, _) in QUESTIONS.items():
            dist = rng.normal(0, self.district_sd, len(self.districts))
            prov = self.districts["province_code"].map(prov_effect).to_numpy() * (1.0 if service == "admin" else 0.6)
            eta = base + prov + dist
            rows.append(pd.DataFrame({"district_code": self.districts["district_code"], "service": service,
                                      "indicator": criterion, "eta": eta}))
        self.eta = pd.concat(rows, ignore_index=True)
        s = float(np.sqrt(COMMUNE_SD ** 2 + VILLAGE_SD ** 2 + PERSON_SD ** 2))
        self.eta["truth"] = 100 * _gauss_hermite(self.eta["eta"].to_numpy(), s)

    @cached_property
    def truth(self) -> pd.DataFrame:
        """True shares (percent) for every level: level, unit_code, service, indicator, truth, geo."""
        frame = self.eta.merge(self.districts, on="district_code")
        frame["vn34_code"] = frame["province_code"].map(self.crosswalk.set_index("vn63_code")["vn34_code"])
        out = [frame.assign(level="district", unit_code=frame["district_code"], geo_version="vn63")]
        for level, column, geo in (("province", "province_code", "vn63"), ("national", None, "vn63"),
                                   ("province", "vn34_code", "vn34")):
            keys = ([column] if column else []) + ["service", "indicator"]
            agg = frame.assign(wt=frame["truth"] * frame["adults"]).groupby(keys, as_index=False)[["wt", "adults"]].sum()
            agg["truth"] = agg["wt"] / agg["adults"]
            agg["unit_code"] = agg[column] if column else "VN"
            out.append(agg.assign(level=level, geo_version=geo))
        cols = ["geo_version", "level", "unit_code", "service", "indicator", "truth"]
        crit = pd.concat([o[cols] for o in out], ignore_index=True)
        index = crit.groupby(["geo_version", "level", "unit_code", "service"], as_index=False)["truth"].mean()
        return pd.concat([crit, index.assign(indicator="index")[cols]], ignore_index=True)


def draw_answers(pop: Population, rng: np.random.Generator, design: str, years: tuple[int, ...] = (2023, 2024),
                 communes_per_district: int = 2, villages: int = 4, per_village: int = 10,
                 districts_per_province: int = 3) -> pd.DataFrame:
    """Answers (the `build` answers schema, plus geo_version) of one survey per year under `design`."""
    frames = []
    for year in years:
        districts = pop.districts
        factor = pd.Series(1.0, index=districts.index)
        if design == "sipas":
            order = districts.assign(u=rng.random(len(districts))).sort_values(["province_code", "u"])
            picked = order[order.groupby("province_code").cumcount() < districts_per_province]
            factor = (districts.groupby("province_code")["district_code"].transform("size").loc[picked.index]
                      / picked.groupby("province_code")["district_code"].transform("size"))
            districts = picked
        chosen = []
        for code in districts["district_code"]:
            pool = pop.communes.loc[pop.communes["district_code"] == code, "commune_code"].to_numpy()
            chosen += [(code, c) for c in sorted(rng.choice(pool, size=communes_per_district, replace=False))]
        clusters = pd.DataFrame(chosen, columns=["district_code", "commune_code"]).merge(
            districts.assign(factor=factor.loc[districts.index].to_numpy()), on="district_code")
        per_commune = villages * per_village
        n = len(clusters) * per_commune
        ci = np.repeat(np.arange(len(clusters)), per_commune)
        vi = np.tile(np.repeat(np.arange(villages), per_village), len(clusters))
        latent_base = (rng.normal(0, COMMUNE_SD, len(clusters))[ci]
                       + rng.normal(0, VILLAGE_SD, len(clusters) * villages)[ci * villages + vi]
                       + rng.normal(0, PERSON_SD, n))
        sample_size = per_commune * communes_per_district
        weight = (clusters["adults"] * clusters["factor"] / sample_size).to_numpy()[ci]
        base = clusters.iloc[ci].reset_index(drop=True)
        rid = np.array([f"{year}-{i:06d}" for i in range(n)], dtype=object)
        eta = pop.eta.set_index(["district_code", "service", "indicator"])["eta"]
        uses_service = {s: rng.random(n) for s in dict.fromkeys(s for s, _ in QUESTIONS)}
        for (service, criterion), (_, rate) in QUESTIONS.items():
            mask = uses_service[service] < rate  # a rarer criterion's users are some of the service's users
            e = eta.reindex(pd.MultiIndex.from_arrays([base["district_code"], [service] * n, [criterion] * n])).to_numpy()
            latent = e + latent_base + rng.logistic(0, 1, n)
            answer = (1 + (latent[:, None] > CUTPOINTS[None, :]).sum(axis=1)).astype(float)
            answer[rng.random(n) < DONT_KNOW] = np.nan
            part = pd.DataFrame({
                "respondent_id": rid[mask], "year": np.int16(year), "province_code": base["province_code"].to_numpy()[mask],
                "district_code": base["district_code"].to_numpy()[mask], "commune_code": base["commune_code"].to_numpy()[mask],
                "village": vi[mask], "service": service, "question_id": criterion, "answer": answer[mask],
                "weight": weight[mask], "geo_version": "vn63"})
            if design == "sipas":
                part["stratum"] = part["province_code"]
                part["psu"] = part["district_code"]
            frames.append(part)
    return pd.concat(frames, ignore_index=True)
