"""A reproducible, Hub-like graph in the ontology's terms, for benchmarks and tests.

    result = synth(10_000, seed=1, out="build/synth.ttl")
    result.violations   # the deliberate mistakes, with the finding each should cause
    result.graph        # parsed on first use (slow for large N: parse only what you need)

The Turtle text is built directly as strings, not through rdflib, so 100,000
models take seconds; the same (models, seed, violations) gives the same bytes.

What is generated, per seed:

* countries (up to 12) and organisations (about one per 50 models), each
  organisation with a country and a source;
* lineage trees: a root is a large language, vision, multimodal or decision
  model; every other model is based on, fine-tuned or distilled from an
  earlier one (so trees are several levels deep) and released after it;
* parameter counts on a log scale from 10^7 to 10^12 (below 10^8 the model is
  typed llmkg:SmallModel), release dates at day, month or year precision,
  modalities, English and Chinese labels and definitions, a source per model;
* at the rate ``violations`` (default 2 %, at least one of each kind when the
  rate is not 0) deliberate mistakes, cycling through: a model without a
  developer, a negative parameter count, a model released before its base, and
  a two-model lineage cycle. Each is listed with the findings
  ``llmkg.validate`` reports for it.

About 11 triples per model.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from llmkg.errors import InputError

KINDS = ("missing-developer", "negative-size", "before-base", "cycle")

PREFIXES = """\
@prefix llmkg: <https://w3id.org/llmkg/ontology#> .
@prefix kg: <https://w3id.org/llmkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

# Root kinds: (class, English noun, Chinese noun, modality statements, weight)
ROOT_KINDS = (
    ("LargeLanguageModel", "large language model", "大语言模型", ("llmkg:inputModality kg:Text",), 60),
    ("VisionModel", "vision large model", "视觉大模型", ("llmkg:inputModality kg:Image",), 15),
    ("MultimodalModel", "multimodal large model", "多模态大模型",
     ("llmkg:inputModality kg:Text , kg:Image",), 15),
    ("DecisionModel", "decision large model", "决策大模型",
     ("llmkg:inputModality kg:GameState", "llmkg:outputModality kg:Action"), 10),
)
RELATIONS = (("llmkg:fineTunedFrom", 60), ("llmkg:basedOn", 30), ("llmkg:distilledFrom", 10))
START = date(2018, 1, 1)
ROOT_SPAN = (date(2024, 6, 30) - START).days


@dataclass
class Violation:
    kind: str
    focus: str                  # the node's IRI
    expected: tuple             # ((severity, rule), …) that llmkg.validate reports for it


@dataclass
class SynthResult:
    text: str
    models: int
    seed: int
    organizations: int
    countries: int
    sources: int
    triples: int
    violations: list[Violation] = field(default_factory=list)
    out: Path | None = None
    _graph: object = None

    @property
    def graph(self):
        """The text parsed into an rdflib Graph (on first use)."""
        if self._graph is None:
            from rdflib import Graph

            self._graph = Graph().parse(data=self.text, format="turtle")
        return self._graph

    def summary(self) -> str:
        lines = [f"{self.models} models, {self.organizations} organisations, {self.countries} countries, "
                 f"{self.sources} sources: {self.triples} triples (seed {self.seed})",
                 f"planted violations: {len(self.violations)}"]
        for kind in KINDS:
            n = sum(1 for v in self.violations if v.kind == kind)
            if n:
                lines.append(f"  {kind}: {n}")
        if self.out is not None:
            lines.append(f"wrote {self.out}")
        return "\n".join(lines) + "\n"


def _date_text(d: date, precision: int) -> str:
    if precision == 0:
        return f'"{d.isoformat()}"^^xsd:date'
    if precision == 1:
        return f'"{d.year:04d}-{d.month:02d}"^^xsd:gYearMonth'
    return f'"{d.year:04d}"^^xsd:gYear'


def _size(x: float) -> int:
    """Round to two significant figures, as published sizes are."""
    n = int(x)
    digits = len(str(n))
    if digits <= 2:
        return max(n, 1)
    q = 10 ** (digits - 2)
    return (n // q) * q


def synth(models: int, seed: int = 0, out: str | Path | None = None, *,
          violations: float = 0.02) -> SynthResult:
    """Generate ``models`` models with ``seed``; write Turtle to ``out`` if given."""
    if not isinstance(models, int) or models < 1:
        raise InputError(f"models must be a whole number of at least 1, not {models!r}")
    if not 0 <= violations <= 0.5:
        raise InputError(f"violations is a rate between 0 and 0.5, not {violations!r}")
    rng = random.Random(f"llmkg-synth:{models}:{seed}")
    n_orgs = max(1, round(models / 50))
    n_countries = min(12, n_orgs)
    w = 6 if models < 10 ** 6 else len(str(models))

    # --- the trees -------------------------------------------------------------
    parent = [-1] * models
    kind = [0] * models
    size = [0] * models
    day = [0] * models
    org = [0] * models
    relation = [""] * models
    kind_weights = [k[4] for k in ROOT_KINDS]
    rel_names = [r[0] for r in RELATIONS]
    rel_weights = [r[1] for r in RELATIONS]
    children = [0] * models
    for i in range(models):
        if i == 0 or rng.random() < 0.15:
            kind[i] = rng.choices(range(len(ROOT_KINDS)), kind_weights)[0]
            size[i] = _size(10 ** rng.uniform(7.5, 12))
            day[i] = rng.randrange(ROOT_SPAN)
            org[i] = rng.randrange(n_orgs)
        else:
            p = rng.randrange(i)
            parent[i] = p
            children[p] += 1
            kind[i] = kind[p]
            rel = rng.choices(rel_names, rel_weights)[0]
            relation[i] = rel
            size[i] = _size(size[p] / 10 ** rng.uniform(0.3, 1.5)) if rel == "llmkg:distilledFrom" else size[p]
            day[i] = day[p] + rng.randint(1, 400)
            org[i] = org[p] if rng.random() < 0.7 else rng.randrange(n_orgs)
    precision = [rng.choices((0, 1, 2), (80, 15, 5))[0] for _ in range(models)]
    country = [rng.randrange(n_countries) for _ in range(n_orgs)]

    # --- the deliberate mistakes -------------------------------------------------
    planted: list[tuple[str, int, int]] = []  # (kind, model, other)
    count = 0 if violations == 0 else max(len(KINDS), round(models * violations))
    if count:
        order = list(range(models))
        rng.shuffle(order)
        used: set[int] = set()
        wanted = [KINDS[k % len(KINDS)] for k in range(count)]
        pending = {k: wanted.count(k) for k in KINDS}
        leaves = [i for i in order if children[i] == 0]
        for i in order:
            if pending["before-base"] and i not in used and parent[i] >= 0 and parent[i] not in used \
                    and children[i] == 0:
                used.update((i, parent[i]))
                planted.append(("before-base", i, parent[i]))
                pending["before-base"] -= 1
        pairs = [x for x in leaves if x not in used]
        while pending["cycle"] and len(pairs) >= 2:
            a, b_ = pairs.pop(), pairs.pop()
            used.update((a, b_))
            planted.append(("cycle", a, b_))
            pending["cycle"] -= 1
        for k in ("missing-developer", "negative-size"):
            for i in order:
                if not pending[k]:
                    break
                if i not in used:
                    used.add(i)
                    planted.append((k, i, -1))
                    pending[k] -= 1
    no_developer: set[int] = set()
    extra_base: dict[int, int] = {}
    for k, i, other in planted:
        if k == "missing-developer":
            no_developer.add(i)
        elif k == "negative-size":
            size[i] = -size[i]
        elif k == "before-base":
            day[i] = day[other] - rng.randint(30, 300)
            precision[i] = precision[other] = 0
        elif k == "cycle":
            day[i] = day[other] = max(day[i], day[other])
            precision[i] = precision[other] = 0
            extra_base[i] = other
            extra_base[other] = i

    # --- the text ---------------------------------------------------------------
    out_lines: list[str] = [PREFIXES]
    add = out_lines.append
    triples = 0

    add('kg:Dataset a skos:Concept ;\n'
        '    rdfs:label "dataset"@en , "数据集"@zh ;\n'
        '    skos:definition "A structured collection of records, such as a catalogue exported as CSV or JSON, '
        'that was imported into the graph by a program."@en , "以程序导入图谱的结构化记录集合，例如导出为CSV或JSON的目录。"@zh .\n')
    triples += 5
    for c in range(n_countries):
        add(f'kg:SynthCountry-{c + 1:02d} a llmkg:Country ;\n'
            f'    rdfs:label "Synthetic country {c + 1:02d}"@en , "合成国家{c + 1:02d}"@zh ;\n'
            f'    skos:definition "A made-up country of the synthetic benchmark graph."@en , '
            f'"合成基准图谱中虚构的国家。"@zh .\n')
        triples += 5
    for o in range(n_orgs):
        add(f'kg:SynthSource-{o + 1:04d} a llmkg:Source ;\n'
            f'    rdfs:label "Synthetic catalogue, part {o + 1:04d}"@en , "合成目录第{o + 1:04d}部分"@zh ;\n'
            f'    dcterms:title "Synthetic catalogue, part {o + 1:04d} (seed {seed})"@en ;\n'
            f'    dcterms:publisher "llmkg synth" ; dcterms:type kg:Dataset .\n')
        add(f'kg:SynthOrg-{o + 1:04d} a llmkg:Organization ;\n'
            f'    rdfs:label "Synthetic Lab {o + 1:04d}"@en , "合成实验室{o + 1:04d}"@zh ;\n'
            f'    skos:definition "A made-up laboratory of the synthetic benchmark graph."@en , '
            f'"合成基准图谱中虚构的实验室。"@zh ;\n'
            f'    llmkg:country kg:SynthCountry-{country[o] + 1:02d} ; dcterms:source kg:SynthSource-{o + 1:04d} .\n')
        triples += 6 + 7
    for i in range(models):
        k = ROOT_KINDS[kind[i]]
        n = f"{i + 1:0{w}d}"
        small = 0 < size[i] < 10 ** 8
        cls, noun, noun_zh = ("SmallModel", "small model", "小模型") if small else k[:3]
        d = START + timedelta(days=day[i])
        lines = [f'kg:SynthModel-{n} a llmkg:{cls} ;',
                 f'    rdfs:label "SynthModel {n}"@en , "合成模型{n}"@zh ;',
                 f'    skos:definition "A synthetic {noun} generated for benchmarks."@en , '
                 f'"为基准测试生成的合成{noun_zh}。"@zh ;']
        if i not in no_developer:
            lines.append(f'    llmkg:developedBy kg:SynthOrg-{org[i] + 1:04d} ;')
            triples += 1
        lines.append(f'    llmkg:releaseDate {_date_text(d, precision[i])} ; llmkg:parameterCount {size[i]} ;')
        if parent[i] >= 0:
            lines.append(f'    {relation[i]} kg:SynthModel-{parent[i] + 1:0{w}d} ;')
            triples += 1
        if i in extra_base:
            lines.append(f'    llmkg:basedOn kg:SynthModel-{extra_base[i] + 1:0{w}d} ;')
            triples += 1
        for m in k[3]:
            lines.append(f'    {m} ;')
            triples += m.count(",") + 1
        lines.append(f'    dcterms:source kg:SynthSource-{org[i] + 1:04d} .\n')
        triples += 8
        add("\n".join(lines))
    text = "\n".join(out_lines)

    def iri(i):
        return f"https://w3id.org/llmkg/id/SynthModel-{i + 1:0{w}d}"

    found = []
    for k, i, other in planted:
        if k == "missing-developer":
            found.append(Violation(k, iri(i), (("error", "shapes:ModelShape"),)))
        elif k == "negative-size":
            exp = (("error", "shapes:ModelShape"),)
            if ROOT_KINDS[kind[i]][0] and not (0 < size[i] < 10 ** 8):  # typed as a large model
                exp += (("warning", "shapes:LargeModelSizeShape"),)
            found.append(Violation(k, iri(i), exp))
        elif k == "before-base":
            found.append(Violation(k, iri(i), (("error", "shapes:NotReleasedBeforeBase"),)))
        else:
            found.append(Violation(k, iri(i), (("error", "shapes:NoLineageCycle"),)))
            found.append(Violation(k, iri(other), (("error", "shapes:NoLineageCycle"),)))
    found.sort(key=lambda v: (KINDS.index(v.kind), v.focus))
    result = SynthResult(text, models, seed, n_orgs, n_countries, n_orgs, triples, found)
    if out is not None:
        out = Path(out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as e:
            raise InputError(f"{out}: cannot write the file ({e.strerror})") from None
        result.out = out
    return result
