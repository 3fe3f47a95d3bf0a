"""Remote queries: publish to a real Oxigraph server, run the catalogue there
(and queries that filter on dates), and get the same answers as locally."""
from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from conftest_servers import free_port, oxigraph, rows_of  # noqa: F401,F811 (fixture)
from llmkg.errors import LlmkgError, QueryError
from llmkg.querying.catalogue import load_catalogue
from llmkg.querying.formats import format_result
from llmkg.querying.run import run
from llmkg.querying.stats import triple_counts
from llmkg.remote.client import query_endpoint, query_form, uses_service
from llmkg.remote.publish import ASSERTED_GRAPH, INFERRED_GRAPH, publish

EXTRA = [
    "SELECT ?m ?label WHERE { ?m a llmkg:LargeModel ; rdfs:label ?label }",
    "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class",
    "SELECT ?s ?o WHERE { ?s llmkg:derivedFrom ?o }",
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(lang(?label) = 'zh') }",
    # date filters: the same engine everywhere, so the same answers (a year and a date do not compare)
    'SELECT ?m ?d WHERE { ?m llmkg:releaseDate ?d FILTER(?d >= "2023-01-01"^^xsd:date) }',
    'SELECT ?m ?d WHERE { ?m llmkg:releaseDate ?d FILTER(STR(?d) >= "2023") }',
]


@pytest.fixture(scope="module")
def published(oxigraph, shipped):
    publish(shipped.store, oxigraph.store_url)
    return oxigraph, shipped.store


_GROUP_CONCAT = re.compile(r"GROUP_CONCAT\s*\(.*?\)\s*AS\s*\?(\w+)", re.I | re.S)


def portable(text: str, result) -> tuple[list[str], list[tuple]]:
    """rows_of, but GROUP_CONCAT columns compared as sets of parts without a
    language tag: SPARQL leaves the order inside a group open."""
    concat = set(_GROUP_CONCAT.findall(text))
    names = result.variables
    rows = []
    for row in result:
        cells = []
        for name, t in zip(names, row):
            if name in concat and t is not None:
                cells.append(" | ".join(sorted(t.value.split(", "))))
            else:
                cells.append("_:b" if isinstance(t, ox.BlankNode) else ("" if t is None else str(t)))
        rows.append(tuple(cells))
    return names, sorted(rows)


@pytest.mark.parametrize("name", [q.name for q in load_catalogue()])
def test_catalogue_query_same_answers_remotely(published, name):
    server, closed = published
    q = next(q for q in load_catalogue() if q.name == name)
    local, remote = run(closed, q.text), query_endpoint(server.query_url, q.text)
    assert portable(q.text, remote) == portable(q.text, local)
    assert len(rows_of(local)[1]) > 0
    if _GROUP_CONCAT.search(q.text):
        return
    # the lead's formatters print the remote result like the local one
    for fmt in ("csv", "tsv"):
        assert sorted(format_result(remote, fmt).splitlines()) == sorted(format_result(local, fmt).splitlines())
    as_json = lambda r: sorted(json.dumps(b, sort_keys=True) for b in json.loads(format_result(r, "json"))["results"]["bindings"])
    assert as_json(remote) == as_json(local)


@pytest.mark.parametrize("text", EXTRA)
def test_more_selects_same_answers_remotely(published, text):
    server, closed = published
    assert rows_of(query_endpoint(server.query_url, text)) == rows_of(run(closed, text))


def test_ask_and_construct_remotely(published):
    server, closed = published
    ask = "ASK { ?m a llmkg:MachineLearningModel }"
    assert query_endpoint(server.query_url, ask).boolean is run(closed, ask).boolean is True
    construct = "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a llmkg:LargeModel ; rdfs:label ?l }"
    remote = query_endpoint(server.query_url, construct)
    assert remote.kind == "CONSTRUCT"
    assert sorted(map(str, remote)) == sorted(map(str, run(closed, construct))) and len(remote) > 10
    assert "@prefix" in format_result(remote, "table")


def test_default_graphs(published):
    server, store = published
    asserted, reasoned = triple_counts(store)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    n = lambda **kw: int(list(query_endpoint(server.query_url, count, **kw))[0][0].value)  # noqa: E731
    assert n() == reasoned
    assert n(asserted=True) == asserted
    # the store's own default graph is empty: publish writes named graphs only
    assert n(default_graphs=[]) == 0
    assert n(default_graphs=[INFERRED_GRAPH]) == reasoned - asserted
    assert n(default_graphs=[ASSERTED_GRAPH]) == asserted


def test_syntax_error_is_a_query_error(published):
    server, _ = published
    with pytest.raises(QueryError, match="rejected the query"):
        query_endpoint(server.query_url, "SELECT ?s WHERE { ?s ?p }")


def test_update_is_refused_before_sending(published):
    with pytest.raises(QueryError, match="update"):
        query_endpoint(published[0].query_url, "DELETE WHERE { ?s ?p ?o }")


def test_unreachable_endpoint():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(LlmkgError, match="connection refused") as e:
        query_endpoint(url, "ASK {}")
    assert url in str(e.value)


def test_not_a_query_address(published):
    with pytest.raises(LlmkgError, match="404"):
        query_endpoint(published[0].base + "/nothing", "ASK {}")


@pytest.mark.parametrize("text, form, service", [
    ("SELECT * { ?s ?p ?o }", "SELECT", False),
    ("PREFIX select: <urn:x#>\nBASE <urn:y>\n# INSERT\nask { select:a ?p 'INSERT' }", "ASK", False),
    ("PREFIX : <urn:x#> CONSTRUCT WHERE { :a ?p ?o }", "CONSTRUCT", False),
    ("  load <http://x/y.ttl>", "LOAD", False),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", False),
    ("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", "SELECT", True),
    ("SELECT * { service\n silent ?ep { ?s ?p ?o } }", "SELECT", True),
    ("SELECT ?service { ?s ex:SERVICE ?service . ?s service:x 'SERVICE' } # SERVICE", "SELECT", False),
    ("SELECT * { ?s ?p <http://x/SERVICE> }", "SELECT", False),
])
def test_lexical_helpers(text, form, service):
    assert query_form(text) == form
    assert uses_service(text) is service
