"""Upload the graph to a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

The built store's two graphs each go into a named graph of the same name,
``https://w3id.org/llmkg/graph/asserted`` (the graph as written) and
``…/inferred`` (what reasoning added; together, the reasoned graph), with
``PUT {store}?graph=<iri>`` and an N-Triples body written by Oxigraph: PUT
replaces the named graph, atomically where the store allows. The number of
triples in each graph is then read back with a COUNT query and compared
with the number sent.

Store addresses: Oxigraph ``http://HOST:7878/store``, Apache Jena Fuseki
``http://HOST:3030/DATASET/data``, Virtuoso ``http://HOST:8890/sparql-graph-crud-auth``,
GraphDB ``http://HOST:7200/repositories/ID/rdf-graphs/service``.

Credentials come from the environment only (see :mod:`llmkg.remote`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from llmkg.errors import InputError, LlmkgError
from llmkg.remote.client import (ASSERTED_GRAPH, INFERRED_GRAPH, origin, check_url, count_triples, request,
                     safe_url)

__all__ = ["publish", "derive_query_url", "PublishResult", "GraphUpload", "ASSERTED_GRAPH", "INFERRED_GRAPH"]

DEFAULT_TIMEOUT = 300.0

# Graph Store address suffix → SPARQL query address suffix.
_QUERY_SUFFIXES = (
    ("/store", "/query"),                           # Oxigraph
    ("/data", "/sparql"),                           # Apache Jena Fuseki
    ("/sparql-graph-crud-auth", "/sparql"),         # Virtuoso (authenticated)
    ("/sparql-graph-crud", "/sparql"),              # Virtuoso
    ("/rdf-graphs/service", ""),                    # GraphDB / RDF4J
)


@dataclass
class GraphUpload:
    """One named graph: triples sent, and triples the store reports (None if not verified)."""

    name: str
    iri: str
    sent: int
    stored: int | None = None


@dataclass
class PublishResult:
    store_url: str
    query_url: str | None
    graphs: list[GraphUpload] = field(default_factory=list)

    def summary(self) -> str:
        lines = []
        for g in self.graphs:
            check = f", {g.stored} in the store" if g.stored is not None else " (not verified)"
            lines.append(f"{g.name} graph <{g.iri}>: {g.sent} triples sent{check}")
        lines.append(f"published to {safe_url(self.store_url)}")
        inferred = next((g.iri for g in self.graphs if g.name == "inferred"), INFERRED_GRAPH)
        if self.query_url:
            lines.append(f"query it at {safe_url(self.query_url)} with default-graph-uri=<{inferred}>, "
                         f"e.g. llmkg query --endpoint {safe_url(self.query_url)} models_by_organization")
        return "\n".join(lines) + "\n"


def derive_query_url(store_url: str) -> str:
    """The SPARQL query address that belongs to a Graph Store address."""
    parts = urlsplit(store_url)
    path = parts.path.rstrip("/")
    for suffix, replacement in _QUERY_SUFFIXES:
        if path.endswith(suffix):
            return urlunsplit((parts.scheme, parts.netloc, path[: -len(suffix)] + replacement, "", ""))
    raise InputError(
        f"cannot tell the SPARQL query address that belongs to the Graph Store {safe_url(store_url)}; "
        "give it with query_url (CLI: --query-url), e.g. http://localhost:7878/query"
    )


def _graph_url(store_url: str, iri: str) -> str:
    sep = "&" if urlsplit(store_url).query else "?"
    return f"{store_url}{sep}graph={quote(iri, safe='')}"


def publish(loaded, store_url: str, *,
            asserted_graph_iri: str = ASSERTED_GRAPH, inferred_graph_iri: str = INFERRED_GRAPH,
            query_url: str | None = None, verify: bool = True,
            timeout: float = DEFAULT_TIMEOUT) -> PublishResult:
    """PUT the asserted and the inferred graph of ``loaded`` (a
    :class:`llmkg.store.load.GraphStore`, such as the built store) into two
    named graphs of the store at ``store_url``.

    ``store_url`` is a SPARQL 1.1 Graph Store Protocol address. With
    ``verify`` (default) each graph's triple count is queried back at
    ``query_url`` (default: derived from ``store_url``) and a mismatch is an
    error. Returns what was sent and found; raises LlmkgError naming the URL
    and the fix for connection, authentication and address problems.
    """
    check_url(store_url, "Graph Store URL")
    if asserted_graph_iri == inferred_graph_iri:
        raise InputError("the asserted and the inferred graph need different graph IRIs")
    for iri in (asserted_graph_iri, inferred_graph_iri):
        if not urlsplit(iri).scheme or any(c in iri for c in '<>" {}|\\^`'):
            raise InputError(f"{iri!r} is not an absolute IRI; graph names look like {INFERRED_GRAPH}")
    if verify:
        query_url = check_url(query_url, "query URL") if query_url else derive_query_url(store_url)
    result = PublishResult(store_url, query_url)
    for name, graphs, iri in (("asserted", loaded.asserted_graphs, asserted_graph_iri),
                              ("inferred", [loaded.inferred_graph], inferred_graph_iri)):
        body, sent = _ntriples(loaded, graphs)
        _put(store_url, iri, body, timeout)
        result.graphs.append(GraphUpload(name, iri, sent))
    if verify:
        same_host = origin(query_url) == origin(store_url)
        for g in result.graphs:
            g.stored = count_triples(query_url, g.iri, timeout=timeout, credentials=same_host)
            if g.stored != g.sent:
                raise LlmkgError(
                    f"sent {g.sent} triples to the {g.name} graph <{g.iri}> at {safe_url(store_url)}, "
                    f"but {safe_url(query_url)} counts {g.stored}; check that the query address belongs "
                    "to the same store (give query_url / --query-url) and that nothing else writes to that graph"
                )
    return result


def _ntriples(loaded, graphs) -> tuple[bytes, int]:
    """The triples of ``graphs`` as one N-Triples body (the graphs share none), and how many."""
    import io

    import pyoxigraph as ox

    buf = io.BytesIO()
    for graph in graphs:
        loaded.store.dump(buf, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    body = buf.getvalue()
    return body, body.count(b"\n")


def _put(store_url: str, iri: str, body: bytes, timeout: float) -> None:
    url = _graph_url(store_url, iri)
    not_found = (f"no Graph Store at {safe_url(store_url)}; Oxigraph's is http://HOST:7878/store, "
                 "Fuseki's http://HOST:3030/DATASET/data (the dataset must exist), "
                 "Virtuoso's http://HOST:8890/sparql-graph-crud-auth")
    try:
        request("PUT", url, data=body, timeout=timeout, action="write graphs",
                headers={"Content-Type": "application/n-triples"}, not_found=not_found)
    except LlmkgError as e:
        if "HTTP 415" not in str(e):
            raise
        # Older stores do not know application/n-triples; N-Triples is valid Turtle.
        request("PUT", url, data=body, timeout=timeout, action="write graphs",
                headers={"Content-Type": "text/turtle"}, not_found=not_found)
