"""Shared test helpers: run the CLI in-process and capture what a user sees."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from llmkg.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"Run(code={self.code}, out={self.out[:300]!r}, err={self.err[:300]!r})"


@pytest.fixture(autouse=True, scope="session")
def _stores_outside_the_checkout(tmp_path_factory):
    """Reading commands keep their built stores in one folder per test session, not in build/."""
    import os

    os.environ["LLMKG_BUILD_DIR"] = str(tmp_path_factory.mktemp("stores"))


@pytest.fixture
def cli(capsys, monkeypatch):
    """Call ``llmkg ARGS…`` in-process from the repository root; return code, stdout, stderr."""
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


class Shipped(NamedTuple):
    store: object      # llmkg.store.load.GraphStore, reasoned
    asserted: object   # the same graph as written, as an rdflib Graph
    closed: object     # the reasoned graph, as an rdflib Graph


@pytest.fixture(scope="session")
def shipped() -> Shipped:
    """The shipped data loaded and reasoned once per test session."""
    from llmkg.reasoning.closure import reason_store
    from llmkg.store.load import load_store, to_rdflib

    store = load_store()
    reason_store(store)
    return Shipped(store, to_rdflib(store.store, store.asserted_graphs), to_rdflib(store.store))


@pytest.fixture(scope="session")
def reference_shipped(tmp_path_factory, worker_id):
    """The shipped data loaded by rdflib and reasoned by owlrl once per test run (the slowest
    step of the suite, about 16 s): (store laid out as the fast engine's, the closure as rdflib).
    Under pytest-xdist the first worker that needs it computes the closure and leaves it, pickled,
    in the run's shared temporary folder for the others (xdist's documented pattern: a file
    lock in getbasetemp().parent); unpickling takes about 1 s."""
    import pickle

    from filelock import FileLock

    from llmkg.reasoning.reference import reason, to_store
    from llmkg.sources.rdf import load_each

    def compute():
        loaded, errors = load_each(None)
        return loaded, errors, reason(loaded.graph)

    if worker_id == "master":  # one process: nothing to share
        loaded, errors, closed = compute()
    else:
        # the parse and the closure together: their blank nodes must be the same ones
        shared = tmp_path_factory.getbasetemp().parent / "reference-shipped.pickle"
        with FileLock(f"{shared}.lock"):
            if shared.is_file():
                loaded, errors, closed = pickle.loads(shared.read_bytes())
            else:
                loaded, errors, closed = compute()
                shared.write_bytes(pickle.dumps((loaded, errors, closed), protocol=pickle.HIGHEST_PROTOCOL))
    return to_store(loaded, errors, closed), closed
