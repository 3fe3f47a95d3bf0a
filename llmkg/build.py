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
    engine: str = "rules",
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Load, reason, validate, run the catalogue and write everything into ``out``."""
    out = Path(out)
    result = BuildResult(out=out)
    say = progress or (lambda stage: None)

    def stage(name, fn):
        say(name)
        start = time.perf_counter()
        value = fn()
        result.timings.append((name, time.perf_counter() - start))
        return value

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
