"""Running the compiled checks on a store and reading their rows as pySHACL's results."""
from __future__ import annotations

import time
from typing import Callable

from rdflib import Graph

from llmkg.store.load import rdflib_term
from llmkg.validation.shacl.compiler import compile_shapes
from llmkg.validation.shacl.model import FOCUS_ROWS, VALUE_ROWS, Check, Result, ShapeCompileError
from llmkg.validation.shacl.prefilters import focus_nodes
from llmkg.validation.shacl.sparql_constraints import sparql_results
from llmkg.validation.shacl.sparql_text import RESTRICT
from llmkg.validation.shacl.store_rows import StoreRows

#: Above this many candidate focus nodes a check runs unrestricted.
MAX_CANDIDATES = 5000


def to_rdflib_term(term):
    """A pyoxigraph term as the rdflib term pySHACL would report (xsd:string literals are plain)."""
    return rdflib_term(term)


def validate_store(store, shapes: Graph | None = None, *, timings: dict | None = None) -> list[Result]:
    """Run the shapes on the asserted graphs (ontology + data) of ``store``.

    ``store`` is a :class:`pyoxigraph.Store` laid out as :mod:`llmkg.store`
    lays it out (or a ``GraphStore``); the inferred graph is ignored.
    ``timings``, if given, receives the seconds spent on each check (for profiling).

    Most checks first run a cheap prefilter (see :mod:`.prefilters`) on rows
    shared between checks: the focus nodes that may violate the check. None: the
    check is skipped; a few: its exact query runs on them alone (``VALUES ?this``).
    """
    rows = StoreRows(getattr(store, "store", store))
    convert = _cached(to_rdflib_term)
    results: list[Result] = []
    for check in compile_shapes(shapes):
        start = time.perf_counter()
        results += check_results(check, rows, convert)
        if timings is not None:
            timings[check] = time.perf_counter() - start
    return results


def check_results(check: Check, rows: StoreRows, convert: Callable) -> list[Result]:
    """The results of one check: its solutions read according to its kind."""
    try:
        solutions = run_check(check, rows)
    except SyntaxError as e:
        raise ShapeCompileError(f"the query compiled for {check} does not parse: {e}\n{check.query}") from None
    if solutions is None:
        return []
    common = dict(path=check.path, severity=check.severity, source_shape=check.source_shape,
                  source_constraint=check.source_constraint, component=check.component,
                  rule_shape=check.rule_shape)
    if check.kind == FOCUS_ROWS:
        return [Result(focus=convert(row[0]), value=None, message=check.message, **common) for row in solutions]
    if check.kind == VALUE_ROWS:
        out = []
        for row in solutions:
            value = convert(row[1])
            if check.recheck is None or not check.recheck(value):
                out.append(Result(focus=convert(row[0]), value=value, message=check.message, **common))
        return out
    return list(sparql_results(check, solutions, convert, common))


def run_check(check: Check, rows: StoreRows):
    """The solutions of ``check``'s query, restricted to its candidates when they are known and few.

    None when the prefilter finds no candidates: nothing to run."""
    query = check.query
    candidates = check.pre.candidates(rows, check.focus) if check.pre is not None else None
    if candidates is None:
        return rows.select(query)
    if not candidates:
        return None
    focus_replaceable = query.count(check.focus) == 1
    if check.pre.are_focus_nodes and focus_replaceable and _writable(candidates):
        # the candidates are the focus nodes: no need to compute them again
        query = query.replace(check.focus, _values(candidates))
    elif RESTRICT not in check.focus and check.focus and focus_replaceable:
        # a focus without a SPARQL target: its nodes are cheap to list, and the candidates
        # that are focus nodes take its place in the query (Oxigraph then starts from them)
        candidates = candidates & focus_nodes(rows, check.focus)
        if not candidates:
            return None
        if _writable(candidates):
            query = query.replace(check.focus, _values(candidates))
    elif _writable(candidates):
        query = query.replace(RESTRICT, _values(candidates) + "\n")
    return rows.select(query)


def _writable(candidates: set) -> bool:
    """Few enough to list, and all IRIs (a blank node cannot be written in a query)."""
    return len(candidates) <= MAX_CANDIDATES and all(c.startswith(b"<") for c in candidates)


def _values(candidates: set) -> str:
    return "VALUES ?this { " + b" ".join(sorted(candidates)).decode() + " }"


def _cached(convert: Callable) -> Callable:
    """``convert`` with each term converted once (None stays None)."""
    cache: dict = {}

    def cached(term):
        if term is None:
            return None
        hit = cache.get(term)
        if hit is None:
            hit = cache[term] = convert(term)
        return hit

    return cached
