"""Compiling a property shape into checks: its counts (min, max, qualified) and its value constraints."""
from __future__ import annotations

import itertools
from typing import Callable

from rdflib import SH

from llmkg.validation.shacl.conditions import ConditionCompiler
from llmkg.validation.shacl.model import FOCUS_ROWS, VALUE_ROWS, Check, ShapeCompileError
from llmkg.validation.shacl.prefilters import FailingValue, MissingValue, OutsideClass, TooManyRows
from llmkg.validation.shacl.recheck import RecheckCompiler
from llmkg.validation.shacl.shapes_graph import COMPONENT, PROPERTY_SHAPE_PARAMS, VALUE_PARAMS, ShapesGraph
from llmkg.validation.shacl.sparql_text import RESTRICT, Variables, class_set, prefix_header, sparql_term
from llmkg.validation.shacl.targets import Focus


class PropertyCheckCompiler:
    def __init__(self, shapes: ShapesGraph, variables: Variables, conditions: ConditionCompiler,
                 rechecks: RecheckCompiler):
        self.shapes = shapes
        self.variables = variables
        self.conditions = conditions
        self.rechecks = rechecks

    def compile(self, shape, prop, focus: Focus, rule) -> list[Check]:
        """The checks of the property shape ``prop`` on the focus nodes of ``shape`` (``prop`` itself if targeted)."""
        self.shapes.check_params(prop, PROPERTY_SHAPE_PARAMS, shape)
        path = self.shapes.path(prop)
        header = prefix_header(focus.prefixes)
        common = dict(node_shape=shape, source_shape=prop, severity=self.shapes.severity(prop),
                      message=self.shapes.message(prop), path=path, rule_shape=rule, focus=focus.pattern)

        def check(query: str, kind: str = FOCUS_ROWS, **fields) -> Check:
            return Check(query=header + query, kind=kind, **fields, **common)

        p = sparql_term(path)
        return [*self._min_count(prop, p, focus.pattern, check), *self._max_count(prop, p, focus.pattern, check),
                *self._qualified_counts(shape, prop, p, focus.pattern, check),
                *self._value_checks(shape, prop, p, focus.pattern, check)]

    def _min_count(self, prop, p: str, focus: str, check: Callable) -> list[Check]:
        n = self.shapes.one(prop, SH.minCount)
        if n is None or int(n) <= 0:
            return []
        v = self.variables.new()
        pre = MissingValue(f"SELECT ?this WHERE {{ ?this {p} {v} }}") if int(n) == 1 else None
        return [check(_too_few(focus, p, v, int(n), ""), component=SH.MinCountConstraintComponent, pre=pre)]

    def _max_count(self, prop, p: str, focus: str, check: Callable) -> list[Check]:
        n = self.shapes.one(prop, SH.maxCount)
        if n is None:
            return []
        query = self._too_many(focus, p, int(n), lambda x: "true")
        pre = TooManyRows(f"SELECT ?this WHERE {{ ?this {p} {self.variables.new()} }}", int(n))
        return [check(query, component=SH.MaxCountConstraintComponent, pre=pre)]

    def _qualified_counts(self, shape, prop, p: str, focus: str, check: Callable) -> list[Check]:
        """sh:qualifiedMinCount and sh:qualifiedMaxCount: counts of the values conforming to a shape."""
        qshape = self.shapes.one(prop, SH.qualifiedValueShape)
        if qshape is None:
            if any(self.shapes.has(prop, x) for x in (SH.qualifiedMinCount, SH.qualifiedMaxCount)):
                raise ShapeCompileError(
                    f"shape {self.shapes.describe(prop)}: a qualified count needs sh:qualifiedValueShape")
            return []
        v = self.variables.new()
        condition = self.conditions.conforms(qshape, v, shape)
        if not condition.exact:  # values are counted in SPARQL: no Python judgement can correct a count
            raise ShapeCompileError(f"shape {self.shapes.describe(prop)}: its sh:qualifiedValueShape needs "
                                    "sh:datatype or a range, which is not supported there")
        qualifying = f"SELECT ?this WHERE {{ ?this {p} {v} . FILTER({condition.sparql}) }}"
        out = []
        n = self.shapes.one(prop, SH.qualifiedMinCount)
        if n is not None and int(n) > 0:
            query = _too_few(focus, p, v, int(n), f" FILTER({condition.sparql})")
            out.append(check(query, component=SH.QualifiedMinCountConstraintComponent,
                             pre=MissingValue(qualifying) if int(n) == 1 else None))
        n = self.shapes.one(prop, SH.qualifiedMaxCount)
        if n is not None:
            query = self._too_many(focus, p, int(n), lambda x: self.conditions.conforms(qshape, x, shape).sparql)
            out.append(check(query, component=SH.QualifiedMaxCountConstraintComponent,
                             pre=TooManyRows(qualifying, int(n))))
        return out

    def _value_checks(self, shape, prop, p: str, focus: str, check: Callable) -> list[Check]:
        """One check per value constraint: the (focus node, value) pairs whose value fails it."""
        out = []
        for param in VALUE_PARAMS:
            for arg in self.shapes.objects(prop, param):
                condition = self.conditions.value(param, arg, "?value", prop, shape)
                failing = f"?this {p} ?value . FILTER(!({condition.sparql}))"
                if param == SH["class"]:
                    pre = OutsideClass(p, class_set("?t", [arg]))
                else:
                    pre = FailingValue(f"SELECT DISTINCT ?this WHERE {{ {failing} }}")
                recheck = None if condition.exact else self.rechecks.value(param, arg, prop, shape)
                out.append(check(f"SELECT DISTINCT ?this ?value WHERE {{ {RESTRICT}{focus} {failing} }}",
                                 kind=VALUE_ROWS, component=COMPONENT[param], pre=pre, recheck=recheck))
        return out

    def _too_many(self, focus: str, p: str, n: int, cond: Callable[[str], str]) -> str:
        """Focus nodes with more than ``n`` distinct values of ``p`` meeting ``cond(var)``."""
        if n <= 2:  # a join of n + 1 distinct values beats grouping every focus node
            vs = [self.variables.new() for _ in range(n + 1)]
            body = " ".join(f"?this {p} {x} . FILTER({cond(x)})" for x in vs)
            distinct = " ".join(f"FILTER(!sameTerm({a}, {b}))" for a, b in itertools.combinations(vs, 2))
            return f"SELECT DISTINCT ?this WHERE {{ {RESTRICT}{focus} {body} {distinct} }}"
        v = self.variables.new()
        return (f"SELECT ?this WHERE {{ {RESTRICT}{focus} ?this {p} {v} . FILTER({cond(v)}) }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) > {n})")


def _too_few(focus: str, p: str, v: str, n: int, value_filter: str) -> str:
    """Focus nodes with fewer than ``n`` distinct values ``v`` of ``p`` (passing ``value_filter``)."""
    values = f"{{ ?this {p} {v}{value_filter} }}"
    if n == 1:
        return f"SELECT DISTINCT ?this WHERE {{ {RESTRICT}{focus} FILTER NOT EXISTS {values} }}"
    return (f"SELECT ?this WHERE {{ {RESTRICT}{focus} OPTIONAL {values} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) < {n})")
