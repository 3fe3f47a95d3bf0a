"""llmkg.validation.shacl gives exactly pySHACL's top-level results, run as SPARQL on Oxigraph.

The equivalence tests run pySHACL as the reference engine does (llmkg.validation.checks) and compare
the multiset of (focus, path, value, message, severity, source shape, source
constraint, component). Blank nodes (aspect values of comparisons) get
different identifiers in rdflib and Oxigraph, so they are compared through a
canonical form: their own statements (with nested blank nodes blanked) and
the statements pointing at them.
"""
from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef

from llmkg import paths, vocab
from llmkg.sources.rdf import load_each, parse_file
from llmkg.validation.shacl import Result, ShapeCompileError, compile_shapes, to_rdflib_term, validate_store
from llmkg.store.load import ASSERTED_GRAPHS, load_store, to_rdflib

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def shapes():
    return parse_file(paths.shapes_file())


def _canon(graph: Graph, term):
    if not isinstance(term, BNode):
        return term
    # rdflib terms, not their n3(): Oxigraph lowercases language tags, rdflib compares them case-insensitively
    out = frozenset((p, "_:" if isinstance(o, BNode) else o) for p, o in graph.predicate_objects(term))
    inc = frozenset(("_:" if isinstance(s, BNode) else s, p) for s, p in graph.subject_predicates(term))
    return ("bnode", out, inc)


def _key(graph, focus, path, value, message, severity, shape, constraint, component):
    return (_canon(graph, focus), path, _canon(graph, value), message, severity, shape, constraint, component)


def pyshacl_results(files, shapes) -> Counter:
    loaded, errors = load_each(files)
    data = Graph()
    data += loaded.data
    data += loaded.ontology
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                    advanced=True, inplace=True)
    v = report.value
    return Counter(
        _key(data, v(r, SH.focusNode), v(r, SH.resultPath), v(r, SH.value), v(r, SH.resultMessage),
             v(r, SH.resultSeverity), v(r, SH.sourceShape), v(r, SH.sourceConstraint),
             v(r, SH.sourceConstraintComponent))
        for r in report.objects(None, SH.result))


def store_results(files, shapes) -> tuple[Counter, list[Result]]:
    loaded = load_store(files)
    results = validate_store(loaded, shapes)
    graph = None
    if any(isinstance(t, BNode) for r in results for t in (r.focus, r.value)):
        graph = to_rdflib(loaded.store, ASSERTED_GRAPHS)
    return Counter(_key(graph, r.focus, r.path, r.value, r.message, r.severity, r.source_shape,
                        r.source_constraint, r.component) for r in results), results


def assert_same(files, shapes) -> list[Result]:
    ours, results = store_results(files, shapes)
    theirs = pyshacl_results(files, shapes)
    missing, extra = theirs - ours, ours - theirs
    assert not missing and not extra, f"pySHACL only: {sorted(missing.items(), key=str)[:5]}\nours only: {sorted(extra.items(), key=str)[:5]}"
    return results


def _components(results) -> set[str]:
    return {str(r.component).rpartition("#")[2] for r in results}


# ---------------------------------------------------------------------------
# Equivalence with pySHACL
# ---------------------------------------------------------------------------

def test_shipped_data(shapes):
    assert_same(None, shapes)


def test_synthetic_graph(shapes, tmp_path):
    from llmkg.sources.synth import synth

    out = tmp_path / "synth.ttl"
    # 150 models plant each kind of mistake several times
    synth(150, seed=1, out=out)
    results = assert_same([out], shapes)
    # the planted mistakes: no developer, a negative size, released before its base, a lineage cycle
    assert {"MinCountConstraintComponent", "MinExclusiveConstraintComponent",
            "SPARQLConstraintComponent"} <= _components(results)
    assert {r.source_constraint for r in results} >= {
        URIRef(vocab.SHAPES + "NoLineageCycle"), URIRef(vocab.SHAPES + "NotReleasedBeforeBase")}


def _bad_files():
    return sorted(f for f in (FIXTURES / "bad").iterdir() if f.suffix == ".ttl")


def _readable(files):
    return [f for f in files if not load_store([f], ontology=False).errors]


def test_bad_fixtures_together(shapes):
    """Every readable bad fixture with the shipped data, in one run (pySHACL takes ~1 s a run)."""
    files = _readable(_bad_files())
    assert len(files) >= 10
    results = assert_same([paths.data_dir(), *files], shapes)
    assert len(_components(results)) >= 5


@pytest.mark.parametrize("bad", _readable(_bad_files()), ids=lambda p: p.stem)
def test_each_bad_fixture(shapes, bad):
    """Each readable bad fixture on its own, with the ontology (the shipped data's nodes it names are
    then undescribed, which both engines must report alike): one small pySHACL run each."""
    assert_same([bad], shapes)


def test_broken_shape_and_valid_model(shapes):
    assert_same([paths.data_dir(), FIXTURES / "broken_shape.ttl", FIXTURES / "valid_model.ttl"], shapes)


# ---------------------------------------------------------------------------
# One small graph per kind of constraint
# ---------------------------------------------------------------------------

MINI = """\
@prefix llmkg: <https://w3id.org/llmkg/ontology#> .
@prefix kg: <https://w3id.org/llmkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

kg:Src a llmkg:Source ; rdfs:label "S"@en , "源"@zh ; dcterms:title "S" ; dcterms:type kg:BlogPost ;
    dcterms:publisher kg:Org .
kg:Org a llmkg:Organization ; rdfs:label "Org"@en , "组织"@zh ; skos:definition "An org."@en , "组织。"@zh ;
    dcterms:source kg:Src ; llmkg:country kg:Nowhere .
kg:Org2 a llmkg:Organization ; rdfs:label "Org2"@en , "组织2"@zh ; skos:definition "An org."@en , "组织。"@zh ;
    dcterms:source kg:Src2 .
kg:Src2 a llmkg:Source ; rdfs:label "S2"@en , "源2"@zh ; dcterms:title "S2" .
kg:M0 a llmkg:LargeLanguageModel ; rdfs:label "M0"@en , "M0"@zh ; skos:definition "A model."@en , "模型。"@zh ;
    dcterms:source kg:Src ; llmkg:developedBy kg:Org ; llmkg:releaseDate "2020-01-01"^^xsd:date .
kg:M1 a llmkg:LargeLanguageModel ;
    rdfs:label "M1"@en , "M1 again"@en-GB , "no tag" , "M1"@ZH-Hant ;
    skos:definition "A model."@en ;
    dcterms:source kg:Org ;
    llmkg:developedBy kg:Src , "a string" ;
    llmkg:releaseDate "2023-02-30"^^xsd:date , "2023-13"^^xsd:gYearMonth , "2021" ;
    llmkg:parameterCount "abc"^^xsd:integer , -5 , "1000"^^xsd:decimal , " 7 "^^xsd:integer ;
    llmkg:openWeights "yes"^^xsd:boolean , "1"^^xsd:boolean ;
    llmkg:basedOn kg:M0 , kg:M2 .
kg:M2 a llmkg:LargeLanguageModel , llmkg:LargeModel ; rdfs:label "M2"@en , "M2"@zh ;
    dcterms:source kg:Src ; llmkg:developedBy kg:Org ; llmkg:parameterCount 5 ;
    llmkg:releaseDate "2019"^^xsd:gYear ; llmkg:basedOn kg:M1 .
kg:P a llmkg:HistoricalPeriod ; rdfs:label "P"@en , "时期"@zh ; dcterms:source kg:Src ;
    llmkg:startYear "1990"^^xsd:gYear , "abcd"^^xsd:gYear ; llmkg:endYear 2000 .
kg:Cmp a llmkg:Comparison ; rdfs:label "C"@en , "比较"@zh ; dcterms:source kg:Src ;
    llmkg:comparedItem kg:M0 ; llmkg:hasAspect [ a llmkg:ComparisonAspect ; rdfs:label "A"@en , "方面"@zh ;
        llmkg:hasAspectValue [ a llmkg:AspectValue ; llmkg:side kg:M0 ; llmkg:statement "x"@en ] ,
                             [ a llmkg:AspectValue ; llmkg:statement "y"@en , "z"@en-US , "乙"@zh ] ] .
"""


@pytest.fixture(scope="module")
def mini(shapes, tmp_path_factory):
    f = tmp_path_factory.mktemp("mini") / "mini.ttl"
    f.write_text(MINI, encoding="utf-8")
    return assert_same([f], shapes)


@pytest.mark.parametrize("component", [
    "MinCount", "MaxCount", "Class", "Datatype", "LanguageIn", "QualifiedMinCount", "QualifiedMaxCount",
    "Node", "Or", "MinInclusive", "MinExclusive", "SPARQL"])
def test_each_constraint_kind(mini, component):
    assert component + "ConstraintComponent" in _components(mini)


def test_integers_beyond_64_bits(shapes, tmp_path):
    """rdflib compares any integer; Oxigraph's comparison of one beyond 64 bits is an error, which
    must not pass for "conforms": pySHACL reports -10^20 under sh:minExclusive 0 and sh:minInclusive 10^8."""
    f = tmp_path / "big.ttl"
    f.write_text(MINI.split("kg:M0 a")[0] + textwrap.dedent("""\
        kg:Big a llmkg:LargeLanguageModel , llmkg:LargeModel ; rdfs:label "Big"@en , "大"@zh ;
            skos:definition "A model."@en , "模型。"@zh ; dcterms:source kg:Src ; llmkg:developedBy kg:Org ;
            llmkg:releaseDate "2020"^^xsd:gYear ; llmkg:parameterCount -100000000000000000000 .
        kg:Huge a llmkg:LargeLanguageModel , llmkg:LargeModel ; rdfs:label "Huge"@en , "巨"@zh ;
            skos:definition "A model."@en , "模型。"@zh ; dcterms:source kg:Src ; llmkg:developedBy kg:Org ;
            llmkg:releaseDate "2020"^^xsd:gYear ; llmkg:parameterCount 100000000000000000000 .
        """), encoding="utf-8")
    results = assert_same([f], shapes)
    big = URIRef(vocab.KG + "Big")
    assert {"MinExclusiveConstraintComponent", "MinInclusiveConstraintComponent"} <= _components(
        [r for r in results if r.focus == big])


def test_blank_node_subclass(shapes, tmp_path):
    """pySHACL follows rdfs:subClassOf through any node: an instance of an anonymous subclass of
    llmkg:Organization is a focus node of OrganizationShape and passes sh:class llmkg:Organization."""
    f = tmp_path / "anonymous_class.ttl"
    f.write_text(MINI.split("kg:M0 a")[0] + textwrap.dedent("""\
        kg:Org3 a [ rdfs:subClassOf llmkg:Organization ] ; rdfs:label "O3"@en , "组织3"@zh .
        kg:M0 a llmkg:LargeLanguageModel ; rdfs:label "M0"@en , "M0"@zh ; skos:definition "A model."@en , "模型。"@zh ;
            dcterms:source kg:Src ; llmkg:developedBy kg:Org3 ; llmkg:releaseDate "2020-01-01"^^xsd:date .
        """), encoding="utf-8")
    results = assert_same([f], shapes)
    assert any(r.focus == URIRef(vocab.KG + "Org3") for r in results)


CYCLE_DATA = """\
@prefix ex: <http://example.org/> .
ex:x ex:a ex:y . ex:y ex:a ex:x .
ex:u ex:a ex:v . ex:v ex:b ex:w . ex:w ex:b ex:u .
"""


@pytest.mark.parametrize("path", [
    "(ex:a|ex:b)+", "ex:a|ex:b+", "<http://example.org/a>/<http://example.org/b>+"])
def test_cycle_target_path_precedence(tmp_path, path):
    """A SPARQL target "?this P+ ?this" is computed as the cycles of P's edges, so P must be the whole
    path under "+": in "a|b+" and "a/b+" the "+" binds to b alone, as SPARQL (and pySHACL) read it."""
    shapes = Graph().parse(data=textwrap.dedent("""\
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:prefixes sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
        ex:OnCycle a sh:NodeShape ;
            sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:prefixes ;
                        sh:select "SELECT DISTINCT ?this WHERE { ?this PATH ?this . }" ] ;
            sh:sparql [ sh:message "on the target" ; sh:select "SELECT $this WHERE { $this ?p ?o . }" ] .
        """).replace("PATH", path), format="turtle")
    f = tmp_path / "cycles.ttl"
    f.write_text(CYCLE_DATA, encoding="utf-8")
    assert_same([f], shapes)


def test_sparql_message_substitution(mini):
    before = [r for r in mini if r.source_constraint == URIRef(vocab.SHAPES + "NotReleasedBeforeBase")]
    assert before and all("{" not in str(r.message) for r in before)
    assert any("dated 2019, before" in str(r.message) for r in before)


def test_rule_shape_names_anonymous_shapes(mini, shapes):
    for r in mini:
        assert isinstance(r.rule_shape, URIRef)
        if isinstance(r.source_shape, BNode):
            assert (r.rule_shape, SH.property, r.source_shape) in shapes


def test_inferred_graph_is_ignored(tmp_path):
    import pyoxigraph as ox

    from llmkg.store.load import INFERRED

    loaded = load_store(None)
    before = Counter(validate_store(loaded))
    # an inferred type would add focus nodes (and violations) if validation read INFERRED
    loaded.store.add(ox.Quad(ox.NamedNode("https://w3id.org/llmkg/id/Ghost"), ox.NamedNode(str(RDF.type)),
                             ox.NamedNode(vocab.LLMKG + "LargeLanguageModel"), INFERRED))
    assert Counter(validate_store(loaded)) == before


def test_literal_conversion():
    import pyoxigraph as ox

    assert to_rdflib_term(ox.Literal("x")) == Literal("x")
    assert to_rdflib_term(ox.Literal("x", language="zh")) == Literal("x", lang="zh")
    assert to_rdflib_term(ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))) == Literal(5)
    assert to_rdflib_term(ox.BlankNode("b1")) == BNode("b1")


def test_unsupported_construct_is_an_error():
    g = Graph().parse(data=textwrap.dedent("""\
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:pattern "^a" ; sh:message "m" ] .
        """), format="turtle")
    with pytest.raises(ShapeCompileError, match="sh:pattern"):
        compile_shapes(g)


def test_deactivated_shape_is_skipped():
    g = Graph().parse(data=textwrap.dedent("""\
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "m" ] .
        ex:T a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "m" ; sh:deactivated true ] .
        """), format="turtle")
    assert compile_shapes(g) == []


@pytest.mark.parametrize("modifier", ["LIMIT 1", "ORDER BY ?value OFFSET 1", "limit 1 offset 1"])
def test_sparql_constraint_limit_is_an_error(modifier):
    """pySHACL runs a SPARQL constraint once per focus node, so LIMIT and OFFSET apply to each node's rows;
    one query over all focus nodes cannot do that (nor pick rdflib's "first" rows), so it must not compile."""
    g = Graph().parse(data=textwrap.dedent("""\
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
            sh:sparql [ sh:message "m" ; sh:select "SELECT $this ?value WHERE { $this <http://example.org/p> ?value } MOD" ] .
        """).replace("MOD", modifier), format="turtle")
    with pytest.raises(ShapeCompileError, match="(?i)limit|offset"):
        compile_shapes(g)


def test_shipped_shapes_take_the_fast_paths():
    """The results would not change without them, only the time (minutes on a large catalogue): the two
    lineage constraints are recognised, and every check of the shipped shapes has a prefilter but the
    node-level sh:or and a minimum count above one."""
    from llmkg.validation.shacl.prefilters import OnCycle, ReleasedBefore

    checks = compile_shapes()
    by_constraint = {c.source_constraint: c for c in checks if c.source_constraint is not None}
    assert isinstance(by_constraint[URIRef(vocab.SHAPES + "NoLineageCycle")].pre, OnCycle)
    assert isinstance(by_constraint[URIRef(vocab.SHAPES + "NotReleasedBeforeBase")].pre, ReleasedBefore)
    without = {str(c.component).rpartition("#")[2] for c in checks if c.pre is None}
    assert without <= {"OrConstraintComponent", "MinCountConstraintComponent"}
