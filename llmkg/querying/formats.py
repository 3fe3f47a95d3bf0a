"""Answers → text: a query's result as a table, CSV, TSV, SPARQL JSON or XML,
and a CONSTRUCT's triples as Turtle or N-Triples.

One :class:`QueryResult` holds the answer, whoever computed it (the built
store, ``llmkg serve``, a remote endpoint); its terms are pyoxigraph's. The
formats here import no rdflib, so that a query in a fresh process costs
little more than Oxigraph's answer.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata

import pyoxigraph as ox

from llmkg.errors import QueryError
from llmkg.vocab import PREFIXES, XSD, curie

#: the formats ``llmkg query --format`` offers
FORMATS = ("table", "csv", "tsv", "json")
_XSD_STRING = XSD + "string"
_OX_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
               "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}


class QueryResult:
    """The answer to one query: rows of terms (SELECT), a boolean (ASK) or
    triples (CONSTRUCT, DESCRIBE). Iterating a SELECT gives its rows, each a
    tuple of terms (None where a variable is unbound), in order."""

    def __init__(self, raw):
        self._raw = raw
        self._rows: list | None = None
        if isinstance(raw, ox.QueryBoolean):
            self.kind, self.variables, self.boolean = "ASK", [], bool(raw)
        elif isinstance(raw, ox.QuerySolutions):
            self.kind, self.variables, self.boolean = "SELECT", [v.value for v in raw.variables], None
        else:
            self.kind, self.variables, self.boolean = "CONSTRUCT", [], None

    @property
    def rows(self) -> list:
        """Every row (SELECT) or triple (CONSTRUCT), read once."""
        if self._rows is None:
            if self.kind == "SELECT":
                names = self.variables
                self._rows = [tuple(s[n] for n in names) for s in self._raw]
            elif self.kind == "CONSTRUCT":
                self._rows = list(self._raw)
            else:
                self._rows = []
        return self._rows

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def serialize(self, fmt: str) -> bytes:
        """SELECT/ASK as ``json``, ``xml``, ``csv`` or ``tsv``; CONSTRUCT as ``turtle`` or ``nt``."""
        if self.kind == "CONSTRUCT":
            rdf = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
            kwargs = {} if fmt == "nt" else {"prefixes": PREFIXES}
            return ox.serialize(self.rows, format=rdf, **kwargs)
        if self.kind == "ASK":
            return serialize_boolean(self.boolean, fmt)
        if self._rows is None and fmt in _OX_FORMATS:
            return self._raw.serialize(format=_OX_FORMATS[fmt])  # in Rust, no Python object per cell
        return serialize_solutions(self.variables, self.rows, fmt)


# ---------------------------------------------------------------------------
# SPARQL results formats (the W3C's), from rows of pyoxigraph terms
# ---------------------------------------------------------------------------

def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": {"subject": _json_term(t.subject),
                                        "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    return '"' + xml_escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"'


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{xml_escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{xml_escape(t.value)}</literal>"
        if t.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{xml_escape(t.value)}</literal>"
        return f"<literal>{xml_escape(t.value)}</literal>"
    return f"<literal>{xml_escape(str(t))}</literal>"


def cell(t) -> str:
    """A term as a CSV cell: an IRI or a literal's text as is, a blank node as ``_:id``."""
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def _tsv_term(t) -> str:
    return "" if t is None else str(t).replace("\t", "\\t")


def serialize_solutions(variables: list[str], rows: list, fmt: str) -> bytes:
    """SELECT results as SPARQL JSON, XML, CSV or TSV."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>\n<results>")
        for row in rows:
            cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                            for v, t in zip(variables, row) if t is not None)
            out.append(f"<result>{cells}</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        return delimited(variables, rows, cell).encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise QueryError(f"unknown results format {fmt!r}; choose json, xml, csv or tsv")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{word}</boolean></sparql>\n").encode("utf-8")
    return f"{word}\n".encode("utf-8")  # CSV/TSV define no ASK form; plain text as Oxigraph does


def delimited(names, rows, render) -> str:
    """CSV as Python's csv module writes it (``\\r\\n`` lines), each cell ``render(term)``."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(names)
    for row in rows:
        w.writerow([render(t) for t in row])
    return out.getvalue()


# ---------------------------------------------------------------------------
# For people: an aligned table
# ---------------------------------------------------------------------------

def short(t) -> str:
    """A term as a person reads it: a prefixed name for an IRI, the text of a literal."""
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        return curie(t.value)
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Literal):
        return t.value
    return str(t)


def _width(s: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def table(names: list[str], cells: list[list[str]]) -> str:
    """Columns aligned for a terminal, a rule under the header."""
    widths = [_width(n) for n in names]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip() + "\n"

    return line(names) + line(["-" * w for w in widths]) + "".join(line(r) for r in cells)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """A result as ``llmkg query`` prints it. CONSTRUCT/DESCRIBE results are always Turtle."""
    if result.kind == "CONSTRUCT":
        return result.serialize("turtle").decode("utf-8")
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt != "table":
        text = result.serialize(fmt).decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    if result.kind == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    rows = result.rows
    cells = [[short(t) for t in row] for row in rows]
    return table(result.variables, cells) + f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
