"""Counts: triples, and entities per class before and after reasoning."""
from __future__ import annotations

import pyoxigraph as ox

from llmkg.querying.formats import table
from llmkg.store.load import GraphStore
from llmkg.vocab import KG, LLMKG, OWL, RDFS, SKOS, curie

_CONCEPT = SKOS + "Concept"


def _count(loaded: GraphStore, graph: ox.NamedNode) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"
    return int(next(iter(loaded.store.query(q)))["n"].value)


def triple_counts(loaded: GraphStore) -> tuple[int, int]:
    """(asserted, after reasoning) distinct triples: the store's graphs share none."""
    asserted = sum(_count(loaded, g) for g in loaded.asserted_graphs)
    return asserted, asserted + _count(loaded, loaded.inferred_graph)


def stats(loaded: GraphStore) -> dict:
    """Triples asserted and inferred, and the kg: entities of each llmkg: class
    (and skos:Concept), as written and with reasoning."""

    def per_class(graphs) -> dict:
        q = (f'SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER (STRSTARTS(STR(?s), "{KG}")) }} '
             "GROUP BY ?c")
        return {r["c"].value: int(r["n"].value) for r in loaded.store.query(q, default_graph=graphs)
                if isinstance(r["c"], ox.NamedNode)}

    inferred = per_class(loaded.graphs)
    direct = per_class(loaded.asserted_graphs)
    declared = {r["c"].value for r in loaded.store.query(
        f'SELECT DISTINCT ?c WHERE {{ ?c a <{OWL}Class> FILTER (isIRI(?c) && STRSTARTS(STR(?c), "{LLMKG}")) }}',
        default_graph=loaded.graphs)} | {_CONCEPT}
    labels = {r["c"].value: r["l"].value for r in loaded.store.query(
        f'SELECT ?c ?l WHERE {{ ?c <{RDFS}label> ?l FILTER (LANG(?l) = "en") }}', default_graph=loaded.graphs)}
    rows = []
    for c in sorted(declared):
        if not inferred.get(c):
            continue
        label = labels.get(c) or ("concept (SKOS)" if c == _CONCEPT else curie(c))
        rows.append({"class": curie(c), "label": label, "asserted": direct.get(c, 0), "inferred": inferred[c]})
    asserted, closed = triple_counts(loaded)
    return {
        "triples": {"asserted": asserted, "after_reasoning": closed, "added_by_reasoning": closed - asserted},
        "classes": rows,
    }


def format_stats(s: dict) -> str:
    t = s["triples"]
    head = (f"{t['asserted']} triples asserted, {t['after_reasoning']} after reasoning "
            f"(+{t['added_by_reasoning']})\n\n")
    cells = [[r["class"], r["label"], str(r["asserted"]), str(r["inferred"])] for r in s["classes"]]
    return head + table(["class", "label", "asserted", "with reasoning"], cells)
