"""Upload the graph to a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

The built store's two graphs each go into a named graph of the same name,
``https://w3id.org/llmkg/graph/asserted`` (the graph as written) and
``…/inferred`` (what reasoning added; together, the reasoned graph).

The store holds both old graphs or both new ones, never a mix: each graph is
first PUT (an N-Triples body written by Oxigraph) under a temporary graph
name of its own, its triples counted back with a COUNT query, and only then
are both moved into place by *one* SPARQL Update request (DROP + MOVE for
each), which the store runs as one transaction. When any step fails, the
message says exactly what the store now holds, and the temporary graphs are
dropped.

Store addresses: Oxigraph ``http://HOST:7878/store``, Apache Jena Fuseki
``http://HOST:3030/DATASET/data``, Virtuoso ``http://HOST:8890/sparql-graph-crud-auth``,
GraphDB ``http://HOST:7200/repositories/ID/rdf-graphs/service``.

Credentials come from the environment only (see :mod:`llmkg.remote`).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from llmkg.errors import InputError, LlmkgError
from llmkg.remote.client import (ASSERTED_GRAPH, INFERRED_GRAPH, origin, check_url, count_triples, request,
                     safe_url)
from llmkg.vocab import GRAPH

__all__ = ["publish", "derive_query_url", "derive_update_url", "PublishResult", "GraphUpload",
           "ASSERTED_GRAPH", "INFERRED_GRAPH"]

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
    return _derive(store_url, _QUERY_SUFFIXES, "SPARQL query", "query_url", "--query-url", "/query")


def _derive(store_url: str, suffixes, what: str, option: str, flag: str, example: str) -> str:
    """The address that ``suffixes`` (Graph Store suffix -> its replacement) give for ``store_url``."""
    parts = urlsplit(store_url)
    path = parts.path.rstrip("/")
    for suffix, replacement in suffixes:
        if path.endswith(suffix):
            return urlunsplit((parts.scheme, parts.netloc, path[: -len(suffix)] + replacement, "", ""))
    raise InputError(
        f"cannot tell the {what} address that belongs to the Graph Store {safe_url(store_url)}; "
        f"give it with {option} (CLI: {flag}), e.g. http://localhost:7878{example}"
    )


# Graph Store address suffix → SPARQL Update address suffix.
_UPDATE_SUFFIXES = (
    ("/store", "/update"),                          # Oxigraph
    ("/data", "/update"),                           # Apache Jena Fuseki
    ("/sparql-graph-crud-auth", "/sparql-auth"),    # Virtuoso (authenticated)
    ("/sparql-graph-crud", "/sparql"),              # Virtuoso
    ("/rdf-graphs/service", "/statements"),         # GraphDB / RDF4J
)


def derive_update_url(store_url: str) -> str:
    """The SPARQL Update address that belongs to a Graph Store address."""
    return _derive(store_url, _UPDATE_SUFFIXES, "SPARQL Update", "update_url", "--update-url", "/update")


def _graph_url(store_url: str, iri: str) -> str:
    sep = "&" if urlsplit(store_url).query else "?"
    return f"{store_url}{sep}graph={quote(iri, safe='')}"


def publish(loaded, store_url: str, *,
            asserted_graph_iri: str = ASSERTED_GRAPH, inferred_graph_iri: str = INFERRED_GRAPH,
            query_url: str | None = None, update_url: str | None = None, verify: bool = True,
            timeout: float = DEFAULT_TIMEOUT) -> PublishResult:
    """Replace the asserted and the inferred graph of ``loaded`` (a
    :class:`llmkg.store.load.GraphStore`, such as the built store) in two
    named graphs of the store at ``store_url``, both or neither.

    ``store_url`` is a SPARQL 1.1 Graph Store Protocol address; the graphs go
    there under temporary names, and are moved into place with one request to
    ``update_url`` (default: derived from ``store_url``). With ``verify``
    (default) each graph's triple count is queried back at ``query_url``
    (default: derived from ``store_url``), before the move and after it, and
    a mismatch is an error. Returns what was sent and found; raises
    LlmkgError naming the URL, the fix, and what the store now holds.
    """
    check_url(store_url, "Graph Store URL")
    if asserted_graph_iri == inferred_graph_iri:
        raise InputError("the asserted and the inferred graph need different graph IRIs")
    for iri in (asserted_graph_iri, inferred_graph_iri):
        if not urlsplit(iri).scheme or any(c in iri for c in '<>" {}|\\^`'):
            raise InputError(f"{iri!r} is not an absolute IRI; graph names look like {INFERRED_GRAPH}")
    update_url = check_url(update_url, "update URL") if update_url else derive_update_url(store_url)
    if verify:
        query_url = check_url(query_url, "query URL") if query_url else derive_query_url(store_url)
    result = PublishResult(store_url, query_url)
    run = _Run(store_url, update_url, query_url, timeout, asserted_graph_iri, inferred_graph_iri)
    bodies = []
    for name, graphs, iri in (("asserted", loaded.asserted_graphs, asserted_graph_iri),
                              ("inferred", [loaded.inferred_graph], inferred_graph_iri)):
        body, sent = _ntriples(loaded, graphs)
        bodies.append(body)
        result.graphs.append(GraphUpload(name, iri, sent))
    try:
        for g, body in zip(result.graphs, bodies):
            _put(store_url, run.temporary[g.name], body, timeout)
        if verify:
            for g in result.graphs:
                stored = count_triples(query_url, run.temporary[g.name], timeout=timeout,
                                       credentials=run.same_host)
                if stored != g.sent:
                    raise LlmkgError(
                        f"sent {g.sent} triples to the {g.name} graph at {safe_url(store_url)}, but "
                        f"{safe_url(query_url)} counts {stored}; check that the query address belongs to the "
                        "same store (give query_url / --query-url) and that nothing else writes to it")
    except LlmkgError as e:
        raise LlmkgError(f"{e}\n{run.unchanged()}") from None
    try:
        run.swap()
    except LlmkgError as e:
        raise LlmkgError(f"{e}\n{run.after_failed_swap(result)}") from None
    if verify:
        for g in result.graphs:
            try:
                g.stored = count_triples(query_url, g.iri, timeout=timeout, credentials=run.same_host)
            except LlmkgError as e:
                raise LlmkgError(f"{e}\n{run.new_pair()} (the count afterwards failed)") from None
            if g.stored != g.sent:
                raise LlmkgError(
                    f"sent {g.sent} triples to the {g.name} graph <{g.iri}> at {safe_url(store_url)}, "
                    f"but {safe_url(query_url)} counts {g.stored} after they were moved into place; "
                    "check that nothing else writes to that graph.\n" + run.new_pair())
    return result


class _Run:
    """One publish: the temporary graph names, the swap, and what to say when a step fails."""

    def __init__(self, store_url, update_url, query_url, timeout, asserted_iri, inferred_iri):
        self.store_url, self.update_url, self.query_url, self.timeout = store_url, update_url, query_url, timeout
        token = secrets.token_hex(8)
        self.final = {"asserted": asserted_iri, "inferred": inferred_iri}
        self.temporary = {name: f"{GRAPH}publishing/{token}/{name}" for name in self.final}
        self.same_host = query_url is None or origin(query_url) == origin(store_url)

    def _update(self, text: str) -> None:
        request("POST", self.update_url, data=urlencode({"update": text}).encode("utf-8"),
                timeout=self.timeout, action="update graphs",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                not_found=f"no SPARQL Update service at {safe_url(self.update_url)}; give the store's update "
                          "address with update_url (CLI: --update-url), e.g. Oxigraph's http://HOST:7878/update")

    def swap(self) -> None:
        # DROP first: MOVE SILENT from a graph that is empty (so absent) would leave the old one in place
        self._update(" ;\n".join(
            f"DROP SILENT GRAPH <{self.final[n]}> ;\nMOVE SILENT GRAPH <{self.temporary[n]}> TO GRAPH <{self.final[n]}>"
            for n in self.final))

    def _drop_temporary(self) -> str:
        try:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{iri}>" for iri in self.temporary.values()))
            return "the temporary graphs were dropped"
        except LlmkgError:
            return ("the temporary graphs " + " and ".join(f"<{i}>" for i in self.temporary.values())
                    + " may remain; drop them with DROP SILENT GRAPH <…>")

    def _pair(self) -> str:
        return f"<{self.final['asserted']}> and <{self.final['inferred']}>"

    def unchanged(self) -> str:
        return (f"Nothing was replaced: the store still holds its previous graphs {self._pair()} "
                f"(both, unchanged); {self._drop_temporary()}.")

    def new_pair(self) -> str:
        return f"The store holds the new graphs {self._pair()} (both replaced)."

    def after_failed_swap(self, result: PublishResult) -> str:
        """The swap is one update request: it ran whole or not at all. Which, is read from the
        temporary graphs: moved away if it ran."""
        probe = next((g for g in result.graphs if g.sent), None)
        query_url = self.query_url
        if query_url is None:
            try:
                query_url = derive_query_url(self.store_url)
            except InputError:
                query_url = None
        if probe is not None and query_url is not None:
            try:
                left = count_triples(query_url, self.temporary[probe.name], timeout=self.timeout,
                                     credentials=self.same_host)
            except LlmkgError:
                left = None
            if left == 0:
                return self.new_pair()
            if left is not None:
                return self.unchanged()
        return (f"The store holds either its previous graphs {self._pair()} or the new ones — both of one or "
                "the other, as the move is one update request — but llmkg could not tell which; "
                f"count them, and drop the temporary graphs " +
                " and ".join(f"<{i}>" for i in self.temporary.values()) + " if they remain.")


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
