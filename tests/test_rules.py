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
