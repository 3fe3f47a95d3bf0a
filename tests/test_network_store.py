"""The store path (llmkg.store → networkx, GEXF, pictures) gives what the rdflib path gives."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from llmkg.exports import gexf
from llmkg.exports import network
from llmkg.sources.rdf import load
from llmkg.paths import data_dir
from llmkg.reasoning.reference import reason
from llmkg.store.load import INFERRED, _to_ox, load_store

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "network" / "mini.ttl"
HAS_DATA = any(data_dir().glob("**/*.ttl"))


def reasoned_store(files=None):
    """(rdflib asserted graph, rdflib reasoned graph, store with INFERRED filled from the reference)."""
    import pyoxigraph as ox

    loaded = load(files)
    closed = reason(loaded.graph)
    st = load_store(files)
    st.store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), INFERRED)
                    for s, p, o in closed if (s, p, o) not in loaded.graph)
    return loaded.graph, closed, st


def assert_same(a: nx.DiGraph, b: nx.DiGraph):
    assert a.graph == b.graph
    assert list(a.nodes) == list(b.nodes)
    for n in a.nodes:
        assert a.nodes[n] == b.nodes[n], n
        assert list(a.nodes[n]) == list(b.nodes[n]), n  # same attribute order too
    assert list(a.edges) == list(b.edges)
    for e in a.edges:
        assert a.edges[e] == b.edges[e], e
    assert gexf.gexf_bytes(a) == gexf.gexf_bytes(b)


@pytest.fixture(scope="module")
def mini():
    return reasoned_store([FIXTURE])


@pytest.fixture(scope="module")
def shipped_store():
    if not HAS_DATA:
        pytest.skip("no shipped data")
    return reasoned_store()


@pytest.mark.parametrize("include_inferred", [True, False])
@pytest.mark.parametrize("view", network.VIEWS)
def test_mini_store_graph_is_identical(mini, view, include_inferred):
    asserted, closed, st = mini
    ref = network.to_networkx(closed, asserted=asserted, view=view, include_inferred=include_inferred)
    assert_same(network.to_networkx(st, view=view, include_inferred=include_inferred), ref)


@pytest.mark.parametrize("include_inferred", [True, False])
@pytest.mark.parametrize("view", network.VIEWS)
def test_shipped_store_graph_is_identical(shipped_store, view, include_inferred):
    asserted, closed, st = shipped_store
    ref = network.to_networkx(closed, asserted=asserted, view=view, include_inferred=include_inferred)
    got = network.to_networkx_store(st, view=view, include_inferred=include_inferred)
    assert got.number_of_nodes() > 0
    assert_same(got, ref)


def test_synthetic_store_graph_is_identical(tmp_path):
    from llmkg.sources.synth import synth

    path = tmp_path / "synth.ttl"
    synth(300, seed=1, out=path)
    asserted, closed, st = reasoned_store([path])
    ref = network.to_networkx(closed, asserted=asserted, view="full")
    got = network.to_networkx_store(st, view="full")
    assert got.number_of_nodes() > 300
    assert_same(got, ref)


def test_unknown_view_from_the_store(mini):
    with pytest.raises(ValueError, match="lineage"):
        network.to_networkx_store(mini[2], view="family-tree")
