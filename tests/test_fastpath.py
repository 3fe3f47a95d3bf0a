"""The fast engine (Oxigraph store) gives the reference's answers (rdflib + owlrl + pySHACL).

On the shipped data and on a 1,000-model synthetic catalogue with planted
mistakes: the same inferred triples (owlrl's), the same validation findings
(the shapes by pySHACL, the other checks on owlrl's closure), the same query
results (rdflib's SPARQL); and `llmkg build` writes the same files with
either engine.
"""
from __future__ import annotations

import filecmp
from dataclasses import asdict

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, URIRef

from llmkg.errors import LlmkgError, QueryError
from llmkg.exports.rdf import write_rdf
from llmkg.pipeline import build
from llmkg.querying import catalogue
from llmkg.querying.formats import cell, delimited
from llmkg.querying.reference import csv_rdflib
from llmkg.querying.run import select, to_csv
from llmkg.querying.stats import stats
from llmkg.reasoning.closure import reason_store
from llmkg.reasoning.reference import reason, to_store
from llmkg.sources.rdf import load_each
from llmkg.store.load import load_store, to_rdflib
from llmkg.validation.checks import check_store

from conftest import FIXTURES


def _named(triples) -> set:
    """Triples without blank nodes: blank node ids differ between two parsers."""
    return {t for t in triples if not any(isinstance(x, BNode) for x in t)}


def _both(files):
    """(fast store, reference store, reference closure by owlrl as rdflib)."""
    fast = load_store(files)
    reason_store(fast)
    loaded, errors = load_each(files)
    closed = reason(loaded.graph)
    return fast, to_store(loaded, errors, closed), closed


@pytest.fixture(scope="module")
def shipped_pair(shipped, reference_shipped):
    return shipped.store, *reference_shipped


@pytest.fixture(scope="module")
def pair(shipped_pair):
    """What the equivalence tests compare; tests/test_fastpath_synth.py runs them on 1,000 models."""
    return shipped_pair


def test_same_inferred_triples(pair):
    fast, _, closed = pair
    mine = to_rdflib(fast.store)
    assert len(mine) == len(closed)
    assert _named(mine) == _named(closed)


def test_same_findings(pair):
    fast, ref, _ = pair
    reference = check_store(ref, engine="reference")
    mine = check_store(fast)
    assert [asdict(f) for f in mine.findings] == [asdict(f) for f in reference.findings]
    assert mine.exit_code == reference.exit_code


def test_same_query_results_and_counts(pair):
    fast, ref, closed = pair
    for q in catalogue.load_catalogue():
        assert to_csv(fast, q.text) == csv_rdflib(closed, q.text), q.name
    assert stats(fast) == stats(ref)


@pytest.mark.parametrize("text, like_rdflib", [
    # Oxigraph's CSV writer and Python's part ways here: the fast path must notice
    ("SELECT ?s ?note WHERE { ?s a owl:Class . OPTIONAL { ?s rdfs:comment ?note } } ORDER BY ?s", False),
    ("SELECT ?none WHERE { ?s a llmkg:Organization . OPTIONAL { ?s <urn:x:absent> ?none } } LIMIT 3", False),
    ('SELECT ?a ?b WHERE { VALUES (?a ?b) { ("x,y" "say \\"hi\\"") ("line\\nbreak" "_:not a node") ("" "") } }',
     True),
])
def test_query_csv_edge_cases_match(shipped_pair, text, like_rdflib):
    """Blank nodes, a one-column row with an empty cell, cells that need quoting. (Blank
    node ids differ between two parsers, and rdflib drops a solution that binds nothing,
    so the first two are compared with the term-by-term writer on the same store.)"""
    fast, _, closed = shipped_pair
    names, rows = select(fast, text)
    plain = lambda t: t.value if isinstance(t, ox.BlankNode) else cell(t)  # noqa: E731  (rdflib's blank nodes)
    assert to_csv(fast, text) == delimited(names, rows, plain)
    if like_rdflib:
        assert to_csv(fast, text) == csv_rdflib(closed, text)


def test_the_closure_handed_over_in_small_blocks_is_the_same(monkeypatch):
    """The reasoner gives Oxigraph its new triples a block at a time (at 1,000,000 models
    they do not fit in memory as one text); blocks of three lines make the same graph."""
    from llmkg.reasoning import closure

    files = [FIXTURES / "valid_model.ttl"]
    whole = load_store(files)
    added = reason_store(whole)
    monkeypatch.setattr(closure, "_LINES_PER_LOAD", 3)
    blocks = load_store(files)
    assert reason_store(blocks) == added > 3

    def named(loaded):  # blank node ids differ between two loads
        return {q for q in loaded.store if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}
    assert len(blocks.store) == len(whole.store) and named(blocks) == named(whole)


def test_a_triple_restated_from_the_ontology_counts_once(tmp_path):
    """A data file may repeat an ontology triple: one triple for rdflib, so one row in every answer."""
    restated = tmp_path / "restated.ttl"
    restated.write_text("@prefix llmkg: <https://w3id.org/llmkg/ontology#> .\n"
                        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                        'llmkg:LargeModel rdfs:label "large model"@en .\n', encoding="utf-8")
    files = [FIXTURES / "valid_model.ttl", restated]
    fast, ref, closed = _both(files)
    reference = check_store(ref, engine="reference")
    assert [asdict(f) for f in check_store(fast).findings] == [asdict(f) for f in reference.findings]
    for q in catalogue.load_catalogue():
        assert to_csv(fast, q.text) == csv_rdflib(closed, q.text), q.name
    assert stats(fast) == stats(ref)
    # the Turtle dump, written graph by graph, holds each triple once: the graphs share none
    dumped = list(ox.parse(path=str(write_rdf(fast, tmp_path / "dump.ttl")), format=ox.RdfFormat.TURTLE))
    assert len(dumped) == len(set(dumped)) == len(closed)


def test_inferred_literals_with_characters_to_escape_are_the_reference_ones(tmp_path):
    """The reasoner hands its new triples to Oxigraph as N-Triples text: literals with quotes,
    backslashes, line breaks, control characters, language tags and datatypes survive it."""
    data = tmp_path / "sub.ttl"
    data.write_text('''@prefix kg: <https://w3id.org/llmkg/id/> .
@prefix llmkg: <https://w3id.org/llmkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kg:note rdfs:subPropertyOf rdfs:comment .
kg:A a llmkg:LargeLanguageModel ;
    kg:note "a \\"quoted\\" \\\\ back\\nslash\\ttab\\r\\u0001 模型"@en-GB ,
            "plain" , "1.5"^^xsd:decimal , "x"^^<https://example.org/dt> .
''', encoding="utf-8")
    fast, _, closed = _both([data])
    assert _named(to_rdflib(fast.store)) == _named(closed)
    comment = URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
    assert len(list(closed.objects(URIRef("https://w3id.org/llmkg/id/A"), comment))) == 4  # the case happens


def test_build_writes_the_same_files_with_either_engine(tmp_path):
    """Every file of the build, with its findings, on a small catalogue with planted mistakes:
    each stage's equivalence on the shipped data is proven above, so this proves the build's
    own plumbing, where the reference on the shipped data took 70 s (the slowest test)."""
    from llmkg.sources.synth import synth

    data = [synth(40, seed=3, out=tmp_path / "synth-40.ttl").out]
    fast = build(data, out=tmp_path / "fast", engine="oxigraph")
    ref = build(data, out=tmp_path / "ref", engine="reference")
    assert fast.stats == ref.stats
    assert fast.exit_code == ref.exit_code == 1 and fast.report.counts()["error"] == 5
    assert [p.relative_to(tmp_path / "fast") for p in fast.files] == [p.relative_to(tmp_path / "ref") for p in ref.files]
    names = [p.relative_to(tmp_path / "ref").as_posix() for p in ref.files]
    for name in names:
        a, b = tmp_path / "fast" / name, tmp_path / "ref" / name
        if name.endswith(".ttl"):  # two serialisers: compare the graphs
            ga, gb = Graph().parse(a), Graph().parse(b)
            assert len(ga) == len(gb) and _named(ga) == _named(gb)
        else:
            assert filecmp.cmp(a, b, shallow=False), name


def test_a_term_rdflib_accepts_but_rdf_forbids_is_located(cli, tmp_path):
    bad = tmp_path / "bad_iri.ttl"
    bad.write_text('@prefix kg: <https://w3id.org/llmkg/id/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                   'kg:X rdfs:label "x"@en ;\n   rdfs:seeAlso <http://ex.org/a b> .\n', encoding="utf-8")
    r = cli("build", "--data", bad, "--out", tmp_path / "out")
    assert r.code == 2
    assert "bad_iri.ttl" in r.err and "4:18" in r.err and "Invalid IRI code point" in r.err
    assert "internal error" not in r.err


@pytest.mark.parametrize("error, shown", [(QueryError("the SPARQL does not parse"), LlmkgError),
                                          (ZeroDivisionError("boom"), (ZeroDivisionError, RuntimeError))])
def test_a_failure_in_the_shared_work_reaches_the_caller(tmp_path, monkeypatch, error, shown):
    """Whichever process runs a shared task (here every query fails), its error is raised by build():
    a user's error as itself; anything else as itself from this process, or as a RuntimeError
    naming it from the forked one."""
    import llmkg.querying.run

    def fail(loaded, text):
        raise error

    monkeypatch.setattr(llmkg.querying.run, "csv_and_tsv", fail)
    with pytest.raises(shown, match=str(error)):
        build(out=tmp_path / "out")


def test_without_fork_this_process_does_the_shared_work(tmp_path, monkeypatch):
    """Where fork is missing (Windows, macOS's default), the build does every task itself, same files."""
    import multiprocessing

    # pictures left out: drawn by this process either way, they only cost time here
    with_fork = build(out=tmp_path / "fork", skip=["pictures"])
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    alone = build(out=tmp_path / "alone", skip=["pictures"])
    assert [p.relative_to(tmp_path / "alone") for p in alone.files] == \
        [p.relative_to(tmp_path / "fork") for p in with_fork.files]
    assert [name for name, _ in alone.timings] == [name for name, _ in with_fork.timings]
    assert alone.report.counts() == with_fork.report.counts() and alone.stats == with_fork.stats
    for a in alone.files:
        if a.suffix == ".csv":
            assert a.read_bytes() == (tmp_path / "fork" / a.relative_to(tmp_path / "alone")).read_bytes()


def test_without_memory_for_a_second_process_the_build_works_alone_and_says_so(tmp_path, monkeypatch):
    """At 1,000,000 models two processes would not fit in memory: the build then does all the
    work itself, writes the same files, and the summary says why it used one process."""
    import multiprocessing

    import llmkg.pipeline as pipeline

    needed = {}
    real = pipeline._memory_for_two
    monkeypatch.setattr(pipeline, "_memory_for_two", lambda loaded: needed.setdefault("v", real(loaded)))
    roomy = build(out=tmp_path / "roomy", skip=["pictures"])
    assert roomy.notes == [] and needed["v"][0] > 0

    forked = []
    monkeypatch.setattr(multiprocessing.get_context("fork"), "Process",
                        lambda *a, **k: forked.append(1) or pytest.fail("forked without room"))
    monkeypatch.setattr(pipeline, "_memory_for_two", lambda loaded: (5 * 2**30, 2**30))
    tight = build(out=tmp_path / "tight", skip=["pictures"])
    assert not forked
    assert tight.notes == ["one process did all the work: a second one would need about 5.0 GiB in all, "
                           "and 1.0 GiB is available"]
    assert "note: one process did all the work" in pipeline.format_summary(tight)
    assert tight.report.counts() == roomy.report.counts() and tight.stats == roomy.stats
    for a in (a for a in tight.files if a.suffix != ".ttl"):  # blank node labels differ between loads
        assert a.read_bytes() == (tmp_path / "roomy" / a.relative_to(tmp_path / "tight")).read_bytes(), a
