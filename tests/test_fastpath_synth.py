"""The fast engine gives the reference's answers on a 1,000-model synthetic catalogue with
planted mistakes (the same tests as tests/test_fastpath.py's on the shipped data, in a file of
their own so that pytest-xdist runs the two side by side), and finds exactly the planted ones."""
from __future__ import annotations

import pytest

from llmkg.sources.synth import synth
from llmkg.validation.checks import check_store
from test_fastpath import _both
from test_fastpath import test_same_findings, test_same_inferred_triples, test_same_query_results_and_counts  # noqa: F401


@pytest.fixture(scope="module")
def synth_pair(tmp_path_factory):
    path = tmp_path_factory.mktemp("fast") / "synth-1000.ttl"
    result = synth(1000, seed=1, out=path)
    assert len({v.kind for v in result.violations}) == 4  # every kind of planted mistake is there
    return _both([path])


@pytest.fixture(scope="module")
def pair(synth_pair):
    return synth_pair


def test_synthetic_findings_are_exactly_the_planted_ones(synth_pair):
    from collections import Counter

    fast, *_ = synth_pair
    planted = synth(1000, seed=1).violations  # the same arguments give the same graph
    expected = Counter((sev, rule, v.focus) for v in planted for sev, rule in v.expected)
    found = Counter((f.severity, f.rule, f.focus_node.replace("kg:", "https://w3id.org/llmkg/id/"))
                    for f in check_store(fast).findings)
    assert found == expected
