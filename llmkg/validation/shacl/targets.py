"""Compiling a shape's targets into a pattern that binds ``?this`` to each of its focus nodes."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, SH

from llmkg.validation.shacl.model import ShapeCompileError
from llmkg.validation.shacl.shapes_graph import TARGETS, ShapesGraph
from llmkg.validation.shacl.sparql_text import (RDF_TYPE, RESTRICT, Variables, class_set, insert_after_where,
                                                merge_prefixes, sparql_term)


@dataclass(frozen=True)
class Focus:
    """A group pattern binding ?this to the focus nodes ("" when there are none), and the prefixes it needs."""

    pattern: str = ""
    prefixes: dict = field(default_factory=dict)


def compile_focus(shapes: ShapesGraph, variables: Variables, shape) -> Focus:
    """The focus nodes of ``shape``: the union of its targets, each node once (but see below)."""
    prefixes: dict = {}
    class_branch = _class_targets(shapes, variables, shape)
    branches = [class_branch] if class_branch else []
    for n in shapes.objects(shape, SH.targetNode):
        branches.append(f"BIND({sparql_term(n)} AS ?this)")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        branches.append(f"?this {sparql_term(p)} {variables.new()} .")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        branches.append(f"{variables.new()} {sparql_term(p)} ?this .")
    for target in shapes.objects(shape, SH.target):
        branches.append(_sparql_target(shapes, shape, target, prefixes))
    if not branches:
        return Focus()
    if branches == [class_branch]:
        # Left as it is, it repeats a node with several matching types: every check is DISTINCT.
        return Focus(branches[0], prefixes)
    union = " UNION ".join(f"{{ {b} }}" for b in branches)
    return Focus(f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}", prefixes)


def _class_targets(shapes: ShapesGraph, variables: Variables, shape) -> str | None:
    """The branch for the target classes (sh:targetClass, or the shape being a class), if any."""
    classes = list(shapes.objects(shape, SH.targetClass))
    if shapes.is_class(shape):
        classes.append(shape)
    if not classes:
        return None
    # The subclasses are looked up once per validation (the data may add some) and
    # written in place of the class set: a type lookup per class, no path per query.
    t = variables.new("t")
    return f"{class_set(t, classes)} ?this {RDF_TYPE} {t} ."


def _sparql_target(shapes: ShapesGraph, shape, target, prefixes: dict) -> str:
    """The branch for one SPARQL-based target (sh:target [ sh:select … ]); adds its prefixes to ``prefixes``."""
    select = shapes.one(target, SH.select, shape)
    if select is None:
        raise ShapeCompileError(
            f"shape {shapes.describe(shape)}: only SPARQL targets (sh:select) are supported in sh:target")
    if any(p == SH.ask or (str(p).startswith(str(SH)) and p not in (SH.select, SH.prefixes))
           for p in shapes.graph.predicates(target) if p != RDF.type):
        raise ShapeCompileError(f"shape {shapes.describe(shape)}: unsupported parameters in its sh:target")
    merge_prefixes(prefixes, shapes.prefixes(target), shape)
    # Candidates restrict the target's own query, not only what it returns.
    restricted = insert_after_where(str(select), RESTRICT)
    return f"{{ {restricted[0] if restricted else str(select)} }}"


def only_sparql_target(shapes: ShapesGraph, shape):
    """The shape's sh:target node if that is its one and only target, else None."""
    targets = [(p, o) for p in TARGETS for o in shapes.objects(shape, p)]
    if len(targets) == 1 and targets[0][0] == SH.target:
        return targets[0][1]
    return None
