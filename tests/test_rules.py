"""The fast rule engine and owlrl, the reference, give the same closure."""
from __future__ import annotations

import pytest

import llmkg
from conftest import FIXTURES


def closures(data=None):
    # One load for both engines: blank nodes keep their identity.
    graph = llmkg.load(data).graph
    return set(llmkg.reason(graph, engine="rules")), set(llmkg.reason(graph, engine="owlrl"))


def test_same_closure_on_the_shipped_data():
    fast, reference = closures()
    assert fast - reference == set()
    assert reference - fast == set()


@pytest.mark.parametrize("name", ["inferred_inconsistency.ttl", "lineage_cycle.ttl", "disjoint_classes.ttl"])
def test_same_closure_on_awkward_fixtures(name):
    fast, reference = closures(["data", FIXTURES / "bad" / name])
    assert fast == reference


def test_unknown_engine_is_an_input_error():
    with pytest.raises(llmkg.InputError, match="choose one of rules, owlrl"):
        llmkg.reason(llmkg.load([]).graph, engine="magic")


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
