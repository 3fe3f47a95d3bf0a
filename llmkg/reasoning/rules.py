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

The rules run on pyoxigraph terms in :mod:`llmkg.reasoning.closure`; owlrl
stays the reference: tests check that both give the same triples on the
shipped data, the fixtures and a synthetic catalogue.
"""
from __future__ import annotations

from collections import defaultdict

from rdflib import OWL, RDF, RDFS, Graph, Literal
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

    def mapped(self, term) -> "Rules":
        """A copy whose tables hold ``term(t)`` for every rdflib term t (e.g. pyoxigraph terms)."""
        import copy

        def sets(table):
            out = defaultdict(set)
            for k, vs in table.items():
                out[term(k)] = {term(v) for v in vs}
            return out

        def lists(table):
            out = defaultdict(list)
            for k, vs in table.items():
                out[term(k)] = [(term(r), term(f)) for r, f in vs]
            return out

        m = copy.copy(self)
        m.superclasses = sets(self.superclasses)
        m.superproperties = sets(self.superproperties)
        m.domain, m.range, m.inverse = sets(self.domain), sets(self.range), sets(self.inverse)
        m.transitive = {term(p) for p in self.transitive}
        m.has_value, m.some_values, m.all_values = (
            lists(self.has_value), lists(self.some_values), lists(self.all_values))
        m.restriction_of = {term(r): (k, term(p), term(f)) for r, (k, p, f) in self.restriction_of.items()}
        m.intersection = {term(c): [term(x) for x in ms] for c, ms in self.intersection.items()}
        m.in_intersection = sets(self.in_intersection)
        return m

    def relevant_properties(self) -> set:
        """The properties some rule reads or writes; the values of any other property never matter."""
        props = set(self.superproperties) | set(self.inverse) | set(self.transitive)
        for table in (self.superproperties, self.inverse):  # properties that receive values
            for values in table.values():
                props |= values
        props |= set(self.domain) | set(self.range)
        props |= set(self.has_value) | set(self.some_values) | set(self.all_values)
        props |= {kind[1] for kind in self.restriction_of.values()}
        return props

    def fixpoint(self, instances: dict, edges: dict, literal=Literal, thing=OWL.Thing) -> None:
        """Apply the rules to ``instances`` (class -> nodes) and ``edges`` (property -> pairs) in place.

        Everything is a whole-set operation (union, intersection, a set
        comprehension per property), never a loop over nodes in Python, so a
        million triples take seconds. Terms are whatever the tables hold:
        rdflib terms here, pyoxigraph terms in llmkg.fastreason (via
        :meth:`mapped`). ``literal`` is the literal type (a literal gets no
        type from rdfs:range); ``thing`` is owl:Thing.
        """
        done: dict = {}  # (step, key) -> size of the set when that step last used it

        def grow(table, key, new) -> bool:
            target = table[key]
            n = len(target)
            target |= new
            return len(target) != n

        closed_size: dict = {}  # transitive property -> its size when last closed
        changed = True
        while changed:
            changed = False
            # prp-spo1, prp-eqp, prp-inv, prp-symp, prp-trp: until the properties are stable
            again = True
            while again:
                again = False
                for p in list(edges):
                    pairs = edges[p]
                    if not pairs or done.get(("prp", p)) == len(pairs):
                        continue
                    done[("prp", p)] = len(pairs)
                    for q in self.superproperties.get(p, ()):
                        if q != p:
                            again |= grow(edges, q, pairs)
                    for q in self.inverse.get(p, ()):
                        again |= grow(edges, q, {(o, s) for s, o in pairs})
                for p in self.transitive:
                    pairs = edges.get(p)
                    if pairs and len(pairs) != closed_size.get(p):
                        closed = _transitive(pairs)
                        closed_size[p] = len(closed)
                        if len(closed) != len(pairs):
                            edges[p] = closed
                            again = True
                changed |= again
            # prp-dom, prp-rng, cls-hv2, cls-svf1/2: types from property values
            for p, pairs in list(edges.items()):
                if not pairs:
                    continue
                for r, filler in self.some_values.get(p, ()):
                    if filler == thing:
                        changed |= grow(instances, r, {s for s, _ in pairs})
                    else:
                        members = instances.get(filler, set())
                        if done.get(("svf", p, r)) != (len(pairs), len(members)):
                            done[("svf", p, r)] = (len(pairs), len(members))
                            changed |= grow(instances, r, {s for s, o in pairs if o in members})
                if done.get(("values", p)) == len(pairs):
                    continue
                done[("values", p)] = len(pairs)
                if p in self.domain:
                    subjects = {s for s, _ in pairs}
                    for c in self.domain[p]:
                        changed |= grow(instances, c, subjects)
                if p in self.range:
                    objects = {o for _, o in pairs}
                    objects = {o for o in objects if not isinstance(o, literal)}
                    for c in self.range[p]:
                        changed |= grow(instances, c, objects)
                if p in self.has_value:  # one pass over the values for all of p's restrictions
                    wanted = {v for _, v in self.has_value[p]}
                    having: dict = defaultdict(set)
                    for s, o in pairs:
                        if o in wanted:
                            having[o].add(s)
                    for r, v in self.has_value[p]:
                        changed |= grow(instances, r, having.get(v, set()))
            # cax-sco, cax-eqc, cls-int1/2: until the classes are stable
            again = True
            while again:
                again = False
                for c in list(instances):
                    members = instances[c]
                    if not members or done.get(("class", c)) == len(members):
                        continue
                    done[("class", c)] = len(members)
                    for d in self.superclasses.get(c, ()):
                        if d != c:
                            again |= grow(instances, d, members)
                    for m in self.intersection.get(c, ()):
                        again |= grow(instances, m, members)
                for c, parts in self.intersection.items():
                    common = set.intersection(*(instances.get(m, set()) for m in parts)) if parts else set()
                    if common:
                        again |= grow(instances, c, common)
                changed |= again
            # cls-hv1, cls-avf: property values from types
            for r, (kind, p, filler) in self.restriction_of.items():
                members = instances.get(r)
                if not members:
                    continue
                if kind == "hv":
                    if done.get(("hv1", r)) != len(members):
                        done[("hv1", r)] = len(members)
                        changed |= grow(edges, p, {(x, filler) for x in members})
                elif kind == "avf":
                    changed |= grow(instances, filler, {o for s, o in edges.get(p, ()) if s in members})

    def schema(self, out: Graph) -> None:
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


def strongly_connected(succ: dict) -> list[list]:
    """The strongly connected components of a graph given as node -> successors.

    Tarjan's algorithm, iteratively (lineage trees are deeper than Python's
    recursion limit); components come out successors first.
    """
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    components: list = []
    counter = 0
    for root in list(succ):
        if root in index:
            continue
        work = [(root, iter(succ.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack and index[child] < low[node]:
                    low[node] = index[child]
            if advanced:
                continue
            work.pop()
            if work and low[node] < low[work[-1][0]]:
                low[work[-1][0]] = low[node]
            if low[node] == index[node]:
                nodes = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    nodes.append(n)
                    if n == node:
                        break
                components.append(nodes)
    return components


def _transitive(pairs: set) -> set:
    """The transitive closure of a relation given as pairs.

    Strongly connected components first, then each component's reach as the
    union of its successors' reach, successors first: whole-set unions instead
    of one walk per node, and cycles cost nothing extra.
    """
    succ: dict = defaultdict(set)
    for s, o in pairs:
        succ[s].add(o)
    components = strongly_connected(succ)
    component = {n: cid for cid, nodes in enumerate(components) for n in nodes}
    reach: list = []
    for cid, nodes in enumerate(components):
        r: set = set()
        cyclic = len(nodes) > 1
        for n in nodes:
            for m in succ.get(n, ()):
                c = component[m]
                if c == cid:
                    cyclic = True
                else:
                    r.add(m)
                    r |= reach[c]
        if cyclic:
            r.update(nodes)
        reach.append(r)
    return {(n, m) for cid, nodes in enumerate(components) for n in nodes for m in reach[cid]}
