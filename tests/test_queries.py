"""Every catalogue query's exact answer on a snapshot of the shipped data.

The expected rows were worked out from data/*.ttl (and the seed articles they
cite), not copied from the queries' output: when the two disagree, either the
query or the data is wrong. They are pinned on tests/fixtures/catalogue/, a
copy of data/ these tests own, so that adding a model to data/ leaves them
green. Cells are compared as plain strings ("" for an unbound value).
"""
from __future__ import annotations

import csv
import io

import pytest

from conftest import FIXTURES
from llmkg.querying.catalogue import load_catalogue
from llmkg.querying.run import run

CATALOGUE = {q.name: q for q in load_catalogue()}
SNAPSHOT = FIXTURES / "catalogue"


@pytest.fixture(scope="module")
def snapshot():
    """The snapshot loaded and reasoned once."""
    from llmkg.reasoning.closure import reason_store
    from llmkg.store.load import load_store

    store = load_store([SNAPSHOT])
    reason_store(store)
    return store


@pytest.fixture(scope="module")
def results(snapshot):
    """name -> (SELECT variables, rows as tuples of str) for every catalogue query, run once."""
    out = {}
    for name, q in CATALOGUE.items():
        result = run(snapshot, q.text)
        rows = [tuple("" if t is None else t.value for t in row) for row in result]
        out[name] = (result.variables, rows)
    return out


@pytest.fixture(scope="module")
def answers(results):
    return {name: rows for name, (_, rows) in results.items()}


def column(rows, i):
    return [r[i] for r in rows]


# ---------------------------------------------------------------------------
# The catalogue as a whole
# ---------------------------------------------------------------------------

EXPECTED_QUERIES = {
    "application_levels", "architectures", "built_on_llama", "characteristics", "comparisons",
    "concept_scheme", "data_gaps", "historical_periods", "industry_models_and_bases",
    "large_vs_small", "largest_models", "lineage", "llm_vs_lmm", "milestones", "model_families",
    "models_by_country", "models_by_organization", "multimodal_models", "open_weights_by_size",
    "organizations_by_country", "problems", "qwen25_vl_variants", "reasoning_contribution",
    "small_models", "software_systems", "source_errors", "sources_per_model", "tasks", "taxonomy",
    "timeline", "training_methods", "version_chains",
}

PREFIXES = ("rdfs:", "skos:", "dcterms:", "llmkg:", "kg:", "xsd:", "owl:")


def test_catalogue_holds_every_query_with_a_full_header():
    assert EXPECTED_QUERIES <= set(CATALOGUE)
    assert len(CATALOGUE) >= 26
    for name, q in CATALOGUE.items():
        assert q.title and q.title_zh and q.question and q.question_zh, name
        assert q.columns, f"{name}: no '# columns:' block"
        assert all(q.columns.values()), name
        # prefixes are declared in the file, so it runs on any SPARQL store
        for prefix in PREFIXES:
            if prefix in q.text.split("\nSELECT", 1)[-1]:
                assert f"PREFIX {prefix}" in q.text, f"{name} uses {prefix} without declaring it"


def test_columns_in_header_equal_select_variables(results):
    for name, q in CATALOGUE.items():
        assert results[name][0] == list(q.columns), name


def test_every_query_answers_something_on_the_shipped_data(shipped):
    for name, q in CATALOGUE.items():
        assert len(run(shipped.store, q.text)), f"{name} returned no rows"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_cli_runs_each_query_as_csv(cli, answers, name):
    # the command line as a user runs it, on the built store (built once, by the first of these)
    r = cli("query", "--data", SNAPSHOT, name, "--format", "csv")
    assert r.code == 0, r.err
    table = list(csv.reader(io.StringIO(r.out)))
    assert table[0] == list(CATALOGUE[name].columns)
    assert [tuple(row) for row in table[1:]] == answers[name]


def test_cli_query_loads_and_reasons_by_itself(cli, answers, tmp_path):
    r = cli("query", "--data", SNAPSHOT, "--build-dir", tmp_path, "version_chains", "--format", "csv")
    assert "building the store" in r.err
    assert r.code == 0, r.err
    assert [tuple(row) for row in list(csv.reader(io.StringIO(r.out)))[1:]] == answers["version_chains"]


# ---------------------------------------------------------------------------
# The six original queries
# ---------------------------------------------------------------------------

def test_taxonomy(answers):
    assert answers["taxonomy"] == [
        ("machine-learning model", "机器学习模型", "", "59"),
        ("vertical large model (L2)", "垂直大模型（L2）", "industry large model (L1)", "0"),
        ("decision large model", "决策大模型", "large model", "2"),
        ("general-purpose large model (L0)", "通用大模型（L0）", "large model", "19"),
        ("industry large model (L1)", "行业大模型（L1）", "large model", "3"),
        ("large language model", "大语言模型", "large model", "26"),
        ("multimodal large model", "多模态大模型", "large model", "24"),
        ("vision large model", "视觉大模型", "large model", "9"),
        ("large model", "大模型", "machine-learning model", "53"),
        ("small model", "小模型", "machine-learning model", "6"),
    ]


def test_multimodal_models(answers):
    rows = answers["multimodal_models"]
    assert len({r[0] for r in rows}) == 24
    assert len(rows) == 61
    by_model = lambda m: [r[1:] for r in rows if r[0] == m]
    assert by_model("GPT-4o") == [("audio", "input and output"), ("image", "input"),
                                  ("text", "input and output"), ("video", "input")]
    assert by_model("GPT-4") == [("image", "input"), ("text", "input and output")]
    assert by_model("CLIP") == [("image", "input"), ("text", "input")]
    assert by_model("SkyReels-V1") == [("image", "input"), ("text", "input"), ("video", "output")]
    assert by_model("MusicLM") == [("audio", "output"), ("text", "input")]
    # no small model, software system or text-only model is multimodal
    for name in ("RT-1 (Robotics Transformer 1)", "DingoDB", "GPT-3", "ChatGPT", "AlphaGo"):
        assert not by_model(name), name


def test_industry_models_and_bases(answers):
    # None of the three industry models has a recorded base model (see the report on data gaps).
    assert answers["industry_models_and_bases"] == [
        ("DoctorGPT", "medicine and health care", ""),
        ("HuatuoGPT", "medicine and health care", ""),
        ("Trip.com Wendao", "travel and tourism", ""),
    ]


def test_models_by_organization(answers):
    rows = answers["models_by_organization"]
    assert len(rows) == 65  # 59 models, six of them with two or three developers
    openai = [r[2] for r in rows if r[0] == "OpenAI"]
    # by date as written: the year "2022" of GPT-3.5 sorts before any day in 2022
    assert openai == ["GPT-1", "GPT-2", "GPT-3", "CLIP", "DALL·E", "GPT-3.5", "DALL·E 2", "ChatGPT",
                      "GPT-4", "DALL·E 3", "GPT-4o", "OpenAI o1"]
    assert ("OpenAI", "United States", "GPT-3", "2020-05-28") in rows
    assert ("NHK (Japan Broadcasting Corporation)", "Japan", "Neocognitron", "1980") in rows
    assert ("Stability AI", "United Kingdom", "Stable Diffusion", "2022-08-22") in rows
    assert ("Université de Montréal", "Canada", "LeNet-5", "1998-11") in rows
    assert ("StepFun", "China", "Step-1.5V-mini", "") in rows
    assert rows[0] == ("01.AI", "China", "Yi-34B-Chat", "2023-11")
    assert rows[-1] == ("iFlytek", "China", "iFlytek Spark", "2023-05-06")


def test_timeline(answers):
    rows = answers["timeline"]
    assert len(rows) == 63  # 57 dated models, six extra rows for second and third developers
    assert rows[0] == ("1980", "Neocognitron", "新认知机", "NHK (Japan Broadcasting Corporation)")
    assert rows[1:3] == [("1998-11", "LeNet-5", "LeNet-5", "AT&T Bell Labs / AT&T Labs"),
                         ("1998-11", "LeNet-5", "LeNet-5", "Université de Montréal")]
    assert rows[-1] == ("2025-02-18", "SkyReels-V1", "SkyReels-V1", "Kunlun Tech")
    assert ("2018-06-11", "GPT-1", "GPT-1", "OpenAI") in rows
    assert ("2019-02-14", "GPT-2", "GPT-2", "OpenAI") in rows
    assert ("2022-11-30", "ChatGPT", "ChatGPT", "OpenAI") in rows
    assert ("2023-03-14", "GPT-4", "GPT-4", "OpenAI") in rows
    assert ("2023-05", "HuatuoGPT", "华佗GPT", "The Chinese University of Hong Kong, Shenzhen") in rows
    assert "PixVerse V3.5" not in column(rows, 1) and "Step-1.5V-mini" not in column(rows, 1)
    dates = column(rows, 0)
    assert dates == sorted(dates)


def test_data_gaps(answers):
    rows = answers["data_gaps"]
    assert len(rows) == 44  # 59 models, 14 with a published count, Qwen2.5-VL sized through its variants
    assert rows[-2:] == [("PixVerse V3.5", "release date, parameter count"),
                         ("Step-1.5V-mini", "release date, parameter count")]
    assert ("GPT-4", "parameter count") in rows
    assert ("LeNet-5", "parameter count") in rows
    sized = {"GPT-1", "GPT-2", "GPT-3", "DALL·E", "BERT", "T5", "Vision Transformer (ViT)", "LaMDA",
             "RT-1 (Robotics Transformer 1)", "VIMER-UFO 2.0", "ChatGLM-6B", "DeepSeek-V3",
             "DeepSeek-R1", "DeepSeek-R1-Zero"}
    assert not sized & set(column(rows, 0))
    assert "Qwen2.5-VL" not in column(rows, 0) and "Qwen2.5-VL-7B" in column(rows, 0)


# ---------------------------------------------------------------------------
# Lineage, families and versions
# ---------------------------------------------------------------------------

def test_lineage(answers):
    assert answers["lineage"] == [
        ("ChatGPT", "GPT-3.5", "1", "fine-tuned from"),
        ("DeepSeek-R1", "DeepSeek-V3", "1", "based on"),
        ("DeepSeek-R1-Zero", "DeepSeek-V3", "1", "based on"),
        ("SkyReels-V1", "HunyuanVideo", "1", "fine-tuned from"),
    ]


def test_lineage_counts_depth_through_intermediate_models(tmp_path):
    """On a three-step chain the query finds every ancestor with its depth."""
    from llmkg.reasoning.closure import reason_store
    from llmkg.store.load import load_store

    chain = tmp_path / "chain.ttl"
    chain.write_text("""
        @prefix llmkg: <https://w3id.org/llmkg/ontology#> . @prefix kg: <https://w3id.org/llmkg/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        kg:A a llmkg:LargeLanguageModel ; rdfs:label "A"@en .
        kg:B a llmkg:LargeLanguageModel ; rdfs:label "B"@en ; llmkg:basedOn kg:A .
        kg:C a llmkg:LargeLanguageModel ; rdfs:label "C"@en ; llmkg:distilledFrom kg:B .
        kg:D a llmkg:LargeLanguageModel ; rdfs:label "D"@en ; llmkg:fineTunedFrom kg:C .
    """, encoding="utf-8")
    store = load_store([chain])
    reason_store(store)
    rows = [tuple(t.value if t is not None else "" for t in r) for r in run(store, CATALOGUE["lineage"].text)]
    assert rows == [
        ("B", "A", "1", "based on"),
        ("C", "B", "1", "distilled from"),
        ("C", "A", "2", ""),
        ("D", "C", "1", "fine-tuned from"),
        ("D", "B", "2", ""),
        ("D", "A", "3", ""),
    ]


def test_model_families(answers):
    rows = answers["model_families"]
    assert len(rows) == 30
    gpt = [(r[2], r[3]) for r in rows if r[0] == "GPT family"]
    assert gpt == [("GPT-1", "2018-06-11"), ("GPT-2", "2019-02-14"), ("GPT-3", "2020-05-28"),
                   ("GPT-3.5", "2022"), ("ChatGPT", "2022-11-30"), ("GPT-4", "2023-03-14"),
                   ("GPT-4o", "2024-05-13")]
    assert {r[1] for r in rows if r[0] == "Qwen family"} == {"通义千问系列"}
    assert [r[2] for r in rows if r[0] == "Qwen family"] == [
        "Qwen (Tongyi Qianwen)", "Qwen2.5-VL", "Qwen2.5-VL-3B", "Qwen2.5-VL-72B", "Qwen2.5-VL-7B"]
    assert [r[2] for r in rows if r[0] == "DALL·E family"] == ["DALL·E", "DALL·E 2", "DALL·E 3"]
    assert sorted({r[0] for r in rows}) == [
        "Claude family", "DALL·E family", "DeepSeek family", "ERNIE (Wenxin) family", "GPT family",
        "Gemini family", "Hunyuan family", "LLaMA family", "Pangu family", "Qwen family"]


def test_version_chains(answers):
    assert answers["version_chains"] == [
        ("", "AlphaGo", "2016-01-27", "AlphaZero", "2017-12-05"),
        ("DALL·E family", "DALL·E", "2021-01-05", "DALL·E 2", "2022-04-06"),
        ("DALL·E family", "DALL·E 2", "2022-04-06", "DALL·E 3", "2023-09"),
        ("GPT family", "GPT-1", "2018-06-11", "GPT-2", "2019-02-14"),
        ("GPT family", "GPT-2", "2019-02-14", "GPT-3", "2020-05-28"),
        ("GPT family", "GPT-3", "2020-05-28", "GPT-3.5", "2022"),
        ("GPT family", "GPT-3.5", "2022", "GPT-4", "2023-03-14"),
        ("GPT family", "GPT-4", "2023-03-14", "GPT-4o", "2024-05-13"),
    ]


def test_qwen25_vl_variants(answers):
    assert answers["qwen25_vl_variants"] == [
        ("Qwen2.5-VL", "Qwen2.5-VL-3B", "2025-01-26", "true", "visual understanding"),
        ("Qwen2.5-VL", "Qwen2.5-VL-72B", "2025-01-26", "true", "video understanding"),
        ("Qwen2.5-VL", "Qwen2.5-VL-72B", "2025-01-26", "true", "visual understanding"),
        ("Qwen2.5-VL", "Qwen2.5-VL-7B", "2025-01-26", "true", "visual understanding"),
    ]


def test_built_on_llama(answers):
    # Seed 000 says many industry models come from LLaMA, but none in the graph is recorded so.
    assert answers["built_on_llama"] == [
        ("DoctorGPT", "yes", "no", ""),
        ("HuatuoGPT", "yes", "no", ""),
        ("Trip.com Wendao", "yes", "no", ""),
    ]


# ---------------------------------------------------------------------------
# Size, country, organisation
# ---------------------------------------------------------------------------

def test_open_weights_by_size(answers):
    rows = answers["open_weights_by_size"]
    assert len(rows) == 30
    assert rows[:10] == [
        ("DeepSeek-R1", "671000000000", "DeepSeek"),
        ("DeepSeek-R1-Zero", "671000000000", "DeepSeek"),
        ("DeepSeek-V3", "671000000000", "DeepSeek"),
        ("T5", "11000000000", "Google"),
        ("ChatGLM-6B", "6200000000", "Tsinghua University"),
        ("ChatGLM-6B", "6200000000", "Zhipu AI"),
        ("GPT-2", "1542000000", "OpenAI"),
        ("Vision Transformer (ViT)", "632000000", "Google"),
        ("BERT", "340000000", "Google"),
        ("GPT-1", "117000000", "OpenAI"),
    ]
    assert rows[-1] == ("word2vec", "", "Google")
    assert ("LLaMA", "", "Meta") in rows
    # closed models never appear
    for name in ("GPT-3", "GPT-4", "ChatGPT", "LaMDA", "Midjourney"):
        assert name not in column(rows, 0), name


def test_largest_models(answers):
    assert answers["largest_models"] == [
        ("DeepSeek-R1", "671000000000", "2025-01-20"),
        ("DeepSeek-R1-Zero", "671000000000", "2025-01-20"),
        ("DeepSeek-V3", "671000000000", "2024-12-26"),
        ("GPT-3", "175000000000", "2020-05-28"),
        ("LaMDA", "137000000000", "2021-05-18"),
        ("VIMER-UFO 2.0", "17000000000", "2022"),
        ("DALL·E", "12000000000", "2021-01-05"),
        ("T5", "11000000000", "2019-10"),
        ("ChatGLM-6B", "6200000000", "2023-03-14"),
        ("GPT-2", "1542000000", "2019-02-14"),
    ]


def test_models_by_country(answers):
    assert answers["models_by_country"] == [
        ("China", "中国", "27", "27", "0"),
        ("United States", "美国", "27", "22", "5"),
        ("United Kingdom", "英国", "5", "5", "0"),
        ("Canada", "加拿大", "1", "0", "1"),
        ("Germany", "德国", "1", "1", "0"),
        ("Japan", "日本", "1", "0", "1"),
    ]


def test_organizations_by_country(answers):
    rows = answers["organizations_by_country"]
    assert len(rows) == 37
    assert rows[0] == ("", "World Health Organization", "世界卫生组织", "0", "0")
    assert ("United States", "OpenAI", "OpenAI", "12", "0") in rows
    assert ("United States", "Google", "谷歌", "8", "1") in rows
    assert ("United States", "Microsoft", "微软", "1", "0") in rows
    assert ("China", "DataCanvas", "九章云极", "0", "1") in rows
    assert ("China", "SuperCLUE (CLUE benchmark team)", "SuperCLUE（CLUE中文语言理解测评团队）", "0", "0") in rows
    assert ("Israel", "AI21 Labs", "AI21 Labs", "0", "2") in rows
    assert ("United Kingdom", "Google DeepMind", "谷歌DeepMind", "4", "0") in rows
    assert sum(1 for r in rows if r[0] == "China") == 21
    assert rows[-1] == ("United States", "Runway", "Runway", "1", "0")


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------

def test_historical_periods(answers):
    assert answers["historical_periods"] == [
        ("1950", "2005", "germination period (1950–2005)", "萌芽期（1950—2005年）",
         "convolutional neural network", "3"),
        ("2006", "2019", "exploration and consolidation period (2006–2019)", "探索沉淀期（2006—2019年）",
         "Transformer", "6"),
        ("2020", "", "rapid development period (2020–present)", "迅猛发展期（2020年至今）", "GPT family", "5"),
        ("2020", "", "rapid development period (2020–present)", "迅猛发展期（2020年至今）", "pre-training", "5"),
    ]


def test_milestones(answers):
    rows = answers["milestones"]
    assert len(rows) == 33
    assert len({r[1] for r in rows}) == 14
    early = "germination period (1950–2005)"
    assert rows[0] == ('1956', '1956: the Dartmouth workshop names the field "artificial intelligence"',
                       early, "John McCarthy", "person")
    assert ("1998-11", "1998: LeNet-5 sets the modern CNN structure", early, "LeNet-5",
            "machine-learning model") in rows
    assert ("2017-06-12", '2017: "Attention Is All You Need" introduces the Transformer',
            "exploration and consolidation period (2006–2019)", "Transformer",
            "neural-network architecture") in rows
    licence = [r for r in rows if r[1] == "2020: Microsoft gains an exclusive licence to GPT-3"]
    assert [(r[0], r[3], r[4]) for r in licence] == [
        ("2020-09-22", "GPT-3", "machine-learning model"),
        ("2020-09-22", "Microsoft", "organization"),
        ("2020-09-22", "OpenAI", "organization")]
    assert rows[-1] == ("2024", "2024: research shows LLMs can improve without growing",
                        "rapid development period (2020–present)", "proxy tuning", "training method")
    dates = [r[0] for r in rows]
    assert dates == sorted(dates)
    # the period of every milestone contains its year
    starts = {early: 1950, "exploration and consolidation period (2006–2019)": 2006,
              "rapid development period (2020–present)": 2020}
    for r in rows:
        year = int(r[0][:4])
        assert starts[r[2]] <= year, r
        assert all(year < s for p, s in starts.items() if s > starts[r[2]]), r


# ---------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------

def test_llm_vs_lmm(answers):
    rows = answers["llm_vs_lmm"]
    assert [(r[0], r[1]) for r in rows] == [
        ("general", "LLM vs LMM: kinds of information handled"),
        ("technical", "LLM vs LMM: data requirements"),
        ("technical", "LLM vs LMM: difficulty and compute"),
        ("technical", "LLM vs LMM: structure and training data"),
        ("user-facing", "LLM vs LMM: application scenarios"),
        ("user-facing", "LLM vs LMM: interaction and user experience"),
        ("user-facing", "LLM vs LMM: typical tasks"),
    ]
    info = rows[0]
    assert info[2] == "Focuses on processing and generating text."
    assert info[4] == "专注于处理和生成文本信息。"
    interaction = rows[5]
    assert interaction[2] == "Interaction is fairly uniform, mostly through text."
    assert interaction[4] == "交互方式相对单一，主要通过文本进行。"
    assert interaction[5] == "用户可通过语音、图像、文字等多种方式交互，体验更自然、丰富和个性化。"
    for r in rows:
        assert all(r), r


def test_large_vs_small(answers):
    rows = answers["large_vs_small"]
    assert [r[1] for r in rows] == [
        "large vs small model: emergent abilities",
        "large vs small model: generality",
        "large vs small model: compute needed",
        "large vs small model: expressiveness and accuracy",
        "large vs small model: parameters and depth",
        "large vs small model: cost and reliability",
        "large vs small model: where they are deployed",
    ]
    depth = rows[4]
    assert depth == ("technical", "large vs small model: parameters and depth",
                     "Many parameters, from hundreds of millions to hundreds of billions, in a deep stack of layers.",
                     "Few parameters and a shallow network.",
                     "参数众多（从数亿到数千亿），网络层次深。", "参数较少，网络层数较浅。")
    assert rows[2][3] == "Light and efficient; needs little computing power."


def test_comparisons(answers):
    rows = answers["comparisons"]
    assert len(rows) == 78
    assert sorted({r[0] for r in rows}) == [
        "DeepSeek-R1 vs ChatGPT", "GPT vs ChatGPT", "GPT-3.5 vs GPT-4", "L0 vs L1 vs L2 large models",
        "LLM vs LMM", "large language model vs industry model", "large model vs AIGC",
        "large model vs small model"]
    # one row per aspect and side: each comparison has every side in every aspect
    sides = {}
    for r in rows:
        sides.setdefault(r[0], {}).setdefault(r[1], set()).add(r[2])
    for comparison, aspects in sides.items():
        assert len(set(map(frozenset, aspects.values()))) == 1, comparison
    assert set(next(iter(sides["L0 vs L1 vs L2 large models"].values()))) == {
        "general-purpose large model (L0)", "industry large model (L1)", "vertical large model (L2)"}
    assert ("DeepSeek-R1 vs ChatGPT", "DeepSeek-R1 vs ChatGPT: price and performance", "DeepSeek-R1",
            "Performs on a par with o1 at about one twenty-seventh of its price.",
            "效果与o1相当，价格约为o1的二十七分之一。") in rows


def test_application_levels(answers):
    rows = answers["application_levels"]
    assert len(rows) == 23
    l0 = [r[2] for r in rows if r[0] == "general-purpose large model (L0)"]
    assert len(l0) == 19
    assert {"GPT-3", "GPT-3.5", "ChatGPT", "GPT-4", "LLaMA", "ERNIE Bot", "DeepSeek-R1"} <= set(l0)
    assert [r for r in rows if r[0] != "general-purpose large model (L0)"] == [
        ("industry large model (L1)", "行业大模型（L1）", "DoctorGPT", "medicine and health care"),
        ("industry large model (L1)", "行业大模型（L1）", "HuatuoGPT", "medicine and health care"),
        ("industry large model (L1)", "行业大模型（L1）", "Trip.com Wendao", "travel and tourism"),
        ("vertical large model (L2)", "垂直大模型（L2）", "", ""),
    ]


# ---------------------------------------------------------------------------
# Sources and errors
# ---------------------------------------------------------------------------

def test_sources_per_model(answers):
    rows = answers["sources_per_model"]
    assert len(rows) == 137
    assert [r for r in rows if r[0] == "GPT-3"] == [
        ("GPT-3", "Brown et al. 2020 (GPT-3)", "research paper", "2020-05-28"),
        ("GPT-3", "Bunian Blog: LLM vs large model", "blog post", ""),
        ("GPT-3", "CSDN (IT猫仔): what is a large model", "blog post", ""),
        ("GPT-3", "Microsoft 2020: GPT-3 licence", "official announcement", "2020-09-22"),
        ("GPT-3", "chinasem.cn: learning LLM and LMM (4)", "blog post", "2024-06-15"),
        ("GPT-3", "yuluo: what is a large model", "blog post", "2024-11-24"),
    ]
    assert [r for r in rows if r[0] == "LeNet-5"] == [
        ("LeNet-5", "CSDN (IT猫仔): what is a large model", "blog post", ""),
        ("LeNet-5", "LeCun et al. 1998 (LeNet-5)", "research paper", "1998-11"),
    ]
    # every model has at least one source, and every source has a kind
    assert len({r[0] for r in rows}) == 59
    assert all(r[2] for r in rows)


def test_source_errors(answers):
    rows = answers["source_errors"]
    assert len(rows) == 14
    assert len({r[0] for r in rows}) == 9
    dingo = [r for r in rows if r[2] == "DingoDB"]
    assert len(dingo) == 1
    assert dingo[0][:3] == ("DingoDB listed as a multimodal large model",
                            "CSDN (IT猫仔): what is a large model", "DingoDB")
    assert dingo[0][4].startswith("DingoDB is a distributed multimodal vector database from DataCanvas")
    rhlf = [r for r in rows if r[0] == '"RHLF" written for RLHF']
    assert [r[2] for r in rhlf] == ["reinforcement learning from human feedback"]
    assert rhlf[0][5].startswith("正确缩写为RLHF")
    video = [r[2] for r in rows if r[0] == "video generators offered as video-understanding models"]
    assert video == ["HunyuanVideo", "PixVerse V3.5", "SkyReels-V1", "video understanding"]
    assert all(r[1] and r[3] and r[4] and r[5] for r in rows)


# ---------------------------------------------------------------------------
# Concepts
# ---------------------------------------------------------------------------

def test_concept_scheme(answers):
    rows = answers["concept_scheme"]
    assert len(rows) == 54
    top = [r[1] for r in rows if r[0] == ""]
    assert len(top) == 17
    assert {"AI-generated content", "foundation model", "super-large model", "autoregressive language model",
            "zero-shot prompting", "few-shot prompting", "self-attention mechanism"} <= set(top)
    groups = {}
    for r in rows:
        groups.setdefault(r[0], []).append(r[1])
    assert len(groups["characteristics of large models"]) == 10
    assert len(groups["current problems of large models"]) == 8
    assert groups["model size classes"] == ["13B size class", "34B size class", "7B size class"]
    assert groups["improving models without scaling up"] == [
        "mixture of experts (research direction)", "model merging (research direction)",
        "proxy tuning (research direction)"]
    assert len(groups["ways of classifying large models"]) == 8
    assert ("ways of classifying large models", "classification by application level (L0/L1/L2)",
            "按应用层级分类（L0/L1/L2）") in rows


def test_characteristics(answers):
    rows = answers["characteristics"]
    assert [(r[0], r[1]) for r in rows] == [
        ("automation and efficiency", "自动化和效率"),
        ("cross-domain knowledge fusion", "领域知识融合"),
        ("emergent ability", "涌现能力"),
        ("heavy demand for compute", "强大的计算资源需求"),
        ("massive scale", "巨大的规模"),
        ("multi-task learning", "多任务学习"),
        ("pre-training followed by transfer", "迁移学习和预训练"),
        ("reliance on self-supervision", "依托自监督学习"),
        ("strong performance and generalisation", "更好的性能和泛化能力"),
        ("training on massive data", "大数据训练"),
    ]
    assert all(r[2].startswith("A characteristic of large models:") for r in rows)


def test_problems(answers):
    rows = answers["problems"]
    assert [(r[0], r[1]) for r in rows] == [
        ("bias in large models", "大模型偏见"),
        ("context dependence", "上下文依赖"),
        ("data security concern", "数据安全问题"),
        ("ethical and social issues", "伦理和社会问题"),
        ("hallucination", "幻觉"),
        ("lack of real-time learning", "缺乏实时学习能力"),
        ("lag behind new knowledge", "对新事物感知滞后"),
        ("limits of language understanding", "语言理解局限"),
    ]
    assert all(r[2].startswith("A problem of large models:") for r in rows)


# ---------------------------------------------------------------------------
# Vocabulary: methods, architectures, tasks
# ---------------------------------------------------------------------------

def test_training_methods(answers):
    rows = answers["training_methods"]
    assert len(rows) == 80
    by = lambda m: [r[2] for r in rows if r[0] == m]
    assert by("reinforcement learning from human feedback") == [
        "ChatGLM-6B", "ChatGPT", "Claude", "ERNIE Bot", "GPT-3.5", "GPT-4", "Gemini", "Qwen (Tongyi Qianwen)"]
    assert by("reinforcement learning") == [
        "AlphaGo", "AlphaZero", "DeepSeek-R1", "DeepSeek-R1-Zero", "DeepSeek-V3", "HuatuoGPT", "OpenAI o1"]
    for unused in ("code pre-training", "feature augmentation", "knowledge distillation", "model merging",
                   "proxy tuning"):
        assert by(unused) == [""], unused
    assert len(by("pre-training")) == 24
    assert rows[0] == ("code pre-training", "代码预训练", "")


def test_architectures(answers):
    rows = answers["architectures"]
    assert len(rows) == 65
    by = lambda a: [r[2] for r in rows if r[0] == a]
    assert len(by("Transformer")) == 42
    assert by("convolutional neural network") == [
        "AlphaGo", "AlphaZero", "EfficientNet", "LeNet-5", "RT-1 (Robotics Transformer 1)", "ResNet"]
    assert by("mixture of experts") == ["DeepSeek-R1", "DeepSeek-R1-Zero", "DeepSeek-V3"]
    assert by("diffusion model") == ["DALL·E 2", "DALL·E 3", "HunyuanVideo", "SkyReels-V1",
                                     "Stable Diffusion", "Wukong-Huahua"]
    assert by("autoencoder") == ["Stable Diffusion"]
    for unused in ("generative adversarial network", "long short-term memory network",
                   "gated recurrent unit network", "recurrent neural network", "multimodal Transformer"):
        assert by(unused) == [""], unused


def test_tasks(answers):
    rows = answers["tasks"]
    assert len(rows) == 150
    by = lambda t: [(r[2], r[3]) for r in rows if r[0] == t]
    assert by("game playing") == [("AlphaGo", "model"), ("AlphaZero", "model")]
    assert by("code generation")[:2] == [("Amazon Q Developer", "software system"), ("ChatGPT", "model")]
    assert by("robot control") == [("RT-1 (Robotics Transformer 1)", "model")]
    assert by("word embedding") == [("word2vec", "model")]
    assert by("video generation") == [("HunyuanVideo", "model"), ("PixVerse V3.5", "model"),
                                      ("SkyReels-V1", "model")]
    assert by("face recognition") == [("", "")]
    assert by("pose estimation") == [("", "")]
    assert ("question answering", "问答", "Bard", "software system") in rows
    assert ("question answering", "问答", "HuatuoGPT", "model") in rows


# ---------------------------------------------------------------------------
# Small models, systems, reasoning
# ---------------------------------------------------------------------------

def test_small_models(answers):
    not_published = "no parameter count published; typed small by its sources: built for one task, without emergent abilities"
    assert answers["small_models"] == [
        ("Neocognitron", "1980", "", not_published),
        ("LeNet-5", "1998-11", "", not_published),
        ("word2vec", "2013-01-16", "", not_published),
        ("ResNet", "2015-12-10", "", not_published),
        ("EfficientNet", "2019-05-28", "", not_published),
        ("RT-1 (Robotics Transformer 1)", "2022-12-13", "35000000", "published count below 10^8 parameters"),
    ]


def test_software_systems(answers):
    assert answers["software_systems"] == [
        ("AI21 Studio", "AI21 Labs", "2021-08-11", ""),
        ("Amazon Q Developer", "Amazon", "2024-04-30", ""),
        ("Bard", "Google", "2023-02-06", "Gemini"),
        ("Bard", "Google", "2023-02-06", "LaMDA"),
        ("DingoDB", "DataCanvas", "", ""),
        ("Wordtune Spices", "AI21 Labs", "", ""),
    ]


def test_reasoning_contribution(answers, snapshot):
    rows = answers["reasoning_contribution"]
    assert len(rows) == 66
    assert rows[:5] == [
        ("AlphaGo", "decision large model", "outputs actions"),
        ("AlphaZero", "decision large model", "outputs actions"),
        ("DoctorGPT", "industry large model (L1)", "applied to medicine and health care"),
        ("HuatuoGPT", "industry large model (L1)", "applied to medicine and health care"),
        ("Trip.com Wendao", "industry large model (L1)", "applied to travel and tourism"),
    ]
    multimodal = {r[0] for r in rows if r[1] == "multimodal large model"}
    assert len(multimodal) == 24
    assert ("GPT-4", "multimodal large model", "handles image") in rows
    assert ("DALL·E", "multimodal large model", "handles text") in rows
    # the kinds listed are indeed not in the data as written
    from rdflib import RDF, Namespace

    LLMKG = Namespace("https://w3id.org/llmkg/ontology#")
    from llmkg.store.load import to_rdflib

    asserted = to_rdflib(snapshot.store, snapshot.asserted_graphs)
    for cls in (LLMKG.MultimodalModel, LLMKG.IndustryModel, LLMKG.DecisionModel):
        assert not list(asserted.subjects(RDF.type, cls)), cls


# ---------------------------------------------------------------------------
# The landscape queries, pinned on a small fixture of their own
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def landscape():
    """query name -> rows (tuples of str) on tests/fixtures/landscape.ttl."""
    from llmkg.reasoning.closure import reason_store
    from llmkg.store.load import load_store

    store = load_store([FIXTURES / "landscape.ttl"])
    reason_store(store)
    names = ("largest_open_models", "family_lineage", "models_per_year_country", "chinese_landscape")
    return {name: [tuple("" if t is None else t.value for t in row) for row in run(store, CATALOGUE[name].text)]
            for name in names}


def test_largest_open_models(landscape):
    assert landscape["largest_open_models"] == [  # the closed giant is left out
        ("Big MoE", "671000000000", "37000000000", "DeepSeek", "", "2024-12-26"),
        ("Llama 2 70B", "70000000000", "", "Meta", "https://example.org/llama-2-licence", "2023-07-18"),
        ("Distilled 7B", "7620000000", "", "DeepSeek", "", "2025-01-20"),
        ("Qwen2.5-7B", "7610000000", "", "Alibaba Cloud", "", "2024-09-19"),
        ("Chat 7B", "7000000000", "", "Meta", "", "2023-08"),
        ("Llama 2 7B", "7000000000", "", "Meta", "", "2023-07-18"),
    ]


def test_family_lineage(landscape):
    assert landscape["family_lineage"] == [
        ("Llama 2", "Chat 7B", "Llama 2 7B", "yes", "2023-08"),
        ("Llama 2", "Tuned on Chat", "Llama 2 7B", "no", "2024"),
        ("Qwen2.5", "Distilled 7B", "Qwen2.5-7B", "yes", "2025-01-20"),
    ]


def test_models_per_year_country(landscape):
    # sizes fold into their release; a model without a developer has no country
    assert landscape["models_per_year_country"] == [
        ("2023", "United States", "2"),
        ("2024", "China", "2"),
        ("2025", "China", "2"),
    ]


def test_chinese_landscape(landscape):
    assert landscape["chinese_landscape"] == [
        ("通义千问2.5", "Qwen2.5", "阿里云", "2024-09-19", "", "1", "true"),
        ("大型混合专家", "Big MoE", "深度求索", "2024-12-26", "671000000000", "0", "true"),
        ("闭源巨模", "Closed Giant", "阿里云", "2025", "1000000000000", "0", "false"),  # a year sorts before its days
        ("蒸馏7B", "Distilled 7B", "深度求索", "2025-01-20", "7620000000", "0", "true"),
    ]
