"""Graph → findings. Runs the SHACL shapes on the asserted data, then the
checks SHACL cannot express well: consistency after reasoning, undeclared
ontology terms, dangling references and the ontology's own quality.

Every finding names the file and line, the node (IRI and label), the
property, the offending value and how to fix it."""
from __future__ import annotations

import difflib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from rdflib import OWL, PROV, RDF, RDFS, SH, BNode, Graph, Literal, URIRef

from llmkg import paths
from llmkg.errors import InputError
from llmkg.sources.rdf import Loaded, Origin, expand, load_each, parse_file
from llmkg.reasoning.reference import reason

SEVERITIES = ("error", "warning", "info")
_SH_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
LLMKG = paths.LLMKG
KG = paths.KG


@dataclass
class Finding:
    """One problem, located. Field names follow the SHACL validation result."""

    severity: str
    message: str
    focus_node: str = ""
    label: str = ""
    path: str = ""
    value: str = ""
    file: str = ""
    line: int | None = None
    column: int | None = None
    rule: str = ""

    def where(self) -> str:
        if not self.file:
            return "(no file)"
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Report:
    """The outcome of a validation run."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    input_errors: list[Finding] = field(default_factory=list)
    shacl_report: Graph | None = None
    fail_on: str = "error"
    timings: dict = field(default_factory=dict)  # seconds per stage, for the benchmark

    @property
    def conforms(self) -> bool:
        return not self.failing

    @property
    def failing(self) -> list[Finding]:
        limit = SEVERITIES.index(self.fail_on)
        return [f for f in self.all if SEVERITIES.index(f.severity) <= limit]

    @property
    def all(self) -> list[Finding]:
        return self.input_errors + self.findings

    @property
    def exit_code(self) -> int:
        """0 conforms, 1 findings at or above ``fail_on``, 2 unreadable input."""
        if self.input_errors:
            return 2
        return 1 if self.failing else 0

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.all if f.severity == s) for s in SEVERITIES}

    def timed(self, stage: str, fn):
        """Call ``fn()``, adding the seconds it took to ``timings[stage]``."""
        start = time.perf_counter()
        value = fn()
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start
        return value


def validate(
    files: Iterable[str | Path] = (),
    *,
    data: Iterable[str | Path] | None = None,
    fail_on: str = "error",
) -> Report:
    """Validate the shipped data (or ``data``) plus ``files``; collect every finding."""
    if fail_on not in SEVERITIES:
        raise InputError(f"fail_on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
    targets = _unique(expand(data) + expand(list(files)))
    start = time.perf_counter()
    loaded, errors = load_each(targets)
    report = check(loaded, errors=errors, fail_on=fail_on)
    report.timings = {"load": time.perf_counter() - start - sum(report.timings.values()), **report.timings}
    return report


def check(
    loaded: Loaded,
    closed: Graph | None = None,
    *,
    errors: Iterable[InputError] = (),
    fail_on: str = "error",
) -> Report:
    """Run every check on an already loaded (and optionally reasoned) graph."""
    report = Report(files=[str(f) for f in loaded.files], fail_on=fail_on)
    report.input_errors = [_input_finding(e) for e in errors]

    timed = report.timed
    report.findings += timed("shacl", lambda: _shacl(loaded, report))
    if closed is None:
        closed = timed("reason", lambda: reason(loaded.graph))
    report.findings += timed("consistency", lambda: _consistency(loaded, closed))
    report.findings += timed("other checks", lambda: _undeclared_terms(loaded) + _dangling(loaded)
                             + _duplicates(loaded) + ontology_quality(loaded.ontology, loaded))
    report.findings.sort(key=lambda f: (f.file, f.line or 0, f.focus_node, f.path, f.message))
    return report


def _unique(files: list[Path]) -> list[Path]:
    seen, out = set(), []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _input_finding(error: InputError) -> Finding:
    return Finding(
        severity="error",
        message=getattr(error, "reason", None) and f"Turtle syntax error: {error.reason}; fix the file at this position" or str(error),
        file=getattr(error, "file", ""),
        line=getattr(error, "line", None),
        column=getattr(error, "column", None),
        rule="syntax",
    )


# ---------------------------------------------------------------------------
# Naming nodes for people
# ---------------------------------------------------------------------------

def curie(graph: Graph, term) -> str:
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3(graph.namespace_manager)
    return f"_:{term}" if term is not None else ""


def label_of(graph: Graph, node) -> str:
    labels = {l.language: str(l) for l in graph.objects(node, RDFS.label) if isinstance(l, Literal)}
    return labels.get("en") or labels.get("zh") or next(iter(labels.values()), "")


def _finding(loaded: Loaded, severity, message, node, path=None, value=None, rule="") -> Finding:
    origin = loaded.origin(node) or Origin("")
    # A blank node is reported through the named node that holds it.
    shown = node
    while isinstance(shown, BNode):
        parent = next(iter(loaded.graph.subjects(None, shown)), None)
        if parent is None:
            break
        shown = parent
    focus = curie(loaded.graph, node) if shown is node else f"{curie(loaded.graph, shown)} (inside)"
    return Finding(
        severity=severity,
        message=message,
        focus_node=focus,
        label=label_of(loaded.graph, shown),
        path=curie(loaded.graph, path) if path is not None else "",
        value=curie(loaded.graph, value) if value is not None else "",
        file=origin.file,
        line=origin.line,
        rule=rule,
    )


# ---------------------------------------------------------------------------
# SHACL
# ---------------------------------------------------------------------------

def _shapes() -> Graph:
    return parse_file(paths.shapes_file())


def _shacl(loaded: Loaded, report: Report) -> list[Finding]:
    # Data plus the ontology's axioms, without reasoning: sh:class and
    # sh:targetClass follow rdfs:subClassOf on their own.
    data = Graph()
    data += loaded.data
    data += loaded.ontology
    shapes = _shapes()
    import pyshacl  # here, not at the top: the fast engine never calls it, and it takes 0.07 s to import

    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True,
        inplace=True,  # ``data`` is our own copy: spare pySHACL another
    )
    report.shacl_report = results
    findings = []
    # Only top-level results: nested sh:detail results repeat them without a location.
    for r in results.objects(None, SH.result):
        findings.append(shacl_finding(
            loaded, shapes, focus=results.value(r, SH.focusNode), path=results.value(r, SH.resultPath),
            value=results.value(r, SH.value), message=results.value(r, SH.resultMessage),
            severity=results.value(r, SH.resultSeverity), constraint=results.value(r, SH.sourceConstraint),
            shape=results.value(r, SH.sourceShape), component=results.value(r, SH.sourceConstraintComponent)))
    return findings


def shacl_finding(loaded, shapes: Graph, *, focus, path, value, message, severity, constraint, shape,
                  component) -> Finding:
    """One SHACL validation result (pySHACL's, or llmkg.shacl_sparql's) as a located finding."""
    severity = _SH_SEVERITY.get(severity, "error")
    if not isinstance(constraint, URIRef):
        constraint = shape
    # An anonymous property shape is named after the node shape that holds it.
    if isinstance(constraint, BNode):
        constraint = next(iter(shapes.subjects(SH.property, constraint)), constraint)
    rule = curie(loaded.graph, constraint) if isinstance(constraint, URIRef) else curie(loaded.graph, component)
    rule = rule.replace("http://www.w3.org/ns/shacl#", "sh:")
    message = str(message or "constraint not met").replace(KG, "kg:")
    if isinstance(path, BNode):
        path = None
    if value == focus:
        value = None
    if rule in IMPORT_LENIENT and severity != "info" and (focus, PROV.wasGeneratedBy, None) in loaded.data:
        severity = "info"
        message += " (imported from a catalogue that has no such text: reported as info)"
    return _finding(loaded, severity, message, focus, path, value, rule)


#: Shapes an imported node (one with prov:wasGeneratedBy, written by
#: ``llmkg import``) cannot meet from its catalogue alone: catalogues carry no
#: Chinese names and no definitions. For those nodes they are info, so an
#: import is judged on its facts (developer, dates, sizes, lineage) while the
#: gaps stay visible for anyone curating the entries by hand.
IMPORT_LENIENT = {"shapes:ChineseLabel", "shapes:ChineseDefinition", "shapes:EnglishDefinition"}


# ---------------------------------------------------------------------------
# Checks beyond SHACL
# ---------------------------------------------------------------------------

def _disjoint_pairs(graph: Graph):
    for a, b in graph.subject_objects(OWL.disjointWith):
        yield a, b
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(graph.items(graph.value(node, OWL.members)))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                yield a, b


def _consistency(loaded: Loaded, closed: Graph) -> list[Finding]:
    """An entity that reasoning puts in two disjoint classes, with the statements that put it there."""
    findings = []
    for a, b in _disjoint_pairs(loaded.ontology):
        for node in sorted(set(closed.subjects(RDF.type, a)) & set(closed.subjects(RDF.type, b))):
            why = "; ".join(_why_in_class(loaded, closed, node, a) + _why_in_class(loaded, closed, node, b))
            findings.append(_finding(
                loaded, "error",
                f"The node is in two disjoint classes, {curie(loaded.graph, a)} and {curie(loaded.graph, b)}, "
                f"because: {why}. Keep one kind and remove or change the statements that imply the other",
                node, RDF.type, None, "consistency"))
    return findings


def _why_in_class(loaded: Loaded, closed: Graph, node, cls) -> list[str]:
    """The asserted statements that make ``node`` an instance of ``cls``: a type, a domain or a range."""
    c = lambda t: curie(loaded.graph, t)  # noqa: E731

    def within(k):
        return k == cls or (k, RDFS.subClassOf, cls) in closed

    def chain(k):
        return c(k) if k == cls else f"{c(k)} ⊑ {c(cls)}"

    reasons = [f"{c(node)} a {c(t)} ({chain(t)})" if t != cls else f"{c(node)} a {c(t)}"
               for t in loaded.data.objects(node, RDF.type) if within(t)]
    for p, o in loaded.data.predicate_objects(node):
        for d in closed.objects(p, RDFS.domain):
            if within(d):
                reasons.append(f"{c(node)} {c(p)} {c(o)} (the domain of {c(p)} is {chain(d)})")
    for s, p in loaded.data.subject_predicates(node):
        for r in closed.objects(p, RDFS.range):
            if within(r):
                reasons.append(f"{c(s)} {c(p)} {c(node)} (the range of {c(p)} is {chain(r)})")
    return reasons or [f"{c(node)} is inferred to be a {c(cls)}"]


def _declared_terms(ontology: Graph) -> set:
    return {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(LLMKG)}


def _undeclared_terms(loaded: Loaded) -> list[Finding]:
    declared = _declared_terms(loaded.ontology)
    names = {str(t)[len(LLMKG):]: t for t in declared}
    findings = []
    for s, p, o in loaded.data:
        for term, role in ((p, "property"), (o if p == RDF.type else None, "class")):
            if isinstance(term, URIRef) and str(term).startswith(LLMKG) and term not in declared:
                local = str(term)[len(LLMKG):]
                close = difflib.get_close_matches(local, names, n=1, cutoff=0.6)
                hint = f"; did you mean llmkg:{close[0]}?" if close else "; see ontology/llmkg.ttl for the terms"
                findings.append(_finding(
                    loaded, "error", f"llmkg:{local} is not a {role} of the ontology{hint}",
                    s, p, term if role == "class" else None, "undeclared-term"))
    return findings


def _dangling(loaded: Loaded) -> list[Finding]:
    """A kg: IRI used as a value but described nowhere."""
    described = set(loaded.graph.subjects())
    findings = []
    for s, p, o in loaded.data:
        if isinstance(o, URIRef) and str(o).startswith(KG) and o not in described:
            findings.append(_finding(
                loaded, "error",
                f"{curie(loaded.graph, o)} is used here but described nowhere; define it (with a type, "
                "labels and a source) or correct the IRI",
                s, p, o, "dangling-reference"))
    return findings


def _duplicates(loaded: Loaded) -> list[Finding]:
    """Two IRIs with the same English label, or linked to the same Wikidata item."""
    from rdflib import SKOS

    groups: dict[tuple[str, str], set] = {}
    for s, label in loaded.data.subject_objects(RDFS.label):
        if isinstance(s, URIRef) and str(s).startswith(KG) and isinstance(label, Literal) and label.language == "en":
            groups.setdefault(("label", str(label).strip().casefold()), set()).add(s)
    for s, match in loaded.data.subject_objects(SKOS.exactMatch):
        if isinstance(s, URIRef) and str(match).startswith("http://www.wikidata.org/entity/"):
            groups.setdefault(("wikidata", str(match)), set()).add(s)
    findings = []
    for (kind, key), nodes in sorted(groups.items()):
        if len(nodes) < 2:
            continue
        for node in sorted(nodes):
            others = ", ".join(curie(loaded.graph, o) for o in sorted(nodes) if o != node)
            if kind == "label":
                message = (f"The English label is also used by {others}; if they are the same thing, merge them, "
                           "otherwise make the labels tell them apart")
                path, value = RDFS.label, None
            else:
                message = (f"{others} links to the same Wikidata item; merge the two nodes or correct one link")
                path, value = SKOS.exactMatch, URIRef(key)
            findings.append(_finding(loaded, "error", message, node, path, value, f"duplicate-{kind}"))
    return findings


def ontology_quality(ontology: Graph, loaded: Loaded | None = None) -> list[Finding]:
    """ROBOT-style QC: each llmkg term has one en and one zh label and definition; labels are unique."""
    from rdflib import SKOS

    if loaded is None:
        loaded = Loaded(ontology, Graph(), ontology)
    findings = []
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = sorted(
        {s for k in kinds for s in ontology.subjects(RDF.type, k)
         if isinstance(s, URIRef) and str(s).startswith(LLMKG)}
    )
    by_label: dict[tuple[str, str], list] = {}
    for t in terms:
        for prop, what in ((RDFS.label, "label"), (SKOS.definition, "definition")):
            values = [v for v in ontology.objects(t, prop) if isinstance(v, Literal)]
            for lang in ("en", "zh"):
                n = sum(1 for v in values if v.language == lang)
                if n != 1:
                    findings.append(_finding(
                        loaded, "error",
                        f"The term has {n} {what}s in @{lang}; give exactly one {prop.n3(ontology.namespace_manager)} \"…\"@{lang}",
                        t, prop, None, f"ontology-{what}"))
        for v in ontology.objects(t, RDFS.label):
            if isinstance(v, Literal):
                by_label.setdefault((str(v).casefold(), v.language or ""), []).append(t)
    top = set()
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        top.update(ontology.items(ontology.value(node, OWL.members)))
    named = set(terms)
    for t in terms:
        if (t, RDF.type, OWL.Class) not in ontology or t in top:
            continue
        parents = [o for o in ontology.objects(t, RDFS.subClassOf) if isinstance(o, URIRef)]
        children = [x for x in ontology.subjects(RDFS.subClassOf, t) if x in named]
        if not parents and not children:
            findings.append(_finding(
                loaded, "error",
                "The class is an orphan: it has no named superclass or subclass and is not a top-level kind; "
                "place it in the hierarchy with rdfs:subClassOf",
                t, RDFS.subClassOf, None, "ontology-orphan-class"))
    for (text, lang), owners in sorted(by_label.items()):
        if len(owners) > 1:
            for t in owners:
                others = ", ".join(curie(ontology, o) for o in owners if o != t)
                findings.append(_finding(
                    loaded, "error",
                    f"The label \"{text}\"@{lang} is also used by {others}; make each term's label unique",
                    t, RDFS.label, None, "ontology-duplicate-label"))
    return findings


# ---------------------------------------------------------------------------
# Views of a report
# ---------------------------------------------------------------------------

def format_text(report: Report) -> str:
    """Human format: findings grouped by file, then a one-line verdict."""
    lines = []
    current = None
    for f in report.all:
        if f.file != current:
            current = f.file
            lines.append(f"{current or '(not from a file)'}")
        node = f.focus_node + (f" ({f.label})" if f.label else "")
        pos = f"{f.line}" + (f":{f.column}" if f.column else "") if f.line else "-"
        detail = "  ".join(x for x in (f"property {f.path}" if f.path else "", f"value {f.value}" if f.value else "") if x)
        if node:
            lines.append(f"  {pos}: {f.severity}: {node}{'  ' + detail if detail else ''}")
            lines.append(f"      {f.message}  [{f.rule}]")
        else:  # a finding about the file itself, such as a syntax error
            lines.append(f"  {pos}: {f.severity}: {f.message}  [{f.rule}]")
    c = report.counts()
    verdict = "conforms" if report.conforms and not report.input_errors else "does not conform"
    if report.input_errors:
        verdict = "could not read every file"
    lines.append(
        f"{len(report.files)} files checked: {c['error']} errors, {c['warning']} warnings, "
        f"{c['info']} infos — {verdict}"
    )
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    return json.dumps(
        {
            "conforms": report.conforms,
            "exit_code": report.exit_code,
            "counts": report.counts(),
            "files": report.files,
            "findings": [asdict(f) for f in report.all],
        },
        ensure_ascii=False,
        indent=2,
    ) + "\n"


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(report: Report) -> str:
    """GitHub workflow commands, so findings show as annotations on the diff."""
    kind = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for f in report.all:
        props = []
        if f.file:
            props.append(f"file={f.file}")
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={f.rule or 'llmkg'}".replace(",", "%2C").replace(":", "%3A"))
        node = f.focus_node + (f" ({f.label})" if f.label else "")
        msg = f"{node}: {f.message}" + (f" [property {f.path}]" if f.path else "")
        out.append(f"::{kind[f.severity]} {','.join(props)}::{_escape_github(msg)}")
    c = report.counts()
    out.append(f"{len(report.files)} files checked: {c['error']} errors, {c['warning']} warnings, {c['info']} infos")
    return "\n".join(out) + "\n"


def format_turtle(report: Report) -> str:
    """The SHACL validation report graph, with llmkg's own checks added as further results."""
    from rdflib import XSD

    g = Graph()
    if report.shacl_report is not None:
        g += report.shacl_report
    for prefix, ns in (("sh", SH), ("shapes", paths.SHAPES), ("llmkg", LLMKG), ("kg", KG)):
        g.bind(prefix, ns)
    root = next(iter(g.subjects(RDF.type, SH.ValidationReport)), None)
    if root is None:
        root = BNode()
        g.add((root, RDF.type, SH.ValidationReport))
    sev = {"error": SH.Violation, "warning": SH.Warning, "info": SH.Info}
    for f in report.all:
        if f.rule.startswith(("shapes:", "sh:")):
            continue  # already in the SHACL report
        r = BNode()
        g.add((root, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.resultSeverity, sev[f.severity]))
        g.add((r, SH.resultMessage, Literal(f.message)))
        g.add((r, SH.sourceConstraintComponent, URIRef(paths.SHAPES + f.rule.title().replace("-", ""))))
        if f.focus_node:
            g.add((r, SH.focusNode, _expand(f.focus_node.replace(" (inside)", ""))))
        if f.path:
            g.add((r, SH.resultPath, _expand(f.path)))
        if f.file:
            g.add((r, URIRef(paths.SHAPES + "file"), Literal(f.file)))
        if f.line:
            g.add((r, URIRef(paths.SHAPES + "line"), Literal(f.line, datatype=XSD.integer)))
    g.set((root, SH.conforms, Literal(report.conforms)))
    return g.serialize(format="turtle")


def _expand(name: str):
    from llmkg.sources.rdf import bind_prefixes

    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    if name.startswith("_:"):
        return BNode(name[2:])
    prefix, _, local = name.partition(":")
    ns = dict(bind_prefixes(Graph()).namespaces()).get(prefix)
    return URIRef(str(ns) + local) if ns else Literal(name)


FORMATS = {"text": format_text, "json": format_json, "github": format_github, "turtle": format_turtle}
