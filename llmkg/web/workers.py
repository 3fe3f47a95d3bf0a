"""The query workers behind ``llmkg serve``: processes that open the store
read-only and run one query at a time, and the pool that hands them out.

Why processes: a query that outlives its time limit is stopped by killing its
worker (pyoxigraph cannot interrupt an aggregate over a cross product, and a
Python thread cannot be killed), and whatever a query does to its worker — a
crash, running out of memory — costs only that query.

Each worker, before it opens the store:

* enters a network namespace of its own where the kernel allows it (Linux,
  unprivileged user namespaces): it has no network at all, so the engine
  cannot reach any host whatever a query says (SERVICE). Where it cannot,
  each query's parse tree (rdflib's SPARQL parser) is checked for SERVICE
  instead, at about 0.1 s a query.
* caps its address space (RLIMIT_AS): a query that needs more memory fails
  in its own worker instead of swapping the machine.

Admission control, so that slow queries cannot starve fast ones: a query
that has used ``long_after`` seconds of CPU is *long*; at most ``long_slots``
long queries run at once (the other workers stay free for short queries) and
a long query runs at a lower CPU priority. A query that turns long while those
slots are taken is stopped and answered 503 at once, and its text is
remembered: sent again, it waits for a long slot before it takes any worker.
Short queries — the whole catalogue takes milliseconds each — never wait
behind long ones.

The store is read-only while it is served, so an answer depends on the
request alone: successful answers are kept (up to ``cache_mb`` in all, least
recently used out first) and a repeated request is answered without a worker.
"""
from __future__ import annotations

import logging
import os
import pickle
import queue
import subprocess
import sys
import hashlib
import threading
import time
from collections import OrderedDict
from pathlib import Path

from llmkg.errors import LlmkgError

__all__ = ["Pool", "worker_main", "isolate_network", "calls_out"]

log = logging.getLogger("llmkg.serve")

TEXT = "text/plain; charset=utf-8"
_EOF = object()
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_WORKER_CODE = "from llmkg.web.workers import worker_main; worker_main()"


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


# ---------------------------------------------------------------------------
# Inside a worker
# ---------------------------------------------------------------------------

def isolate_network() -> bool:
    """Move this (single-threaded) process into new, empty user and network
    namespaces: afterwards no socket can reach any host, not even this one's
    loopback. True if the kernel allowed it."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(clone_newuser | clone_newnet) == 0
    except (OSError, AttributeError):
        return False


def calls_out(text: str) -> bool:
    """Whether rdflib's SPARQL parser finds a SERVICE clause in the query's parse
    tree (anywhere: subqueries, EXISTS, OPTIONAL …). A query rdflib cannot parse
    counts as calling out if "service" appears anywhere in it, escapes undone."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    from llmkg.remote.sparql_text import unescape

    try:
        tree = parseQuery(text)
    except Exception:
        return "service" in unescape(text).lower()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            stack.extend(node.values())
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return False


def worker_main() -> None:
    """A query worker: ``python -c _WORKER_CODE STORE_DIR ISOLATE MEMORY_MB``; frames on stdin/stdout."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the frame stream
    isolated = sys.argv[2] == "1" and isolate_network()  # first: unshare needs a single thread
    memory_mb = int(sys.argv[3])
    if memory_mb > 0:
        import resource

        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        import pyoxigraph as ox

        from llmkg.vocab import PREFIXES
        from llmkg.web.serve import execute

        store = ox.Store.read_only(sys.argv[1])
    except Exception as e:
        _write_frame(out, ("error", str(e)))
        return
    _write_frame(out, ("ready", {"isolated": isolated}))
    checked: dict[str, bool] = {}
    while True:
        try:
            req = _read_frame(inp)
        except (OSError, KeyboardInterrupt):
            return
        if req is _EOF or req is None:
            return
        try:
            if not isolated:
                text = req["query"]
                if text not in checked:
                    if len(checked) > 1000:
                        checked.clear()
                    checked[text] = calls_out(text)
                if checked[text]:
                    resp = (403, TEXT, SERVICE_REFUSED.encode("utf-8"))
                    _write_frame(out, resp)
                    continue
            resp = execute(store, req, PREFIXES)
        except MemoryError:
            resp = (422, TEXT, b"The query needed more memory than this endpoint allows a query; "
                               b"narrow it or add LIMIT.\n")
        except Exception as e:  # pragma: no cover - a bug: answer 500, keep serving
            resp = (500, TEXT, f"Internal error: {type(e).__name__}: {e}\n".encode())
        try:
            _write_frame(out, resp)
        except OSError:
            return


SERVICE_REFUSED = ("SERVICE (a federated query to another endpoint) is refused: this endpoint does not "
                   "contact other hosts. Run that part of the query at the other endpoint.")


# ---------------------------------------------------------------------------
# In the server
# ---------------------------------------------------------------------------

class _Worker:
    """One worker process; a reader thread turns its answers into a queue, so
    waiting for an answer can time out on every platform."""

    def __init__(self, store_dir: str, isolate: bool, memory_mb: int):
        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parent.parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
        env.setdefault("MALLOC_ARENA_MAX", "2")  # fewer 64 MiB arenas reserved: the memory cap is for queries
        env["RUST_BACKTRACE"] = "0"  # a query that runs out of memory gets one line on stderr, not a backtrace
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE, store_dir, "1" if isolate else "0", str(memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.answers: queue.Queue = queue.Queue()
        self.isolated = False
        self.niced = False
        threading.Thread(target=self._read, daemon=True, name="llmkg-sparql-worker-reader").start()

    def wait_ready(self) -> "_Worker":
        try:
            frame = self.answers.get(timeout=60)
        except queue.Empty:
            self.kill()
            raise LlmkgError("the SPARQL query worker did not start within 60 s") from None
        if frame is None:
            self.kill()
            raise LlmkgError("the SPARQL query worker exited while starting; see the messages above")
        kind, detail = frame
        if kind != "ready":
            self.kill()
            raise LlmkgError(f"the SPARQL query worker could not open the store: {detail}")
        self.isolated = bool(detail.get("isolated"))
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

    def send(self, req: dict) -> None:
        _write_frame(self.process.stdin, req)

    def answer(self, timeout: float):
        """The worker's answer, or None if it did not answer within ``timeout``."""
        try:
            answer = self.answers.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None
        if answer is None:
            raise EOFError("the worker exited")
        return answer

    def cpu_seconds(self) -> float | None:
        """CPU time the worker has used (Linux /proc), or None where that cannot be read."""
        try:
            with open(f"/proc/{self.process.pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            return None

    def lower_priority(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 10)
            self.niced = True
        except (OSError, AttributeError):
            pass

    def restore_priority(self) -> bool:
        """Back to normal priority after a long query; False where that needs a privilege we lack."""
        if not self.niced:
            return True
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 0)
            self.niced = False
            return True
        except (OSError, AttributeError):
            return False

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


class Pool:
    """``size`` workers; ``run(req, timeout)`` answers (status, content type, body)."""

    def __init__(self, store_dir: str, size: int, *, isolate: bool = True, memory_mb: int = 0,
                 long_after: float = 1.0, long_slots: int | None = None, cache_mb: int = 64):
        self._store_dir, self._isolate, self._memory_mb = store_dir, isolate, memory_mb
        self.long_after = long_after
        self.long_slots = max(1, size // 2) if long_slots is None else long_slots
        self._long = threading.BoundedSemaphore(self.long_slots)
        self._known_long: OrderedDict = OrderedDict()  # digests of query texts that ran long
        self._cache: OrderedDict = OrderedDict()  # request digest -> answer
        self._cache_bytes, self._cache_limit = 0, cache_mb * 1024 * 1024
        self.cache_hits = 0
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._lock = threading.Lock()
        self._closed = False
        # one spare beyond ``size``, started and waiting: a stopped worker is replaced at once,
        # not after the second or more a new process takes to start on a busy machine
        starting = [_Worker(store_dir, isolate, memory_mb) for _ in range(size + 1)]  # start in parallel
        self._spares: queue.Queue = queue.Queue()
        for worker in starting:
            with self._lock:
                self._all.add(worker)
        try:
            for worker in starting[:size]:
                self._idle.put(worker.wait_ready())
            self._spares.put(starting[size].wait_ready())
        except BaseException:
            self.close()
            raise
        self.isolated = all(w.isolated for w in starting)

    @property
    def workers(self) -> list:
        """The worker processes (subprocess.Popen), for tests and monitoring."""
        with self._lock:
            return [w.process for w in self._all]

    def _add(self) -> None:
        worker = _Worker(self._store_dir, self._isolate, self._memory_mb)
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        try:
            worker.wait_ready()
        except LlmkgError:
            with self._lock:
                self._all.discard(worker)
            raise
        self._spares.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
        try:
            self._idle.put(self._spares.get_nowait())
        except queue.Empty:  # the spare is still starting: the next to be ready is handed over
            threading.Thread(target=lambda: self._idle.put(self._spares.get()), daemon=True).start()

        def respawn():
            try:
                self._add()
            except LlmkgError as e:  # pragma: no cover
                log.error("%s", e)

        threading.Thread(target=respawn, daemon=True).start()

    def _remember_long(self, digest: bytes) -> None:
        with self._lock:
            self._known_long[digest] = True
            self._known_long.move_to_end(digest)
            while len(self._known_long) > 10_000:
                self._known_long.popitem(last=False)

    def _cached(self, digest: bytes):
        with self._lock:
            answer = self._cache.get(digest)
            if answer is not None:
                self._cache.move_to_end(digest)
                self.cache_hits += 1
            return answer

    def _keep(self, digest: bytes, answer: tuple) -> None:
        size = len(answer[2]) + 200
        if answer[0] != 200 or size > self._cache_limit // 16:
            return
        with self._lock:
            if digest in self._cache:
                return
            self._cache[digest] = answer
            self._cache_bytes += size
            while self._cache_bytes > self._cache_limit:
                _, old = self._cache.popitem(last=False)
                self._cache_bytes -= len(old[2]) + 200

    def run(self, req: dict, timeout: float) -> tuple[int, str, bytes]:
        started = time.monotonic()
        digest = hashlib.blake2b(repr(sorted(req.items())).encode("utf-8"), digest_size=16).digest()
        answer = self._cached(digest)
        if answer is not None:
            return answer
        answer = self._run(req, digest, started, timeout)
        if self._cache_limit:
            self._keep(digest, answer)
        return answer

    def _run(self, req: dict, digest: bytes, started: float, timeout: float) -> tuple[int, str, bytes]:
        long = False
        if digest in self._known_long:  # it ran long before: it goes through the long lane only
            if not self._long.acquire(timeout=timeout):
                return 503, TEXT, (
                    f"This query ran long before, and the endpoint's {self.long_slots} "
                    f"slot{'' if self.long_slots == 1 else 's'} for long queries stayed busy for {timeout:g} s; "
                    "try again shortly, add LIMIT or narrow the patterns.\n").encode("utf-8")
            long = True
        try:
            worker = self._idle.get(timeout=max(timeout - (time.monotonic() - started), 0.001))
        except queue.Empty:
            if long:
                self._long.release()
            return 503, TEXT, (f"The endpoint is busy: every query worker stayed occupied for {timeout:g} s; "
                               "try again shortly.\n").encode("utf-8")
        keep = False
        try:
            worker.send(req)
            sent = time.monotonic()
            if long:
                worker.lower_priority()
                resp = worker.answer(timeout)
            else:
                resp, turned_long = self._wait_short(worker, sent, timeout)
                if turned_long:
                    self._remember_long(digest)
                    if not self._long.acquire(blocking=False):
                        return 503, TEXT, (
                            f"The endpoint is already running {self.long_slots} long "
                            f"{'query' if self.long_slots == 1 else 'queries'}, and this one used more than "
                            f"{self.long_after:g} s of CPU, so it was stopped to keep the endpoint free for short "
                            "queries; try again shortly, add LIMIT or narrow the patterns.\n").encode("utf-8")
                    long = True
                    worker.lower_priority()  # short queries keep the CPU
                    resp = worker.answer(timeout - (time.monotonic() - sent))
            if resp is None:
                self._remember_long(digest)
                return 503, TEXT, (
                    f"The query ran longer than the time limit of {timeout:g} s and was stopped; "
                    "add LIMIT, narrow the patterns, or avoid unbounded property paths and cross products.\n"
                ).encode("utf-8")
            keep = worker.restore_priority()  # else retired: it would stay slow for short queries
            return resp
        except (EOFError, OSError, ValueError):
            self._remember_long(digest)  # sent again, it may cost a worker again: the long lane only
            return 422, TEXT, (
                "The query stopped its worker process: it needed more memory than this endpoint allows a "
                "query, or the query engine failed on it. Only this query was affected; narrow it or add "
                "LIMIT.\n").encode("utf-8")
        finally:
            if long:
                self._long.release()
            if keep:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def _wait_short(self, worker: "_Worker", sent: float, timeout: float):
        """(answer or None, whether the query turned long). Long means more than ``long_after``
        seconds of the worker's CPU time, not of the clock: on a busy machine a short query can
        wait for the CPU, and must not be taken for a long one."""
        cpu0 = worker.cpu_seconds()
        while True:
            waited = time.monotonic() - sent
            if waited >= timeout:
                return None, False
            resp = worker.answer(min(0.05, timeout - waited))
            if resp is not None:
                return resp, False
            cpu = worker.cpu_seconds()
            used = (cpu - cpu0) if cpu is not None and cpu0 is not None else time.monotonic() - sent
            if used > self.long_after:
                return None, True

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()
