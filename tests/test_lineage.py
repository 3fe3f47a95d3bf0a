"""The lineage answer computed on sparse matrices (llmkg.querying.lineage) is, byte for byte,
the answer Oxigraph gives to queries/lineage.rq: on the shipped data, on a synthetic
catalogue with lineage cycles, and on small graphs made to hit each rule of the query
(several labels, none, escaped characters, the most specific relation, merges)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from llmkg.querying import catalogue, lineage
from llmkg.querying.run import answer_tsv, csv_and_tsv, with_prefixes
from llmkg.reasoning.closure import reason_store
from llmkg.sources.synth import synth
from llmkg.store.load import load_store

PREFIXES = """@prefix kg: <https://w3id.org/llmkg/id/> .
@prefix llmkg: <https://w3id.org/llmkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def by_sparql(loaded) -> bytes:
    text = with_prefixes(catalogue.get("lineage").text)
    return loaded.store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)


def reasoned(tmp_path, turtle: str):
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    loaded = load_store([path])
    reason_store(loaded)
    return loaded


def test_shipped_data(shipped):
    computed = lineage.answer_tsv(shipped.store.store)
    assert computed == by_sparql(shipped.store)
    assert computed.count(b"\n") > 50  # the shipped lineage is not empty: the comparison means something


def test_synthetic_catalogue_with_cycles(tmp_path):
    path = tmp_path / "synth.ttl"
    synth(1500, seed=3, out=path)  # 2 % of the models with planted mistakes, lineage cycles among them
    loaded = load_store([path])
    reason_store(loaded)
    assert lineage.answer_tsv(loaded.store) == by_sparql(loaded)


CASES = {
    "a chain, a merge and a fork": """
        kg:A rdfs:label "A"@en . kg:B rdfs:label "B"@en . kg:C rdfs:label "C"@en .
        kg:D rdfs:label "D"@en . kg:E rdfs:label "E"@en .
        kg:B llmkg:fineTunedFrom kg:A . kg:C llmkg:basedOn kg:B . kg:D llmkg:basedOn kg:B .
        kg:E llmkg:mergedFrom kg:C , kg:D . kg:E llmkg:basedOn kg:A .
    """,
    "several English labels, none, and other languages": """
        kg:A rdfs:label "Alpha"@en , "Aleph"@en , "甲"@zh . kg:B rdfs:label "Beta"@en-GB , "B"@en .
        kg:C rdfs:label "无"@zh . kg:D rdfs:label "Delta"@en , "Dee"@en .
        kg:B llmkg:basedOn kg:A . kg:C llmkg:basedOn kg:B . kg:D llmkg:basedOn kg:C .
    """,
    "labels to escape and to sort by code point": """
        kg:A rdfs:label "a \\"quoted\\"\\tname\\\\ with\\nbreaks\\r"@en . kg:B rdfs:label "Zeta"@en .
        kg:C rdfs:label "zeta"@en . kg:D rdfs:label "Émile"@en . kg:E rdfs:label "模型"@en .
        kg:B llmkg:basedOn kg:A . kg:C llmkg:basedOn kg:B . kg:D llmkg:basedOn kg:C . kg:E llmkg:basedOn kg:D .
    """,
    "the most specific relation, and the least label of equals": """
        kg:A rdfs:label "A"@en . kg:B rdfs:label "B"@en . kg:C rdfs:label "C"@en .
        kg:B llmkg:basedOn kg:A ; llmkg:fineTunedFrom kg:A .
        kg:C llmkg:fineTunedFrom kg:A ; llmkg:distilledFrom kg:A ; llmkg:derivedFrom kg:B .
    """,
    "a cycle and a loop": """
        kg:A rdfs:label "A"@en . kg:B rdfs:label "B"@en . kg:C rdfs:label "C"@en .
        kg:A llmkg:basedOn kg:B . kg:B llmkg:basedOn kg:A . kg:C llmkg:basedOn kg:C , kg:A .
    """,
    "derivedFrom alone, and no lineage at all": """
        kg:A rdfs:label "A"@en . kg:B rdfs:label "B"@en . kg:B llmkg:derivedFrom kg:A .
    """,
    "two models of the same name": """
        kg:A rdfs:label "A"@en . kg:T1 rdfs:label "Twin"@en . kg:T2 rdfs:label "Twin"@en .
        kg:T1 llmkg:basedOn kg:A . kg:T2 llmkg:fineTunedFrom kg:A . kg:T3 llmkg:basedOn kg:A .
        kg:T3 rdfs:label "Twin"@en .
    """,
    "nothing": """kg:A rdfs:label "A"@en .""",
}


@pytest.mark.parametrize("turtle", CASES.values(), ids=CASES.keys())
def test_each_rule_of_the_query(tmp_path, turtle):
    loaded = reasoned(tmp_path, turtle)
    assert lineage.answer_tsv(loaded.store) == by_sparql(loaded)


def test_the_catalogue_query_is_answered_by_it_and_ad_hoc_text_is_not(tmp_path, monkeypatch):
    loaded = reasoned(tmp_path, CASES["a chain, a merge and a fork"])
    text = catalogue.get("lineage").text
    monkeypatch.setattr(lineage, "answer_tsv", lambda store: b"?model\t?ancestor\t?depth\t?relation\n")
    assert answer_tsv(loaded, text) == b"?model\t?ancestor\t?depth\t?relation\n"
    assert csv_and_tsv(loaded, text)[0] == "model,ancestor,depth,relation\r\n"
    # the same question worded otherwise goes to SPARQL
    assert answer_tsv(loaded, text.replace("ORDER BY", "\nORDER BY")).count(b"\n") > 5


def test_a_built_store_answers_from_its_kept_answer_without_computing_again(tmp_path, monkeypatch):
    from llmkg.querying.run import run
    from llmkg.store.persist import open_store

    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + CASES["a chain, a merge and a fork"], encoding="utf-8")
    with open_store([path], build_dir=tmp_path / "build", say=None) as built:  # keeps the catalogue's answers
        expected = by_sparql(built)

        def again(store):
            raise AssertionError("computed again on disk although the build kept the answer")

        monkeypatch.setattr(lineage, "answer_tsv", again)
        got = [list(r) for r in run(built, catalogue.get("lineage").text)]
        assert got and got == [list(r) for r in ox.parse_query_results(expected, format=ox.QueryResultsFormat.TSV)]
