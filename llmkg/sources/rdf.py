"""Files → rdflib graph. Parses Turtle (and other RDF) files into one rdflib graph,
remembering for each subject the file and line where it is described, so that
later findings can point a contributor at the right place."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.util import guess_format

from llmkg import paths
from llmkg.errors import InputError, TurtleSyntaxError
from llmkg.sources.files import Origin, expand, relative
from llmkg.sources.safety import JSONLD_SUFFIXES, XML_SUFFIXES, check_jsonld, check_xml
from llmkg.vocab import bind

@dataclass
class Loaded:
    """The asserted graph (ontology + data) and where each subject came from."""

    graph: Graph
    data: Graph
    ontology: Graph
    files: list[Path] = field(default_factory=list)
    origins: dict = field(default_factory=dict)  # subject term -> Origin

    def origin(self, node) -> Origin | None:
        """The file and line of a node; for a blank node, of the subject that holds it."""
        seen = set()
        while isinstance(node, BNode) and node not in self.origins and node not in seen:
            seen.add(node)
            parent = next(iter(self.graph.subjects(None, node)), None)
            if parent is None:
                return None
            node = parent
        return self.origins.get(node)


def parse_file(path: Path | str) -> Graph:
    """Parse one RDF file; a syntax error becomes TurtleSyntaxError with file:line:column."""
    path = Path(path)
    name = relative(path)
    fmt = guess_format(str(path)) or "turtle"
    try:
        text = path.read_bytes()
    except OSError as e:
        raise InputError(f"{name}: cannot read the file ({e.strerror})") from None
    if fmt == "json-ld" or path.suffix in JSONLD_SUFFIXES:
        check_jsonld(name, text)  # no context fetched from the network or another file
    elif fmt == "xml" or path.suffix in XML_SUFFIXES:
        check_xml(name, text)  # no DTD: no external or exponential entities
    g = Graph()
    try:
        g.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as e:
        # rdflib keeps the bytes but counts the position in characters.
        source = e._str.decode("utf-8", errors="replace") if isinstance(e._str, bytes) else e._str
        before = source[: e._i]
        line = before.count("\n") + 1
        column = e._i - (before.rfind("\n") + 1) + 1
        raise TurtleSyntaxError(name, line, column, e._why) from None
    except UnicodeDecodeError as e:
        line = text[: e.start].count(b"\n") + 1
        raise TurtleSyntaxError(name, line, 1, "the file is not UTF-8 text") from None
    except Exception as e:  # other parsers (JSON-LD, RDF/XML) raise their own types
        raise InputError(f"{name}: cannot be parsed as {fmt}: {e}") from None
    if any(isinstance(s, Literal) or not isinstance(p, URIRef) for s, p, _ in g):
        _not_rdf(path, name, text)
    return g


def _not_rdf(path: Path, name: str, text: bytes):
    """rdflib (N3) read a literal where RDF needs a subject or a predicate IRI: refuse the file as the
    store's strict parser does, at the place it names."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(text, format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as e:
        if getattr(e, "lineno", None):
            reason = str(e).split(" (", 1)[0].split(": ", 1)[-1]
            raise TurtleSyntaxError(name, e.lineno, (e.offset or 0) + 1, reason) from None
    raise InputError(f"{name}: a statement has a literal as its subject or property, which RDF does not allow; "
                     "write an IRI there")


_TOKEN = re.compile(r"^\s*(<[^>]*>|[A-Za-z][\w.-]*:[^\s;,]*)")


def locate_subjects(path: Path, g: Graph) -> dict:
    """Map each IRI subject of ``g`` to the first line of ``path`` that starts with it."""
    name = relative(path)
    namespaces = [(p, str(ns)) for p, ns in g.namespaces() if p]
    first_line: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for number, line in enumerate(lines, 1):
        m = _TOKEN.match(line)
        if m and m.group(1) not in first_line:
            first_line[m.group(1)] = number
    origins = {}
    for s in set(g.subjects()):
        if not isinstance(s, URIRef):
            continue
        forms = [f"<{s}>"] + [f"{p}:{s[len(ns):]}" for p, ns in namespaces if s.startswith(ns)]
        line = next((first_line[f] for f in forms if f in first_line), None)
        origins[s] = Origin(name, line)
    return origins


def load(data: Iterable[str | Path] | None = None, *, ontology: bool = True) -> Loaded:
    """Load the ontology and the data files (default: the shipped ``data/``).

    Raises TurtleSyntaxError or InputError on the first unreadable file; use
    :func:`load_each` to collect every error instead.
    """
    loaded, errors = load_each(data, ontology=ontology)
    if errors:
        raise errors[0]
    return loaded


def load_each(data=None, *, ontology: bool = True) -> tuple[Loaded, list[InputError]]:
    """Like :func:`load`, but keeps going past bad files and returns their errors."""
    files = expand(data)
    onto = parse_file(paths.ontology_file()) if ontology else Graph()
    merged = Graph()
    data_graph = Graph()
    origins: dict = {}
    errors: list[InputError] = []
    for f in files:
        try:
            g = parse_file(f)
        except InputError as e:
            errors.append(e)
            continue
        data_graph += g
        for s, o in locate_subjects(f, g).items():
            origins.setdefault(s, o)
        for prefix, ns in g.namespaces():
            data_graph.bind(prefix, ns, override=False)
    onto_origins = locate_subjects(paths.ontology_file(), onto) if ontology else {}
    for s, o in onto_origins.items():
        origins.setdefault(s, o)
    merged += onto
    merged += data_graph
    bind(merged)
    bind(data_graph)
    return Loaded(merged, data_graph, onto, files, origins), errors
