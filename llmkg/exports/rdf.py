"""The graph as RDF files: Turtle, N-Triples or JSON-LD, written by Oxigraph."""
from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from llmkg.store.load import GraphStore
from llmkg.vocab import PREFIXES

FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


def write_rdf(loaded: GraphStore, path: str | Path, fmt: str = "ttl", *, asserted: bool = False) -> Path:
    """Write the reasoned graph (or, ``asserted``, the graph as written) into one file, each triple once.

    Oxigraph writes each named graph in turn (in Rust, twice as fast as handing
    it the triples from Python); one document of the parts is the union, each
    triple once, because the store's graphs share no triple. Blank node labels
    are the store's own, so a node named in two parts stays one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    graphs = loaded.asserted_graphs if asserted else loaded.graphs
    rdf_format = FORMATS[fmt]
    with open(path, "wb") as f:
        if fmt == "jsonld":  # one JSON array of the parts' node objects
            parts = []
            for graph in graphs:
                buf = io.BytesIO()
                loaded.store.dump(buf, format=rdf_format, from_graph=graph)
                body = buf.getvalue().strip()[1:-1].strip()
                if body:
                    parts.append(body)
            f.write(b"[" + b",\n".join(parts) + b"]\n")
            return path
        kwargs = {"prefixes": PREFIXES} if fmt == "ttl" else {}
        for graph in graphs:
            loaded.store.dump(f, format=rdf_format, from_graph=graph, **kwargs)
    return path
