"""A corpus of contributor mistakes, one file per kind: each is caught with a located, fixable message."""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES

BAD = FIXTURES / "bad"

# file, exit code, rule, line, node, words the message must contain
CASES = [
    ("syntax_error.ttl", 2, "syntax", 11, "", "expected"),
    ("undeclared_term.ttl", 1, "undeclared-term", 8, "kg:TypoModel", "did you mean llmkg:developedBy?"),
    ("missing_chinese_label.ttl", 1, "shapes:ChineseLabel", 8, "kg:Nameless", "exactly one Chinese label"),
    ("missing_developer.ttl", 1, "shapes:ModelShape", 8, "kg:Orphan", "Say who built the model"),
    ("missing_source.ttl", 1, "shapes:HasSource", 8, "kg:Unsourced", "dcterms:source"),
    ("bad_date.ttl", 1, "shapes:ModelShape", 8, "kg:BadDate", "xsd:gYearMonth"),
    ("fullwidth_date.ttl", 1, "lexical-form", 8, "kg:FullwidthDate", "write '2024-01'"),
    ("bad_parameter_count.ttl", 1, "shapes:ModelShape", 8, "kg:BadSize", "positive xsd:integer"),
    ("duplicate_label.ttl", 1, "duplicate-label", 8, "kg:GPT-4-Copy", "also used by kg:GPT-4"),
    ("duplicate_wikidata.ttl", 1, "duplicate-wikidata", 7, "kg:TwinOne", "same Wikidata item"),
    ("same_as.ttl", 1, "same-as", 9, "kg:Merged", "link another IRI for it with skos:exactMatch"),
    ("dangling_reference.ttl", 1, "dangling-reference", 8, "kg:Dangling", "kg:NoSuchModel is used here but described nowhere"),
    ("lineage_cycle.ttl", 1, "shapes:NoLineageCycle", 8, "kg:LoopA", "derives from itself"),
    ("released_before_base.ttl", 1, "shapes:NotReleasedBeforeBase", 8, "kg:TooEarly", "which it is based on"),
    ("disjoint_classes.ttl", 1, "consistency", 8, "kg:BigSmall", "llmkg:LargeModel and llmkg:SmallModel"),
    ("inferred_inconsistency.ttl", 1, "consistency", 8, "kg:ModelAsOrg",
     "kg:Confused llmkg:basedOn kg:ModelAsOrg (the range of llmkg:basedOn is llmkg:MachineLearningModel)"),
]


@pytest.mark.parametrize("name,code,rule,line,node,words", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_located(cli, name, code, rule, line, node, words):
    r = cli("validate", BAD / name, "--format", "json")
    assert r.code == code, r.out
    findings = json.loads(r.out)["findings"]
    mine = [f for f in findings if f["file"] == f"tests/fixtures/bad/{name}"]
    hits = [f for f in mine if f["rule"] == rule and words in f["message"]]
    assert hits, json.dumps(mine, ensure_ascii=False, indent=1)
    assert hits[0]["line"] == line
    if node:
        assert hits[0]["focus_node"] == node
    # the shipped data has no errors of its own: any error elsewhere points back at the new node
    assert all(f["file"] == f"tests/fixtures/bad/{name}" or f["severity"] != "error" or (node and node in f["message"])
               for f in findings)


def test_all_mistakes_in_one_run(cli):
    files = sorted(BAD.glob("*.ttl"))
    r = cli("validate", *files)
    assert r.code == 2  # the syntax error wins, but every other file is still checked
    for name, _, _, _, node, _ in CASES:
        assert f"tests/fixtures/bad/{name}" in r.out
        if node:
            assert node in r.out


def test_text_format_is_grouped_by_file(cli):
    r = cli("validate", BAD / "missing_developer.ttl", BAD / "bad_date.ttl")
    out = r.out
    assert out.index("tests/fixtures/bad/bad_date.ttl\n") < out.index("kg:BadDate")
    assert out.index("tests/fixtures/bad/missing_developer.ttl\n") < out.index("kg:Orphan")


def test_github_format_annotates_the_line(cli):
    r = cli("validate", BAD / "missing_developer.ttl", "--format", "github")
    assert "::error file=tests/fixtures/bad/missing_developer.ttl,line=8,title=shapes%3AModelShape::kg:Orphan (Orphan): Say who built the model" in r.out


def test_fail_on_controls_the_exit_code(cli, tmp_path):
    # a model without a release date is only a warning
    text = (BAD / "missing_developer.ttl").read_text(encoding="utf-8")
    fixed = text.replace("    dcterms:source", "    llmkg:developedBy kg:OpenAI ;\n    dcterms:source").replace(
        '    llmkg:releaseDate "2024"^^xsd:gYear ;\n', "")
    f = tmp_path / "undated.ttl"
    f.write_text(fixed, encoding="utf-8")
    assert cli("validate", f).code == 0
    r = cli("validate", f, "--fail-on", "warning")
    assert r.code == 1 and "no llmkg:releaseDate" in r.out


def test_a_literal_as_a_subject_is_located_on_both_engines(cli, tmp_path):
    """rdflib reads a literal subject where RDF forbids it; the error names the file and line."""
    bad = tmp_path / "literal_subject.ttl"
    bad.write_text('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"x"@en rdfs:label "y" .\n',
                   encoding="utf-8")
    for engine in ("oxigraph", "reference"):
        r = cli("validate", "--data", bad, "--engine", engine)
        assert r.code == 2 and "literal_subject.ttl" in r.out and "internal error" not in r.err, (engine, r)
