"""A network as GraphML or as Gephi's spreadsheet CSVs (nodes.csv, edges.csv)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx

from llmkg.exports.gexf import xml_text
from llmkg.exports.network import EDGE_ATTRIBUTES, NODE_ATTRIBUTES


def _graphml_value(v):
    if isinstance(v, bool) or isinstance(v, (int, float)):
        return v
    return xml_text(str(v), "GraphML")  # a clear error for a control character, not lxml's


def write_graphml(g: nx.DiGraph, path) -> None:
    """GraphML via networkx. Values GraphML cannot hold (None, lists, dicts)
    are dropped or written as strings; the hex colour is also split into
    r/g/b integers, which Gephi's GraphML importer reads as the node colour
    (as it reads x, y and size)."""
    h = nx.DiGraph()
    h.graph.update({k: _graphml_value(v) for k, v in g.graph.items() if v is not None})
    for n in sorted(g.nodes, key=str):
        d = {k: _graphml_value(v) for k, v in g.nodes[n].items() if v is not None}
        colour = d.get("color")
        if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            d["r"], d["g"], d["b"] = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        h.add_node(xml_text(str(n), "GraphML"), **d)
    for u, v in sorted(g.edges, key=lambda e: (str(e[0]), str(e[1]))):
        h.add_edge(str(u), str(v), **{k: _graphml_value(x) for k, x in g.edges[u, v].items()
                                      if x is not None})
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(h, str(path), encoding="utf-8", prettyprint=True)


def _csv_value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def write_csv(g: nx.DiGraph, nodes_path, edges_path) -> None:
    """Gephi's spreadsheet import: nodes.csv (Id, Label, attributes…) and
    edges.csv (Source, Target, Type, Id, Label, attributes…). UTF-8, no BOM,
    comma-separated, ``\\n`` line ends, booleans as true/false."""
    node_cols = ["Id", "Label"] + [k for k, _, _ in NODE_ATTRIBUTES] + ["color", "size", "x", "y", "start"]
    edge_cols = ["Source", "Target", "Type", "Id", "Label"] + [k for k, _, _ in EDGE_ATTRIBUTES]
    for p in (nodes_path, edges_path):
        Path(p).parent.mkdir(parents=True, exist_ok=True)
    with open(nodes_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(node_cols)
        for n in sorted(g.nodes, key=str):
            d = g.nodes[n]
            w.writerow([str(n), _csv_value(d.get("label", n))]
                       + [_csv_value(d.get(c)) for c in node_cols[2:]])
    with open(edges_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(edge_cols)
        for i, (u, v) in enumerate(sorted(g.edges, key=lambda e: (str(e[0]), str(e[1])))):
            d = g.edges[u, v]
            w.writerow([str(u), str(v), "Directed", f"e{i}", _csv_value(d.get("label", d.get("relation")))]
                       + [_csv_value(d.get(c)) for c in edge_cols[5:]])
