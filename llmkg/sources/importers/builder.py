"""The graph of one import run: its triples, the provenance of every imported node, and counts.

Every imported node gets ``dcterms:source`` → the import-run ``llmkg:Source``
(a node for the input file: title, date = the file's modification day,
publisher, ``dcterms:type kg:Dataset``) and ``prov:wasGeneratedBy`` → the
import ``prov:Activity`` (which ``prov:used`` that source), so shapes can be
scoped to leave such nodes out or report them at a lower severity. Imported
entities get an English label only: catalogues carry no Chinese names, and the
English name again as ``@zh`` would be false. The run's own source and activity
do carry Chinese labels: they describe our import, not a catalogue's entity.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from llmkg import vocab
from llmkg.sources.importers.vocabulary import (
    DATASET_KIND, DATASET_KIND_TRIPLES, SHIPPED_TASKS, TASK_ALIASES, data_node, match_key, ontology_term,
    path_segment,
)


class GraphBuilder:
    """Adds triples and keeps the provenance and counts of one import.

    The triples are a set of rdflib terms, not an rdflib Graph: adding to a Graph
    (three indexes) was half the time of a large import, and writing the output
    needs only the triples in order (output.py). ImportResult.graph builds the
    Graph when a caller asks for it.
    """

    def __init__(self, kind: str, display: str, digest: str, files: list[Path], publisher: str,
                 title_en: str, title_zh: str, derived_from: str | None = None):
        self.triples: set[tuple] = set()
        self.typed: set[URIRef] = set()   # nodes given a class so far
        self.counts: Counter = Counter()  # nodes written per kind ("models", "organisations" …)
        base = vocab.KG + f"import/{kind}/{digest}"
        self.source = URIRef(base)
        self.activity = URIRef(base + "/activity")
        self._describe_source(display, files, publisher, title_en, title_zh, derived_from)
        self._describe_activity(kind, display)

    def add(self, subject: URIRef, predicate: URIRef, obj) -> None:
        self.triples.add((subject, predicate, obj))

    def add_type(self, node: URIRef, cls: URIRef) -> None:
        self.typed.add(node)
        self.add(node, RDF.type, cls)

    def is_described(self, node: URIRef) -> bool:
        """Whether ``node`` already has a class in this import."""
        return node in self.typed

    def entity(self, node: URIRef, cls: URIRef, label: str, kind: str, where: str | None = None) -> URIRef:
        """An imported node: its class, English label and provenance (``where`` says where it was read)."""
        if not self.is_described(node):
            self.counts[kind] += 1
        self.add_type(node, cls)
        self.add(node, RDFS.label, Literal(label, lang="en"))
        self.add(node, DCTERMS.source, self.source)
        self.add(node, PROV.wasGeneratedBy, self.activity)
        if where:
            self.add(node, RDFS.comment, Literal(where, lang="en"))
        return node

    def shipped(self, local: str, cls: URIRef, label: str) -> URIRef:
        """A shipped node, restated by its class and its English label exactly as shipped."""
        node = data_node(local)
        self.add_type(node, cls)
        self.add(node, RDFS.label, Literal(label, lang="en"))
        return node

    def task(self, name: str, namespace: str) -> URIRef:
        """The shipped task ``name`` means, else a task of the catalogue under ``kg:namespace/``."""
        local = TASK_ALIASES.get(match_key(name))
        if local:
            return self.shipped(local, ontology_term("Task"), SHIPPED_TASKS[local])
        label = name.replace("-", " ") if namespace == "hf-task" else name
        return self.entity(data_node(f"{namespace}/{path_segment(name)}"), ontology_term("Task"), label, "tasks")

    def sorted_counts(self) -> dict:
        return dict(sorted(self.counts.items()))

    def _describe_source(self, display, files, publisher, title_en, title_zh, derived_from) -> None:
        s = self.source
        self.add_type(s, ontology_term("Source"))
        self.add(s, RDFS.label, Literal(f"{title_en}: {display}", lang="en"))
        self.add(s, RDFS.label, Literal(f"{title_zh}：{display}", lang="zh"))
        self.add(s, DCTERMS.title, Literal(display))
        self.add(s, DCTERMS.publisher, Literal(publisher))
        self.add(s, DCTERMS.date, modification_day(files))
        self.add(s, DCTERMS.type, DATASET_KIND)
        if derived_from:
            self.add(s, PROV.wasDerivedFrom, URIRef(derived_from))
        for p, o in DATASET_KIND_TRIPLES:
            self.add(DATASET_KIND, p, o)
        self.typed.add(DATASET_KIND)

    def _describe_activity(self, kind: str, display: str) -> None:
        a = self.activity
        self.add_type(a, PROV.Activity)
        self.add(a, RDFS.label, Literal(f"llmkg import {kind} of {display}", lang="en"))
        self.add(a, RDFS.label, Literal(f"llmkg 导入 {kind}：{display}", lang="zh"))
        self.add(a, PROV.used, self.source)


def modification_day(files: list[Path]) -> Literal:
    """The day (UTC) the newest of ``files`` was last changed, as an xsd:date."""
    stamp = max(p.stat().st_mtime for p in files)
    return Literal(datetime.fromtimestamp(stamp, tz=timezone.utc).date().isoformat(), datatype=XSD.date)
