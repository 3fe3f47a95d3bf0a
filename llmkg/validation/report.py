"""Findings and the report that holds them, and its views: text for people,
JSON, GitHub annotations and the W3C SHACL validation report (Turtle).

Field names follow the SHACL validation result; exit codes follow pySHACL's:
0 conforms, 1 findings at or above ``fail_on``, 2 a file could not be read.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field

from llmkg import vocab

SEVERITIES = ("error", "warning", "info")


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
    shacl_report: object = None  # pySHACL's report graph (rdflib), on the reference engine
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


#: Characters a terminal or an annotation would act on rather than show (a label may hold them:
#: Turtle allows "a\u0001b" and "a\nb"); the text formats show them escaped, as \x01 and \n.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def format_text(report: Report) -> str:
    """Human format: findings grouped by file, then a one-line verdict."""
    lines = []
    current = None
    for f in report.all:
        if f.file != current:
            current = f.file
            lines.append(f"{current or '(not from a file)'}")
        node = f.focus_node + (f" ({_printable(f.label)})" if f.label else "")
        pos = f"{f.line}" + (f":{f.column}" if f.column else "") if f.line else "-"
        detail = "  ".join(x for x in (f"property {f.path}" if f.path else "", f"value {_printable(f.value)}" if f.value else "") if x)
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
        node = f.focus_node + (f" ({_printable(f.label)})" if f.label else "")
        msg = f"{node}: {f.message}" + (f" [property {f.path}]" if f.path else "")
        out.append(f"::{kind[f.severity]} {','.join(props)}::{_escape_github(msg)}")
    c = report.counts()
    out.append(f"{len(report.files)} files checked: {c['error']} errors, {c['warning']} warnings, {c['info']} infos")
    return "\n".join(out) + "\n"


def format_turtle(report: Report) -> str:
    """The SHACL validation report graph, with llmkg's own checks added as further results."""
    from rdflib import RDF, SH, XSD, BNode, Graph, Literal, URIRef

    g = Graph()
    if report.shacl_report is not None:
        g += report.shacl_report
    vocab.bind(g)
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
        g.add((r, SH.sourceConstraintComponent, URIRef(vocab.SHAPES + f.rule.title().replace("-", ""))))
        if f.focus_node:
            g.add((r, SH.focusNode, _expand(f.focus_node.replace(" (inside)", ""))))
        if f.path:
            g.add((r, SH.resultPath, _expand(f.path)))
        if f.file:
            g.add((r, URIRef(vocab.SHAPES + "file"), Literal(f.file)))
        if f.line:
            g.add((r, URIRef(vocab.SHAPES + "line"), Literal(f.line, datatype=XSD.integer)))
    g.set((root, SH.conforms, Literal(report.conforms)))
    return g.serialize(format="turtle")


def _expand(name: str):
    from rdflib import BNode, Literal, URIRef

    if name.startswith("_:"):
        return BNode(name[2:])
    iri = vocab.expand(name)
    return URIRef(iri) if iri else Literal(name)


FORMATS = {"text": format_text, "json": format_json, "github": format_github, "turtle": format_turtle}
