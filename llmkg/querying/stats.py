"""Counts: triples, and entities per class before and after reasoning."""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from llmkg import paths
from llmkg.querying.formats import short


def stats(closed: Graph, asserted: Graph) -> dict:
    """Triples asserted and inferred, and entities per class (asserted / with reasoning)."""
    classes = sorted(
        {c for c in closed.subjects(RDF.type, OWL.Class)
         if isinstance(c, URIRef) and str(c).startswith(paths.LLMKG)} | {SKOS.Concept}
    )
    rows = []
    for c in classes:
        inferred = {s for s in closed.subjects(RDF.type, c) if str(s).startswith(paths.KG)}
        if not inferred:
            continue
        direct = {s for s in asserted.subjects(RDF.type, c) if str(s).startswith(paths.KG)}
        label = next((str(l) for l in closed.objects(c, RDFS.label) if getattr(l, "language", None) == "en"),
                     "concept (SKOS)" if c == SKOS.Concept else short(closed, c))
        rows.append({"class": short(closed, c), "label": label, "asserted": len(direct), "inferred": len(inferred)})
    return {
        "triples": {"asserted": len(asserted), "after_reasoning": len(closed),
                    "added_by_reasoning": len(closed) - len(asserted)},
        "classes": rows,
    }


def format_stats(s: dict) -> str:
    from llmkg.querying.formats import _table

    t = s["triples"]
    head = (f"{t['asserted']} triples asserted, {t['after_reasoning']} after reasoning "
            f"(+{t['added_by_reasoning']})\n\n")
    cells = [[r["class"], r["label"], str(r["asserted"]), str(r["inferred"])] for r in s["classes"]]
    return head + _table(["class", "label", "asserted", "with reasoning"], cells)
