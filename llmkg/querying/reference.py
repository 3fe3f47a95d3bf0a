"""Queries on the reference engine: rdflib's SPARQL over an rdflib graph.

The oracle the store's answers are tested against, and what ``llmkg build
--engine reference`` writes its CSV files with.
"""
from __future__ import annotations

from llmkg.errors import QueryError
from llmkg.querying.formats import delimited
from llmkg.querying.run import with_prefixes


def run_rdflib(graph, text: str):
    """Run SPARQL on an rdflib ``graph``; a syntax error becomes QueryError with the position."""
    from pyparsing.exceptions import ParseBaseException  # rdflib's parser

    full = with_prefixes(text)
    added = full.count("\n") - text.count("\n")
    try:
        return graph.query(full)
    except ParseBaseException as e:
        raise QueryError(
            f"the SPARQL does not parse: {e.msg} (line {max(e.lineno - added, 1)}, column {e.col}); "
            "check the query near that position"
        ) from None
    except Exception as e:  # rdflib raises plain exceptions for unknown prefixes etc.
        raise QueryError(f"the SPARQL could not be run: {e}") from None


def csv_rdflib(graph, text: str) -> str:
    """A SELECT query's rdflib result as CSV (what :func:`llmkg.querying.run.to_csv` gives on the store)."""
    result = run_rdflib(graph, text)
    if result.type != "SELECT":
        raise QueryError("only SELECT queries can be written as CSV")
    return delimited([str(v) for v in result.vars], list(result), lambda t: "" if t is None else str(t))
