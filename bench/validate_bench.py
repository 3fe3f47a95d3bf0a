"""How long does a contributor wait for `llmkg validate NEW_FILE`?

Checks the shipped graph plus one new file, several times, and prints a
table of seconds per stage (median and fastest). Run from the repository root:

    .venv/bin/python bench/validate_bench.py [--runs 5] [FILE]
"""
from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

from llmkg.validation import validate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", default=str(ROOT / "tests" / "fixtures" / "valid_model.ttl"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    validate([args.file])  # warm-up: imports and first-use caches are not what a user waits for twice
    runs = []
    for _ in range(args.runs):
        start = time.perf_counter()
        report = validate([args.file])
        total = time.perf_counter() - start
        runs.append({**report.timings, "total": total})
    stages = list(runs[0])
    print(f"llmkg validate <shipped data> + {Path(args.file).name}: {args.runs} runs, "
          f"{len(report.files)} files, exit code {report.exit_code}")
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}\n")
    print(f"{'stage':<14}{'median s':>10}{'fastest s':>11}{'share':>8}")
    total = statistics.median(r["total"] for r in runs)
    for stage in stages:
        values = [r[stage] for r in runs]
        med = statistics.median(values)
        print(f"{stage:<14}{med:>10.3f}{min(values):>11.3f}{med / total:>8.0%}")

    # What the user really waits for: a fresh process, imports included.
    import subprocess
    import sys

    walls = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "llmkg", "validate", args.file], capture_output=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
    print(f"{'whole command':<14}{statistics.median(walls):>10.3f}{min(walls):>11.3f}"
          f"   (python -m llmkg validate, a fresh process)")


if __name__ == "__main__":
    main()
