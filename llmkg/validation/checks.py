"""Every check of ``llmkg validate``, on a store that reasoning has filled.

The SHACL shapes run either compiled to SPARQL on the store
(:mod:`llmkg.validation.shacl`, the default) or by pySHACL over the asserted
graph (``engine="reference"``); tests check both give the same results. The
checks SHACL cannot express well — consistency after reasoning, undeclared
ontology terms, dangling references, duplicate labels and Wikidata links —
are a few queries each; the ontology's own quality is checked on the
ontology, which is small. Findings are named (:mod:`llmkg.validation.naming`)
from a small rdflib graph holding only what naming their nodes needs: labels,
the parents of blank nodes, provenance.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, PROV, RDF, RDFS, SH, SKOS, BNode, Graph, Literal, URIRef

from llmkg import paths
from llmkg.sources.rdf import Loaded, locate_subjects, parse_file
from llmkg.sources.safety import XML_UNWRITABLE
from llmkg.store.load import ALL_GRAPHS, ASSERTED_GRAPHS, DATA, INFERRED, ONTOLOGY, GraphStore, rdflib_term, to_ox, to_rdflib
from llmkg.validation.naming import disjoint_pairs, input_finding, make_finding, name, shacl_finding, why_in_class
from llmkg.validation.quality import ontology_quality
from llmkg.validation.report import Finding, Report
from llmkg.vocab import KG, LLMKG, bind

_term = rdflib_term  # pyoxigraph term → rdflib term


def shapes_graph() -> Graph:
    """ontology/shapes.ttl, parsed."""
    return parse_file(paths.shapes_file())


class _Context(Loaded):
    """A Loaded whose graphs hold only what naming the found nodes needs; origins come from the store."""

    def __init__(self, loaded: GraphStore, ontology: Graph):
        super().__init__(bind(Graph()), bind(Graph()), ontology, list(loaded.files), {})
        self.store_loaded = loaded
        self._seen: set = set()

    def need(self, node) -> None:
        """Copy into the context the labels, parents (for blank nodes) and provenance of ``node``."""
        if node is None or node in self._seen or isinstance(node, Literal):
            return
        self._seen.add(node)
        store = self.store_loaded.store
        o = to_ox(node)
        for p in (RDFS.label, PROV.wasGeneratedBy):
            for graph in ASSERTED_GRAPHS:
                for q in store.quads_for_pattern(o, to_ox(p), None, graph):
                    t = (node, p, _term(q.object))
                    self.graph.add(t)
                    self.data.add(t)
        if isinstance(node, BNode):
            for graph in ASSERTED_GRAPHS:
                for q in store.quads_for_pattern(None, None, o, graph):
                    parent = _term(q.subject)
                    self.graph.add((parent, _term(q.predicate), node))
                    self.need(parent)
                    break

    def origin(self, node):
        while isinstance(node, BNode):
            parent = next(iter(self.graph.subjects(None, node)), None)
            if parent is None:
                return None
            node = parent
        if isinstance(node, URIRef):
            return self.store_loaded.origin(str(node))
        return None


def check_store(loaded: GraphStore, *, fail_on: str = "error", engine: str = "oxigraph") -> Report:
    """Every check, on a store that reasoning has filled (ONTOLOGY, DATA, INFERRED);
    the shapes run compiled (``oxigraph``) or by pySHACL (``reference``)."""
    report = Report(files=[str(f) for f in loaded.files], fail_on=fail_on)
    report.input_errors = [input_finding(e) for e in loaded.errors]
    ontology = to_rdflib(loaded.store, [ONTOLOGY])
    context = _Context(loaded, ontology)

    timed = report.timed
    shacl = _pyshacl if engine == "reference" else _shacl
    report.findings += timed("shacl", lambda: shacl(loaded, context, report))
    report.findings += timed("consistency", lambda: _consistency(loaded, context, ontology))
    report.findings += timed("other checks", lambda: _undeclared(loaded, context, ontology) + _dangling(loaded, context)
                             + _duplicates(loaded, context) + _lexical_forms(loaded, context)
                             + _xml_characters(loaded, context)
                             + _same_as(loaded, context)
                             + _ontology_quality(ontology))
    report.findings.sort(key=lambda f: (f.file, f.line or 0, f.focus_node, f.path, f.message))
    return report


def _make(context: _Context, severity, message, node, path=None, value=None, rule="") -> Finding:
    context.need(node)
    return make_finding(context, severity, message, node, path, value, rule)


def _shacl(loaded: GraphStore, context: _Context, report: Report) -> list[Finding]:
    from llmkg.validation.shacl import validate_store

    shapes = shapes_graph()
    findings = []
    for r in validate_store(loaded.store, shapes):
        context.need(r.focus)
        findings.append(shacl_finding(
            context, shapes, focus=r.focus, path=r.path, value=r.value, message=r.message,
            severity=r.severity, constraint=r.source_constraint, shape=r.source_shape, component=r.component))
    return findings


def _consistency(loaded: GraphStore, context: _Context, ontology: Graph) -> list[Finding]:
    findings = []
    closed_schema = None
    instances: dict = {}

    def members(c) -> set:  # the instances of c, as TSV terms (one query per class, not per pair)
        if c not in instances:
            data = loaded.store.query(f"SELECT ?x WHERE {{ ?x a <{c}> }}", default_graph=ALL_GRAPHS).serialize(
                format=ox.QueryResultsFormat.TSV)
            instances[c] = set(data.split(b"\n")[1:]) - {b""}
        return instances[c]

    for a, b in disjoint_pairs(ontology):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            common = members(a) & members(b)
            if not common:
                continue
            rows = loaded.store.query(
                f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {b' '.join(sorted(x for x in common if x.startswith(b'<'))).decode()} }} "
                f"?x a <{a}> , <{b}> }}", default_graph=ALL_GRAPHS) if all(x.startswith(b"<") for x in common) else \
                loaded.store.query(f"SELECT DISTINCT ?x WHERE {{ ?x a <{a}> , <{b}> }}", default_graph=ALL_GRAPHS)
        else:
            rows = loaded.store.query(f"SELECT DISTINCT ?x WHERE {{ ?x a <{a}> , <{b}> }}", default_graph=ALL_GRAPHS)
        nodes = sorted(_term(r["x"]) for r in rows)
        if not nodes:
            continue
        if closed_schema is None:  # the reasoned schema: what why_in_class reads of the closure
            closed_schema = Graph()
            closed_schema += ontology
            for p in (RDFS.subClassOf, RDFS.domain, RDFS.range):
                for q in loaded.store.quads_for_pattern(None, to_ox(p), None, INFERRED):
                    closed_schema.add((_term(q.subject), p, _term(q.object)))
        for node in nodes:
            # why_in_class reads the node's asserted statements from .data and the schema given
            local = _NodeData(loaded, node)
            why = "; ".join(why_in_class(local, closed_schema, node, a) + why_in_class(local, closed_schema, node, b))
            findings.append(_make(
                context, "error",
                f"The node is in two disjoint classes, {name(a)} and {name(b)}, "
                f"because: {why}. Keep one kind and remove or change the statements that imply the other",
                node, RDF.type, None, "consistency"))
    return findings


class _NodeData:
    """The asserted statements with ``node`` as subject or object, as why_in_class reads them."""

    def __init__(self, loaded: GraphStore, node):
        self.data = Graph()
        o = to_ox(node)
        for graph in [DATA]:
            for q in loaded.store.quads_for_pattern(o, None, None, graph):
                self.data.add((node, _term(q.predicate), _term(q.object)))
            for q in loaded.store.quads_for_pattern(None, None, o, graph):
                self.data.add((_term(q.subject), _term(q.predicate), node))


def _tsv(loaded: GraphStore, query: str, graphs=None) -> list[bytes]:
    """The rows of a SELECT as TSV lines (terms in N-Triples syntax), header dropped."""
    data = loaded.store.query(query, default_graph=ASSERTED_GRAPHS if graphs is None else graphs).serialize(
        format=ox.QueryResultsFormat.TSV)
    lines = data.split(b"\n")[1:]
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


_RDF_TYPE_TSV = f"<{RDF.type}>".encode()


def _used(loaded: GraphStore, context: _Context) -> tuple[set, set, set]:
    """(predicates, IRI objects of rdf:type, IRI objects) of the data, as TSV terms: one scan, shared."""
    hit = getattr(context, "_used", None)
    if hit is None:
        # one pass over the data graph; the literals collapse to "" so the distinct rows are few
        lines = _tsv(loaded, f"""SELECT DISTINCT ?p ?o WHERE {{
            GRAPH <{DATA.value}> {{ ?s ?p ?x }} BIND(IF(isIRI(?x), ?x, "") AS ?o) }}""", [DATA])
        predicates, types, objects = set(), set(), set()
        for line in lines:
            p, _, o = line.partition(b"\t")
            predicates.add(p)
            if o.startswith(b"<"):
                objects.add(o)
                if p == _RDF_TYPE_TSV:
                    types.add(o)
        hit = context._used = (predicates, types, objects)
    return hit


def _undeclared(loaded: GraphStore, context: _Context, ontology: Graph) -> list[Finding]:
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(LLMKG)}
    names = {str(t)[len(LLMKG):]: t for t in declared}
    predicates, types, _ = _used(loaded, context)
    prefix = f"<{LLMKG}".encode()
    used = [(URIRef(t[1:-1].decode()), role) for terms, role in ((predicates, "property"), (types, "class"))
            for t in sorted(terms) if t.startswith(prefix)]
    findings = []
    for term, role in used:
        if term in declared:
            continue
        local = str(term)[len(LLMKG):]
        close = difflib.get_close_matches(local, names, n=1, cutoff=0.6)
        hint = f"; did you mean llmkg:{close[0]}?" if close else "; see ontology/llmkg.ttl for the terms"
        t = to_ox(term)
        quads = (loaded.store.quads_for_pattern(None, t, None, DATA) if role == "property"
                 else loaded.store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), t, DATA))
        for q in quads:
            findings.append(_make(
                context, "error", f"llmkg:{local} is not a {role} of the ontology{hint}",
                _term(q.subject), _term(q.predicate), term if role == "class" else None, "undeclared-term"))
    return findings


def _dangling(loaded: GraphStore, context: _Context) -> list[Finding]:
    _, _, objects = _used(loaded, context)
    prefix = f"<{KG}".encode()
    maybe = {o for o in objects if o.startswith(prefix)}
    if maybe:  # a typed node is described; the few others are looked up one by one
        maybe -= set(_tsv(loaded, f"SELECT ?x WHERE {{ ?x <{RDF.type}> ?t }}"))
    if maybe:
        values = b" ".join(sorted(maybe)).decode()
        maybe = set(_tsv(loaded, f"""SELECT ?o WHERE {{ VALUES ?o {{ {values} }}
            FILTER NOT EXISTS {{ GRAPH <{DATA.value}> {{ ?o ?q ?v }} }}
            FILTER NOT EXISTS {{ GRAPH <{ONTOLOGY.value}> {{ ?o ?q2 ?v2 }} }} }}""", [DATA]))
    if not maybe:
        return []
    values = b" ".join(sorted(maybe)).decode()
    rows = loaded.store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?o {{ {values} }} GRAPH <{DATA.value}> {{ ?s ?p ?o }} }}")
    findings = []
    for r in rows:
        s, p, o = _term(r["s"]), _term(r["p"]), _term(r["o"])
        context.need(o)
        findings.append(_make(
            context, "error",
            f"{name(o)} is used here but described nowhere; define it (with a type, "
            "labels and a source) or correct the IRI",
            s, p, o, "dangling-reference"))
    return findings


#: the properties whose values are dates or counts (the shapes give their datatypes)
_DATES_AND_COUNTS = (LLMKG + "releaseDate", "http://purl.org/dc/terms/date", LLMKG + "parameterCount",
                     LLMKG + "activeParameterCount")


def _lexical_forms(loaded: GraphStore, context: _Context) -> list[Finding]:
    """Dates and counts written with digits other than ASCII 0-9 (fullwidth ２０２４-０１): XSD reads only
    0-9, but rdflib's parsers (so pySHACL's sh:datatype) read any Unicode digit, and pass them."""
    import unicodedata

    values = " ".join(f"<{p}>" for p in _DATES_AND_COUNTS)
    rows = loaded.store.query(f"""SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }}
        GRAPH <{DATA.value}> {{ ?s ?p ?o }} FILTER(isLiteral(?o) && REGEX(STR(?o), "[^ -~]")) }}""")
    findings = []
    for r in rows:
        s, p, o = _term(r["s"]), _term(r["p"]), _term(r["o"])
        plain = unicodedata.normalize("NFKC", str(o))
        fix = f"write {plain!r}" if plain.isascii() else "write it with the digits 0-9"
        findings.append(_make(
            context, "error", f"{str(o)!r} is not a date or count XSD can read: only the ASCII digits 0-9 count "
                              f"(not fullwidth or other scripts' digits); {fix}",
            s, p, o, "lexical-form"))
    return findings


def _xml_characters(loaded: GraphStore, context: _Context) -> list[Finding]:
    """Text holding a character XML 1.0 cannot hold (Turtle allows ``"a\\u0001b"``): the GEXF and
    GraphML exports refuse it, and so the build; said here first, where a contributor looks."""
    if not _may_hold_control_characters(loaded.files):
        return []
    # the characters of XML_UNWRITABLE a literal can hold (Oxigraph's strings are UTF-8: no surrogate)
    rows = loaded.store.query(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{DATA.value}> {{ ?s ?p ?o }}
        FILTER(isLiteral(?o) && REGEX(STR(?o), "[\\\\x00-\\\\x08\\\\x0B\\\\x0C\\\\x0E-\\\\x1F\\\\x{{FFFE}}\\\\x{{FFFF}}]")) }}""")
    findings = []
    for r in rows:
        s, p, o = _term(r["s"]), _term(r["p"]), _term(r["o"])
        bad = XML_UNWRITABLE.search(str(o)).group()
        findings.append(_make(
            context, "error", f"The text holds U+{ord(bad):04X}, a control character that XML (GEXF, GraphML) "
                              f"cannot hold; remove it (or write a space)", s, p, o, "xml-character"))
    return findings


#: The bytes a file stating such a character holds: the character itself, or an escape (\\u0001).
_CONTROL_BYTES = bytes(c for c in range(0x20) if c not in b"\t\n\r")


def _may_hold_control_characters(files) -> bool:
    """Whether a data file may state such a character: it holds a control byte, a backslash (an
    escape) or the UTF-8 lead of U+FFFE/U+FFFF. Three scans of the bytes in C (0.15 s at 100,000
    models) spare the query over every literal (0.7 s) when, as almost always, none does."""
    for f in files:
        try:
            data = Path(f).read_bytes()
        except OSError:
            return True
        if b"\\" in data or b"\xef\xbf" in data or len(data.translate(None, _CONTROL_BYTES)) != len(data):
            return True
    return False


def _duplicates(loaded: GraphStore, context: _Context) -> list[Finding]:
    import csv
    import io

    groups: dict[tuple[str, str], set] = {}
    # CSV gives the plain lexical forms (no escapes to undo); a blank node reads "_:…", never a kg: IRI
    data = loaded.store.query(f'SELECT ?s ?l WHERE {{ ?s <{RDFS.label}> ?l FILTER(LANG(?l) = "en") }}',
                              default_graph=[DATA]).serialize(format=ox.QueryResultsFormat.CSV)
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(rows, None)
    for s, text in rows:
        if s.startswith(KG):
            groups.setdefault(("label", text.strip().casefold()), set()).add(s)
    for q in loaded.store.quads_for_pattern(None, ox.NamedNode(str(SKOS.exactMatch)), None, DATA):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode) \
                and q.object.value.startswith("http://www.wikidata.org/entity/"):
            groups.setdefault(("wikidata", q.object.value), set()).add(q.subject.value)
    findings = []
    for (kind, key), nodes in sorted(groups.items()):
        if len(nodes) < 2:
            continue
        nodes = sorted(URIRef(n) for n in nodes)
        for node in nodes:
            others = ", ".join(name(o) for o in nodes if o != node)
            if kind == "label":
                message = (f"The English label is also used by {others}; if they are the same thing, merge them, "
                           "otherwise make the labels tell them apart")
                path, value = RDFS.label, None
            else:
                message = f"{others} links to the same Wikidata item; merge the two nodes or correct one link"
                path, value = SKOS.exactMatch, URIRef(key)
            findings.append(_make(context, "error", message, node, path, value, f"duplicate-{kind}"))
    return findings


def _same_as(loaded: GraphStore, context: _Context) -> list[Finding]:
    """owl:sameAs between two nodes: the graph keeps one node per thing and links other IRIs with
    skos:exactMatch. The fast reasoner does not apply owl:sameAs (owlrl copies every statement of
    one node onto the other), so the two engines would answer differently: said, not left silent."""
    findings = []
    for q in loaded.store.quads_for_pattern(None, ox.NamedNode(str(OWL.sameAs)), None, DATA):
        if q.subject != q.object:
            findings.append(_make(
                context, "error", f"owl:sameAs {name(_term(q.object))}: llmkg does not merge nodes; describe the "
                                  "thing on one node, and link another IRI for it with skos:exactMatch",
                _term(q.subject), OWL.sameAs, _term(q.object), "same-as"))
    return findings


def _ontology_quality(ontology: Graph) -> list[Finding]:
    loaded = Loaded(ontology, Graph(), ontology, [], locate_subjects(paths.ontology_file(), ontology))
    return ontology_quality(ontology, loaded)


class _ParsedOnce(Graph):
    """A Graph that parses each distinct SPARQL text once. pySHACL sends a SPARQL constraint's
    text anew for every focus node, and rdflib parses it every time: on a 1,000-model catalogue
    that was 117 s of a 196 s validation. rdflib's prepared queries are made to be run many times
    with different initial bindings, so the answers are the ones rdflib gives the text itself."""

    _prepared: dict

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            from rdflib.plugins.sparql import prepareQuery

            cache = self.__dict__.setdefault("_prepared", {})
            if query_object not in cache:
                cache[query_object] = prepareQuery(query_object, initNs=dict(self.namespaces()))
            query_object = cache[query_object]
        return super().query(query_object, *args, **kwargs)


def _pyshacl(loaded: GraphStore, context: _Context, report: Report) -> list[Finding]:
    """The shapes run by pySHACL over the asserted graph (ontology and data, without reasoning:
    sh:class and sh:targetClass follow rdfs:subClassOf on their own) — the reference engine."""
    import pyshacl  # here, not at the top: the fast path never calls it, and it takes 0.07 s to import

    copy = to_rdflib(loaded.store, ASSERTED_GRAPHS)
    data = _ParsedOnce(store=copy.store, identifier=copy.identifier)
    shapes = shapes_graph()
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                     advanced=True, inplace=True)  # ``data`` is our own copy
    report.shacl_report = results
    findings = []
    # Only top-level results: nested sh:detail results repeat them without a location.
    for r in results.objects(None, SH.result):
        focus = results.value(r, SH.focusNode)
        context.need(focus)
        findings.append(shacl_finding(
            context, shapes, focus=focus, path=results.value(r, SH.resultPath),
            value=results.value(r, SH.value), message=results.value(r, SH.resultMessage),
            severity=results.value(r, SH.resultSeverity), constraint=results.value(r, SH.sourceConstraint),
            shape=results.value(r, SH.sourceShape), component=results.value(r, SH.sourceConstraintComponent)))
    return findings
