"""Prefilters: cheap supersets of the focus nodes a check reports.

Most checks carry one (``Check.pre``). Its :meth:`candidates` are computed from
rows many checks share (every node with a label, every value of a path …),
read once per run by :class:`.StoreRows`. No candidates: the check is skipped;
a few: its exact query runs on them alone (see :mod:`.runner`). Candidates are
TSV terms (bytes).
"""
from __future__ import annotations

from dataclasses import dataclass

from llmkg.validation.shacl.fast_paths import cycle_nodes, released_before
from llmkg.validation.shacl.sparql_text import RDF_TYPE
from llmkg.validation.shacl.store_rows import StoreRows


def focus_nodes(rows: StoreRows, focus: str) -> set:
    return rows.set_of(f"SELECT ?this WHERE {{ {focus} }}")


@dataclass(frozen=True)
class Prefilter:
    #: True if the candidates are exactly the check's focus nodes, not only a superset of those it reports.
    are_focus_nodes = False

    def candidates(self, rows: StoreRows, focus: str) -> set | None:
        """A superset of the focus nodes the check reports, or None if not known after all."""
        raise NotImplementedError


@dataclass(frozen=True)
class MissingValue(Prefilter):
    """Focus nodes with no (qualifying) value: those not among the ``?this`` of ``with_value``."""

    with_value: str

    def candidates(self, rows, focus):
        return focus_nodes(rows, focus) - rows.set_of(self.with_value)


@dataclass(frozen=True)
class TooManyRows(Prefilter):
    """Nodes with more than ``n`` rows in ``values`` (one per value), so perhaps more than ``n`` values."""

    values: str
    n: int

    def candidates(self, rows, focus):
        return rows.more_than(self.values, self.n)


@dataclass(frozen=True)
class FailingValue(Prefilter):
    """The ``?this`` of ``failing``: the check's own condition, run on every node instead of the focus nodes."""

    failing: str

    def candidates(self, rows, focus):
        return rows.set_of(self.failing)


@dataclass(frozen=True)
class OutsideClass(Prefilter):
    """Nodes with a value on ``path`` that is not an instance of ``classes`` (a class set binding ?t).

    The path's distinct values (few: organisations, modalities …) against the class's
    instances, both read once and shared by every check on that path or class."""

    path: str
    classes: str

    def candidates(self, rows, focus):
        instances = f"SELECT ?x WHERE {{ {self.classes} ?x {RDF_TYPE} ?t }}"
        bad = rows.set_of(f"SELECT DISTINCT ?v WHERE {{ ?s {self.path} ?v }}") - rows.set_of(instances)
        if not bad:
            return set()
        if any(v.startswith(b"_:") for v in bad):  # blank nodes cannot be written in VALUES
            return rows.set_of(f"SELECT DISTINCT ?this WHERE {{ ?this {self.path} ?value MINUS {{ "
                               f"{self.classes} ?value {RDF_TYPE} ?t }} }}")
        values = b" ".join(sorted(bad)).decode()
        return set(rows.lines(f"SELECT DISTINCT ?this WHERE {{ VALUES ?v {{ {values} }} ?this {self.path} ?v }}"))


@dataclass(frozen=True)
class OnCycle(Prefilter):
    """The nodes on a cycle of ``predicates`` (IRIs in SPARQL): the whole of a lineage-cycle target."""

    predicates: tuple
    are_focus_nodes = True

    def candidates(self, rows, focus):
        return cycle_nodes(rows.edges(self.predicates))


@dataclass(frozen=True)
class ReleasedBefore(Prefilter):
    """Nodes linked by one of ``links`` to a node dated later by ``date`` (see :func:`.released_before`)."""

    links: tuple
    date: str

    def candidates(self, rows, focus):
        dates: dict = {}
        for line in rows.lines(f"SELECT ?s ?d WHERE {{ ?s {self.date} ?d }}"):
            s, _, d = line.partition(b"\t")
            dates.setdefault(s, []).append(d)
        return released_before(rows.edges(self.links), dates)


@dataclass(frozen=True)
class ConstraintBody(Prefilter):
    """The ``?this`` of a SPARQL constraint's body run on every node (see :func:`.sparql_constraints`)."""

    body: str

    def candidates(self, rows, focus):
        found = rows.set_of(self.body)
        return None if b"" in found else found  # a row without ?this: no superset known
