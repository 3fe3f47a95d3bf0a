"""The graph → files for other tools: RDF serialisations, Gephi GEXF, GraphML
and Gephi's spreadsheet CSVs."""
from __future__ import annotations

import contextlib
import gc
from pathlib import Path

from llmkg.errors import InputError
from llmkg.exports.rdf import FORMATS as RDF_FORMATS
from llmkg.store.load import GraphStore

NETWORK_FORMATS = ("gexf", "graphml", "csv")
FORMATS = tuple(RDF_FORMATS) + NETWORK_FORMATS


def export(
    loaded: GraphStore,
    format: str,
    output: str | Path,
    *,
    view: str = "full",
    include_inferred: bool = True,
    graph=None,
) -> list[Path]:
    """Write the graph in ``loaded`` as ``format`` to ``output``; return the files written.

    ``include_inferred=False`` leaves out what reasoning inferred. For the
    network formats ``view`` picks the relations that become edges, and each
    edge says whether reasoning inferred it; ``graph``, when given, is that
    network already built by :func:`llmkg.exports.network.to_networkx` with
    the same ``view`` and ``include_inferred``. For ``csv``, ``output`` is a
    folder that receives nodes.csv and edges.csv.
    """
    if format not in FORMATS:
        raise InputError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    output = Path(output)
    if format in RDF_FORMATS:
        from llmkg.exports.rdf import write_rdf

        _parent(output)
        return [write_rdf(loaded, output, format, asserted=not include_inferred)]
    with _collector_paused():
        if graph is None:
            from llmkg.exports.network import to_networkx

            try:
                graph = to_networkx(loaded, view=view, include_inferred=include_inferred)
            except ValueError as e:
                raise InputError(str(e)) from None
        return write_network(graph, format, output)


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off for the while: a network is millions of small
    tuples, sets and dicts that live until it is written, which the collector
    would walk again and again and could not free (a tenth of
    ``export --view lineage`` at 100,000 models). ``llmkg build`` pauses it for the
    whole build."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{path}: cannot create the folder ({e.strerror})") from None


def write_network(graph, format: str, output: Path) -> list[Path]:
    """A networkx graph from :func:`llmkg.exports.network.to_networkx` as GEXF, GraphML or CSVs."""
    if format == "gexf":
        from llmkg.exports.gexf import write_gexf

        _parent(output)
        write_gexf(graph, output)
        return [output]
    if format == "graphml":
        from llmkg.exports.tables import write_graphml

        _parent(output)
        write_graphml(graph, output)
        return [output]
    from llmkg.exports.tables import write_csv

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{output}: cannot create the folder ({e.strerror})") from None
    nodes, edges = output / "nodes.csv", output / "edges.csv"
    write_csv(graph, nodes, edges)
    return [nodes, edges]
