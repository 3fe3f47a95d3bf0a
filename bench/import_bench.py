"""How fast are `llmkg synth` and `llmkg import hf` on catalogues of Hub size?

Times, each in a fresh process (start-up included), with the median of --runs:

    synth       llmkg synth --models N --seed 1 -o synth.ttl
    import hf   llmkg import hf hub.jsonl -o hub.ttl, on a generated Hub-like JSONL
                of --lines models (ids, tasks, licences, languages, datasets, sizes and
                base models, a tenth of them outside the file)

--against DIR times a second checkout of the repository too (e.g. the commit before a
change: `git archive COMMIT | tar -x -C DIR`), its runs interleaved with this tree's so
that both see the same machine weather. --serialisers times the Turtle serialisers the
importers could use (pyoxigraph's and rdflib's) on the generated import's graph.

    .venv/bin/python bench/import_bench.py                        # 100,000 models, 3 runs
    .venv/bin/python bench/import_bench.py --against /tmp/before
    .venv/bin/python bench/import_bench.py --models 10000 --lines 10000 --serialisers
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TASKS = ("text-generation", "text-classification", "image-text-to-text", "feature-extraction",
         "text-to-image", "automatic-speech-recognition", "fill-mask", "image-classification")
LICENSES = ("apache-2.0", "mit", "llama2", "cc-by-nc-4.0", "other", "openrail")
LIBRARIES = ("transformers", "peft", "gguf", "diffusers", "sentence-transformers")
LANGUAGES = ("en", "zh", "fr", "de", "ja", "multilingual")
RELATIONS = ("finetune", "adapter", "quantized", "merge", None)


def write_hub_jsonl(path: Path, lines: int, seed: int = 1) -> None:
    """A reproducible Hub-like JSONL: one model a line, as the Hub API returns them."""
    rng = random.Random(f"llmkg-import-bench:{lines}:{seed}")
    ids = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(lines):
            mid = f"org{rng.randrange(max(1, lines // 50)):05d}/model-{i:07d}"
            obj: dict = {"id": mid, "pipeline_tag": rng.choice(TASKS), "downloads": rng.randrange(10 ** 6)}
            card: dict = {"license": rng.choice(LICENSES), "library_name": rng.choice(LIBRARIES),
                          "language": rng.sample(LANGUAGES, rng.randint(1, 2))}
            if rng.random() < 0.3:
                card["datasets"] = [f"data{rng.randrange(500):03d}/set-{rng.randrange(50)}"]
            if rng.random() < 0.6:
                obj["safetensors"] = {"total": int(10 ** rng.uniform(7, 11))}
            if ids and rng.random() < 0.7:
                base = rng.choice(ids) if rng.random() < 0.9 else f"outside{rng.randrange(100)}/base-{rng.randrange(1000)}"
                card["base_model"] = base
                relation = rng.choice(RELATIONS)
                if relation:
                    card["base_model_relation"] = relation
            obj["cardData"] = card
            ids.append(mid)
            f.write(json.dumps(obj) + "\n")


def timed(argv: list[str], code: Path) -> float:
    """Seconds of one `python -m llmkg ARGV` run with the package from ``code``."""
    env = dict(os.environ, PYTHONPATH=str(code), LLMKG_HOME=str(code))
    start = time.perf_counter()
    # run in ``code``: `python -m` puts the working folder first on sys.path, before PYTHONPATH
    p = subprocess.run([sys.executable, "-m", "llmkg", *argv], cwd=code, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if p.returncode not in (0, 1):  # 1: rows skipped, still a complete import
        sys.exit(f"{' '.join(argv)} failed with exit code {p.returncode}:\n{p.stderr}")
    return seconds


def compare_serialisers(jsonl: Path, runs: int) -> list[tuple[str, float, int]]:
    """Median seconds to write the import's triples as Turtle with each serialiser.

    pyoxigraph writes from the import's set of triples (as the importers do);
    rdflib needs them in a Graph first, whose building is timed on its own row.
    """
    from rdflib import Graph

    from llmkg import vocab
    from llmkg.sources.importers import import_hf, serialize

    triples = import_hf(jsonl, on_error="skip").triples

    def graph() -> Graph:
        g = vocab.bind(Graph())
        for t in triples:
            g.add(t)
        return g

    g = graph()
    ways = {
        "pyoxigraph, in order (llmkg.sources.importers.serialize)": lambda: serialize(triples),
        "pyoxigraph N-Triples, in order": lambda: serialize(triples, "nt"),
        "rdflib: building the Graph rdflib needs": lambda: graph(),
        "rdflib turtle (Graph built)": lambda: g.serialize(format="turtle"),
        "rdflib longturtle (Graph built)": lambda: g.serialize(format="longturtle"),
    }
    rows = []
    for name, write in ways.items():
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            text = write()
            seconds.append(time.perf_counter() - start)
        size = len(text.encode("utf-8")) if isinstance(text, str) else 0
        rows.append((name, statistics.median(seconds), size))
    return rows


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=_positive, default=100_000, help="models for llmkg synth")
    parser.add_argument("--lines", type=_positive, default=100_000, help="models in the generated JSONL")
    parser.add_argument("--runs", type=_positive, default=3)
    parser.add_argument("--against", type=Path, metavar="DIR", help="another checkout to time, interleaved")
    parser.add_argument("--serialisers", action="store_true", help="also time pyoxigraph's and rdflib's Turtle")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="llmkg-import-bench-") as tmp:
        work = Path(tmp)
        jsonl = work / "hub.jsonl"
        write_hub_jsonl(jsonl, args.lines)
        tasks = {
            f"llmkg synth --models {args.models}": ["synth", "--models", str(args.models), "--seed", "1",
                                                     "-o", str(work / "synth.ttl")],
            f"llmkg import hf ({args.lines} lines)": ["import", "hf", str(jsonl), "-o", str(work / "hub.ttl")],
        }
        trees = {"this tree": ROOT} | ({"--against": args.against.resolve()} if args.against else {})
        seconds: dict = {(t, k): [] for t in tasks for k in trees}
        for _ in range(args.runs):
            for task, argv in tasks.items():
                for tree, code in trees.items():
                    seconds[task, tree].append(timed(argv, code))

        print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
              f"medians of {args.runs} runs (each run's seconds in brackets)\n")
        head = "| task | " + " | ".join(trees) + (" | this / against |" if args.against else " |")
        print(head)
        print("|" + "---|" * (head.count("|") - 1))
        for task in tasks:
            cells = [f"{statistics.median(seconds[task, t]):.2f} s "
                     f"({', '.join(f'{s:.1f}' for s in seconds[task, t])})" for t in trees]
            ratio = (f" | {statistics.median(seconds[task, 'this tree']) / statistics.median(seconds[task, '--against']):.2f}"
                     if args.against else "")
            print(f"| {task} | " + " | ".join(cells) + ratio + " |")

        if args.serialisers:
            print(f"\nTurtle of the import's graph ({args.lines} lines), medians of {args.runs}:\n")
            print("| serialiser | seconds | bytes |\n|---|---|---|")
            for name, s, size in compare_serialisers(jsonl, args.runs):
                print(f"| {name} | {s:.2f} | {size:,} |")


if __name__ == "__main__":
    main()
