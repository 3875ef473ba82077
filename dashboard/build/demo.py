"""`demo`: a synthetic (DEMO) release made from simulated survey answers.

The answers follow the seeds' sampling design: adults 18+ representing households; in every
district 2 communes, each with 4 villages (seed 000), a fixed number of respondents per village,
questionnaires answered door to door (seed 004). 2021–2024 are simulated on the 63 provinces and
their districts (vn63); 2025 on the 34 provinces (vn34), where provinces are the strata and
communes the clusters. Every figure then goes through the same estimator as real answers
(`dashboard.stats.satisfaction`). The generator is seeded and deterministic.

The simulated truth has persistent differences between provinces and districts, slow trends,
a few real changes ("stories") and the noise of a clustered sample, so the app has something
plausible to show; none of it is real and the release says `demo: true`.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import paths
from dashboard.geo import official_units
from dashboard.release.catalogue import CRITERIA, indicator_table
from dashboard.release.contract import INDEX, method_breaks
from dashboard.release.write import ReleaseWriteError, write_release
from dashboard.stats.release_tables import statistics_tables, survey_design

VN63_YEARS = (2021, 2022, 2023, 2024)
VN34_YEAR = 2025
SOURCE_ID = "demo-generator"

# Baseline satisfaction on the logit scale (0 = 50 %, 1.6 ≈ 83 %), per service.
BASE_LOGIT = {"admin": 2.0, "policy": 1.9, "education": 1.65, "health": 1.2, "security": 2.0,
              "roads": 0.85, "water": 1.4, "electricity": 2.25}
# Share of households that answer each service's questions (not every household uses every service).
ANSWER_RATE = {"admin": 0.6, "policy": 0.9, "education": 0.55, "health": 0.7, "security": 0.95,
               "roads": 0.95, "water": 0.8, "electricity": 0.97}
POLICY_FROM = 2022  # the policy area joined SIPAS in 2022 (METHOD_FACTS.md)
CUTPOINTS = np.array([-2.6, -1.3, 0.0, 2.1])  # latent -> answers 1..5; P(answer >= 4) = sigmoid(eta)


@dataclass(frozen=True)
class DemoDesign:
    """Sample sizes of the simulated survey."""

    communes_per_district: int = 2
    villages_per_commune: int = 4
    respondents_per_village: int = 10
    communes_per_province_vn34: int = 20
    provinces: tuple[str, ...] | None = None  # restrict to some vn63 provinces (tests)


def _questions(year: int) -> list[tuple[str, str]]:
    out = []
    for service in BASE_LOGIT:
        if service == "policy" and year < POLICY_FROM:
            continue
        crits = [c[0] for c in CRITERIA[service]] or [INDEX]
        out += [(service, c) for c in crits]
    return out


class _Truth:
    """The simulated true satisfaction, on the logit scale, for every unit and question."""

    def __init__(self, rng: np.random.Generator, provinces: list[str], districts: pd.DataFrame) -> None:
        services = list(BASE_LOGIT)
        self.services = services
        self.crit_offset = {(s, c): rng.normal(0, 0.18) for s in services for c in [x[0] for x in CRITERIA[s]] + [INDEX]}
        self.prov_effect = {(p, s): rng.normal(0, 0.32) for p in provinces for s in services}
        self.prov_trend = {(p, s): rng.normal(0.04, 0.07) for p in provinces for s in services}
        self.dist_effect = {(d, s): rng.normal(0, 0.28) for d in districts["unit_code"] for s in services}
        # A few real stories: a province that improved a service sharply from 2023, one that fell.
        picks = rng.choice(provinces, size=min(6, len(provinces)), replace=False)
        self.shock = {}
        for i, p in enumerate(picks):
            s = services[int(rng.integers(len(services)))]
            self.shock[(p, s)] = (2023 + i % 2, 0.7 if i % 2 == 0 else -0.6)

    def eta(self, year: int, province: str, district: str | None, service: str, criterion: str) -> float:
        value = BASE_LOGIT[service] + self.crit_offset[(service, criterion)]
        value += self.prov_effect[(province, service)] + self.prov_trend[(province, service)] * (year - 2021)
        if district is not None:
            value += self.dist_effect[(district, service)]
        start, size = self.shock.get((province, service), (9999, 0.0))
        if year >= start:
            value += size
        return value


def _simulate_year(rng: np.random.Generator, truth: _Truth, year: int, clusters: pd.DataFrame,
                   design: DemoDesign) -> pd.DataFrame:
    """Answers for one year. `clusters` has one row per sampled commune with its design columns."""
    questions = _questions(year)
    per_commune = design.villages_per_commune * design.respondents_per_village
    n_resp = len(clusters) * per_commune
    commune_idx = np.repeat(np.arange(len(clusters)), per_commune)
    village = np.tile(np.repeat(np.arange(design.villages_per_commune), design.respondents_per_village), len(clusters))
    commune_re = rng.normal(0, 0.25, len(clusters))[commune_idx]
    village_re = rng.normal(0, 0.15, len(clusters) * design.villages_per_commune)[
        commune_idx * design.villages_per_commune + village]
    halo = rng.normal(0, 0.55, n_resp)  # some people are more satisfied with everything
    # A household answers all of a service's questions or none (not everyone uses every service).
    uses = {s: rng.random(n_resp) < ANSWER_RATE[s] for s in dict.fromkeys(s for s, _ in questions)}
    base = clusters.iloc[commune_idx].reset_index(drop=True)
    respondent_id = np.array([f"{year}-{i:06d}" for i in range(n_resp)], dtype=object)
    rows = []
    for service, criterion in questions:
        eta_c = np.array([truth.eta(year, p, d, service, criterion)
                          for p, d in zip(clusters["province63"], clusters["district_code"])])
        latent = eta_c[commune_idx] + commune_re + village_re + halo + rng.logistic(0, 1, n_resp)
        answer = (1 + (latent[:, None] > CUTPOINTS[None, :]).sum(axis=1)).astype(float)
        answer[rng.random(n_resp) < 0.03] = np.nan  # "don't know" on single questions
        mask = uses[service]
        rows.append(pd.DataFrame({
            "respondent_id": respondent_id[mask], "year": np.int16(year),
            "province_code": base["province_code"].to_numpy()[mask],
            "district_code": base["district_code"].to_numpy()[mask],
            "commune_code": base["commune_code"].to_numpy()[mask],
            "village": village[mask].astype("int16"),
            "service": service, "question_id": criterion,
            "answer": answer[mask],
            "weight": base["weight"].to_numpy()[mask],
        }))
    return pd.concat(rows, ignore_index=True)


def _vn63_clusters(rng: np.random.Generator, design: DemoDesign) -> tuple[pd.DataFrame, pd.DataFrame]:
    districts = official_units.districts_vn63()
    communes = official_units.communes_vn63()
    if design.provinces:
        districts = districts[districts["parent_code"].isin(design.provinces)]
    picked = []
    for code in districts["unit_code"]:
        pool = communes.loc[communes["district_code"] == code, "unit_code"].to_numpy()
        if len(pool) == 0:
            continue
        chosen = rng.choice(pool, size=min(design.communes_per_district, len(pool)), replace=False)
        picked += [(code, c) for c in sorted(chosen)]
    clusters = pd.DataFrame(picked, columns=["district_code", "commune_code"])
    clusters = clusters.merge(districts[["unit_code", "parent_code"]].rename(
        columns={"unit_code": "district_code", "parent_code": "province_code"}), on="district_code")
    # Synthetic district populations (adults) for the weights: a district's sample represents it.
    population = pd.Series(np.exp(rng.normal(11.6, 0.55, len(districts))).round(), index=districts["unit_code"])
    per_district = clusters.groupby("district_code")["commune_code"].transform("size") \
        * design.villages_per_commune * design.respondents_per_village
    clusters["weight"] = (clusters["district_code"].map(population) / per_district).round(3)
    clusters["province63"] = clusters["province_code"]
    return clusters, districts


def _vn34_clusters(rng: np.random.Generator, design: DemoDesign, vn63_provinces: list[str]) -> pd.DataFrame:
    crosswalk = official_units.province_crosswalk()
    crosswalk = crosswalk[crosswalk["vn63_code"].isin(vn63_provinces)]
    communes = official_units.communes_vn34()
    communes = communes[communes["province_code"].isin(crosswalk["vn34_code"])]
    picked = []
    for province, pool in communes.groupby("province_code")["unit_code"]:
        chosen = rng.choice(pool.to_numpy(), size=min(design.communes_per_province_vn34, len(pool)), replace=False)
        picked += [(province, c) for c in sorted(chosen)]
    clusters = pd.DataFrame(picked, columns=["province_code", "commune_code"])
    # Which old province a new commune lies in is not in the package; assign the commune to one of
    # the merged provinces at random (weighted equally) so the simulated truth carries over.
    olds = crosswalk.groupby("vn34_code")["vn63_code"].apply(list)
    clusters["province63"] = [olds[p][int(rng.integers(len(olds[p])))] for p in clusters["province_code"]]
    clusters["district_code"] = None
    per_province = clusters.groupby("province_code")["commune_code"].transform("size") \
        * design.villages_per_commune * design.respondents_per_village
    population = {p: float(len(olds[p])) * 1.0e6 for p in olds.index}
    clusters["weight"] = (clusters["province_code"].map(population) / per_province).round(3)
    return clusters


def generate_answers(seed: int = 20251, design: DemoDesign = DemoDesign()) -> pd.DataFrame:
    """Simulated survey answers (the schema of PRODUCT.md 'Survey answers in') for all years."""
    rng = np.random.default_rng(seed)
    clusters63, districts = _vn63_clusters(rng, design)
    provinces = sorted(clusters63["province_code"].unique())
    truth = _Truth(rng, provinces, districts)
    frames = []
    for year in VN63_YEARS:
        answers = _simulate_year(rng, truth, year, clusters63, design)
        answers["geo_version"] = "vn63"
        frames.append(answers)
    clusters34 = _vn34_clusters(rng, design, provinces)
    answers = _simulate_year(rng, truth, VN34_YEAR, clusters34, design)
    answers["geo_version"] = "vn34"
    answers["district_code"] = None
    frames.append(answers)
    return pd.concat(frames, ignore_index=True)




def demo_metadata(seed: int, design: DemoDesign) -> dict:
    today = date(2026, 1, 15)  # fixed, so the release is byte-for-byte reproducible
    return {
        "id": "demo",
        "name": "demo",
        "title": "DEMO – Dữ liệu mô phỏng: sự hài lòng với dịch vụ hành chính và 6 nhóm dịch vụ công thiết yếu, 2021–2025",
        "title_en": ("DEMO – Simulated data: satisfaction with administrative services and six essential public services, "
                     "2021–2025"),
        "description": ("Dữ liệu MÔ PHỎNG, không phải kết quả thật. Sinh từ câu trả lời giả lập theo thiết kế mẫu "
                        "của các văn bản nguồn (mỗi huyện 2 xã, mỗi xã 4 thôn)."),
        "description_en": ("SIMULATED data, not real results. Made from synthetic answers that follow the seeds' "
                           "sampling design (2 communes per district, 4 villages per commune)."),
        "version": "1.0.0",
        "published": today.isoformat(),
        "data_as_of": today.isoformat(),
        "demo": True,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"id": SOURCE_ID, "title": f"Simulated survey answers: python -m dashboard demo --seed {seed}",
                     "note": (f"{design.communes_per_district} communes per district, {design.villages_per_commune} "
                              f"villages per commune, {design.respondents_per_village} respondents per village (vn63); "
                              f"{design.communes_per_province_vn34} communes per province (vn34, 2025).")}],
        "notes": [
            {"note_id": "demo", "kind": "caveat",
             "text_vi": "DEMO: mọi con số trong bản phát hành này là dữ liệu mô phỏng, không phải kết quả khảo sát thật.",
             "text_en": "DEMO: every figure in this release is simulated, not a real survey result."},
            {"note_id": "sipas-2022-method-break", "kind": "method_break", "year": 2022, "service": "admin",
             "text_vi": ("DEMO mô phỏng cả điểm gãy thật của SIPAS: từ năm 2022 SIPAS khảo sát hộ gia đình tại nơi ở với bộ "
                         "câu hỏi mới, nên không so sánh dịch vụ hành chính công trước và sau 2022."),
             "text_en": ("The DEMO mirrors SIPAS's real break: from 2022 SIPAS surveys households at home with a new "
                         "questionnaire, so administrative services before and after 2022 are not compared.")},
            {"note_id": "reform-2025", "kind": "method_break", "year": VN34_YEAR, "geo_version": "vn34",
             "text_vi": ("Từ 1/7/2025 cả nước có 34 tỉnh, thành phố và không còn cấp huyện; "
                         "số liệu 2025 không so sánh trực tiếp với các năm trước."),
             "text_en": ("From 1 July 2025 the country has 34 provinces and no district level; "
                         "2025 figures are not directly comparable with earlier years.")},
        ],
    }


def build_demo_release(out: Path, seed: int = 20251, design: DemoDesign = DemoDesign()) -> Path:
    """Generate answers, compute figures and write the release folder."""
    answers = generate_answers(seed, design)
    crosswalk = pd.read_parquet(paths.GEODATA_DIR / "crosswalk_vn63_vn34.parquet")
    meta = demo_metadata(seed, design)
    tables, designs = statistics_tables(answers, SOURCE_ID, crosswalk, breaks=method_breaks(meta["notes"]))
    results = tables.pop("results")
    meta["survey_design"] = survey_design(designs, weighted=True)
    return write_release(out, meta, results, indicator_table(), statistics=tables)


def run_demo_command(out: Path, seed: int = 20251) -> int:
    try:
        path = build_demo_release(out, seed)
    except ReleaseWriteError as exc:
        print(f"The demo release did not pass validation; nothing was replaced.\n{exc}", file=sys.stderr)
        return 1
    print(f"wrote DEMO release to {path}")
    return 0
