"""SPARQL-based constraints (``sh:sparql``): compiled into one query over all focus nodes, read back as pySHACL.

pySHACL runs the constraint's SELECT once per focus node, ``$this`` pre-bound.
Here the focus pattern is joined at the start of its WHERE group instead, so
one query answers for every focus node; the rows are then read as pySHACL reads
them (repeated rows dropped, ``{?var}`` substituted into the message).
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from rdflib import SH, Literal, URIRef

from llmkg.validation.shacl.fast_paths import cycle_predicates, release_order
from llmkg.validation.shacl.model import SPARQL_ROWS, Check, Result, ShapeCompileError
from llmkg.validation.shacl.prefilters import ConstraintBody, OnCycle, Prefilter, ReleasedBefore
from llmkg.validation.shacl.shapes_graph import SPARQL_CONSTRAINT_PARAMS, ShapesGraph
from llmkg.validation.shacl.sparql_text import RESTRICT, insert_after_where, merge_prefixes, prefix_header
from llmkg.validation.shacl.targets import Focus, only_sparql_target

#: Pre-bound variables pySHACL knows and this compiler does not substitute.
_UNSUPPORTED_VARIABLES = ("$PATH", "$shapesGraph", "$currentShape", "?failure", "$failure")
#: Solution modifiers that pySHACL applies to each focus node's rows, and one query over all cannot.
_PER_NODE_MODIFIERS = re.compile(r"\b(LIMIT|OFFSET)\b", re.IGNORECASE)
#: Where a constraint's body has these, running it without the focus nodes may not give a superset.
_NOT_ONLY_JOINS = re.compile(r"\b(OPTIONAL|MINUS|EXISTS|UNION|GRAPH|SERVICE|GROUP|HAVING|LIMIT|OFFSET|ORDER)\b",
                             re.IGNORECASE)


class SparqlConstraintCompiler:
    def __init__(self, shapes: ShapesGraph):
        self.shapes = shapes

    def compile(self, shape, constraint, focus: Focus, severity) -> Check:
        """The check for the SPARQL constraint ``constraint`` of the node shape ``shape``."""
        text = self._select(shape, constraint)
        message = self._message(shape, constraint)
        prefixes = dict(focus.prefixes)
        merge_prefixes(prefixes, self.shapes.prefixes(constraint), shape)
        projection = re.search(r"\bSELECT\b(.*?)(\bWHERE\b|\{)", text, re.IGNORECASE | re.DOTALL)
        if projection is None or not re.search(r"[?$]this\b", projection.group(1)):
            raise ShapeCompileError(
                f"SPARQL constraint {self.shapes.describe(constraint)} must select $this explicitly")
        # The focus nodes join the constraint's pattern first, so $this is bound as pySHACL pre-binds it.
        placed = insert_after_where(text, f"{RESTRICT}{focus.pattern} ")
        if placed is None:
            raise ShapeCompileError(
                f"SPARQL constraint {self.shapes.describe(constraint)}: cannot find its WHERE clause")
        query, body_start = placed
        return Check(query=prefix_header(prefixes) + query, kind=SPARQL_ROWS, node_shape=shape, source_shape=shape,
                     component=SH.SPARQLConstraintComponent, severity=severity, message=message,
                     source_constraint=constraint, rule_shape=constraint if isinstance(constraint, URIRef) else shape,
                     focus=focus.pattern, pre=self._prefilter(shape, text, body_start, prefixes))

    def _select(self, shape, constraint) -> str:
        """The constraint's SELECT, once checked that it uses nothing this compiler does not handle."""
        name = f"SPARQL constraint {self.shapes.describe(constraint)}"
        for p in set(self.shapes.graph.predicates(constraint)):
            if str(p).startswith(str(SH)) and p not in SPARQL_CONSTRAINT_PARAMS:
                raise ShapeCompileError(f"{name} of {self.shapes.describe(shape)} uses unsupported {p}")
        select = self.shapes.one(constraint, SH.select, shape)
        if select is None:
            raise ShapeCompileError(f"{name} of {self.shapes.describe(shape)} has no sh:select")
        text = str(select)
        for var in _UNSUPPORTED_VARIABLES:
            if var in text:
                raise ShapeCompileError(f"{name} uses {var}, which is not supported")
        if _PER_NODE_MODIFIERS.search(text[text.rfind("}") + 1:]):
            raise ShapeCompileError(f"{name} uses LIMIT or OFFSET, which pySHACL applies to each focus node's "
                                    "rows and one query over all focus nodes cannot; not supported")
        return text

    def _message(self, shape, constraint) -> Literal:
        """The constraint's sh:message, else its shape's (one of the two, not both)."""
        message = self.shapes.message(constraint, required=False)
        if self.shapes.message(shape, required=False) is not None and message is not None:
            raise ShapeCompileError(
                f"shape {self.shapes.describe(shape)} and its SPARQL constraint both have a sh:message")
        return message if message is not None else self.shapes.message(shape)

    def _prefilter(self, shape, text: str, body_start: int, prefixes: dict) -> Prefilter | None:
        """The target's cycles, the release-order fast path, or the constraint's body run without the focus."""
        target = only_sparql_target(self.shapes, shape)
        if target is not None:
            select = str(self.shapes.one(target, SH.select, shape))
            predicates = cycle_predicates(select, {**prefixes, **self.shapes.prefixes(target)})
            if predicates is not None:
                return OnCycle(tuple(predicates))
        order = release_order(text, prefixes)
        if order is not None:
            return ReleasedBefore(*order)
        if (len(re.findall(r"\bSELECT\b", text, re.IGNORECASE)) == 1 and not _NOT_ONLY_JOINS.search(text)
                and re.match(r"\s*[?$]this\s", text[body_start:])):
            # Only triple patterns, filters and binds, the first pattern binding $this: every row of the
            # constraint run on all nodes binds $this, and those of the focus nodes are among them.
            return ConstraintBody(f"{prefix_header(prefixes)}SELECT DISTINCT ?this WHERE {{ {{ {text} }} }}")
        return None


def sparql_results(check: Check, rows, convert: Callable, common: dict) -> Iterable[Result]:
    """The results of a SPARQL constraint's rows, as pySHACL reads them."""
    names = [v.value for v in rows.variables]
    seen = set()
    for row in rows:
        bound = {n: convert(row[n]) for n in names if row[n] is not None}
        this = bound.pop("this", None)
        path = bound.pop("path", None)
        value = bound.pop("value", None)
        key = (this, path, value, tuple(sorted(bound.items())))
        if key in seen:  # pySHACL drops repeated rows for one focus node
            continue
        seen.add(key)
        if value is None:
            value = this  # a node shape's SPARQL constraint reports the focus node itself
        message = check.message
        if message is not None:
            named = [("this", this), ("path", path), ("value", value)]
            pairs = list(bound.items()) + [(k, x) for k, x in named if x is not None]
            message = Literal(substitute(str(message.value), pairs))
        yield Result(focus=this, value=value, message=message,
                     **{**common, "path": path if path is not None else common["path"]})


def substitute(message: str, bindings: list[tuple[str, object]]) -> str:
    """``{?var}`` and ``{$var}`` in ``message`` replaced, in order, as pySHACL replaces them."""
    for var, val in bindings:
        message = re.sub("{{[?$]{}}}".format(var), str(val), message)
    return message
