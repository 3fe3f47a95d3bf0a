"""SHACL as SPARQL on an Oxigraph store: pySHACL's results, in a fraction of the time.

pySHACL walks the graph focus node by focus node in Python (about a minute
for 1,000 models). Here each (shape, constraint) pair of ``ontology/shapes.ttl``
is compiled once into one SPARQL SELECT that returns the violating
(focus node, value) rows of the whole graph at once; Oxigraph runs it on the
asserted graphs (ontology + data, never the inferred graph) of a
:mod:`llmkg.store` store.

    from llmkg.store.load import load_store
    from llmkg.validation.shacl import validate_store
    results = validate_store(load_store())   # list[Result], rdflib terms

The results are meant to equal pySHACL's top-level ``sh:result`` entries
(``pyshacl.validate(data + ontology, shacl_graph=shapes, inference="none",
advanced=True)``) field for field: focus node, result path, value, message,
severity, source shape, source constraint and constraint component.
``tests/test_shacl_sparql.py`` checks that on the shipped data, a synthetic
graph and every bad fixture.

Only the constructs the project's shapes use (and a few trivial neighbours)
are compiled; anything else raises :class:`ShapeCompileError` naming the
shape, so a new construct in the shapes file fails loudly instead of being
skipped.

The modules, in the order a check goes through them:

- :mod:`.model`: :class:`Check` (what compiling produces), :class:`Result`.
- :mod:`.compiler`: which shapes are validated; the checks of a node shape.
- :mod:`.shapes_graph`: reading a shape's parameters, checked.
- :mod:`.targets`: a shape's targets as a pattern binding ``?this``.
- :mod:`.properties`: a property shape's counts and value constraints.
- :mod:`.conditions`: a value constraint as a SPARQL condition on one value.
- :mod:`.recheck`: the few values SPARQL cannot judge exactly, judged in Python.
- :mod:`.sparql_constraints`: ``sh:sparql``, compiled and read back.
- :mod:`.sparql_text`: terms, prefixes, helper variables, the run-time placeholders.
- :mod:`.runner`: :func:`validate_store`; restricting a check to its candidates.
- :mod:`.prefilters`: the candidates, cheap supersets of the focus nodes a check reports.
- :mod:`.fast_paths`: lineage cycles and release-before-base, decided on sets.
- :mod:`.store_rows`: the store's rows, each read once per run.
"""
from llmkg.validation.shacl.compiler import compile_shapes
from llmkg.validation.shacl.model import Check, Result, ShapeCompileError
from llmkg.validation.shacl.runner import to_rdflib_term, validate_store

__all__ = ["Result", "Check", "ShapeCompileError", "compile_shapes", "validate_store", "to_rdflib_term"]
