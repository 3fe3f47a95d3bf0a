"""The compiled rules on the store and owlrl, the reference, give the same closure."""
from __future__ import annotations

import pytest
from rdflib import BNode

from conftest import FIXTURES
from llmkg.reasoning.closure import reason_store
from llmkg.reasoning.reference import reason
from llmkg.sources.rdf import load
from llmkg.store.load import load_store, to_rdflib


def closures(data=None):
    """(the store's closure, owlrl's), without blank nodes: their ids differ between two parsers."""
    store = load_store(data)
    reason_store(store)
    named = lambda g: {t for t in g if not any(isinstance(x, BNode) for x in t)}  # noqa: E731
    mine, reference = to_rdflib(store.store), reason(load(data).graph)
    assert len(mine) == len(reference)
    return named(mine), named(reference)


def test_same_closure_on_the_shipped_data(shipped, reference_shipped):
    named = lambda g: {t for t in g if not any(isinstance(x, BNode) for x in t)}  # noqa: E731
    fast, reference = named(shipped.closed), named(reference_shipped[1])
    assert len(shipped.closed) == len(reference_shipped[1])
    assert fast - reference == set()
    assert reference - fast == set()


@pytest.mark.parametrize("name", ["inferred_inconsistency.ttl", "lineage_cycle.ttl", "disjoint_classes.ttl"])
def test_same_closure_on_awkward_fixtures(name):
    fast, reference = closures([FIXTURES / "bad" / name])
    assert fast == reference


def _naive_closure(pairs):
    closure = set(pairs)
    while True:
        new = {(a, d) for a, b in closure for c, d in closure if b == c} - closure
        if not new:
            return closure
        closure |= new


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=30))
def test_transitive_closure_agrees_with_the_definition(pairs):
    """Components and cycles included: the SCC-based closure equals repeated composition."""
    from llmkg.reasoning.rules import _transitive

    assert _transitive(pairs) == _naive_closure(pairs)
