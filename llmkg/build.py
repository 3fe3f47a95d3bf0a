"""The main job: files → graph → reason → validate / query / export."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import catalogue
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
        from .errors import InputError

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

    if engine == "oxigraph":
        return _build_store(data, out, result, stage)

    loaded, errors = stage("load", lambda: load_each(data))
    closed = stage("reason", lambda: reason(loaded.graph, engine=engine))
    result.report = stage("validate", lambda: check(loaded, closed, errors=errors))
    result.stats = stats(closed, loaded.graph)

    def queries():
        written = []
        folder = out / "queries"
        folder.mkdir(parents=True, exist_ok=True)
        for q in catalogue.load_catalogue():
            path = folder / f"{q.name}.csv"
            path.write_text(format_result(run(closed, q.text), "csv", closed), encoding="utf-8")
            written.append(path)
        return written

    out.mkdir(parents=True, exist_ok=True)
    result.files += stage("queries", queries)

    def exports():
        files = export(closed, "ttl", out / "llmkg-inferred.ttl")
        files += export(closed, "gexf", out / "llmkg.gexf", asserted=loaded.graph)
        from .render import render_all  # matplotlib is slow to import: only when drawing

        files += render_all(closed, out, asserted=loaded.graph)
        report = out / "validation.txt"
        report.write_text(format_text(result.report), encoding="utf-8")
        return files + [report]

    result.files += stage("export", exports)
    return result


def _build_store(data, out: Path, result: BuildResult, stage) -> BuildResult:
    """The same build on an Oxigraph store: what scales to a million triples."""
    from .export import export_store
    from .fastquery import dump_turtle, stats_store, to_csv
    from .fastreason import reason_store
    from .fastvalidate import check_store
    from .store import load_store

    loaded = stage("load", lambda: load_store(data))
    stage("reason", lambda: reason_store(loaded))
    result.report = stage("validate", lambda: check_store(loaded))
    result.stats = stats_store(loaded)
    out.mkdir(parents=True, exist_ok=True)

    def queries():
        folder = out / "queries"
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for q in catalogue.load_catalogue():
            path = folder / f"{q.name}.csv"
            path.write_text(to_csv(loaded, q.text), encoding="utf-8")
            written.append(path)
        return written

    result.files += stage("queries", queries)

    def exports():
        from .render import render_all_store

        files = [dump_turtle(loaded, out / "llmkg-inferred.ttl")]
        files += export_store(loaded, "gexf", out / "llmkg.gexf")
        files += render_all_store(loaded, out)
        report = out / "validation.txt"
        report.write_text(format_text(result.report), encoding="utf-8")
        return files + [report]

    result.files += stage("export", exports)
    return result


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
    lines.append(_table(["stage", "seconds"], [[n, f"{s:.2f}"] for n, s in result.timings]))
    lines.append(f"\nwrote {len(result.files)} files into {result.out}/\n")
    return "".join(lines)
