"""RDF → networkx: nodes, attributes, views, inferred edges, GraphML and CSV."""
from __future__ import annotations

import csv
import math
from pathlib import Path

import networkx as nx
import pytest

from llmkg.exports import appearance, network
from llmkg.exports.tables import write_csv, write_graphml
from llmkg.reasoning.closure import reason_store
from llmkg.store.load import load_store, to_rdflib

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "network" / "mini.ttl"
KG = "https://w3id.org/llmkg/id/"
LLMKG = "https://w3id.org/llmkg/ontology#"


@pytest.fixture(scope="module")
def mini():
    store = load_store([FIXTURE])
    reason_store(store)
    return store


@pytest.fixture(scope="module")
def full(mini):
    return network.to_networkx(mini)


def kg(name):
    return KG + name


def test_unknown_view_lists_the_valid_ones(mini):
    with pytest.raises(ValueError) as e:
        network.to_networkx(mini, view="family-tree")
    for v in network.VIEWS:
        assert v in str(e.value)


def test_nodes_are_labelled_kg_iris(mini, full):
    closed = to_rdflib(mini.store)
    expected = {str(r[0]) for r in closed.query(
        "SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(kg:))) }",
        initNs={"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "kg": KG})}
    assert set(full.nodes) == expected
    assert kg("AcmeBase") in full and kg("Text") in full  # the ontology's modalities are nodes too
    assert not any(n.startswith(LLMKG) for n in full)  # classes only in the taxonomy view


def test_kinds_and_fixed_colours(full):
    kinds = nx.get_node_attributes(full, "kind")
    assert kinds[kg("AcmeBase")] == "model"
    assert kinds[kg("BetaMini")] == "model"  # a small model is still a model
    assert kinds[kg("Acme")] == "organisation"
    assert kinds[kg("Wonderland")] == "country"
    assert kinds[kg("Transformer")] == "architecture"  # llmkg class beats skos:Concept
    assert kinds[kg("Emergence")] == "concept"
    assert kinds[kg("Milestone-Transformer")] == "milestone"
    assert kinds[kg("Period-Rise")] == "period"
    assert kinds[kg("Medicine")] == "domain"
    assert kinds[kg("RLHF")] == "training method"
    assert kinds[kg("Source-Paper")] == "source"
    for n, d in full.nodes(data=True):
        assert d["color"] == appearance.KIND_COLOURS[d["kind"]]
    assert len(set(appearance.KIND_COLOURS.values())) == len(appearance.KIND_COLOURS)


def test_model_attributes(full):
    base = full.nodes[kg("AcmeBase")]
    assert base["label"] == base["label_en"] == "AcmeBase"
    assert base["label_zh"] == "顶点基座"
    assert base["class"] in ("llmkg:LargeLanguageModel", "llmkg:GeneralPurposeModel")
    assert base["parameter_count"] == 175_000_000_000 and isinstance(base["parameter_count"], int)
    assert base["log10_parameters"] == pytest.approx(math.log10(175e9), abs=1e-4)
    assert base["open_weights"] is False
    assert base["organisation"] == "Acme AI" and base["country"] == "Wonderland"
    med = full.nodes[kg("AcmeMed")]
    assert med["organisation"] == "Acme AI; Beta Lab"
    assert med["country"] == "Atlantis; Wonderland"
    assert med["class"] == "llmkg:IndustryModel"  # inferred from the domain axiom
    assert med["open_weights"] is True
    # the organisation of a model known only through "Acme develops AcmeBase2"
    assert full.nodes[kg("AcmeBase2")]["organisation"] == "Acme AI"
    # no None anywhere: absent values are absent keys
    for _, d in full.nodes(data=True):
        assert None not in d.values()
    assert "parameter_count" not in full.nodes[kg("AcmeChat")]


@pytest.mark.parametrize("node,raw,start", [
    ("AcmeBase", "2020-06-11", "2020-06-11"),        # xsd:date as is
    ("AcmeChat", "2022-11", "2022-11-01"),           # gYearMonth
    ("AcmeMed", "2023", "2023-01-01"),               # gYear
    ("Milestone-Transformer", "2017-06", "2017-06-01"),  # dcterms:date of an event
    ("Period-Rise", "2017", "2017-01-01"),           # startYear of a period
])
def test_dates_become_gexf_starts(full, node, raw, start):
    d = full.nodes[kg(node)]
    assert d["release_date"] == raw
    assert d["start"] == start


def test_undated_nodes_have_no_start(full):
    assert "start" not in full.nodes[kg("Acme")]
    assert "start" not in full.nodes[kg("Transformer")]


def test_gexf_date_conversion():
    assert network.date_start("2023-03-14") == "2023-03-14"          # xsd:date
    assert network.date_start("2023-03") == "2023-03-01"             # xsd:gYearMonth
    assert network.date_start("2023") == "2023-01-01"                # xsd:gYear
    assert network.date_start("2023-03-14T10:00:00Z") == "2023-03-14"  # xsd:dateTime
    assert network.date_start("soon") is None
    assert network.date_start("2023-13") is None


def edge_props(g):
    return {(u[len(KG):], v.split("/")[-1].split("#")[-1]): d["property"] for u, v, d in g.edges(data=True)}


def test_full_view_edges(full):
    e = edge_props(full)
    # the most specific property stands for the ones it entails
    assert e[("AcmeChat", "AcmeBase")] == "llmkg:fineTunedFrom"
    assert e[("AcmeBase", "Text")] == "llmkg:inputModality"
    # an inverse is drawn once, model -> organisation, whichever side was written
    assert e[("AcmeBase2", "Acme")] == "llmkg:developedBy"
    assert ("Acme", "AcmeBase2") not in e
    # the transitive derivedFrom closure is implied by the lineage path
    assert ("AcmeMed", "AcmeBase") not in e
    # non-llmkg object properties between nodes are edges too
    assert e[("AcmeBase", "Source-Paper")] == "dcterms:source"
    assert not any(p == "rdf:type" for p in e.values())
    rel = full.edges[kg("AcmeChat"), kg("AcmeBase")]
    assert rel["relation"] == rel["label"] == "fine-tuned from"
    assert rel["inferred"] is False


def test_inferred_flags_and_include_inferred(mini):
    tax = network.to_networkx(mini, view="taxonomy")
    multimodal = tax.edges[kg("AcmeBase2"), LLMKG + "MultimodalModel"]
    assert multimodal["inferred"] is True  # classified by the reasoner
    assert tax.edges[kg("AcmeBase2"), LLMKG + "LargeLanguageModel"]["inferred"] is False
    only = network.to_networkx(mini, view="taxonomy", include_inferred=False)
    assert not only.has_edge(kg("AcmeBase2"), LLMKG + "MultimodalModel")
    assert only.has_edge(kg("AcmeMed"), LLMKG + "LargeModel")
    assert not any(d["inferred"] for _, _, d in only.edges(data=True))


def test_lineage_view(mini):
    g = network.to_networkx(mini, view="lineage")
    assert edge_props(g) == {
        ("AcmeChat", "AcmeBase"): "llmkg:fineTunedFrom",
        ("AcmeMed", "AcmeChat"): "llmkg:basedOn",
        ("AcmeBase2", "AcmeBase"): "llmkg:successorOf",
        ("BetaMini", "AcmeBase2"): "llmkg:distilledFrom",
    }
    assert all(d["kind"] == "model" for _, d in g.nodes(data=True))


def test_organisations_view(mini):
    g = network.to_networkx(mini, view="organisations")
    e = edge_props(g)
    assert set(e.values()) == {"llmkg:developedBy", "llmkg:country"}
    assert e[("AcmeBase2", "Acme")] == "llmkg:developedBy"
    assert e[("Beta", "Atlantis")] == "llmkg:country"
    assert len(e) == 8
    assert kg("Transformer") not in g  # only nodes that take part


def test_taxonomy_view(mini):
    g = network.to_networkx(mini, view="taxonomy")
    e = edge_props(g)
    assert e[("AcmeChat", "LargeLanguageModel")] == "rdf:type"
    assert ("AcmeChat", "LargeModel") not in e  # only the most specific classes
    assert e[("Emergence", "Concept")] == "rdf:type"
    sub = {(u, v) for u, v, d in g.edges(data=True) if d["property"] == "rdfs:subClassOf"}
    assert (LLMKG + "LargeLanguageModel", LLMKG + "LargeModel") in sub
    assert (LLMKG + "LargeLanguageModel", LLMKG + "MachineLearningModel") not in sub  # direct only
    assert (LLMKG + "VerticalModel", LLMKG + "IndustryModel") in sub
    assert g.nodes[LLMKG + "LargeModel"]["kind"] == "class"
    assert g.nodes[LLMKG + "LargeModel"]["label_zh"] == "大模型"
    assert not any("owl#" in n or "rdf-schema#" in n for n in g)


def test_layout_is_deterministic_and_spread(mini, full):
    again = network.to_networkx(mini)
    assert dict(full.nodes(data=True)) == dict(again.nodes(data=True))
    xs = [d["x"] for _, d in full.nodes(data=True)]
    ys = [d["y"] for _, d in full.nodes(data=True)]
    assert max(xs) - min(xs) > 500 and max(ys) - min(ys) > 100
    assert len({(d["x"], d["y"]) for _, d in full.nodes(data=True)}) == full.number_of_nodes()
    # insertion order of the nodes does not change the picture
    shuffled = nx.DiGraph()
    shuffled.add_nodes_from(sorted(full.nodes(data=True), reverse=True))
    shuffled.add_edges_from(full.edges(data=True))
    assert appearance.layout(shuffled) == appearance.layout(full)


def test_sizes_favour_big_models(full):
    size = nx.get_node_attributes(full, "size")
    assert size[kg("AcmeBase")] > size[kg("BetaMini")] > 0
    assert all(0 < s <= 60 for s in size.values())


def test_graphml_reads_back(full, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(full, path)
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(full.nodes)
    assert set(back.edges) == set(full.edges)
    base = back.nodes[kg("AcmeBase")]
    assert base["parameter_count"] == 175_000_000_000
    assert base["open_weights"] is False
    assert (base["r"], base["g"], base["b"]) == (0x1F, 0x77, 0xB4)
    assert back.edges[kg("AcmeChat"), kg("AcmeBase")]["inferred"] is False
    text = path.read_text(encoding="utf-8")
    assert 'attr.type="long"' in text and "None" not in text
    again = tmp_path / "again.graphml"
    write_graphml(full, again)
    assert again.read_bytes() == path.read_bytes()


def test_csv_for_gephi_spreadsheet_import(full, tmp_path):
    nodes, edges = tmp_path / "nodes.csv", tmp_path / "edges.csv"
    write_csv(full, nodes, edges)
    rows = list(csv.DictReader(nodes.open(encoding="utf-8", newline="")))
    assert list(rows[0])[:2] == ["Id", "Label"]
    assert len(rows) == full.number_of_nodes()
    base = next(r for r in rows if r["Id"] == kg("AcmeBase"))
    assert base["Label"] == "AcmeBase" and base["open_weights"] == "false"
    assert base["parameter_count"] == "175000000000" and base["label_zh"] == "顶点基座"
    erows = list(csv.DictReader(edges.open(encoding="utf-8", newline="")))
    assert list(erows[0])[:5] == ["Source", "Target", "Type", "Id", "Label"]
    assert len(erows) == full.number_of_edges()
    assert {r["Type"] for r in erows} == {"Directed"}
    assert {r["inferred"] for r in erows} <= {"true", "false"}
    assert not nodes.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" not in nodes.read_bytes()


# --- the shipped data ------------------------------------------------------------



def test_shipped_nodes_match_sparql(shipped):
    closed = shipped.closed
    g = network.to_networkx(shipped.store)
    n = int(next(iter(closed.query(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s rdfs:label ?l "
        "FILTER(isIRI(?s) && STRSTARTS(STR(?s), 'https://w3id.org/llmkg/id/')) }")))[0])
    assert g.number_of_nodes() == n


def test_shipped_organisation_edges_match_sparql(shipped):
    closed = shipped.closed
    g = network.to_networkx(shipped.store, view="organisations")
    rows = closed.query("""
        PREFIX llmkg: <https://w3id.org/llmkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?s ?o WHERE {
          { ?s llmkg:developedBy ?o } UNION { ?o llmkg:develops ?s }
          UNION { ?s llmkg:providedBy ?o } UNION { ?s llmkg:country ?o }
          ?s rdfs:label ?ls . ?o rdfs:label ?lo .
          FILTER(STRSTARTS(STR(?s), 'https://w3id.org/llmkg/id/') && STRSTARTS(STR(?o), 'https://w3id.org/llmkg/id/')
                 && ?s != ?o)
        }""")
    assert {(str(s), str(o)) for s, o in rows} == set(g.edges)


def test_shipped_every_edge_is_backed_by_a_triple(shipped):
    from rdflib import URIRef

    from llmkg.vocab import expand

    closed, asserted = shipped.closed, shipped.asserted
    g = network.to_networkx(shipped.store)
    for u, v, d in g.edges(data=True):
        for prop in d["property"].split():
            p = URIRef(expand(prop))
            assert (URIRef(u), p, URIRef(v)) in closed or (URIRef(v), None, URIRef(u)) in closed, (u, prop, v)
        if not d["inferred"]:
            assert any((URIRef(a), None, URIRef(b)) in asserted for a, b in ((u, v), (v, u))), (u, v)


def test_the_reference_engine_gives_the_same_network(mini):
    """rdflib + owlrl reason the graph the network is drawn from: the same network, every view."""
    from llmkg.reasoning.reference import reference_store

    reference = reference_store([FIXTURE])
    for view in network.VIEWS:
        a = network.to_networkx(reference, view=view)
        b = network.to_networkx(mini, view=view)
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True)), view
        assert sorted(a.edges(data=True)) == sorted(b.edges(data=True)), view
