"""Compiling value constraints into a SPARQL condition on one value node.

``sh:class``, ``sh:datatype``, ``sh:languageIn``, ``sh:in``, ``sh:nodeKind``,
the ranges and the logical constraints (``sh:node``, ``sh:or``, ``sh:and``,
``sh:not``) each become a SPARQL expression that is true when the value
conforms; a nested property shape (in ``sh:or`` …) becomes (NOT) EXISTS
patterns over its path.

Two of them cannot be decided exactly in SPARQL, because pySHACL inherits
rdflib's notion of a well-formed literal (``sh:datatype``) and of literal order
(the ranges). Their condition is *inexact*: true only for values that certainly
conform, false for the few others, which :mod:`.recheck` then judges in Python
exactly as pySHACL does.
"""
from __future__ import annotations

import itertools
import re
from typing import NamedTuple

from rdflib import SH, XSD, Literal

from llmkg.validation.shacl.model import ShapeCompileError
from llmkg.validation.shacl.shapes_graph import (NODE_SHAPE_PARAMS, PROPERTY_SHAPE_PARAMS, TARGETS, VALUE_PARAMS,
                                                 ShapesGraph)
from llmkg.validation.shacl.sparql_text import RDF_TYPE, Variables, class_set, sparql_term

#: Lexical forms that rdflib certainly reads as a well-formed value of the datatype
#: (so pySHACL's sh:datatype passes); anything else is judged in Python.
CERTAIN_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.boolean: r"^(true|false)$",
    XSD.date: r"^[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$",
    XSD.gYear: r"^[0-9]{4}$",
    XSD.gYearMonth: r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    XSD.decimal: r"^[+-]?[0-9]+(\.[0-9]+)?$",
}
RANGES = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
_NODE_KIND_TESTS = {
    SH.IRI: ["isIRI"], SH.BlankNode: ["isBlank"], SH.Literal: ["isLiteral"],
    SH.BlankNodeOrIRI: ["isBlank", "isIRI"], SH.BlankNodeOrLiteral: ["isBlank", "isLiteral"],
    SH.IRIOrLiteral: ["isIRI", "isLiteral"]}
#: A shape nested in a value constraint has no targets or SPARQL constraints of its own.
_NESTED_NODE_SHAPE_PARAMS = NODE_SHAPE_PARAMS - TARGETS - {SH.sparql}


class Condition(NamedTuple):
    """A SPARQL expression, true when the value conforms; if not exact, false also for some that do."""

    sparql: str
    exact: bool


_TRUE = Condition("true", True)


def all_of(conditions: list[Condition]) -> Condition:
    return Condition(" && ".join(f"({c.sparql})" for c in conditions) or "true",
                     all(c.exact for c in conditions))


class ConditionCompiler:
    """The conditions of one compilation (they share its helper variables)."""

    def __init__(self, shapes: ShapesGraph, variables: Variables):
        self.shapes = shapes
        self.variables = variables
        self._by_param = {
            SH["class"]: self._class, SH.datatype: self._datatype, SH.languageIn: self._language_in,
            SH.node: self._node, SH["or"]: self._or_and, SH["and"]: self._or_and, SH["not"]: self._not,
            SH["in"]: self._in, SH.nodeKind: self._node_kind,
            **{param: self._range for param in RANGES}}

    def conforms(self, shape, v: str, holder) -> Condition:
        """``v`` conforms to ``shape`` (a node or property shape nested in a constraint of ``holder``)."""
        if self.shapes.deactivated(shape):
            return _TRUE
        if self.shapes.is_property_shape(shape):
            self.shapes.check_params(shape, PROPERTY_SHAPE_PARAMS, holder)
            return self._property_shape(shape, v, holder)
        self.shapes.check_params(shape, _NESTED_NODE_SHAPE_PARAMS, holder)
        parts = [self.value(param, arg, v, shape, holder)
                 for param in VALUE_PARAMS for arg in self.shapes.objects(shape, param)]
        parts += [self.conforms(p, v, holder) for p in self.shapes.objects(shape, SH.property)]
        return all_of(parts)

    def value(self, param, arg, v: str, shape, holder) -> Condition:
        """``v`` meets the value constraint ``param arg`` of ``shape``."""
        compile_param = self._by_param.get(param)
        if compile_param is None:
            raise ShapeCompileError(f"shape {self.shapes.describe(shape)}: cannot compile {param}")
        return compile_param(param, arg, v, shape, holder)

    def _property_shape(self, shape, v: str, holder) -> Condition:
        """Counts and value constraints on the values of ``v`` on the shape's path."""
        path = sparql_term(self.shapes.path(shape))
        parts = []
        n = self.shapes.one(shape, SH.minCount)
        if n is not None and int(n) > 0:
            parts.append(f"EXISTS {{ {self._distinct_values(v, path, int(n))} }}")
        n = self.shapes.one(shape, SH.maxCount)
        if n is not None:
            parts.append(f"NOT EXISTS {{ {self._distinct_values(v, path, int(n) + 1)} }}")
        if self.shapes.has(shape, SH.qualifiedValueShape):
            raise ShapeCompileError(
                f"shape {self.shapes.describe(shape)}: sh:qualifiedValueShape inside sh:or/sh:node is not supported")
        for param in VALUE_PARAMS:
            for arg in self.shapes.objects(shape, param):
                y = self.variables.new()
                condition = self.value(param, arg, y, shape, holder)
                if not condition.exact:  # "certainly fine" cannot be negated into "certainly not"
                    raise ShapeCompileError(
                        f"shape {self.shapes.describe(shape)}: {param} inside sh:or/sh:node on a path is not supported")
                parts.append(f"NOT EXISTS {{ {v} {path} {y} . FILTER(!({condition.sparql})) }}")
        return Condition(" && ".join(f"({p})" for p in parts) or "true", True)

    def _distinct_values(self, v: str, path: str, n: int) -> str:
        """A pattern matching when ``v`` has at least ``n`` distinct values on ``path``."""
        vs = [self.variables.new() for _ in range(n)]
        triples = " ".join(f"{v} {path} {x} ." for x in vs)
        distinct = " ".join(f"FILTER(!sameTerm({a}, {b}))" for a, b in itertools.combinations(vs, 2))
        return f"{triples} {distinct}"

    # -- one method per value parameter: (param, arg, v, shape, holder) -> Condition

    def _class(self, param, arg, v, shape, holder) -> Condition:
        t = self.variables.new("t")
        return Condition(f"EXISTS {{ {class_set(t, [arg])} {v} {RDF_TYPE} {t} }}", True)

    def _datatype(self, param, arg, v, shape, holder) -> Condition:
        same_datatype = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {sparql_term(arg)})"
        lexical = CERTAIN_LEXICAL.get(arg)
        if lexical is None:
            return Condition("false", False)  # every value is judged in Python
        return Condition(f"{same_datatype} && REGEX(STR({v}), {Literal(lexical).n3()})", False)

    def _language_in(self, param, arg, v, shape, holder) -> Condition:
        langs = [str(x).lower() for x in self.shapes.items(arg, shape)]
        tagged = f"isLiteral({v}) && LANG({v}) != \"\""
        if "*" in langs:
            return Condition(tagged, True)
        if langs and all(re.fullmatch(r"[a-z0-9]+", x) for x in langs):
            # a range without "-": LANGMATCHES is exactly pySHACL's "tag or its first subtag is in"
            matches = " || ".join(f"LANGMATCHES(LANG({v}), {Literal(x).n3()})" for x in langs)
            return Condition(f"{tagged} && ({matches})", True)
        ins = ", ".join(Literal(x).n3() for x in langs)
        return Condition(f"{tagged} && (LCASE(LANG({v})) IN ({ins}) || "
                         f"LCASE(STRBEFORE(CONCAT(LANG({v}), \"-\"), \"-\")) IN ({ins}))", True)

    def _node(self, param, arg, v, shape, holder) -> Condition:
        return self.conforms(arg, v, holder)

    def _or_and(self, param, arg, v, shape, holder) -> Condition:
        subs = [self.conforms(s, v, holder) for s in self.shapes.items(arg, shape)]
        if param == SH["and"]:
            return all_of(subs)
        return Condition(" || ".join(f"({c.sparql})" for c in subs) or "false", all(c.exact for c in subs))

    def _not(self, param, arg, v, shape, holder) -> Condition:
        condition = self.conforms(arg, v, holder)
        if not condition.exact:
            raise ShapeCompileError(
                f"shape {self.shapes.describe(shape)}: sh:not over sh:datatype or a range is not supported")
        return Condition(f"!({condition.sparql})", True)

    def _range(self, param, arg, v, shape, holder) -> Condition:
        if not (isinstance(arg, Literal) and isinstance(arg.value, (int, float)) and not isinstance(arg.value, bool)):
            return Condition("false", False)
        # Only plain integers are compared here; every other value is judged in Python, and so is
        # an integer Oxigraph cannot compare (beyond 64 bits: an error, which must not pass).
        return Condition(f"isLiteral({v}) && sameTerm(DATATYPE({v}), <{XSD.integer}>) && "
                         f"REGEX(STR({v}), \"^[+-]?[0-9]+$\") && "
                         f"COALESCE({v} {RANGES[param]} {sparql_term(arg)}, false)", False)

    def _in(self, param, arg, v, shape, holder) -> Condition:
        members = self.shapes.items(arg, shape)
        if not members:
            return Condition("false", True)
        return Condition(" || ".join(f"sameTerm({v}, {sparql_term(m)})" for m in members), True)

    def _node_kind(self, param, arg, v, shape, holder) -> Condition:
        tests = _NODE_KIND_TESTS.get(arg)
        if tests is None:
            raise ShapeCompileError(f"shape {self.shapes.describe(shape)}: unknown sh:nodeKind {arg}")
        return Condition(" || ".join(f"{k}({v})" for k in tests), True)
