"""Judging in Python, exactly as pySHACL does, the few values an inexact condition leaves undecided.

See :mod:`.conditions`: a check whose condition is inexact returns every value
that does not *certainly* conform (normally none), and its ``recheck``, built
here, decides each of them on the rdflib term, with pySHACL's own rules.
"""
from __future__ import annotations

from typing import Callable

from rdflib import RDF, RDFS, SH, XSD, BNode, Literal, URIRef

from llmkg.validation.shacl.conditions import RANGES
from llmkg.validation.shacl.model import ShapeCompileError
from llmkg.validation.shacl.shapes_graph import VALUE_PARAMS, ShapesGraph

_NODE_KINDS = {SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,),
               SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal),
               SH.IRIOrLiteral: (URIRef, Literal)}


class RecheckCompiler:
    """Builds ``conforms(term) -> bool`` functions for value constraints (those judged without the graph)."""

    def __init__(self, shapes: ShapesGraph):
        self.shapes = shapes

    def conforms(self, shape, holder) -> Callable:
        """The term conforms to ``shape`` (value constraints only)."""
        checks = [self.value(param, arg, shape, holder)
                  for param in VALUE_PARAMS for arg in self.shapes.objects(shape, param)]
        if self.shapes.is_property_shape(shape) or any(self.shapes.objects(shape, SH.property)):
            raise ShapeCompileError(
                f"shape {self.shapes.describe(shape)}: property shapes under an inexact check are not supported")
        if self.shapes.deactivated(shape):
            return lambda t: True
        return lambda t: all(c(t) for c in checks)

    def value(self, param, arg, shape, holder) -> Callable:
        """The term meets the value constraint ``param arg`` of ``shape``."""
        if param == SH.datatype:
            return lambda t: datatype_ok(t, arg)
        if param in RANGES:
            return lambda t: range_ok(t, arg, param)
        if param == SH.languageIn:
            langs = {str(x).lower() for x in self.shapes.items(arg, shape)}
            return lambda t: isinstance(t, Literal) and bool(t.language) and (
                "*" in langs or t.language.lower() in langs or t.language.split("-")[0].lower() in langs)
        if param == SH.node:
            return self.conforms(arg, holder)
        if param in (SH["or"], SH["and"]):
            subs = [self.conforms(s, holder) for s in self.shapes.items(arg, shape)]
            return (lambda t: any(s(t) for s in subs)) if param == SH["or"] else (lambda t: all(s(t) for s in subs))
        if param == SH["in"]:
            members = set(self.shapes.items(arg, shape))
            return lambda t: t in members
        if param == SH.nodeKind:
            kinds = _NODE_KINDS[arg]
            return lambda t: isinstance(t, kinds)
        raise ShapeCompileError(f"shape {self.shapes.describe(shape)}: {param} cannot be judged without the graph "
                                "next to sh:datatype or a range")


def datatype_ok(t, dtype) -> bool:
    """pySHACL's DatatypeConstraintComponent for one value."""
    from datetime import date, datetime, time
    from decimal import Decimal

    if not isinstance(t, Literal):
        return False
    if t.datatype == dtype:
        if getattr(t, "ill_typed", None) is True:
            return False
        value = t.value
        checks = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                  XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}
        return isinstance(value, checks[dtype]) if dtype in checks else True
    if dtype == RDFS.Literal:
        return True
    if dtype == RDFS.Datatype and t.datatype:
        return True
    if t.datatype is None and t.language is None and dtype == XSD.string:
        return isinstance(t.value, (str, bytes))
    if dtype == RDF.langString and t.language:
        return isinstance(t.value, (str, bytes))
    return False


def range_ok(t, bound, param) -> bool:
    """pySHACL's min/max inclusive/exclusive components for one value."""
    from pyshacl.rdfutil.compare import compare_literal  # only when a value needs it: pySHACL is slow to import

    if not isinstance(t, Literal):
        return False
    bound_is_string, t_is_string = isinstance(bound.value, str), isinstance(t.value, str)
    if bound_is_string != t_is_string:
        return False
    try:
        cmp = compare_literal(t, bound)
    except (TypeError, NotImplementedError):
        return False
    return {SH.minInclusive: cmp >= 0, SH.minExclusive: cmp > 0,
            SH.maxInclusive: cmp <= 0, SH.maxExclusive: cmp < 0}[param]
