"""The library functions on small, self-contained graphs: reasoning and each kind of check."""
from __future__ import annotations

import textwrap

import pytest
import llmkg
from llmkg.querying.catalogue import parse_header
from llmkg.errors import QueryError

KG = "https://w3id.org/llmkg/id/"
LLMKG = "https://w3id.org/llmkg/ontology#"

HEAD = """\
@prefix llmkg: <https://w3id.org/llmkg/ontology#> .
@prefix kg: <https://w3id.org/llmkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

kg:Src a llmkg:Source ; rdfs:label "src"@en , "来源"@zh ; dcterms:title "A source"@en ;
    dcterms:publisher "Tests" ; dcterms:type kg:Src .
kg:Org a llmkg:Organization ; rdfs:label "Org"@en , "机构"@zh ; dcterms:source kg:Src ;
    skos:definition "An organisation made up for the tests."@en , "测试虚构的机构。"@zh ; llmkg:country kg:Land .
kg:Land a llmkg:Country ; rdfs:label "Land"@en , "国度"@zh ;
    skos:definition "A country made up for the tests."@en , "测试虚构的国家。"@zh .
kg:Med a llmkg:IndustryDomain ; rdfs:label "medicine"@en , "医疗"@zh ;
    skos:definition "The field of health care."@en , "医疗卫生领域。"@zh .
"""


def model(name, extra="", date="2020"):
    return textwrap.dedent(f"""
    kg:{name} a llmkg:LargeLanguageModel ; rdfs:label "{name}"@en , "{name}模型"@zh ;
        skos:definition "A model named {name}."@en , "名为{name}的模型。"@zh ;
        llmkg:developedBy kg:Org ; llmkg:releaseDate "{date}"^^xsd:gYear ; dcterms:source kg:Src {extra} .
    """)


@pytest.fixture
def data(tmp_path):
    def write(*parts, name="data.ttl"):
        (tmp_path / name).write_text(HEAD + "".join(parts), encoding="utf-8")
        return tmp_path
    return write


def rules(report):
    return [(f.rule, f.focus_node, f.path) for f in report.all]


def test_clean_data_conforms(data):
    report = llmkg.validate(data=[data(model("A"), model("B", "; llmkg:basedOn kg:A", "2021"))])
    assert report.exit_code == 0, rules(report)


def test_reasoning_classifies_and_closes_lineage(data):
    folder = data(
        model("A"), model("B", "; llmkg:fineTunedFrom kg:A", "2021"),
        model("C", "; llmkg:basedOn kg:B ; llmkg:appliedToDomain kg:Med ; "
                   "llmkg:inputModality kg:Text , kg:Image", "2022"),
    )
    store = llmkg.load([folder])
    llmkg.reason(store)

    def ask(q):
        return llmkg.query(store, q).boolean

    assert ask("ASK { kg:C llmkg:derivedFrom kg:A }")          # transitive lineage via sub-properties
    assert ask("ASK { kg:C a llmkg:IndustryModel }")           # large model applied to an industry
    assert ask("ASK { kg:C a llmkg:MultimodalModel }")         # text + image
    assert not ask("ASK { kg:B a llmkg:MultimodalModel }")
    assert ask("ASK { kg:Org llmkg:develops kg:C }")           # inverse
    assert ask("ASK { kg:C a llmkg:LargeModel }")              # through the subclass


def test_cycle_is_found(data):
    report = llmkg.validate(data=[data(model("A", "; llmkg:basedOn kg:B"), model("B", "; llmkg:basedOn kg:A"))])
    assert report.exit_code == 1
    msgs = [f.message for f in report.findings if "derives from itself" in f.message]
    assert len(msgs) == 2


def test_release_before_base_is_found_across_precisions(data):
    report = llmkg.validate(data=[data(
        model("Base", date="2023"), model("Early", "; llmkg:basedOn kg:Base", "2022"),
        model("SameYear", "; llmkg:basedOn kg:Base", "2023"),
    )])
    hits = [f for f in report.findings if "before" in f.message and "based on" in f.message]
    assert [f.focus_node for f in hits] == ["kg:Early"]
    assert "dated 2022" in hits[0].message and "kg:Base" in hits[0].message


def test_undeclared_term_gets_a_suggestion(data):
    report = llmkg.validate(data=[data(model("A", "; llmkg:devlopedBy kg:Org"))])
    hit = next(f for f in report.findings if f.rule == "undeclared-term")
    assert "did you mean llmkg:developedBy?" in hit.message
    assert hit.line is not None and hit.file.endswith("data.ttl")


def test_dangling_reference(data):
    report = llmkg.validate(data=[data(model("A", "; llmkg:basedOn kg:Nowhere"))])
    assert any(f.rule == "dangling-reference" and f.value == "kg:Nowhere" for f in report.findings)


def test_duplicate_labels_and_wikidata_links(data):
    report = llmkg.validate(data=[data(
        model("A", "; skos:exactMatch <http://www.wikidata.org/entity/Q1>"),
        model("B", "; skos:exactMatch <http://www.wikidata.org/entity/Q1>"),
        model("C").replace('"C"@en', '"a"@en'),
    )])
    found = {(f.rule, f.focus_node) for f in report.findings}
    assert {("duplicate-wikidata", "kg:A"), ("duplicate-wikidata", "kg:B")} <= found
    assert {("duplicate-label", "kg:A"), ("duplicate-label", "kg:C")} <= found


def test_disjoint_classes_are_an_inconsistency(data):
    report = llmkg.validate(data=[data(model("A", "; a llmkg:SmallModel"))])
    hit = next(f for f in report.findings if f.rule == "consistency")
    assert "llmkg:LargeModel and llmkg:SmallModel" in hit.message


def test_fail_on_warning(data):
    folder = data(model("A").replace('llmkg:releaseDate "2020"^^xsd:gYear ;', ""))
    assert llmkg.validate(data=[folder]).exit_code == 0
    assert llmkg.validate(data=[folder], fail_on="warning").exit_code == 1


def test_ontology_quality_passes_on_the_shipped_ontology():
    from llmkg.paths import ontology_file
    from llmkg.sources.rdf import parse_file
    from llmkg.validation.quality import ontology_quality

    assert ontology_quality(parse_file(ontology_file())) == []


def test_ontology_quality_fires_on_a_broken_ontology():
    from rdflib import Graph

    from llmkg.validation.quality import ontology_quality

    g = Graph().parse(data=HEAD + """
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        llmkg:Thing1 a owl:Class ; rdfs:label "same"@en .
        llmkg:Thing2 a owl:Class ; rdfs:label "same"@en , "二"@zh ;
            skos:definition "x"@en , "x"@zh .
    """, format="turtle")
    found = {(f.focus_node, f.rule) for f in ontology_quality(g)}
    assert ("llmkg:Thing1", "ontology-label") in found          # no zh label
    assert ("llmkg:Thing1", "ontology-definition") in found     # no definition
    assert ("llmkg:Thing2", "ontology-duplicate-label") in found


def test_catalogue_header_is_required(tmp_path):
    with pytest.raises(QueryError, match="title@zh"):
        parse_header(tmp_path / "x.rq", "# title: X\n# question: Y\nSELECT * {}")
    q = parse_header(tmp_path / "x.rq", textwrap.dedent("""\
        # title: X
        # title@zh: 甲
        # question: Which?
        # columns:
        #   model — the model
        #   label — its English label
        SELECT ?model ?label {}
    """))
    assert q.columns == {"model": "the model", "label": "its English label"}


def test_every_catalogue_query_has_a_header_and_runs(shipped):
    catalogue = llmkg.load_catalogue()
    assert len(catalogue) >= 1
    for q in catalogue:
        assert q.title and q.title_zh and q.question, q.name
        result = llmkg.query(shipped.store, q.text)
        if q.columns and result.kind == "SELECT":
            assert result.variables == list(q.columns), q.name


def test_a_model_based_on_itself_is_a_cycle(data):
    report = llmkg.validate(data=[data(model("A", "; llmkg:basedOn kg:A"))])
    hits = [f for f in report.findings if "derives from itself" in f.message]
    assert [f.focus_node for f in hits] == ["kg:A"] and report.exit_code == 1


@pytest.mark.parametrize("mine, theirs, before", [
    ('"2023-03"^^xsd:gYearMonth', '"2023-06-15"^^xsd:date', True),    # month before a day
    ('"2023-06-20"^^xsd:date', '"2023-06"^^xsd:gYearMonth', False),   # within the base's month: cannot tell
    ('"2023"^^xsd:gYear', '"2023-06-15"^^xsd:date', False),           # within the base's year: cannot tell
    ('"2022-12-31"^^xsd:date', '"2023"^^xsd:gYear', True),            # a day before a year
    ('"2023-07"^^xsd:gYearMonth', '"2023-06-15"^^xsd:date', False),   # after
    ('"2024-01-01"^^xsd:date', '"2023-12"^^xsd:gYearMonth', False),
])
@pytest.mark.parametrize("engine", ["oxigraph", "reference"])
def test_release_before_base_across_mixed_precisions(data, mine, theirs, before, engine):
    text = HEAD + model("Base").replace('"2020"^^xsd:gYear', theirs) + \
        model("Child", "; llmkg:basedOn kg:Base").replace('"2020"^^xsd:gYear', mine)
    folder = data(text[len(HEAD):])
    report = llmkg.validate(data=[folder], engine=engine)
    hits = [f.focus_node for f in report.findings if "which it is based on" in f.message]
    assert hits == (["kg:Child"] if before else [])


def test_the_ontology_stands_alone():
    """Opened alone (as in Protégé), the ontology types and labels every individual its axioms
    use, and its header has a label and a creator."""
    from rdflib import OWL, RDF, RDFS, Graph, URIRef
    from rdflib.namespace import DCTERMS

    from llmkg.paths import ontology_file

    g = Graph().parse(ontology_file())
    used = {o for _, _, o in g if isinstance(o, URIRef) and str(o).startswith(KG)}
    assert used
    for node in used:
        assert (node, RDF.type, OWL.NamedIndividual) in g and list(g.objects(node, RDFS.label)), node
    header = next(g.subjects(RDF.type, OWL.Ontology))
    assert list(g.objects(header, RDFS.label)) and list(g.objects(header, DCTERMS.creator))
