"""The network of the built store on disk (asserted and inferred graphs) is the
one the build draws from its store in memory (ontology, data and inferred
graphs): node for node, attribute for attribute, byte for byte in GEXF."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from llmkg.exports import VIEWS, gexf, network
from llmkg.reasoning.closure import reason_store
from llmkg.store.load import load_store
from llmkg.store.persist import manifest_for, open_store, write

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "network" / "mini.ttl"


def both(files, folder: Path):
    """(the store in memory, reasoned; the same written to disk and opened read-only)."""
    memory = load_store(files)
    reason_store(memory)
    write(memory, folder / "store", manifest_for(files, memory.files, "oxigraph"))
    return memory, open_store(files, build_dir=folder, say=None)


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
def mini(tmp_path_factory):
    memory, disk = both([FIXTURE], tmp_path_factory.mktemp("mini"))
    yield memory, disk
    disk.close()


@pytest.fixture(scope="module")
def shipped_pair(tmp_path_factory):
    memory, disk = both(None, tmp_path_factory.mktemp("shipped"))
    yield memory, disk
    disk.close()


@pytest.mark.parametrize("include_inferred", [True, False])
@pytest.mark.parametrize("view", VIEWS)
def test_mini_graph_is_identical(mini, view, include_inferred):
    memory, disk = mini
    assert_same(network.to_networkx(disk, view=view, include_inferred=include_inferred),
                network.to_networkx(memory, view=view, include_inferred=include_inferred))


@pytest.mark.parametrize("include_inferred", [True, False])
@pytest.mark.parametrize("view", VIEWS)
def test_shipped_graph_is_identical(shipped_pair, view, include_inferred):
    memory, disk = shipped_pair
    got = network.to_networkx(disk, view=view, include_inferred=include_inferred)
    assert got.number_of_nodes() > 0
    assert_same(got, network.to_networkx(memory, view=view, include_inferred=include_inferred))


def test_synthetic_graph_is_identical(tmp_path):
    from llmkg.sources.synth import synth

    path = tmp_path / "synth.ttl"
    synth(300, seed=1, out=path)
    memory, disk = both([path], tmp_path)
    with disk:
        got = network.to_networkx(disk, view="full")
        assert got.number_of_nodes() > 300
        assert_same(got, network.to_networkx(memory, view="full"))


def test_unknown_view(mini):
    with pytest.raises(ValueError, match="lineage"):
        network.to_networkx(mini[1], view="family-tree")


def test_facts_read_from_disk_are_those_in_memory(shipped_pair):
    """Every property of the shipped graph read from the built store (row by row,
    or grouped by object where objects repeat, blank-node subjects included)
    gives the pairs and literals read from memory."""
    memory, disk = shipped_pair
    on_disk, in_memory = network.StoreFacts(disk, use_kept=False), network.StoreFacts(memory)
    assert on_disk.on_disk and not in_memory.on_disk
    properties = sorted({q.predicate.value for q in memory.store.quads_for_pattern(None, None, None, None)})
    assert len(properties) > 50
    for p in properties:
        assert on_disk.iri_pairs(p) == in_memory.iri_pairs(p), p
        assert on_disk.literals(p) == in_memory.literals(p), p


def test_reads_kept_beside_the_store_give_the_same_graphs(tmp_path):
    """What the build keeps beside the store (its reads in memory), and what a command keeps
    after reading the disk, give every view exactly as reading the disk afresh does."""
    from llmkg.sources.synth import synth

    path = tmp_path / "synth.ttl"
    synth(200, seed=3, out=path)
    memory, disk = both([path], tmp_path)
    kept = Path(disk.path) / network.KEPT_READS
    with disk:
        facts = network.StoreFacts(memory)  # as the build does
        network.to_networkx(memory, view="full", facts=facts)
        facts.keep(disk.path)
        assert kept.is_file()
        for view in VIEWS:
            for inferred in (True, False):
                fresh = network.to_networkx(disk, view=view, include_inferred=inferred,
                                            facts=network.StoreFacts(disk, use_kept=False))
                assert_same(network.to_networkx(disk, view=view, include_inferred=inferred), fresh)
        kept.unlink()
        network.to_networkx(disk, view="lineage")  # reads the disk, and keeps what it read
        assert kept.is_file()
        assert_same(network.to_networkx(disk, view="lineage"),
                    network.to_networkx(disk, view="lineage", facts=network.StoreFacts(disk, use_kept=False)))
        kept.write_bytes(b"not what marshal writes")  # cut short, or from another Python: read afresh
        assert_same(network.to_networkx(disk, view="taxonomy"),
                    network.to_networkx(memory, view="taxonomy"))


def test_a_store_built_by_a_reading_command_keeps_what_the_views_read(tmp_path):
    from llmkg.sources.synth import synth

    path = tmp_path / "synth.ttl"
    synth(200, seed=2, out=path)
    with open_store([path], build_dir=tmp_path / "build", say=None) as disk:  # built here, as `llmkg query` does
        kept = Path(disk.path) / network.KEPT_READS
        assert kept.is_file()
        before = kept.stat().st_mtime_ns
        for view in VIEWS:
            assert_same(network.to_networkx(disk, view=view),
                        network.to_networkx(disk, view=view, facts=network.StoreFacts(disk, use_kept=False)))
        assert kept.stat().st_mtime_ns == before  # the views read nothing that was not kept
