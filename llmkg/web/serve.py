"""A read-only SPARQL 1.1 Protocol endpoint over the reasoned graph.

Design (measured, see the report in the pull request):

* It serves the built store (:mod:`llmkg.store.persist`), an on-disk
  Oxigraph store in the layout ``llmkg publish`` gives a remote store: the
  named graphs ``https://w3id.org/llmkg/graph/asserted`` (as written) and
  ``…/inferred`` (what reasoning added), whose merge is the default graph of
  every query. (A store only in memory is first written to a temporary
  folder.)
* Queries run in a small pool of worker processes that open that store
  read-only. A query that outlives the time limit is stopped by killing
  its worker (which is then replaced): neither pyoxigraph in-process nor
  the ``oxigraph serve-read-only --timeout-s`` binary can stop an aggregate
  over a cross product (measured: 70 s for a 2 s limit), and a Python
  thread cannot be killed.
* HTTP is the standard library's ThreadingHTTPServer: the protocol surface
  is small (GET, POST form, POST sparql-query), and the policy — read-only,
  no SERVICE, result cap, the HTML page — has to sit in front of any engine.
"""
from __future__ import annotations

import errno
import logging
import os
import pickle
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from llmkg.errors import InputError, LlmkgError
from llmkg.querying.formats import serialize_boolean, serialize_solutions
from llmkg.remote.client import ASSERTED_GRAPH, INFERRED_GRAPH, UPDATE_FORMS, query_form, uses_service

__all__ = ["serve", "make_server", "SparqlServer", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RESULTS"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 10.0          # seconds per query
DEFAULT_MAX_RESULTS = 10_000    # rows (SELECT) or triples (CONSTRUCT/DESCRIBE)
DEFAULT_WORKERS = 2
MAX_REQUEST_BYTES = 1_000_000

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
    ranges = []
    for i, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, i, media))
    for _, _, media in sorted(ranges):
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

    default = [ox.NamedNode(i) for i in (req.get("default_graphs") or [ASSERTED_GRAPH, INFERRED_GRAPH])]
    named = [ox.NamedNode(i) for i in req["named_graphs"]] if req.get("named_graphs") else None
    cap = req["max_results"]
    try:
        result = store.query(req["query"], prefixes=prefixes, default_graph=default, named_graphs=named)
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
    except (OSError, ValueError, TypeError) as e:
        return 400, "text/plain; charset=utf-8", f"The query could not be run: {e}\n".encode("utf-8")


def _too_many(cap: int) -> tuple[int, str, bytes]:
    return 422, "text/plain; charset=utf-8", (
        f"The result has more than {cap} rows (this endpoint's max_results); add LIMIT {cap} "
        "(and OFFSET to page through it) or narrow the query.\n").encode("utf-8")


def _read_frame(stream):
    head = stream.read(8)
    if len(head) < 8:
        return _EOF
    size = int.from_bytes(head, "big")
    data = stream.read(size)
    if len(data) < size:
        return _EOF
    return pickle.loads(data)


def _write_frame(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


_EOF = object()
_WORKER_CODE = "from llmkg.web.serve import _worker_main; _worker_main()"


def _worker_main() -> None:
    """A query worker: ``python -c _WORKER_CODE STORE_DIR``; frames on stdin/stdout."""
    import pyoxigraph as ox

    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the frame stream
    try:
        from llmkg.vocab import PREFIXES

        store = ox.Store.read_only(sys.argv[1])
        prefixes = PREFIXES
    except Exception as e:
        _write_frame(out, ("error", str(e)))
        return
    _write_frame(out, ("ready", None))
    while True:
        try:
            req = _read_frame(inp)
        except (OSError, KeyboardInterrupt):
            return
        if req is _EOF or req is None:
            return
        try:
            resp = execute(store, req, prefixes)
        except Exception as e:  # pragma: no cover - a bug: answer 500, keep serving
            resp = (500, "text/plain; charset=utf-8", f"Internal error: {type(e).__name__}: {e}\n".encode())
        try:
            _write_frame(out, resp)
        except OSError:
            return


# ---------------------------------------------------------------------------
# Worker pool: a query that runs past the limit is stopped by killing its worker
# ---------------------------------------------------------------------------

class _Worker:
    """One worker process; a reader thread turns its answers into a queue, so
    waiting for an answer can time out on every platform."""

    def __init__(self, store_dir: str):
        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER_CODE, store_dir],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True, name="llmkg-sparql-worker-reader").start()

    def wait_ready(self) -> "_Worker":
        try:
            kind, detail = self.answers.get(timeout=60)
        except queue.Empty:
            self.kill()
            raise LlmkgError("the SPARQL query worker did not start within 60 s") from None
        except TypeError:  # None: the worker exited
            self.kill()
            raise LlmkgError("the SPARQL query worker exited while starting; see the messages above") from None
        if kind != "ready":
            self.kill()
            raise LlmkgError(f"the SPARQL query worker could not open the store: {detail}")
        return self

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            try:
                frame = _read_frame(stream)
            except Exception:
                frame = _EOF
            if frame is _EOF:
                self.answers.put(None)
                return
            self.answers.put(frame)

    def ask(self, req: dict, timeout: float):
        """The worker's answer, or None if it did not answer within ``timeout``."""
        _write_frame(self.process.stdin, req)
        try:
            answer = self.answers.get(timeout=timeout)
        except queue.Empty:
            return None
        if answer is None:
            raise EOFError("the worker exited")
        return answer

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def stop(self) -> None:
        try:
            _write_frame(self.process.stdin, None)
            self.process.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()


class _Pool:
    def __init__(self, store_dir: str, size: int):
        self._store_dir = store_dir
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._lock = threading.Lock()
        self._closed = False
        starting = [_Worker(store_dir) for _ in range(size)]  # start in parallel
        for worker in starting:
            with self._lock:
                self._all.add(worker)
        try:
            for worker in starting:
                self._idle.put(worker.wait_ready())
        except BaseException:
            self.close()
            raise

    def _add(self) -> None:
        worker = _Worker(self._store_dir).wait_ready()
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return

        def respawn():
            try:
                self._add()
            except LlmkgError as e:  # pragma: no cover
                log.error("%s", e)

        threading.Thread(target=respawn, daemon=True).start()

    def run(self, req: dict, timeout: float) -> tuple[int, str, bytes]:
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return 503, "text/plain; charset=utf-8", (
                f"The endpoint is busy: every query worker stayed occupied for {timeout:g} s; "
                "try again shortly.\n").encode("utf-8")
        healthy = False
        try:
            resp = worker.ask(req, timeout)
            if resp is not None:
                healthy = True
                return resp
            return 503, "text/plain; charset=utf-8", (
                f"The query ran longer than the time limit of {timeout:g} s and was stopped; "
                "add LIMIT, narrow the patterns, or avoid unbounded property paths and cross products.\n"
            ).encode("utf-8")
        except (EOFError, OSError, ValueError):
            return 500, "text/plain; charset=utf-8", b"The query worker stopped unexpectedly.\n"
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------

class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    app: "SparqlServer"


class _Handler(BaseHTTPRequestHandler):
    server_version = "llmkg-sparql"
    server: _HTTPServer

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
            return self._error(400, "The Content-Length header is not a number.")
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
        form = query_form(text)
        if form in UPDATE_FORMS:
            return self._refuse_update()
        if uses_service(text):
            return self._error(403, "SERVICE (a federated query to another endpoint) is refused: this "
                                    "endpoint does not contact other hosts. Run that part of the query "
                                    "at the other endpoint.")
        fmt = FORMAT_PARAM.get((params.get("format") or [""])[0].lower())
        req = {
            "query": text,
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
                 max_results: int, workers: int, catalogue=None):
        if timeout <= 0:
            raise InputError("the time limit must be a positive number of seconds")
        if max_results < 1:
            raise InputError("max_results must be at least 1")
        if workers < 1:
            raise InputError("workers must be at least 1")
        self.timeout, self.max_results = float(timeout), int(max_results)
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
            from llmkg.querying.stats import triple_counts

            self.triples = triple_counts(loaded)[1]
            from llmkg.web.pages import Pages

            self.pages = Pages(loaded, catalogue)
            self.pool = _Pool(store_dir, workers)
        except BaseException:
            self.close()
            raise

    def respond(self, path: str, accept: str | None) -> tuple[int, str, bytes, dict]:
        """A web page's answer (llmkg.web.pages renders it; the same pages as ``llmkg site``)."""
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
                workers: int = DEFAULT_WORKERS, catalogue=None) -> SparqlServer:
    """Build (but do not start) the endpoint for ``loaded`` (a
    :class:`llmkg.store.load.GraphStore`: the built store, or one in memory).

    ``port=0`` picks a free port (see ``.port``). ``catalogue`` is the list
    of example queries for the HTML page (default: the shipped catalogue).
    Call ``.serve_forever()``, and ``.shutdown()`` from another thread to stop.
    """
    return SparqlServer(loaded, host, port, timeout=timeout, max_results=max_results, workers=workers,
                        catalogue=catalogue)


def serve(loaded, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          timeout: float = DEFAULT_TIMEOUT, max_results: int = DEFAULT_MAX_RESULTS,
          workers: int = DEFAULT_WORKERS, catalogue=None, ready=None) -> None:
    """Serve ``loaded`` at ``http://host:port/sparql`` until interrupted (Ctrl-C).

    Bound to 127.0.0.1 unless ``host`` says otherwise. Each query may run
    ``timeout`` seconds and return ``max_results`` rows or triples.
    ``ready(server)`` is called once the endpoint listens (e.g. to print its URL).
    """
    server = make_server(loaded, host, port, timeout=timeout, max_results=max_results, workers=workers,
                         catalogue=catalogue)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
