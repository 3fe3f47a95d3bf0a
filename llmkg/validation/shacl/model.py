"""What compiling the shapes produces (:class:`Check`) and what validating returns (:class:`Result`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from rdflib import Literal, URIRef

if TYPE_CHECKING:
    from llmkg.validation.shacl.prefilters import Prefilter

#: How a check's rows are read: rows (this); rows (this, value); the rows of a SPARQL constraint.
FOCUS_ROWS, VALUE_ROWS, SPARQL_ROWS = "focus", "value", "sparql"


class ShapeCompileError(ValueError):
    """The shapes graph uses a construct this compiler does not support."""


@dataclass(frozen=True)
class Result:
    """One top-level validation result, in rdflib terms, as pySHACL reports it."""

    focus: object
    path: URIRef | None
    value: object | None
    message: Literal | None
    severity: URIRef
    source_shape: object  # sh:sourceShape: the (possibly anonymous) shape holding the constraint
    source_constraint: object | None  # sh:sourceConstraint (SPARQL constraints)
    component: URIRef  # sh:sourceConstraintComponent
    #: What :func:`llmkg.validation.naming.shacl_finding` calls the rule: the source constraint if it is an
    #: IRI, else the source shape, an anonymous property shape being named after the
    #: node shape that holds it. Not part of pySHACL's report.
    rule_shape: object = field(default=None, compare=False)


@dataclass(eq=False)
class Check:
    """One compiled (shape, constraint): a SELECT over the asserted graphs."""

    query: str
    kind: str  # FOCUS_ROWS, VALUE_ROWS or SPARQL_ROWS
    node_shape: object  # the targeted shape whose focus nodes are checked
    source_shape: object
    component: URIRef
    severity: URIRef
    message: Literal | None
    path: URIRef | None = None
    source_constraint: object | None = None
    rule_shape: object = None
    #: For inexact value checks: ``conforms(rdflib_term) -> bool``, judging the candidate rows exactly.
    recheck: Callable | None = None
    #: The focus pattern (binds ?this), as it appears in ``query``.
    focus: str = ""
    #: A cheap superset of the violating focus nodes, or None: see :mod:`.prefilters`.
    pre: Prefilter | None = None

    def __str__(self) -> str:
        comp = str(self.component).rpartition("#")[2]
        return f"{self.rule_shape} {self.source_shape} {comp}"
