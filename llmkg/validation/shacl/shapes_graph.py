"""Reading the shapes graph: which parameters a shape may use, and their values, checked.

Every reader raises :class:`ShapeCompileError` naming the shape when the shapes
use something the compiler does not handle, so a new construct in the shapes
file fails loudly instead of being skipped.
"""
from __future__ import annotations

from rdflib import RDF, RDFS, SH, Graph, URIRef
from rdflib.collection import Collection

from llmkg.validation.shacl.model import ShapeCompileError

OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")

#: Parameters that never produce results and are ignored.
INERT = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.prefixes, SH.declare}
TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
#: Parameters checked one value node at a time; they compile to a condition on the value.
#: In one fixed order (by IRI), so the compiled text does not vary from one process to the next.
VALUE_PARAMS = tuple(sorted((SH["class"], SH.datatype, SH.languageIn, SH.node, SH["or"], SH["and"], SH["not"],
                             SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive, SH["in"],
                             SH.nodeKind), key=str))
NODE_SHAPE_PARAMS = {*VALUE_PARAMS} | TARGETS | {SH.property, SH.sparql, SH.severity, SH.message, SH.deactivated}
PROPERTY_SHAPE_PARAMS = {*VALUE_PARAMS} | {
    SH.path, SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.severity, SH.message, SH.deactivated}
#: The parameters a SPARQL constraint may use.
SPARQL_CONSTRAINT_PARAMS = (SH.select, SH.message, SH.prefixes, SH.deactivated)

#: sh:sourceConstraintComponent of each value parameter.
COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent, SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent, SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent, SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
}


class ShapesGraph:
    """The shapes graph, read one checked parameter at a time."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def objects(self, node, param):
        return self.graph.objects(node, param)

    def has(self, node, param) -> bool:
        return (node, param, None) in self.graph

    def is_property_shape(self, node) -> bool:
        return self.has(node, SH.path)

    def is_class(self, node) -> bool:
        """A class is its own implicit target class."""
        return (node, RDF.type, RDFS.Class) in self.graph or (node, RDF.type, OWL_CLASS) in self.graph

    def one(self, node, param, name=None):
        """The one value of ``param`` (or None); several are an error."""
        values = list(self.graph.objects(node, param))
        if len(values) > 1:
            raise ShapeCompileError(f"shape {self.describe(name or node)}: more than one {self.curie(param)}")
        return values[0] if values else None

    def curie(self, iri) -> str:
        return iri.n3(self.graph.namespace_manager)

    def describe(self, node) -> str:
        """The shape as an error message names it: a prefixed name, or where an anonymous shape is."""
        if isinstance(node, URIRef):
            try:
                return self.graph.namespace_manager.normalizeUri(node)
            except Exception:
                return f"<{node}>"
        holder = next(iter(self.graph.subjects(SH.property, node)), None)
        if holder is not None:
            return f"an anonymous property shape of {self.describe(holder)}"
        params = sorted(self.curie(p) for p in set(self.graph.predicates(node)))
        return f"a blank-node shape [{', '.join(params)}]"

    def items(self, node, owner) -> list:
        """The members of the RDF list ``node`` (a parameter of ``owner``)."""
        try:
            return list(Collection(self.graph, node))
        except Exception:
            raise ShapeCompileError(f"shape {self.describe(owner)}: expected an RDF list") from None

    def deactivated(self, node) -> bool:
        d = self.one(node, SH.deactivated)
        return d is not None and bool(getattr(d, "value", False))

    def check_params(self, node, allowed, holder) -> None:
        """Raise if ``node`` uses a SHACL parameter outside ``allowed`` that is not inert."""
        for p in set(self.graph.predicates(node)):
            if str(p).startswith(str(SH)) and p not in allowed and p not in INERT:
                raise ShapeCompileError(
                    f"shape {self.describe(node)} (in {self.describe(holder)}) uses {self.curie(p)}, "
                    "which llmkg.validation.shacl cannot compile; add it there or drop it from the shapes")

    def severity(self, node):
        return self.one(node, SH.severity) or SH.Violation

    def message(self, node, required=True):
        """The shape's one sh:message; pySHACL's generated messages are not reproduced, so one is required."""
        msgs = list(self.graph.objects(node, SH.message))
        if len(msgs) > 1:
            raise ShapeCompileError(f"shape {self.describe(node)}: several sh:message values are not supported")
        if not msgs and required:
            raise ShapeCompileError(
                f"shape {self.describe(node)} has no sh:message; pySHACL's generated messages are not reproduced, "
                "give one")
        return msgs[0] if msgs else None

    def path(self, node) -> URIRef:
        p = self.one(node, SH.path)
        if not isinstance(p, URIRef):
            raise ShapeCompileError(f"shape {self.describe(node)}: only an IRI is supported as sh:path, not {p!r}")
        return p

    def prefixes(self, node) -> dict[str, str]:
        """The prefixes ``node`` declares through sh:prefixes."""
        out: dict[str, str] = {}
        for decl_holder in self.graph.objects(node, SH.prefixes):
            for d in self.graph.objects(decl_holder, SH.declare):
                prefix, ns = self.one(d, SH.prefix, node), self.one(d, SH.namespace, node)
                if prefix is None or ns is None:
                    raise ShapeCompileError(
                        f"shape {self.describe(node)}: an sh:declare needs sh:prefix and sh:namespace")
                out[str(prefix)] = str(ns)
        return out
