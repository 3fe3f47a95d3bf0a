"""Reasoned RDF graph → networkx graph for Gephi and friends.

:func:`to_networkx` turns the knowledge graph into a directed networkx graph
whose node ids are full IRI strings and whose node and edge attributes are
plain str / int / float / bool values (never None, never lists), so the same
graph can be written as GEXF (:mod:`llmkg.gexf`), GraphML or Gephi CSVs
without further conversion. Appearance (colour, size, position) is computed
here too, so that every export opens already laid out.

Decisions, in one place:

* **Nodes** are the IRIs under ``kg:`` that are the subject of an
  ``rdfs:label``. The *taxonomy* view adds the ontology classes under
  ``llmkg:`` (and any other class that is the most specific type of a node,
  e.g. ``skos:Concept``). The *full* and *taxonomy* views keep every node;
  *lineage* and *organisations* keep only nodes that take part in one of
  the view's edges (a lineage view of 300 isolated sources helps nobody).
* **One edge per ordered pair** (a DiGraph). When several properties link the
  same pair, a property is dropped if a more specific one is also present
  (``fineTunedFrom`` hides the ``basedOn`` and ``derivedFrom`` it entails);
  the rest are kept together: ``relation``/``property`` list them, sorted,
  joined by ``"; "`` / ``" "``.
* **Inverse properties** are drawn once. ``develops`` is the inverse of
  ``developedBy``; the edge is always written model → organisation
  (``developedBy``, the property on the left of ``owl:inverseOf``), and it
  counts as asserted if either direction was asserted.
* **derivedFrom** is transitive; the reasoner adds an edge from every model
  to every ancestor. An *inferred* ``derivedFrom`` edge is left out when its
  target is already reachable through other lineage edges (a transitive
  reduction): the ancestry is still readable as a path, and the picture
  stays a tree. A ``derivedFrom`` that is asserted, or that is the only
  route to an ancestor, is kept.
* **Inferred**: an edge is ``inferred`` when none of the triples it stands
  for is in ``asserted``. Without ``asserted`` nothing can be told apart and
  every edge is ``inferred=False``. ``include_inferred=False`` (which needs
  ``asserted``) leaves inferred triples out before anything else happens.
* **Taxonomy**: ``rdf:type`` edges go from an instance to its most specific
  classes only, and ``rdfs:subClassOf`` edges only between a class and its
  direct superclasses; everything else is implied by paths.
"""
from __future__ import annotations

import csv
import functools
import math
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from llmkg.paths import KG as _KG
from llmkg.paths import LLMKG as _LLMKG

__all__ = [
    "VIEWS", "NODE_ATTRIBUTES", "EDGE_ATTRIBUTES", "KIND_COLOURS",
    "to_networkx", "to_networkx_store", "layout", "forceatlas2", "forceatlas2_grid", "write_graphml", "write_csv", "kind_colour",
]

VIEWS = ("full", "lineage", "organisations", "taxonomy")

KG = Namespace(_KG)
LLMKG = Namespace(_LLMKG)
SCHEMA = Namespace("https://schema.org/")

#: Prefixes used for CURIEs in attributes. Fixed here (not taken from the
#: graph's bindings) so the output never depends on how a file was parsed.
PREFIXES = (
    ("llmkg", _LLMKG),
    ("kg", _KG),
    ("skos", str(SKOS)),
    ("dcterms", str(DCTERMS)),
    ("prov", str(PROV)),
    ("schema", str(SCHEMA)),
    ("owl", str(OWL)),
    ("rdfs", str(RDFS)),
    ("rdf", str(RDF)),
    ("xsd", str(XSD)),
)

#: (attribute key, GEXF type, title) of node attributes, in output order.
#: The key is the networkx attribute name, the GEXF attribute id *and* its
#: title: Gephi shows the title as the column name, and networkx.read_gexf
#: uses the title as the attribute name, so one name everywhere means the
#: GEXF, GraphML and CSV columns agree and a GEXF reads back unchanged.
NODE_ATTRIBUTES = tuple((k, t, k) for k, t in (
    ("kind", "string"),
    ("class", "string"),            # most specific class, as a CURIE
    ("label_en", "string"),
    ("label_zh", "string"),
    ("organisation", "string"),     # developer / provider labels, "; "-joined
    ("country", "string"),
    ("release_date", "string"),     # as written: 2023, 2023-03 or 2023-03-14
    ("parameter_count", "long"),
    ("log10_parameters", "double"),
    ("open_weights", "boolean"),
    ("degree", "integer"),          # in the exported view
))
EDGE_ATTRIBUTES = tuple((k, t, k) for k, t in (
    ("relation", "string"),         # the property's English label
    ("property", "string"),         # its CURIE
    ("inferred", "boolean"),        # no triple behind the edge was asserted
))

# Kind of a node: the first class in this list that the node is an instance
# of (reasoned types, so subclasses count). Order matters where an entity
# carries two top-level types (a skos:Concept that is also an Architecture
# is an architecture).
_KIND_ORDER = (
    (LLMKG.MachineLearningModel, "model"),
    (LLMKG.ModelFamily, "family"),
    (LLMKG.SoftwareSystem, "software system"),
    (LLMKG.Organization, "organisation"),
    (LLMKG.Person, "person"),
    (LLMKG.Country, "country"),
    (LLMKG.Milestone, "milestone"),
    (LLMKG.HistoricalPeriod, "period"),
    (LLMKG.Architecture, "architecture"),
    (LLMKG.Task, "task"),
    (LLMKG.TrainingMethod, "training method"),
    (LLMKG.Modality, "modality"),
    (LLMKG.ApplicationDomain, "domain"),
    (LLMKG.Source, "source"),
    (LLMKG.SourceError, "source error"),
    (LLMKG.Comparison, "comparison"),
    (LLMKG.ComparisonAspect, "comparison"),
    (LLMKG.AspectValue, "comparison"),
    (SKOS.Concept, "concept"),
    (SKOS.ConceptScheme, "concept"),
)

#: A fixed colour per kind (hex), chosen to stay apart from each other on a
#: white or black Gephi canvas; "model" gets the strongest colour because
#: models are what the graph is about.
KIND_COLOURS = {
    "model": "#1f77b4",
    "organisation": "#d62728",
    "concept": "#2ca02c",
    "milestone": "#ff7f0e",
    "architecture": "#9467bd",
    "task": "#8c564b",
    "training method": "#e377c2",
    "modality": "#17becf",
    "domain": "#bcbd22",
    "source": "#7f7f7f",
    "family": "#aec7e8",
    "software system": "#ff9896",
    "period": "#ffbb78",
    "country": "#98df8a",
    "person": "#c5b0d5",
    "source error": "#c49c94",
    "comparison": "#f7b6d2",
    "class": "#393b79",
    "other": "#c7c7c7",
}

_LINEAGE = (LLMKG.basedOn, LLMKG.derivedFrom, LLMKG.fineTunedFrom, LLMKG.distilledFrom,
            LLMKG.successorOf, LLMKG.variantOf)
_ORGANISATIONS = (LLMKG.developedBy, LLMKG.develops, LLMKG.providedBy, LLMKG.country)
# Never edges in the full view: rdf:type is the taxonomy view's business,
# the others are the reasoner's bookkeeping.
_NOT_EDGES = {RDF.type, OWL.sameAs, OWL.differentFrom, RDFS.subClassOf, OWL.equivalentClass}
_DATE_PROPERTIES = (LLMKG.releaseDate, DCTERMS.date, SCHEMA.datePublished, DCTERMS.created)

#: Seed of the force-directed layout: same graph, same picture.
LAYOUT_SEED = 42


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, KIND_COLOURS["other"])


def curie(iri) -> str:
    s = str(iri)
    for prefix, ns in PREFIXES:
        if s.startswith(ns) and len(s) > len(ns):
            return f"{prefix}:{s[len(ns):]}"
    return s


def _local_name(iri) -> str:
    s = str(iri)
    return re.split(r"[#/]", s)[-1] or s


def _humanise(name: str) -> str:
    """``fineTunedFrom`` → ``fine tuned from`` (for properties without a label)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").lower()


def _label(graph: Graph, node, lang: str) -> str:
    """The label in ``lang`` (``""`` matches untagged), smallest first for determinism."""
    found = sorted(str(o) for o in graph.objects(node, RDFS.label)
                   if isinstance(o, Literal) and (o.language or "").lower().split("-")[0] == lang)
    return found[0] if found else ""


def _labels(graph: Graph, node) -> tuple[str, str]:
    en = _label(graph, node, "en") or _label(graph, node, "")
    zh = _label(graph, node, "zh")
    return en, zh


def gexf_date(value) -> str | None:
    """An RDF date literal as a GEXF ``date``: xsd:date as is, gYearMonth →
    YYYY-MM-01, gYear → YYYY-01-01, dateTime → its date. None if unusable."""
    if not isinstance(value, Literal):
        return None
    return _date_text(str(value))


@functools.lru_cache(maxsize=65536)  # dates repeat: a catalogue has few distinct ones
def _date_text(text: str) -> str | None:
    """:func:`gexf_date` of a literal's lexical form."""
    text = text.strip()
    m = re.fullmatch(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?(Z|[+-]\d{2}:\d{2})?", text)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2) or "01", m.group(3) or "01"
    if year.startswith("-"):
        return None
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{year}-{month}-{day}"


def _first(values, key=str):
    values = sorted(values, key=key)
    return values[0] if values else None


# ---------------------------------------------------------------------------
# RDF → networkx
# ---------------------------------------------------------------------------

class _Ontology:
    """Class and property hierarchy facts read from the reasoned graph."""

    def __init__(self, graph: Graph | None = None, *, sub_properties=(), sub_classes=(), inverses=()):
        """From a reasoned rdflib graph, or (``graph=None``) from the IRI pairs
        of rdfs:subPropertyOf, rdfs:subClassOf and owl:inverseOf triples —
        any term type, as long as it is the same everywhere (the store path
        uses plain strings)."""
        if graph is not None:
            iri = lambda pairs: [(a, b) for a, b in pairs  # noqa: E731
                                 if isinstance(a, URIRef) and isinstance(b, URIRef)]
            sub_properties = iri(graph.subject_objects(RDFS.subPropertyOf))
            sub_classes = iri(graph.subject_objects(RDFS.subClassOf))
            inverses = iri(graph.subject_objects(OWL.inverseOf))
        self.super_props: dict = defaultdict(set)  # p -> strict super-properties (closed)
        for p, q in sub_properties:
            if p != q:
                self.super_props[p].add(q)
        self.super_props = self._close(self.super_props)
        self.super_classes: dict = defaultdict(set)
        for c, d in sub_classes:
            if c != d:
                self.super_classes[c].add(d)
        self.super_classes = self._close(self.super_classes)
        # owl:inverseOf: map the right-hand property onto the left-hand one.
        self.inverse_of: dict = {}
        for p, q in sorted(set(inverses), key=lambda pq: (str(pq[0]), str(pq[1]))):
            if p != q:
                if p not in self.inverse_of and q not in self.inverse_of:
                    self.inverse_of[q] = p

    @staticmethod
    def _close(direct: dict) -> dict:
        closed = defaultdict(set)
        for start in list(direct):
            seen, todo = set(), list(direct[start])
            while todo:
                x = todo.pop()
                if x in seen or x == start:
                    continue
                seen.add(x)
                todo.extend(direct.get(x, ()))
            closed[start] = seen
        return closed

    def is_strict_sub_property(self, p, q) -> bool:
        return q in self.super_props.get(p, ()) and p not in self.super_props.get(q, ())

    def depth(self, c) -> int:
        return len(self.super_classes.get(c, ()))

    def most_specific(self, classes) -> list:
        classes = set(classes)
        return sorted(c for c in classes
                      if not any(c in self.super_classes.get(d, ()) and d not in self.super_classes.get(c, ())
                                 for d in classes if d != c))


def _is_node_iri(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(_KG)


def _kind(types: set) -> str:
    for cls, kind in _KIND_ORDER:
        if cls in types:
            return kind
    return "other"


def _class_rank(onto: _Ontology, c):
    return (0 if str(c).startswith(_LLMKG) else 1, -onto.depth(c), curie(c))


def to_networkx(graph: Graph, *, asserted: Graph | None = None, view: str = "full",
                include_inferred: bool = True) -> nx.DiGraph:
    """The knowledge graph as a directed networkx graph; see the module docstring.

    ``graph`` is the reasoned graph (ontology included); ``asserted`` the graph
    before reasoning, used to mark edges ``inferred``. Raises ValueError for an
    unknown view.
    """
    if not isinstance(graph, Graph) and hasattr(graph, "store"):  # a llmkg.store.StoreLoaded
        return to_networkx_store(graph, view=view, include_inferred=include_inferred)
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    onto = _Ontology(graph)

    def is_asserted(s, p, o) -> bool:
        return asserted is None or (s, p, o) in asserted

    def keep(s, p, o) -> bool:
        return include_inferred or asserted is None or (s, p, o) in asserted

    # --- nodes ------------------------------------------------------------
    entities = sorted({s for s in graph.subjects(RDFS.label) if _is_node_iri(s)}, key=str)
    entity_set = set(entities)
    types = {e: {t for t in graph.objects(e, RDF.type) if isinstance(t, URIRef)} for e in entities}
    kinds = {e: _kind(types[e]) for e in entities}

    g = nx.DiGraph(view=view, include_inferred=include_inferred)
    data: dict = {}
    for e in entities:
        data[e] = _node_data(graph, onto, e, types[e], kinds[e])

    classes: set = set()
    if view == "taxonomy":
        classes = {c for c in graph.subjects(RDF.type, OWL.Class)
                   if isinstance(c, URIRef) and str(c).startswith(_LLMKG)}
        for e in entities:
            classes.update(onto.most_specific(_typing(types[e], e, keep)))
        classes -= entity_set
        for c in classes:
            en, zh = _labels(graph, c)
            data[c] = {"label": en or zh or _local_name(c), "kind": "class", "class": "owl:Class",
                       "label_en": en or _local_name(c), "label_zh": zh}

    # --- edges --------------------------------------------------------------
    # (source, target) -> {property: asserted?}
    found: dict = defaultdict(dict)

    def add(s, p, o, was_asserted):
        found[(s, o)][p] = found[(s, o)].get(p, False) or was_asserted

    if view == "taxonomy":
        for e in entities:
            for c in onto.most_specific(_typing(types[e], e, keep)):
                if c in data:
                    add(e, RDF.type, c, is_asserted(e, RDF.type, c))
        for c in classes:
            supers = {d for d in onto.super_classes.get(c, ()) if d in classes
                      and keep(c, RDFS.subClassOf, d) and (c, RDFS.subClassOf, d) in graph}
            for d in onto.most_specific(supers):
                add(c, RDFS.subClassOf, d, is_asserted(c, RDFS.subClassOf, d))
    else:
        wanted = {"lineage": set(_LINEAGE), "organisations": set(_ORGANISATIONS)}.get(view)
        for s, p, o in graph:
            if s not in entity_set or o not in entity_set or s == o or not isinstance(p, URIRef):
                continue
            if p in _NOT_EDGES or (wanted is not None and p not in wanted):
                continue
            if view == "lineage" and not (kinds[s] == kinds[o] == "model"):
                continue
            if not keep(s, p, o):
                continue
            was = is_asserted(s, p, o)
            if p in onto.inverse_of:  # draw o --p'--> s instead
                q = onto.inverse_of[p]
                add(o, q, s, was)
            else:
                add(s, p, o, was)

    edges = _collapse(found, onto)
    edges = _reduce_derived(edges)

    if view in ("lineage", "organisations"):
        used = {n for pair in edges for n in pair}
        nodes = sorted(used, key=str)
    else:
        nodes = sorted(data, key=str)
    for n in nodes:
        g.add_node(str(n), **data[n])
    for (s, o) in sorted(edges, key=lambda pair: (str(pair[0]), str(pair[1]))):
        props = edges[(s, o)]
        names = sorted(props, key=curie)
        rel = "; ".join(_property_label(graph, p) for p in names)
        g.add_edge(str(s), str(o), relation=rel, label=rel,
                   property=" ".join(curie(p) for p in names),
                   inferred=asserted is not None and not any(props.values()))
    decorate(g)
    return g


# Types that say nothing about what a thing is (OWL/RDFS bookkeeping).
_META_NAMESPACES = (str(OWL), str(RDFS), str(RDF))


def _typing(types, e, keep) -> list:
    return [t for t in types if keep(e, RDF.type, t) and not str(t).startswith(_META_NAMESPACES)]


def _property_label(graph: Graph, p) -> str:
    if p == RDF.type:
        return "type"
    if p == RDFS.subClassOf:
        return "subclass of"
    en = _label(graph, p, "en") or _label(graph, p, "")
    return en or _humanise(_local_name(p))


def _collapse(found: dict, onto: _Ontology) -> dict:
    """Drop, per pair, properties entailed by a more specific one on the same pair."""
    out = {}
    for pair, props in found.items():
        kept = {}
        for p, was in props.items():
            finer = [q for q in props if q != p and onto.is_strict_sub_property(q, p)]
            if finer:
                # The finer triple stands for this one too: if this one was
                # asserted, the edge as a whole is asserted.
                if was:
                    for q in finer:
                        props[q] = True
                continue
            kept[p] = was
        for p in kept:
            kept[p] = props[p]
        out[pair] = kept
    return out


def _reduce_derived(edges: dict, *, derived=LLMKG.derivedFrom, lineage=None) -> dict:
    """Leave out inferred derivedFrom-only edges implied by a longer lineage path.

    ``derived`` and ``lineage`` are the property terms as the edges spell them
    (rdflib URIRefs by default; the store path passes plain strings)."""
    if lineage is None:
        lineage = set(_LINEAGE) - {LLMKG.successorOf, LLMKG.variantOf}
    adj = defaultdict(set)
    for (s, o), props in edges.items():
        if any(p in lineage for p in props):
            adj[s].add(o)
    out = {}
    for (s, o), props in edges.items():
        if len(props) == 1 and derived in props and not props[derived]:
            if _longer_route(adj, s, o):
                continue
        out[(s, o)] = props
    return out


def _longer_route(adj: dict, s, o) -> bool:
    """Whether ``o`` is reachable from ``s`` by a path of two or more edges (``adj``: node → successors).

    The usual case, an ancestor in a transitively closed lineage, is two steps
    away (s → its parent → o): checked first, as the search would find it.
    """
    first = [x for x in adj.get(s, ()) if x != o]
    if any(o in adj.get(x, ()) for x in first):
        return True
    seen, todo = set(), first
    while todo:
        x = todo.pop()
        if x == o:
            return True
        if x in seen:
            continue
        seen.add(x)
        todo.extend(adj.get(x, ()))
    return False


def _node_data(graph: Graph, onto: _Ontology, e, types: set, kind: str) -> dict:
    en, zh = _labels(graph, e)
    d: dict = {"label": en or zh or _local_name(e), "kind": kind}
    best = sorted(onto.most_specific(types), key=lambda c: _class_rank(onto, c))
    d["class"] = curie(best[0]) if best else ""
    d["label_en"] = en
    d["label_zh"] = zh

    def labels_of(nodes):
        return "; ".join(sorted({_labels(graph, n)[0] or _local_name(n) for n in nodes}))

    orgs = set(graph.objects(e, LLMKG.developedBy)) | set(graph.subjects(LLMKG.develops, e)) \
        | set(graph.objects(e, LLMKG.providedBy))
    orgs = {o for o in orgs if isinstance(o, URIRef)}
    if orgs:
        d["organisation"] = labels_of(orgs)
    countries = set(graph.objects(e, LLMKG.country))
    for o in orgs:
        countries |= set(graph.objects(o, LLMKG.country))
    countries = {c for c in countries if isinstance(c, URIRef)}
    if countries:
        d["country"] = labels_of(countries)
    date_literal = None
    for p in _DATE_PROPERTIES:
        date_literal = _first((o for o in graph.objects(e, p) if gexf_date(o)), key=str)
        if date_literal is not None:
            break
    if date_literal is None:
        date_literal = _first((o for o in graph.objects(e, LLMKG.startYear) if gexf_date(o)), key=str)
    if date_literal is not None:
        d["release_date"] = str(date_literal)
        d["start"] = gexf_date(date_literal)
    counts = [o for o in graph.objects(e, LLMKG.parameterCount) if isinstance(o, Literal)]
    for c in sorted(counts, key=str):
        try:
            n = int(str(c).strip())
        except ValueError:
            try:
                n = int(float(str(c)))
            except ValueError:
                continue
        if n > 0:
            d["parameter_count"] = n
            d["log10_parameters"] = round(math.log10(n), 4)
            break
    ow = [o for o in graph.objects(e, LLMKG.openWeights) if isinstance(o, Literal)]
    if ow:
        v = ow[0].toPython()
        if isinstance(v, bool):
            d["open_weights"] = v
        elif str(ow[0]).strip().lower() in ("true", "1", "false", "0"):
            d["open_weights"] = str(ow[0]).strip().lower() in ("true", "1")
    return d


# ---------------------------------------------------------------------------
# Oxigraph store → networkx
# ---------------------------------------------------------------------------
#
# The same graph as :func:`to_networkx` on rdflib (tests/test_network_store.py
# checks node for node, attribute for attribute), but read with one
# ``quads_for_pattern`` scan per property instead of several rdflib calls per
# node: Python pays a few microseconds per quad it touches, so the store path
# touches only the quads it needs (labels, types, the few node properties,
# and the quads whose object is a node) and works on plain ``str`` IRIs.

_S_TYPE, _S_LABEL = str(RDF.type), str(RDFS.label)
_S_SUBCLASS = str(RDFS.subClassOf)
_S_BOOLEAN = str(XSD.boolean)


class _StoreFacts:
    """Bulk reads from a :class:`llmkg.store.StoreLoaded`: every triple comes
    with an *asserted* flag (in ONTOLOGY or DATA, not only in INFERRED)."""

    def __init__(self, loaded):
        import pyoxigraph as ox

        from llmkg.store.load import ASSERTED_GRAPHS, INFERRED

        self.ox = ox
        self.store = loaded.store
        self.flag = {g: True for g in ASSERTED_GRAPHS}
        self.flag[INFERRED] = False
        self._labels: dict | None = None
        self._label_cache: dict = {}
        self._read: dict = {}  # (kind, predicate) -> what iri_pairs / literals returned

    def iri_pairs(self, predicate) -> dict:
        """{(s, o): asserted?} for the triples of ``predicate`` between two IRIs
        (read once per :class:`_StoreFacts`: treat as read-only)."""
        got = self._read.get(("iri", str(predicate)))
        if got is None:
            got = self._scan(predicate)[0]
        return got

    def literals(self, predicate) -> dict:
        """{s: {(lexical, language or None, datatype)}} for the literal-valued
        triples of ``predicate`` (read once per :class:`_StoreFacts`: treat as read-only)."""
        got = self._read.get(("literal", str(predicate)))
        if got is None:
            got = self._scan(predicate)[1]
        return got

    def _scan(self, predicate) -> tuple[dict, dict]:
        """Both :meth:`iri_pairs` and :meth:`literals` of ``predicate``, from one scan."""
        NamedNode, Literal_ = self.ox.NamedNode, self.ox.Literal
        pairs: dict = {}
        lits: dict = {}
        lits_get = lits.get
        p = NamedNode(str(predicate))
        quads = self.store.quads_for_pattern
        flag = self.flag
        for s, _, o, g in quads(None, p, None, None):
            f = flag.get(g)
            if f is not None and type(s) is NamedNode:
                if type(o) is Literal_:
                    key = s.value
                    value = (o.value, o.language, o.datatype.value)
                    got = lits_get(key)
                    if got is None:
                        lits[key] = {value}
                    else:
                        got.add(value)
                elif type(o) is NamedNode:
                    key = (s.value, o.value)
                    pairs[key] = pairs.get(key, False) or f
        self._read[("iri", str(predicate))] = pairs
        self._read[("literal", str(predicate))] = lits
        return pairs, lits

    def edges_into(self, targets) -> dict:
        """{(s, p, o): asserted?} for every triple whose object is in ``targets`` (IRIs)."""
        ox, flag, out = self.ox, self.flag, {}
        NamedNode, quads = ox.NamedNode, self.store.quads_for_pattern
        for t in targets:
            for s, p, _, g in quads(None, None, NamedNode(t), None):
                f = flag.get(g)
                if f is None or type(s) is not NamedNode:
                    continue
                key = (s.value, p.value, t)
                out[key] = out.get(key, False) or f
        return out

    def labels(self, node: str) -> tuple[str, str]:
        """(English or untagged label, Chinese label), as :func:`_labels`."""
        got = self._label_cache.get(node)
        if got is None:
            if self._labels is None:
                self._labels = defaultdict(list)
                for s, lits in self.literals(RDFS.label).items():
                    self._labels[s] = [(v, (lang or "").lower().split("-")[0]) for v, lang, _ in lits]
            best: dict = {}  # language -> smallest label in it
            for v, lg in self._labels.get(node, ()):
                if lg in ("en", "", "zh"):
                    old = best.get(lg)
                    if old is None or v < old:
                        best[lg] = v
            got = (best.get("en") or best.get("", ""), best.get("zh", ""))
            self._label_cache[node] = got
        return got

    def property_label(self, p: str) -> str:
        if p == _S_TYPE:
            return "type"
        if p == _S_SUBCLASS:
            return "subclass of"
        return self.labels(p)[0] or _humanise(_local_name(p))


def _open_weights(lits) -> bool | None:
    """``llmkg:openWeights`` as rdflib's ``toPython`` reads it (the smallest
    literal when there are several, where rdflib takes whichever comes first)."""
    if not lits:
        return None
    value, _, datatype = min(lits)
    if datatype == _S_BOOLEAN:
        return value.lower() in ("true", "1")
    text = value.strip().lower()
    if text in ("true", "1", "false", "0"):
        return text in ("true", "1")
    return None


def to_networkx_store(loaded, *, view: str = "full", include_inferred: bool = True,
                      facts: "_StoreFacts | None" = None) -> nx.DiGraph:
    """:func:`to_networkx` of a :class:`llmkg.store.StoreLoaded`: "reasoned" is
    all three named graphs, "asserted" ONTOLOGY + DATA (so edges are marked
    ``inferred`` when their triples are only in INFERRED). ``facts``, a
    :class:`_StoreFacts` of the same store, lets a caller (the timeline) reuse
    what was read here."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    facts = _StoreFacts(loaded) if facts is None else facts
    onto = _Ontology(sub_properties=list(facts.iri_pairs(RDFS.subPropertyOf)),
                     sub_classes=list(subclass := facts.iri_pairs(RDFS.subClassOf)),
                     inverses=list(facts.iri_pairs(OWL.inverseOf)))

    # --- nodes ------------------------------------------------------------
    facts.labels("")  # reads every label once
    labelled = set(facts._labels) | {s for s, _ in facts.iri_pairs(RDFS.label)}
    entities = sorted(s for s in labelled if s.startswith(_KG))
    entity_set = set(entities)
    typed = facts.iri_pairs(RDF.type)
    types: dict = defaultdict(set)
    for (s, t) in typed:
        if s in entity_set:
            types[s].add(t)
    kind_of = [(str(c), k) for c, k in _KIND_ORDER]
    kinds = {}
    for e in entities:
        ts = types[e]
        kinds[e] = next((k for c, k in kind_of if c in ts), "other")

    def keep_type(e, t) -> bool:
        return include_inferred or typed.get((e, t), False)

    data = _node_data_store(facts, onto, entities, types, kinds)
    g = nx.DiGraph(view=view, include_inferred=include_inferred)

    def typing(e) -> list:
        return [t for t in types[e] if keep_type(e, t) and not t.startswith(_META_NAMESPACES)]

    classes: set = set()
    if view == "taxonomy":
        owl_class = str(OWL.Class)
        classes = {c for (c, t) in typed if t == owl_class and c.startswith(_LLMKG)}
        for e in entities:
            classes.update(onto.most_specific(typing(e)))
        classes -= entity_set
        for c in classes:
            en, zh = facts.labels(c)
            data[c] = {"label": en or zh or _local_name(c), "kind": "class", "class": "owl:Class",
                       "label_en": en or _local_name(c), "label_zh": zh}

    if view == "full":  # the big one (the build's): integer pairs, one pass per target node
        nodes = sorted(data)
        g.add_nodes_from((n, data[n]) for n in nodes)
        _full_edges_store(g, facts, onto, nodes)
        decorate(g)
        return g

    # --- edges --------------------------------------------------------------
    found: dict = defaultdict(dict)

    def add(s, p, o, was_asserted):
        found[(s, o)][p] = found[(s, o)].get(p, False) or was_asserted

    if view == "taxonomy":
        for e in entities:
            for c in onto.most_specific(typing(e)):
                if c in data:
                    add(e, _S_TYPE, c, typed.get((e, c), False))
        for c in classes:
            supers = {d for d in onto.super_classes.get(c, ()) if d in classes
                      and (c, d) in subclass and (include_inferred or subclass[(c, d)])}
            for d in onto.most_specific(supers):
                add(c, _S_SUBCLASS, d, subclass[(c, d)])
    else:
        if view == "full":
            candidates = facts.edges_into(entities)
        else:
            wanted = _LINEAGE if view == "lineage" else _ORGANISATIONS
            candidates = {}
            for p in wanted:
                for (s, o), was in facts.iri_pairs(p).items():
                    candidates[(s, str(p), o)] = was
        not_edges = {str(p) for p in _NOT_EDGES}
        for (s, p, o), was in candidates.items():
            if s not in entity_set or o not in entity_set or s == o or p in not_edges:
                continue
            if view == "lineage" and not (kinds[s] == kinds[o] == "model"):
                continue
            if not (include_inferred or was):
                continue
            if p in onto.inverse_of:  # draw o --p'--> s instead
                add(o, onto.inverse_of[p], s, was)
            else:
                add(s, p, o, was)

    edges = _collapse(found, onto)
    edges = _reduce_derived(edges, derived=str(LLMKG.derivedFrom),
                            lineage={str(p) for p in _LINEAGE} - {str(LLMKG.successorOf), str(LLMKG.variantOf)})

    if view in ("lineage", "organisations"):
        nodes = sorted({n for pair in edges for n in pair})
    else:
        nodes = sorted(data)
    g.add_nodes_from((n, data[n]) for n in nodes)
    rel_of: dict = {}
    curies: dict = {}

    def short(p):
        c = curies.get(p)
        if c is None:
            c = curies[p] = curie(p)
        return c

    for (s, o) in sorted(edges):
        props = edges[(s, o)]
        names = tuple(sorted(props, key=short))
        got = rel_of.get(names)
        if got is None:
            rel = "; ".join(facts.property_label(p) for p in names)
            got = rel_of[names] = (rel, " ".join(curie(p) for p in names))
        g.add_edge(s, o, relation=got[0], label=got[0], property=got[1],
                   inferred=not any(props.values()))
    decorate(g)
    return g


def _full_edges_store(g: nx.DiGraph, facts: _StoreFacts, onto: _Ontology, nodes: list) -> None:
    """The edges of the full view, added to ``g`` (whose nodes are ``nodes``,
    sorted): what the generic path (found → :func:`_collapse` →
    :func:`_reduce_derived`) gives, computed on integers.

    A pair (s, o) of node indices is the key ``s * n + o``, so sorting keys
    sorts pairs as the string path does. Each property seen gets a code k; a
    pair's value is an int with bit 2k set when property k links the pair and
    bit 2k+1 when one of its triples is asserted. Everything the edge needs
    (kept properties, attributes, lineage, "inferred derivedFrom only") depends
    only on that value, so it is worked out once per distinct value."""
    ox = facts.ox
    NamedNode = ox.NamedNode
    quads = facts.store.quads_for_pattern
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    index_get = index.get
    flag = facts.flag
    not_edges = {str(p) for p in _NOT_EDGES}
    codes: list = []        # code -> property IRI (as drawn: inverses mapped)
    code_of: dict = {}      # property IRI -> code
    pinfo: dict = {}        # predicate term -> (inverse?, value if inferred, value if asserted) or None

    def classify(p):
        iri = p.value
        if type(p) is not NamedNode or iri in not_edges:
            pinfo[p] = None
            return None
        inverse = iri in onto.inverse_of
        drawn = onto.inverse_of[iri] if inverse else iri
        k = code_of.get(drawn)
        if k is None:
            k = code_of[drawn] = len(codes)
            codes.append(drawn)
        got = pinfo[p] = (inverse, 1 << (2 * k), 3 << (2 * k))
        return got

    found: dict = {}
    found_get = found.get
    pinfo_get = pinfo.get
    for j, target in enumerate(nodes):
        base = j * n
        for s, p, _, gr in quads(None, None, NamedNode(target), None):
            info = pinfo_get(p, False)
            if info is False:
                info = classify(p)
            if info is None:
                continue
            i = index_get(s.value)
            if i is None or i == j or type(s) is not NamedNode:
                continue
            f = flag.get(gr)
            if f is None:
                continue
            key = j * n + i if info[0] else i * n + j
            found[key] = found_get(key, 0) | info[2 if f else 1]

    # --- per distinct pair value: collapse, attributes, lineage ---------------
    derived = str(LLMKG.derivedFrom)
    lineage = {str(p) for p in _LINEAGE} - {str(LLMKG.successorOf), str(LLMKG.variantOf)}
    finer = {}
    for a, pa in enumerate(codes):
        finer[a] = [b for b, pb in enumerate(codes) if b != a and onto.is_strict_sub_property(pb, pa)]
    curies: dict = {}

    def short(p):
        c = curies.get(p)
        if c is None:
            c = curies[p] = curie(p)
        return c

    memo: dict = {}

    def describe(value):
        present = [k for k in range(len(codes)) if value >> (2 * k) & 1]
        asserted = {k for k in present if value >> (2 * k + 1) & 1}
        kept = {}
        for k in present:
            if any(b in present for b in finer[k]):
                continue
            # a coarser property's asserted triple stands for this one too (_collapse)
            kept[k] = k in asserted or any(k in finer[c] and c in asserted for c in present)
        names = tuple(sorted((codes[k] for k in kept), key=short))
        rel = "; ".join(facts.property_label(p) for p in names)
        inferred = not any(kept.values())
        is_lineage = any(codes[k] in lineage for k in kept)
        only_derived = names == (derived,) and inferred
        attrs = {"relation": rel, "label": rel, "property": " ".join(short(p) for p in names),
                 "inferred": inferred}  # add_edge's order
        got = memo[value] = (attrs, is_lineage, only_derived)
        return got

    adj: dict = defaultdict(set)
    candidates = []
    memo_get = memo.get
    for key, value in found.items():
        d = memo_get(value)
        if d is None:
            d = describe(value)
        if d[1]:
            adj[key // n].add(key % n)
            if d[2]:
                candidates.append(key)
    # _reduce_derived: an inferred derivedFrom-only edge goes when its target
    # is reachable by a path of two or more lineage edges.
    for key in candidates:
        s, o = divmod(key, n)
        if _longer_route(adj, s, o):
            del found[key]

    # --- into g, in sorted order (what add_edge would build, without its checks)
    succ = [g._succ[u] for u in nodes]
    pred = [g._pred[v] for v in nodes]
    for key in sorted(found):
        s, o = divmod(key, n)
        d = memo[found[key]][0].copy()
        succ[s][nodes[o]] = d
        pred[o][nodes[s]] = d
    if hasattr(nx, "_clear_cache"):
        nx._clear_cache(g)


def _node_data_store(facts: _StoreFacts, onto: _Ontology, entities, types, kinds) -> dict:
    """:func:`_node_data` for every entity at once."""
    orgs_of: dict = defaultdict(set)
    for (s, o) in facts.iri_pairs(LLMKG.developedBy):
        orgs_of[s].add(o)
    for (s, o) in facts.iri_pairs(LLMKG.develops):
        orgs_of[o].add(s)
    for (s, o) in facts.iri_pairs(LLMKG.providedBy):
        orgs_of[s].add(o)
    country_of: dict = defaultdict(set)
    for (s, o) in facts.iri_pairs(LLMKG.country):
        country_of[s].add(o)
    dates = [facts.literals(p) for p in _DATE_PROPERTIES + (LLMKG.startYear,)]
    params = facts.literals(LLMKG.parameterCount)
    open_weights = facts.literals(LLMKG.openWeights)
    label_of = facts.labels
    joined: dict = {}

    def labels_of(nodes):
        key = frozenset(nodes)
        got = joined.get(key)
        if got is None:
            got = joined[key] = "; ".join(sorted({label_of(n)[0] or _local_name(n) for n in nodes}))
        return got

    best_class: dict = {}
    out = {}
    for e in entities:
        en, zh = label_of(e)
        d: dict = {"label": en or zh or _local_name(e), "kind": kinds[e]}
        ts = frozenset(types[e])
        cls = best_class.get(ts)
        if cls is None:
            best = sorted(onto.most_specific(ts), key=lambda c: _class_rank(onto, c))
            cls = best_class[ts] = curie(best[0]) if best else ""
        d["class"] = cls
        d["label_en"] = en
        d["label_zh"] = zh
        orgs = orgs_of.get(e)
        if orgs:
            d["organisation"] = labels_of(orgs)
        countries = set(country_of.get(e, ()))
        for o in orgs or ():
            countries |= country_of.get(o, set())
        if countries:
            d["country"] = labels_of(countries)
        for by_subject in dates:
            lits = by_subject.get(e)
            if lits:
                ok = sorted(v for v, _, _ in lits if _date_text(v))
                if ok:
                    d["release_date"] = ok[0]
                    d["start"] = _date_text(ok[0])
                    break
        for c in sorted(v for v, _, _ in params.get(e, ())):
            try:
                n = int(c.strip())
            except ValueError:
                try:
                    n = int(float(c))
                except ValueError:
                    continue
            if n > 0:
                d["parameter_count"] = n
                d["log10_parameters"] = round(math.log10(n), 4)
                break
        ow = _open_weights(open_weights.get(e))
        if ow is not None:
            d["open_weights"] = ow
        out[e] = d
    return out


# ---------------------------------------------------------------------------
# Appearance
# ---------------------------------------------------------------------------

def decorate(g: nx.DiGraph, *, seed: int = LAYOUT_SEED) -> nx.DiGraph:
    """Give every node ``degree``, ``color`` (hex), ``size``, ``x`` and ``y``.

    Size (Gephi's node radius) grows with degree; a model's size grows with
    its parameter count instead when that is larger (log scale: 1e8 → 12,
    1e12 → 36), so the big models stand out. Positions come from
    :func:`forceatlas2` with a fixed seed, scaled to about ±1000 (the range
    Gephi's own layouts produce) and rounded to 0.01 so that last-bit float
    noise cannot change the file.
    """
    nodes = g.nodes
    for n, deg in g.degree():
        d = nodes[n]
        d["degree"] = deg
        d["color"] = kind_colour(d.get("kind", "other"))
        size = 6.0 + 4.0 * math.sqrt(deg)
        if d.get("log10_parameters") is not None:
            size = max(size, 6.0 + 6.0 * max(0.0, d["log10_parameters"] - 7.0))
        d["size"] = round(min(size, 60.0), 2)
    pos = layout(g, seed=seed)
    for n, (x, y) in pos.items():
        g.nodes[n]["x"] = x
        g.nodes[n]["y"] = y
    return g


def layout(g: nx.DiGraph, *, seed: int = LAYOUT_SEED) -> dict:
    """Deterministic positions {node: (x, y)} in about ±1000 (ForceAtlas2)."""
    nodes = sorted(g.nodes, key=str)  # caller's insertion order cannot matter
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    # the sorted distinct undirected pairs (i < j) of the edges, as two arrays
    ends = np.array([index[u] for u, v in g.edges], dtype=np.int64), \
        np.array([index[v] for u, v in g.edges], dtype=np.int64)
    lo, hi = np.minimum(*ends), np.maximum(*ends)
    keys = np.sort((lo * n + hi)[lo != hi])
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    src, dst = keys // n, keys % n
    # Strong gravity (pull proportional to distance, as Gephi's "Stronger
    # gravity" option) with a weak constant: views such as lineage are many
    # small components, which plain gravity scatters to the corners; this
    # keeps them in one readable picture and barely changes a connected one.
    if n > LARGE_GRAPH:  # exact repulsion is O(n²): see forceatlas2_grid
        pos = forceatlas2_grid(n, src, dst, seed=seed, gravity=0.1)
    else:
        pos = forceatlas2(n, src, dst, seed=seed, gravity=0.1, strong_gravity=True)
    # ForceAtlas2 leaves isolated nodes and small components drifting far
    # out, where they would shrink everything else when the view is fitted to
    # the window. Pull any node beyond 1.2 × the 95th-percentile radius back
    # onto that circle (keeping its direction).
    centre = np.median(pos, axis=0)
    radius = np.sqrt(((pos - centre) ** 2).sum(axis=1))
    if n >= 10:
        limit = 1.2 * float(np.percentile(radius, 95))
        far = radius > limit
        if far.any() and limit > 0:
            pos[far] = centre + (pos[far] - centre) * (limit / radius[far])[:, None]
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    centre = (lo + hi) / 2
    span = float(max(hi - lo)) or 1.0
    pos = (pos - centre) * (2000.0 / span)
    return {v: (round(float(pos[i, 0]), 2) + 0.0, round(float(pos[i, 1]), 2) + 0.0)
            for v, i in index.items()}


def forceatlas2(n: int, src, dst, *, seed: int = LAYOUT_SEED, iterations: int | None = None,
                gravity: float = 1.0, scaling: float | None = None,
                strong_gravity: bool = False) -> "np.ndarray":
    """ForceAtlas2 (Jacomy et al. 2014, PLoS ONE 9(6): e98679) on ``n`` nodes
    and undirected edges ``src[k]–dst[k]``; returns an (n, 2) array.

    The forces and Gephi's adaptive speed are those of Gephi's ForceAtlas2 and
    of ``networkx.forceatlas2_layout``: repulsion kr·(deg+1)(deg+1)/d, linear
    attraction along edges, gravity towards the centre weighted by deg+1.
    Why not call networkx's? It computes attraction with a dense n×n×2
    einsum and takes ~80 ms an iteration at 1,200 nodes; here attraction runs
    over the edge list and repulsion over two n×n arrays (~18 ms), which keeps
    ``llmkg build`` and the tests quick. Only elementwise numpy arithmetic is
    used (no BLAS reductions whose summation order may depend on threads), and
    the start comes from a seeded generator, so the result is reproducible.
    """
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * (10.0 * math.sqrt(n))
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    mass = (np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)).astype(float) + 1.0
    kr = scaling if scaling is not None else (10.0 if n < 100 else 2.0)  # Gephi's defaults
    mm = kr * np.outer(mass, mass)
    np.fill_diagonal(mm, 0.0)
    if iterations is None:
        iterations = 200 if n <= 600 else 120
    previous = np.zeros((n, 2))
    speed, efficiency = 1.0, 1.0
    optimal_jitter = 0.05 * math.sqrt(n)
    for _ in range(iterations):
        dx = pos[:, 0][:, None] - pos[:, 0][None, :]
        dy = pos[:, 1][:, None] - pos[:, 1][None, :]
        d2 = dx * dx + dy * dy
        np.maximum(d2, 1e-2, out=d2)
        c = mm / d2
        force = np.stack(((c * dx).sum(axis=1), (c * dy).sum(axis=1)), axis=1)
        pull = pos[dst] - pos[src]
        np.add.at(force, src, pull)
        np.add.at(force, dst, -pull)
        r = np.sqrt((pos * pos).sum(axis=1))
        if strong_gravity:  # pull grows with distance: keeps components together
            force -= gravity * mass[:, None] * pos
        else:
            force -= gravity * mass[:, None] * pos / np.maximum(r, 1e-9)[:, None]
        speed, efficiency = _move(pos, force, previous, mass, n, optimal_jitter, speed, efficiency)
        previous = force
    return pos


def _move(pos, force, previous, mass, n: int, optimal_jitter: float, speed: float, efficiency: float):
    """One ForceAtlas2 step with Gephi's adaptive speed (jitter tolerance); moves ``pos`` in place.

    Returns the new (speed, efficiency).
    """
    swing_i = np.sqrt(((force - previous) ** 2).sum(axis=1))
    traction_i = np.sqrt(((force + previous) ** 2).sum(axis=1)) / 2
    swing = float((mass * swing_i).sum())
    traction = max(float((mass * traction_i).sum()), 1e-12)
    jitter = max(math.sqrt(optimal_jitter), min(10.0, optimal_jitter * traction / (n * n)))
    if swing / traction > 2.0:
        if efficiency > 0.05:
            efficiency *= 0.5
        jitter = max(jitter, 1.0)
    target = jitter * efficiency * traction / swing if swing > 0 else math.inf
    if swing > jitter * traction:
        if efficiency > 0.05:
            efficiency *= 0.7
    elif speed < 1000:
        efficiency *= 1.3
    speed = speed + min(target - speed, 0.5 * speed)
    size = np.sqrt((force * force).sum(axis=1))
    step = speed / (1.0 + np.sqrt(speed * swing_i))
    step = np.minimum(step, 10.0 / np.maximum(size, 1e-12))
    pos += force * step[:, None]
    return speed, efficiency


#: Above this many nodes :func:`layout` switches from the exact ForceAtlas2
#: (O(n²) memory and time per iteration: ~10 ms an iteration at 1,000 nodes,
#: 1.4 s for the layout of a 1,000-model catalogue; gigabytes and minutes at
#: 100,000) to :func:`forceatlas2_grid` (0.1 s there, and a picture one cannot
#: tell apart by eye). The shipped graph (about 400 nodes) stays well below,
#: so its layout is unchanged.
LARGE_GRAPH = 1000


def forceatlas2_grid(n: int, src, dst, *, seed: int = LAYOUT_SEED, iterations: int | None = None,
                     gravity: float = 0.1, scaling: float = 2.0) -> "np.ndarray":
    """ForceAtlas2 for large graphs: the same forces, strong gravity and
    adaptive speed as :func:`forceatlas2`, but the n² repulsion is computed on
    a grid (particle–mesh, as in astrophysics codes): masses are spread onto a
    G×G grid (cloud-in-cell), convolved by FFT with the ForceAtlas2 repulsion
    kernel kr·(dx, dy)/d², and the force read back at each node from the same
    four cells. That is O(n + G² log G) an iteration instead of O(n²); nodes
    closer than a cell repel less than exactly, which at this size is below
    what a picture or Gephi's first look can show. Fewer iterations (60–80)
    start from a seeded placement; only elementwise numpy and pocketfft are
    used, so the result is reproducible. ~0.2 s at 10,000 nodes, ~2 s at 100,000.
    """
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * (10.0 * math.sqrt(n))
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    mass = (np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)).astype(float) + 1.0
    if iterations is None:
        iterations = 80 if n <= 20000 else 60
    grid = 64
    while grid * grid < n and grid < 256:
        grid *= 2
    size = 2 * grid  # zero padding: no wrap-around in the circular convolution
    off = np.arange(size)
    off = np.where(off < grid, off, off - size).astype(float)  # signed cell offsets
    ox_, oy_ = np.meshgrid(off, off, indexing="ij")
    r2 = ox_ * ox_ + oy_ * oy_
    r2[0, 0] = 1.0
    kx = np.fft.rfft2(np.where(r2 > 0, ox_ / r2, 0.0) * (ox_ != 0))
    ky = np.fft.rfft2(np.where(r2 > 0, oy_ / r2, 0.0) * (oy_ != 0))
    previous = np.zeros((n, 2))
    speed, efficiency = 1.0, 1.0
    optimal_jitter = 0.05 * math.sqrt(n)
    for _ in range(iterations):
        lo = pos.min(axis=0)
        span = float((pos.max(axis=0) - lo).max()) or 1.0
        h = span * 1.0001 / (grid - 1)  # cell size: the grid covers the layout
        u = (pos - lo) / h
        cell = np.minimum(np.floor(u).astype(np.int64), grid - 2)
        frac = u - cell
        i0, j0 = cell[:, 0], cell[:, 1]
        wx, wy = frac[:, 0], frac[:, 1]
        weights = ((1 - wx) * (1 - wy), wx * (1 - wy), (1 - wx) * wy, wx * wy)
        corners = (i0 * size + j0, (i0 + 1) * size + j0, i0 * size + j0 + 1, (i0 + 1) * size + j0 + 1)
        rho = np.zeros(size * size)
        for w, c in zip(weights, corners):
            rho += np.bincount(c, weights=w * mass, minlength=size * size)
        rho_k = np.fft.rfft2(rho.reshape(size, size))
        fx = np.fft.irfft2(rho_k * kx, s=(size, size)).ravel()
        fy = np.fft.irfft2(rho_k * ky, s=(size, size)).ravel()
        force = np.zeros((n, 2))
        for w, c in zip(weights, corners):
            force[:, 0] += w * fx[c]
            force[:, 1] += w * fy[c]
        force *= (scaling / h) * mass[:, None]
        pull = pos[dst] - pos[src]
        for k in (0, 1):
            force[:, k] += np.bincount(src, weights=pull[:, k], minlength=n) \
                - np.bincount(dst, weights=pull[:, k], minlength=n)
        force -= gravity * mass[:, None] * pos  # strong gravity, as layout() uses
        speed, efficiency = _move(pos, force, previous, mass, n, optimal_jitter, speed, efficiency)
        previous = force
    return pos


# ---------------------------------------------------------------------------
# GraphML and CSV
# ---------------------------------------------------------------------------

def _graphml_value(v):
    if isinstance(v, bool) or isinstance(v, (int, float, str)):
        return v
    return str(v)


def write_graphml(g: nx.DiGraph, path) -> None:
    """GraphML via networkx. Values GraphML cannot hold (None, lists, dicts)
    are dropped or written as strings; the hex colour is also split into
    r/g/b integers, which Gephi's GraphML importer reads as the node colour
    (as it reads x, y and size)."""
    h = nx.DiGraph()
    h.graph.update({k: _graphml_value(v) for k, v in g.graph.items() if v is not None})
    for n in sorted(g.nodes, key=str):
        d = {k: _graphml_value(v) for k, v in g.nodes[n].items() if v is not None}
        colour = d.get("color")
        if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            d["r"], d["g"], d["b"] = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        h.add_node(str(n), **d)
    for u, v in sorted(g.edges, key=lambda e: (str(e[0]), str(e[1]))):
        h.add_edge(str(u), str(v), **{k: _graphml_value(x) for k, x in g.edges[u, v].items()
                                      if x is not None})
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(h, str(path), encoding="utf-8", prettyprint=True)


def _csv_value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def write_csv(g: nx.DiGraph, nodes_path, edges_path) -> None:
    """Gephi's spreadsheet import: nodes.csv (Id, Label, attributes…) and
    edges.csv (Source, Target, Type, Id, Label, attributes…). UTF-8, no BOM,
    comma-separated, ``\\n`` line ends, booleans as true/false."""
    node_cols = ["Id", "Label"] + [k for k, _, _ in NODE_ATTRIBUTES] + ["color", "size", "x", "y", "start"]
    edge_cols = ["Source", "Target", "Type", "Id", "Label"] + [k for k, _, _ in EDGE_ATTRIBUTES]
    for p in (nodes_path, edges_path):
        Path(p).parent.mkdir(parents=True, exist_ok=True)
    with open(nodes_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(node_cols)
        for n in sorted(g.nodes, key=str):
            d = g.nodes[n]
            w.writerow([str(n), _csv_value(d.get("label", n))]
                       + [_csv_value(d.get(c)) for c in node_cols[2:]])
    with open(edges_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(edge_cols)
        for i, (u, v) in enumerate(sorted(g.edges, key=lambda e: (str(e[0]), str(e[1])))):
            d = g.edges[u, v]
            w.writerow([str(u), str(v), "Directed", f"e{i}", _csv_value(d.get("label", d.get("relation")))]
                       + [_csv_value(d.get(c)) for c in edge_cols[5:]])
