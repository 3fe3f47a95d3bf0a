"""Reasoning on the reference engine: owlrl's OWL 2 RL closure of an rdflib graph.

owlrl implements the whole OWL 2 RL profile; the store's reasoner
(:mod:`llmkg.reasoning.closure`) applies only the rules this ontology needs,
much faster. Tests check that both derive the same triples; ``--engine
reference`` builds with this one.
"""
from __future__ import annotations

from rdflib import Graph

from llmkg.reasoning.bookkeeping import is_noise
from llmkg.reasoning.dates import first_days_rdflib
from llmkg.vocab import bind


def reason(graph: Graph) -> Graph:
    """Return a new graph: ``graph`` plus everything OWL 2 RL derives from it, bookkeeping left
    out, and the first day of every date (:mod:`llmkg.reasoning.dates`)."""
    import owlrl

    closed = Graph()
    closed += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    for s, p, o in list(closed):
        if is_noise(s, p, o, graph):
            closed.remove((s, p, o))
    first_days_rdflib(closed)
    return bind(closed)


def reference_store(data=None):
    """The files of ``data`` loaded by rdflib and reasoned over by owlrl, as a
    :class:`llmkg.store.load.GraphStore` (a file that cannot be read is left
    out, its error kept)."""
    from llmkg.sources.rdf import load_each

    loaded, errors = load_each(data)
    return to_store(loaded, errors, reason(loaded.graph))


def to_store(loaded, errors, closed):
    """rdflib's asserted graphs (a :class:`llmkg.sources.rdf.Loaded`) and their
    closure in a store laid out as :func:`llmkg.store.load.load_store` lays it
    out (ONTOLOGY, DATA, INFERRED), so that every later stage reads it alike."""
    import pyoxigraph as ox

    from llmkg.store.load import DATA, INFERRED, ONTOLOGY, GraphStore, to_ox

    store = ox.Store()
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ONTOLOGY) for s, p, o in loaded.ontology]
    quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), DATA) for s, p, o in loaded.data
              if (s, p, o) not in loaded.ontology]
    quads += [ox.Quad(to_ox(s), to_ox(p), to_ox(o), INFERRED) for s, p, o in closed if (s, p, o) not in loaded.graph]
    store.extend(quads)
    return GraphStore(store, loaded.files, list(errors))
