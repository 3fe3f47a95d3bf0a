"""`llmkg publish`: upload to a real Oxigraph server with the Graph Store Protocol."""
from __future__ import annotations

import base64

import pytest
from rdflib import Graph

from conftest_servers import StubStore, free_port, http, oxigraph, tiny_store  # noqa: F401,F811 (fixture)
from llmkg.errors import InputError, LlmkgError
from llmkg.querying.stats import triple_counts
from llmkg.remote.client import count_triples
from llmkg.remote.publish import ASSERTED_GRAPH, INFERRED_GRAPH, derive_query_url, publish
from llmkg.store.load import to_rdflib

SECRET = "s3cret-Pa55"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return tiny_store(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    for name in ("LLMKG_STORE_USER", "LLMKG_STORE_PASSWORD", "LLMKG_STORE_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_publish_to_oxigraph_and_count_back(oxigraph, store):
    asserted, reasoned = triple_counts(store)
    inferred = reasoned - asserted
    result = publish(store, oxigraph.store_url)
    assert [(g.name, g.iri) for g in result.graphs] == [("asserted", ASSERTED_GRAPH), ("inferred", INFERRED_GRAPH)]
    assert [(g.sent, g.stored) for g in result.graphs] == [(asserted, asserted), (inferred, inferred)]
    assert result.query_url == oxigraph.query_url
    assert f"{inferred} triples sent, {inferred} in the store" in result.summary()
    # the store's GSP GET gives each graph back (blank nodes included)
    for iri, graphs in ((ASSERTED_GRAPH, store.asserted_graphs), (INFERRED_GRAPH, [store.inferred_graph])):
        r = http("GET", oxigraph.store_url, params={"graph": iri}, headers={"Accept": "application/n-triples"})
        back = Graph().parse(data=r.body, format="nt")
        assert back.isomorphic(to_rdflib(store.store, graphs))


def test_publish_replaces_the_named_graphs(oxigraph, store, tmp_path):
    from llmkg.store.load import load_store

    publish(store, oxigraph.store_url)
    (tmp_path / "small.nt").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    small = load_store([tmp_path / "small.nt"], ontology=False)  # not reasoned: nothing inferred
    result = publish(small, oxigraph.store_url)
    assert [g.stored for g in result.graphs] == [1, 0]
    assert count_triples(oxigraph.query_url, ASSERTED_GRAPH) == 1


def test_custom_graph_iris_and_query_url(oxigraph, store):
    asserted, reasoned = triple_counts(store)
    result = publish(store, oxigraph.store_url, asserted_graph_iri="urn:test:a",
                     inferred_graph_iri="urn:test:i", query_url=oxigraph.query_url)
    assert count_triples(oxigraph.query_url, "urn:test:i") == reasoned - asserted == result.graphs[1].stored


def test_connection_refused_names_the_url(store):
    url = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(LlmkgError, match="connection refused") as e:
        publish(store, url)
    assert url in str(e.value)


def test_wrong_path_is_404_with_the_fix(oxigraph, store):
    url = oxigraph.base + "/stor"
    with pytest.raises(LlmkgError, match="Update address"):
        publish(store, url)  # cannot derive an update URL: asks for one
    with pytest.raises(LlmkgError, match="query address"):
        publish(store, url, update_url=oxigraph.base + "/update")  # nor a query URL
    with pytest.raises(LlmkgError, match="404") as e:
        publish(store, url, query_url=oxigraph.query_url, update_url=oxigraph.base + "/update")
    assert "http://HOST:7878/store" in str(e.value)


def test_credentials_in_the_url_are_refused(store):
    with pytest.raises(InputError, match="LLMKG_STORE_USER") as e:
        publish(store, f"http://admin:{SECRET}@127.0.0.1:1/store")
    assert SECRET not in str(e.value)


def test_basic_auth_from_the_environment(store, monkeypatch):
    asserted, reasoned = triple_counts(store)
    expected = "Basic " + base64.b64encode(f"admin:{SECRET}".encode()).decode()
    with StubStore(auth=expected) as stub:
        with pytest.raises(LlmkgError, match="401") as e:
            publish(store, stub.store_url)
        assert "LLMKG_STORE_USER" in str(e.value) and "no credentials were sent" in str(e.value)
        monkeypatch.setenv("LLMKG_STORE_USER", "admin")
        monkeypatch.setenv("LLMKG_STORE_PASSWORD", "wrong")
        with pytest.raises(LlmkgError, match="401") as e:
            publish(store, stub.store_url)
        assert "refused" in str(e.value) and "wrong" not in str(e.value)
        monkeypatch.setenv("LLMKG_STORE_PASSWORD", SECRET)
        result = publish(store, stub.store_url)
        assert [g.stored for g in result.graphs] == [asserted, reasoned - asserted]
        assert SECRET not in result.summary()
        assert {m for m, _, auth in stub.requests if auth == expected} == {"PUT", "POST"}


def test_bearer_token_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("LLMKG_STORE_TOKEN", SECRET)
    with StubStore(auth=f"Bearer {SECRET}") as stub:
        result = publish(store, stub.store_url)
        assert all(g.stored == g.sent for g in result.graphs)


def test_count_mismatch_is_an_error(store):
    with StubStore(count_offset=-1) as stub:
        with pytest.raises(LlmkgError, match="counts") as e:
            publish(store, stub.store_url)
        assert stub.store_url in str(e.value)


def test_cli_never_sees_the_password(store, monkeypatch, capsys):
    """The password travels only in the Authorization header, never in a message."""
    monkeypatch.setenv("LLMKG_STORE_USER", "admin")
    monkeypatch.setenv("LLMKG_STORE_PASSWORD", SECRET)
    url = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(LlmkgError) as e:
        publish(store, url)
    assert SECRET not in str(e.value)
    assert SECRET not in capsys.readouterr().err


@pytest.mark.parametrize("store, query", [
    ("http://localhost:7878/store", "http://localhost:7878/query"),
    ("http://localhost:3030/llmkg/data", "http://localhost:3030/llmkg/sparql"),
    ("http://localhost:8890/sparql-graph-crud-auth", "http://localhost:8890/sparql"),
    ("http://localhost:7200/repositories/llmkg/rdf-graphs/service", "http://localhost:7200/repositories/llmkg"),
])
def test_derive_query_url(store, query):
    assert derive_query_url(store) == query


def test_not_http_is_refused(store):
    with pytest.raises(InputError, match="http"):
        publish(store, "ftp://example.org/store")
