"""Dates of any precision made comparable: the ``llmkg:firstDay`` of each date.

A release date is written at the precision known — ``"2023-03-14"^^xsd:date``,
``"2023-03"^^xsd:gYearMonth`` or ``"2023"^^xsd:gYear`` — and SPARQL cannot
compare a year with a day (``FILTER(?d >= "2023-01-01"^^xsd:date)`` silently
drops every year and month). Reasoning therefore adds, for each node's
``llmkg:releaseDate`` (or, for nodes without one, its ``dcterms:date``), the
first day of the period it names as an ``xsd:date``: the day itself, the first
of the month, the first of January. A value that is not a real date gets none.

One rule, written once in SPARQL Update and run by either engine: Oxigraph on
the store, rdflib on the reference engine's graph.
"""
from __future__ import annotations

from llmkg.vocab import DCTERMS, LLMKG, XSD

_WHERE = f"""
  {{ ?s <{LLMKG}releaseDate> ?d }}
  UNION
  {{ ?s <{DCTERMS}date> ?d FILTER NOT EXISTS {{ ?s <{LLMKG}releaseDate> ?any }} }}
  BIND (DATATYPE(?d) AS ?t)
  BIND (IF(?t = <{XSD}date>, STR(?d),
        IF(?t = <{XSD}gYearMonth>, CONCAT(STR(?d), "-01"),
        IF(?t = <{XSD}gYear>, CONCAT(STR(?d), "-01-01"), ""))) AS ?text)
  # STRDT, not the xsd:date() cast, which rdflib does not implement; the pattern keeps out what is no date
  FILTER (REGEX(?text, "^[0-9]{{4}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"))
  BIND (STRDT(?text, <{XSD}date>) AS ?day)
  FILTER NOT EXISTS {{ ?s <{LLMKG}firstDay> ?day }}  # written already: no triple in two graphs
"""


def first_days_store(loaded) -> None:
    """Add the first days to the inferred graph of a :class:`llmkg.store.load.GraphStore`."""
    using = "".join(f"USING <{g.value}>\n" for g in loaded.asserted_graphs)
    loaded.store.update(f"INSERT {{ GRAPH <{loaded.inferred_graph.value}> {{ ?s <{LLMKG}firstDay> ?day }} }}\n"
                        f"{using}WHERE {{{_WHERE}}}")


def first_days_rdflib(graph) -> None:
    """Add the first days to an rdflib graph (the reference engine's closure)."""
    graph.update(f"INSERT {{ ?s <{LLMKG}firstDay> ?day }} WHERE {{{_WHERE}}}")
