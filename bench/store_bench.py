"""What do the reading commands cost once the store is built, against the reference?

Each row is a whole command in a fresh process (what a user waits for),
median of --repeat runs, beside the reference way of answering the same
question: rdflib loads the files, owlrl reasons, rdflib's SPARQL answers
(what `llmkg query` did before there was a built store) — or, for
validation, `--engine reference` (rdflib + owlrl + pySHACL). Prints a table
with the target of each row. Run from the repository root:

    .venv/bin/python bench/store_bench.py                    # the shipped data, and 100,000 models
    .venv/bin/python bench/store_bench.py --models 10000 --repeat 5
    .venv/bin/python bench/store_bench.py --models 0         # the shipped data only

The synthetic catalogue and its built store are made first (not timed) in a
temporary folder; the reference is run on 100,000 models only where it can
finish within --limit seconds.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/llmkg/id/SynthModel-000042> ?p ?o }"
# the reference's way of answering: load and reason with rdflib + owlrl, query with rdflib
REFERENCE_QUERY = """
import sys
from llmkg.querying.reference import csv_rdflib
from llmkg.querying.run import resolve
from llmkg.reasoning.reference import reason
from llmkg.sources.rdf import load
data = sys.argv[2:] or None
print(csv_rdflib(reason(load(data).graph), resolve(sys.argv[1])[1]), end="")
"""


# runs a command and reports its own peak memory (KiB) as the last line on standard error
_PEAK = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)")


def timed(cmd: list[str], env: dict, limit: float, peak: bool = False) -> tuple[float | None, float]:
    """(seconds, or None past ``limit``; with ``peak``, the peak memory of the command's process in
    GiB, measured by a wrapper process that adds its start-up to the seconds)."""
    start = time.perf_counter()
    try:
        p = subprocess.run(([PY, "-c", _PEAK] if peak else []) + cmd, cwd=ROOT, env=env, capture_output=True,
                           timeout=limit)
    except subprocess.TimeoutExpired:
        return None, 0.0
    took = time.perf_counter() - start
    if p.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.decode()[-2000:]}")
    return took, int(p.stderr.decode().strip().splitlines()[-1]) / 1024 / 1024 if peak else 0.0


def median(cmd, env, repeat, limit, peak=False):
    runs = [timed(cmd, env, limit, peak) for _ in range(repeat)]
    if any(t is None for t, _ in runs):
        return None, max(m for _, m in runs)
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def first_answer_after_start(env: dict, data: list[str], limit: float) -> float:
    """Seconds from starting `llmkg serve` to its first answer."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [PY, "-m", "llmkg", "serve", "--port", str(port), "--workers", "1"] + sum((["--data", d] for d in data), [])
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    try:
        while time.perf_counter() - start < limit:
            try:
                with urllib.request.urlopen(url, timeout=limit) as r:
                    r.read()
                    return time.perf_counter() - start
            except OSError:
                time.sleep(0.02)
        return float("nan")
    finally:
        proc.terminate()
        proc.wait(10)


def fmt(t) -> str:
    return "—" if t is None else ("> limit" if t != t else f"{t:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=100_000, help="synthetic catalogue size (0: none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=300.0, help="seconds before a run is stopped")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="llmkg-store-bench-"))
    env = dict(os.environ, LLMKG_BUILD_DIR=str(work / "stores"))
    rows = []  # (what, llmkg seconds, reference seconds, target)
    llmkg = [PY, "-m", "llmkg"]
    try:
        # --- the shipped data -------------------------------------------------
        subprocess.run(llmkg + ["query", "ASK {}"], cwd=ROOT, env=env, capture_output=True, check=True)
        t, _ = median(llmkg + ["query", "timeline"], env, args.repeat, args.limit)
        r, _ = median([PY, "-c", REFERENCE_QUERY, "timeline"], env, args.repeat, args.limit)
        rows.append(("query timeline (shipped data, store built)", t, r, "≤ 0.3 s"))
        new = str(ROOT / "tests" / "fixtures" / "valid_model.ttl")
        t, _ = median(llmkg + ["validate", new], env, args.repeat, args.limit)
        r, _ = median(llmkg + ["validate", "--engine", "reference", new], env, args.repeat, args.limit)
        rows.append(("validate one new model (shipped data + 1 file)", t, r, "≤ 0.8 s"))

        if args.models:
            n = args.models
            data = str(work / f"synth-{n}.ttl")
            subprocess.run(llmkg + ["synth", "--models", str(n), "--seed", "1", "-o", data], cwd=ROOT, env=env,
                           capture_output=True, check=True)
            start = time.perf_counter()
            subprocess.run(llmkg + ["query", "--data", data, "ASK {}"], cwd=ROOT, env=env, capture_output=True,
                           check=True)
            built = time.perf_counter() - start
            rows.append((f"(building the store of {n:,} models, once)", built, None, ""))
            t, _ = median(llmkg + ["query", "--data", data, LOOKUP], env, args.repeat, args.limit)
            rows.append((f"lookup query ({n:,} models)", t, None, "≤ 0.5 s"))
            from llmkg.querying.catalogue import load_catalogue

            slowest = (None, 0.0)
            for q in load_catalogue():
                if q.name == "lineage":
                    continue
                t, _ = median(llmkg + ["query", "--data", data, q.name, "--format", "csv"], env, 1, args.limit)
                if t is None or t > slowest[1]:
                    slowest = (q.name, t if t is not None else float("nan"))
                rows.append((f"  query {q.name}", t, None, "≤ 3 s"))
            t = first_answer_after_start(env, [data], args.limit)
            rows.append((f"serve: first answer after start ({n:,})", t, None, "≤ 3 s"))
            export = llmkg + ["export", "--data", data, "--format", "gexf", "--view", "lineage", "-o",
                              str(work / "lineage.gexf")]
            t, _ = median(export, env, 1, args.limit)
            rows.append((f"export --view lineage ({n:,}), first: reads the disk", t, None, "≤ 15 s"))
            # what the first one read is kept beside the store (llmkg build keeps its own reads there)
            t, _ = median(export, env, args.repeat, args.limit)
            rows.append((f"export --view lineage ({n:,}), reads kept", t, None, "≤ 15 s"))
            t, peak = median(llmkg + ["validate", "--data", data], env, 1, args.limit, peak=True)
            rows.append((f"validate --data ({n:,}); peak {peak:.2f} GiB", t, None, "≤ 30 s, ≤ 4 GiB"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"llmkg reading commands, fresh processes, median of {args.repeat} "
          f"(machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()})\n")
    width = max(len(w) for w, *_ in rows)
    print(f"{'command':<{width}}  {'llmkg s':>8}  {'reference s':>11}  {'ratio':>6}  target")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 11}  {'-' * 6}  ------")
    for what, t, r, target in rows:
        ratio = f"{r / t:.0f}×" if t and r else ""
        print(f"{what:<{width}}  {fmt(t):>8}  {fmt(r):>11}  {ratio:>6}  {target}")


if __name__ == "__main__":
    main()
