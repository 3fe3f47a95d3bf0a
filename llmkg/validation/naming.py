"""Findings a contributor can act on: every problem named by its file and
line, its node (prefixed name and label), the property, the value and the rule.

The checks find problems as rdflib terms; these functions turn them into
:class:`~llmkg.validation.report.Finding` objects, reading labels, blank-node
parents and provenance from a *context*: a :class:`llmkg.sources.rdf.Loaded`
whose ``graph`` holds what naming the nodes needs and whose ``origin(node)``
gives where a node is described.
"""
from __future__ import annotations

from rdflib import OWL, PROV, RDF, RDFS, SH, BNode, Literal, URIRef

from llmkg.errors import InputError
from llmkg.sources.files import Origin
from llmkg.validation.report import Finding
from llmkg.vocab import KG, curie

_SH_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}

#: Shapes an imported node (one with prov:wasGeneratedBy, written by
#: ``llmkg import``) cannot meet from its catalogue alone: catalogues carry no
#: Chinese names and no definitions. For those nodes they are info, so an
#: import is judged on its facts (developer, dates, sizes, lineage) while the
#: gaps stay visible for anyone curating the entries by hand.
IMPORT_LENIENT = {"shapes:ChineseLabel", "shapes:ChineseDefinition", "shapes:EnglishDefinition"}


def name(term) -> str:
    """An rdflib term as a finding shows it: ``kg:X``, ``"-7"^^xsd:integer``, ``"text"@en``, ``_:b0``."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie(str(term))
    if isinstance(term, Literal):
        text = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^{curie(str(term.datatype))}"
        return text
    return f"_:{term}"


def label_of(graph, node) -> str:
    """The node's English label, else its Chinese one, else any."""
    labels = {l.language: str(l) for l in graph.objects(node, RDFS.label) if isinstance(l, Literal)}
    return labels.get("en") or labels.get("zh") or next(iter(labels.values()), "")


def make_finding(context, severity, message, node, path=None, value=None, rule="") -> Finding:
    """A finding about ``node``, located; a blank node is shown through the named node holding it."""
    origin = context.origin(node) or Origin("")
    shown = node
    while isinstance(shown, BNode):
        parent = next(iter(context.graph.subjects(None, shown)), None)
        if parent is None:
            break
        shown = parent
    focus = name(node) if shown is node else f"{name(shown)} (inside)"
    return Finding(
        severity=severity,
        message=message,
        focus_node=focus,
        label=label_of(context.graph, shown),
        path=name(path) if path is not None else "",
        value=name(value) if value is not None else "",
        file=origin.file,
        line=origin.line,
        rule=rule,
    )


def input_finding(error: InputError) -> Finding:
    """A file that could not be read, as a finding (a syntax error with its line and column)."""
    reason = getattr(error, "reason", None)
    return Finding(
        severity="error",
        message=f"Turtle syntax error: {reason}; fix the file at this position" if reason else str(error),
        file=getattr(error, "file", ""),
        line=getattr(error, "line", None),
        column=getattr(error, "column", None),
        rule="syntax",
    )


def shacl_finding(context, shapes, *, focus, path, value, message, severity, constraint, shape,
                  component) -> Finding:
    """One SHACL validation result (pySHACL's, or the compiled shapes') as a located finding."""
    severity = _SH_SEVERITY.get(severity, "error")
    if not isinstance(constraint, URIRef):
        constraint = shape
    # An anonymous property shape is named after the node shape that holds it.
    if isinstance(constraint, BNode):
        constraint = next(iter(shapes.subjects(SH.property, constraint)), constraint)
    rule = name(constraint) if isinstance(constraint, URIRef) else name(component)
    message = str(message or "constraint not met").replace(KG, "kg:")
    if isinstance(path, BNode):
        path = None
    if value == focus:
        value = None
    if rule in IMPORT_LENIENT and severity != "info" and (focus, PROV.wasGeneratedBy, None) in context.data:
        severity = "info"
        message += " (imported from a catalogue that has no such text: reported as info)"
    return make_finding(context, severity, message, focus, path, value, rule)


def disjoint_pairs(ontology):
    """Every pair of classes the ontology declares disjoint (owl:disjointWith, owl:AllDisjointClasses)."""
    for a, b in ontology.subject_objects(OWL.disjointWith):
        yield a, b
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(ontology.items(ontology.value(node, OWL.members)))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                yield a, b


def why_in_class(statements, schema, node, cls) -> list[str]:
    """The asserted statements that make ``node`` an instance of ``cls``: a type, a domain or a range.

    ``statements.data`` holds the asserted triples about ``node``; ``schema``
    the reasoned schema (subclasses, domains, ranges)."""
    def within(k):
        return k == cls or (k, RDFS.subClassOf, cls) in schema

    def chain(k):
        return name(k) if k == cls else f"{name(k)} ⊑ {name(cls)}"

    reasons = [f"{name(node)} a {name(t)} ({chain(t)})" if t != cls else f"{name(node)} a {name(t)}"
               for t in statements.data.objects(node, RDF.type) if within(t)]
    for p, o in statements.data.predicate_objects(node):
        for d in schema.objects(p, RDFS.domain):
            if within(d):
                reasons.append(f"{name(node)} {name(p)} {name(o)} (the domain of {name(p)} is {chain(d)})")
    for s, p in statements.data.subject_predicates(node):
        for r in schema.objects(p, RDFS.range):
            if within(r):
                reasons.append(f"{name(s)} {name(p)} {name(node)} (the range of {name(p)} is {chain(r)})")
    return reasons or [f"{name(node)} is inferred to be a {name(cls)}"]
