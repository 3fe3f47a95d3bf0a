"""One test per documented behaviour of the CLI, asserting exit codes and the words a user sees."""
from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
import rdflib

from conftest import FIXTURES
from llmkg.querying.catalogue import load_catalogue


# --- validate ---------------------------------------------------------------

def test_validate_shipped_data_conforms(cli):
    r = cli("validate")
    assert r.code == 0, r.out
    assert "0 errors" in r.out and "conforms" in r.out


def test_validate_accepts_a_correct_new_file(cli):
    r = cli("validate", FIXTURES / "valid_model.ttl")
    assert r.code == 0, r.out


def test_validate_broken_file_names_file_line_node_and_rule(cli):
    r = cli("validate", FIXTURES / "broken_shape.ttl")
    assert r.code == 1
    assert "tests/fixtures/broken_shape.ttl" in r.out
    assert "  9: error: kg:BrokenModel (BrokenModel)  property llmkg:developedBy" in r.out
    assert "Say who built the model: llmkg:developedBy kg:<Organization>" in r.out
    assert "Give exactly one Chinese label" in r.out
    assert 'value "-7"^^xsd:integer' in r.out
    assert "does not conform" in r.out


def test_validate_syntax_error_exits_2_with_file_and_line(cli):
    r = cli("validate", FIXTURES / "syntax_error.ttl")
    assert r.code == 2
    assert "tests/fixtures/syntax_error.ttl" in r.out
    assert "  7:1: error:" in r.out
    assert "Turtle syntax error" in r.out


def test_validate_reports_other_files_despite_a_syntax_error(cli):
    r = cli("validate", FIXTURES / "syntax_error.ttl", FIXTURES / "broken_shape.ttl")
    assert r.code == 2
    assert "kg:BrokenModel" in r.out


def test_validate_json_format(cli):
    r = cli("validate", FIXTURES / "broken_shape.ttl", "--format", "json")
    assert r.code == 1
    report = json.loads(r.out)
    assert report["conforms"] is False
    hit = [f for f in report["findings"] if f["path"] == "llmkg:developedBy"]
    assert hit and hit[0]["file"] == "tests/fixtures/broken_shape.ttl" and hit[0]["line"] == 9
    assert hit[0]["focus_node"] == "kg:BrokenModel" and hit[0]["label"] == "BrokenModel"


def test_validate_github_format_is_annotations(cli):
    r = cli("validate", FIXTURES / "broken_shape.ttl", "--format", "github")
    assert r.code == 1
    assert "::error file=tests/fixtures/broken_shape.ttl,line=9," in r.out


def test_validate_turtle_format_is_a_shacl_report(cli):
    r = cli("validate", FIXTURES / "broken_shape.ttl", "--format", "turtle")
    g = rdflib.Graph().parse(data=r.out, format="turtle")
    assert (None, rdflib.RDF.type, rdflib.SH.ValidationReport) in g


def test_validate_missing_file_is_a_usage_error(cli):
    r = cli("validate", "no/such/file.ttl")
    assert r.code == 2
    assert "Error: no/such/file.ttl: no such file or directory" in r.err


def test_validate_bad_flag_exits_2(cli):
    r = cli("validate", "--fail-on", "sometimes")
    assert r.code == 2


# --- query ------------------------------------------------------------------

def test_query_inline_shows_a_type_only_reasoning_adds(cli):
    q = "SELECT ?m WHERE { ?m a llmkg:LargeModel . FILTER(?m = kg:GPT-4) }"
    inferred = cli("query", q)
    asserted = cli("query", "--asserted", q)
    assert inferred.code == asserted.code == 0
    assert "kg:GPT-4" in inferred.out and "(1 row)" in inferred.out
    assert "(0 rows)" in asserted.out


def test_query_develops_is_inferred_from_developed_by(cli):
    q = "SELECT ?m WHERE { kg:OpenAI llmkg:develops ?m } ORDER BY ?m"
    r = cli("query", q, "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.out)))
    models = {row[0] for row in rows[1:]}
    assert "https://w3id.org/llmkg/id/GPT-4" in models
    assert "(0 rows)" in cli("query", "--asserted", q).out


def test_query_json_is_sparql_results_json(cli):
    r = cli("query", "SELECT ?l WHERE { kg:GPT-4 rdfs:label ?l } ORDER BY ?l", "--format", "json")
    data = json.loads(r.out)
    assert data["head"]["vars"] == ["l"]
    langs = {b["l"]["xml:lang"] for b in data["results"]["bindings"]}
    assert langs == {"en", "zh"}


def test_query_tsv_uses_rdf_term_syntax(cli):
    r = cli("query", "SELECT ?m WHERE { BIND(kg:GPT-4 AS ?m) }", "--format", "tsv")
    assert r.out == "?m\n<https://w3id.org/llmkg/id/GPT-4>\n"


def test_query_construct_returns_turtle(cli):
    r = cli("query", "CONSTRUCT { ?o llmkg:develops kg:GPT-4 } WHERE { ?o llmkg:develops kg:GPT-4 }")
    assert r.code == 0
    g = rdflib.Graph().parse(data=r.out, format="turtle")
    assert len(g) == 1


def test_query_ask(cli):
    assert cli("query", "ASK { kg:GPT-4 a llmkg:LargeModel }").out == "true\n"


def test_query_from_file_and_catalogue_name(cli, tmp_path):
    f = tmp_path / "count.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?m llmkg:developedBy kg:OpenAI }")
    r = cli("query", f)
    assert r.code == 0 and "n" in r.out
    listing = cli("query", "--list")
    assert listing.code == 0
    name = listing.out.splitlines()[2].split()[0]
    assert cli("query", name).code == 0


def test_query_unknown_name_suggests(cli):
    r = cli("query", "no_such_query_anywhere")
    assert r.code == 2
    assert "no catalogue query named 'no_such_query_anywhere'" in r.err
    assert "llmkg query --list" in r.err


def test_query_syntax_error_is_reported_not_raised(cli):
    r = cli("query", "SELECT ?x WHERE { ?x ?y }")
    assert r.code == 2
    assert r.err.startswith("Error: the SPARQL does not parse")
    assert "Traceback" not in r.err


def test_query_without_argument_is_a_usage_error(cli):
    r = cli("query")
    assert r.code == 2 and "--list" in r.err


def test_query_on_a_file_with_a_syntax_error_names_the_line(cli):
    r = cli("query", "--data", FIXTURES / "syntax_error.ttl", "ASK {}")
    assert r.code == 2
    assert "syntax_error.ttl:7:1: Turtle syntax error" in r.err


# --- export -----------------------------------------------------------------

def test_export_gexf_reads_back_with_networkx(cli, tmp_path, shipped):
    out = tmp_path / "g.gexf"
    r = cli("export", "--format", "gexf", "-o", out)
    assert r.code == 0 and f"wrote {out}" in r.out
    g = nx.read_gexf(out)
    assert "https://w3id.org/llmkg/id/GPT-4" in g
    assert g.number_of_edges() > 0


@pytest.mark.parametrize("fmt,rdf_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_rdf_formats_parse_back(cli, tmp_path, shipped, fmt, rdf_format):
    out = tmp_path / f"g.{fmt}"
    assert cli("export", "--format", fmt, "-o", out).code == 0
    g = rdflib.Graph().parse(out, format=rdf_format)
    assert len(g) == len(shipped.closed)


def test_export_asserted_leaves_inferences_out(cli, tmp_path, shipped):
    out = tmp_path / "a.nt"
    assert cli("export", "--format", "nt", "--asserted", "-o", out).code == 0
    assert len(rdflib.Graph().parse(out, format="nt")) == len(shipped.asserted)


def test_export_graphml_and_csv(cli, tmp_path):
    assert cli("export", "--format", "graphml", "-o", tmp_path / "g.graphml").code == 0
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() > 0
    r = cli("export", "--format", "csv", "-o", tmp_path / "csv")
    assert r.code == 0
    assert (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8").startswith("Id,")


def test_export_requires_format_and_output(cli):
    assert cli("export", "-o", "x.gexf").code == 2
    assert cli("export", "--format", "gexf").code == 2
    assert cli("export", "--format", "pdf", "-o", "x").code == 2


# --- stats, build, help -----------------------------------------------------

def test_stats_counts_before_and_after_reasoning(cli, shipped):
    r = cli("stats", "--format", "json")
    s = json.loads(r.out)
    large = next(row for row in s["classes"] if row["class"] == "llmkg:LargeModel")
    assert large["inferred"] > large["asserted"]
    assert s["triples"]["after_reasoning"] == len(shipped.closed)
    table = cli("stats").out
    assert "triples asserted" in table and "llmkg:LargeModel" in table


def test_build_writes_graph_gexf_and_query_csvs(cli, tmp_path):
    r = cli("build", "--out", tmp_path / "out")
    assert r.code == 0, r.out
    out = tmp_path / "out"
    assert (out / "llmkg-inferred.ttl").stat().st_size > 0
    assert nx.read_gexf(out / "llmkg.gexf").number_of_nodes() > 0
    names = {p.stem for p in (out / "queries").glob("*.csv")}
    listing = cli("query", "--list").out.splitlines()[2:]
    assert names == {line.split()[0] for line in listing}
    for stage in ("load", "reason", "validate", "queries", "export"):
        assert stage in r.out
    assert "validation: conforms" in r.out


def test_build_with_broken_data_exits_1_and_still_writes(cli, tmp_path):
    r = cli("build", "--data", "data", FIXTURES / "broken_shape.ttl", "--out", tmp_path)
    assert r.code == 1
    assert "DOES NOT CONFORM" in r.out
    assert "kg:BrokenModel" in (tmp_path / "validation.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ["oxigraph", "reference"])
def test_build_of_data_without_triples_says_so(cli, tmp_path, engine):
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix kg: <https://w3id.org/llmkg/id/> .\n# nothing yet\n", encoding="utf-8")
    r = cli("build", "--engine", engine, "--data", empty, "--out", tmp_path / "out", "--skip", "pictures")
    assert r.code == 0  # the ontology alone conforms: a warning, not a finding
    assert f"warning: the data ({empty}) holds no triples" in r.out
    assert "leave --data out" in r.out
    assert "warning:" not in cli("build", "--engine", engine, "--data", FIXTURES / "valid_model.ttl",
                                 "--out", tmp_path / "model", "--skip", "pictures").out


def test_a_label_xml_cannot_hold_is_named_not_a_crash(cli, tmp_path):
    # Turtle allows \u0001 in a literal; GEXF (XML 1.0) does not: the user is told which text to mend
    bad = tmp_path / "control.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/llmkg/id/> .\n"
                   "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                   "@prefix llmkg: <https://w3id.org/llmkg/ontology#> .\n"
                   'kg:Bad a llmkg:LargeLanguageModel ; rdfs:label "bad \\u0001 name"@en .\n', encoding="utf-8")
    for args in (("build", "--data", bad, "--out", tmp_path / "out", "--skip", "pictures"),
                 ("export", "--data", bad, "--format", "gexf", "-o", tmp_path / "g.gexf",
                  "--build-dir", tmp_path / "stores")):
        r = cli(*args)
        assert r.code == 2, r.err
        assert "cannot write GEXF: the text 'bad \\x01 name' holds U+0001" in r.err
        assert "Traceback" not in r.err and "internal error" not in r.err
    assert not (tmp_path / "g.gexf").exists()
    r = cli("export", "--data", bad, "--format", "graphml", "-o", tmp_path / "g.graphml", "--build-dir", tmp_path / "stores")
    assert r.code == 2 and "cannot write GraphML: the text 'bad \\x01 name' holds U+0001" in r.err, r.err
    assert "internal error" not in r.err and not (tmp_path / "g.graphml").exists()
    # and validate says so first, naming the node, the property and the fix; the text report shows
    # the character escaped (a terminal would act on it)
    r = cli("validate", "--data", bad)
    assert "(bad \\x01 name)" in r.out and "\x01" not in r.out, r.out
    r = cli("validate", bad, "--format", "json")
    found = [f for f in json.loads(r.out)["findings"] if f["rule"] == "xml-character"]
    assert r.code == 1 and len(found) == 1 and "U+0001" in found[0]["message"], r.out
    assert found[0]["focus_node"].endswith("Bad") and found[0]["path"].endswith("label")
    # written as it is (Turtle allows that too), as other escapes, and a backslash that escapes nothing of the
    # kind; --data alone, so that no shipped file's backslash makes the check read every literal anyway
    cases = {b"\x02": ["U+0002"], b"\\uFFFE": ["U+FFFE"], "\uffff".encode(): ["U+FFFF"], b"\\\"": [], b"": []}
    for i, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"case{i}.ttl"
        path.write_bytes(bad.read_bytes().replace(b"\\u0001", text))
        r = cli("validate", "--data", path, "--format", "json")
        messages = [f["message"] for f in json.loads(r.out)["findings"] if f["rule"] == "xml-character"]
        assert [re.search(r"U\+[0-9A-F]{4}", m).group() for m in messages] == expected, r.out


def test_reading_commands_on_data_without_triples_say_so_each_time(cli, tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    for _ in range(2):  # the store is built the first time, read the second: both say it
        r = cli("query", "--data", empty, "timeline")
        assert r.code == 0 and "(0 rows)" in r.out
        assert r.err.count(f"warning: the data ({empty}) holds no triples") == 1
    assert "warning:" not in cli("query", "--data", FIXTURES / "valid_model.ttl", "timeline").err


@pytest.mark.parametrize("engine", ["oxigraph", "reference"])
def test_build_skip_leaves_stages_out_and_removes_their_stale_files(cli, tmp_path, engine):
    out = tmp_path / "out"
    out.mkdir()
    for stale in ("llmkg-inferred.ttl", "llmkg-overview.png", "llmkg-timeline.png"):
        (out / stale).write_text("from an older build", encoding="utf-8")
    r = cli("build", "--engine", engine, "--data", FIXTURES / "network" / "mini.ttl", "--out", out,
            "--skip", "pictures", "--skip", "turtle")
    assert r.code == 1, r.out  # the small fixture lacks sources and definitions: findings, yet everything is written
    assert "skipped: turtle, pictures (--skip)" in r.out
    stages = r.out.split("stage     seconds")[1]
    assert "pictures" not in stages and "turtle" not in stages and "export" in stages
    assert sorted(p.name for p in out.iterdir()) == [".store.versions", "llmkg.gexf", "queries", "store",
                                                     "validation.txt"]
    assert len(list((out / "queries").glob("*.csv"))) == len(load_catalogue())
    assert f"wrote {len(load_catalogue()) + 2} files" in r.out  # the CSVs, the GEXF, the report


def test_build_skip_of_an_unknown_stage_is_a_usage_error(cli, tmp_path):
    from llmkg.pipeline import build
    from llmkg.errors import InputError

    assert cli("build", "--skip", "queries", "--out", tmp_path).code == 2
    with pytest.raises(InputError, match="stages that can be skipped are turtle, pictures"):
        build(out=tmp_path, skip=["validate"])


@pytest.mark.parametrize("command", ["build", "validate", "query", "export", "stats"])
def test_every_command_has_help_with_an_example(cli, command):
    r = cli(command, "--help")
    assert r.code == 0
    assert f"llmkg {command}" in r.out.split("examples:")[1]


def test_no_command_prints_help_and_exits_2(cli):
    r = cli()
    assert r.code == 2 and "COMMAND" in r.out


def test_python_dash_m_runs(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    p = subprocess.run([sys.executable, "-m", "llmkg", "query", "ASK { kg:GPT-4 a llmkg:LargeModel }"],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0 and p.stdout == "true\n"


# --- render, serve, publish, remote query (the library is tested in test_render/serve/publish/remote) ---

def test_render_writes_both_pictures(cli, tmp_path):
    r = cli("render", "-o", tmp_path)
    assert r.code == 0
    for name in ("llmkg-overview.png", "llmkg-timeline.png"):
        assert f"wrote {tmp_path / name}" in r.out
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_build_draws_the_pictures_too(cli, tmp_path):
    assert cli("build", "--out", tmp_path).code == 0
    assert (tmp_path / "llmkg-overview.png").stat().st_size > 10_000
    assert (tmp_path / "llmkg-timeline.png").stat().st_size > 10_000


def test_publish_to_a_closed_port_is_a_clear_error(cli):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = cli("publish", "--store", f"http://127.0.0.1:{port}/store")
    assert r.code == 2
    assert r.err.startswith("Error: ") and f"127.0.0.1:{port}" in r.err and "Traceback" not in r.err


def test_publish_refuses_credentials_in_the_url(cli):
    r = cli("publish", "--store", "http://admin:secret@127.0.0.1:1/store")
    assert r.code == 2
    assert "secret" not in r.err and "LLMKG_STORE_USER" in r.err


def test_query_endpoint_and_data_do_not_mix(cli):
    r = cli("query", "--endpoint", "http://127.0.0.1:1/query", "--data", "data", "timeline")
    assert r.code == 2 and "--data and --endpoint do not go together" in r.err


def test_query_endpoint_against_llmkg_serve(cli, shipped):
    import threading

    from llmkg.web.serve import make_server

    server = make_server(shipped.store, "127.0.0.1", 0, workers=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        q = "SELECT ?m WHERE { kg:OpenAI llmkg:develops ?m } ORDER BY ?m"
        remote = cli("query", "--endpoint", server.url, q, "--format", "csv")
        local = cli("query", q, "--format", "csv")
        assert remote.code == 0, remote.err
        assert remote.out == local.out
    finally:
        server.shutdown()
        server.close()


def test_the_llmkg_command_flushes_its_output_and_exits_with_mains_code(cli, tmp_path):
    """`llmkg` (python -m llmkg, the console script's run()) leaves without tearing the heap
    down: what it printed must still arrive whole, and the exit code must be main()'s."""
    import subprocess
    import sys

    from conftest import ROOT

    def llmkg(*args):
        done = subprocess.run([sys.executable, "-m", "llmkg", *map(str, args)], capture_output=True,
                              cwd=ROOT, timeout=300)  # bytes: CSV's \r\n stays as written
        return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())

    r = llmkg("query", "timeline", "--format", "csv")
    assert r.returncode == 0 and r.stdout == cli("query", "timeline", "--format", "csv").out
    assert r.stdout.count("\n") > 50
    r = llmkg("validate", FIXTURES / "bad" / "bad_date.ttl")
    assert r.returncode == 1 and "bad_date.ttl" in r.stdout + r.stderr
    r = llmkg("build", "--data", tmp_path / "missing.ttl", "--out", tmp_path / "out")
    assert r.returncode == 2 and r.stderr.startswith("Error:")


def test_validate_only_files_judges_the_given_files_alone(cli, tmp_path):
    # the shipped data has two warnings of its own; a clean file passes --fail-on warning by itself
    r = cli("validate", FIXTURES / "valid_model.ttl", "--only-files", "--fail-on", "warning")
    assert r.code == 0, r.out
    assert "data/models.ttl" not in r.out and r.out.startswith("1 files checked: 0 errors, 0 warnings")
    r = cli("validate", FIXTURES / "broken_shape.ttl", "--only-files", "--format", "json")
    findings = json.loads(r.out)["findings"]
    assert r.code == 1 and findings and {f["file"] for f in findings} == {"tests/fixtures/broken_shape.ttl"}
    assert cli("validate", "--only-files").code == 2


def test_a_misspelt_term_in_a_query_gets_a_suggestion_and_still_runs(cli):
    r = cli("query", "SELECT ?m WHERE { ?m a llmkg:LargeLanguageModle }")
    assert r.code == 0 and "(0 rows)" in r.out
    assert "warning: llmkg:LargeLanguageModle is not a term of the ontology; did you mean llmkg:LargeLanguageModel?" \
        in r.err
    r = cli("query", "SELECT ?m WHERE { ?m a llmkg:LargeLanguageModel ; rdfs:comment 'llmkg:Nothing' } # llmkg:Nope")
    assert "warning" not in r.err  # strings and comments are not terms
    assert "warning" not in cli("query", "PREFIX llmkg: <urn:other#> SELECT ?x WHERE { ?x a llmkg:Thing }").err


def test_data_takes_several_paths_in_every_command(cli):
    q = "SELECT (COUNT(*) AS ?n) WHERE { kg:ExampleMedLM a llmkg:LargeModel }"
    r = cli("query", "--data", "data", FIXTURES / "valid_model.ttl", q, "--format", "csv")
    assert r.code == 0 and r.out.splitlines()[1] == "1", r.err
    r = cli("validate", "--data", "data", FIXTURES / "valid_model.ttl")
    assert r.code == 0 and "8 files checked" in r.out


def test_version(cli):
    from llmkg import __version__

    r = cli("--version")
    assert r.code == 0 and r.out.strip() == f"llmkg {__version__}"
