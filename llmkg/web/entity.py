"""What an entity page shows, read once from the reasoned graph.

:class:`Entities` reads every triple of the built store's two graphs
(asserted and inferred) into dictionaries — 15,000 quads of the shipped data
in about half a second — so that a page is a dictionary walk, not a set of
SPARQL queries: ``serve`` answers /id/NAME from it and ``site`` writes all
846 pages from it. A fact, a type or a link is *inferred* when its triple is
only in the inferred graph.

The page's RDF (Turtle, N-Triples, JSON-LD) is the store's own DESCRIBE of
the IRI, so content negotiation gives exactly what ``DESCRIBE <iri>`` gives
at /sparql.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from llmkg.vocab import DCTERMS, KG, LLMKG, OWL, RDF, RDFS, SCHEMA, SKOS, XSD, curie

__all__ = ["Entities", "Value", "RDF_FORMATS", "kind_of", "entity_name"]

_TYPE, _LABEL, _DEFINITION = RDF + "type", RDFS + "label", SKOS + "definition"
_SOURCE, _URL, _TITLE = DCTERMS + "source", SCHEMA + "url", DCTERMS + "title"
_ALT = SKOS + "altLabel"
#: the relations that make a model's lineage (up: the object is a base of the subject)
LINEAGE = tuple(LLMKG + p for p in ("basedOn", "derivedFrom", "fineTunedFrom", "distilledFrom",
                                    "successorOf", "variantOf"))
_DEVELOPED_BY, _DEVELOPS, _PROVIDED_BY = LLMKG + "developedBy", LLMKG + "develops", LLMKG + "providedBy"
_BROADER, _NARROWER = SKOS + "broader", SKOS + "narrower"
#: shown in their own sections, not among the facts
_SECTIONED = {_TYPE, _LABEL, _DEFINITION, _SOURCE, *LINEAGE, _BROADER, _NARROWER, _DEVELOPS}
#: the reasoner's bookkeeping: true, but nothing a reader learns from
_NOISE = {OWL + "sameAs", OWL + "differentFrom"}

# The kinds, in the order of llmkg.exports.network's: the first class an entity is an instance of.
_KINDS = (
    (LLMKG + "MachineLearningModel", "model", "模型"), (LLMKG + "ModelFamily", "family", "模型系列"),
    (LLMKG + "SoftwareSystem", "software system", "软件系统"), (LLMKG + "Organization", "organisation", "机构"),
    (LLMKG + "Person", "person", "人物"), (LLMKG + "Country", "country", "国家"),
    (LLMKG + "Milestone", "milestone", "里程碑"), (LLMKG + "HistoricalPeriod", "period", "时期"),
    (LLMKG + "Architecture", "architecture", "架构"), (LLMKG + "Task", "task", "任务"),
    (LLMKG + "TrainingMethod", "training method", "训练方法"), (LLMKG + "Modality", "modality", "模态"),
    (LLMKG + "ApplicationDomain", "domain", "应用领域"), (LLMKG + "Source", "source", "来源"),
    (LLMKG + "SourceError", "source error", "来源错误"), (LLMKG + "Comparison", "comparison", "比较"),
    (LLMKG + "ComparisonAspect", "comparison", "比较"), (LLMKG + "AspectValue", "comparison", "比较"),
    (SKOS + "Concept", "concept", "概念"), (SKOS + "ConceptScheme", "concept", "概念"),
)
KIND_ZH = {en: zh for _, en, zh in _KINDS} | {"other": "其他"}

#: negotiable RDF of a page: format key → (media type, pyoxigraph format, file suffix)
RDF_FORMATS = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE, ".ttl"),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES, ".nt"),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, ".jsonld"),
}


def entity_name(iri: str) -> str | None:
    """``CLIP`` for ``https://w3id.org/llmkg/id/CLIP``; None for an IRI outside kg:."""
    return iri[len(KG):] if iri.startswith(KG) and len(iri) > len(KG) else None


def kind_of(types) -> str:
    return next((k for c, k, _ in _KINDS if c in types), "other")


@dataclass
class Value:
    """One object of a fact: an IRI (``iri``, with ``name`` when it has a page),
    a literal (``text``, ``lang``, ``datatype``), or a blank node's own facts."""
    iri: str | None = None
    name: str | None = None
    text: str = ""
    lang: str = ""
    datatype: str = ""
    inferred: bool = False
    nested: list = field(default_factory=list)  # [(property IRI, [Value])] of a blank node


class Entities:
    """Every kg: entity of a store, its labels and its triples (see the module docstring)."""

    def __init__(self, loaded):
        self.loaded = loaded
        inferred_graph = loaded.inferred_graph
        out: dict = defaultdict(dict)      # subject key → {(p, object key): inferred?}
        terms: dict = {}                   # object key → term
        labels: dict = defaultdict(dict)   # iri → {lang: label}
        for graph in loaded.graphs:
            inferred = graph == inferred_graph
            for q in loaded.store.quads_for_pattern(None, None, None, graph):
                s, p, o = q.subject, q.predicate.value, q.object
                skey = s.value if isinstance(s, ox.NamedNode) else "_:" + s.value
                okey = _key(o)
                terms[okey] = o
                facts = out[skey]
                facts[(p, okey)] = facts.get((p, okey), True) and inferred
                if p == _LABEL and isinstance(o, ox.Literal) and isinstance(s, ox.NamedNode):
                    labels[s.value].setdefault(o.language or "", o.value)
        self._out, self._terms, self._labels = out, terms, labels
        incoming: dict = defaultdict(dict)  # object iri → {(p, subject iri): inferred?}
        for s, facts in out.items():
            if s.startswith("_:"):
                continue
            for (p, okey), inferred in facts.items():
                if not okey.startswith(("_:", '"')):
                    incoming[okey][(p, s)] = inferred
        self._in = incoming
        # A page for every kg: IRI that has a description: the nodes of every graph view.
        self.names = sorted(n for s in out if (n := entity_name(s)) is not None)
        self._names = set(self.names)
        self.types = {n: {o for (p, o) in out[KG + n] if p == _TYPE} for n in self.names}
        self.kinds = {n: kind_of(self.types[n]) for n in self.names}
        # The ontology page: every term of llmkg's namespace, and every other class an entity has.
        used = {t for ts in self.types.values() for t in ts}
        self.terms = sorted({s for s in out if s.startswith(LLMKG) and len(s) > len(LLMKG)}
                            | {t for t in used if not t.startswith((OWL, RDFS, RDF))})
        self._anchors = {t: anchor(t) for t in self.terms}

    # -- names and labels ---------------------------------------------------
    def has_page(self, name: str) -> bool:
        return name in self._names

    def labels(self, iri: str) -> tuple[str, str]:
        """(English, Chinese) label; the other language, or the local name, fills a missing one."""
        got = self._labels.get(iri, {})
        en = got.get("en") or got.get("") or got.get("zh") or _local(iri)
        zh = got.get("zh") or got.get("zh-hans") or en
        return en, zh

    def search_index(self) -> list[dict]:
        """What the search box searches: name, both labels, alternative labels, kind."""
        rows = []
        for n in self.names:
            iri = KG + n
            en, zh = self.labels(iri)
            alt = sorted({self._terms[o].value for (p, o) in self._out[iri] if p == _ALT})
            rows.append({"n": n, "en": en, "zh": zh, "k": self.kinds[n], "alt": alt})
        return rows

    def anchor(self, iri: str) -> str | None:
        """The id of ``iri``'s section on the ontology page, or None when it has none."""
        return self._anchors.get(iri)

    def ontology(self) -> list[dict]:
        """The terms of the ontology page: classes, then properties, each with its labels,
        definition, super- and sub-terms (as written) and how many entities it has (with reasoning)."""
        sub_of: dict = defaultdict(list)
        for t in self.terms:
            for (p, o), inferred in self._out.get(t, {}).items():
                if p in (RDFS + "subClassOf", RDFS + "subPropertyOf") and not inferred and o in self._anchors and o != t:
                    sub_of[o].append(t)
        count: dict = defaultdict(int)
        for ts in self.types.values():
            for t in ts:
                count[t] += 1
        rows = []
        for t in self.terms:
            facts = self._out.get(t, {})
            kinds = {o for (p, o) in facts if p == _TYPE}
            is_property = bool(kinds & {OWL + "ObjectProperty", OWL + "DatatypeProperty", RDF + "Property",
                                        OWL + "AnnotationProperty", OWL + "TransitiveProperty",
                                        OWL + "SymmetricProperty", OWL + "FunctionalProperty"})
            en, zh = self.labels(t)
            defs = defaultdict(list)
            for (p, okey) in facts:
                if p in (_DEFINITION, RDFS + "comment"):
                    term = self._terms[okey]
                    defs[getattr(term, "language", "") or ""].append(term.value)

            def iris(props):
                return sorted({o for (p, o), inferred in facts.items() if p in props and not inferred
                               and not o.startswith(("_:", '"')) and o != t}, key=lambda i: self.labels(i)[0].lower())

            rows.append({
                "iri": t, "anchor": self._anchors[t], "curie": curie(t), "label_en": en, "label_zh": zh,
                "property": is_property, "definition_en": defs.get("en", []), "definition_zh": defs.get("zh", []),
                "super": [Value(iri=i) for i in iris((RDFS + "subClassOf", RDFS + "subPropertyOf"))],
                "sub": [Value(iri=i) for i in sorted(sub_of.get(t, []), key=lambda i: self.labels(i)[0].lower())],
                "domain": [Value(iri=i) for i in iris((RDFS + "domain",))],
                "range": [Value(iri=i) for i in iris((RDFS + "range",))],
                "instances": count.get(t, 0),
            })
        return sorted(rows, key=lambda r: (r["property"], r["label_en"].lower()))

    # -- one page -------------------------------------------------------------
    def page(self, name: str) -> dict | None:
        """Everything the entity page of ``name`` shows, or None when it has none."""
        if name not in self._names:
            return None
        iri = KG + name
        facts = self._out[iri]
        en, zh = self.labels(iri)
        by_lang = defaultdict(list)
        for (p, okey) in facts:
            if p == _DEFINITION:
                t = self._terms[okey]
                by_lang[getattr(t, "language", "") or ""].append(t.value)
        types = sorted(((t, facts[(_TYPE, t)]) for t in self.types[name]),
                       key=lambda tv: (tv[1], self.labels(tv[0])[0].lower()))
        grouped: dict = defaultdict(list)
        for (p, okey), inferred in facts.items():
            if p in _SECTIONED or p in _NOISE:
                continue
            grouped[p].append(self._value(okey, inferred))
        incoming: dict = defaultdict(list)
        for (p, s), inferred in self._in.get(iri, {}).items():
            if p in _NOISE or p == _TYPE or s == iri:
                continue
            incoming[p].append(self._value(s, inferred))
        return {
            "name": name, "iri": iri, "curie": curie(iri), "label_en": en, "label_zh": zh,
            "definition_en": by_lang.get("en", []), "definition_zh": by_lang.get("zh", []),
            "kind": self.kinds[name],
            "types": [self._value(t, inferred) for t, inferred in types],
            "facts": self._sorted(grouped),
            "sources": self._sources(facts),
            "up": self._related(facts, LINEAGE),
            "down": self._related_in(iri, LINEAGE),
            "models": self._models(iri),
            "broader": self._merge(self._related(facts, (_BROADER,)), self._related_in(iri, (_NARROWER,))),
            "narrower": self._merge(self._related(facts, (_NARROWER,)), self._related_in(iri, (_BROADER,))),
            "incoming": self._sorted(incoming),
        }

    def describe(self, name: str, fmt: str) -> bytes:
        """The DESCRIBE of the entity's IRI from the reasoned graph, as ``fmt`` (a key of RDF_FORMATS)."""
        return self.serialize(self.describe_triples(name), fmt)

    def describe_triples(self, name: str) -> list:
        """What ``DESCRIBE <kg:name>`` gives on the reasoned graph (Oxigraph's: the IRI's triples and,
        recursively, those of the blank nodes they reach), from the index: 846 DESCRIBE queries
        took 1.7 s of ``llmkg site``; tests/test_web.py checks both agree on every entity."""
        triples, todo, seen = [], [KG + name], set()
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            subject = ox.NamedNode(key) if not key.startswith("_:") else self._terms[key]
            for (p, okey) in self._out.get(key, {}):
                triples.append(ox.Triple(subject, ox.NamedNode(p), self._terms[okey]))
                if okey.startswith("_:"):
                    todo.append(okey)
        return triples

    @staticmethod
    def serialize(triples: list, fmt: str) -> bytes:
        from llmkg.vocab import PREFIXES

        _, rdf_format, _ = RDF_FORMATS[fmt]
        kwargs = {"prefixes": PREFIXES} if fmt == "turtle" else {}
        return ox.serialize(triples, format=rdf_format, **kwargs)

    # -- helpers ----------------------------------------------------------------
    def _value(self, okey: str, inferred: bool, depth: int = 0) -> Value:
        term = self._terms.get(okey)
        if term is None or isinstance(term, ox.NamedNode):
            iri = okey
            name = entity_name(iri)
            return Value(iri=iri, name=name if name in self._names else None, inferred=inferred)
        if isinstance(term, ox.BlankNode):
            nested = [] if depth > 2 else self._sorted(_group(
                (p, self._value(o, inf, depth + 1)) for (p, o), inf in self._out.get(okey, {}).items()))
            return Value(text="", inferred=inferred, nested=nested)
        dt = term.datatype.value
        plain = dt in (RDF + "langString", XSD + "string")
        return Value(text=term.value, lang=term.language or "", datatype="" if plain else curie(dt),
                     inferred=inferred)

    def _sorted(self, grouped: dict) -> list:
        """[(property IRI, values)] ordered by the property's English label; values by label."""
        def value_key(v: Value):
            return (v.inferred, self.labels(v.iri)[0].lower() if v.iri else v.text)

        return sorted(((p, sorted(vs, key=value_key)) for p, vs in grouped.items()),
                      key=lambda pv: self.labels(pv[0])[0].lower())

    def _related(self, facts: dict, props) -> list:
        """[(property, Value)] of the IRIs ``facts`` links to with ``props``, one per IRI (asserted wins)."""
        found: dict = {}
        for (p, okey), inferred in facts.items():
            if p in props and not okey.startswith(("_:", '"')):
                prev = found.get(okey)
                if prev is None or (prev[1].inferred and not inferred):
                    found[okey] = (p, self._value(okey, inferred))
        return sorted(found.values(), key=lambda pv: (pv[1].inferred, self.labels(pv[1].iri)[0].lower()))

    def _related_in(self, iri: str, props) -> list:
        found: dict = {}
        for (p, s), inferred in self._in.get(iri, {}).items():
            if p in props and s != iri:
                prev = found.get(s)
                if prev is None or (prev[1].inferred and not inferred):
                    found[s] = (p, self._value(s, inferred))
        return sorted(found.values(), key=lambda pv: (pv[1].inferred, self.labels(pv[1].iri)[0].lower()))

    def _models(self, iri: str) -> list:
        """What an organisation develops or provides (either direction of the relation)."""
        return self._merge(self._related(self._out.get(iri, {}), (_DEVELOPS,)),
                           self._related_in(iri, (_DEVELOPED_BY, _PROVIDED_BY)))

    def _merge(self, *lists) -> list:
        found: dict = {}
        for p, v in (pv for lst in lists for pv in lst):
            prev = found.get(v.iri)
            if prev is None or (prev[1].inferred and not v.inferred):
                found[v.iri] = (p, v)
        return sorted(found.values(), key=lambda pv: (pv[1].inferred, self.labels(pv[1].iri)[0].lower()))

    def _sources(self, facts: dict) -> list[dict]:
        out = []
        for (p, okey), inferred in facts.items():
            if p != _SOURCE:
                continue
            src = self._out.get(okey, {})
            urls = sorted(self._terms[o].value for (q, o) in src if q == _URL)
            titles = [self._terms[o].value for (q, o) in src if q == _TITLE]
            out.append({"value": self._value(okey, inferred), "urls": urls, "title": titles[0] if titles else ""})
        return sorted(out, key=lambda s: self.labels(s["value"].iri or "")[0].lower())


def _key(term) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return '"' + str(term)


def _group(pairs) -> dict:
    got: dict = defaultdict(list)
    for p, v in pairs:
        got[p].append(v)
    return got


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def anchor(iri: str) -> str:
    """``LargeModel`` for llmkg:LargeModel (the IRI's own fragment); ``skos:Concept`` for another
    namespace's term (a prefixed name is a valid HTML id, and says where the term is from)."""
    if iri.startswith(LLMKG):
        return iri[len(LLMKG):]
    c = curie(iri)
    return c if not c.startswith("<") else quote(iri, safe="")


def page_path(name: str) -> str:
    """The URL path segment of an entity name (percent-encoded where a name needs it)."""
    return quote(name, safe="-._~")
