"""The ontology's own quality, ROBOT-style: every llmkg term labelled and defined
once in each language, labels unique, no class left outside the hierarchy."""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from llmkg.sources.rdf import Loaded
from llmkg.validation.naming import make_finding, name
from llmkg.validation.report import Finding
from llmkg.vocab import LLMKG


def ontology_quality(ontology: Graph, loaded: Loaded | None = None) -> list[Finding]:
    """ROBOT-style QC: each llmkg term has one en and one zh label and definition; labels are unique."""
    if loaded is None:
        loaded = Loaded(ontology, Graph(), ontology)
    findings = []
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = sorted(
        {s for k in kinds for s in ontology.subjects(RDF.type, k)
         if isinstance(s, URIRef) and str(s).startswith(LLMKG)}
    )
    by_label: dict[tuple[str, str], list] = {}
    for t in terms:
        for prop, what in ((RDFS.label, "label"), (SKOS.definition, "definition")):
            values = [v for v in ontology.objects(t, prop) if isinstance(v, Literal)]
            for lang in ("en", "zh"):
                n = sum(1 for v in values if v.language == lang)
                if n != 1:
                    findings.append(make_finding(
                        loaded, "error",
                        f"The term has {n} {what}s in @{lang}; give exactly one {name(prop)} \"…\"@{lang}",
                        t, prop, None, f"ontology-{what}"))
        for v in ontology.objects(t, RDFS.label):
            if isinstance(v, Literal):
                by_label.setdefault((str(v).casefold(), v.language or ""), []).append(t)
    top = set()
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        top.update(ontology.items(ontology.value(node, OWL.members)))
    named = set(terms)
    for t in terms:
        if (t, RDF.type, OWL.Class) not in ontology or t in top:
            continue
        parents = [o for o in ontology.objects(t, RDFS.subClassOf) if isinstance(o, URIRef)]
        children = [x for x in ontology.subjects(RDFS.subClassOf, t) if x in named]
        if not parents and not children:
            findings.append(make_finding(
                loaded, "error",
                "The class is an orphan: it has no named superclass or subclass and is not a top-level kind; "
                "place it in the hierarchy with rdfs:subClassOf",
                t, RDFS.subClassOf, None, "ontology-orphan-class"))
    for (text, lang), owners in sorted(by_label.items()):
        if len(owners) > 1:
            for t in owners:
                others = ", ".join(name(o) for o in owners if o != t)
                findings.append(make_finding(
                    loaded, "error",
                    f"The label \"{text}\"@{lang} is also used by {others}; make each term's label unique",
                    t, RDFS.label, None, "ontology-duplicate-label"))
    return findings
