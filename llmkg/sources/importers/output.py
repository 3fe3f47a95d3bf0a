"""The import's triples as text: Turtle or N-Triples, written by pyoxigraph's serialiser.

The serialiser writes triples in the order it is given them; the order here
makes the output reproducible — subjects sorted, rdf:type first and then
predicates sorted, objects sorted — so the same triples always give the same
bytes. In Turtle each subject starts a line, which lets ``llmkg validate``
point at the line that describes a node. Prefixes are llmkg.vocab's.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Literal, URIRef

from llmkg import vocab
from llmkg.errors import InputError

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def serialize(triples: Iterable[tuple], fmt: str = "turtle") -> str:
    """Text of ``triples`` (an rdflib Graph or any iterable of rdflib-term triples), in a fixed order."""
    return ox.serialize(oxigraph_triples(triples), format=FORMATS[fmt], prefixes=vocab.PREFIXES).decode("utf-8")


def write(triples: Iterable[tuple], out: str | Path) -> Path:
    """Write ``triples`` to ``out``: N-Triples for a .nt name, Turtle otherwise."""
    out = Path(out)
    fmt = FORMATS["nt" if out.suffix == ".nt" else "turtle"]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        ox.serialize(oxigraph_triples(triples), str(out), fmt, prefixes=vocab.PREFIXES)
    except OSError as e:
        raise InputError(f"{out}: cannot write the file ({e.strerror})") from None
    return out


def in_order(triples: Iterable[tuple]) -> Iterator[tuple]:
    """The triples by subject, rdf:type first then by predicate, then by object; each once."""
    by_subject: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_subject[s][p].add(o)
    for s in sorted(by_subject, key=str):  # str: rdflib's own ordering of terms is slow Python
        predicates = by_subject[s]
        for p in sorted(predicates, key=predicate_order):
            objects = predicates[p]
            for o in sorted(objects, key=object_order) if len(objects) > 1 else objects:
                yield s, p, o


def predicate_order(p: URIRef) -> tuple:
    return (p != RDF.type, str(p))


def object_order(o) -> tuple:
    """IRIs before literals; literals by text, then datatype, then language."""
    if isinstance(o, Literal):
        return (1, str(o), str(o.datatype or ""), o.language or "")
    return (0, str(o), "", "")


def oxigraph_triples(triples: Iterable[tuple]) -> Iterator[ox.Triple]:
    """``triples`` in order, as pyoxigraph triples (each IRI converted once)."""
    nodes: dict = {}

    def node(iri) -> ox.NamedNode:
        n = nodes.get(iri)
        if n is None:
            if not isinstance(iri, URIRef):
                raise ValueError(f"blank nodes are not written by the importers: {iri!r}")
            n = nodes[iri] = ox.NamedNode(iri)
        return n

    for s, p, o in in_order(triples):
        if not isinstance(o, Literal):
            obj = node(o)
        elif o.language:
            obj = ox.Literal(o, language=o.language)
        elif o.datatype is not None:
            obj = ox.Literal(o, datatype=node(o.datatype))
        else:
            obj = ox.Literal(o)
        yield ox.Triple(node(s), node(p), obj)
