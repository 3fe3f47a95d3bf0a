"""Reasoned graph → files for other tools: RDF serialisations, Gephi GEXF,
GraphML and Gephi's spreadsheet CSVs."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from llmkg.errors import InputError

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

    from llmkg.exports import network

    try:
        nxg = network.to_networkx(graph, asserted=asserted, view=view, include_inferred=include_inferred)
    except ValueError as e:
        raise InputError(str(e)) from None
    return _write_network(nxg, format, output)


def _parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{path}: cannot create the folder ({e.strerror})") from None


def export_store(
    loaded,
    format: str,
    output: str | Path,
    *,
    view: str = "full",
    include_inferred: bool = True,
    graph=None,
) -> list[Path]:
    """:func:`export` of a :class:`llmkg.store.StoreLoaded` for the network
    formats (gexf, graphml, csv); RDF serialisations of a store are written by
    the build itself. ``graph``, when given, is the view already built by
    :func:`llmkg.network.to_networkx_store` with the same ``view`` and
    ``include_inferred``, so it is not built twice."""
    if format not in NETWORK_FORMATS:
        raise InputError(f"export_store writes only {', '.join(NETWORK_FORMATS)}, not {format!r}")
    output = Path(output)
    from llmkg.exports import network

    if graph is None:
        try:
            graph = network.to_networkx_store(loaded, view=view, include_inferred=include_inferred)
        except ValueError as e:
            raise InputError(str(e)) from None
    return _write_network(graph, format, output)


def _write_network(nxg, format: str, output: Path) -> list[Path]:
    from llmkg.exports import gexf
    from llmkg.exports import network

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
