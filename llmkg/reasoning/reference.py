"""Graph → reasoned graph: the OWL 2 RL closure.

Two engines give the same result on this ontology: ``rules`` (default), a
compiled subset of the OWL 2 RL rules that this ontology uses (llmkg.rules,
about 30x faster), and ``owlrl``, the reference implementation of the whole
profile. tests/test_rules.py checks they agree.

The closure also holds bookkeeping triples (``x owl:sameAs x``, types that
are anonymous class expressions, ``owl:Thing``, built-in vocabulary); they
carry no knowledge for a reader and are removed."""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from llmkg.sources.rdf import bind_prefixes

_BUILT_IN = (str(OWL), str(RDFS), str(RDF), "http://www.w3.org/2001/XMLSchema#")
_NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}


ENGINES = ("rules", "owlrl")


def reason(graph: Graph, engine: str = "rules") -> Graph:
    """Return a new graph: ``graph`` plus everything OWL 2 RL derives from it."""
    if engine == "rules":
        from llmkg.reasoning.rules import Rules

        closed = Rules(graph).expand(graph)
    elif engine == "owlrl":
        import owlrl

        closed = Graph()
        closed += graph
        owlrl.DeductiveClosure(
            owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
        ).expand(closed)
    else:
        from llmkg.errors import InputError

        raise InputError(f"unknown reasoning engine {engine!r}; choose one of {', '.join(ENGINES)}")
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
    if p == RDF.type and (isinstance(o, BNode) or o in _NOISE_TYPES or o == RDFS.Datatype):
        return True
    if p in (RDFS.domain, RDFS.range) and (o in (OWL.Thing, RDFS.Resource) or isinstance(o, BNode)):
        return True
    if s == OWL.Nothing or o == OWL.Nothing:
        return True
    if p == OWL.disjointWith:  # the pairwise spelling of owl:AllDisjointClasses
        return True
    if isinstance(s, BNode) or isinstance(o, BNode):  # statements about anonymous class expressions
        return True
    if p == RDF.type and isinstance(s, URIRef) and str(s).startswith(_BUILT_IN):
        return True
    return False


def inferred_only(closed: Graph, asserted: Graph) -> Graph:
    """The triples reasoning added."""
    g = Graph()
    for t in closed:
        if t not in asserted:
            g.add(t)
    return bind_prefixes(g)
