"""The project's one table of prefixes, and the names made from it.

Every prefixed name llmkg prints — in a query's table, a finding, a GEXF
attribute, a Turtle file it writes — and every prefix an inline query may use
without declaring it comes from :data:`PREFIXES`. Pure Python: reading it
costs no import of rdflib.
"""
from __future__ import annotations

LLMKG = "https://w3id.org/llmkg/ontology#"
KG = "https://w3id.org/llmkg/id/"
SHAPES = "https://w3id.org/llmkg/shapes#"
GRAPH = "https://w3id.org/llmkg/graph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"

#: prefix → namespace, in the order declarations are written
PREFIXES: dict[str, str] = {
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "dcterms": DCTERMS,
    "schema": SCHEMA, "prov": PROV, "sh": SH, "llmkg": LLMKG, "kg": KG, "shapes": SHAPES,
}

# Longest namespace first, so that a namespace inside another one wins.
_BY_LENGTH = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda t: -len(t[0]))
_LOCAL_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")


def curie(iri: str) -> str:
    """``kg:GPT-4`` for ``https://w3id.org/llmkg/id/GPT-4``; ``<iri>`` where no
    prefix fits or the rest is not a plain local name."""
    for ns, prefix in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns):]
            if set(local) <= _LOCAL_CHARS and not local.endswith(".") and not local.startswith((".", "-")):
                return f"{prefix}:{local}"
            break
    return f"<{iri}>"


def expand(name: str) -> str | None:
    """The IRI of a prefixed name (``llmkg:basedOn``) or of ``<iri>``; None if the prefix is unknown."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, sep, local = name.partition(":")
    if not sep or prefix not in PREFIXES:
        return None
    return PREFIXES[prefix] + local


def sparql_prologue(skip: set[str] = frozenset()) -> str:
    """``PREFIX p: <ns>`` lines for every prefix not in ``skip`` (lower-case names)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p.lower() not in skip)


def turtle_prologue() -> str:
    """``@prefix p: <ns> .`` lines for every prefix."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


def bind(graph):
    """Bind every prefix on an rdflib graph (replacing rdflib's own defaults); return the graph."""
    for p, ns in PREFIXES.items():
        graph.bind(p, ns, override=True, replace=True)
    return graph
