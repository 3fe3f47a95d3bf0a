"""The main job: files → graph → reason → validate / query / export."""
from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import catalogue
from .errors import InputError, LlmkgError
from .export import export
from .load import load_each
from .query import format_result, run
from .reason import reason
from .stats import stats
from .validate import Report, check, format_text


ENGINES = ("oxigraph", "rules", "owlrl")


@dataclass
class BuildResult:
    out: Path
    timings: list[tuple[str, float]] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    report: Report | None = None
    files: list[Path] = field(default_factory=list)
    wall: float = 0.0  # seconds from start to end; less than the stages' sum when they overlap

    @property
    def exit_code(self) -> int:
        return self.report.exit_code if self.report else 2


def build(
    data: Iterable[str | Path] | None = None,
    out: str | Path = "build",
    *,
    engine: str = "oxigraph",
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Load, reason, validate, run the catalogue and write everything into ``out``.

    ``engine``: ``oxigraph`` (default) keeps the graph in an Oxigraph store
    and does every stage there (llmkg.store, fastreason, fastvalidate,
    fastquery); ``rules`` and ``owlrl`` use rdflib, pySHACL and the named
    reasoner — the reference the fast engine is tested against.
    ``progress(stage)`` is called as each stage starts.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    out = Path(out)
    result = BuildResult(out=out)
    say = progress or (lambda stage: None)

    def stage(name, fn):
        say(name)
        start = time.perf_counter()
        value = fn()
        result.timings.append((name, time.perf_counter() - start))
        return value

    began = time.perf_counter()
    # The build makes millions of small tuples and sets that live until it ends;
    # Python's cycle collector would walk them again and again (a fifth of the
    # network export at 100,000 models) and can free nothing: pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if engine == "oxigraph":
            _build_store(data, out, result, stage)
        else:
            _build_rdflib(data, out, result, stage, engine)
    finally:
        if collecting:
            gc.enable()
    result.wall = time.perf_counter() - began
    return result


def _build_rdflib(data, out: Path, result: BuildResult, stage, engine: str) -> None:
    """The reference build: rdflib, the named reasoner, pySHACL."""

    loaded, errors = stage("load", lambda: load_each(data))
    closed = stage("reason", lambda: reason(loaded.graph, engine=engine))
    result.report = stage("validate", lambda: check(loaded, closed, errors=errors))
    result.stats = stats(closed, loaded.graph)

    out.mkdir(parents=True, exist_ok=True)
    result.files += stage("queries", lambda: _write_queries(
        out, lambda text: format_result(run(closed, text), "csv", closed)))

    def exports():
        files = export(closed, "ttl", out / "llmkg-inferred.ttl")
        files += export(closed, "gexf", out / "llmkg.gexf", asserted=loaded.graph)
        from .render import render_all  # matplotlib is slow to import: only when drawing

        files += render_all(closed, out, asserted=loaded.graph)
        report = out / "validation.txt"
        report.write_text(format_text(result.report), encoding="utf-8")
        return files + [report]

    result.files += stage("export", exports)


def _build_store(data, out: Path, result: BuildResult, stage) -> BuildResult:
    """The same build on an Oxigraph store: what scales to a million triples."""
    from .export import export_network_store
    from .fastquery import stats_store
    from .fastreason import reason_store
    from .fastvalidate import check_store
    from .store import load_store

    loaded = stage("load", lambda: load_store(data))
    stage("reason", lambda: reason_store(loaded))
    out.mkdir(parents=True, exist_ok=True)
    # The catalogue and the Turtle dump run in a forked copy of this process
    # while this one validates and exports the network: both halves only read
    # the reasoned store, and a second core halves the wait on a large catalogue.
    background = _InBackground(loaded, out)
    result.report = stage("validate", lambda: check_store(loaded))
    result.stats = stats_store(loaded)

    def exports():
        files = export_network_store(loaded, out)  # the GEXF and both pictures, from one network
        report = out / "validation.txt"
        report.write_text(format_text(result.report), encoding="utf-8")
        return files + [report]

    result.files += stage("export", exports)
    written, timings = background.wait()
    result.timings[3:3] = timings  # load, reason, validate, queries, turtle, export
    result.files[:0] = written
    return result


def _write_queries(out: Path, to_csv: Callable[[str], str]) -> list[Path]:
    """Each catalogue query's result, as ``to_csv(sparql)`` gives it, into out/queries/NAME.csv."""
    folder = out / "queries"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for q in catalogue.load_catalogue():
        path = folder / f"{q.name}.csv"
        path.write_text(to_csv(q.text), encoding="utf-8")
        written.append(path)
    return written


def _background_work(loaded, out: Path) -> tuple[list[Path], list[tuple[str, float]]]:
    """The catalogue's CSVs, then the reasoned graph as Turtle."""
    from .fastquery import dump_turtle, to_csv

    start = time.perf_counter()
    written = _write_queries(out, lambda text: to_csv(loaded, text))
    middle = time.perf_counter()
    written.append(dump_turtle(loaded, out / "llmkg-inferred.ttl"))
    return written, [("queries", middle - start), ("turtle", time.perf_counter() - middle)]


class _InBackground:
    """Run :func:`_background_work` in a forked child process (or here, where fork is missing)."""

    def __init__(self, loaded, out: Path):
        import multiprocessing as mp

        self.loaded, self.out = loaded, out
        self.process = None
        if "fork" in mp.get_all_start_methods():
            ctx = mp.get_context("fork")
            self.receive, send = ctx.Pipe(duplex=False)
            self.process = ctx.Process(target=self._child, args=(send,), daemon=True)
            self.process.start()
            send.close()

    def _child(self, send) -> None:
        try:
            written, timings = _background_work(self.loaded, self.out)
            send.send(("ok", [str(p) for p in written], timings))
        except BaseException as e:  # reported by the parent, which owns the error handling
            send.send(("error", str(e), type(e).__name__ if not isinstance(e, LlmkgError) else None))
        finally:
            send.close()

    def wait(self) -> tuple[list[Path], list[tuple[str, float]]]:
        if self.process is None:
            return _background_work(self.loaded, self.out)
        try:
            status, payload, extra = self.receive.recv()
        except EOFError:
            status, payload, extra = "error", f"the process ended with code {self.process.exitcode}", "EOFError"
        self.process.join()
        if status == "error":
            if extra is None:  # a user's error (e.g. a query that cannot run): report it as such
                raise LlmkgError(payload)
            raise RuntimeError(f"running the catalogue failed: {extra}: {payload}")
        return [Path(p) for p in payload], [tuple(t) for t in extra]


def format_summary(result: BuildResult) -> str:
    from .query import _table

    t = result.stats["triples"]
    lines = [f"{t['asserted']} triples asserted, {t['after_reasoning']} after OWL RL reasoning\n"]
    wanted = ("llmkg:LargeModel", "llmkg:LargeLanguageModel", "llmkg:MultimodalModel", "llmkg:VisionModel",
              "llmkg:DecisionModel", "llmkg:IndustryModel", "llmkg:SmallModel", "llmkg:SoftwareSystem",
              "llmkg:Organization", "llmkg:Milestone", "llmkg:Source", "skos:Concept", "llmkg:Comparison")
    by_class = {r["class"]: r for r in result.stats["classes"]}
    rows = [[by_class[c]["label"], str(by_class[c]["asserted"]), str(by_class[c]["inferred"])]
            for c in wanted if c in by_class]
    lines.append(_table(["entities", "asserted", "with reasoning"], rows))
    c = result.report.counts()
    verdict = "conforms" if result.report.exit_code == 0 else "DOES NOT CONFORM (see validation.txt)"
    lines.append(f"\nvalidation: {verdict} — {c['error']} errors, {c['warning']} warnings\n\n")
    rows = [[n, f"{s:.2f}"] for n, s in result.timings]
    if result.wall:
        rows.append(["total", f"{result.wall:.2f}"])
    lines.append(_table(["stage", "seconds"], rows))
    lines.append(f"\nwrote {len(result.files)} files into {result.out}/\n")
    return "".join(lines)
