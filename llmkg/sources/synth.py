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
from collections.abc import Iterator
from itertools import accumulate
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from llmkg import vocab
from llmkg.errors import InputError

KINDS = ("missing-developer", "negative-size", "before-base", "cycle")

# Root kinds: (class, English noun, Chinese noun, modality statements, weight)
ROOT_KINDS = (
    ("LargeLanguageModel", "large language model", "大语言模型", ("llmkg:inputModality kg:Text",), 60),
    ("VisionModel", "vision large model", "视觉大模型", ("llmkg:inputModality kg:Image",), 15),
    ("MultimodalModel", "multimodal large model", "多模态大模型",
     ("llmkg:inputModality kg:Text , kg:Image",), 15),
    ("DecisionModel", "decision large model", "决策大模型",
     ("llmkg:inputModality kg:GameState", "llmkg:outputModality kg:Action"), 10),
)
SMALL_KIND = ("SmallModel", "small model", "小模型")
RELATIONS = (("fineTunedFrom", 60), ("basedOn", 30), ("distilledFrom", 10))
START = date(2018, 1, 1)
ROOT_SPAN = (date(2024, 6, 30) - START).days
LARGE = 10 ** 8


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


@dataclass
class Catalogue:
    """The generated catalogue, one list entry per model (index i is SynthModel-{i+1})."""

    models: int
    organizations: int
    countries: int
    parent: list[int]          # -1 for a root
    kind: list[int]            # index into ROOT_KINDS
    size: list[int]            # parameters (negative where planted)
    day: list[int]             # release day, counted from START
    precision: list[int]       # 0 day, 1 month, 2 year
    org: list[int]
    relation: list[str]        # to the parent: a RELATIONS name, "" for a root
    children: list[int]
    country: list[int]         # per organisation
    no_developer: set[int] = field(default_factory=set)
    extra_base: dict[int, int] = field(default_factory=dict)  # a planted cycle's second llmkg:basedOn


def synth(models: int, seed: int = 0, out: str | Path | None = None, *,
          violations: float = 0.02) -> SynthResult:
    """Generate ``models`` models with ``seed``; write Turtle to ``out`` if given."""
    if not isinstance(models, int) or models < 1:
        raise InputError(f"models must be a whole number of at least 1, not {models!r}")
    if not 0 <= violations <= 0.5:
        raise InputError(f"violations is a rate between 0 and 0.5, not {violations!r}")
    rng = random.Random(f"llmkg-synth:{models}:{seed}")
    catalogue = grow_catalogue(models, rng)
    count = 0 if violations == 0 else max(len(KINDS), round(models * violations))
    planted = choose_violations(catalogue, count, rng)
    plant(catalogue, planted, rng)
    text, triples = catalogue_text(catalogue, seed)
    result = SynthResult(text, models, seed, catalogue.organizations, catalogue.countries,
                         catalogue.organizations, triples, expected_findings(catalogue, planted))
    if out is not None:
        result.out = write(text, Path(out))
    return result


def write(text: str, out: Path) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"{out}: cannot write the file ({e.strerror})") from None
    return out


# -- the catalogue ---------------------------------------------------------------

def grow_catalogue(models: int, rng: random.Random) -> Catalogue:
    """Lineage trees: roots of a random kind, each other model derived from an earlier one."""
    n_orgs = max(1, round(models / 50))
    c = Catalogue(models, n_orgs, min(12, n_orgs), parent=[-1] * models, kind=[0] * models,
                  size=[0] * models, day=[0] * models, precision=[], org=[0] * models, relation=[""] * models,
                  children=[0] * models, country=[])
    # cumulative weights, computed once: rng.choices draws the same numbers as with weights=
    kinds, kind_weights = range(len(ROOT_KINDS)), list(accumulate(k[4] for k in ROOT_KINDS))
    relations, relation_weights = [r[0] for r in RELATIONS], list(accumulate(r[1] for r in RELATIONS))
    for i in range(models):
        if i == 0 or rng.random() < 0.15:
            c.kind[i] = rng.choices(kinds, cum_weights=kind_weights)[0]
            c.size[i] = round_size(10 ** rng.uniform(7.5, 12))
            c.day[i] = rng.randrange(ROOT_SPAN)
            c.org[i] = rng.randrange(n_orgs)
        else:
            p = rng.randrange(i)
            c.parent[i] = p
            c.children[p] += 1
            c.kind[i] = c.kind[p]
            rel = rng.choices(relations, cum_weights=relation_weights)[0]
            c.relation[i] = rel
            c.size[i] = round_size(c.size[p] / 10 ** rng.uniform(0.3, 1.5)) if rel == "distilledFrom" else c.size[p]
            c.day[i] = c.day[p] + rng.randint(1, 400)
            c.org[i] = c.org[p] if rng.random() < 0.7 else rng.randrange(n_orgs)
    c.precision = rng.choices((0, 1, 2), cum_weights=(80, 95, 100), k=models)  # one draw a model, as before
    c.country = [rng.randrange(c.countries) for _ in range(n_orgs)]
    return c


def round_size(x: float) -> int:
    """Round to two significant figures, as published sizes are."""
    n = int(x)
    digits = len(str(n))
    if digits <= 2:
        return max(n, 1)
    q = 10 ** (digits - 2)
    return (n // q) * q


def choose_violations(c: Catalogue, count: int, rng: random.Random) -> list[tuple[str, int, int]]:
    """(kind, model, other model or -1) for ``count`` mistakes, cycling through KINDS, no model used twice."""
    if not count:
        return []
    planted: list[tuple[str, int, int]] = []
    order = list(range(c.models))
    rng.shuffle(order)
    used: set[int] = set()
    wanted = [KINDS[k % len(KINDS)] for k in range(count)]
    pending = {k: wanted.count(k) for k in KINDS}
    leaves = [i for i in order if c.children[i] == 0]
    for i in order:  # a leaf released before its parent (which is then used up too)
        if pending["before-base"] and i not in used and c.parent[i] >= 0 and c.parent[i] not in used \
                and c.children[i] == 0:
            used.update((i, c.parent[i]))
            planted.append(("before-base", i, c.parent[i]))
            pending["before-base"] -= 1
    pairs = [x for x in leaves if x not in used]
    while pending["cycle"] and len(pairs) >= 2:  # two leaves based on each other
        a, b = pairs.pop(), pairs.pop()
        used.update((a, b))
        planted.append(("cycle", a, b))
        pending["cycle"] -= 1
    for k in ("missing-developer", "negative-size"):
        for i in order:
            if not pending[k]:
                break
            if i not in used:
                used.add(i)
                planted.append((k, i, -1))
                pending[k] -= 1
    return planted


def plant(c: Catalogue, planted: list[tuple[str, int, int]], rng: random.Random) -> None:
    """Make each chosen mistake in the catalogue."""
    for k, i, other in planted:
        if k == "missing-developer":
            c.no_developer.add(i)
        elif k == "negative-size":
            c.size[i] = -c.size[i]
        elif k == "before-base":
            c.day[i] = c.day[other] - rng.randint(30, 300)
            c.precision[i] = c.precision[other] = 0
        elif k == "cycle":
            c.day[i] = c.day[other] = max(c.day[i], c.day[other])
            c.precision[i] = c.precision[other] = 0
            c.extra_base[i] = other
            c.extra_base[other] = i


def expected_findings(c: Catalogue, planted: list[tuple[str, int, int]]) -> list[Violation]:
    """Each planted mistake with the findings llmkg.validate reports for it."""
    width = model_number_width(c.models)

    def iri(i: int) -> str:
        return f"{vocab.KG}SynthModel-{i + 1:0{width}d}"

    found = []
    for k, i, other in planted:
        if k == "missing-developer":
            found.append(Violation(k, iri(i), (("error", "shapes:ModelShape"),)))
        elif k == "negative-size":
            exp = (("error", "shapes:ModelShape"),)
            if not (0 < c.size[i] < LARGE):  # typed as a large model
                exp += (("warning", "shapes:LargeModelSizeShape"),)
            found.append(Violation(k, iri(i), exp))
        elif k == "before-base":
            found.append(Violation(k, iri(i), (("error", "shapes:NotReleasedBeforeBase"),)))
        else:
            found.append(Violation(k, iri(i), (("error", "shapes:NoLineageCycle"),)))
            found.append(Violation(k, iri(other), (("error", "shapes:NoLineageCycle"),)))
    found.sort(key=lambda v: (KINDS.index(v.kind), v.focus))
    return found


def model_number_width(models: int) -> int:
    return 6 if models < 10 ** 6 else len(str(models))


# -- the text --------------------------------------------------------------------

def catalogue_text(c: Catalogue, seed: int) -> tuple[str, int]:
    """The Turtle text, block by block, and its number of triples."""
    blocks = [(vocab.turtle_prologue(), 0), dataset_kind_text()]
    blocks += [country_text(n) for n in range(c.countries)]
    for o in range(c.organizations):
        blocks += [source_text(o, seed), organisation_text(o, c.country[o])]
    width = model_number_width(c.models)
    blocks += [model_text(c, i, width) for i in range(c.models)]
    return "\n".join(text for text, _ in blocks), sum(n for _, n in blocks)


def dataset_kind_text() -> tuple[str, int]:
    """kg:Dataset as data/sources.ttl and the importers state it, so the file stands alone."""
    return ('kg:Dataset a skos:Concept ;\n'
            '    rdfs:label "dataset"@en , "数据集"@zh ;\n'
            '    skos:definition "A structured collection of records, such as a catalogue exported as CSV or JSON, '
            'that was imported into the graph by a program."@en , "以程序导入图谱的结构化记录集合，例如导出为CSV或JSON的目录。"@zh .\n', 5)


def country_text(n: int) -> tuple[str, int]:
    return (f'kg:SynthCountry-{n + 1:02d} a llmkg:Country ;\n'
            f'    rdfs:label "Synthetic country {n + 1:02d}"@en , "合成国家{n + 1:02d}"@zh ;\n'
            f'    skos:definition "A made-up country of the synthetic benchmark graph."@en , '
            f'"合成基准图谱中虚构的国家。"@zh .\n', 5)


def source_text(o: int, seed: int) -> tuple[str, int]:
    return (f'kg:SynthSource-{o + 1:04d} a llmkg:Source ;\n'
            f'    rdfs:label "Synthetic catalogue, part {o + 1:04d}"@en , "合成目录第{o + 1:04d}部分"@zh ;\n'
            f'    dcterms:title "Synthetic catalogue, part {o + 1:04d} (seed {seed})"@en ;\n'
            f'    dcterms:publisher "llmkg synth" ; dcterms:type kg:Dataset .\n', 6)


def organisation_text(o: int, country: int) -> tuple[str, int]:
    return (f'kg:SynthOrg-{o + 1:04d} a llmkg:Organization ;\n'
            f'    rdfs:label "Synthetic Lab {o + 1:04d}"@en , "合成实验室{o + 1:04d}"@zh ;\n'
            f'    skos:definition "A made-up laboratory of the synthetic benchmark graph."@en , '
            f'"合成基准图谱中虚构的实验室。"@zh ;\n'
            f'    llmkg:country kg:SynthCountry-{country + 1:02d} ; dcterms:source kg:SynthSource-{o + 1:04d} .\n', 7)


def model_text(c: Catalogue, i: int, width: int) -> tuple[str, int]:
    """Model i: class, labels, definitions, developer, date, size, lineage, modalities, source."""
    kind = ROOT_KINDS[c.kind[i]]
    n = f"{i + 1:0{width}d}"
    cls, noun, noun_zh = SMALL_KIND if 0 < c.size[i] < LARGE else kind[:3]
    lines = [f'kg:SynthModel-{n} a llmkg:{cls} ;',
             f'    rdfs:label "SynthModel {n}"@en , "合成模型{n}"@zh ;',
             f'    skos:definition "A synthetic {noun} generated for benchmarks."@en , '
             f'"为基准测试生成的合成{noun_zh}。"@zh ;']
    triples = 8  # type, two labels, two definitions, date, size, source
    if i not in c.no_developer:
        lines.append(f'    llmkg:developedBy kg:SynthOrg-{c.org[i] + 1:04d} ;')
        triples += 1
    lines.append(f'    llmkg:releaseDate {date_text(c.day[i], c.precision[i])} ; llmkg:parameterCount {c.size[i]} ;')
    if c.parent[i] >= 0:
        lines.append(f'    llmkg:{c.relation[i]} kg:SynthModel-{c.parent[i] + 1:0{width}d} ;')
        triples += 1
    if i in c.extra_base:
        lines.append(f'    llmkg:basedOn kg:SynthModel-{c.extra_base[i] + 1:0{width}d} ;')
        triples += 1
    for statement in kind[3]:
        lines.append(f'    {statement} ;')
        triples += statement.count(",") + 1
    lines.append(f'    dcterms:source kg:SynthSource-{c.org[i] + 1:04d} .\n')
    return "\n".join(lines), triples


def date_text(day: int, precision: int) -> str:
    """A release date at day (0), month (1) or year (2) precision."""
    d = START + timedelta(days=day)
    if precision == 0:
        return f'"{d.isoformat()}"^^xsd:date'
    if precision == 1:
        return f'"{d.year:04d}-{d.month:02d}"^^xsd:gYearMonth'
    return f'"{d.year:04d}"^^xsd:gYear'
