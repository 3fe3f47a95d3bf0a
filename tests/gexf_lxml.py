"""The reference GEXF writer the text writer in llmkg.exports.gexf is tested
against: the same document built as lxml elements and serialised by libxml2."""
from __future__ import annotations

import networkx as nx
from lxml import etree

from llmkg.exports.appearance import decorate, kind_colour
from llmkg.exports.gexf import (GEXF_NS, SCHEMA_LOCATION, VERSION, VIZ_ATTRIBUTES, XSI_NS, _fmt_float, _fmt_value,
                                _hex_to_rgb, _token)
from llmkg.exports.network import EDGE_ATTRIBUTES, NODE_ATTRIBUTES

_E = "{%s}" % GEXF_NS


def _build(g: nx.DiGraph) -> etree._Element:
    nsmap = {None: GEXF_NS, "xsi": XSI_NS}
    root = etree.Element(_E + "gexf", nsmap=nsmap)
    root.set("{%s}schemaLocation" % XSI_NS, SCHEMA_LOCATION)
    root.set("version", VERSION)

    meta = etree.SubElement(root, _E + "meta")
    etree.SubElement(meta, _E + "creator").text = "llmkg"
    view = g.graph.get("view", "full")
    inferred = "with" if g.graph.get("include_inferred", True) else "without"
    etree.SubElement(meta, _E + "keywords").text = "large models, knowledge graph, 大模型, 知识图谱"
    etree.SubElement(meta, _E + "description").text = (
        f"llmkg knowledge graph of large AI models, view '{view}', {inferred} inferred edges")

    graph = etree.SubElement(root, _E + "graph")
    # No "name" attribute: not in the 1.3 schema (networkx writes name="").
    graph.set("defaultedgetype", "directed")
    graph.set("mode", "dynamic")
    graph.set("timeformat", "date")  # never "long": not in the 1.3 enumeration

    nodes = sorted(g.nodes, key=str)
    if nodes and not all("x" in g.nodes[n] and "color" in g.nodes[n] for n in nodes):
        g = g.copy()
        decorate(g)

    def declare(cls, spec, present):
        el = etree.SubElement(graph, _E + "attributes")
        el.set("class", cls)
        el.set("mode", "static")
        for key, gtype, title in spec:
            if key in present:
                a = etree.SubElement(el, _E + "attribute")
                a.set("id", key)
                a.set("title", title)
                a.set("type", gtype)
        return [(k, t) for k, t, _ in spec if k in present]

    node_keys = {k for n in nodes for k in g.nodes[n]}
    edge_keys = {k for e in g.edges for k in g.edges[e]}
    node_spec = declare("node", NODE_ATTRIBUTES + VIZ_ATTRIBUTES, node_keys)
    edge_spec = declare("edge", EDGE_ATTRIBUTES, edge_keys)

    nodes_el = etree.SubElement(graph, _E + "nodes")
    nodes_el.set("count", str(len(nodes)))
    for n in nodes:
        d = g.nodes[n]
        el = etree.SubElement(nodes_el, _E + "node")
        el.set("id", str(n))
        el.set("label", _token(d.get("label", n)))
        if d.get("start"):
            el.set("start", str(d["start"]))
        _attvalues(el, d, node_spec)
        # viz elements in the GEXF namespace: see the module docstring.
        r, gg, b = _hex_to_rgb(d.get("color") or kind_colour(d.get("kind", "other")))
        c = etree.SubElement(el, _E + "color")
        c.set("r", str(r))
        c.set("g", str(gg))
        c.set("b", str(b))
        p = etree.SubElement(el, _E + "position")
        p.set("x", _fmt_float(d.get("x", 0.0)))
        p.set("y", _fmt_float(d.get("y", 0.0)))
        # no z: optional, and networkx's z="None" is exactly the bug to avoid
        s = etree.SubElement(el, _E + "size")
        s.set("value", _fmt_float(max(0.0, float(d.get("size", 10.0)))))

    edges = sorted(g.edges, key=lambda e: (str(e[0]), str(e[1])))
    edges_el = etree.SubElement(graph, _E + "edges")
    edges_el.set("count", str(len(edges)))
    for i, (u, v) in enumerate(edges):
        d = g.edges[u, v]
        el = etree.SubElement(edges_el, _E + "edge")
        el.set("id", str(i))
        el.set("source", str(u))
        el.set("target", str(v))
        label = d.get("label", d.get("relation"))
        if label:
            el.set("label", _token(label))
        if "weight" in d:
            el.set("weight", _fmt_float(d["weight"]))
        _attvalues(el, d, edge_spec)
        if d.get("inferred"):
            # inferred edges drawn lighter so asserted structure dominates
            c = etree.SubElement(el, _E + "color")
            c.set("r", "170")
            c.set("g", "170")
            c.set("b", "170")
    return root


def _attvalues(el, d: dict, spec) -> None:
    values = [(k, t) for k, t in spec if d.get(k) is not None and d.get(k) != ""]
    if not values:
        return
    av = etree.SubElement(el, _E + "attvalues")
    for k, t in values:
        a = etree.SubElement(av, _E + "attvalue")
        a.set("for", k)
        a.set("value", _fmt_value(d[k], t))


def lxml_bytes(g: nx.DiGraph) -> bytes:
    """The document as lxml elements, serialised; ``gexf_bytes`` must give the same bytes."""
    root = _build(g)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
