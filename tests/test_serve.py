"""`llmkg serve`: a read-only SPARQL 1.1 Protocol endpoint, tested over real HTTP."""
from __future__ import annotations

import inspect
import io
import time
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest_servers import free_port, http, rows_of, serving, tiny_store
from llmkg.errors import InputError
from llmkg.querying.formats import QueryResult
from llmkg.querying.run import run
from llmkg.querying.stats import triple_counts
from llmkg.remote.client import ASSERTED_GRAPH, query_endpoint
from llmkg.web.serve import make_server, serve

TIMEOUT = 2.0
CAP = 300
JSON = "application/sparql-results+json"
LABELS = "SELECT ?m ?label WHERE { ?m a llmkg:MachineLearningModel ; rdfs:label ?label . FILTER(STRSTARTS(STR(?m), STR(kg:))) }"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return tiny_store(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def server(store):
    with serving(store, timeout=TIMEOUT, max_results=CAP) as s:
        yield s


_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}


def parse(resp, fmt):
    """A response's SPARQL results (CSV, which carries plain strings only: as rows of str)."""
    if fmt == "csv":
        import csv

        rows = list(csv.reader(io.StringIO(resp.text)))
        return rows[0], rows[1:]
    return QueryResult(ox.parse_query_results(resp.body, format=_FORMATS[fmt]))


def test_binds_to_localhost_by_default(store):
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"
    with serving(store, workers=1) as s:
        assert s.host == "127.0.0.1" and s.port > 0
        assert s.url == f"http://127.0.0.1:{s.port}/sparql"


def test_get_json_matches_a_local_query(server, store):
    r = http("GET", server.url, params={"query": LABELS}, headers={"Accept": JSON})
    assert r.status == 200 and r.content_type == JSON
    assert rows_of(parse(r, "json")) == rows_of(run(store, LABELS))
    assert len(rows_of(parse(r, "json"))[1]) >= 4


def test_inferred_triples_are_served(server):
    # TestLM is a LargeLanguageModel; it is a MachineLearningModel only by reasoning
    q = "ASK { kg:TestLM a llmkg:MachineLearningModel ; llmkg:developedBy kg:TestLab }"
    r = http("GET", server.url, params={"query": q}, headers={"Accept": JSON})
    assert r.json()["boolean"] is True


@pytest.mark.parametrize("how", ["form", "sparql-query"])
def test_post(server, store, how):
    if how == "form":
        r = http("POST", server.url, data=f"query={__import__('urllib.parse').parse.quote(LABELS)}",
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON})
    else:
        r = http("POST", server.url, data=LABELS,
                 headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert r.status == 200, r.text
    assert rows_of(parse(r, "json")) == rows_of(run(store, LABELS))


@pytest.mark.parametrize("accept, media, fmt", [
    ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ("text/csv", "text/csv", "csv"),
    ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
    ("application/json", JSON, "json"),
    ("*/*", JSON, "json"),
    (None, JSON, "json"),
    ("text/html;q=0.9, text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", "xml"),
])
def test_select_formats_by_accept(server, store, accept, media, fmt):
    q = "SELECT ?m ?label ?comment WHERE { ?m rdfs:label ?label . OPTIONAL { ?m rdfs:comment ?comment } FILTER(STRSTARTS(STR(?m), STR(kg:))) }"
    r = http("GET", server.url, params={"query": q}, headers={"Accept": accept} if accept else {})
    assert r.status == 200, r.text
    assert r.content_type == media
    got, want = parse(r, fmt), run(store, q)
    if fmt == "csv":  # CSV carries plain strings only: compare those
        assert got[0] == want.variables
        assert sorted(map(tuple, got[1])) == sorted(tuple("" if t is None else t.value for t in row) for row in want)
    else:
        assert rows_of(got) == rows_of(want)


def test_format_parameter(server):
    r = http("GET", server.url, params={"query": LABELS, "format": "csv"}, headers={"Accept": JSON})
    assert r.status == 200 and r.content_type == "text/csv"


def test_ask_formats(server):
    r = http("GET", server.url, params={"query": "ASK { kg:TestLM ?p ?o }"},
             headers={"Accept": "application/sparql-results+xml"})
    assert r.status == 200 and parse(r, "xml").boolean is True


@pytest.mark.parametrize("accept, media, fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    (JSON, "text/turtle", "turtle"),  # results formats do not apply: Turtle
])
def test_construct_and_describe(server, store, accept, media, fmt):
    q = "CONSTRUCT { ?m ?p ?o } WHERE { ?m ?p ?o FILTER(?m IN (kg:TestLM, kg:TestLab)) }"
    r = http("GET", server.url, params={"query": q}, headers={"Accept": accept})
    assert r.status == 200 and r.content_type == media
    got = Graph().parse(data=r.body, format=fmt)
    assert len(got) == len(run(store, q)) > 5
    r = http("GET", server.url, params={"query": "DESCRIBE kg:TestLM"}, headers={"Accept": "text/turtle"})
    assert r.status == 200 and len(Graph().parse(data=r.body, format="turtle")) > 3


def test_asserted_graph_is_a_named_graph(server, store):
    asserted, reasoned = triple_counts(store)
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ASSERTED_GRAPH}> {{ ?s ?p ?o }} }}"
    r = http("GET", server.url, params={"query": q}, headers={"Accept": JSON})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == asserted
    r = http("GET", server.url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                         "default-graph-uri": ASSERTED_GRAPH}, headers={"Accept": JSON})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == asserted
    r = http("GET", server.url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
             headers={"Accept": JSON})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == reasoned > asserted


@pytest.mark.parametrize("method, params, data, ctype", [
    ("GET", {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, None, None),
    ("POST", None, "update=INSERT%20DATA%20%7B%7D", "application/x-www-form-urlencoded"),
    ("POST", None, "DELETE WHERE { ?s ?p ?o }", "application/sparql-update"),
    ("GET", {"query": "LOAD <http://example.org/data.ttl>"}, None, None),
    ("POST", None, "# comment\nPREFIX ex: <http://example.org/>\nCLEAR ALL", "application/sparql-query"),
])
def test_updates_and_load_are_refused(server, method, params, data, ctype):
    r = http(method, server.url, params=params, data=data, headers={"Content-Type": ctype} if ctype else {})
    assert r.status == 403
    assert "read-only" in r.text
    ok = http("GET", server.url, params={"query": "ASK { kg:TestLM ?p ?o }"}, headers={"Accept": JSON})
    assert ok.json()["boolean"] is True


@pytest.mark.parametrize("q", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . service silent <http://127.0.0.1:1/sparql> { ?s ?p ?o } } LIMIT 1",
])
@pytest.mark.parametrize("method, ctype", [("GET", None), ("POST", "application/sparql-query"),
                                           ("POST", "application/x-www-form-urlencoded")])
def test_service_is_refused(server, q, method, ctype):
    """However the query comes: in the URL, as the body, or as a form field in the body."""
    if method == "GET":
        r = http("GET", server.url, params={"query": q})
    else:
        body = q if ctype == "application/sparql-query" else urlencode({"query": q})
        r = http("POST", server.url, data=body, headers={"Content-Type": ctype})
    assert r.status == 403 and "SERVICE" in r.text


def test_service_in_a_string_or_name_is_not_refused(server):
    q = 'SELECT ?service WHERE { BIND("SERVICE <x>" AS ?service) }'
    r = http("GET", server.url, params={"query": q}, headers={"Accept": JSON})
    assert r.status == 200, r.text


def test_time_limit_stops_a_runaway_query(server):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    before = {w.process.pid: w.process for w in server.pool._all}
    started = time.monotonic()
    r = http("GET", server.url, params={"query": q}, headers={"Accept": JSON})
    elapsed = time.monotonic() - started
    assert r.status == 503, r.text
    assert "time limit" in r.text and r.headers.get("Retry-After")
    assert elapsed < TIMEOUT + 1.5
    # really stopped: the worker that ran it is gone, not left computing
    stopped = [p for p in before.values() if p.poll() is not None]
    assert len(stopped) == 1 and stopped[0].returncode != 0
    # the endpoint goes on answering (the stopped worker is replaced)
    for _ in range(3):
        ok = http("GET", server.url, params={"query": "ASK { kg:TestLM ?p ?o }"}, headers={"Accept": JSON})
        assert ok.status == 200


def test_result_cap(server):
    r = http("GET", server.url, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": JSON})
    assert r.status == 422 and f"more than {CAP}" in r.text and "LIMIT" in r.text
    r = http("GET", server.url, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert r.status == 422
    r = http("GET", server.url, params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {CAP}"},
             headers={"Accept": JSON})
    assert r.status == 200 and len(r.json()["results"]["bindings"]) == CAP


def test_bad_requests(server):
    r = http("GET", server.url, params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status == 400 and "does not parse" in r.text
    r = http("GET", server.url)
    assert r.status == 400 and "query" in r.text
    r = http("POST", server.url, data="query", headers={"Content-Type": "text/plain"})
    assert r.status == 415
    r = http("GET", server.url.replace("/sparql", "/nothing"))
    assert r.status == 404 and "/sparql" in r.text


def test_query_page_lists_the_catalogue(server):
    from llmkg.querying.catalogue import load_catalogue

    r = http("GET", server.url.replace("/sparql", "/"))
    assert r.status == 200 and r.content_type == "text/html"
    for q in load_catalogue():
        assert q.title_zh in r.text
    assert "/sparql" in r.text


def test_remote_query_against_llmkg_serve(server, store):
    """query_endpoint's default-graph-uri names the asserted and the inferred graph: llmkg serve holds them too."""
    got = query_endpoint(server.url, LABELS)
    assert rows_of(got) == rows_of(run(store, LABELS))


def test_port_in_use_is_a_clear_error(store):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(InputError, match=f"port {port} .* in use"):
            make_server(store, port=port, workers=1)


def test_bad_limits_are_refused(store):
    with pytest.raises(InputError):
        make_server(store, port=free_port(), timeout=0)


def test_the_endpoint_answers_before_the_pages_index_is_made(store, monkeypatch):
    # The pages read the whole store first (35 s at 100,000 models on disk); a query must not wait.
    import threading

    from llmkg.web import pages

    made, release = threading.Event(), threading.Event()
    real = pages.Pages

    def slow(*args, **kwargs):
        release.wait(30)
        made.set()
        return real(*args, **kwargs)

    monkeypatch.setattr(pages, "Pages", slow)
    with serving(store, workers=1) as s:
        r = http("GET", s.url, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
        assert r.status == 200 and r.json()["boolean"] is True
        assert not made.is_set()
        release.set()
        page = http("GET", s.url[:-len("/sparql")] + "/id/TestLM")  # waits for the index
        assert page.status == 200 and "TestLM" in page.text


def test_a_page_asked_long_before_the_index_is_made_is_told_to_come_back(store, monkeypatch):
    # At 1,000,000 models the index takes more than five minutes: a page must not hang that long.
    import threading

    from llmkg.web import pages, serve

    release = threading.Event()
    real = pages.Pages

    def slow(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(pages, "Pages", slow)
    monkeypatch.setattr(serve, "PAGES_WAIT", 0.2)
    with serving(store, workers=1) as s:
        page = http("GET", s.url[:-len("/sparql")] + "/id/TestLM")
        assert page.status == 503 and page.headers["Retry-After"] == "30"
        assert "still being made" in page.text and "/sparql" in page.text
        r = http("GET", s.url, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
        assert r.status == 200
        release.set()
        monkeypatch.setattr(serve, "PAGES_WAIT", 30)
        page = http("GET", s.url[:-len("/sparql")] + "/id/TestLM")
        assert page.status == 200 and "TestLM" in page.text


def test_a_pages_index_that_cannot_be_made_is_an_error_page_and_the_endpoint_goes_on(store, monkeypatch):
    from llmkg.web import pages

    def broken(*args, **kwargs):
        raise RuntimeError("the index broke")

    monkeypatch.setattr(pages, "Pages", broken)
    with serving(store, workers=1) as s:
        page = http("GET", s.url[:-len("/sparql")] + "/id/TestLM")
        assert page.status == 500 and "the index broke" in page.text
        r = http("GET", s.url, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
        assert r.status == 200
