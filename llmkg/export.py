"""Reasoned graph → files for other tools: RDF serialisations, Gephi GEXF,
GraphML and Gephi's spreadsheet CSVs."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .errors import InputError

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
NETWORK_FORMATS = ("gexf", "graphml", "csv")
FORMATS = tuple(RDF_FORMATS) + NETWORK_FORMATS


def export(
    graph: Graph,
    format: str,
    output: str | Path,
    *,
    asserted: Graph | None = None,
    view: str = "full",
    include_inferred: bool = True,
) -> list[Path]:
    """Write ``graph`` as ``format`` to ``output``; return the files written.

    ``asserted`` (the graph before reasoning) lets the network formats mark
    each edge as asserted or inferred, and ``include_inferred=False`` drops
    inferred edges and triples. For ``csv``, ``output`` is a folder that
    receives nodes.csv and edges.csv.
    """
    if format not in FORMATS:
        raise InputError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    output = Path(output)
    if format in RDF_FORMATS:
        source = graph if include_inferred or asserted is None else asserted
        _parent(output)
        source.serialize(destination=str(output), format=RDF_FORMATS[format], encoding="utf-8")
        return [output]

    from . import gexf, network

    try:
        nxg = network.to_networkx(graph, asserted=asserted, view=view, include_inferred=include_inferred)
    except ValueError as e:
        raise InputError(str(e)) from None
    if format == "gexf":
        _parent(output)
        gexf.write_gexf(nxg, output)
        return [output]
    if format == "graphml":
        _parent(output)
        network.write_graphml(nxg, output)
        return [output]
    output.mkdir(parents=True, exist_ok=True)
    nodes, edges = output / "nodes.csv", output / "edges.csv"
    network.write_csv(nxg, nodes, edges)
    return [nodes, edges]


def _parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{path}: cannot create the folder ({e.strerror})") from None
