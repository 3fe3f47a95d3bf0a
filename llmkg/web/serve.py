"""A read-only SPARQL 1.1 Protocol endpoint over the reasoned graph.

Design (measured, see the report in the pull request):

* It serves the built store (:mod:`llmkg.store.persist`), an on-disk
  Oxigraph store in the layout ``llmkg publish`` gives a remote store: the
  named graphs ``https://w3id.org/llmkg/graph/asserted`` (as written) and
  ``…/inferred`` (what reasoning added), whose merge is the default graph of
  every query. (A store only in memory is first written to a temporary
  folder.)
* Queries run in a small pool of worker processes that open that store
  read-only (:mod:`llmkg.web.workers`: no network, a memory cap, a lane
  for long queries). A query that outlives the time limit is stopped by
  killing its worker (which is then replaced): neither pyoxigraph in-process
  nor the ``oxigraph serve-read-only --timeout-s`` binary can stop an
  aggregate over a cross product (measured: 70 s for a 2 s limit), and a
  Python thread cannot be killed.
* HTTP is the standard library's ThreadingHTTPServer: the protocol surface
  is small (GET, POST form, POST sparql-query), and the policy — read-only,
  no SERVICE, result cap, the HTML page — has to sit in front of any engine.
"""
from __future__ import annotations

import errno
import logging
import re
import shutil
import signal
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from llmkg.background import InThread
from llmkg.errors import InputError
from llmkg.querying.formats import serialize_boolean, serialize_solutions
from llmkg.remote.client import ASSERTED_GRAPH, INFERRED_GRAPH, UPDATE_FORMS
from llmkg.remote.sparql_text import MAX_NESTING, SparqlLexError, tokens
from llmkg.web.accept import media_ranges
from llmkg.web.workers import SERVICE_REFUSED, Pool

__all__ = ["serve", "make_server", "SparqlServer", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RESULTS"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 10.0          # seconds per query
DEFAULT_MAX_RESULTS = 10_000    # rows (SELECT) or triples (CONSTRUCT/DESCRIBE)
DEFAULT_WORKERS = 4             # half may run long queries, half stay free for short ones
DEFAULT_MEMORY_MB = 1024        # address space of one worker process
MAX_REQUEST_BYTES = 1_000_000
LISTEN_BACKLOG = 128            # Python's default of 5 reset connections at 20 clients
SOCKET_TIMEOUT = 30.0           # an idle or trickling connection is closed after this
MAX_CONNECTIONS = 256           # connections handled at once; more are answered 503 at once
PAGES_WAIT = 10.0               # seconds a page waits for the pages' index before a 503 says to retry

log = logging.getLogger("llmkg.serve")

RESULT_MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA = {"text/turtle": "turtle", "application/x-turtle": "turtle",
               "application/n-triples": "nt", "text/plain": "nt"}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "nt": "application/n-triples",
}
FORMAT_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv",
                "turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt"}


# ---------------------------------------------------------------------------
# Content negotiation and result serialisation (run inside the workers)
# ---------------------------------------------------------------------------

def negotiate(accept: str | None, offered: dict[str, str], default: str) -> str:
    """The format key for the best media type in an Accept header (lenient:
    an Accept header that offers nothing we write gets ``default``)."""
    for media in media_ranges(accept):
        if media in offered:
            return offered[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            major = media[:-1]
            for m, key in offered.items():
                if m.startswith(major):
                    return key
    return default


def execute(store, req: dict, prefixes: dict) -> tuple[int, str, bytes]:
    """Run one query on a pyoxigraph store; return (status, content type, body)."""
    import pyoxigraph as ox

    cap = req["max_results"]
    try:
        if req.get("own_dataset") and not req.get("default_graphs") and not req.get("named_graphs"):
            dataset = {}  # the query's FROM / FROM NAMED: Oxigraph honours them when given no other
        else:
            dataset = {"default_graph": [ox.NamedNode(i) for i in (req.get("default_graphs")
                                                                  or [ASSERTED_GRAPH, INFERRED_GRAPH])],
                       "named_graphs": [ox.NamedNode(i) for i in req["named_graphs"]]
                       if req.get("named_graphs") else None}
        result = store.query(req["query"], prefixes=prefixes, **dataset)
        if isinstance(result, ox.QueryBoolean):
            fmt = req.get("format") or negotiate(req.get("accept"), RESULT_MEDIA, "json")
            return 200, CONTENT_TYPES[fmt], serialize_boolean(bool(result), fmt)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) >= cap:
                    return _too_many(cap)
                rows.append([solution[v] for v in variables])
            fmt = req.get("format")
            if fmt not in ("json", "xml", "csv", "tsv"):
                fmt = negotiate(req.get("accept"), RESULT_MEDIA, "json")
            return 200, CONTENT_TYPES[fmt], serialize_solutions(variables, rows, fmt)
        triples = []
        for t in result:
            if len(triples) >= cap:
                return _too_many(cap)
            triples.append(t)
        fmt = req.get("format")
        if fmt not in ("turtle", "nt"):
            fmt = negotiate(req.get("accept"), GRAPH_MEDIA, "turtle")
        rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        kwargs = {"prefixes": prefixes} if fmt == "turtle" else {}
        return 200, CONTENT_TYPES[fmt], ox.serialize(triples, format=rdf_format, **kwargs)
    except SyntaxError as e:
        from llmkg.web.errors import explain_syntax_error

        return 400, "text/plain; charset=utf-8", (explain_syntax_error(req["query"], str(e)) + "\n").encode("utf-8")
    except (OSError, ValueError, TypeError, RuntimeError) as e:  # pyoxigraph's evaluation errors
        return 400, "text/plain; charset=utf-8", f"The query could not be run: {e}\n".encode("utf-8")


def _too_many(cap: int) -> tuple[int, str, bytes]:
    return 422, "text/plain; charset=utf-8", (
        f"The result has more than {cap} rows (this endpoint's max_results); add LIMIT {cap} "
        "(and OFFSET to page through it) or narrow the query.\n").encode("utf-8")


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------

class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG
    app: "SparqlServer"

    def __init__(self, *args, **kwargs):
        self.connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        # a thread per connection, but not without bound: a storm of requests must not grow
        # the main process without limit
        if not self.connections.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 5\r\n"
                                b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()


def valid_iri(iri: str) -> bool:
    """An absolute IRI as the SPARQL protocol's graph parameters need it."""
    return bool(_IRI.fullmatch(iri))


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")


class _Handler(BaseHTTPRequestHandler):
    server_version = "llmkg-sparql"
    server: _HTTPServer
    timeout = SOCKET_TIMEOUT

    def setup(self):
        self.timeout = self.server.app.socket_timeout  # set on the socket: idle or trickling connections end
        super().setup()

    def parse_request(self) -> bool:
        words = str(self.raw_requestline, "iso-8859-1").split()
        if len(words) == 2:
            self.requestline = " ".join(words)
            # HTTP/0.9 has no headers: the standard handler would wait for some until the timeout
            self.request_version, self.command = "HTTP/1.0", words[0]
            self.close_connection = True
            self.send_error(400, "HTTP/0.9 is not supported; send an HTTP/1.0 or HTTP/1.1 request")
            return False
        return super().parse_request()

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (TimeoutError, ConnectionError):  # a client that went quiet or away: nothing to answer
            self.close_connection = True

    def log_message(self, fmt, *args):  # access log through logging, silent by default
        log.info("%s %s", self.address_string(), fmt % args)

    # -- responses ---------------------------------------------------------
    def _send(self, status: int, ctype: str, body: bytes, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), extra)

    def _refuse_update(self) -> None:
        self._error(403, "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP …) "
                         "is refused. Change the data files and restart 'llmkg serve', or publish to a "
                         "triplestore with 'llmkg publish'.")

    # -- methods -----------------------------------------------------------
    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != "/sparql":  # the web pages (llmkg.web.pages): /, /id/NAME, /graph, /static/…
            return self._send(*self.server.app.respond(url.path, self.headers.get("Accept")))
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._refuse_update()
        if "query" not in params:
            if "text/html" in (self.headers.get("Accept") or ""):
                return self._send(*self.server.app.respond("/", "text/html"))
            return self._error(400, "Give a query: GET /sparql?query=… or POST it "
                                    "(form-encoded query=… or Content-Type: application/sparql-query).")
        self._query(params["query"][0], params)

    do_HEAD = do_GET

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._error(404, f"Nothing at {url.path}. The SPARQL endpoint is /sparql.")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return self._error(400, "The Content-Length header is not a number of bytes (0 or more).")
        if length > MAX_REQUEST_BYTES:
            return self._error(413, f"The request body is larger than {MAX_REQUEST_BYTES} bytes.")
        ctype = self.headers.get_content_type()
        if ctype == "application/sparql-update":
            return self._refuse_update()
        body = self.rfile.read(length) if length else b""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._error(400, "The request body is not UTF-8.")
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return self._refuse_update()
            params.update(form)
            if "query" not in params:
                return self._error(400, "The form has no query=… field.")
            query = params["query"][0]
        elif ctype == "application/sparql-query":
            query = text
        else:
            return self._error(415, f"Cannot read a {ctype} body; send the query as "
                                    "application/sparql-query or form-encoded query=….")
        self._query(query, params)

    def _query(self, text: str, params: dict) -> None:
        app = self.server.app
        try:
            read = tokens(text)
        except SparqlLexError as e:
            return self._error(400, f"The SPARQL does not parse: {e}.")
        form = read.form
        if form in UPDATE_FORMS:
            return self._refuse_update()
        if read.service:
            return self._error(403, SERVICE_REFUSED)
        if read.nesting > MAX_NESTING:
            return self._error(400, f"The query nests brackets {read.nesting} deep; this endpoint reads "
                                    f"at most {MAX_NESTING} levels. Flatten the expression.")
        for key in ("default-graph-uri", "named-graph-uri"):
            for iri in params.get(key) or []:
                if not valid_iri(iri):
                    return self._error(400, f"{key}={iri!r} is not an absolute IRI; name a graph as e.g. "
                                            f"{key}={INFERRED_GRAPH}")
        fmt = FORMAT_PARAM.get((params.get("format") or [""])[0].lower())
        req = {
            "query": text,
            "own_dataset": read.dataset,
            "accept": self.headers.get("Accept"),
            "format": fmt,
            "max_results": app.max_results,
            "default_graphs": params.get("default-graph-uri") or None,
            "named_graphs": params.get("named-graph-uri") or None,
        }
        started = time.monotonic()
        status, ctype, body = app.pool.run(req, app.timeout)
        log.info("query %s → %d in %.3f s", form or "?", status, time.monotonic() - started)
        extra = {"Retry-After": "5"} if status == 503 else None
        self._send(status, ctype, body, extra)


# ---------------------------------------------------------------------------
# The server object
# ---------------------------------------------------------------------------

class SparqlServer:
    """A running endpoint: ``.serve_forever()``, ``.shutdown()``, ``.close()``,
    ``.port``, ``.host``, ``.url`` (the /sparql address)."""

    def __init__(self, loaded, host: str, port: int, *, timeout: float,
                 max_results: int, workers: int, catalogue=None, memory_mb: int = DEFAULT_MEMORY_MB,
                 isolate: bool = True, socket_timeout: float = SOCKET_TIMEOUT, long_after: float = 1.0,
                 cache_mb: int = 64):
        if timeout <= 0:
            raise InputError("the time limit must be a positive number of seconds")
        if max_results < 1:
            raise InputError("max_results must be at least 1")
        if workers < 1:
            raise InputError("workers must be at least 1")
        if memory_mb and memory_mb < 512:  # a worker reserves about 300 MiB of address space idle
            raise InputError("the memory cap of a worker must be at least 512 MiB (0: no cap)")
        self.timeout, self.max_results = float(timeout), int(max_results)
        self.socket_timeout = float(socket_timeout)
        try:
            self.httpd = _HTTPServer((host, port), _Handler, bind_and_activate=True)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise InputError(f"port {port} on {host} is already in use; choose another with --port") from None
            raise InputError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
        self.httpd.app = self
        self._dir = None  # a temporary store of ours, for a graph that is only in memory
        self.pool = None
        try:
            store_dir = _on_disk(loaded)
            if store_dir is None:
                self._dir = tempfile.mkdtemp(prefix="llmkg-serve-")
                store_dir = _fill_store(self._dir, loaded)
            self.pool = Pool(store_dir, workers, isolate=isolate, memory_mb=memory_mb, long_after=long_after,
                             cache_mb=cache_mb)
            if not self.pool.isolated:
                log.warning("the query workers could not be cut off from the network here; each query's "
                            "parse tree is checked for SERVICE instead")
        except BaseException:
            self.close()
            raise
        # The pages' index reads the whole store (about 35 s at 100,000 models on disk, more than
        # five minutes at 1,000,000); the endpoint does not need it, so it is made beside the first
        # queries, and a page waits for it a while, then says when to come back.
        self._pages_started = time.monotonic()
        self._pages = InThread(lambda: _pages(loaded, catalogue), "llmkg-pages")

    @property
    def pages(self):
        """The web pages (llmkg.web.pages.Pages), once their index is made."""
        return self._pages.join()

    def respond(self, path: str, accept: str | None) -> tuple[int, str, bytes, dict]:
        """A web page's answer (llmkg.web.pages renders it; the same pages as ``llmkg site``)."""
        if not self._pages.wait(PAGES_WAIT):
            so_far = time.monotonic() - self._pages_started
            return 503, "text/plain; charset=utf-8", (
                f"The web pages are not ready yet: their index of this store is still being made "
                f"({so_far:.0f} s so far; about 35 s at 100,000 models). The SPARQL endpoint at /sparql "
                f"answers now. Retry this page later.\n"
                f"网页尚未就绪：仍在为此存储建立索引（已用 {so_far:.0f} 秒）。/sparql 端点现在即可查询，请稍后重试此页面。\n"
            ).encode("utf-8"), {"Retry-After": "30"}
        try:
            return self.pages.respond(path, accept, lambda pages, links: pages.query_page(
                links, endpoint="sparql", timeout=self.timeout, max_results=self.max_results))
        except Exception as e:  # a bug: say so, keep serving
            log.exception("page %s", path)
            return 500, "text/plain; charset=utf-8", f"Internal error: {type(e).__name__}: {e}\n".encode(), {}

    @property
    def host(self) -> str:
        return self.httpd.server_address[0]

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/sparql"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.httpd.serve_forever(poll_interval)

    def shutdown(self) -> None:
        """Stop serve_forever (from another thread) and release everything."""
        self.httpd.shutdown()
        self.close()

    def close(self) -> None:
        self.httpd.server_close()
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _pages(loaded, catalogue):
    from llmkg.web.pages import Pages

    return Pages(loaded, catalogue)


def _on_disk(loaded) -> str | None:
    """The folder of a built store's database, or None for a store only in memory."""
    path = getattr(loaded, "path", None)
    return str(path / "db") if path is not None and (path / "db").is_dir() else None


def _fill_store(directory: str, loaded) -> str:
    """Write an in-memory store's graphs into an on-disk store in ``directory``, laid out as a built store."""
    import io

    import pyoxigraph as ox

    store = ox.Store(directory)
    for graphs, iri in ((loaded.asserted_graphs, ASSERTED_GRAPH), ([loaded.inferred_graph], INFERRED_GRAPH)):
        for graph in graphs:
            buf = io.BytesIO()
            loaded.store.dump(buf, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            if buf.tell():
                store.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    store.flush()
    del store  # closes the store, so the workers can open it read-only
    return directory


def make_server(loaded, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                timeout: float = DEFAULT_TIMEOUT, max_results: int = DEFAULT_MAX_RESULTS,
                workers: int = DEFAULT_WORKERS, catalogue=None, memory_mb: int = DEFAULT_MEMORY_MB,
                isolate: bool = True, socket_timeout: float = SOCKET_TIMEOUT,
                long_after: float = 1.0, cache_mb: int = 64) -> SparqlServer:
    """Build (but do not start) the endpoint for ``loaded`` (a
    :class:`llmkg.store.load.GraphStore`: the built store, or one in memory).

    ``port=0`` picks a free port (see ``.port``). ``catalogue`` is the list
    of example queries for the HTML page (default: the shipped catalogue).
    Call ``.serve_forever()``, and ``.shutdown()`` from another thread to stop.
    ``memory_mb`` caps each worker's address space (0: no cap); ``isolate=False``
    leaves the workers on the network (SERVICE is then refused by parsing each query).
    ``socket_timeout`` ends a connection idle that long; a query still running after
    ``long_after`` seconds of CPU takes one of the ``workers // 2`` slots for long queries.
    Up to ``cache_mb`` MiB of answers are kept for repeated requests (0: none).
    """
    return SparqlServer(loaded, host, port, timeout=timeout, max_results=max_results, workers=workers,
                        catalogue=catalogue, memory_mb=memory_mb, isolate=isolate,
                        socket_timeout=socket_timeout, long_after=long_after, cache_mb=cache_mb)


def serve(loaded, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          timeout: float = DEFAULT_TIMEOUT, max_results: int = DEFAULT_MAX_RESULTS,
          workers: int = DEFAULT_WORKERS, catalogue=None, ready=None,
          memory_mb: int = DEFAULT_MEMORY_MB, cache_mb: int = 64) -> None:
    """Serve ``loaded`` at ``http://host:port/sparql`` until interrupted (Ctrl-C).

    Bound to 127.0.0.1 unless ``host`` says otherwise. Each query may run
    ``timeout`` seconds and return ``max_results`` rows or triples.
    ``ready(server)`` is called once the endpoint listens (e.g. to print its URL).
    """
    server = make_server(loaded, host, port, timeout=timeout, max_results=max_results, workers=workers,
                         catalogue=catalogue, memory_mb=memory_mb, cache_mb=cache_mb)

    def terminate(signum, frame):  # SIGTERM ends like Ctrl-C: the temporary store is removed too
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, terminate)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
