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

import functools
import math
import os
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
from rdflib import OWL, RDF, RDFS, XSD, Namespace
from rdflib.namespace import DCTERMS, SKOS

from llmkg.exports.appearance import KIND_COLOURS, decorate, kind_colour  # noqa: F401  (re-exported)
from llmkg.vocab import KG as _KG
from llmkg.vocab import LLMKG as _LLMKG
from llmkg.vocab import curie

__all__ = ["VIEWS", "NODE_ATTRIBUTES", "EDGE_ATTRIBUTES", "KIND_COLOURS", "to_networkx", "kind_colour", "date_start",
           "StoreFacts"]

from llmkg.exports import VIEWS  # noqa: E402  (one list, for the CLI too)

KG = Namespace(_KG)
LLMKG = Namespace(_LLMKG)
SCHEMA = Namespace("https://schema.org/")

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

_LINEAGE = (LLMKG.basedOn, LLMKG.derivedFrom, LLMKG.fineTunedFrom, LLMKG.distilledFrom,
            LLMKG.successorOf, LLMKG.variantOf)
_ORGANISATIONS = (LLMKG.developedBy, LLMKG.develops, LLMKG.providedBy, LLMKG.country)
# Never edges in the full view: rdf:type is the taxonomy view's business,
# the others are the reasoner's bookkeeping.
_NOT_EDGES = {RDF.type, OWL.sameAs, OWL.differentFrom, RDFS.subClassOf, OWL.equivalentClass}
_DATE_PROPERTIES = (LLMKG.releaseDate, DCTERMS.date, SCHEMA.datePublished, DCTERMS.created)

def _local_name(iri) -> str:
    s = str(iri)
    return re.split(r"[#/]", s)[-1] or s


def _humanise(name: str) -> str:
    """``fineTunedFrom`` → ``fine tuned from`` (for properties without a label)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").lower()


@functools.lru_cache(maxsize=65536)  # dates repeat: a catalogue has few distinct ones
def date_start(text: str) -> str | None:
    """The day a date literal's lexical form starts, as a GEXF ``date``: an
    xsd:date as is, gYearMonth → YYYY-MM-01, gYear → YYYY-01-01, dateTime →
    its date. None if unusable."""
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


# ---------------------------------------------------------------------------
# Store → networkx
# ---------------------------------------------------------------------------

class _Ontology:
    """Class and property hierarchy facts of the reasoned graph, from the IRI
    pairs (plain strings) of its rdfs:subPropertyOf, rdfs:subClassOf and
    owl:inverseOf triples."""

    def __init__(self, *, sub_properties=(), sub_classes=(), inverses=()):
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


def _class_rank(onto: _Ontology, c):
    return (0 if c.startswith(_LLMKG) else 1, -onto.depth(c), curie(c))


# Types that say nothing about what a thing is (OWL/RDFS bookkeeping).
_META_NAMESPACES = (str(OWL), str(RDFS), str(RDF))


def _collapse(found: dict, onto: _Ontology) -> dict:
    """Drop, per pair, properties entailed by a more specific one on the same pair."""
    out = {}
    plans: dict = {}  # a pair's properties (in order) -> [(property, the finer ones among them)]
    for pair, props in found.items():
        names = tuple(props)
        plan = plans.get(names)
        if plan is None:
            plan = [(p, [q for q in names if q != p and onto.is_strict_sub_property(q, p)]) for p in names]
            if not any(finer for _, finer in plan):
                plan = ()
            plans[names] = plan
        if not plan:  # no property entails another: the pair stays as it is
            out[pair] = props
            continue
        kept = {}
        for p, finer in plan:
            was = props[p]  # as it is now: a coarser asserted property may have set it
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
    lineage = frozenset(lineage)
    routes = _Routes()
    succ, pred = routes.succ, routes.pred  # routes.add, inlined: called for every lineage pair
    candidates = []
    for pair, props in edges.items():
        if not lineage.isdisjoint(props):
            s, o = pair
            succ[s].add(o)
            pred[o].add(s)
        if len(props) == 1 and derived in props and not props[derived]:
            candidates.append(pair)
    implied = {pair for pair in candidates if routes.longer(*pair)}
    return {pair: props for pair, props in edges.items() if pair not in implied}


_NONE: frozenset = frozenset()


class _Routes:
    """Lineage edges, to ask whether a target is reachable by a longer path."""

    def __init__(self):
        self.succ: dict = defaultdict(set)  # node -> successors
        self.pred: dict = defaultdict(set)  # node -> predecessors

    def add(self, s, o) -> None:
        self.succ[s].add(o)
        self.pred[o].add(s)

    def longer(self, s, o) -> bool:
        """Whether ``o`` is reachable from ``s`` by a path of two or more edges.

        The usual case, an ancestor in a transitively closed lineage, is two
        steps away (s → its parent → o): one set operation asks whether a
        successor of ``s`` is a predecessor of ``o``. A self-loop on ``o``
        would make ``o`` itself such a node, which is no longer route: then,
        as when there is no two-step route, the search decides."""
        pred_o = self.pred.get(o, _NONE)
        if not self.succ.get(s, _NONE).isdisjoint(pred_o) and o not in pred_o:
            return True
        return _longer_route(self.succ, s, o)


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


# The graph is read with one scan per property and named graph: Python
# pays for every quad it touches, so only the quads needed are touched
# (labels, types, the few node properties, and the quads whose object is a
# node), and IRIs are plain ``str``. On a built store (RocksDB, on disk) the
# cost of a quad is decoding its terms (a lookup per IRI), not Python:
# ``quads_for_pattern`` decodes four terms a quad, a SPARQL SELECT of ?s ?o in
# one named graph two (about twice as fast), and one that groups the subjects
# by object decodes each distinct object once (faster again where objects
# repeat: classes, ancestors, organisations, dates). In memory
# ``quads_for_pattern`` is the fastest.

_S_TYPE, _S_LABEL = str(RDF.type), str(RDFS.label)
_S_SUBCLASS = str(RDFS.subClassOf)
_S_BOOLEAN = str(XSD.boolean)


#: the file in a built store's version folder that keeps what StoreFacts read from it
KEPT_READS = "network-reads.marshal"


def _read_kept(path: Path) -> dict:
    """The reads kept in ``path`` (marshal: the dicts, sets, tuples and strings of StoreFacts,
    loaded about ten times faster than pickle would), or nothing if there are none or they
    cannot be read (written by another Python, cut short): then the store is read again."""
    import marshal

    try:
        kept = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return kept if isinstance(kept, dict) else {}


#: what the views and the timeline read from every store (they read more only where the ontology
#: adds sub-properties of these): read in advance for a store built by a reading command
VIEW_READS = (RDF.type, RDFS.label, RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, LLMKG.parameterCount,
              LLMKG.openWeights, LLMKG.startYear) + _LINEAGE + _ORGANISATIONS + _DATE_PROPERTIES


def keep_view_reads(loaded, version: Path) -> None:
    """Read :data:`VIEW_READS` from ``loaded`` (a store in memory, where reading is cheap) and
    keep them beside the built store ``version`` was written from it, as ``llmkg build`` keeps
    what its network read: the first export or picture of a store that a reading command built
    then does not decode the disk store's terms (7.6 s of 100,000 models' lineage view)."""
    facts = StoreFacts(loaded)
    for p in VIEW_READS:
        facts.iri_pairs(p)
    facts.keep(version)


class StoreFacts:
    """Bulk reads from a :class:`llmkg.store.load.GraphStore`: every triple comes
    with an *asserted* flag (in an asserted graph, not only in the inferred one)."""

    def __init__(self, loaded, *, use_kept: bool = True):
        """``use_kept``: start from the reads kept beside a built store (:meth:`keep`), if any."""
        import pyoxigraph as ox

        from llmkg.store.persist import BuiltStore

        self.ox = ox
        self.store = loaded.store
        self.flag = {g: True for g in loaded.asserted_graphs}
        self.flag[loaded.inferred_graph] = False
        self.on_disk = isinstance(loaded, BuiltStore)
        self._labels: dict | None = None
        self._label_cache: dict = {}
        self._read: dict = {}  # (kind, predicate) -> what iri_pairs / literals returned
        self._kept = Path(loaded.path) / KEPT_READS if self.on_disk else None
        if self._kept is not None and use_kept:
            self._read = _read_kept(self._kept)
        self._new = False  # read from the store since the kept reads were loaded

    def keep(self, version: Path | None = None) -> None:
        """Keep what was read beside a built store (``version``, its folder; by default this
        store's own, if anything was read from it that was not kept yet), so that the next
        command on it reads every property in one go: decoding the disk store's terms was
        7.6 s of an export of 100,000 models. A built store never changes, so kept reads stay
        right; a folder this process cannot write to keeps nothing (keeping is an optimisation)."""
        import marshal

        folder = version if version is not None else (self._kept.parent if self._kept and self._new else None)
        if folder is None:
            return
        tmp = Path(folder) / f".{KEPT_READS}.{os.getpid()}.tmp"
        try:
            tmp.write_bytes(marshal.dumps(self._read))
            os.replace(tmp, Path(folder) / KEPT_READS)
        except (OSError, ValueError):
            tmp.unlink(missing_ok=True)
        self._new = False

    def iri_pairs(self, predicate) -> dict:
        """{(s, o): asserted?} for the triples of ``predicate`` between two IRIs
        (read once per :class:`StoreFacts`: treat as read-only)."""
        got = self._read.get(("iri", str(predicate)))
        if got is None:
            got = self._scan(predicate)[0]
        return got

    def literals(self, predicate) -> dict:
        """{s: {(lexical, language or None, datatype)}} for the literal-valued
        triples of ``predicate`` (read once per :class:`StoreFacts`: treat as read-only)."""
        got = self._read.get(("literal", str(predicate)))
        if got is None:
            got = self._scan(predicate)[1]
        return got

    def _by_object(self, p, graph):
        """(object, [subject IRI, ...]) for the triples of ``p`` (a NamedNode) in
        ``graph`` whose subject is an IRI, on a built store: one SPARQL group per
        object, so that an object (a class, an ancestor, an organisation, a date)
        is decoded once, not once a triple. Objects that are blank nodes are left out."""
        BlankNode, NamedNode = self.ox.BlankNode, self.ox.NamedNode
        query = (f"SELECT ?o (COUNT(?s) AS ?n) (GROUP_CONCAT(STR(?s); separator=' ') AS ?subjects) "
                 f"WHERE {{ GRAPH {graph} {{ ?s {p} ?o }} }} GROUP BY ?o")
        for o, n, subjects in self.store.query(query):
            if type(o) is BlankNode:
                continue
            listed = subjects.value.split(" ") if subjects is not None else ()
            if len(listed) != int(n.value):
                # STR() of a blank node fails, and the group's list with it (an IRI
                # holds no space, but the count says for sure): read it triple by triple
                listed = [q[0].value for q in self.store.quads_for_pattern(None, p, o, graph)
                          if type(q[0]) is NamedNode]
            yield o, listed

    def _objects_repeat(self, p, graph, *, sample: int = 2000, often: int = 4) -> bool:
        """Whether the objects of ``p`` in ``graph`` come in ``often`` triples or
        more on average, judged on a sample of its triples (in index order, so
        a sample holds whole groups). Grouping by object pays only then:
        labels, develops and basedOn are read two to three times slower grouped,
        rdf:type, developedBy and derivedFrom up to twice faster."""
        query = (f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?o) AS ?d) "
                 f"WHERE {{ {{ SELECT ?o WHERE {{ GRAPH {graph} {{ ?s {p} ?o }} }} LIMIT {sample} }} }}")
        n, distinct = next(iter(self.store.query(query)))
        return int(n.value) >= often * max(int(distinct.value), 1)

    def _subjects_objects(self, p, graph):
        """(subject, object) terms of the triples of ``p`` (a NamedNode) in ``graph``."""
        if self.on_disk:
            return ((row[0], row[1]) for row in self.store.query(f"SELECT ?s ?o WHERE {{ GRAPH {graph} {{ ?s {p} ?o }} }}"))
        return ((q[0], q[2]) for q in self.store.quads_for_pattern(None, p, None, graph))

    def _scan(self, predicate) -> tuple[dict, dict]:
        """Both :meth:`iri_pairs` and :meth:`literals` of ``predicate``, from one scan per graph."""
        NamedNode, Literal_ = self.ox.NamedNode, self.ox.Literal
        pairs: dict = {}
        lits: dict = {}
        lits_get = lits.get
        pairs_get = pairs.get
        p = NamedNode(str(predicate))
        for graph, f in self.flag.items():
            if self.on_disk and self._objects_repeat(p, graph):
                for o, subjects in self._by_object(p, graph):
                    if type(o) is Literal_:
                        value = (o.value, o.language, o.datatype.value)
                        for key in subjects:
                            got = lits_get(key)
                            if got is None:
                                lits[key] = {value}
                            else:
                                got.add(value)
                    elif type(o) is NamedNode:
                        o = o.value
                        for s in subjects:
                            key = (s, o)
                            pairs[key] = pairs_get(key, False) or f
                continue
            for s, o in self._subjects_objects(p, graph):
                if type(s) is NamedNode:
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
                        pairs[key] = pairs_get(key, False) or f
        self._read[("iri", str(predicate))] = pairs
        self._read[("literal", str(predicate))] = lits
        self._new = True
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
                    self._labels[s] = [(v, _primary_language(lang)) for v, lang, _ in lits]
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


@functools.lru_cache(maxsize=None)  # a graph has few language tags
def _primary_language(tag: str | None) -> str:
    """``zh-Hans`` → ``zh``, ``EN`` → ``en``, no tag → ``""``."""
    return (tag or "").lower().split("-")[0]


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


def to_networkx(loaded, *, view: str = "full", include_inferred: bool = True,
                      facts: "StoreFacts | None" = None) -> nx.DiGraph:
    """The knowledge graph in a :class:`llmkg.store.load.GraphStore` as a
    directed networkx graph (see the module docstring): an edge is marked
    ``inferred`` when its triples are only in the inferred graph. ``facts``, a
    :class:`StoreFacts` of the same store, lets a caller (the timeline) reuse
    what was read here. Raises ValueError for an unknown view."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    own_facts = facts is None
    facts = StoreFacts(loaded) if facts is None else facts
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

    # lineage and organisations keep only the nodes of their edges: their data waits for those
    data = _node_data(facts, onto, entities, types, kinds) if view in ("full", "taxonomy") else {}
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
        _full_edges(g, facts, onto, nodes)
        decorate(g)
        return g

    # --- edges --------------------------------------------------------------
    found: dict = defaultdict(dict)  # (s, o) -> {property: asserted?}

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
        wanted = _LINEAGE if view == "lineage" else _ORGANISATIONS
        # a lineage edge joins two models; an organisations edge any two entities
        ends = {e for e in entities if kinds[e] == "model"} if view == "lineage" else entity_set
        not_edges = {str(p) for p in _NOT_EDGES}
        for prop in wanted:
            p = str(prop)
            if p in not_edges:
                continue
            drawn = onto.inverse_of.get(p)  # if set, draw o --drawn--> s instead
            for (s, o), was in facts.iri_pairs(prop).items():
                if s == o or s not in ends or o not in ends or not (include_inferred or was):
                    continue
                if drawn is None:
                    props = found[(s, o)]
                    props[p] = props.get(p, False) or was
                else:
                    props = found[(o, s)]
                    props[drawn] = props.get(drawn, False) or was

    edges = _collapse(found, onto)
    edges = _reduce_derived(edges, derived=str(LLMKG.derivedFrom),
                            lineage={str(p) for p in _LINEAGE} - {str(LLMKG.successorOf), str(LLMKG.variantOf)})

    if view in ("lineage", "organisations"):
        nodes = sorted({n for pair in edges for n in pair})
        data = _node_data(facts, onto, nodes, types, kinds)
    else:
        nodes = sorted(data)
    g.add_nodes_from((n, data[n]) for n in nodes)
    attrs_of: dict = {}  # the pair's (property, asserted?) items -> its edge attributes
    short = functools.lru_cache(maxsize=None)(curie)  # a property's name, once per property
    succ, pred = g._succ, g._pred
    for (s, o) in sorted(edges):
        props = edges[(s, o)]
        key = tuple(props.items())
        attrs = attrs_of.get(key)
        if attrs is None:
            names = tuple(sorted(props, key=short))
            rel = "; ".join(facts.property_label(p) for p in names)
            attrs = attrs_of[key] = {"relation": rel, "label": rel, "property": " ".join(curie(p) for p in names),
                                     "inferred": not any(props.values())}  # add_edge's order
        if s in succ and o in succ:  # what add_edge does, without its checks
            attrs = attrs.copy()
            succ[s][o] = attrs
            pred[o][s] = attrs
        else:
            g.add_edge(s, o, **attrs)
    if hasattr(nx, "_clear_cache"):
        nx._clear_cache(g)
    decorate(g)
    if own_facts:
        facts.keep()
    return g


def _full_edges(g: nx.DiGraph, facts: StoreFacts, onto: _Ontology, nodes: list) -> None:
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
    short = functools.lru_cache(maxsize=None)(curie)  # a property's name, once per property

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

    routes = _Routes()
    candidates = []
    memo_get = memo.get
    for key, value in found.items():
        d = memo_get(value)
        if d is None:
            d = describe(value)
        if d[1]:
            routes.add(*divmod(key, n))
            if d[2]:
                candidates.append(key)
    # _reduce_derived: an inferred derivedFrom-only edge goes when its target
    # is reachable by a path of two or more lineage edges.
    for key in candidates:
        if routes.longer(*divmod(key, n)):
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


def _node_data(facts: StoreFacts, onto: _Ontology, entities, types, kinds) -> dict:
    """The attributes of every entity node."""
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
                ok = sorted(v for v, _, _ in lits if date_start(v))
                if ok:
                    d["release_date"] = ok[0]
                    d["start"] = date_start(ok[0])
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
