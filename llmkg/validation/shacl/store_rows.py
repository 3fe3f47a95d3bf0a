"""Reading one store for one validation run: the subclass sets, and rows shared between checks, read once.

Rows are read as TSV lines (terms in N-Triples syntax, as bytes): cheap to
read, hashable, and written back into a query as they are (``VALUES``).
"""
from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from llmkg.validation.shacl.sparql_text import RDF_TYPE, SUBCLASS_OF, fill_class_sets, number_helper_variables


class StoreRows:
    """The asserted graphs of a store, with every class set and every row set read at most once."""

    def __init__(self, store):
        from llmkg.store.load import ASSERTED_GRAPHS

        self.store = store
        self.graphs = list(ASSERTED_GRAPHS)
        self._subclasses: dict[str, tuple[str, bool]] = {}
        self._lines: dict[str, list[bytes]] = {}
        self._sets: dict[str, set] = {}
        self._counts: dict[tuple, set] = {}
        self._pairs: dict[str, list] = {}

    def select(self, query: str):
        """The solutions of a compiled query, its class sets filled in."""
        return self.store.query(fill_class_sets(query, self._subclasses_of), default_graph=self.graphs)

    def _subclasses_of(self, var: str, classes: str) -> str:
        """A pattern binding ``var`` to the classes (IRIs in SPARQL, space-separated) and all their subclasses."""
        if classes not in self._subclasses:
            self._subclasses[classes] = self._read_subclasses(classes)
        named, typed_anonymous = self._subclasses[classes]
        if not typed_anonymous:
            return f"VALUES {var} {{ {named} }}"
        # VALUES cannot hold a blank node: the anonymous subclasses are matched by the path itself
        paths = " UNION ".join(f"{{ {var} {SUBCLASS_OF}+ {c} FILTER(isBlank({var})) }}" for c in classes.split())
        return f"{{ {{ VALUES {var} {{ {named} }} }} UNION {paths} }}"

    def _read_subclasses(self, classes: str) -> tuple[str, bool]:
        """The classes and their named subclasses, and whether some node is typed with an anonymous one."""
        q = f"SELECT DISTINCT ?t WHERE {{ VALUES ?c {{ {classes} }} ?t {SUBCLASS_OF}* ?c }}"
        found, anonymous = set(classes.split()), False
        for row in self.store.query(q, default_graph=self.graphs):
            if isinstance(row[0], ox.NamedNode):
                found.add(f"<{row[0].value}>")
            anonymous |= isinstance(row[0], ox.BlankNode)
        if anonymous:  # the ontology's anonymous classes (owl:intersectionOf …) rarely have instances
            anonymous = bool(self.store.query(
                f"ASK {{ VALUES ?c {{ {classes} }} ?t {SUBCLASS_OF}+ ?c FILTER(isBlank(?t)) ?x {RDF_TYPE} ?t }}",
                default_graph=self.graphs))
        return " ".join(sorted(found)), anonymous

    def _key(self, query: str) -> str:
        """The query as run: class sets filled in, helper variables numbered (equal queries, one key)."""
        return number_helper_variables(fill_class_sets(query, self._subclasses_of))

    def lines(self, query: str) -> list[bytes]:
        """The rows of a SELECT as TSV lines, header dropped."""
        query = self._key(query)
        hit = self._lines.get(query)
        if hit is None:
            data = self.store.query(query, default_graph=self.graphs).serialize(format=ox.QueryResultsFormat.TSV)
            hit = data.split(b"\n")[1:]
            if hit and hit[-1] == b"":
                hit.pop()
            self._lines[query] = hit
        return hit

    def set_of(self, query: str) -> set:
        key = self._key(query)
        hit = self._sets.get(key)
        if hit is None:
            hit = self._sets[key] = set(self.lines(query))
        return hit

    def more_than(self, query: str, n: int) -> set:
        """The rows of a one-column SELECT that occur more than ``n`` times."""
        key = (self._key(query), n)
        hit = self._counts.get(key)
        if hit is None:
            hit = self._counts[key] = {k for k, c in Counter(self.lines(query)).items() if c > n}
        return hit

    def edges(self, predicates) -> list[tuple[bytes, bytes]]:
        """The (subject, object) pairs of the predicates (IRIs in SPARQL), read once per predicate."""
        out = []
        for p in predicates:
            hit = self._pairs.get(p)
            if hit is None:
                rows = self.lines(f"SELECT ?s ?o WHERE {{ ?s {p} ?o }}")
                hit = self._pairs[p] = [tuple(line.split(b"\t")) for line in rows]
            out += hit
        return out
