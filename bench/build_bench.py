"""How fast is `llmkg build --data CATALOGUE` at hub scale, against the reference stack?

For each size (synthetic catalogues from `llmkg synth`, seed 1) and each engine,
runs the whole build in a fresh process and records seconds per stage and the
process's peak memory; prints one table (stage × size × engine) with the
reference/llmkg ratio. Engines:

    llmkg       --engine oxigraph:  Oxigraph store, compiled rules, SHACL as SPARQL
    reference   --engine reference: rdflib + owlrl + pySHACL (capped: see --limit)

A reference run that passes --limit seconds is stopped; its unfinished stages
show as "> N". Run from the repository root (100K models needs a few minutes
for llmkg alone and the reference never finishes there):

    .venv/bin/python bench/build_bench.py                 # 1K, 10K, 100K
    .venv/bin/python bench/build_bench.py --sizes 1000 10000 --limit 300
    .venv/bin/python bench/build_bench.py --repeat 3      # llmkg's medians of 3 runs
    .venv/bin/python bench/build_bench.py --skip pictures --skip turtle   # issue 6's scope
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from llmkg.pipeline import STAGES  # noqa: E402  (the build's own list)
# "total" is the wall time of the whole build; llmkg shares validation, the queries and the Turtle
# dump with a second process while it builds the network, the GEXF and the pictures, so its total
# is less than the sum of its stages (each the seconds of work, summed over both processes).
ENGINES = {"llmkg": "oxigraph", "reference": "reference"}


def child(engine: str, data: str, out: str, skip: str = "") -> None:
    """Run one build, printing each stage's seconds as a JSON line as soon as it ends."""
    import resource
    import threading

    from llmkg.pipeline import build

    last = {"name": None, "start": 0.0}
    one_at_a_time = threading.Lock()  # the build announces the store's write from the thread that writes it

    def progress(stage):
        with one_at_a_time:  # one whole line per write: two threads' lines must not interleave
            now = time.perf_counter()
            if last["name"]:
                sys.stdout.write(json.dumps({"stage": last["name"], "seconds": now - last["start"]}) + "\n")
                sys.stdout.flush()
            last["name"], last["start"] = stage, now

    result = build(data=[data], out=out, engine=engine, progress=progress, skip=[s for s in skip.split(",") if s])
    progress(None)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # KiB → GiB
    # the forked helper (llmkg shares work with one): its own peak; the pages it shares with this
    # process (copy-on-write) count in both, so the sum overstates the machine's peak
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    # CPU seconds of every thread of both processes: on two cores the wall time cannot fall below half
    cpu = sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
    # the build's own timings: stages may overlap (llmkg runs the catalogue in a second process)
    print(json.dumps({"peak_gib": peak, "helper_peak_gib": helper, "cpu_s": cpu, "triples": result.stats["triples"], "timings": dict(result.timings),
                      "wall": result.wall, "findings": result.report.counts()}), flush=True)


def run(engine: str, data: Path, limit: float, skip: list[str]) -> dict:
    """One build in a fresh process, stopped after ``limit`` seconds."""
    out = tempfile.mkdtemp(prefix="llmkg-bench-")
    cmd = [sys.executable, __file__, "--child", engine, str(data), out, ",".join(skip)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    record: dict = {"stages": {}, "complete": False}
    start = time.perf_counter()
    import selectors

    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    while True:
        remaining = limit - (time.perf_counter() - start)
        if remaining <= 0:
            proc.kill()
            break
        if not sel.select(timeout=min(remaining, 1.0)):
            if proc.poll() is not None:
                break
            continue
        line = proc.stdout.readline()
        if not line:
            break
        msg = json.loads(line)
        if "stage" in msg:
            record["stages"][msg["stage"]] = msg["seconds"]
        else:
            record.update(msg)
            record["stages"] = msg["timings"]
            record["complete"] = True
    proc.wait()
    record["wall"] = time.perf_counter() - start
    return record


_BARE_LOAD = ("import sys, pyoxigraph as ox; "
              "ox.Store().load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)")
# What every build must do at least besides: write the triples into the on-disk store the reading
# commands open (Oxigraph's bulk loader into RocksDB), here the asserted ones alone.
_BARE_STORE = ("import sys, tempfile, pyoxigraph as ox; "
               "ox.Store().load(path=sys.argv[1], format=ox.RdfFormat.TURTLE); "
               "d = tempfile.TemporaryDirectory(); s = ox.Store(d.name + '/db'); "
               "s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode('urn:x:asserted')); "
               "s.flush()")


def bare_load(data: Path, times: int, script: str = _BARE_LOAD) -> tuple[float, float]:
    """The floor: (seconds, CPU seconds) for Oxigraph alone to load ``data`` into a store in memory
    (``script``: and more), in a fresh process (its start-up included, as a build's is), medians of
    ``times`` runs."""
    import resource
    import statistics

    walls, cpus = [], []
    for _ in range(times):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", script, str(data)], check=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def median_run(records: list[dict]) -> dict:
    """One record of several runs of the same build: each stage's and the total's median,
    the highest peak memory, and the range of the totals (``walls``)."""
    import statistics

    if len(records) == 1:
        return {**records[0], "walls": [records[0]["wall"]]}
    merged = dict(records[-1])
    merged["complete"] = all(r["complete"] for r in records)
    merged["walls"] = sorted(r["wall"] for r in records)
    merged["wall"] = statistics.median(merged["walls"])
    stages = {k for r in records for k in r["stages"]}
    merged["stages"] = {k: statistics.median(r["stages"][k] for r in records if k in r["stages"]) for k in stages}
    if all("cpu_s" in r for r in records):
        merged["cpu_s"] = statistics.median(r["cpu_s"] for r in records)
    for key in ("peak_gib", "helper_peak_gib"):
        if any(key in r for r in records):
            merged[key] = max(r.get(key) or 0.0 for r in records)
    return merged


def fmt_seconds(rec: dict, stage: str, limit: float, skip=()) -> str:
    if stage in skip:
        return "skipped"
    if stage == "total":
        if rec["complete"]:
            return f"{rec['wall']:.2f}"
        return f"> {limit:.0f}"
    if stage in rec["stages"]:
        return f"{rec['stages'][stage]:.2f}"
    return f"> {limit:.0f}" if not rec["complete"] else "–"


def _at_least_one(text: str) -> int:
    n = int(text) if text.strip().lstrip("-").isdigit() else 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of runs, 1 or more")
    return n


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
        sys.stdout.flush()
        os._exit(0)  # as the llmkg command leaves (llmkg.cli.run): without tearing the heap down
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--limit", type=float, default=300.0, help="seconds before a reference run is stopped")
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    parser.add_argument("--repeat", type=_at_least_one, default=1, metavar="N",
                        help="run llmkg N times per size and show each stage's median (the machine is noisy); "
                             "the reference runs once")
    sys.path.insert(0, str(ROOT))
    from llmkg.pipeline import SKIPPABLE

    parser.add_argument("--skip", action="append", default=[], choices=list(SKIPPABLE), metavar="STAGE",
                        help="leave a stage of the build out (repeatable), as llmkg build --skip does")
    parser.add_argument("--skip-reference-above", type=int, default=10000,
                        help="do not start the reference on larger catalogues (it cannot finish)")
    args = parser.parse_args()
    from llmkg.sources.synth import synth

    workdir = Path(tempfile.mkdtemp(prefix="llmkg-bench-data-"))
    results: dict = {}
    floors: dict = {}
    store_floors: dict = {}
    for size in args.sizes:
        data = workdir / f"synth-{size}.ttl"
        synth(size, seed=1, out=data)
        floors[size] = bare_load(data, args.repeat)
        store_floors[size] = bare_load(data, args.repeat, _BARE_STORE)
        for name in args.engines:
            if name == "reference" and size > args.skip_reference_above:
                results[(size, name)] = None
                continue
            limit = args.limit if name == "reference" else 10 * args.limit
            print(f"… {name} on {size:,} models", file=sys.stderr, flush=True)
            times = args.repeat if name == "llmkg" else 1
            results[(size, name)] = median_run([run(ENGINES[name], data, limit, args.skip) for _ in range(times)])

    head = ["stage", "models"] + [f"{n} (s)" for n in args.engines] + (
        ["reference / llmkg"] if set(args.engines) == set(ENGINES) else [])
    rows = []
    for size in args.sizes:
        for stage in STAGES + ("total",):
            row = [stage, f"{size:,}"]
            secs = {}
            for name in args.engines:
                rec = results[(size, name)]
                if rec is None:
                    row.append("not run")
                    continue
                row.append(fmt_seconds(rec, stage, args.limit, args.skip))
                if rec["complete"] or stage in rec["stages"]:
                    secs[name] = rec.get("wall") if stage == "total" else rec["stages"].get(stage)
                else:
                    secs[name] = None
            if len(head) > len(row):
                a, b = secs.get("reference"), secs.get("llmkg")
                ref = results.get((size, "reference"))
                if a and b:
                    row.append(f"{a / b:.0f}×")
                elif ref and not ref["complete"] and stage not in ref["stages"] and b:
                    row.append(f"> {args.limit / b:.0f}×")  # stopped before this stage ended
                else:
                    row.append("")
            rows.append(row)
        def extra(label, text, size=size):  # a row with a figure for llmkg alone
            cells = [label, f"{size:,}"] + [text if name == "llmkg" else "" for name in args.engines]
            rows.append(cells + [""] * (len(head) - len(cells)))

        llmkg_run = results.get((size, "llmkg"))
        if llmkg_run and llmkg_run.get("cpu_s"):
            extra("CPU, all threads of both processes", f"{llmkg_run['cpu_s']:.2f}")
        extra("oxigraph's bare load (floor)", f"{floors[size][0]:.2f}")
        extra("  its CPU", f"{floors[size][1]:.2f}")
        extra("bare load + asserted into RocksDB", f"{store_floors[size][0]:.2f}")
        extra("  its CPU", f"{store_floors[size][1]:.2f}")
        if llmkg_run and llmkg_run["complete"]:
            extra("total / floor", f"{llmkg_run['wall'] / floors[size][0]:.1f}×")
        for label, key in (("peak memory (GiB)", "peak_gib"), ("peak memory, helper process (GiB)", "helper_peak_gib")):
            mem = [label, f"{size:,}"]
            for name in args.engines:
                rec = results[(size, name)]
                mem.append("not run" if rec is None else (f"{rec[key]:.2f}" if rec.get(key) else "–"))
            if len(head) > len(mem):
                mem.append("")
            rows.append(mem)
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    print(f"llmkg build on synthetic catalogues (llmkg synth, seed 1) — {platform.platform()}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
          + (f"; skipping {', '.join(args.skip)}" if args.skip else ""))
    print()
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    for size in args.sizes:
        rec = results.get((size, "llmkg"))
        if rec and rec.get("triples"):
            t = rec["triples"]
            print(f"\n{size:,} models: {t['asserted']:,} triples asserted, {t['after_reasoning']:,} after reasoning; "
                  f"findings {rec['findings']}", end="")
            if len(rec["walls"]) > 1:
                print(f"; llmkg total over {len(rec['walls'])} runs: "
                      f"{rec['walls'][0]:.2f}–{rec['walls'][-1]:.2f} s (median shown)", end="")
    print()


if __name__ == "__main__":
    main()
