"""A small forward-chaining engine for the OWL 2 RL rules this ontology uses.

owlrl applies every OWL 2 RL rule to every triple until nothing changes; on
a few thousand triples that takes seconds, and most rules never fire here.
This engine reads the ontology's axioms once and applies only the rules
they need:

    prp-dom, prp-rng        domain and range
    prp-spo1, prp-eqp       sub- and equivalent properties
    prp-inv1/2, prp-symp    inverse and symmetric properties
    prp-trp                 transitive properties
    cax-sco, cax-eqc        subclasses and equivalent classes
    cls-int1/2              intersections
    cls-hv1/2, cls-svf1/2   hasValue and someValuesFrom restrictions
    cls-avf                 allValuesFrom restrictions
    scm-sco, scm-spo, scm-dom1/2, scm-rng1/2   the schema's own closure

owlrl stays the reference: tests check that both give the same triples on
the shipped data and on fixtures (see tests/test_rules.py).
"""
from __future__ import annotations

from collections import defaultdict

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection


def _pairs(tbox: Graph, sub, equivalent) -> dict:
    """A sub-relation (subClassOf, subPropertyOf) plus its equivalence, read both ways, as node -> set."""
    out = defaultdict(set)
    for a, b in tbox.subject_objects(sub):
        out[a].add(b)
    for a, b in tbox.subject_objects(equivalent):
        out[a].add(b)
        out[b].add(a)
    return out


def _closure(pairs: dict) -> dict:
    """Reflexive-transitive closure of a relation given as node -> set of nodes."""
    out = {}
    for start in list(pairs):
        seen = {start}
        stack = [start]
        while stack:
            n = stack.pop()
            for m in pairs.get(n, ()):
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        out[start] = seen
    return out


class Rules:
    """The axioms of one ontology, compiled into lookup tables."""

    def __init__(self, tbox: Graph):
        self.superclasses = _closure(_pairs(tbox, RDFS.subClassOf, OWL.equivalentClass))
        self.superproperties = _closure(_pairs(tbox, RDFS.subPropertyOf, OWL.equivalentProperty))

        self.domain = defaultdict(set)
        for p, c in tbox.subject_objects(RDFS.domain):
            self.domain[p].add(c)
        self.range = defaultdict(set)
        for p, c in tbox.subject_objects(RDFS.range):
            self.range[p].add(c)
        self.inverse = defaultdict(set)
        for p, q in tbox.subject_objects(OWL.inverseOf):
            self.inverse[p].add(q)
            self.inverse[q].add(p)
        for p in tbox.subjects(RDF.type, OWL.SymmetricProperty):
            self.inverse[p].add(p)
        self.transitive = set(tbox.subjects(RDF.type, OWL.TransitiveProperty))

        # Restrictions: (class, property, kind, filler)
        self.has_value = defaultdict(list)      # property -> [(restriction, value)]
        self.some_values = defaultdict(list)    # property -> [(restriction, filler class)]
        self.all_values = defaultdict(list)     # property -> [(restriction, filler class)]
        self.restriction_of = {}                # restriction -> (kind, property, filler)
        for r in tbox.subjects(OWL.onProperty, None):
            p = tbox.value(r, OWL.onProperty)
            for kind, pred, table in (("hv", OWL.hasValue, self.has_value),
                                      ("svf", OWL.someValuesFrom, self.some_values),
                                      ("avf", OWL.allValuesFrom, self.all_values)):
                filler = tbox.value(r, pred)
                if filler is not None:
                    table[p].append((r, filler))
                    self.restriction_of[r] = (kind, p, filler)

        # Intersections: class -> its members; member -> classes it takes part in.
        self.intersection = {}
        self.in_intersection = defaultdict(set)
        for c, head in tbox.subject_objects(OWL.intersectionOf):
            members = list(Collection(tbox, head))
            self.intersection[c] = members
            for m in members:
                self.in_intersection[m].add(c)

        self.tbox = tbox

    # ------------------------------------------------------------------
    def expand(self, graph: Graph) -> Graph:
        """Return a new graph: ``graph`` plus what the compiled rules derive from it."""
        out = Graph()
        out += graph
        # Work on plain sets; rdflib's store is the slow part.
        types = defaultdict(set)         # node -> classes
        edges = defaultdict(set)         # property -> {(s, o)}
        for s, p, o in graph:
            if p == RDF.type:
                types[s].add(o)
            else:
                edges[p].add((s, o))

        changed = True
        while changed:
            changed = False
            # properties: sub-properties, inverses, transitivity
            grow = True
            while grow:
                grow = False
                for p in list(edges):
                    pairs = edges[p]
                    for q in self.superproperties.get(p, ()):
                        if q != p and not pairs <= edges[q]:
                            edges[q] |= pairs
                            grow = True
                    for q in self.inverse.get(p, ()):
                        flipped = {(o, s) for s, o in pairs}
                        if not flipped <= edges[q]:
                            edges[q] |= flipped
                            grow = True
                for p in self.transitive:
                    closed = _transitive(edges.get(p, set()))
                    if closed != edges.get(p, set()):
                        edges[p] = closed
                        grow = True
            # types from domain, range and restrictions on property values
            for p, pairs in list(edges.items()):
                for c in self.domain.get(p, ()):
                    for s, _ in pairs:
                        changed |= _add(types, s, c)
                for c in self.range.get(p, ()):
                    for _, o in pairs:
                        if not _is_literal(o):
                            changed |= _add(types, o, c)
                for r, v in self.has_value.get(p, ()):
                    for s, o in pairs:
                        if o == v:
                            changed |= _add(types, s, r)
                for r, filler in self.some_values.get(p, ()):
                    for s, o in pairs:
                        if filler == OWL.Thing or filler in types.get(o, ()):
                            changed |= _add(types, s, r)
            # types from classes: subclasses, intersections, hasValue/allValuesFrom
            for node in list(types):
                frontier = set(types[node])
                while frontier:
                    new = set()
                    for c in frontier:
                        for d in self.superclasses.get(c, ()):
                            if d not in types[node]:
                                new.add(d)
                        for m in self.intersection.get(c, ()):       # cls-int2
                            if m not in types[node]:
                                new.add(m)
                        for c2 in self.in_intersection.get(c, ()):    # cls-int1
                            if c2 not in types[node] and all(
                                    m in types[node] or m in new for m in self.intersection[c2]):
                                new.add(c2)
                        kind = self.restriction_of.get(c)
                        if kind and kind[0] == "hv":                 # cls-hv1
                            if (node, kind[2]) not in edges[kind[1]]:
                                edges[kind[1]].add((node, kind[2]))
                                changed = True
                        elif kind and kind[0] == "avf":              # cls-avf
                            for s, o in list(edges.get(kind[1], ())):
                                if s == node and kind[2] not in types.get(o, ()):
                                    types[o].add(kind[2])
                                    changed = True
                    new -= types[node]
                    if new:
                        types[node] |= new
                        changed = True
                    frontier = new

        for node, classes in types.items():
            for c in classes:
                out.add((node, RDF.type, c))
        for p, pairs in edges.items():
            for s, o in pairs:
                out.add((s, p, o))
        self._schema(out)
        return out

    def _schema(self, out: Graph) -> None:
        """The schema's own closure (scm-sco, scm-spo, scm-dom1/2, scm-rng1/2) for named terms."""
        for c, supers in self.superclasses.items():
            for d in supers:
                if d != c:
                    out.add((c, RDFS.subClassOf, d))
        for p, supers in self.superproperties.items():
            for q in supers:
                if q != p:
                    out.add((p, RDFS.subPropertyOf, q))
        for table, pred in ((self.domain, RDFS.domain), (self.range, RDFS.range)):
            for p, classes in list(table.items()):
                for c in classes:
                    for d in self.superclasses.get(c, {c}):
                        out.add((p, pred, d))
                for sub, supers in self.superproperties.items():
                    if p in supers:
                        for c in classes:
                            for d in self.superclasses.get(c, {c}):
                                out.add((sub, pred, d))


def _add(types, node, cls) -> bool:
    if cls in types[node]:
        return False
    types[node].add(cls)
    return True


def _is_literal(term) -> bool:
    return not isinstance(term, (URIRef, BNode))


def _transitive(pairs: set) -> set:
    succ = defaultdict(set)
    for s, o in pairs:
        succ[s].add(o)
    out = set()
    for start in list(succ):
        seen = set()
        stack = list(succ[start])
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(succ.get(n, ()))
        out.update((start, n) for n in seen)
    return out
