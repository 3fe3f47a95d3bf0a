"""The catalogue importers: Epoch AI's CSV and Hugging Face model cards, on small fixtures."""
from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter

import pytest
import yaml
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

import llmkg
from llmkg.errors import InputError
from llmkg.sources.importers import (
    HF_RELATIONS, SHIPPED_COUNTRIES, SHIPPED_TASKS, FrontMatterError, Unparsed, hf_model_iri,
    import_epoch, import_hf, model_class, parse_count, parse_date, parse_front_matter, serialize,
)

from conftest import FIXTURES
from llmkg.sources.importers import cards as front_matter

IMPORT = FIXTURES / "import"
EPOCH = IMPORT / "epoch.csv"
CARDS = IMPORT / "hf_cards"
JSONL = IMPORT / "hf_models.jsonl"
KG = "https://w3id.org/llmkg/id/"
LLMKG = "https://w3id.org/llmkg/ontology#"
SCHEMA = "https://schema.org/"


class XSD:  # plain IRIs: pytest's collection trips over rdflib's XSD namespace object
    date, gYear, gYearMonth, integer, language = (
        URIRef("http://www.w3.org/2001/XMLSchema#" + n) for n in ("date", "gYear", "gYearMonth", "integer", "language"))


def L(name):
    return URIRef(LLMKG + name)


def epoch_model(name):
    from urllib.parse import quote
    return URIRef(KG + "epoch/model/" + quote(name, safe="-._~"))


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("175000000000", 175000000000), ("1.75e11", 175000000000), ("175000000000.0", 175000000000),
    ("7e9", 7000000000), ("+12", 12), ("1E+3", 1000),
])
def test_counts_read_only_plain_numbers(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["175B", "1,000", "1.5", "-5", "0", "1e-3", "", "seven", "1.2.3"])
def test_counts_refuse_ambiguous_or_bad_values(text):
    with pytest.raises(ValueError):
        parse_count(text)


@pytest.mark.parametrize("text, lexical, datatype", [
    ("2023", "2023", XSD.gYear), ("2023-03", "2023-03", XSD.gYearMonth),
    ("2023-03-14", "2023-03-14", XSD.date), ("2023-03-14 00:00:00", "2023-03-14", XSD.date),
    ("2023-03-14T10:00:00Z", "2023-03-14", XSD.date),
])
def test_dates_keep_their_precision(text, lexical, datatype):
    lit = parse_date(text)
    assert (str(lit), lit.datatype) == (lexical, datatype)


@pytest.mark.parametrize("text", ["20/11/2021", "2023-02-30", "2023-13", "March 2023", "23"])
def test_dates_refuse_other_forms(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_class_rule_is_conservative():
    assert model_class(None, {"language"}) == L("MachineLearningModel")
    assert model_class(5_000_000, {"language"}) == L("SmallModel")
    assert model_class(10 ** 8, {"language"}) == L("LargeLanguageModel")
    assert model_class(10 ** 9, {"vision"}) == L("VisionModel")
    assert model_class(10 ** 9, {"language", "vision"}) == L("MultimodalModel")
    assert model_class(10 ** 9, {"multimodal"}) == L("MultimodalModel")
    assert model_class(10 ** 9, {"games"}) == L("DecisionModel")
    assert model_class(10 ** 9, {"biology"}) == L("LargeModel")


def test_shipped_vocabulary_is_restated_exactly(shipped):
    """Reused countries and tasks exist in data/ with the English label the importers write."""
    for local, label in [v for v in SHIPPED_COUNTRIES.values()] + list(SHIPPED_TASKS.items()):
        node = URIRef(KG + local)
        assert Literal(label, lang="en") in set(shipped.asserted.objects(node, RDFS.label)), local


# ---------------------------------------------------------------------------
# Epoch AI
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def epoch():
    return import_epoch(EPOCH)


def test_epoch_counts_and_skips(epoch):
    assert (epoch.rows_read, epoch.rows_imported) == (9, 7)
    assert epoch.skipped == [
        (7, "no model name (column 'Model' is empty)"),
        (9, "model 'GPT-3 175B (davinci)' again (first at line 2); the first row is kept"),
    ]
    assert epoch.unknown_columns == ["Citations", "Notability criteria", "Last modified"]
    assert epoch.unmapped_columns == ["Training compute (FLOP)"]
    assert epoch.stubs == ["Old Base Model"]
    assert epoch.resolved_bases == 2


def test_epoch_reports_every_value_it_leaves_out(epoch):
    dropped = {(line, fld, value) for line, fld, value, _ in epoch.dropped}
    assert dropped == {
        (6, "Country (of organization)", "Multinational"),
        (8, "Parameters", "175B"), (8, "Publication date", "20/11/2021"),
        (8, "Model accessibility", "Something else"),
        (10, "Parameters", "-5"), (10, "Publication date", "2024-02-30"), (10, "Link", "not a link"),
    }
    text = epoch.summary()
    for needle in ("7 of 9 rows imported, 2 skipped", "stub: Old Base Model", "175B",
                   "Training compute (FLOP)", "Citations", "'Fine Tune X' has no organisation"):
        assert needle in text


def test_epoch_maps_a_row_to_the_ontology(epoch):
    g = epoch.graph
    gpt3 = epoch_model("GPT-3 175B (davinci)")
    assert (gpt3, RDF.type, L("LargeLanguageModel")) in g
    assert set(g.objects(gpt3, RDFS.label)) == {Literal("GPT-3 175B (davinci)", lang="en")}
    assert g.value(gpt3, L("parameterCount")) == Literal(175000000000, datatype=XSD.integer)
    assert g.value(gpt3, L("releaseDate")) == Literal("2020-05-28", datatype=XSD.date)
    assert g.value(gpt3, L("openWeights")) == Literal(False)
    assert g.value(gpt3, L("performsTask")) == URIRef(KG + "TextGeneration")
    assert (gpt3, L("hasModality"), URIRef(KG + "Text")) in g
    # an organisation the shipped data holds is reused, not minted again, and keeps its shipped country
    openai = g.value(gpt3, L("developedBy"))
    assert openai == URIRef(KG + "OpenAI")
    assert set(g.objects(openai, RDFS.label)) == {Literal("OpenAI", lang="en")}
    assert g.value(openai, L("country")) is None
    assert g.value(gpt3, RDFS.comment) == Literal("line 2 of epoch.csv", lang="en")
    med = epoch_model("Example Med 7B")
    assert g.value(med, L("releaseDate")) == Literal("2023-11", datatype=XSD.gYearMonth)
    assert g.value(med, L("openWeights")) == Literal(True)
    assert g.value(med, L("basedOn")) == epoch_model("Llama 2-7B")
    countries = {g.value(o, L("country")) for o in g.objects(med, L("developedBy"))}
    assert countries == {URIRef(KG + "China"), URIRef(KG + "UnitedKingdom")}
    assert (epoch_model("Tiny Vision"), RDF.type, L("SmallModel")) in g
    assert (epoch_model("Gato-like"), RDF.type, L("MultimodalModel")) in g
    assert (epoch_model("Mystery"), RDF.type, L("MachineLearningModel")) in g  # its size was unreadable
    stub = epoch_model("Old Base Model")
    assert (stub, RDF.type, L("MachineLearningModel")) in g
    assert "stub" in str(g.value(stub, RDFS.comment))


def test_epoch_provenance(epoch):
    g = epoch.graph
    sources = [s for s in g.subjects(RDF.type, L("Source")) if "/import/" in str(s)]
    assert len(sources) == 1
    run = sources[0]
    assert g.value(run, DCTERMS.type) == URIRef(KG + "Dataset")
    assert g.value(run, DCTERMS.date).datatype == XSD.date
    assert g.value(run, DCTERMS.title) == Literal("epoch.csv")
    assert {l.language for l in g.objects(run, RDFS.label)} == {"en", "zh"}
    activity = g.value(predicate=PROV.used, object=run)
    for node in set(g.subjects(RDF.type, None)):
        if str(node).startswith(KG + "epoch/"):
            assert (node, DCTERMS.source, run) in g, node
            assert (node, PROV.wasGeneratedBy, activity) in g, node
            # imported names are never passed off as Chinese
            assert all(l.language == "en" for l in g.objects(node, RDFS.label)), node
    paper = g.value(epoch_model("GPT-3 175B (davinci)"), DCTERMS.source, any=True)
    assert paper is not None
    papers = [s for s in g.objects(epoch_model("GPT-3 175B (davinci)"), DCTERMS.source) if s != run]
    assert g.value(papers[0], DCTERMS.type) == URIRef(KG + "ResearchPaper")


def test_epoch_headers_match_through_aliases(tmp_path):
    f = tmp_path / "v2.csv"
    f.write_text("SYSTEM,organisation,publication_date,PARAMETERS\nFoo,Bar Lab,2021-02,2e8\n", encoding="utf-8")
    r = import_epoch(f)
    assert r.rows_imported == 1 and not r.unknown_columns
    assert (epoch_model("Foo"), RDF.type, L("LargeModel")) in r.graph


def test_epoch_output_is_idempotent(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    import_epoch(EPOCH, a)
    import_epoch(EPOCH, b)
    assert a.read_bytes() == b.read_bytes()
    nt1, nt2 = tmp_path / "a.nt", tmp_path / "b.nt"
    import_epoch(EPOCH, nt1)
    import_epoch(EPOCH, nt2)
    assert nt1.read_bytes() == nt2.read_bytes()
    # both forms hold the same graph
    assert Graph().parse(a, format="turtle").isomorphic(Graph().parse(nt1, format="nt"))


def test_turtle_output_is_sorted_one_subject_a_line_with_the_project_prefixes(tmp_path):
    from llmkg import vocab

    out = tmp_path / "epoch.ttl"
    import_epoch(EPOCH, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    prefixes = dict(re.match(r"@prefix (\w+): <(.*)> \.$", line).groups() for line in lines if line.startswith("@prefix"))
    assert prefixes == vocab.PREFIXES
    # a line that does not start with a tab starts a subject's description, with its class first
    starts = [line for line in lines if not line.startswith(("\t", "@prefix"))]
    subjects = [vocab.expand(line.split()[0].replace("\\", "")) for line in starts]
    assert subjects == sorted(subjects) and len(subjects) == len(set(subjects))
    assert set(subjects) == {str(s) for s in import_epoch(EPOCH).graph.subjects()}
    assert all(line.split()[1] == "a" for line in starts)


def test_output_is_the_same_in_every_process(tmp_path):
    """Sorted, not in the order of a hash: two processes with different hash seeds write the same bytes."""
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"hf-{seed}.nt"
        code = f"from llmkg.sources.importers import import_hf; import_hf({str(JSONL)!r}, {str(out)!r})"
        subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    subjects = [line.split()[0].strip("<>") for line in outputs[0].decode("utf-8").splitlines()]
    assert subjects == sorted(subjects)  # grouped by subject, in order


def test_epoch_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_epoch(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        import_epoch(empty)
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("Organization,Parameters\nOpenAI,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no column with the model's name; looked for .*'Model', 'System'"):
        import_epoch(nameless)


def test_epoch_import_validates_except_the_known_gaps(tmp_path):
    """With the shipped data, the import fails only the shapes the report names."""
    out = tmp_path / "epoch.ttl"
    import_epoch(EPOCH, out)
    report = llmkg.validate([out])
    mine = [f for f in report.findings if f.file.endswith("epoch.ttl")]
    rules = Counter((f.severity, f.rule) for f in mine)
    # catalogues have no Chinese names or definitions: for imported nodes those are info
    assert {("info", "shapes:ChineseLabel"), ("info", "shapes:EnglishDefinition")} <= set(rules)
    assert set(rules) <= {
        ("info", "shapes:ChineseLabel"), ("info", "shapes:ChineseDefinition"),
        ("info", "shapes:EnglishDefinition"), ("warning", "shapes:ModelShape"),
        ("error", "shapes:ModelShape"), ("warning", "shapes:CountryOrNote"),
        ("warning", "shapes:SourceShape"), ("error", "shapes:SourceShape"),
    }
    # errors beyond the missing Chinese labels are real gaps in the input, each explained
    assert {f.focus_node.split("/")[-1] for f in mine
            if f.severity == "error" and f.rule == "shapes:ModelShape"} == {"Fine%20Tune%20X>", "Old%20Base%20Model>"}
    # "OpenAI" in the CSV is the shipped kg:OpenAI, so no duplicate label
    assert not [f for f in report.findings if f.rule == "duplicate-label"]
    assert not [f for f in report.findings if f.rule in ("dangling-reference", "undeclared-term", "consistency")]


# ---------------------------------------------------------------------------
# Front matter
# ---------------------------------------------------------------------------

@pytest.fixture(params=["CBaseLoader", "BaseLoader"])
def loader(request, monkeypatch):
    """Each test of the front matter runs with PyYAML's C loader and with its Python one: the same reading."""
    if not hasattr(yaml, request.param):
        pytest.skip(f"PyYAML built without libyaml: no {request.param}")
    monkeypatch.setattr(front_matter, "LOADER", getattr(yaml, request.param))
    return request.param


def test_front_matter_subset(loader):
    text = ("---\n# comment\nlicense: apache-2.0\nlanguage:\n- en\n-   'zh'\ndatasets: [a/b, \"c d\", 'e']\n"
            "base_model:\n  - org/x  # trailing comment\nempty:\nno: no\nmodel-index:\n- name: m\n  results: []\n"
            "widget:\n  text: hi\nprompt: '{p}\n\n  '\ndesc: >\n  folded\n---\n# body\n")
    fields, where, end = parse_front_matter(text)
    assert fields["license"] == "apache-2.0"
    assert fields["language"] == ["en", "zh"]
    assert fields["datasets"] == ["a/b", "c d", "e"]
    assert fields["base_model"] == ["org/x"]
    assert fields["empty"] is None
    assert fields["no"] == "no"  # a string, never YAML 1.1's False
    assert isinstance(fields["model-index"], Unparsed) and isinstance(fields["widget"], Unparsed)
    # a block scalar is a string in YAML: read now (the hand-written reader could not, and left it Unparsed)
    assert fields["desc"] == "folded\n"
    assert fields["prompt"] == "{p}\n"
    assert where["datasets"] == 7 and end == 22


def test_front_matter_keeps_every_scalar_a_string(loader):
    text = ("---\nno: no\ninference: false\nversion: 1.0\nsize: 7e9\nreleased: 2023-07-18\n"
            "quoted: 'null'\nplain: null\ntilde: ~\nlist: [yes, No, ~, '']\ntagged: !!int 5\n---\n")
    fields, _, _ = parse_front_matter(text)
    assert fields == {"no": "no", "inference": "false", "version": "1.0", "size": "7e9", "released": "2023-07-18",
                      "quoted": "null", "plain": None, "tilde": None, "list": ["yes", "No", ""], "tagged": "5"}


def test_front_matter_reads_what_yaml_reads(loader):
    """YAML that the hand-written reader refused and PyYAML reads (as the Hub does) is read, not refused:
    anchors and aliases (yaml.dump writes them for shared values), values over several lines
    (yaml.dump folds long ones), lists over several lines."""
    text = ("---\nlicense: &licence apache-2.0\nextra_license: *licence\n"
            "description: a long value that goes on\n  over the next line\n"
            "datasets: [a/b,\n  c/d]\nlanguage: &langs\n- en\nalso: *langs\n---\n")
    fields, where, end = parse_front_matter(text)
    assert fields["license"] == fields["extra_license"] == "apache-2.0"
    assert fields["description"] == "a long value that goes on over the next line"
    assert fields["datasets"] == ["a/b", "c/d"]
    assert fields["language"] == fields["also"] == ["en"]
    assert where == {"license": 2, "extra_license": 3, "description": 4, "datasets": 6, "language": 8, "also": 10}
    assert end == 11


@pytest.mark.parametrize("text, line, reason", [
    ("---\nlicense: mit\n", 2, "no closing"),
    ("---\nlicense: mit\nlicense: apache-2.0\n---\n", 3, "appears twice (first at line 2)"),
    ("---\njust words\n---\n", 2, "expected 'key: value'"),
    ("---\nlicense: mit\njust words\n---\n", 3, "expected 'key: value', found 'just words'"),
    ("---\ndatasets: [a, b\n---\n", 2, "does not end"),
    ("---\nwidget: {text: hi\n---\n", 2, "does not end"),
    ("---\nname: \"open\n---\n", 2, "never closed"),
    ("---\nname: 'open\n---\n", 2, "never closed"),
    ("---\nname: \"a \\q\"\n---\n", 2, "escape"),
    ("---\n- a\n---\n", 2, "before any key"),
    ("---\nlicense: mit\n- a\n---\n", 3, "found '- a'"),
    ("---\nbase_model:\n\t- a\n---\n", 3, "a tab"),
    ("---\nlicense: *anchor\n---\n", 2, "an alias (*anchor) to an anchor defined nowhere"),
    ("---\ntitle: Llama 2: the sequel\n---\n", 2, "put the value in quotes"),
    ("---\nhandle: @someone\n---\n", 2, "'@', which YAML reserves"),
    ("---\n? [a, b]\n: c\n---\n", 2, "a key that is a list"),
])
def test_front_matter_errors_are_located(loader, text, line, reason):
    with pytest.raises(FrontMatterError) as e:
        parse_front_matter(text)
    assert e.value.line == line and reason in e.value.reason


def test_front_matter_without_libyaml_uses_the_python_loader(monkeypatch):
    monkeypatch.delattr(yaml, "CBaseLoader", raising=False)
    assert front_matter.yaml_loader() is yaml.BaseLoader


# ---------------------------------------------------------------------------
# Hugging Face
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cards():
    return import_hf(CARDS)


def test_hf_cards(cards):
    g = cards.graph
    assert (cards.rows_read, cards.rows_imported) == (5, 4)
    assert cards.skipped == [("plain/no-front-matter/README.md:1", "no YAML front matter (no '---' on the first line)")]
    llama = hf_model_iri("meta-llama/Llama-2-7b-hf")
    assert str(llama) == KG + "hf/meta-llama/Llama-2-7b-hf"
    assert (llama, SKOS.exactMatch, URIRef("https://huggingface.co/meta-llama/Llama-2-7b-hf")) in g
    assert (llama, RDF.type, L("MachineLearningModel")) in g  # a card gives no size
    assert g.value(llama, L("performsTask")) == URIRef(KG + "TextGeneration")
    assert g.value(llama, DCTERMS.license) == Literal("llama2")
    org = g.value(llama, L("developedBy"))
    assert org == URIRef(KG + "hf/meta-llama") and g.value(org, RDFS.label) == Literal("meta-llama", lang="en")
    assert g.value(llama, RDFS.comment) == Literal("front matter of meta-llama/Llama-2-7b-hf/README.md", lang="en")

    gguf = hf_model_iri("TheBloke/Llama-2-7B-GGUF")
    assert (gguf, HF_RELATIONS["quantized"], llama) in g
    assert g.value(gguf, URIRef(SCHEMA + "softwareRequirements")) == Literal("gguf")

    lora = hf_model_iri("alice/llama2-med-lora")
    assert (lora, HF_RELATIONS["adapter"], llama) in g
    assert g.value(lora, DCTERMS.license) == URIRef("https://spdx.org/licenses/Apache-2.0")
    assert set(g.objects(lora, DCTERMS.language)) == {Literal("en", datatype=XSD.language),
                                                     Literal("zh", datatype=XSD.language)}
    datasets = set(g.objects(lora, URIRef(SCHEMA + "isBasedOn")))
    assert datasets == {URIRef(KG + "hf-dataset/alice/med-qa"), URIRef(KG + "hf-dataset/pubmed_qa")}
    assert all((d, RDF.type, URIRef(SCHEMA + "Dataset")) in g for d in datasets)
    assert g.value(lora, L("performsTask")) == URIRef(KG + "QuestionAnswering")

    merged = hf_model_iri("bob/merged-7b")
    assert set(g.objects(merged, HF_RELATIONS["merge"])) == {lora, hf_model_iri("mistralai/Mistral-7B-v0.1")}
    assert g.value(merged, DCTERMS.license) == URIRef("https://spdx.org/licenses/CC-BY-NC-4.0")
    assert g.value(merged, L("performsTask")) == URIRef(KG + "hf-task/fill-mask")
    assert cards.stubs == ["mistralai/Mistral-7B-v0.1"] and cards.resolved_bases == 3
    assert [d[1:3] for d in cards.dropped] == [("language", "multilingual")]
    unknown = " ".join(cards.unknown_columns)
    for key in ("model-index", "tags", "extra_gated_fields", "description", "quantized_by"):
        assert key in unknown


def test_hf_card_values_left_out_name_the_line_of_their_key(cards, tmp_path):
    assert cards.dropped == [("alice/llama2-med-lora/README.md:11", "language", "multilingual",
                              "not a BCP 47 language tag")]
    card = tmp_path / "org" / "m" / "README.md"
    card.parent.mkdir(parents=True)
    card.write_text("---\nlicense: mit\nbase_model:\n  org: x\nlanguage:\n- en\n- not a tag\n---\n", encoding="utf-8")
    r = import_hf(tmp_path)
    assert r.dropped == [
        ("org/m/README.md:3", "base_model", "<nested block at line 3>",
         "base_model is not a string or a list of strings (a nested YAML block is not read)"),
        ("org/m/README.md:5", "language", "not a tag", "not a BCP 47 language tag"),
    ]
    assert "org/m/README.md:5: language 'not a tag'" in r.summary()


def test_hf_jsonl(tmp_path):
    r = import_hf(JSONL)
    g = r.graph
    assert (r.rows_read, r.rows_imported) == (7, 5)
    assert r.skipped == [(7, "no valid model id (got 'not a valid id!'); give 'id': 'org/name'"),
                         (8, "model 'alice/llama2-med-lora' again; the first one is kept")]
    llama = hf_model_iri("meta-llama/Llama-2-7b-hf")
    assert (llama, RDF.type, L("LargeLanguageModel")) in g  # safetensors.total = 6.7e9
    assert g.value(llama, L("parameterCount")) == Literal(6738415616, datatype=XSD.integer)
    assert g.value(llama, DCTERMS.language) == Literal("en", datatype=XSD.language)  # from cardData
    tiny = hf_model_iri("carol/tiny-bert")
    assert (tiny, RDF.type, L("SmallModel")) in g
    assert (tiny, HF_RELATIONS["finetune"], hf_model_iri("google-bert/bert-base-uncased")) in g
    assert HF_RELATIONS["finetune"] == L("fineTunedFrom")
    assert (hf_model_iri("dave/chat-ft"), RDF.type, L("MultimodalModel")) in g
    odd = hf_model_iri("eve/odd")
    assert (odd, L("basedOn"), llama) in g  # case-insensitive id; unknown relation → basedOn, reported
    assert g.value(odd, DCTERMS.language) == Literal("no", datatype=XSD.language)  # Norwegian, not False
    assert [d[1:3] for d in r.dropped] == [("base_model_relation", "distill")]
    assert r.stubs == ["google-bert/bert-base-uncased"]
    assert r.unknown_columns == ["downloads (1 models)"]


def test_hf_errors_and_skip_mode(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_hf(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no model cards"):
        import_hf(tmp_path / "empty")
    bad = tmp_path / "cards" / "org" / "m"
    bad.mkdir(parents=True)
    (bad / "README.md").write_text("---\nlicense: mit\nlicense: mit\n---\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"org/m/README.md:3: front matter cannot be read: .*twice"):
        import_hf(tmp_path / "cards")
    r = import_hf(tmp_path / "cards", on_error="skip")
    assert r.rows_imported == 0 and r.skipped[0][0] == "org/m/README.md:3"
    lines = tmp_path / "m.jsonl"
    lines.write_text('{"id": "a/b"}\n{"id": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"m.jsonl:2: not a JSON object"):
        import_hf(lines)
    assert import_hf(lines, on_error="skip").rows_imported == 1


def test_hf_output_is_idempotent_and_independent_of_where_it_runs(tmp_path):
    copy = tmp_path / "elsewhere" / "hf_cards"
    shutil.copytree(CARDS, copy)
    for f in copy.rglob("*.md"):  # same bytes and same day: same output
        st = (CARDS / f.relative_to(copy)).stat()
        os.utime(f, (st.st_atime, st.st_mtime))
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    import_hf(CARDS, a)
    import_hf(copy, b)
    assert a.read_bytes() == b.read_bytes()
    assert serialize(import_hf(JSONL).graph) == serialize(import_hf(JSONL).graph)


def test_hf_import_is_well_formed(tmp_path):
    out = tmp_path / "hf.ttl"
    import_hf(JSONL, out)
    report = llmkg.validate([out])
    assert not [f for f in report.findings if f.rule in ("dangling-reference", "undeclared-term", "consistency")]
    assert not [f for f in report.input_errors]


# ---------------------------------------------------------------------------
# Shipped vocabulary and the command line
# ---------------------------------------------------------------------------

def test_dataset_kind_in_sources_matches_what_imports_write(shipped):
    from llmkg.sources.importers import DATASET_KIND, DATASET_KIND_TRIPLES

    assert set(shipped.asserted.predicate_objects(DATASET_KIND)) == set(DATASET_KIND_TRIPLES)


def test_shipped_organisations_are_reused_by_the_hub_importer(tmp_path):
    f = tmp_path / "m.jsonl"
    f.write_text('{"id": "google/some-model", "pipeline_tag": "text-generation"}\n', encoding="utf-8")
    g = import_hf(f).graph
    google = g.value(hf_model_iri("google/some-model"), L("developedBy"))
    assert google == URIRef(KG + "Google")
    assert set(g.objects(google, RDFS.label)) == {Literal("Google", lang="en")}


def test_cli_import_epoch_writes_turtle_and_a_summary(cli, tmp_path):
    out = tmp_path / "epoch.ttl"
    r = cli("import", "epoch", EPOCH, "-o", out)
    assert r.code == 1  # two rows were skipped: findings
    assert r.err == ""  # with -o the summary is the output
    assert "7 of 9 rows imported, 2 skipped" in r.out and f"wrote {out}" in r.out
    assert Graph().parse(out, format="turtle").isomorphic(import_epoch(EPOCH).graph)


def test_cli_import_hf_to_standard_output(cli):
    r = cli("import", "hf", CARDS)
    assert r.code == 1
    assert "4 of 5 models imported, 1 skipped" in r.err
    assert Graph().parse(data=r.out, format="turtle").isomorphic(import_hf(CARDS, on_error="skip").graph)


def test_cli_import_errors_exit_2(cli, tmp_path):
    r = cli("import", "hf", tmp_path / "missing")
    assert r.code == 2 and "no such file or directory" in r.err and "Traceback" not in r.err
    bad = tmp_path / "cards" / "org" / "m"
    bad.mkdir(parents=True)
    (bad / "README.md").write_text("---\nlicense: mit\nlicense: mit\n---\n", encoding="utf-8")
    r = cli("import", "hf", tmp_path / "cards", "--on-error", "raise")
    assert r.code == 2 and "org/m/README.md:3" in r.err and r.out == ""
    r = cli("import", "hf", tmp_path / "cards")
    assert r.code == 1 and "org/m/README.md:3" in r.err and r.out.startswith("@prefix")
    r = cli("import")
    assert r.code == 2 and "SOURCE" in r.err


def test_hf_one_card_is_read_as_a_card(cli, tmp_path):
    """One README.md (as `llmkg import hf` documents): its model is named by <org>/<name>/ above it,
    and imports as it does from the folder."""
    r = import_hf(CARDS / "bob" / "merged-7b" / "README.md")
    assert (r.rows_read, r.rows_imported) == (1, 1)
    merged = hf_model_iri("bob/merged-7b")
    whole = import_hf(CARDS).graph
    assert set(r.graph.objects(merged, HF_RELATIONS["merge"])) == set(whole.objects(merged, HF_RELATIONS["merge"]))
    assert r.graph.value(merged, DCTERMS.license) == whole.value(merged, DCTERMS.license)
    card = tmp_path / "Qwen__Qwen2-7B.markdown"  # not .md, but it opens with '---': still a card
    card.write_text("---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n# Qwen2\n", encoding="utf-8")
    assert import_hf(card).rows_imported == 1
    assert (hf_model_iri("Qwen/Qwen2-7B"), DCTERMS.license, URIRef("https://spdx.org/licenses/Apache-2.0")) \
        in import_hf(card).graph


def test_hf_a_file_that_is_not_json_lines_is_an_input_error(cli, tmp_path):
    turtle = tmp_path / "models.ttl"
    turtle.write_text("@prefix kg: <https://w3id.org/llmkg/id/> .\nkg:A a kg:B .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"models.ttl:1: .*not JSON Lines"):
        import_hf(turtle, on_error="skip")
    r = cli("import", "hf", turtle)
    assert r.code == 2 and "not JSON Lines" in r.err and "a model card (.md" in r.err and "Traceback" not in r.err


@pytest.mark.parametrize("source, fixture", [("epoch", "epoch.csv"), ("hf", "hf_models.jsonl"), ("hf", "hf_cards")])
def test_what_an_importer_writes_validates_or_the_summary_says_why_not(cli, tmp_path, source, fixture):
    """Checked with the shipped data as its context (the imports reuse its organisations): every error
    is on a node the import's summary names as one that will not validate."""
    out = tmp_path / "out.ttl"
    summary = cli("import", source, FIXTURES / "import" / fixture, "-o", out).out
    r = cli("validate", out, "--only-files", "--format", "json")
    errors = [f for f in json.loads(r.out)["findings"] if f["severity"] == "error"]
    warned = [line for line in summary.splitlines() if "will not validate" in line]
    for f in errors:
        assert any(f["label"] in line or ("stub" in line and f["label"] in summary) for line in warned), (f, summary)
