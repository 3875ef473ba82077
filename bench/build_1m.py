"""Benchmark: build a release from about 1,000,000 survey answers; prints time and peak memory.

The answers are simulated with the demo generator (one year, all 63 provinces and their
districts), written as Parquet, then `python -m dashboard build` runs in a child process whose
wall time and peak resident memory are measured. Target (issue): under 30 s and 2 GB.
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard.build.demo import DemoDesign, generate_answers

TARGET_ROWS = 1_000_000


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    answers = generate_answers(99, DemoDesign(respondents_per_village=9))
    answers = answers[answers["year"] == 2024].drop(columns=["geo_version"])
    answers = answers.iloc[:TARGET_ROWS] if len(answers) >= TARGET_ROWS else answers
    if len(answers) < TARGET_ROWS:
        raise SystemExit(f"only {len(answers):,} answers simulated; raise respondents_per_village")
    path = work / "answers.parquet"
    answers.to_parquet(path)
    print(f"answers: {len(answers):,} rows, {answers['respondent_id'].nunique():,} respondents, "
          f"{path.stat().st_size / 1e6:.1f} MB parquet")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "dashboard", "build", str(path), "-o", str(work / "release")],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(proc.stdout.strip() or proc.stderr.strip()[-2000:])
    print(f"build: {elapsed:.1f} s wall, peak RSS {peak_mb:.0f} MB (targets: 30 s, 2048 MB), exit {proc.returncode}")


if __name__ == "__main__":
    main()
