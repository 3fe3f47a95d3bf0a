"""Compiling a shapes graph into checks: which shapes are validated, and the checks of each."""
from __future__ import annotations

import threading
from pathlib import Path

from rdflib import RDF, SH, Graph, URIRef

from llmkg.validation.shacl.conditions import ConditionCompiler
from llmkg.validation.shacl.model import VALUE_ROWS, Check
from llmkg.validation.shacl.properties import PropertyCheckCompiler
from llmkg.validation.shacl.recheck import RecheckCompiler
from llmkg.validation.shacl.shapes_graph import COMPONENT, NODE_SHAPE_PARAMS, TARGETS, VALUE_PARAMS, ShapesGraph
from llmkg.validation.shacl.sparql_constraints import SparqlConstraintCompiler
from llmkg.validation.shacl.sparql_text import RESTRICT, Variables, prefix_header
from llmkg.validation.shacl.targets import Focus, compile_focus


class ShapeCompiler:
    """Compiles every targeted shape of one shapes graph."""

    def __init__(self, graph: Graph):
        self.shapes = ShapesGraph(graph)
        self.variables = Variables()
        self.conditions = ConditionCompiler(self.shapes, self.variables)
        self.rechecks = RecheckCompiler(self.shapes)
        self.properties = PropertyCheckCompiler(self.shapes, self.variables, self.conditions, self.rechecks)
        self.sparql = SparqlConstraintCompiler(self.shapes)

    def compile(self) -> list[Check]:
        checks: list[Check] = []
        for shape in sorted(self._targeted_shapes(), key=str):
            if not self.shapes.deactivated(shape):
                checks += self._shape_checks(shape)
        return checks

    def _targeted_shapes(self) -> set:
        """The shapes with focus nodes of their own: explicit targets, or node shapes that are classes."""
        graph = self.shapes.graph
        shapes = {s for p in TARGETS for s in graph.subjects(p, None)}
        return shapes | {s for s in graph.subjects(RDF.type, SH.NodeShape) if self.shapes.is_class(s)}

    def _shape_checks(self, shape) -> list[Check]:
        focus = compile_focus(self.shapes, self.variables, shape)
        rule = shape if isinstance(shape, URIRef) else None
        if self.shapes.is_property_shape(shape):
            return self.properties.compile(shape, shape, focus, rule)
        self.shapes.check_params(shape, NODE_SHAPE_PARAMS, shape)
        checks = self._node_value_checks(shape, focus)
        severity = self.shapes.severity(shape)
        for constraint in self.shapes.objects(shape, SH.sparql):
            if not self.shapes.deactivated(constraint):
                checks.append(self.sparql.compile(shape, constraint, focus, severity))
        for prop in sorted(self.shapes.objects(shape, SH.property), key=str):
            if not self.shapes.deactivated(prop):
                # an anonymous property shape is named after the node shape that holds it
                checks += self.properties.compile(shape, prop, focus, prop if isinstance(prop, URIRef) else rule)
        return checks

    def _node_value_checks(self, shape, focus: Focus) -> list[Check]:
        """The value constraints of a node shape, on the focus node itself as the value."""
        header = prefix_header(focus.prefixes)
        severity = self.shapes.severity(shape)
        out = []
        for param in VALUE_PARAMS:
            for arg in self.shapes.objects(shape, param):
                condition = self.conditions.value(param, arg, "?value", shape, shape)
                query = (f"{header}SELECT DISTINCT ?this ?value WHERE {{ {RESTRICT}{focus.pattern} "
                         f"BIND(?this AS ?value) FILTER(!({condition.sparql})) }}")
                message = self.shapes.message(shape)
                recheck = None if condition.exact else self.rechecks.value(param, arg, shape, shape)
                out.append(Check(
                    query=query, kind=VALUE_ROWS, node_shape=shape, focus=focus.pattern, source_shape=shape,
                    component=COMPONENT[param], severity=severity, message=message,
                    rule_shape=shape if isinstance(shape, URIRef) else None, recheck=recheck))
        return out


_cache: dict = {}
_lock = threading.Lock()


def compile_shapes(shapes: Graph | None = None) -> list[Check]:
    """The checks for a shapes graph (default: ``ontology/shapes.ttl``), compiled once per process and graph."""
    if shapes is None:
        from llmkg import paths

        f = Path(paths.shapes_file())
        key = ("file", str(f), f.stat().st_mtime_ns)
    else:
        key = ("graph", id(shapes), len(shapes))
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            return hit[1]
    graph = _default_shapes() if shapes is None else shapes
    checks = ShapeCompiler(graph).compile()
    with _lock:
        _cache[key] = (graph, checks)  # the graph is kept so its id is not reused
    return checks


def _default_shapes() -> Graph:
    from llmkg import paths
    from llmkg.sources.rdf import parse_file

    return parse_file(paths.shapes_file())
