"""Do the published intervals, changes and ranks claim what the data supports? Proof by simulation.

Draws surveys from a population with a known truth (`bench.known_truth`) under two designs, runs
them through the build's statistics (the same `statistics_tables` that `python -m dashboard build`
calls) and prints, per level: interval coverage, zero-width intervals, median width (and for
district figures with 70-90 respondents), the share of null changes marked significant, the
discoveries left after the false discovery rate control, rank-interval coverage, and the
harmonised 34-province figures against their truth.

    .venv/bin/python -m bench.honesty                 # 60 draws per design (~10 min on 2 cores)
    .venv/bin/python -m bench.honesty --draws 10 --design sipas

Targets (issue 15): coverage >= 93% at every level, no zero-width interval, median district
interval <= 30 points with 80 respondents, null false alarms <= 6% per test and almost no
discoveries after FDR, rank coverage >= 93%.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from bench.known_truth import Population, draw_answers
from dashboard import paths
from dashboard.stats.release_tables import statistics_tables

LEVELS = ("district", "province", "national", "harmonised")


@dataclass
class LevelFigures:
    intervals: int = 0
    covered: int = 0
    zero_width: int = 0
    widths: list[float] = field(default_factory=list)
    widths_80: list[float] = field(default_factory=list)
    null_changes: int = 0
    null_significant: int = 0
    rank_intervals: int = 0
    rank_covered: int = 0
    abs_errors: list[float] = field(default_factory=list)

    def summary(self) -> dict:
        def med(values: list[float]) -> float | None:
            return float(np.median(values)) if values else None

        return {
            "intervals": self.intervals,
            "coverage": self.covered / self.intervals if self.intervals else None,
            "zero_width": self.zero_width,
            "median_width": med(self.widths),
            "median_width_n70_90": med(self.widths_80),
            "null_changes": self.null_changes,
            "null_significant_share": self.null_significant / self.null_changes if self.null_changes else None,
            "rank_intervals": self.rank_intervals,
            "rank_coverage": self.rank_covered / self.rank_intervals if self.rank_intervals else None,
            "mean_abs_error": float(np.mean(self.abs_errors)) if self.abs_errors else None,
        }


@dataclass
class Simulation:
    design: str
    draws: int
    levels: dict[str, LevelFigures] = field(default_factory=lambda: {lv: LevelFigures() for lv in LEVELS})
    discoveries_per_draw: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict:
        return {"design": self.design, "draws": self.draws, "seconds": round(self.seconds, 1),
                "levels": {lv: f.summary() for lv, f in self.levels.items()},
                "fdr_discoveries_per_draw": float(np.mean(self.discoveries_per_draw)) if self.discoveries_per_draw else None,
                "draws_with_any_fdr_discovery": (float(np.mean([d > 0 for d in self.discoveries_per_draw]))
                                                 if self.discoveries_per_draw else None),
                "q_values_published": bool(self.discoveries_per_draw)}


def _score_intervals(sim: Simulation, frame: pd.DataFrame, truth: pd.DataFrame, level_name: str | None = None) -> None:
    rows = frame.dropna(subset=["ci_low", "ci_high"]).merge(
        truth, on=["geo_version", "level", "unit_code", "service", "indicator"])
    for level, part in rows.groupby("level"):
        fig = sim.levels[level_name or level]
        width = part["ci_high"] - part["ci_low"]
        fig.intervals += len(part)
        fig.covered += int(((part["ci_low"] <= part["truth"]) & (part["truth"] <= part["ci_high"])).sum())
        fig.zero_width += int((width < 0.005).sum())
        fig.widths += width.tolist()
        fig.widths_80 += width[(part["n"] >= 70) & (part["n"] <= 90)].tolist()
        fig.abs_errors += (part["value"] - part["truth"]).abs().tolist()


def _score_changes(sim: Simulation, changes: pd.DataFrame) -> None:
    tested = changes.dropna(subset=["significant"])
    tested = tested[~tested.get("harmonised", pd.Series(False, index=tested.index)).fillna(False).astype(bool)]
    for level, part in tested.groupby("level"):
        fig = sim.levels[level]
        fig.null_changes += len(part)
        fig.null_significant += int(part["significant"].astype(bool).sum())
    if "q_value" in changes:
        sim.discoveries_per_draw.append(int((changes["q_value"] <= 0.05).sum()))


def _score_ranks(sim: Simulation, ranks: pd.DataFrame, truth: pd.DataFrame) -> None:
    """A unit's true rank among the units ranked with it (under `sipas`, the sampled districts)."""
    rows = ranks.merge(truth, on=["geo_version", "level", "unit_code", "service", "indicator"])
    group = ["year", "geo_version", "level", "parent_code", "service", "indicator"]
    rows["true_rank"] = rows.groupby(group)["truth"].rank(ascending=False, method="min")
    for level, part in rows.groupby("level"):
        fig = sim.levels[level]
        fig.rank_intervals += len(part)
        fig.rank_covered += int(((part["rank_low"] <= part["true_rank"]) & (part["true_rank"] <= part["rank_high"])).sum())


def simulate(design: str, draws: int, seed: int = 2026, population: Population | None = None) -> Simulation:
    """Draw `draws` two-year surveys under `design` ("seeds" or "sipas") and score every claim."""
    pop = population or Population()
    crosswalk = pd.read_parquet(paths.GEODATA_DIR / "crosswalk_vn63_vn34.parquet")
    rng = np.random.default_rng(seed)
    truth = pop.truth
    sim = Simulation(design, draws)
    start = time.perf_counter()
    for _ in range(draws):
        answers = draw_answers(pop, rng, design)
        tables, _ = statistics_tables(answers, "sim", crosswalk)
        _score_intervals(sim, tables["results"], truth)
        if "harmonised" in tables and len(tables["harmonised"]):
            _score_intervals(sim, tables["harmonised"], truth, "harmonised")
        _score_changes(sim, tables["changes"])
        if len(tables.get("ranks", [])):
            _score_ranks(sim, tables["ranks"], truth)
    sim.seconds = time.perf_counter() - start
    return sim


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def format_table(summaries: list[dict]) -> str:
    lines = []
    header = (f"{'design':7} {'level':10} {'intervals':>9} {'coverage':>9} {'zero-w':>7} {'med.width':>9} "
              f"{'width n80':>9} {'null sig.':>9} {'rank cov.':>9} {'|error|':>7}")
    for s in summaries:
        lines.append(header)
        for level, f in s["levels"].items():
            if not f["intervals"] and not f["null_changes"] and not f["rank_intervals"]:
                continue
            lines.append(f"{s['design']:7} {level:10} {f['intervals']:>9} {_pct(f['coverage']):>9} {f['zero_width']:>7} "
                         f"{_num(f['median_width']):>9} {_num(f['median_width_n70_90']):>9} "
                         f"{_pct(f['null_significant_share']):>9} {_pct(f['rank_coverage']):>9}"
                         f" {_num(f['mean_abs_error'], 2):>7}")
        disc = s["fdr_discoveries_per_draw"]
        lines.append(f"{s['design']:7} {s['draws']} draws in {s['seconds']} s; discoveries after FDR (q <= 0.05) per draw: "
                     + ("not published (no q_value)" if disc is None else
                        f"{disc:.2f}, draws with any: {_pct(s['draws_with_any_fdr_discovery'])}"))
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=60)
    parser.add_argument("--design", choices=["seeds", "sipas", "both"], default="both")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, default=Path("bench/out/honesty.json"))
    args = parser.parse_args(argv)
    designs = ["seeds", "sipas"] if args.design == "both" else [args.design]
    pop = Population()
    summaries = [simulate(d, args.draws, args.seed, pop).summary() for d in designs]
    print(format_table(summaries))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summaries, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
