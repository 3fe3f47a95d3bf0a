"""Graph → reasoned graph, with owlrl's OWL 2 RL closure.

The ontology stays inside OWL 2 RL, so the closure is complete for it. The
closure also produces bookkeeping triples (``x owl:sameAs x``, types that
are anonymous class expressions, ``owl:Thing``); they carry no knowledge
for a reader and are removed."""
from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal

from .load import bind_prefixes

_NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}


def reason(graph: Graph) -> Graph:
    """Return a new graph: ``graph`` plus everything OWL 2 RL derives from it."""
    closed = Graph()
    closed += graph
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closed)
    for s, p, o in list(closed):
        if _is_noise(s, p, o, graph):
            closed.remove((s, p, o))
    return bind_prefixes(closed)


def _is_noise(s, p, o, asserted: Graph) -> bool:
    if (s, p, o) in asserted:
        return False
    if isinstance(s, Literal):
        return True
    if p == OWL.sameAs and s == o:
        return True
    if p in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty) and (
        s == o or isinstance(o, BNode) or isinstance(s, BNode) or o in (OWL.Thing, RDFS.Resource)
    ):
        return True
    if p == RDF.type and (isinstance(o, BNode) or o in _NOISE_TYPES):
        return True
    return False


def inferred_only(closed: Graph, asserted: Graph) -> Graph:
    """The triples reasoning added."""
    g = Graph()
    for t in closed:
        if t not in asserted:
            g.add(t)
    return bind_prefixes(g)
