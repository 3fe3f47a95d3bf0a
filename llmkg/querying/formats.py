"""Graph → answers. Resolves a query (file, catalogue name or inline SPARQL),
runs it, and formats the result as a table, CSV, TSV or SPARQL JSON."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from llmkg.querying import catalogue
from llmkg.errors import QueryError

FORMATS = ("table", "csv", "tsv", "json")
_SPARQL_WORDS = ("select", "construct", "ask", "describe", "prefix", "base")

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX llmkg: <https://w3id.org/llmkg/ontology#>
PREFIX kg: <https://w3id.org/llmkg/id/>
"""


def resolve(spec: str) -> tuple[str, str]:
    """Return (name, SPARQL text) for a file path, a catalogue name or inline SPARQL."""
    text = spec.strip()
    if text.split(None, 1) and text.split(None, 1)[0].lower() in _SPARQL_WORDS or "{" in text:
        return "inline", text
    path = Path(spec)
    if path.suffix in (".rq", ".sparql") or path.is_file():
        try:
            return path.stem, path.read_text(encoding="utf-8")
        except OSError as e:
            raise QueryError(f"{spec}: cannot read the query file ({e.strerror})") from None
    q = catalogue.get(spec)
    return q.name, q.text


def with_prefixes(text: str) -> str:
    """Prepend the project's prefixes, so inline queries can use kg: and llmkg: as is."""
    declared = {line.split()[1].lower() for line in text.splitlines()
                if line.strip().lower().startswith("prefix") and len(line.split()) > 1}
    missing = [l for l in PREFIXES.splitlines() if l.split()[1].lower() not in declared]
    return "\n".join(missing) + "\n" + text


def run(graph: Graph, text: str) -> Result:
    """Run SPARQL on ``graph``; a syntax error becomes QueryError with the position."""
    from pyparsing.exceptions import ParseBaseException  # here: rdflib's parser; the fast engine never needs it

    full = with_prefixes(text)
    added = full.count("\n") - text.count("\n")
    try:
        return graph.query(full)
    except ParseBaseException as e:
        raise QueryError(
            f"the SPARQL does not parse: {e.msg} (line {max(e.lineno - added, 1)}, column {e.col}); "
            "check the query near that position"
        ) from None
    except Exception as e:  # rdflib raises plain exceptions for unknown prefixes etc.
        raise QueryError(f"the SPARQL could not be run: {e}") from None


def short(graph: Graph | None, term) -> str:
    """A term as a person reads it: prefixed name for IRIs, plain text for literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        if graph is not None:
            try:
                return graph.namespace_manager.normalizeUri(term)
            except Exception:
                pass
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def format_result(result: Result, fmt: str = "table", graph: Graph | None = None) -> str:
    """Format a result. CONSTRUCT/DESCRIBE results are always Turtle."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = result.graph
        if graph is not None:
            for p, ns in graph.namespaces():
                g.bind(p, ns, override=False)
        return g.serialize(format="turtle")
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8") + "\n"
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    names = [str(v) for v in result.vars]
    rows = list(result)
    if fmt == "csv":
        return _delimited(names, rows, ",", lambda t: "" if t is None else str(t))
    if fmt == "tsv":
        return "?" + "\t?".join(names) + "\n" + "".join(
            "\t".join("" if t is None else t.n3() for t in row) + "\n" for row in rows
        )
    cells = [[short(graph, t) for t in row] for row in rows]
    return _table(names, cells) + f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def _delimited(names, rows, delimiter, render) -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(names)
    for row in rows:
        w.writerow([render(t) for t in row])
    return out.getvalue()


def _width(s: str) -> int:
    # CJK characters take two columns in a terminal.
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _table(names: list[str], cells: list[list[str]]) -> str:
    widths = [_width(n) for n in names]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip() + "\n"

    return line(names) + line(["-" * w for w in widths]) + "".join(line(r) for r in cells)


def to_json(result: Result) -> dict:
    """SPARQL 1.1 JSON results as a Python dict."""
    return json.loads(result.serialize(format="json"))
