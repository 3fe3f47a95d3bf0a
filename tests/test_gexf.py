"""GEXF 1.3: schema validity, Gephi-specific choices, read-back (networkx, graphology-gexf), time, determinism."""
from __future__ import annotations

import datetime
import json
import re
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from conftest import ROOT
from gexf_lxml import lxml_bytes
from llmkg.exports import VIEWS, gexf, network
from llmkg.exports.appearance import KIND_COLOURS
from llmkg.exports.pictures import render_overview
from llmkg.reasoning.closure import reason_store
from llmkg.store.load import load_store

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "network" / "mini.ttl"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "gexf" / "1.3"
NS = "{http://gexf.net/1.3}"
KG = "https://w3id.org/llmkg/id/"


@pytest.fixture(scope="module")
def schema():
    if not (SCHEMA_DIR / "gexf.xsd").exists():
        pytest.fail(f"the official GEXF 1.3 schema is missing from {SCHEMA_DIR}")
    # The published files, unmodified: gexf.xsd includes dynamics.xsd and
    # imports viz.xsd (no namespace); lxml resolves them beside gexf.xsd.
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "gexf.xsd")))


@pytest.fixture(scope="module")
def mini():
    store = load_store([FIXTURE])
    reason_store(store)
    return store


@pytest.fixture(scope="module")
def graphs(mini):
    return {view: network.to_networkx(mini, view=view) for view in VIEWS}


def valid(schema, data: bytes) -> None:
    doc = etree.fromstring(data)
    if not schema.validate(doc):
        pytest.fail("\n".join(str(e) for e in list(schema.error_log)[:10]))


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_validates_against_the_official_schema(schema, graphs, view):
    valid(schema, gexf.gexf_bytes(graphs[view]))


def test_asserted_only_exports_validate(schema, mini):
    valid(schema, gexf.gexf_bytes(network.to_networkx(mini, include_inferred=False)))


def test_empty_and_foreign_graphs_validate(schema):
    valid(schema, gexf.gexf_bytes(nx.DiGraph()))
    # a plain networkx graph without our attributes gets colours and a layout
    g = nx.DiGraph([("a", "b"), ("b", "c")])
    data = gexf.gexf_bytes(g)
    valid(schema, data)
    assert data.count(b"<position ") == 3


def test_networkx_writer_is_invalid_which_is_why_we_write_our_own(schema, tmp_path):
    # Documents the faults named in llmkg/gexf.py; if networkx fixes them
    # this test fails and the workaround can be reconsidered.
    g = nx.DiGraph()
    g.add_node("a", start=1, viz={"position": {"x": 0.0, "y": 1.0}})
    g.add_node("b")
    g.add_edge("a", "b")
    path = tmp_path / "nx.gexf"
    nx.write_gexf(g, path, version="1.3")
    text = path.read_text(encoding="utf-8")
    assert 'name=""' in text and 'timeformat="long"' in text and 'z="None"' in text
    assert "http://w3.org/2001/XMLSchema-instance" in text
    assert not schema.validate(etree.parse(str(path)))


def test_gexf_1_2draft_would_not_help_networkx_either(tmp_path):
    """Why the export stays 1.3 (llmkg/exports/gexf.py): networkx reads viz elements only in
    …/1.2draft/viz, and the official 1.2draft schema rejects them there, as 1.3's does."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR.parent / "1.2draft" / "gexf.xsd")))
    g = nx.DiGraph()
    g.add_node("a", viz={"color": {"r": 1, "g": 2, "b": 3}, "position": {"x": 0.0, "y": 1.0, "z": 0.0},
                         "size": 5.0})
    path = tmp_path / "nx.gexf"
    nx.write_gexf(g, path)  # 1.2draft, networkx's default
    assert nx.read_gexf(path).nodes["a"]["viz"]["size"] == 5.0
    assert not schema.validate(etree.parse(str(path)))
    assert "{http://www.gexf.net/1.2draft/viz}color': This element is not expected" in str(schema.error_log)


def test_networkx_reads_colours_positions_and_sizes(graphs, tmp_path):
    """read_gexf misses the viz elements (see llmkg/exports/gexf.py) but reads the same values
    as attributes: the keys llmkg's networkx views carry, so the read graph draws as it is."""
    g = graphs["full"]
    path = tmp_path / "full.gexf"
    gexf.write_gexf(g, path)
    back = nx.read_gexf(path)
    for n, d in g.nodes(data=True):
        b = back.nodes[n]
        assert b["color"] == d["color"] and b["size"] == pytest.approx(d["size"], abs=1e-4)
        assert (b["x"], b["y"]) == pytest.approx((d["x"], d["y"]), abs=1e-4)
    render_overview(back, tmp_path / "again.png")  # needs no layout or colours of its own


def test_graphology_gexf_reads_the_export(graphs, tmp_path):
    """graphology-gexf (sigma.js's reader), run by Node on the export: every node and edge, and
    the colours, sizes and positions (its viz elements) equal to the attributes networkx reads."""
    script = ROOT / "tests" / "js" / "read_gexf.js"
    if not (script.parent / "node_modules" / "graphology-gexf").is_dir():
        pytest.fail("graphology-gexf is not installed: run `npm ci --prefix tests/js` (as .ci/run does)")
    g = graphs["full"]
    path = tmp_path / "full.gexf"
    gexf.write_gexf(g, path)
    run = subprocess.run(["node", str(script), str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    read = json.loads(run.stdout)
    assert (read["type"], read["order"], read["size"]) == ("directed", g.number_of_nodes(), g.number_of_edges())
    for n, d in g.nodes(data=True):
        b = read["nodes"][n]
        assert b["label"] == d["label"] and b["kind"] == d["kind"]
        assert b["color"] == "rgb(%d,%d,%d)" % gexf._hex_to_rgb(d["color"])
        assert (b["x"], b["y"], b["size"]) == pytest.approx((d["x"], d["y"], d["size"]), abs=1e-4)


def test_header_choices(graphs):
    root = etree.fromstring(gexf.gexf_bytes(graphs["full"]))
    assert root.tag == NS + "gexf" and root.get("version") == "1.3"
    assert root.nsmap == {None: "http://gexf.net/1.3", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == \
        "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
    graph = root.find(NS + "graph")
    assert "name" not in graph.attrib
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") == "directed"
    assert root.find(NS + "meta").get("lastmodifieddate") is None  # would break determinism
    types = {a.get("id"): a.get("type") for a in graph.iter(NS + "attribute")}
    assert types["parameter_count"] == "long" and types["log10_parameters"] == "double"
    assert types["open_weights"] == "boolean" and types["inferred"] == "boolean"
    classes = [a.get("class") for a in graph.findall(NS + "attributes")]
    assert classes == ["node", "edge"]


def test_viz_elements_sit_in_the_gexf_namespace(graphs):
    root = etree.fromstring(gexf.gexf_bytes(graphs["full"]))
    nodes = root.findall(f"{NS}graph/{NS}nodes/{NS}node")
    assert nodes
    for node in nodes:
        assert node.find(NS + "color") is not None
        pos = node.find(NS + "position")
        assert pos is not None and "z" not in pos.attrib
        float(pos.get("x")), float(pos.get("y"))
        assert float(node.find(NS + "size").get("value")) > 0
    assert not list(root.iter("{http://gexf.net/1.3/viz}color"))
    base = root.find(f"{NS}graph/{NS}nodes/{NS}node[@id='{KG}AcmeBase']")
    c = base.find(NS + "color")
    assert "#%02x%02x%02x" % tuple(int(c.get(k)) for k in "rgb") == KIND_COLOURS["model"]


@pytest.mark.parametrize("view", VIEWS)
def test_read_back_with_networkx_gives_the_same_graph(graphs, tmp_path, view):
    g = graphs[view]
    path = tmp_path / f"{view}.gexf"
    gexf.write_gexf(g, path)
    back = nx.read_gexf(path)
    assert isinstance(back, nx.DiGraph) and back.is_directed()
    assert set(back.nodes) == set(g.nodes)
    assert set(back.edges) == set(g.edges)
    for n, d in g.nodes(data=True):
        b = back.nodes[n]
        assert b["label"] == d["label"]
        for key, gtype, _ in network.NODE_ATTRIBUTES:
            if key in d and d[key] != "":
                if gtype == "double":
                    assert b[key] == pytest.approx(d[key], abs=1e-4)
                else:
                    assert b[key] == d[key], (n, key)
            else:
                assert key not in b
        assert b.get("start") == d.get("start")
    for u, v, d in g.edges(data=True):
        b = back.edges[u, v]
        assert b["relation"] == d["relation"] == b["label"]
        assert b["property"] == d["property"]
        assert b["inferred"] is d["inferred"]


def test_start_values_are_well_formed_dates(graphs):
    root = etree.fromstring(gexf.gexf_bytes(graphs["full"]))
    starts = {n.get("id"): n.get("start") for n in root.iter(NS + "node")}
    dated = {k: v for k, v in starts.items() if v is not None}
    assert len(dated) >= 7
    for value in dated.values():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        datetime.date.fromisoformat(value)
    assert starts[KG + "AcmeChat"] == "2022-11-01"
    assert starts[KG + "AcmeMed"] == "2023-01-01"
    assert starts[KG + "Acme"] is None  # undated: always present
    for n in root.iter(NS + "node"):
        assert n.get("end") is None


def test_two_exports_are_byte_identical(mini, graphs, tmp_path):
    a = gexf.gexf_bytes(graphs["full"])
    b = gexf.gexf_bytes(network.to_networkx(mini))
    assert a == b
    # a graph built from a fresh parse (different blank nodes, set orders) too
    again = load_store([FIXTURE])
    reason_store(again)
    assert a == gexf.gexf_bytes(network.to_networkx(again))
    gexf.write_gexf(graphs["full"], tmp_path / "x.gexf")
    assert (tmp_path / "x.gexf").read_bytes() == a
    assert a.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<gexf ")


def test_float_formatting_is_fixed():
    assert gexf._fmt_float(1.0) == "1"
    assert gexf._fmt_float(-0.00001) == "0"
    assert gexf._fmt_float(11.24303804868629) == "11.243"
    assert gexf._fmt_float(1e-7) == "0" and "e" not in gexf._fmt_float(1e20)
    with pytest.raises(ValueError):
        gexf._fmt_float(float("nan"))


# --- the shipped data ------------------------------------------------------------

@pytest.mark.parametrize("view", VIEWS)
def test_shipped_views_validate_and_read_back(schema, shipped, tmp_path, view):
    g = network.to_networkx(shipped.store, view=view)
    data = gexf.gexf_bytes(g)
    valid(schema, data)
    path = tmp_path / "g.gexf"
    path.write_bytes(data)
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()


def test_shipped_counts_match_sparql(shipped, tmp_path):
    closed = shipped.closed
    path = tmp_path / "full.gexf"
    gexf.write_gexf(network.to_networkx(shipped.store), path)
    back = nx.read_gexf(path)
    q = closed.query("""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX llmkg: <https://w3id.org/llmkg/ontology#>
        SELECT (COUNT(DISTINCT ?s) AS ?nodes) (COUNT(DISTINCT ?d) AS ?dated) WHERE {
          ?s rdfs:label ?l FILTER(isIRI(?s) && STRSTARTS(STR(?s), 'https://w3id.org/llmkg/id/'))
          OPTIONAL { ?s llmkg:releaseDate ?date BIND(?s AS ?d) }
        }""")
    nodes, dated = (int(x) for x in next(iter(q)))
    assert back.number_of_nodes() == nodes
    released = sum(1 for _, d in back.nodes(data=True) if "release_date" in d and "start" in d
                   and d["start"][:4] == d["release_date"][:4])
    assert released >= dated
    models = int(next(iter(closed.query("""
        PREFIX llmkg: <https://w3id.org/llmkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a llmkg:MachineLearningModel ; rdfs:label ?l
          FILTER(STRSTARTS(STR(?m), 'https://w3id.org/llmkg/id/')) }""")))[0])
    assert sum(1 for _, d in back.nodes(data=True) if d["kind"] == "model") == models


def test_shipped_export_is_deterministic(shipped):
    a = gexf.gexf_bytes(network.to_networkx(shipped.store))
    b = gexf.gexf_bytes(network.to_networkx(shipped.store))
    assert a == b


# --- the text writer is the lxml writer, byte for byte ------------------------------

@pytest.mark.parametrize("view", VIEWS)
def test_text_writer_matches_lxml(schema, mini, view):
    for include_inferred in (True, False):
        g = network.to_networkx(mini, view=view, include_inferred=include_inferred)
        data = gexf.gexf_bytes(g)
        assert data == lxml_bytes(g)
        valid(schema, data)


def test_text_writer_escapes_as_lxml(schema):
    g = nx.DiGraph()
    odd = 'a&<>"\'\n\r\tb 中文'
    g.add_node(odd, label=" two\n lines ", label_en=odd, kind="model", start="2020-01-01")
    g.add_node("plain")
    g.add_edge(odd, "plain", relation=odd, weight=2.5, inferred=True)
    g.add_edge("plain", odd)
    assert gexf.gexf_bytes(g) == lxml_bytes(g)
    valid(schema, gexf.gexf_bytes(g))
    for empty in (nx.DiGraph(), nx.DiGraph([("a", "b")])):
        assert gexf.gexf_bytes(empty) == lxml_bytes(empty)
    bad = nx.DiGraph()
    bad.add_node("x", label="control \x01 character")
    with pytest.raises(ValueError):
        lxml_bytes(bad)
    with pytest.raises(ValueError):
        gexf.gexf_bytes(bad)


def test_shipped_text_writer_matches_lxml(shipped):
    g = network.to_networkx(shipped.store)
    assert gexf.gexf_bytes(g) == lxml_bytes(g)


def test_a_large_document_written_in_blocks_is_the_same_document(graphs, tmp_path, monkeypatch):
    # write_gexf hands the text to the file in blocks (a 1,000,000-model document would
    # not fit in memory whole); blocks of a few pieces must give the same bytes
    whole = gexf.gexf_bytes(graphs["full"])
    monkeypatch.setattr(gexf, "_BLOCK", 3)
    gexf.write_gexf(graphs["full"], tmp_path / "g.gexf")
    assert (tmp_path / "g.gexf").read_bytes() == whole == gexf.gexf_bytes(graphs["full"])


def test_a_value_xml_cannot_hold_leaves_the_old_file_alone(graphs, tmp_path):
    path = tmp_path / "g.gexf"
    gexf.write_gexf(graphs["full"], path)
    before = path.read_bytes()
    g = graphs["full"].copy()
    g.add_edge("a", "b", label="bad \x01 text")
    with pytest.raises(ValueError):
        gexf.write_gexf(g, path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["g.gexf"]
