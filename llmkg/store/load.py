"""Files → an Oxigraph store: the graph every later stage reads.

rdflib parses about 25,000 triples a second here; Oxigraph (pyoxigraph, in
Rust) about 350,000, and answers SPARQL one or two orders of magnitude faster.
:func:`load_store` fills a new in-memory :class:`pyoxigraph.Store` in named
graphs:

    ONTOLOGY   ontology/llmkg.ttl
    DATA       the data files, as written
    INFERRED   what reasoning adds (llmkg.reasoning.closure)

The built store on disk (:mod:`llmkg.store.persist`) keeps ONTOLOGY and DATA
together as ASSERTED, beside the same INFERRED: a :class:`GraphStore` says
which graphs are its asserted ones, so that every reader works on either.
No triple is in two graphs, so the union of the named graphs is the reasoned
graph, each triple once.

Where a node is described (file and line) is worked out only for the nodes a
finding names, from a cheap scan of the files, never for every subject.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from llmkg import paths
from llmkg.errors import InputError, TurtleSyntaxError
from llmkg.sources.files import Origin, expand, relative
from llmkg.sources.safety import check_xml
from llmkg.vocab import GRAPH

ONTOLOGY = ox.NamedNode(GRAPH + "ontology")
DATA = ox.NamedNode(GRAPH + "data")
#: ONTOLOGY and DATA as one graph, in the built store on disk
ASSERTED = ox.NamedNode(GRAPH + "asserted")
INFERRED = ox.NamedNode(GRAPH + "inferred")
ASSERTED_GRAPHS = [ONTOLOGY, DATA]
ALL_GRAPHS = [ONTOLOGY, DATA, INFERRED]

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
}

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_PREFIX_ANYWHERE = re.compile(r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([\w.-]*):[ \t]*<([^>\n]*)>", re.IGNORECASE | re.M)
_LINE_TOKEN = re.compile(r"^[ \t\r\f\v]*(<[^>\n]*>|[A-Za-z][\w.-]*:[^\s;,]*)", re.M)


@dataclass
class GraphStore:
    """An Oxigraph store holding the graph, the files it was loaded from, and
    the files that could not be read. ``asserted_graphs`` are the named graphs
    as written (ONTOLOGY and DATA, or ASSERTED on disk); ``inferred_graph`` is
    what reasoning added."""

    store: ox.Store
    files: list[Path] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    asserted_graphs: list = field(default_factory=lambda: list(ASSERTED_GRAPHS))
    inferred_graph: ox.NamedNode = INFERRED
    _index: dict | None = None

    @property
    def graphs(self) -> list:
        """Every named graph: together, the reasoned graph."""
        return [*self.asserted_graphs, self.inferred_graph]

    def origin(self, iri: str) -> Origin | None:
        """File and line where the IRI ``iri`` starts a description, found by scanning the files once."""
        if self._index is None:
            self._index = {}
            for f in [paths.ontology_file()] + list(self.files):
                for key, origin in _scan(f).items():
                    self._index.setdefault(key, origin)
        return self._index.get(iri)


def _scan(path: Path) -> dict:
    """IRI → Origin for every token that starts a line of a Turtle-like file (as llmkg.load.locate_subjects).

    One regular-expression pass over the whole text: a first line is kept per
    token, and line numbers are counted only up to tokens seen for the first
    time, so a million-line catalogue takes well under a second.
    """
    name = relative(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    first: dict[str, int] = {}
    line, last = 1, 0
    for m in _LINE_TOKEN.finditer(text):
        token = m.group(1)
        if token in first:
            continue
        pos = m.start()
        line += text.count("\n", last, pos)
        last = pos
        first[token] = line
    prefixes = dict(_PREFIX_ANYWHERE.findall(text))
    out: dict[str, Origin] = {}
    for token, number in first.items():  # full IRIs first: locate_subjects prefers that form
        if token.startswith("<"):
            out.setdefault(token[1:-1], Origin(name, number))
    for token, number in first.items():
        if not token.startswith("<"):
            prefix, _, local = token.partition(":")
            if prefix in prefixes:
                out.setdefault(prefixes[prefix] + local.replace("\\", ""), Origin(name, number))
    return out


def _load_file(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    fmt = _FORMATS.get(path.suffix)
    strict = None
    if fmt == ox.RdfFormat.RDF_XML:
        try:
            check_xml(relative(path), path.read_bytes())  # no DTD: no external or exponential entities
        except OSError as e:
            raise InputError(f"{relative(path)}: cannot read the file ({e.strerror})") from None
    if fmt is not None:
        try:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=graph)
            return
        except (SyntaxError, ValueError, OSError) as e:
            strict = e  # rdflib gives the located message the reference path reports, if it fails too
    from llmkg.sources.rdf import parse_file  # rdflib: only for a file Oxigraph could not read

    g = parse_file(path)  # raises TurtleSyntaxError / InputError with file:line:column
    try:
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in g)
    except (ValueError, TypeError) as e:
        # rdflib let through what RDF forbids (a space in an IRI, a literal as a subject):
        # name the place Oxigraph found
        if isinstance(strict, SyntaxError) and getattr(strict, "lineno", None):
            reason = str(strict).split(" (", 1)[0].split(": ", 1)[-1]
            raise TurtleSyntaxError(relative(path), strict.lineno, (strict.offset or 0) + 1, reason) from None
        raise InputError(f"{relative(path)}: {e}; fix the term so that it is valid RDF") from None


def to_ox(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(term)


def load_store(data: Iterable[str | Path] | None = None, *, ontology: bool = True) -> GraphStore:
    """Load the ontology and the data files (default: the shipped ``data/``) into a new store.

    A file that cannot be read is left out and its error kept in ``errors``,
    as :func:`llmkg.load.load_each` does.
    """
    files = expand(data)
    store = ox.Store()
    loaded = GraphStore(store, files)
    if ontology:
        _load_file(store, paths.ontology_file(), ONTOLOGY)
    good: list[Path] = []
    for f in files:
        try:
            _load_file(store, f, DATA)
            good.append(f)
        except InputError as e:
            loaded.errors.append(e)
            # a failed bulk load may have written part of the file: load the good files again
            store.clear_graph(DATA)
            for g in good:
                _load_file(store, g, DATA)
    _drop_restated(store)
    return loaded


def holds_data(loaded: GraphStore) -> bool:
    """Whether the data graph holds a triple (the ontology is always there)."""
    return next(iter(loaded.store.quads_for_pattern(None, None, None, DATA)), None) is not None


def no_data_warning(files, errors=(), *, has_data: bool) -> str | None:
    """The warning for data files that were read but hold no triple (the graph
    then holds the ontology alone), or None. Files that could not be read are
    reported as input errors already."""
    if has_data or not files or len(errors) >= len(files):
        return None
    if errors:  # which files were read is not kept: say it without names
        what = "the data files that could be read hold"
    else:
        what = "the data (" + ", ".join(str(relative(f)) for f in files[:3]) + (
            f" and {len(files) - 3} more" if len(files) > 3 else "") + ") holds"
    return (f"{what} no triples, so the graph holds the ontology alone; "
            "give --data files with statements in them, or leave --data out to use the shipped data")


def _drop_restated(store: ox.Store) -> None:
    """Keep a triple that a data file restates from the ontology only once, in
    ONTOLOGY: rdflib merges the files into one set of triples, and a query over
    all the named graphs would otherwise see it twice (a row twice in the answer)."""
    restated = [ox.Quad(q.subject, q.predicate, q.object, DATA)
                for q in store.quads_for_pattern(None, None, None, ONTOLOGY)]
    for q in restated:
        if q in store:
            store.remove(q)


def rdflib_term(t):
    """A pyoxigraph term (or None) as an rdflib term; xsd:string literals plain, as rdflib's parsers leave them."""
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == _XSD_STRING:
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise TypeError(f"not an RDF term: {t!r}")


def to_rdflib(store: ox.Store, graphs=None):
    """The given named graphs (default: all) as one rdflib Graph — for small graphs and tests."""
    from rdflib import Graph

    conv = rdflib_term
    g = Graph()
    for graph in (ALL_GRAPHS if graphs is None else graphs):
        for q in store.quads_for_pattern(None, None, None, graph):
            g.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    from llmkg.vocab import bind

    return bind(g)
