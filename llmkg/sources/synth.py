"""A reproducible, Hub-like graph in the ontology's terms, for benchmarks and tests.

    result = synth(10_000, seed=1, out="build/synth.ttl")
    result.violations   # the deliberate mistakes, with the finding each should cause
    result.graph        # parsed on first use (slow for large N: parse only what you need)

The triples are pyoxigraph terms, generated in the order they are written —
subjects sorted (kg:Dataset, kg:SynthCountry-…, kg:SynthModel-…, kg:SynthOrg-…,
kg:SynthSource-…, numbers zero-padded), each subject's statements in a fixed
order — and pyoxigraph's serialiser writes the Turtle, with llmkg.vocab's
prefixes. No rdflib on the way, so 100,000 models take seconds; the same
(models, seed, violations) gives the same bytes.

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
from itertools import accumulate, chain
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

from llmkg import vocab
from llmkg.errors import InputError

KINDS = ("missing-developer", "negative-size", "before-base", "cycle")

# Root kinds: (class, English noun, Chinese noun, modality statements, weight)
ROOT_KINDS = (
    ("LargeLanguageModel", "large language model", "大语言模型", (("inputModality", "Text"),), 60),
    ("VisionModel", "vision large model", "视觉大模型", (("inputModality", "Image"),), 15),
    ("MultimodalModel", "multimodal large model", "多模态大模型",
     (("inputModality", "Text"), ("inputModality", "Image")), 15),
    ("DecisionModel", "decision large model", "决策大模型",
     (("inputModality", "GameState"), ("outputModality", "Action")), 10),
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
    turtle: bytes               # UTF-8, as written
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
    def text(self) -> str:
        return self.turtle.decode("utf-8")

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
    triples = CountedTriples(catalogue_blocks(catalogue, seed))
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=vocab.PREFIXES)
    result = SynthResult(data, models, seed, catalogue.organizations, catalogue.countries,
                         catalogue.organizations, triples.count, expected_findings(catalogue, planted))
    if out is not None:
        result.out = write(data, Path(out))
    return result


def write(data: bytes, out: Path) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
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


def org_number_width(organizations: int) -> int:
    """4 digits, more only when there are more organisations: the numbers sort as the IRIs do."""
    return max(4, len(str(organizations)))


# -- the triples -----------------------------------------------------------------

class CountedTriples:
    """The triples, one list per subject, counted as the serialiser takes them.

    Chaining lists (in C) instead of yielding triple by triple from nested
    generators saves a third of the time at 100,000 models.
    """

    def __init__(self, blocks: Iterator[list]):
        self.blocks, self.count = blocks, 0

    def __iter__(self) -> Iterator[ox.Triple]:
        return chain.from_iterable(self._counted())

    def _counted(self) -> Iterator[list]:
        for block in self.blocks:
            self.count += len(block)
            yield block


class Terms:
    """The IRIs and literals the catalogue repeats, made once (pyoxigraph checks each IRI it is given)."""

    def __init__(self, c: Catalogue, seed: int):
        self.seed = seed
        self.type = ox.NamedNode(vocab.RDF + "type")
        self.label = ox.NamedNode(vocab.RDFS + "label")
        self.definition = ox.NamedNode(vocab.SKOS + "definition")
        self.source, self.title, self.publisher, self.dc_type = (
            ox.NamedNode(vocab.DCTERMS + n) for n in ("source", "title", "publisher", "type"))
        self.concept = ox.NamedNode(vocab.SKOS + "Concept")
        self.dataset = ox.NamedNode(vocab.KG + "Dataset")
        self.integer, self.xsd_date, self.year_month, self.year = (
            ox.NamedNode(vocab.XSD + n) for n in ("integer", "date", "gYearMonth", "gYear"))
        self.developed_by, self.release_date, self.parameter_count, self.country = (
            self.term(n) for n in ("developedBy", "releaseDate", "parameterCount", "country"))
        self.relations = {name: self.term(name) for name, _ in RELATIONS}
        # per root kind: its class, its definitions, its (property, modality) statements
        self.classes = [self.term(k[0]) for k in ROOT_KINDS]
        self.definitions = [self.model_definitions(k[1], k[2]) for k in ROOT_KINDS]
        self.modalities = [[(self.term(p), ox.NamedNode(vocab.KG + m)) for p, m in k[3]] for k in ROOT_KINDS]
        self.small_class = self.term(SMALL_KIND[0])
        self.small_definitions = self.model_definitions(SMALL_KIND[1], SMALL_KIND[2])
        self.model_width = model_number_width(c.models)
        self.org_width = org_number_width(c.organizations)
        self.countries = [ox.NamedNode(f"{vocab.KG}SynthCountry-{n + 1:02d}") for n in range(c.countries)]
        self.orgs = [ox.NamedNode(f"{vocab.KG}SynthOrg-{n + 1:0{self.org_width}d}") for n in range(c.organizations)]
        self.sources = [ox.NamedNode(f"{vocab.KG}SynthSource-{n + 1:0{self.org_width}d}")
                        for n in range(c.organizations)]
        self.days: dict = {}    # (day, precision) → date literal
        self.counts: dict = {}  # parameters → integer literal (sizes have two significant figures: few)

    @staticmethod
    def term(name: str) -> ox.NamedNode:
        """``llmkg:name``."""
        return ox.NamedNode(vocab.LLMKG + name)

    @staticmethod
    def model_definitions(noun: str, noun_zh: str) -> tuple[ox.Literal, ox.Literal]:
        return (ox.Literal(f"A synthetic {noun} generated for benchmarks.", language="en"),
                ox.Literal(f"为基准测试生成的合成{noun_zh}。", language="zh"))

    def count(self, parameters: int) -> ox.Literal:
        lit = self.counts.get(parameters)
        if lit is None:
            lit = self.counts[parameters] = ox.Literal(str(parameters), datatype=self.integer)
        return lit

    def day(self, day: int, precision: int) -> ox.Literal:
        """A release date at day (0), month (1) or year (2) precision."""
        lit = self.days.get((day, precision))
        if lit is None:
            d = START + timedelta(days=day)
            if precision == 0:
                lit = ox.Literal(d.isoformat(), datatype=self.xsd_date)
            elif precision == 1:
                lit = ox.Literal(f"{d.year:04d}-{d.month:02d}", datatype=self.year_month)
            else:
                lit = ox.Literal(f"{d.year:04d}", datatype=self.year)
            self.days[day, precision] = lit
        return lit


def catalogue_blocks(c: Catalogue, seed: int) -> Iterator[list]:
    """Every subject's triples, subjects in sorted order: the dataset kind, countries, models, organisations, sources."""
    t = Terms(c, seed)
    yield dataset_kind_triples(t)
    for n in range(c.countries):
        yield country_triples(t, n)
    models = [ox.NamedNode(f"{vocab.KG}SynthModel-{i + 1:0{t.model_width}d}") for i in range(c.models)]
    for i in range(c.models):
        yield model_triples(t, c, i, models)
    for o in range(c.organizations):
        yield organisation_triples(t, c, o)
    for o in range(c.organizations):
        yield source_triples(t, o)


def dataset_kind_triples(t: Terms) -> list[ox.Triple]:
    """kg:Dataset as data/sources.ttl and the importers state it, so the file stands alone."""
    s = t.dataset
    return [
        ox.Triple(s, t.type, t.concept),
        ox.Triple(s, t.label, ox.Literal("dataset", language="en")),
        ox.Triple(s, t.label, ox.Literal("数据集", language="zh")),
        ox.Triple(s, t.definition, ox.Literal(
            "A structured collection of records, such as a catalogue exported as CSV or JSON, "
            "that was imported into the graph by a program.", language="en")),
        ox.Triple(s, t.definition, ox.Literal("以程序导入图谱的结构化记录集合，例如导出为CSV或JSON的目录。", language="zh")),
    ]


def country_triples(t: Terms, n: int) -> list[ox.Triple]:
    s = t.countries[n]
    return [
        ox.Triple(s, t.type, t.term("Country")),
        ox.Triple(s, t.label, ox.Literal(f"Synthetic country {n + 1:02d}", language="en")),
        ox.Triple(s, t.label, ox.Literal(f"合成国家{n + 1:02d}", language="zh")),
        ox.Triple(s, t.definition, ox.Literal("A made-up country of the synthetic benchmark graph.", language="en")),
        ox.Triple(s, t.definition, ox.Literal("合成基准图谱中虚构的国家。", language="zh")),
    ]


def model_triples(t: Terms, c: Catalogue, i: int, models: list[ox.NamedNode]) -> list[ox.Triple]:
    """Model i: class, labels, definitions, developer, date, size, lineage, modalities, source."""
    s = models[i]
    kind = c.kind[i]
    small = 0 < c.size[i] < LARGE
    number = f"{i + 1:0{t.model_width}d}"
    triples = [
        ox.Triple(s, t.type, t.small_class if small else t.classes[kind]),
        ox.Triple(s, t.label, ox.Literal(f"SynthModel {number}", language="en")),
        ox.Triple(s, t.label, ox.Literal(f"合成模型{number}", language="zh")),
        *(ox.Triple(s, t.definition, d) for d in (t.small_definitions if small else t.definitions[kind])),
    ]
    if i not in c.no_developer:
        triples.append(ox.Triple(s, t.developed_by, t.orgs[c.org[i]]))
    triples.append(ox.Triple(s, t.release_date, t.day(c.day[i], c.precision[i])))
    triples.append(ox.Triple(s, t.parameter_count, t.count(c.size[i])))
    if c.parent[i] >= 0:
        triples.append(ox.Triple(s, t.relations[c.relation[i]], models[c.parent[i]]))
    if i in c.extra_base:
        triples.append(ox.Triple(s, t.relations["basedOn"], models[c.extra_base[i]]))
    triples += [ox.Triple(s, p, o) for p, o in t.modalities[kind]]
    triples.append(ox.Triple(s, t.source, t.sources[c.org[i]]))
    return triples


def organisation_triples(t: Terms, c: Catalogue, o: int) -> list[ox.Triple]:
    s = t.orgs[o]
    number = f"{o + 1:0{t.org_width}d}"
    return [
        ox.Triple(s, t.type, t.term("Organization")),
        ox.Triple(s, t.label, ox.Literal(f"Synthetic Lab {number}", language="en")),
        ox.Triple(s, t.label, ox.Literal(f"合成实验室{number}", language="zh")),
        ox.Triple(s, t.definition, ox.Literal("A made-up laboratory of the synthetic benchmark graph.", language="en")),
        ox.Triple(s, t.definition, ox.Literal("合成基准图谱中虚构的实验室。", language="zh")),
        ox.Triple(s, t.country, t.countries[c.country[o]]),
        ox.Triple(s, t.source, t.sources[o]),
    ]


def source_triples(t: Terms, o: int) -> list[ox.Triple]:
    s = t.sources[o]
    number = f"{o + 1:0{t.org_width}d}"
    return [
        ox.Triple(s, t.type, t.term("Source")),
        ox.Triple(s, t.label, ox.Literal(f"Synthetic catalogue, part {number}", language="en")),
        ox.Triple(s, t.label, ox.Literal(f"合成目录第{number}部分", language="zh")),
        ox.Triple(s, t.title, ox.Literal(f"Synthetic catalogue, part {number} (seed {t.seed})", language="en")),
        ox.Triple(s, t.publisher, ox.Literal("llmkg synth")),
        ox.Triple(s, t.dc_type, t.dataset),
    ]
