"""What a reasoner derives that carries no knowledge for a reader.

An OWL 2 RL closure also holds bookkeeping triples: ``x owl:sameAs x``, types
that are anonymous class expressions, ``owl:Thing``, statements about the
built-in vocabulary. Both engines leave them out, by this one test.
"""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef

BUILT_IN = (str(OWL), str(RDFS), str(RDF), "http://www.w3.org/2001/XMLSchema#")
NOISE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}


def is_noise(s, p, o, asserted) -> bool:
    """Whether a derived triple (rdflib terms) is bookkeeping; never one that ``asserted`` holds."""
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
    if p == RDF.type and (isinstance(o, BNode) or o in NOISE_TYPES or o == RDFS.Datatype):
        return True
    if p in (RDFS.domain, RDFS.range) and (o in (OWL.Thing, RDFS.Resource) or isinstance(o, BNode)):
        return True
    if s == OWL.Nothing or o == OWL.Nothing:
        return True
    if p == OWL.disjointWith:  # the pairwise spelling of owl:AllDisjointClasses
        return True
    if isinstance(s, BNode) or isinstance(o, BNode):  # statements about anonymous class expressions
        return True
    if p == RDF.type and isinstance(s, URIRef) and str(s).startswith(BUILT_IN):
        return True
    return False
