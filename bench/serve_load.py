"""How does ``llmkg serve`` hold up under many clients, and beside abusive ones?

Starts ``llmkg serve`` on the shipped data (the built store; built first if
missing) on 127.0.0.1 and a free port, in a process of its own, then:

1. ``--clients`` clients (threads, default 20) each send ``--queries``
   catalogue queries (default 50), one after the other, round-robin through
   the catalogue;
2. the same again while 2 more clients keep sending pathological queries
   (a three-way cross product, an ORDER BY over a cross product, a query
   that builds a 1 GiB string, 50,000 nested brackets, a SERVICE call).

Prints a table: throughput, p50, p99 and errors of the normal clients (an
error is any status but 200), and what the pathological clients got.
Bounded: loopback only, every request has a 60 s client timeout, and the
run stops after ``--limit`` seconds. Run from the repository root:

    .venv/bin/python bench/serve_load.py
    .venv/bin/python bench/serve_load.py --clients 20 --queries 50 --workers 4
"""
from __future__ import annotations

import argparse
import collections
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PATHOLOGICAL = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(?c) ?f",
    "SELECT (STRLEN(?s27) AS ?n) { BIND(\"xxxxxxxx\" AS ?s0) "
    + " ".join(f"BIND(CONCAT(?s{i},?s{i}) AS ?s{i + 1})" for i in range(27)) + " }",
    "SELECT * WHERE { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(url: str, query: str) -> tuple[int, float]:
    data = urllib.parse.urlencode({"query": query}).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    except OSError:
        status = 0  # reset, refused or timed out
    return status, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def phase(url: str, texts: list[str], clients: int, queries: int, pathological: int, deadline: float) -> dict:
    times: list[float] = []
    statuses: collections.Counter = collections.Counter()
    bad: collections.Counter = collections.Counter()
    stop = threading.Event()
    lock = threading.Lock()

    def client(n: int) -> None:
        for i in range(queries):
            if time.monotonic() > deadline:
                return
            status, took = ask(url, texts[(n * queries + i) % len(texts)])
            with lock:
                times.append(took)
                statuses[status] += 1

    def abuser(n: int) -> None:
        i = n
        while not stop.is_set() and time.monotonic() < deadline:
            status, _ = ask(url, PATHOLOGICAL[i % len(PATHOLOGICAL)])
            i += 1
            with lock:
                bad[status] += 1

    abusers = [threading.Thread(target=abuser, args=(n,), daemon=True) for n in range(pathological)]
    for t in abusers:
        t.start()
    if pathological:
        time.sleep(1.5)  # the abusers' first queries are running
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(deadline - time.monotonic(), 0.1))
    elapsed = time.perf_counter() - started
    stop.set()
    for t in abusers:
        t.join(max(deadline - time.monotonic(), 0.1) + 60)
    return {"n": len(times), "throughput": len(times) / elapsed, "p50": percentile(times, 50),
            "p99": percentile(times, 99), "errors": sum(v for k, v in statuses.items() if k != 200),
            "statuses": dict(statuses), "pathological": dict(bad)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--queries", type=int, default=50, help="queries per client")
    ap.add_argument("--workers", type=int, default=4, help="llmkg serve --workers")
    ap.add_argument("--timeout", type=float, default=10.0, help="llmkg serve --timeout")
    ap.add_argument("--cache", type=int, default=64, help="llmkg serve --cache (MiB; 0: every query runs)")
    ap.add_argument("--limit", type=float, default=300.0, help="stop the whole run after this many seconds")
    args = ap.parse_args()

    from llmkg.querying.catalogue import load_catalogue

    texts = [q.text for q in load_catalogue()]
    port = free_port()
    llmkg = [sys.executable, "-m", "llmkg"]
    subprocess.run(llmkg + ["stats"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # the built store
    server = subprocess.Popen(llmkg + ["serve", "--port", str(port), "--workers", str(args.workers),
                                       "--timeout", str(args.timeout), "--cache", str(args.cache)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sparql"
    deadline = time.monotonic() + args.limit
    try:
        while ask(url, "ASK {}")[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("llmkg serve did not start")
            time.sleep(0.2)
        for q in texts:  # warm the store's caches once
            ask(url, q)
        rows = [("alone", phase(url, texts, args.clients, args.queries, 0, deadline)),
                ("beside 2 pathological clients", phase(url, texts, args.clients, args.queries, 2, deadline))]
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"llmkg serve on the shipped data, {args.clients} clients x {args.queries} catalogue queries, "
          f"--workers {args.workers} --timeout {args.timeout:g} --cache {args.cache} — {platform.platform()}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}\n")
    print("| run                           | queries | throughput (q/s) | p50 (ms) | p99 (ms) | errors | "
          "pathological clients got |")
    print("|-------------------------------|---------|------------------|----------|----------|--------|"
          "--------------------------|")
    for name, r in rows:
        got = ", ".join(f"{k}×{v}" for k, v in sorted(r["pathological"].items())) or "—"
        print(f"| {name:<29} | {r['n']:>7} | {r['throughput']:>16.1f} | {r['p50'] * 1000:>8.0f} | "
              f"{r['p99'] * 1000:>8.0f} | {r['errors']:>6} | {got:<24} |")
    for name, r in rows:
        if r["errors"]:
            print(f"\n{name}: statuses {r['statuses']}")


if __name__ == "__main__":
    main()
