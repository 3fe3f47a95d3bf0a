"""Questions → answers on the store: find a query (a catalogue name, a .rq
file or inline SPARQL), declare the project's prefixes, and run it on the
reasoned graph (every named graph of the store) or the asserted one."""
from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import pyoxigraph as ox

from llmkg import paths
from llmkg.errors import QueryError
from llmkg.querying import answers, catalogue
from llmkg.querying.formats import QueryResult, cell, delimited
from llmkg.store.load import GraphStore
from llmkg.vocab import LLMKG, sparql_prologue

_SPARQL_WORDS = ("select", "construct", "ask", "describe", "prefix", "base")


def resolve(spec: str) -> tuple[str, str]:
    """Return (name, SPARQL text) for a file path, a catalogue name or inline SPARQL."""
    text = spec.strip()
    if text.split(None, 1) and text.split(None, 1)[0].lower() in _SPARQL_WORDS or "{" in text:
        return "inline", text
    path = Path(spec)
    if path.suffix in (".rq", ".sparql") or path.is_file():
        try:
            return path.stem, path.read_text(encoding="utf-8")
        except OSError as e:
            raise QueryError(f"{spec}: cannot read the query file ({e.strerror})") from None
    q = catalogue.get(spec)
    return q.name, q.text


def with_prefixes(text: str) -> str:
    """Prepend the project's prefixes the query does not declare, so that inline
    queries can use kg:, llmkg: … as they are."""
    declared = {line.split()[1].lower() for line in text.splitlines()
                if line.strip().lower().startswith("prefix") and len(line.split()) > 1}
    return sparql_prologue({d.rstrip(":") for d in declared}) + text


_STRINGS_AND_COMMENTS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_LLMKG_TERM = re.compile(r"(?<![\w:])llmkg:([A-Za-z_][\w-]*(?:\.[\w-]+)*)|<" + re.escape(LLMKG) + r"([^>\s]*)>")


def unknown_terms(text: str) -> list[tuple[str, str | None]]:
    """The llmkg: terms a query names that the ontology does not declare, each with the
    closest declared term (or None): a misspelt class or property matches nothing, silently."""
    import difflib

    if re.search(r"(?i)\bPREFIX\s+llmkg:\s*<(?!" + re.escape(LLMKG) + ")", text):
        return []  # the query means something else by llmkg:
    used = []
    for m in _LLMKG_TERM.finditer(_STRINGS_AND_COMMENTS.sub(" ", text)):
        local = m.group(1) or m.group(2)
        if local and local not in used:
            used.append(local)
    if not used:
        return []
    declared = {q.subject.value[len(LLMKG):] for q in ox.parse(path=str(paths.ontology_file()),
                                                               format=ox.RdfFormat.TURTLE)
                if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(LLMKG)}
    unknown = []
    for local in used:
        if local not in declared:
            close = difflib.get_close_matches(local, declared, n=1, cutoff=0.6)
            unknown.append((f"llmkg:{local}", f"llmkg:{close[0]}" if close else None))
    return unknown


@functools.lru_cache(maxsize=1)
def _lineage_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _computed(loaded: GraphStore, text: str, asserted: bool) -> bytes | None:
    """The answer (SPARQL results TSV) of a catalogue query that is computed without SPARQL
    because SPARQL is slow at it (:mod:`llmkg.querying.lineage`), else None."""
    if asserted or text != _lineage_text(paths.queries_dir() / "lineage.rq"):
        return None
    from llmkg.querying import lineage

    try:
        return lineage.answer_tsv(loaded.store)
    except OSError as e:  # reading a store on disk
        raise QueryError(f"the query could not be run: {e}") from None


def _raw(loaded: GraphStore, text: str, asserted: bool):
    # The reasoned graph is every named graph of the store (nothing is in the default
    # graph, and no triple in two graphs): their union is 1.3-1.4 times faster than naming them.
    graphs = dict(default_graph=loaded.asserted_graphs) if asserted else dict(use_default_graph_as_union=True)
    try:
        return loaded.store.query(with_prefixes(text), **graphs)
    except SyntaxError as e:
        raise QueryError(f"the SPARQL does not parse: {e}; check the query near that position") from None
    except OSError as e:
        raise QueryError(f"the query could not be run: {e}") from None


def run(loaded: GraphStore, text: str, *, asserted: bool = False) -> QueryResult:
    """Run SPARQL on the reasoned graph of ``loaded`` (or, ``asserted``, on the graph as written).

    On a built store (one with a version folder, ``loaded.path``) the answer
    to a SELECT that took long is kept and read back the next time
    (:mod:`llmkg.querying.answers`)."""
    version = getattr(loaded, "path", None)
    if version is None:
        computed = _computed(loaded, text, asserted)
        if computed is not None:
            return QueryResult(ox.parse_query_results(computed, format=ox.QueryResultsFormat.TSV))
        return QueryResult(_raw(loaded, text, asserted))
    kept = answers.lookup(version, with_prefixes(text), asserted)
    if kept is not None:
        return QueryResult(kept)
    start = time.perf_counter()
    got = _answer(loaded, text, asserted)
    if not isinstance(got, bytes):
        return QueryResult(got)
    if time.perf_counter() - start >= answers.SLOW:
        answers.keep(version, with_prefixes(text), asserted, got)
    return QueryResult(ox.parse_query_results(got, format=ox.QueryResultsFormat.TSV))


def _answer(loaded: GraphStore, text: str, asserted: bool):
    """A SELECT's answer as SPARQL results TSV, computed or evaluated at once (Oxigraph
    evaluates while its solutions are read); any other query's result as it comes."""
    computed = _computed(loaded, text, asserted)
    if computed is not None:
        return computed
    raw = _raw(loaded, text, asserted)
    return _evaluate(raw) if isinstance(raw, ox.QuerySolutions) else raw


def _evaluate(raw: ox.QuerySolutions) -> bytes:
    try:
        return raw.serialize(format=ox.QueryResultsFormat.TSV)
    except OSError as e:  # an error met while evaluating (e.g. reading the store)
        raise QueryError(f"the query could not be run: {e}") from None


def select(loaded: GraphStore, text: str, *, asserted: bool = False):
    """Run SPARQL SELECT; return (variable names, rows of terms or None)."""
    result = run(loaded, text, asserted=asserted)
    if result.kind != "SELECT":
        raise QueryError("only a SELECT query gives rows")
    return result.variables, [list(r) for r in result]


def to_csv(loaded: GraphStore, text: str) -> str:
    """A SELECT query's result as CSV, byte for byte what Python's csv module writes
    (the reference engine's files are compared with these)."""
    return csv_and_tsv(loaded, text)[0]


def answer_tsv(loaded: GraphStore, text: str) -> bytes:
    """A SELECT query's answer on the reasoned graph as SPARQL results TSV (the form
    :mod:`llmkg.querying.answers` keeps)."""
    tsv = _answer(loaded, text, False)
    if not isinstance(tsv, bytes):
        raise QueryError("only a SELECT query gives rows")
    return tsv


def csv_and_tsv(loaded: GraphStore, text: str) -> tuple[str, bytes]:
    """A SELECT query's result as CSV (:func:`to_csv`) and as SPARQL results TSV (the form
    :mod:`llmkg.querying.answers` keeps), from one evaluation."""
    tsv = _answer(loaded, text, False)
    if not isinstance(tsv, bytes):
        raise QueryError("only SELECT queries can be written as CSV")
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    if len(solutions.variables) > 1:
        # Oxigraph writes the same CSV in Rust, without a Python object per cell, except
        # where Python's csv differs: a blank node (Oxigraph writes "_:id", rdflib "id")
        # and a one-column row whose cell is empty (Python's csv writes "").
        data = solutions.serialize(format=ox.QueryResultsFormat.CSV)
        if b"_:" not in data:
            return data.decode("utf-8"), tsv
        solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    names = [v.value for v in solutions.variables]
    return delimited(names, ([s[n] for n in names] for s in solutions), _plain), tsv


def _plain(t) -> str:
    """A CSV cell as rdflib writes it: a blank node's id without ``_:``."""
    return t.value if isinstance(t, ox.BlankNode) else cell(t)
