"""`llmkg serve` never opens a connection anywhere (issue 13): a fake SPARQL
endpoint on 127.0.0.1 counts every connection, and a generated set of SERVICE
spellings — case, codepoint escapes, comments, an escaped ``\\#`` in a prefixed
name, SILENT, a variable endpoint, inside subqueries, EXISTS, OPTIONAL, GRAPH,
UNION, MINUS, ASK and CONSTRUCT — is sent by GET and both POST forms, to a
server whose workers have no network and to one that must decide on each
query's parse tree alone. A control runs the same spellings on a bare
pyoxigraph store and sees that they do reach out."""
from __future__ import annotations

import itertools
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from conftest_servers import CountingEndpoint, http, serving, tiny_store

KEYWORDS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "\\u0073\\u0065rvice", "\\U00000053ervice"]
TEMPLATES = [
    "SELECT * WHERE {{ {S} <{E}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {S} SILENT <{E}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{E}> }} {S} ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {S} <{E}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ BIND(1 AS ?x) FILTER EXISTS {{ {S} <{E}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ BIND(1 AS ?x) FILTER NOT EXISTS {{ {S} SILENT <{E}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ {{ BIND(1 AS ?x) }} UNION {{ {S} <{E}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ BIND(1 AS ?x) MINUS {{ {S} <{E}> {{ ?x ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {S} <{E}> {{ ?s ?p ?o }} }}",
    "PREFIX e: <{B}> SELECT * WHERE {{ {S} e:sparql {{ ?s ?p ?o }} }}",
    "# {S} in a comment\nSELECT * WHERE {{ # and here\n {S}#\n<{E}>#\n{{ ?s ?p ?o }} }}",
    "PREFIX ex: <urn:x:> SELECT ?x WHERE {{ BIND(ex:a\\# AS ?q) {S} <{E}> {{ ?x ?y ?z }} }}",
    'SELECT * WHERE {{ BIND("#" AS ?h) BIND(\'\'\'"\'\'\' AS ?q) {S} <{E}> {{ ?s ?p ?o }} }}',
    # the lexer alone would read <?b)SERVICE?e#> as one IRI: decided by isolation or the parse tree
    "SELECT * WHERE {{ VALUES (?a ?b ?e) {{ (1 2 <{E}>) }} FILTER(?a<?b){S}?e#>\n{{ ?s ?p ?o }} }}",
]


def spellings(endpoint: str) -> list[str]:
    base = endpoint.rsplit("/", 1)[0] + "/"
    return [t.format(S=s, E=endpoint, B=base) for t, s in itertools.product(TEMPLATES, KEYWORDS)]


@pytest.fixture(scope="module")
def endpoint():
    e = CountingEndpoint()
    yield e
    e.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return tiny_store(tmp_path_factory.mktemp("tiny"))


def test_the_spellings_reach_out_from_a_bare_engine(endpoint):
    """The control: pyoxigraph on its own does call the fake endpoint for these spellings."""
    bare = ox.Store()
    before = endpoint.connections
    for q in spellings(endpoint.url)[:: len(KEYWORDS)]:  # each template once
        try:
            result = bare.query(q)
            if not isinstance(result, ox.QueryBoolean):
                list(result)
        except (OSError, SyntaxError, ValueError, RuntimeError):
            pass
    assert endpoint.connections - before >= len(TEMPLATES) - 2, endpoint.connections - before


@pytest.mark.parametrize("isolate", [True, False], ids=["isolated-workers", "parse-tree-only"])
def test_no_spelling_of_service_reaches_out(endpoint, store, isolate):
    queries = spellings(endpoint.url)
    before = endpoint.connections
    with serving(store, timeout=5, workers=2, isolate=isolate) as server:
        if isolate:
            assert server.pool.isolated  # Linux: the workers have no network at all
        for q in queries:
            answers = [
                http("GET", server.url, params={"query": q}),
                http("POST", server.url, data=urlencode({"query": q}),
                     headers={"Content-Type": "application/x-www-form-urlencoded"}),
                http("POST", server.url, data=q, headers={"Content-Type": "application/sparql-query"}),
            ]
            for r in answers:
                assert r.status in (400, 403), (q, r.status, r.text)
                assert "SERVICE" in r.text or "does not parse" in r.text or "could not be run" in r.text
        ok = http("GET", server.url, params={"query": "ASK { ?s ?p ?o }"},
                  headers={"Accept": "application/sparql-results+json"})
        assert ok.status == 200 and ok.json()["boolean"] is True
    assert endpoint.connections == before, f"{endpoint.connections - before} connections to the fake endpoint"


def test_an_isolated_worker_has_no_network(endpoint):
    """What the workers do first: afterwards not even this machine's loopback answers."""
    import subprocess
    import sys

    port = int(endpoint.url.split(":")[2].split("/")[0])
    code = ("import socket, sys\nfrom llmkg.web.workers import isolate_network\n"
            "assert isolate_network()\n"
            f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2)\nexcept OSError as e:\n"
            "    print('refused', e.errno)\nelse:\n    print('connected')\n")
    before = endpoint.connections
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.startswith("refused"), out.stdout + out.stderr
    assert endpoint.connections == before
