"""Helpers for tests that talk to real servers over HTTP on 127.0.0.1:
a real Oxigraph server (PyPI package ``oxigraph``), ``llmkg serve`` in a
thread, a small scripted stand-in store for authentication cases, and a
tiny graph built from the ontology plus inline Turtle.

Import what you need from a test module::

    from conftest_servers import OxigraphServer, serving, tiny_graphs, http
"""
from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TINY_TTL = """
@prefix llmkg: <https://w3id.org/llmkg/ontology#> .
@prefix kg: <https://w3id.org/llmkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

kg:TestLab a llmkg:Organization ; rdfs:label "Test Lab"@en , "测试实验室"@zh ;
    llmkg:develops kg:TestLM , kg:TestVision .
kg:TestLM a llmkg:LargeLanguageModel ; rdfs:label "TestLM"@en , "测试语言模型"@zh ;
    llmkg:releaseDate "2023-03-14"^^xsd:date .
kg:TestVision a llmkg:MultimodalModel ; rdfs:label "Test\\tVision \\"quoted\\""@en ;
    rdfs:comment "line one\\nline two, with a comma" .
kg:TestTuned a llmkg:LargeLanguageModel ; rdfs:label "TestTuned"@en ;
    llmkg:fineTunedFrom kg:TestLM ; rdfs:seeAlso [ rdfs:label "a blank node" ] .
"""


def tiny_store(folder: Path):
    """The ontology plus TINY_TTL, reasoned, in a store in memory."""
    from llmkg.reasoning.closure import reason_store
    from llmkg.store.load import load_store

    path = folder / "tiny.ttl"
    path.write_text(TINY_TTL, encoding="utf-8")
    store = load_store([path])
    reason_store(store)
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_executable() -> str:
    exe = Path(sys.executable).parent / ("oxigraph.exe" if sys.platform == "win32" else "oxigraph")
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]' installs it")
    return found


def wait_until_up(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout} s")
            time.sleep(0.05)


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` for one test module."""

    def __init__(self, location: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.store_url, self.query_url = f"{self.base}/store", f"{self.base}/query"
        self.process = subprocess.Popen(
            [oxigraph_executable(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            wait_until_up(self.query_url + "?query=ASK%7B%7D")
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        if self.process.stderr:
            self.process.stderr.close()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@contextlib.contextmanager
def serving(store, **kwargs):
    """``llmkg serve`` on a free port in a thread; yields the server."""
    from llmkg.web.serve import make_server

    kwargs.setdefault("port", 0)
    server = make_server(store, **kwargs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(5)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0]

    def json(self):
        return json.loads(self.body)


def http(method: str, url: str, *, params: dict | None = None, data: bytes | str | None = None,
         headers: dict | None = None, timeout: float = 30) -> Response:
    """One HTTP request; returns the response whatever its status."""
    if params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
    if isinstance(data, str):
        data = data.encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read())


class StubStore:
    """A scripted Graph Store + query endpoint (stdlib) for cases a real
    Oxigraph cannot show: authentication, and a store that miscounts.

    ``auth`` is the Authorization header value it demands (None: none);
    ``count_offset`` is added to the counts it reports; ``requests`` records
    (method, path, Authorization header) of everything it received.
    """

    def __init__(self, auth: str | None = None, count_offset: int = 0):
        self.auth, self.count_offset = auth, count_offset
        self.graphs: dict[str, int] = {}
        self.requests: list[tuple[str, str, str | None]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _check(self) -> bool:
                got = self.headers.get("Authorization")
                stub.requests.append((self.command, self.path, got))
                if stub.auth and got != stub.auth:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="stub"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return False
                return True

            def do_PUT(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not self._check():
                    return
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
                stub.graphs[graph] = sum(1 for line in body.decode().splitlines() if line.strip())
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not self._check():
                    return
                form = urllib.parse.parse_qs(body.decode())
                if "update" in form:  # the DROP / MOVE statements publish sends, nothing else
                    for statement in form["update"][0].split(";"):
                        iris = re.findall(r"<([^>]*)>", statement)
                        if statement.strip().startswith("DROP"):
                            stub.graphs.pop(iris[0], None)
                        elif statement.strip().startswith("MOVE") and iris[0] in stub.graphs:
                            stub.graphs[iris[1]] = stub.graphs.pop(iris[0])
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                query = form["query"][0]
                graph = query.split("GRAPH <", 1)[1].split(">", 1)[0]
                n = stub.graphs.get(graph, 0) + stub.count_offset
                out = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
                    {"n": {"type": "literal", "value": str(n),
                           "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.store_url = f"http://127.0.0.1:{self.port}/store"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class CountingEndpoint:
    """A SPARQL endpoint (and web server) on 127.0.0.1 that counts every connection made to it:
    what must stay at 0 when nothing may reach out."""

    def __init__(self):
        self.connections = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = b'{"head":{"vars":["s","p","o"]},"results":{"bindings":[]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

        class Server(ThreadingHTTPServer):
            def verify_request(self, request, client_address):
                outer.connections += 1
                return True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def rows_of(result) -> tuple[list[str], list[tuple]]:
    """(variable names, sorted rows of N-Triples terms) of a SELECT result
    (llmkg.querying.formats.QueryResult); blank nodes are all written _:b,
    since their labels differ between stores."""
    import pyoxigraph as ox

    rows = [tuple("_:b" if isinstance(t, ox.BlankNode) else ("" if t is None else str(t)) for t in row)
            for row in result]
    return list(result.variables), sorted(rows)
