"""The import's graph as text: canonical Turtle or N-Triples, the same bytes for the same graph."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from llmkg import vocab
from llmkg.errors import InputError

PREFIXES = (
    ("llmkg", vocab.LLMKG), ("kg", vocab.KG), ("rdf", str(RDF)), ("rdfs", str(RDFS)), ("xsd", str(XSD)),
    ("skos", str(SKOS)), ("dcterms", str(DCTERMS)), ("prov", str(PROV)), ("schema", vocab.SCHEMA),
)
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str) -> str:
    return re.sub(r'[\\"\n\r\t]', lambda m: _ESC[m.group()], text)


def _iri(term: URIRef, prefixed: bool) -> str:
    s = str(term)
    if prefixed:
        for p, ns in PREFIXES:
            if s.startswith(ns) and _LOCAL.match(s[len(ns):]):
                return f"{p}:{s[len(ns):]}"
    return f"<{s}>"


def _term(term, prefixed: bool) -> str:
    if isinstance(term, URIRef):
        return _iri(term, prefixed)
    if isinstance(term, Literal):
        if prefixed and term.datatype in (XSD.integer, XSD.boolean) and term.language is None:
            return str(term)
        body = f'"{_escape(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{body}^^{_iri(term.datatype, prefixed)}"
        return body
    raise ValueError(f"blank nodes are not written by the importers: {term!r}")


def serialize(graph: Graph, fmt: str = "turtle") -> str:
    """Canonical text of ``graph``: sorted N-Triples, or Turtle grouped by sorted subject.

    rdflib's own serialisers do not promise an order; this one does, so the same
    graph always gives the same bytes. Each subject starts a line, which lets
    ``llmkg validate`` point at the line that describes a node.
    """
    if fmt == "nt":
        lines = sorted(f"{_term(s, False)} {_term(p, False)} {_term(o, False)} ." for s, p, o in graph)
        return "\n".join(lines) + ("\n" if lines else "")
    out = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES]
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        by_subject[s][p].append(o)
    for s in sorted(by_subject, key=str):
        preds = by_subject[s]
        order = sorted(preds, key=lambda p: (p != RDF.type, str(p)))
        parts = []
        for p in order:
            objs = sorted(_term(o, True) for o in preds[p])
            name = "a" if p == RDF.type else _term(p, True)
            parts.append(f"    {name} " + " , ".join(objs))
        out.append("")
        out.append(_term(s, True) + "\n" + " ;\n".join(parts) + " .")
    return "\n".join(out) + "\n"


def write(graph: Graph, out: str | Path) -> Path:
    """Write ``graph`` to ``out``: N-Triples for a .nt name, Turtle otherwise."""
    out = Path(out)
    fmt = "nt" if out.suffix == ".nt" else "turtle"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(serialize(graph, fmt), encoding="utf-8")
    except OSError as e:
        raise InputError(f"{out}: cannot write the file ({e.strerror})") from None
    return out
