"""SHACL as SPARQL on an Oxigraph store: pySHACL's results, in a fraction of the time.

pySHACL walks the graph focus node by focus node in Python (about a minute
for 1,000 models). Here each (shape, constraint) pair of ``ontology/shapes.ttl``
is compiled once into one SPARQL SELECT that returns the violating
(focus node, value) rows of the whole graph at once; Oxigraph runs it on the
asserted graphs (ontology + data, never the inferred graph) of a
:mod:`llmkg.store` store.

    from llmkg.store.load import load_store
    from llmkg.validation.shacl import validate_store
    results = validate_store(load_store())   # list[Result], rdflib terms

The results are meant to equal pySHACL's top-level ``sh:result`` entries
(``pyshacl.validate(data + ontology, shacl_graph=shapes, inference="none",
advanced=True)``) field for field: focus node, result path, value, message,
severity, source shape, source constraint and constraint component.
``tests/test_shacl_sparql.py`` checks that on the shipped data, a synthetic
graph and every bad fixture.

Only the constructs the project's shapes use (and a few trivial neighbours)
are compiled; anything else raises :class:`ShapeCompileError` naming the
shape, so a new construct in the shapes file fails loudly instead of being
skipped. A few checks cannot be decided exactly in SPARQL because pySHACL
inherits rdflib's notion of a well-formed literal (``sh:datatype``) and of
literal order (``sh:minInclusive`` …): the query returns every value that is
not *certainly* fine (normally none) and those few are judged in Python
exactly as pySHACL judges them.
"""
from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from llmkg.store.load import rdflib_term

__all__ = ["Result", "Check", "ShapeCompileError", "compile_shapes", "validate_store", "to_rdflib_term"]

OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")
_RDF_TYPE = f"<{RDF.type}>"
_CLASSES_MARK, _CLASSES_END = "#CLASSES[", "]#\n"
_SUBCLASS = f"<{RDFS.subClassOf}>"
#: Where a check's query may be restricted to candidate focus nodes (a comment until replaced).
_RESTRICT = "#RESTRICT#\n"


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
    #: What ``llmkg.validate._shacl`` calls the rule: the source constraint if it is an
    #: IRI, else the source shape, an anonymous property shape being named after the
    #: node shape that holds it. Not part of pySHACL's report.
    rule_shape: object = field(default=None, compare=False)


@dataclass(eq=False)
class Check:
    """One compiled (shape, constraint): a SELECT over the asserted graphs."""

    query: str
    kind: str  # "focus": rows (this); "value": rows (this, value); "sparql": a SPARQL constraint
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
    #: The focus pattern (binds ?this), for the focus set of count checks.
    focus: str = ""
    #: A cheap prefilter giving a superset of the violating focus nodes, or None: see ``_candidates``.
    pre: tuple | None = None

    def __str__(self) -> str:
        comp = str(self.component).rpartition("#")[2]
        return f"{self.rule_shape} {self.source_shape} {comp}"


# ---------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------

_XSD_STRING = str(XSD.string)


def to_rdflib_term(term):
    """A pyoxigraph term as the rdflib term pySHACL would report (xsd:string literals are plain)."""
    return rdflib_term(term)


def _sparql_term(term) -> str:
    """An rdflib term written in SPARQL."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise ShapeCompileError(f"cannot write {term!r} in a query (blank nodes cannot be constants)")


# ---------------------------------------------------------------------------
# Compiling
# ---------------------------------------------------------------------------

#: Parameters that never produce results and are ignored.
_INERT = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.prefixes, SH.declare}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
#: Parameters checked one value node at a time; they compile to a condition on the value.
_VALUE_PARAMS = {SH["class"], SH.datatype, SH.languageIn, SH.node, SH["or"], SH["and"], SH["not"],
                 SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive, SH["in"], SH.nodeKind}
_NODE_SHAPE_PARAMS = _VALUE_PARAMS | _TARGETS | {SH.property, SH.sparql, SH.severity, SH.message, SH.deactivated}
_PROPERTY_SHAPE_PARAMS = _VALUE_PARAMS | {
    SH.path, SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.severity, SH.message, SH.deactivated}

_COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent, SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent, SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent, SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
}

#: Lexical forms that rdflib certainly reads as a well-formed value of the datatype
#: (so pySHACL's sh:datatype passes); anything else is judged in Python.
_CERTAIN_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.boolean: r"^(true|false)$",
    XSD.date: r"^[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$",
    XSD.gYear: r"^[0-9]{4}$",
    XSD.gYearMonth: r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    XSD.decimal: r"^[+-]?[0-9]+(\.[0-9]+)?$",
}


class _Compiler:
    def __init__(self, shapes: Graph):
        self.g = shapes
        self.counter = itertools.count()

    # -- helpers ----------------------------------------------------------

    def var(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self.counter)}"

    def one(self, node, param, name=None):
        values = list(self.g.objects(node, param))
        if len(values) > 1:
            raise ShapeCompileError(f"shape {self.name(name or node)}: more than one {param.n3(self.g.namespace_manager)}")
        return values[0] if values else None

    def name(self, node) -> str:
        if isinstance(node, URIRef):
            try:
                return self.g.namespace_manager.normalizeUri(node)
            except Exception:
                return f"<{node}>"
        holder = next(iter(self.g.subjects(SH.property, node)), None)
        if holder is not None:
            return f"an anonymous property shape of {self.name(holder)}"
        return f"a blank-node shape [{', '.join(sorted(p.n3(self.g.namespace_manager) for p in set(self.g.predicates(node))))}]"

    def items(self, node, owner) -> list:
        try:
            return list(Collection(self.g, node))
        except Exception:
            raise ShapeCompileError(f"shape {self.name(owner)}: expected an RDF list") from None

    def deactivated(self, node) -> bool:
        d = self.one(node, SH.deactivated)
        return d is not None and bool(getattr(d, "value", False))

    def check_params(self, node, allowed, holder):
        for p in set(self.g.predicates(node)):
            if str(p).startswith(str(SH)) and p not in allowed and p not in _INERT:
                raise ShapeCompileError(
                    f"shape {self.name(node)} (in {self.name(holder)}) uses {p.n3(self.g.namespace_manager)}, "
                    "which llmkg.shacl_sparql cannot compile; add it there or drop it from the shapes")

    def severity(self, node):
        return self.one(node, SH.severity) or SH.Violation

    def message(self, node, required=True):
        msgs = list(self.g.objects(node, SH.message))
        if len(msgs) > 1:
            raise ShapeCompileError(f"shape {self.name(node)}: several sh:message values are not supported")
        if not msgs and required:
            raise ShapeCompileError(
                f"shape {self.name(node)} has no sh:message; pySHACL's generated messages are not reproduced, "
                "give one")
        return msgs[0] if msgs else None

    def path(self, node):
        p = self.one(node, SH.path)
        if not isinstance(p, URIRef):
            raise ShapeCompileError(f"shape {self.name(node)}: only an IRI is supported as sh:path, not {p!r}")
        return p

    def prefixes(self, node) -> dict[str, str]:
        out: dict[str, str] = {}
        for decl_holder in self.g.objects(node, SH.prefixes):
            for d in self.g.objects(decl_holder, SH.declare):
                prefix, ns = self.one(d, SH.prefix, node), self.one(d, SH.namespace, node)
                if prefix is None or ns is None:
                    raise ShapeCompileError(f"shape {self.name(node)}: an sh:declare needs sh:prefix and sh:namespace")
                out[str(prefix)] = str(ns)
        return out

    # -- targets ----------------------------------------------------------

    def focus(self, shape) -> tuple[str, dict]:
        """A group pattern binding ?this to each focus node of ``shape`` once, and the prefixes it needs."""
        branches, prefixes = [], {}
        classes = list(self.g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.g or (shape, RDF.type, OWL_CLASS) in self.g:
            classes.append(shape)  # implicit class target
        if classes:
            # The subclasses are looked up once per validation (the data may add some) and
            # written in place of the marker: a type lookup per class, no path per query.
            t = self.var("t")
            key = " ".join(sorted(_sparql_term(x) for x in classes))
            branches.append(f"VALUES {t} {{ {_CLASSES_MARK}{key}{_CLASSES_END} }} ?this {_RDF_TYPE} {t} .")
        for n in self.g.objects(shape, SH.targetNode):
            branches.append(f"BIND({_sparql_term(n)} AS ?this)")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            branches.append(f"?this {_sparql_term(p)} {self.var()} .")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            branches.append(f"{self.var()} {_sparql_term(p)} ?this .")
        for t in self.g.objects(shape, SH.target):
            select = self.one(t, SH.select, shape)
            if select is None:
                raise ShapeCompileError(f"shape {self.name(shape)}: only SPARQL targets (sh:select) are supported in sh:target")
            if any(p == SH.ask or (str(p).startswith(str(SH)) and p not in (SH.select, SH.prefixes))
                   for p in self.g.predicates(t) if p != RDF.type):
                raise ShapeCompileError(f"shape {self.name(shape)}: unsupported parameters in its sh:target")
            _merge_prefixes(prefixes, self.prefixes(t), shape)
            text = str(select)
            m = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE) or re.search(r"\{", text)
            if m is not None:  # candidates restrict the target itself, not only its result
                text = f"{text[:m.end()]} {_RESTRICT}{text[m.end():]}"
            branches.append(f"{{ {text} }}")
        if not branches:
            return "", {}
        if len(branches) == 1 and branches[0].startswith("VALUES"):
            return branches[0], prefixes  # may repeat ?this (several matching types): every check is DISTINCT
        union = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}", prefixes

    # -- conditions on one value node ----------------------------------------

    def cond(self, shape, v: str, holder) -> tuple[str, bool]:
        """SPARQL expression: ``v`` conforms to ``shape`` (certainly, if the flag is False)."""
        if self.deactivated(shape):
            return "true", True
        is_property = (shape, SH.path, None) in self.g
        self.check_params(shape, _PROPERTY_SHAPE_PARAMS if is_property else _NODE_SHAPE_PARAMS - _TARGETS - {SH.sparql},
                          holder)
        if is_property:
            return self.property_cond(shape, v, holder)
        parts, exact = [], True
        for param in _VALUE_PARAMS:
            for arg in self.g.objects(shape, param):
                e, x = self.value_cond(param, arg, v, shape, holder)
                parts.append(e)
                exact &= x
        for p in self.g.objects(shape, SH.property):
            e, x = self.cond(p, v, holder)
            parts.append(e)
            exact &= x
        return (" && ".join(f"({p})" for p in parts) or "true"), exact

    def property_cond(self, shape, v: str, holder) -> tuple[str, bool]:
        path = _sparql_term(self.path(shape))
        parts = []
        n = self.one(shape, SH.minCount)
        if n is not None and int(n) > 0:
            vs = [self.var() for _ in range(int(n))]
            triples = " ".join(f"{v} {path} {x} ." for x in vs)
            distinct = " ".join(f"FILTER(!sameTerm({a}, {b}))" for a, b in itertools.combinations(vs, 2))
            parts.append(f"EXISTS {{ {triples} {distinct} }}")
        n = self.one(shape, SH.maxCount)
        if n is not None:
            vs = [self.var() for _ in range(int(n) + 1)]
            triples = " ".join(f"{v} {path} {x} ." for x in vs)
            distinct = " ".join(f"FILTER(!sameTerm({a}, {b}))" for a, b in itertools.combinations(vs, 2))
            parts.append(f"NOT EXISTS {{ {triples} {distinct} }}")
        if (shape, SH.qualifiedValueShape, None) in self.g:
            raise ShapeCompileError(f"shape {self.name(shape)}: sh:qualifiedValueShape inside sh:or/sh:node is not supported")
        for param in _VALUE_PARAMS:
            for arg in self.g.objects(shape, param):
                y = self.var()
                e, exact = self.value_cond(param, arg, y, shape, holder)
                if not exact:
                    raise ShapeCompileError(f"shape {self.name(shape)}: {param} inside sh:or/sh:node on a path is not supported")
                parts.append(f"NOT EXISTS {{ {v} {path} {y} . FILTER(!({e})) }}")
        return (" && ".join(f"({p})" for p in parts) or "true"), True

    def value_cond(self, param, arg, v: str, shape, holder) -> tuple[str, bool]:
        if param == SH["class"]:
            # the subclasses of arg are written in at validation time (see focus())
            t = self.var("t")
            return (f"EXISTS {{ VALUES {t} {{ {_CLASSES_MARK}{_sparql_term(arg)}{_CLASSES_END} }} "
                    f"{v} {_RDF_TYPE} {t} }}"), True
        if param == SH.datatype:
            lexical = _CERTAIN_LEXICAL.get(arg)
            e = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {_sparql_term(arg)})"
            if lexical is None:
                return "false", False  # judged in Python
            return f"{e} && REGEX(STR({v}), {Literal(lexical).n3()})", False
        if param == SH.languageIn:
            langs = [str(x).lower() for x in self.items(arg, shape)]
            if "*" in langs:
                return f"isLiteral({v}) && LANG({v}) != \"\"", True
            ins = ", ".join(Literal(x).n3() for x in langs)
            if langs and all(re.fullmatch(r"[a-z0-9]+", x) for x in langs):
                # a range without "-": LANGMATCHES is exactly pySHACL's "tag or its first subtag is in"
                matches = " || ".join(f"LANGMATCHES(LANG({v}), {Literal(x).n3()})" for x in langs)
                return f"isLiteral({v}) && LANG({v}) != \"\" && ({matches})", True
            return (f"isLiteral({v}) && LANG({v}) != \"\" && (LCASE(LANG({v})) IN ({ins}) || "
                    f"LCASE(STRBEFORE(CONCAT(LANG({v}), \"-\"), \"-\")) IN ({ins}))"), True
        if param == SH.node:
            return self.cond(arg, v, holder)
        if param in (SH["or"], SH["and"]):
            subs = [self.cond(s, v, holder) for s in self.items(arg, shape)]
            joiner = " || " if param == SH["or"] else " && "
            return (joiner.join(f"({e})" for e, _ in subs) or ("false" if param == SH["or"] else "true"),
                    all(x for _, x in subs))
        if param == SH["not"]:
            e, exact = self.cond(arg, v, holder)
            if not exact:
                raise ShapeCompileError(f"shape {self.name(shape)}: sh:not over sh:datatype or a range is not supported")
            return f"!({e})", True
        if param in (SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive):
            op = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}[param]
            if not (isinstance(arg, Literal) and isinstance(arg.value, (int, float)) and not isinstance(arg.value, bool)):
                return "false", False
            return (f"isLiteral({v}) && sameTerm(DATATYPE({v}), <{XSD.integer}>) && "
                    f"REGEX(STR({v}), \"^[+-]?[0-9]+$\") && {v} {op} {_sparql_term(arg)}"), False
        if param == SH["in"]:
            members = self.items(arg, shape)
            if not members:
                return "false", True
            return " || ".join(f"sameTerm({v}, {_sparql_term(m)})" for m in members), True
        if param == SH.nodeKind:
            kinds = {SH.IRI: ["isIRI"], SH.BlankNode: ["isBlank"], SH.Literal: ["isLiteral"],
                     SH.BlankNodeOrIRI: ["isBlank", "isIRI"], SH.BlankNodeOrLiteral: ["isBlank", "isLiteral"],
                     SH.IRIOrLiteral: ["isIRI", "isLiteral"]}.get(arg)
            if kinds is None:
                raise ShapeCompileError(f"shape {self.name(shape)}: unknown sh:nodeKind {arg}")
            return " || ".join(f"{k}({v})" for k in kinds), True
        raise ShapeCompileError(f"shape {self.name(shape)}: cannot compile {param}")

    # -- exact judgement in Python (for the few inexact candidates) ------------

    def py_conforms(self, shape, holder) -> Callable:
        """``f(term) -> bool``: the term conforms to ``shape`` (value-level constraints only)."""
        checks = []
        for param in _VALUE_PARAMS:
            for arg in self.g.objects(shape, param):
                checks.append(self.py_value(param, arg, shape, holder))
        if (shape, SH.path, None) in self.g or any(self.g.objects(shape, SH.property)):
            raise ShapeCompileError(f"shape {self.name(shape)}: property shapes under an inexact check are not supported")
        if self.deactivated(shape):
            return lambda t: True
        return lambda t: all(c(t) for c in checks)

    def py_value(self, param, arg, shape, holder) -> Callable:
        if param == SH.datatype:
            return lambda t: _datatype_ok(t, arg)
        if param in (SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive):
            return lambda t: _range_ok(t, arg, param)
        if param == SH.languageIn:
            langs = {str(x).lower() for x in self.items(arg, shape)}
            return lambda t: isinstance(t, Literal) and bool(t.language) and (
                "*" in langs or t.language.lower() in langs or t.language.split("-")[0].lower() in langs)
        if param == SH.node:
            return self.py_conforms(arg, holder)
        if param in (SH["or"], SH["and"]):
            subs = [self.py_conforms(s, holder) for s in self.items(arg, shape)]
            return (lambda t: any(s(t) for s in subs)) if param == SH["or"] else (lambda t: all(s(t) for s in subs))
        if param == SH["in"]:
            members = set(self.items(arg, shape))
            return lambda t: t in members
        if param == SH.nodeKind:
            kinds = {SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,),
                     SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal),
                     SH.IRIOrLiteral: (URIRef, Literal)}[arg]
            return lambda t: isinstance(t, kinds)
        raise ShapeCompileError(f"shape {self.name(shape)}: {param} cannot be judged without the graph "
                                "next to sh:datatype or a range")

    # -- checks -------------------------------------------------------------

    def compile(self) -> list[Check]:
        shapes = {s for p in _TARGETS for s in self.g.subjects(p, None)}
        shapes |= {s for s in self.g.subjects(RDF.type, SH.NodeShape)
                   if (s, RDF.type, RDFS.Class) in self.g or (s, RDF.type, OWL_CLASS) in self.g}
        checks: list[Check] = []
        for shape in sorted(shapes, key=str):
            if self.deactivated(shape):
                continue
            focus, prefixes = self.focus(shape)
            rule = shape if isinstance(shape, URIRef) else None
            if (shape, SH.path, None) in self.g:
                checks += self.property_checks(shape, shape, focus, prefixes, rule)
                continue
            self.check_params(shape, _NODE_SHAPE_PARAMS, shape)
            checks += self.node_checks(shape, focus, prefixes)
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                if self.deactivated(prop):
                    continue
                checks += self.property_checks(shape, prop, focus, prefixes,
                                               prop if isinstance(prop, URIRef) else rule)
        return checks

    def _header(self, prefixes: dict) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))

    def node_checks(self, shape, focus, prefixes) -> list[Check]:
        out = []
        header = self._header(prefixes)
        severity = self.severity(shape)
        rule = shape if isinstance(shape, URIRef) else None
        for param in sorted(_VALUE_PARAMS, key=str):
            for arg in self.g.objects(shape, param):
                e, exact = self.value_cond(param, arg, "?value", shape, shape)
                out.append(Check(
                    query=f"{header}SELECT DISTINCT ?this ?value WHERE {{ {_RESTRICT}{focus} BIND(?this AS ?value) FILTER(!({e})) }}",
                    kind="value", node_shape=shape, focus=focus, source_shape=shape, component=_COMPONENT[param],
                    severity=severity, message=self.message(shape), rule_shape=rule,
                    recheck=None if exact else self.py_value(param, arg, shape, shape)))
        for c in self.g.objects(shape, SH.sparql):
            out.append(self.sparql_check(shape, c, focus, prefixes, severity))
        return out

    def sparql_check(self, shape, c, focus, prefixes, severity) -> Check:
        if self.deactivated(c):
            return None
        for p in set(self.g.predicates(c)):
            if str(p).startswith(str(SH)) and p not in (SH.select, SH.message, SH.prefixes, SH.deactivated):
                raise ShapeCompileError(f"SPARQL constraint {self.name(c)} of {self.name(shape)} uses unsupported {p}")
        select = self.one(c, SH.select, shape)
        if select is None:
            raise ShapeCompileError(f"SPARQL constraint {self.name(c)} of {self.name(shape)} has no sh:select")
        text = str(select)
        for var in ("$PATH", "$shapesGraph", "$currentShape", "?failure", "$failure"):
            if var in text:
                raise ShapeCompileError(f"SPARQL constraint {self.name(c)} uses {var}, which is not supported")
        message = self.message(c, required=False)
        if self.message(shape, required=False) is not None and message is not None:
            raise ShapeCompileError(f"shape {self.name(shape)} and its SPARQL constraint both have a sh:message")
        message = message if message is not None else self.message(shape)
        all_prefixes = dict(prefixes)
        _merge_prefixes(all_prefixes, self.prefixes(c), shape)
        projection = re.search(r"\bSELECT\b(.*?)(\bWHERE\b|\{)", text, re.IGNORECASE | re.DOTALL)
        if projection is None or not re.search(r"[?$]this\b", projection.group(1)):
            raise ShapeCompileError(f"SPARQL constraint {self.name(c)} must select $this explicitly")
        m = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE) or re.search(r"\{", text)
        if m is None:
            raise ShapeCompileError(f"SPARQL constraint {self.name(c)}: cannot find its WHERE clause")
        # The focus nodes join the constraint's pattern first, so $this is bound as pySHACL pre-binds it.
        query = f"{self._header(all_prefixes)}{text[:m.end()]} {_RESTRICT}{focus} {text[m.end():]}"
        return Check(query=query, kind="sparql", node_shape=shape, source_shape=shape,
                     component=SH.SPARQLConstraintComponent, severity=severity, message=message,
                     source_constraint=c, rule_shape=c if isinstance(c, URIRef) else shape, focus=focus,
                     pre=self.sparql_pre(shape, text, m.end(), all_prefixes))

    def sparql_pre(self, shape, text, body_start, prefixes) -> tuple | None:
        """The prefilter of a SPARQL constraint: its target's cycles, or its body run without the focus."""
        targets = [(p, o) for p in _TARGETS for o in self.g.objects(shape, p)]
        if len(targets) == 1 and targets[0][0] == SH.target:
            select = str(self.one(targets[0][1], SH.select, shape))
            preds = _cycle_predicates(select, {**prefixes, **self.prefixes(targets[0][1])})
            if preds is not None:
                return ("cycle", preds)
        order = _order_pattern(text, prefixes)
        if order is not None:
            return ("order", *order)
        body = text[body_start:]
        if (len(re.findall(r"\bSELECT\b", text, re.IGNORECASE)) == 1
                and not re.search(r"\b(OPTIONAL|MINUS|EXISTS|UNION|GRAPH|SERVICE|GROUP|HAVING|LIMIT|OFFSET|ORDER)\b",
                                  text, re.IGNORECASE)
                and re.match(r"\s*[?$]this\s", body)):
            # Only triple patterns, filters and binds, the first pattern binding $this: every row of the
            # constraint run on all nodes binds $this, and those of the focus nodes are among them.
            return ("body", f"{self._header(prefixes)}SELECT DISTINCT ?this WHERE {{ {{ {text} }} }}")
        return None

    def too_many(self, focus, p, n, cond) -> str:
        """Focus nodes with more than ``n`` distinct values of ``p`` meeting ``cond(var)``."""
        if n <= 2:  # a join of n + 1 distinct values beats grouping every focus node
            vs = [self.var() for _ in range(n + 1)]
            body = " ".join(f"?this {p} {x} . FILTER({cond(x)})" for x in vs)
            distinct = " ".join(f"FILTER(!sameTerm({a}, {b}))" for a, b in itertools.combinations(vs, 2))
            return f"SELECT DISTINCT ?this WHERE {{ {_RESTRICT}{focus} {body} {distinct} }}"
        v = self.var()
        return (f"SELECT ?this WHERE {{ {_RESTRICT}{focus} ?this {p} {v} . FILTER({cond(v)}) }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) > {n})")

    def property_checks(self, shape, prop, focus, prefixes, rule) -> list[Check]:
        self.check_params(prop, _PROPERTY_SHAPE_PARAMS, shape)
        path = self.path(prop)
        p = _sparql_term(path)
        header = self._header(prefixes)
        severity = self.severity(prop)
        message = self.message(prop)
        common = dict(node_shape=shape, source_shape=prop, severity=severity, message=message, path=path,
                      rule_shape=rule, focus=focus)
        out = []
        n = self.one(prop, SH.minCount)
        if n is not None and int(n) > 0:
            v = self.var()
            rows = f"SELECT ?this WHERE {{ ?this {p} {v} }}"
            if int(n) == 1:
                q = f"SELECT DISTINCT ?this WHERE {{ {_RESTRICT}{focus} FILTER NOT EXISTS {{ ?this {p} {v} }} }}"
            else:
                q = (f"SELECT ?this WHERE {{ {_RESTRICT}{focus} OPTIONAL {{ ?this {p} {v} }} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) < {int(n)})")
            out.append(Check(query=header + q, kind="focus", component=SH.MinCountConstraintComponent,
                             pre=("min", rows) if int(n) == 1 else None, **common))
        n = self.one(prop, SH.maxCount)
        if n is not None:
            q = self.too_many(focus, p, int(n), lambda x: "true")
            rows = f"SELECT ?this WHERE {{ ?this {p} {self.var()} }}"
            out.append(Check(query=header + q, kind="focus", component=SH.MaxCountConstraintComponent,
                             pre=("max", rows, int(n)), **common))
        qshape = self.one(prop, SH.qualifiedValueShape)
        if qshape is not None:
            if self.one(prop, SH.qualifiedValueShapesDisjoint) is not None:
                raise ShapeCompileError(f"shape {self.name(prop)}: sh:qualifiedValueShapesDisjoint is not supported")
            v = self.var()
            e, exact = self.cond(qshape, v, shape)
            if not exact:
                raise ShapeCompileError(f"shape {self.name(prop)}: its sh:qualifiedValueShape needs sh:datatype "
                                        "or a range, which is not supported there")
            for param, op, comp in ((SH.qualifiedMinCount, "<", SH.QualifiedMinCountConstraintComponent),
                                    (SH.qualifiedMaxCount, ">", SH.QualifiedMaxCountConstraintComponent)):
                n = self.one(prop, param)
                if n is None:
                    continue
                if op == "<" and int(n) <= 0:
                    continue
                rows = f"SELECT ?this WHERE {{ ?this {p} {v} . FILTER({e}) }}"
                if op == ">":
                    q = self.too_many(focus, p, int(n), lambda x: self.cond(qshape, x, shape)[0])
                    pre = ("max", rows, int(n))
                elif int(n) == 1:
                    q = f"SELECT DISTINCT ?this WHERE {{ {_RESTRICT}{focus} FILTER NOT EXISTS {{ ?this {p} {v} FILTER({e}) }} }}"
                    pre = ("min", rows)
                else:
                    q = (f"SELECT ?this WHERE {{ {_RESTRICT}{focus} OPTIONAL {{ ?this {p} {v} FILTER({e}) }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) {op} {int(n)})")
                    pre = None
                out.append(Check(query=header + q, kind="focus", component=comp, pre=pre, **common))
        elif any((prop, x, None) in self.g for x in (SH.qualifiedMinCount, SH.qualifiedMaxCount)):
            raise ShapeCompileError(f"shape {self.name(prop)}: a qualified count needs sh:qualifiedValueShape")
        for param in sorted(_VALUE_PARAMS, key=str):
            for arg in self.g.objects(prop, param):
                e, exact = self.value_cond(param, arg, "?value", prop, shape)
                q = f"SELECT DISTINCT ?this ?value WHERE {{ {_RESTRICT}{focus} ?this {p} ?value . FILTER(!({e})) }}"
                if param == SH["class"]:
                    # the path's distinct values (few: organisations, modalities …) against the class's
                    # instances, both read once and shared by every check on that path or class
                    pre = ("class", p, f"{_CLASSES_MARK}{_sparql_term(arg)}{_CLASSES_END}")
                else:
                    pre = ("value", f"SELECT DISTINCT ?this WHERE {{ ?this {p} ?value . FILTER(!({e})) }}")
                out.append(Check(query=header + q, kind="value", component=_COMPONENT[param], pre=pre,
                                 recheck=None if exact else self.py_value(param, arg, prop, shape), **common))
        return out


def _merge_prefixes(into: dict, new: dict, shape) -> None:
    for p, ns in new.items():
        if into.get(p, ns) != ns:
            raise ShapeCompileError(f"shape {shape}: prefix {p}: is declared twice with different namespaces")
        into[p] = ns


# -- pySHACL's literal judgements, for the few candidates SPARQL cannot decide --

def _datatype_ok(t, dtype) -> bool:
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


def _range_ok(t, bound, param) -> bool:
    """pySHACL's min/max inclusive/exclusive components for one value."""
    from pyshacl.rdfutil.compare import compare_literal

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


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

_cache: dict = {}
_lock = threading.Lock()


def _default_shapes() -> Graph:
    from llmkg import paths
    from llmkg.sources.rdf import parse_file

    return parse_file(paths.shapes_file())


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
    checks = [c for c in _Compiler(graph).compile() if c is not None]
    with _lock:
        _cache[key] = (graph, checks)  # the graph is kept so its id is not reused
    return checks


_CLASSES_RE = re.compile(re.escape(_CLASSES_MARK) + r"(.*?)" + re.escape(_CLASSES_END))


def _substitute(message: str, bindings: list[tuple[str, object]]) -> str:
    for var, val in bindings:
        message = re.sub("{{[?$]{}}}".format(var), str(val), message)
    return message


def _cycle_predicates(select: str, prefixes: dict) -> list[str] | None:
    """The IRIs P if ``select`` is ``SELECT DISTINCT ?this WHERE { ?this (P1|P2|…)+ ?this }``, else None."""
    m = re.fullmatch(r"\s*SELECT\s+(?:DISTINCT\s+)?[?$]this\s+WHERE\s*\{\s*[?$]this\s+\(?([^()\s]+?)\)?\+\s+"
                     r"[?$]this\s*\.?\s*\}\s*", select, re.IGNORECASE)
    if m is None:
        return None
    out = [_iri(name, prefixes) for name in m.group(1).split("|")]
    return None if None in out else out


def _iri(name: str, prefixes: dict) -> str | None:
    """A prefixed name or <IRI> written as <IRI>, or None."""
    if name.startswith("<") and name.endswith(">"):
        return name
    prefix, colon, local = name.partition(":")
    if not colon or prefix not in prefixes or not re.fullmatch(r"[\w-]*", local):
        return None
    return f"<{prefixes[prefix]}{local}>"


_ORDER_RE = re.compile(
    r"\s*SELECT\s+[?$]this\s+\?path\s+\?value\s+\?mine\s+\?theirs\s+WHERE\s*\{\s*"
    r"[?$]this\s+\?path\s+\?value\s*\.\s*"
    r"FILTER\s*\(\s*\?path\s+IN\s*\(([^()]*)\)\s*\)\s*"
    r"[?$]this\s+(\S+)\s+\?mine\s*\.\s*"
    r"\?value\s+(\S+)\s+\?theirs\s*\.\s*"
    r"BIND\s*\(\s*STR\(\s*\?mine\s*\)\s+AS\s+\?a\s*\)\s*"
    r"BIND\s*\(\s*STR\(\s*\?theirs\s*\)\s+AS\s+\?b\s*\)\s*"
    r"BIND\s*\(\s*IF\s*\(\s*STRLEN\(\s*\?a\s*\)\s*<\s*STRLEN\(\s*\?b\s*\)\s*,\s*STRLEN\(\s*\?a\s*\)\s*,"
    r"\s*STRLEN\(\s*\?b\s*\)\s*\)\s+AS\s+\?n\s*\)\s*"
    r"FILTER\s*\(\s*SUBSTR\(\s*\?a\s*,\s*1\s*,\s*\?n\s*\)\s*<\s*SUBSTR\(\s*\?b\s*,\s*1\s*,\s*\?n\s*\)\s*\)\s*"
    r"\}\s*", re.IGNORECASE)


def _order_pattern(select: str, prefixes: dict) -> tuple | None:
    """(links, date) if ``select`` is the release-order constraint: ``$this`` linked to ``?value`` by one of
    the IRIs ``links``, both dated by ``date``, the common prefix of ``$this``'s date before ``?value``'s."""
    m = _ORDER_RE.fullmatch(select)
    if m is None or m.group(2) != m.group(3):
        return None
    links = [_iri(x.strip(), prefixes) for x in m.group(1).split(",")]
    date = _iri(m.group(2), prefixes)
    if date is None or not links or None in links:
        return None
    return tuple(links), date


def _lexical(term: bytes) -> str | None:
    """STR() of a TSV literal term, or None when it is not plainly readable (the caller then keeps the row)."""
    if not term.startswith(b'"'):
        return None
    end = term.rfind(b'"')
    if end <= 0 or b"\\" in term[:end]:
        return None
    rest = term[end + 1:]
    if rest and not rest.startswith((b"^^", b"@")):
        return None
    return term[1:end].decode("utf-8")


def _released_before(edges, dates: dict) -> set:
    """The subjects s of edges (s, o) with dates d(s), d(o) whose common prefix has d(s) first (STR/SUBSTR semantics)."""
    out = set()
    lexical: dict = {}
    for s, o in edges:
        if s in out:
            continue
        mine, theirs = dates.get(s), dates.get(o)
        if not mine or not theirs:
            continue
        for x in mine:
            a = lexical[x] if x in lexical else lexical.setdefault(x, _lexical(x))
            for y in theirs:
                b = lexical[y] if y in lexical else lexical.setdefault(y, _lexical(y))
                if a is None or b is None:
                    out.add(s)  # not read here: the exact query judges it
                    break
                n = min(len(a), len(b))
                if a[:n] < b[:n]:
                    out.add(s)
                    break
            if s in out:
                break
    return out


def _cycle_nodes(edges: list[tuple[bytes, bytes]]) -> set[bytes]:
    """The nodes x with a path of one or more edges from x to x."""
    from llmkg.reasoning.rules import strongly_connected

    graph: dict[bytes, list[bytes]] = {}
    out = set()
    for s, o in edges:
        graph.setdefault(s, []).append(o)
        if s == o:
            out.add(s)
    for component in strongly_connected(graph):
        if len(component) > 1:
            out.update(component)
    return out


_HELPER_VAR = re.compile(r"\?_[a-z]+[0-9]+\b")
#: Above this many candidate focus nodes a check runs unrestricted.
_MAX_CANDIDATES = 5000


class _Run:
    """One validation run: the store, the subclass closures and the prefilters' rows, each read once."""

    def __init__(self, store):
        from llmkg.store.load import ASSERTED_GRAPHS

        self.store = store
        self.graphs = list(ASSERTED_GRAPHS)
        self.closures: dict[str, str] = {}
        self.lines: dict[str, list[bytes]] = {}
        self.sets: dict[str, set] = {}
        self.counts: dict[tuple, set] = {}
        self.pairs: dict[str, list] = {}

    def _closure(self, match) -> str:
        key = match.group(1)
        if key not in self.closures:
            q = f"SELECT DISTINCT ?t WHERE {{ VALUES ?c {{ {key} }} ?t {_SUBCLASS}* ?c }}"
            found = {key_term for key_term in key.split()}
            found |= {f"<{row[0].value}>" for row in self.store.query(q, default_graph=self.graphs)
                      if isinstance(row[0], ox.NamedNode)}
            self.closures[key] = " ".join(sorted(found))
        return self.closures[key]

    def fill(self, query: str) -> str:
        """The query with the subclasses written in and its helper variables renamed in order (a cache key)."""
        names: dict[str, str] = {}
        query = _CLASSES_RE.sub(self._closure, query)
        return _HELPER_VAR.sub(lambda m: names.setdefault(m.group(0), f"?_h{len(names)}"), query)

    def tsv(self, query: str) -> list[bytes]:
        """The rows of a SELECT as TSV lines (terms in N-Triples syntax, one per node), header dropped."""
        query = self.fill(query)
        hit = self.lines.get(query)
        if hit is None:
            data = self.store.query(query, default_graph=self.graphs).serialize(format=ox.QueryResultsFormat.TSV)
            hit = data.split(b"\n")[1:]
            if hit and hit[-1] == b"":
                hit.pop()
            self.lines[query] = hit
        return hit

    def set_of(self, query: str) -> set:
        key = self.fill(query)
        hit = self.sets.get(key)
        if hit is None:
            hit = self.sets[key] = set(self.tsv(query))
        return hit

    def more_than(self, query: str, n: int) -> set:
        key = (self.fill(query), n)
        hit = self.counts.get(key)
        if hit is None:
            from collections import Counter

            hit = self.counts[key] = {k for k, c in Counter(self.tsv(query)).items() if c > n}
        return hit

    def edges(self, predicates) -> list[tuple[bytes, bytes]]:
        """The (subject, object) pairs of the predicates (IRIs in SPARQL), read once per predicate."""
        out = []
        for p in predicates:
            hit = self.pairs.get(p)
            if hit is None:
                hit = self.pairs[p] = [tuple(line.split(b"\t")) for line in self.tsv(f"SELECT ?s ?o WHERE {{ ?s {p} ?o }}")]
            out += hit
        return out

    def candidates(self, check: Check) -> set | None:
        """A superset of the focus nodes ``check`` reports (as TSV terms), or None if unknown."""
        pre = check.pre
        if pre is None:
            return None
        kind = pre[0]
        if kind == "min":  # focus nodes without a (qualifying) value
            return self.set_of(f"SELECT ?this WHERE {{ {check.focus} }}") - self.set_of(pre[1])
        if kind == "max":  # nodes with more than n rows, so perhaps more than n distinct values
            return self.more_than(pre[1], pre[2])
        if kind == "value":  # nodes with a failing value
            return self.set_of(pre[1])
        if kind == "class":  # nodes with a value outside the class
            bad = (self.set_of(f"SELECT DISTINCT ?v WHERE {{ ?s {pre[1]} ?v }}")
                   - self.set_of(f"SELECT ?x WHERE {{ VALUES ?t {{ {pre[2]} }} ?x {_RDF_TYPE} ?t }}"))
            if not bad:
                return set()
            if any(v.startswith(b"_:") for v in bad):  # blank nodes cannot be written in VALUES
                return self.set_of(f"SELECT DISTINCT ?this WHERE {{ ?this {pre[1]} ?value MINUS {{ VALUES ?t {{ "
                                   f"{pre[2]} }} ?value {_RDF_TYPE} ?t }} }}")
            values = b" ".join(sorted(bad)).decode()
            return set(self.tsv(f"SELECT DISTINCT ?this WHERE {{ VALUES ?v {{ {values} }} ?this {pre[1]} ?v }}"))
        if kind == "cycle":
            return _cycle_nodes(self.edges(pre[1]))
        if kind == "order":
            dates: dict = {}
            for line in self.tsv(f"SELECT ?s ?d WHERE {{ ?s {pre[2]} ?d }}"):
                s, _, d = line.partition(b"\t")
                dates.setdefault(s, []).append(d)
            return _released_before(self.edges(pre[1]), dates)
        if kind == "body":
            found = self.set_of(pre[1])
            return None if b"" in found else found
        raise ValueError(kind)

    def run(self, check: Check):
        """The rows of ``check``'s query, restricted to its candidates when they are known and few."""
        query = check.query
        cands = self.candidates(check)
        if cands is not None:
            if not cands:
                return []
            if check.pre[0] == "cycle" and query.count(check.focus) == 1 and len(cands) <= _MAX_CANDIDATES \
                    and all(c.startswith(b"<") for c in cands):
                # the target is "nodes on a cycle": exactly the candidates, no need to run it again
                query = query.replace(check.focus, "VALUES ?this { " + b" ".join(sorted(cands)).decode() + " }")
            elif _RESTRICT not in check.focus and check.focus and query.count(check.focus) == 1:
                # a focus without a SPARQL target: its nodes are cheap to list, and the candidates
                # that are focus nodes take its place in the query (Oxigraph then starts from them)
                cands = cands & self.set_of(f"SELECT ?this WHERE {{ {check.focus} }}")
                if not cands:
                    return []
                if len(cands) <= _MAX_CANDIDATES and all(c.startswith(b"<") for c in cands):
                    values = "VALUES ?this { " + b" ".join(sorted(cands)).decode() + " }"
                    query = query.replace(check.focus, values)
            elif len(cands) <= _MAX_CANDIDATES and all(c.startswith(b"<") for c in cands):
                values = "VALUES ?this { " + b" ".join(sorted(cands)).decode() + " }\n"
                query = query.replace(_RESTRICT, values)
        return self.store.query(_CLASSES_RE.sub(self._closure, query), default_graph=self.graphs)


def validate_store(store, shapes: Graph | None = None, *, timings: dict | None = None) -> list[Result]:
    """Run the shapes on the asserted graphs (ontology + data) of ``store``.

    ``store`` is a :class:`pyoxigraph.Store` laid out as :mod:`llmkg.store`
    lays it out (or a ``GraphStore``); the inferred graph is ignored.
    ``timings``, if given, receives the seconds spent on each check (for profiling).

    Most checks first run a cheap prefilter (see :meth:`_Run.candidates`) on rows
    shared between checks: the focus nodes that may violate the check. None: the
    check is skipped; a few: its exact query runs on them alone (``VALUES ?this``).
    """
    import time

    store = getattr(store, "store", store)
    results: list[Result] = []
    conv_cache: dict = {}
    run = _Run(store)

    def conv(term):
        if term is None:
            return None
        hit = conv_cache.get(term)
        if hit is None:
            hit = conv_cache[term] = to_rdflib_term(term)
        return hit

    for check in compile_shapes(shapes):
        start = time.perf_counter()
        try:
            rows = run.run(check)
        except SyntaxError as e:
            raise ShapeCompileError(f"the query compiled for {check} does not parse: {e}\n{check.query}") from None
        base = dict(path=check.path, severity=check.severity, source_shape=check.source_shape,
                    source_constraint=check.source_constraint, component=check.component,
                    rule_shape=check.rule_shape)
        if check.kind == "focus":
            for row in rows:
                results.append(Result(focus=conv(row[0]), value=None, message=check.message, **base))
        elif check.kind == "value":
            for row in rows:
                value = conv(row[1])
                if check.recheck is not None and check.recheck(value):
                    continue
                results.append(Result(focus=conv(row[0]), value=value, message=check.message, **base))
        elif rows:
            results.extend(_sparql_results(check, rows, conv, base))
        if timings is not None:
            timings[check] = time.perf_counter() - start
    return results


def _sparql_results(check: Check, rows, conv, base) -> Iterable[Result]:
    names = [v.value for v in rows.variables]
    seen = set()
    for row in rows:
        bound = {n: conv(row[n]) for n in names if row[n] is not None}
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
            pairs = list(bound.items()) + [(k, x) for k, x in (("this", this), ("path", path), ("value", value))
                                           if x is not None]
            message = Literal(_substitute(str(message.value), pairs))
        yield Result(focus=this, value=value, message=message,
                     **{**base, "path": path if path is not None else base["path"]})
