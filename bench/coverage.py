"""Coverage of the 95% intervals on simulated clustered samples with a known truth (prints figures)."""
from __future__ import annotations

import sys

import numpy as np

from dashboard.stats.satisfaction import estimate, respondent_items
from tests.unit.test_stats_uncertainty import clustered_sample


def main(draws: int = 1000) -> None:
    rng = np.random.default_rng(1)
    for truth in (0.6, 0.8, 0.9):
        hits, values = 0, []
        for _ in range(draws):
            row = estimate(respondent_items(clustered_sample(rng, truth)), "national").iloc[0]
            hits += row["ci_low"] <= 100 * truth <= row["ci_high"]
            values.append(row["value"])
        print(f"truth {100 * truth:.0f}%: coverage {hits / draws:.3f} over {draws} draws, "
              f"mean estimate {np.mean(values):.2f} (bias {np.mean(values) - 100 * truth:+.2f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
