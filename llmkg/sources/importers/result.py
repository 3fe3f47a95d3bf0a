"""What an import produced and what it left out, with where and why."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

#: How the summary names each importer's input and its records.
INPUT_NAMES = {"epoch": ("Epoch AI CSV", "rows"), "hf": ("Hugging Face model cards", "models")}
#: Stubs listed by name in the summary; the rest are counted.
STUBS_LISTED = 10


def shown(value, limit: int = 60) -> str:
    """A value as the summary quotes it: repr, a long one cut in the middle."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit // 2]}…{text[-limit // 4:]} ({len(str(value))} characters)"


@dataclass
class ImportResult:
    """What an import produced and what it left out, with where and why."""

    kind: str                       # "epoch" or "hf"
    path: str                       # the input, as given
    triples: set = field(default_factory=set)            # (subject, predicate, object) as rdflib terms
    rows_read: int = 0
    rows_imported: int = 0
    skipped: list = field(default_factory=list)          # (line or "file:line", reason)
    dropped: list = field(default_factory=list)          # (line or "file:line", field, value, reason)
    unknown_columns: list = field(default_factory=list)  # columns/fields not imported, sorted
    unmapped_columns: list = field(default_factory=list)  # recognised, but no ontology term (yet)
    stubs: list = field(default_factory=list)            # base models referenced but not in the input
    resolved_bases: int = 0         # base-model links that point at a model of the input
    stub_links: dict = field(default_factory=dict)       # stub → number of links to it
    counts: dict = field(default_factory=dict)           # nodes written per kind
    notes: list = field(default_factory=list)
    out: Path | None = None
    _graph: Graph | None = field(default=None, repr=False, compare=False)

    @property
    def graph(self) -> Graph:
        """The triples as an rdflib Graph, built on first use (writing the output does not need it)."""
        if self._graph is None:
            self._graph = Graph()
            for triple in self.triples:
                self._graph.add(triple)
        return self._graph

    def record_stubs(self, links: Counter) -> None:
        """Keep the stubs (base models not in the input) and how many links point at each, sorted."""
        self.stubs = sorted(links)
        self.stub_links = dict(sorted(links.items()))

    def summary(self) -> str:
        what, records = INPUT_NAMES.get(self.kind, (self.kind, "rows"))
        lines = [f"{self.path} ({what}): {self.rows_imported} of {self.rows_read} "
                 f"{records} imported, {len(self.skipped)} skipped"]
        if self.counts:
            lines.append("  wrote " + ", ".join(f"{n} {k}" for k, n in self.counts.items()) +
                         f"; {len(self.triples)} triples")
        lines += self._base_model_lines()
        if self.skipped:
            lines.append(f"skipped {len(self.skipped)}:")
            lines += [f"  {where}: {reason}" for where, reason in self.skipped]
        if self.dropped:
            lines.append(f"values left out {len(self.dropped)}:")
            lines += [f"  {where}: {fld} {shown(value)}: {reason}" for where, fld, value, reason in self.dropped]
        if self.unmapped_columns:
            lines.append("not imported (no ontology term yet): " + ", ".join(self.unmapped_columns))
        if self.unknown_columns:
            lines.append("not imported (unknown): " + ", ".join(self.unknown_columns))
        lines += self.notes
        if self.out is not None:
            lines.append(f"wrote {self.out}")
        return "\n".join(lines) + "\n"

    def _base_model_lines(self) -> list[str]:
        if not (self.resolved_bases or self.stubs):
            return []
        lines = [f"  base models: {self.resolved_bases} links to models in the input, "
                 f"{sum(self.stub_links.values())} to {len(self.stubs)} stub models (bases not in the input; "
                 "they name no organisation, so they will not validate until their rows are imported)"]
        lines += [f"    stub: {name}" for name in self.stubs[:STUBS_LISTED]]
        if len(self.stubs) > STUBS_LISTED:
            lines.append(f"    … and {len(self.stubs) - STUBS_LISTED} more stubs")
        return lines
