"""Queries against a remote SPARQL endpoint (any SPARQL 1.1 Protocol server:
Oxigraph, Apache Jena Fuseki, Virtuoso, GraphDB, QLever, ``llmkg serve`` …).

:func:`query_endpoint` sends a query and returns a
:class:`llmkg.querying.formats.QueryResult`, so the result prints with the
same formatters as a local query.

``llmkg publish`` puts the graph into two *named* graphs of the store, as the
built store holds it: ``https://w3id.org/llmkg/graph/asserted`` (the graph as
written) and ``…/inferred`` (what reasoning added). A query there must read
both: :func:`query_endpoint` sends each as a ``default-graph-uri`` protocol
parameter, so that the default graph is their merge, the reasoned graph
(only the asserted one with ``asserted=True``; ``default_graphs=[]`` queries
the store's own default graph, e.g. of a store you filled yourself).

Credentials come from the environment only — ``LLMKG_STORE_USER`` and
``LLMKG_STORE_PASSWORD`` (HTTP Basic, or Digest when the server asks for it)
or ``LLMKG_STORE_TOKEN`` (Bearer) — and are never shown in messages.

This module imports only the standard library at load time (rdflib is
imported when a result is parsed), because :mod:`llmkg.serve`'s query
workers use its SPARQL text helpers.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import urllib.error
import re
import urllib.request
from urllib.parse import quote, quote_plus, urlencode, urlsplit, urlunsplit

from llmkg.errors import InputError, LlmkgError, QueryError
from llmkg.remote.sparql_text import SparqlLexError, tokens, unescape
from llmkg.vocab import GRAPH

ASSERTED_GRAPH = GRAPH + "asserted"  # the named graphs of the built store, and of a store publish wrote
INFERRED_GRAPH = GRAPH + "inferred"
DEFAULT_TIMEOUT = 60.0
USER_AGENT = "llmkg (https://w3id.org/llmkg)"

ENV_USER, ENV_PASSWORD, ENV_TOKEN = "LLMKG_STORE_USER", "LLMKG_STORE_PASSWORD", "LLMKG_STORE_TOKEN"

RESULTS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"

# ---------------------------------------------------------------------------
# SPARQL text, read as tokens (llmkg.remote.sparql_text): what kind of
# operation it is, and whether it calls another endpoint.
# ---------------------------------------------------------------------------

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


def query_form(text: str) -> str:
    """The operation's first keyword, upper-cased: SELECT, CONSTRUCT, ASK,
    DESCRIBE, an update keyword (INSERT, LOAD …), or "" if unrecognised."""
    try:
        return tokens(text).form
    except SparqlLexError:
        return ""


def uses_service(text: str) -> bool:
    """Whether the query contains a SERVICE clause (a federated call); a text
    that is not SPARQL tokens counts as one if it says "service" anywhere."""
    try:
        return tokens(text).service
    except SparqlLexError:
        return "service" in unescape(text).lower()


# ---------------------------------------------------------------------------
# HTTP with credentials from the environment
# ---------------------------------------------------------------------------

def safe_url(url: str) -> str:
    """The URL without any user:password part, for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def check_url(url: str, what: str = "URL") -> str:
    """Refuse URLs llmkg cannot or should not use, with the fix."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{safe_url(url)!s}: not an http(s) {what}; give e.g. http://localhost:7878/store")
    if parts.username is not None or parts.password is not None:
        raise InputError(
            f"{safe_url(url)}: the {what} contains credentials; remove them from the address and set "
            f"{ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}) in the environment instead"
        )
    return url


def origin(url: str) -> tuple:
    p = urlsplit(url)
    return (p.scheme, (p.hostname or "").lower(), p.port or (443 if p.scheme == "https" else 80))


def auth_header() -> str | None:
    """The Authorization header value from the environment, or None."""
    token = os.environ.get(ENV_TOKEN)
    if token:
        return f"Bearer {token}"
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user is not None and password is not None:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    if user is not None or password is not None:
        raise InputError(f"set both {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN} for a bearer token)")
    return None


_AUTH_ECHO = re.compile(r"(?i)(authorization|proxy-authorization)(\W{1,4})[^\r\n\"',;<]*")


def scrub(text: str) -> str:
    """``text`` without the credentials from the environment, in any form a server may echo
    them (as given, Base64 for Basic, URL-encoded) nor any Authorization header's value."""
    secrets = []
    token, user, password = os.environ.get(ENV_TOKEN), os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    for value in (token, password):
        if value:
            secrets += [value, quote(value, safe=""), quote_plus(value)]
    if user is not None and password:
        pair = f"{user}:{password}".encode()
        secrets += [base64.b64encode(pair).decode("ascii"), base64.b64encode(pair).decode("ascii").rstrip("=")]
    for secret in sorted({s for s in secrets if len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, "[hidden]")
    return _AUTH_ECHO.sub(lambda m: m.group(1) + m.group(2) + "[hidden]", text)


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers: list = []
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user is not None and password is not None and not os.environ.get(ENV_TOKEN):
        # Virtuoso's /sparql-graph-crud-auth asks for Digest: answer its challenge.
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, user, password)
        handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
    return urllib.request.build_opener(*handlers)


def request(method: str, url: str, *, data: bytes | None = None, headers: dict | None = None,
            timeout: float = DEFAULT_TIMEOUT, credentials: bool = True, action: str = "reach",
            not_found: str = "") -> tuple[int, str, bytes]:
    """Send one HTTP request; return (status, content type, body).

    Every failure becomes LlmkgError naming the URL (without credentials) and
    the fix, with any credential a server echoed back scrubbed out.
    Credentials are sent as an unredirected header, so a redirect to another
    host never carries them.
    """
    try:
        return _send(method, url, data=data, headers=headers, timeout=timeout, credentials=credentials,
                     action=action, not_found=not_found)
    except LlmkgError as e:
        raise type(e)(scrub(str(e))) from None


def _send(method, url, *, data, headers, timeout, credentials, action, not_found):
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("User-Agent", USER_AGENT)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    auth = auth_header() if credentials else None
    if auth:
        req.add_unredirected_header("Authorization", auth)
    shown = safe_url(url)
    try:
        with (_opener(url) if credentials else urllib.request.build_opener()).open(req, timeout=timeout) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as e:
        body = _text(e)
        if e.code in (401, 403):
            has = "the credentials in the environment were refused" if auth else "no credentials were sent"
            raise LlmkgError(
                f"{method} {shown} failed with HTTP {e.code} ({has}); set {ENV_USER} and {ENV_PASSWORD} "
                f"(HTTP Basic/Digest) or {ENV_TOKEN} (Bearer) to an account that may {action} there"
            ) from None
        if e.code == 404:
            raise LlmkgError(f"{method} {shown} failed with HTTP 404 (not found); {not_found or 'check the address'}") from None
        raise LlmkgError(f"{method} {shown} failed with HTTP {e.code}{': ' + body if body else ''}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, ConnectionRefusedError):
            raise LlmkgError(f"cannot connect to {shown}: connection refused; is the server running and "
                             "listening on that host and port?") from None
        if isinstance(reason, socket.timeout) or "timed out" in str(reason):
            raise LlmkgError(f"{method} {shown} took longer than {timeout:g} s; raise the timeout "
                             "or check that the server is up") from None
        if isinstance(reason, socket.gaierror):
            raise LlmkgError(f"cannot connect to {shown}: unknown host; check the address") from None
        raise LlmkgError(f"cannot connect to {shown}: {reason}") from None
    except (TimeoutError, socket.timeout):
        raise LlmkgError(f"{method} {shown} took longer than {timeout:g} s; raise the timeout "
                         "or check that the server is up") from None
    except (ConnectionError, OSError) as e:
        raise LlmkgError(f"{method} {shown} failed: {e}") from None


def _text(e: urllib.error.HTTPError, limit: int = 500) -> str:
    try:
        body = e.read().decode("utf-8", "replace").strip()
    except Exception:
        return ""
    body = " ".join(body.split())
    return body[:limit] + ("…" if len(body) > limit else "")


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------

def query_endpoint(endpoint_url: str, query_text: str, *, asserted: bool = False,
                   default_graphs: list[str] | None = None, timeout: float = DEFAULT_TIMEOUT):
    """Run a SPARQL query at ``endpoint_url``; return a :class:`llmkg.querying.formats.QueryResult`.

    The project's prefixes (llmkg:, kg:, rdfs: …) are declared for the query
    as they are locally. SELECT and ASK ask for SPARQL JSON results,
    CONSTRUCT and DESCRIBE for Turtle. The default graph is the reasoned
    graph ``publish`` uploads (the asserted and the inferred graph), or the
    asserted graph alone; ``default_graphs`` names other graphs (``[]``: the
    store's own default graph).
    """
    from llmkg.querying.run import with_prefixes

    if default_graphs is None:
        default_graphs = [ASSERTED_GRAPH] if asserted else [ASSERTED_GRAPH, INFERRED_GRAPH]

    check_url(endpoint_url, "endpoint URL")
    text = with_prefixes(query_text)
    form = query_form(text)
    if form in UPDATE_FORMS:
        raise QueryError(f"{form} is a SPARQL update; query_endpoint runs queries only "
                         "(use 'llmkg publish' to change the store)")
    if form in ("CONSTRUCT", "DESCRIBE"):
        accept = f"{TURTLE}, application/n-triples;q=0.9"
    elif form in ("SELECT", "ASK"):
        accept = f"{RESULTS_JSON}, application/sparql-results+xml;q=0.5"
    else:
        accept = f"{RESULTS_JSON}, {TURTLE};q=0.9"
    fields = [("query", text)] + [("default-graph-uri", g) for g in default_graphs]
    status, ctype, body = _query_request(endpoint_url, fields, accept, timeout)
    return parse_response(body, ctype, endpoint_url)


def _query_request(endpoint_url, fields, accept, timeout, credentials=True):
    shown = safe_url(endpoint_url)
    try:
        return request(
            "POST", endpoint_url, data=urlencode(fields).encode("utf-8"), timeout=timeout,
            credentials=credentials,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            action="query",
            not_found="give the store's SPARQL query address (Oxigraph: http://HOST:7878/query, "
                      "Fuseki: http://HOST:3030/DATASET/sparql, llmkg serve: http://HOST:7878/sparql)",
        )
    except LlmkgError as e:
        if "HTTP 400" in str(e):
            raise QueryError(f"{shown} rejected the query: {str(e).split(': ', 1)[-1]}") from None
        raise


def parse_response(body: bytes, content_type: str, endpoint_url: str = "the endpoint"):
    """An HTTP response body (SPARQL results or RDF) → :class:`llmkg.querying.formats.QueryResult`."""
    import pyoxigraph as ox

    from llmkg.querying.formats import QueryResult

    media = content_type.split(";")[0].strip().lower()
    shown = safe_url(endpoint_url)
    results = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
               "application/json": ox.QueryResultsFormat.JSON,
               "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "application/xml": ox.QueryResultsFormat.XML, "text/xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}
    try:
        if media in results:
            return QueryResult(ox.parse_query_results(body, format=results[media]))
        rdf = ox.RdfFormat.from_media_type(media) if media else None
        if rdf is not None:
            return QueryResult(_Triples(ox.parse(body, format=rdf)))
    except (SyntaxError, ValueError) as e:
        raise LlmkgError(f"{shown} answered {media} that cannot be read: {e}") from None
    raise LlmkgError(f"{shown} answered with {media or 'no content type'}, which is neither SPARQL "
                     "results nor RDF; is this the store's query address?")


class _Triples(list):
    """Parsed RDF (quads) as a CONSTRUCT result's triples."""

    def __init__(self, quads):
        super().__init__(q.triple for q in quads)


def count_triples(endpoint_url: str, graph_iri: str | None, *, timeout: float = DEFAULT_TIMEOUT,
                  credentials: bool = True) -> int:
    """How many triples the store holds in a named graph (or the default graph)."""
    where = f"GRAPH <{graph_iri}> {{ ?s ?p ?o }}" if graph_iri else "?s ?p ?o"
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
    status, ctype, body = _query_request(endpoint_url, [("query", q)], RESULTS_JSON, timeout, credentials)
    try:
        data = json.loads(body)
        return int(data["results"]["bindings"][0]["n"]["value"])
    except Exception:
        raise LlmkgError(f"{safe_url(endpoint_url)} did not answer a COUNT query with SPARQL JSON "
                         "results; is this the store's query address?") from None
