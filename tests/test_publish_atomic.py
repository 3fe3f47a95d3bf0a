"""`publish` leaves the store with both old graphs or both new ones (issue 13):
a proxy in front of a real Oxigraph server fails each request of a publish in
turn — answering 500, dropping the connection before forwarding, or after the
store has acted on it — and the store always holds a consistent pair, which
the message names. A server that echoes request headers never gets a
credential into a message."""
from __future__ import annotations

import base64
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from conftest_servers import TINY_TTL, oxigraph  # noqa: F401 (fixture)
from llmkg.errors import LlmkgError
from llmkg.remote.client import count_triples
from llmkg.remote.publish import ASSERTED_GRAPH, INFERRED_GRAPH, publish

SECRET = "pa55-w0rd-Xy"
STEPS = 7  # PUT, PUT, COUNT, COUNT (the temporary graphs), the one UPDATE, COUNT, COUNT
NEW_TTL = TINY_TTL + """
kg:NewLM a llmkg:LargeLanguageModel ; rdfs:label "NewLM"@en ; llmkg:fineTunedFrom kg:TestLM .
"""


class FaultyProxy:
    """Forwards to ``target``; request number ``fail_at`` (from 1) fails as ``mode`` says."""

    def __init__(self, target: str):
        self.fail_at, self.mode, self.seen = 0, "status", 0
        host, port = urlsplit(target).hostname, urlsplit(target).port
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.seen += 1
                failing = proxy.seen == proxy.fail_at
                if failing and proxy.mode == "status":  # a store that echoes the request in its error
                    echo = f"{self.command} {self.path}\n{self.headers}".encode()
                    self.send_response(500)
                    self.send_header("Content-Length", str(len(echo)))
                    self.end_headers()
                    self.wfile.write(echo)
                    return
                if failing and proxy.mode == "drop-before":
                    self.close_connection = True
                    return
                conn = http.client.HTTPConnection(host, port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                conn.close()
                if failing:  # drop-after: the store acted, the client never hears
                    self.close_connection = True
                    return
                self.send_response(resp.status)
                self.send_header("Content-Type", resp.getheader("Content-Type") or "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def graph_store(folder, name, text):
    from llmkg.reasoning.closure import reason_store
    from llmkg.store.load import load_store

    path = folder / f"{name}.ttl"
    path.write_text(text, encoding="utf-8")
    store = load_store([path])
    reason_store(store)
    return store


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pair")
    return graph_store(folder, "old", TINY_TTL), graph_store(folder, "new", NEW_TTL)


@pytest.fixture
def proxy(oxigraph):
    p = FaultyProxy(oxigraph.base)
    yield p
    p.close()


def pair(oxigraph) -> tuple[int, int]:
    return (count_triples(oxigraph.query_url, ASSERTED_GRAPH), count_triples(oxigraph.query_url, INFERRED_GRAPH))


def leftovers(oxigraph) -> int:
    from llmkg.remote.client import query_endpoint

    q = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
         "FILTER(CONTAINS(STR(?g), '/graph/publishing/')) }")
    return len(list(query_endpoint(oxigraph.query_url, q, default_graphs=[])))


@pytest.mark.parametrize("mode", ["status", "drop-before", "drop-after"])
def test_a_failure_at_any_step_leaves_a_consistent_pair(oxigraph, proxy, stores, mode):
    old_store, new_store = stores
    publish(old_store, oxigraph.store_url)
    old = pair(oxigraph)
    publish(new_store, oxigraph.store_url)
    new = pair(oxigraph)
    assert old[0] != new[0] and old[1] != new[1]  # a mix would show
    for step in range(1, STEPS + 1):
        publish(old_store, oxigraph.store_url)
        proxy.seen, proxy.fail_at, proxy.mode = 0, step, mode
        with pytest.raises(LlmkgError) as e:
            publish(new_store, proxy.base + "/store")
        now = pair(oxigraph)
        assert now in (old, new), (mode, step, now)
        said = str(e.value)
        if now == old:
            assert "still holds its previous graphs" in said and "both, unchanged" in said, (mode, step, said)
        else:
            assert "holds the new graphs" in said, (mode, step, said)
        assert leftovers(oxigraph) == 0, (mode, step)
    proxy.seen, proxy.fail_at = 0, 0
    publish(new_store, proxy.base + "/store")  # and without a failure: the new pair, verified
    assert pair(oxigraph) == new
    assert proxy.seen == STEPS


def test_no_credential_in_a_message_whatever_the_server_echoes(oxigraph, proxy, stores, monkeypatch, capsys):
    monkeypatch.delenv("LLMKG_STORE_TOKEN", raising=False)
    monkeypatch.setenv("LLMKG_STORE_USER", "admin")
    monkeypatch.setenv("LLMKG_STORE_PASSWORD", SECRET)
    basic = base64.b64encode(f"admin:{SECRET}".encode()).decode()
    for step in (1, 5):  # an upload, and the update that moves the graphs
        proxy.seen, proxy.fail_at, proxy.mode = 0, step, "status"
        with pytest.raises(LlmkgError) as e:
            publish(stores[0], proxy.base + "/store")
        said = str(e.value)
        assert "HTTP 500" in said and "Authorization" in said  # the echo is shown …
        assert SECRET not in said and basic not in said and basic.rstrip("=") not in said  # … without the secret
    monkeypatch.delenv("LLMKG_STORE_USER")
    monkeypatch.delenv("LLMKG_STORE_PASSWORD")
    monkeypatch.setenv("LLMKG_STORE_TOKEN", SECRET)
    proxy.seen, proxy.fail_at = 0, 1
    with pytest.raises(LlmkgError) as e:
        publish(stores[0], proxy.base + "/store")
    assert "Authorization" in str(e.value) and SECRET not in str(e.value)
