"""Catalogues → Turtle in the ontology's terms, with provenance.

Two importers, one result type:

    import_epoch(path)   Epoch AI's "Notable AI Models" CSV export
    import_hf(path)      Hugging Face model-card metadata: a folder of model
                         cards (YAML front matter) or a JSONL file, one model a line

Both return an :class:`ImportResult` with the graph and an honest account of
what happened: rows read and imported, rows skipped (with their line and the
reason), values left out (with their line, field and reason), columns or
fields that were not imported, and base models referenced but absent from the
input ("stubs"). Nothing is dropped silently.

Output is deterministic: IRIs are minted from names and ids, never from
counters or clocks, and :func:`write` writes subjects, predicates and objects
in sorted order, so importing the same file twice gives the same bytes.

What the importers write
------------------------
* Imported entities get an English label only. Catalogues carry no Chinese
  names, and writing the English name again as ``@zh`` would be false, so
  imported models, organisations, tasks and sources fail ``shapes:ChineseLabel``
  (and the definition warnings) on purpose. Every imported node is instead
  marked with ``dcterms:source`` → the import-run ``llmkg:Source`` (a node for
  the input file: title, date = the file's modification day, publisher,
  ``dcterms:type kg:Dataset``) and ``prov:wasGeneratedBy`` → the import
  ``prov:Activity`` (which ``prov:used`` that source), so the lead can scope the
  shapes to leave such nodes out or report them at a lower severity.
* Nodes this module authors itself (the import source, its activity and the
  ``kg:Dataset`` source kind) do carry Chinese labels: they describe our own
  import, not a catalogue's entity.
* Shipped vocabulary (countries in data/organizations.ttl, tasks in
  data/vocabulary.ttl) is reused, and restated only by its type and its
  English label exactly as shipped, so the file stands alone and merges with
  the shipped data without creating a second label.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from llmkg import paths, vocab
from llmkg.errors import InputError

LLMKG = vocab.LLMKG
KG = vocab.KG
SCHEMA = "https://schema.org/"


def _t(name: str) -> URIRef:
    return URIRef(LLMKG + name)


def _kg(name: str) -> URIRef:
    return URIRef(KG + name)


def _enc(text: str) -> str:
    """Percent-encode a name for use as one IRI path segment (case kept, '/' encoded)."""
    return quote(text.strip(), safe="-._~")


# ---------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------

#: The kind of source an import run is. Written into every import so the file
#: stands alone; data/sources.ttl holds the same node with these exact strings,
#: so the merged graph keeps one label per language (a test checks they agree).
DATASET_KIND = _kg("Dataset")
DATASET_KIND_TRIPLES = (
    (RDF.type, SKOS.Concept),
    (SKOS.inScheme, _kg("SourceKinds")),
    (RDFS.label, Literal("dataset", lang="en")),
    (RDFS.label, Literal("数据集", lang="zh")),
    (SKOS.definition, Literal("A structured collection of records, such as a catalogue exported as CSV or JSON, "
                              "that was imported into the graph by a program.", lang="en")),
    (SKOS.definition, Literal("以程序导入图谱的结构化记录集合，例如导出为CSV或JSON的目录。", lang="zh")),
)

#: Shipped countries: normalised name → (local name, English label exactly as shipped).
SHIPPED_COUNTRIES = {
    "china": ("China", "China"), "peoplesrepublicofchina": ("China", "China"),
    "unitedstates": ("UnitedStates", "United States"),
    "unitedstatesofamerica": ("UnitedStates", "United States"),
    "usa": ("UnitedStates", "United States"), "us": ("UnitedStates", "United States"),
    "unitedkingdom": ("UnitedKingdom", "United Kingdom"),
    "unitedkingdomofgreatbritainandnorthernireland": ("UnitedKingdom", "United Kingdom"),
    "uk": ("UnitedKingdom", "United Kingdom"),
    "israel": ("Israel", "Israel"), "switzerland": ("Switzerland", "Switzerland"),
    "canada": ("Canada", "Canada"), "japan": ("Japan", "Japan"), "germany": ("Germany", "Germany"),
}
#: Values of Epoch's country column that are not a country.
NOT_A_COUNTRY = {"multinational", "international", "unknown", ""}

#: Shipped tasks: local name → English label exactly as shipped.
SHIPPED_TASKS = {
    "TextGeneration": "text generation", "MachineTranslation": "machine translation",
    "QuestionAnswering": "question answering", "Dialogue": "dialogue",
    "TextClassification": "text classification", "CodeGeneration": "code generation",
    "Copywriting": "copywriting", "ImageClassification": "image classification",
    "ObjectDetection": "object detection", "ImageSegmentation": "image segmentation",
    "ImageGeneration": "image generation", "VideoGeneration": "video generation",
    "MusicGeneration": "music generation", "RobotControl": "robot control",
    "GamePlaying": "game playing", "Summarization": "text summarization",
    "SentimentAnalysis": "sentiment analysis", "SpeechRecognition": "speech recognition",
    "ImageCaptioning": "image captioning", "VisualUnderstanding": "visual understanding",
    "VideoUnderstanding": "video understanding", "Reasoning": "reasoning",
    "WordEmbedding": "word embedding", "PoseEstimation": "pose estimation",
    "FaceRecognition": "face recognition",
}


def _norm(text: str) -> str:
    """Case, space and punctuation-insensitive key."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


@lru_cache(maxsize=1)
def shipped_organizations() -> dict[str, tuple[str, str]]:
    """Shipped organisations: normalised English name → (local name, English label exactly as shipped).

    An imported organisation whose name matches one of these is the shipped
    node, not a second "OpenAI" that the duplicate-label check would flag.
    """
    path = paths.data_dir() / "organizations.ttl"
    if not path.exists():
        return {}
    g = Graph().parse(path, format="turtle")
    out = {}
    for node in g.subjects(RDF.type, _t("Organization")):
        if not str(node).startswith(KG):
            continue
        for label in g.objects(node, RDFS.label):
            if isinstance(label, Literal) and label.language == "en":
                out[_norm(str(label))] = (str(node)[len(KG):], str(label))
    return out


#: Task names in catalogues (Hub pipeline tags, Epoch task names) → shipped task,
#: only where the meaning is the same. Shipped labels match on their own.
TASK_ALIASES = {
    **{_norm(label): local for local, label in SHIPPED_TASKS.items()},
    # Hugging Face pipeline tags
    "textgeneration": "TextGeneration", "translation": "MachineTranslation",
    "questionanswering": "QuestionAnswering", "textclassification": "TextClassification",
    "imageclassification": "ImageClassification", "objectdetection": "ObjectDetection",
    "imagesegmentation": "ImageSegmentation", "texttoimage": "ImageGeneration",
    "texttovideo": "VideoGeneration", "summarization": "Summarization",
    "conversational": "Dialogue", "automaticspeechrecognition": "SpeechRecognition",
    "imagetotext": "ImageCaptioning", "robotics": "RobotControl",
    # Epoch AI task names
    "chat": "Dialogue", "languagegeneration": "TextGeneration",
    "languagemodelinggeneration": "TextGeneration", "imagegeneration": "ImageGeneration",
    "codegeneration": "CodeGeneration", "speechrecognitionasr": "SpeechRecognition",
}

# Model class by kind of data, for models of 10^8 parameters or more.
LARGE_CLASS = {
    "language": _t("LargeLanguageModel"), "vision": _t("VisionModel"),
    "multimodal": _t("MultimodalModel"), "games": _t("DecisionModel"),
}
LARGE_THRESHOLD = 10 ** 8


def model_class(parameters: int | None, kinds: set[str]) -> URIRef:
    """The conservative class rule shared by the importers.

    * size unknown          → llmkg:MachineLearningModel (nothing more is claimed);
    * fewer than 10^8       → llmkg:SmallModel (the ontology's scope note on LargeModel);
    * 10^8 or more          → by kind of data: multimodal (said so, or two of
      language/vision/audio/video) → MultimodalModel; language → LargeLanguageModel;
      vision → VisionModel; games → DecisionModel; anything else → LargeModel.
    """
    if parameters is None:
        return _t("MachineLearningModel")
    if parameters < LARGE_THRESHOLD:
        return _t("SmallModel")
    media = kinds & {"language", "vision", "audio", "video"}
    if "multimodal" in kinds or len(media) >= 2:
        return LARGE_CLASS["multimodal"]
    for kind in ("language", "vision", "games"):
        if kind in kinds:
            return LARGE_CLASS[kind]
    return _t("LargeModel")


# ---------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------

@dataclass
class ImportResult:
    """What an import produced and what it left out, with where and why."""

    kind: str                       # "epoch" or "hf"
    path: str                       # the input, as given
    graph: Graph
    rows_read: int = 0
    rows_imported: int = 0
    skipped: list = field(default_factory=list)          # (line or "file:line", reason)
    dropped: list = field(default_factory=list)          # (line or "file:line", field, value, reason)
    unknown_columns: list = field(default_factory=list)  # columns/fields not imported, sorted
    unmapped_columns: list = field(default_factory=list)  # recognised, but no ontology term (yet)
    stubs: list = field(default_factory=list)            # base models referenced but not in the input
    resolved_bases: int = 0         # base-model links that point at a model of the input
    stub_links: dict = field(default_factory=dict)       # stub → number of links to it
    counts: dict = field(default_factory=dict)           # nodes written per kind
    notes: list = field(default_factory=list)
    out: Path | None = None

    def summary(self) -> str:
        what = {"epoch": "Epoch AI CSV", "hf": "Hugging Face model cards"}.get(self.kind, self.kind)
        lines = [f"{self.path} ({what}): {self.rows_imported} of {self.rows_read} "
                 f"{'rows' if self.kind == 'epoch' else 'models'} imported, {len(self.skipped)} skipped"]
        if self.counts:
            lines.append("  wrote " + ", ".join(f"{n} {k}" for k, n in self.counts.items()) +
                         f"; {len(self.graph)} triples")
        if self.resolved_bases or self.stubs:
            lines.append(f"  base models: {self.resolved_bases} links to models in the input, "
                         f"{sum(self.stub_links.values())} to {len(self.stubs)} stub models (bases not in the input)")
            for name in self.stubs[:10]:
                lines.append(f"    stub: {name}")
            if len(self.stubs) > 10:
                lines.append(f"    … and {len(self.stubs) - 10} more stubs")
        if self.skipped:
            lines.append(f"skipped {len(self.skipped)}:")
            lines += [f"  {where}: {reason}" for where, reason in self.skipped]
        if self.dropped:
            lines.append(f"values left out {len(self.dropped)}:")
            lines += [f"  {where}: {fld} {value!r}: {reason}" for where, fld, value, reason in self.dropped]
        if self.unmapped_columns:
            lines.append("not imported (no ontology term yet): " + ", ".join(self.unmapped_columns))
        if self.unknown_columns:
            lines.append("not imported (unknown): " + ", ".join(self.unknown_columns))
        lines += self.notes
        if self.out is not None:
            lines.append(f"wrote {self.out}")
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Deterministic output
# ---------------------------------------------------------------------------

PREFIXES = (
    ("llmkg", LLMKG), ("kg", KG), ("rdf", str(RDF)), ("rdfs", str(RDFS)), ("xsd", str(XSD)),
    ("skos", str(SKOS)), ("dcterms", str(DCTERMS)), ("prov", str(PROV)), ("schema", SCHEMA),
)
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str) -> str:
    return re.sub(r'[\\"\n\r\t]', lambda m: _ESC[m.group()], text)


def _iri(term: URIRef, prefixed: bool) -> str:
    s = str(term)
    if prefixed:
        for p, ns in PREFIXES:
            if s.startswith(ns) and _LOCAL.match(s[len(ns):]):
                return f"{p}:{s[len(ns):]}"
    return f"<{s}>"


def _term(term, prefixed: bool) -> str:
    if isinstance(term, URIRef):
        return _iri(term, prefixed)
    if isinstance(term, Literal):
        if prefixed and term.datatype in (XSD.integer, XSD.boolean) and term.language is None:
            return str(term)
        body = f'"{_escape(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{body}^^{_iri(term.datatype, prefixed)}"
        return body
    raise ValueError(f"blank nodes are not written by the importers: {term!r}")


def serialize(graph: Graph, fmt: str = "turtle") -> str:
    """Canonical text of ``graph``: sorted N-Triples, or Turtle grouped by sorted subject.

    rdflib's own serialisers do not promise an order; this one does, so the same
    graph always gives the same bytes. Each subject starts a line, which lets
    ``llmkg validate`` point at the line that describes a node.
    """
    if fmt == "nt":
        lines = sorted(f"{_term(s, False)} {_term(p, False)} {_term(o, False)} ." for s, p, o in graph)
        return "\n".join(lines) + ("\n" if lines else "")
    out = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES]
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        by_subject[s][p].append(o)
    for s in sorted(by_subject, key=str):
        preds = by_subject[s]
        order = sorted(preds, key=lambda p: (p != RDF.type, str(p)))
        parts = []
        for p in order:
            objs = sorted(_term(o, True) for o in preds[p])
            name = "a" if p == RDF.type else _term(p, True)
            parts.append(f"    {name} " + " , ".join(objs))
        out.append("")
        out.append(_term(s, True) + "\n" + " ;\n".join(parts) + " .")
    return "\n".join(out) + "\n"


def write(graph: Graph, out: str | Path) -> Path:
    """Write ``graph`` to ``out``: N-Triples for a .nt name, Turtle otherwise."""
    out = Path(out)
    fmt = "nt" if out.suffix == ".nt" else "turtle"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(serialize(graph, fmt), encoding="utf-8")
    except OSError as e:
        raise InputError(f"{out}: cannot write the file ({e.strerror})") from None
    return out


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE]\+?\d+)?$")


def parse_date(text: str) -> Literal:
    """'2023', '2023-03', '2023-03-14' (a time after the day is ignored) → literal at that precision."""
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError("not a date as YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = m.groups()
    if m.group(0) != text.strip() or (d is None and re.search(r"[T ]", text.strip())):
        raise ValueError("not a date as YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        if d:
            return Literal(date(int(y), int(mo), int(d)).isoformat(), datatype=XSD.date)
        if mo:
            date(int(y), int(mo), 1)
            return Literal(f"{y}-{mo}", datatype=XSD.gYearMonth)
    except ValueError:
        raise ValueError("no such day or month") from None
    return Literal(y, datatype=XSD.gYear)


def parse_count(text: str) -> int:
    """An unambiguous positive whole number: '175000000000', '1.75e11', '175000000000.0'.

    Suffixes ('175B'), thousands separators and decimal commas are refused: each
    is read differently by different people.
    """
    t = text.strip()
    if not _NUMBER.match(t):
        raise ValueError("not a plain number (write 175000000000 or 1.75e11; suffixes such as B or M are not read)")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if value != value.to_integral_value():
        raise ValueError("not a whole number")
    if value <= 0:
        raise ValueError("not a positive number")
    return int(value)


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(",") if p.strip()]


def _mtime_date(paths_: list[Path]) -> Literal:
    stamp = max(p.stat().st_mtime for p in paths_)
    return Literal(datetime.fromtimestamp(stamp, tz=timezone.utc).date().isoformat(), datatype=XSD.date)


class _Builder:
    """Adds triples and keeps the provenance and counts of one import."""

    def __init__(self, kind: str, display: str, digest: str, files: list[Path], publisher: str,
                 title_en: str, title_zh: str, derived_from: str | None = None):
        self.g = Graph()
        self.kind = kind
        base = KG + f"import/{kind}/{digest}"
        self.source = URIRef(base)
        self.activity = URIRef(base + "/activity")
        self.counts: Counter = Counter()
        add = self.g.add
        s = self.source
        add((s, RDF.type, _t("Source")))
        add((s, RDFS.label, Literal(f"{title_en}: {display}", lang="en")))
        add((s, RDFS.label, Literal(f"{title_zh}：{display}", lang="zh")))
        add((s, DCTERMS.title, Literal(display)))
        add((s, DCTERMS.publisher, Literal(publisher)))
        add((s, DCTERMS.date, _mtime_date(files)))
        add((s, DCTERMS.type, DATASET_KIND))
        if derived_from:
            add((s, PROV.wasDerivedFrom, URIRef(derived_from)))
        for p, o in DATASET_KIND_TRIPLES:
            add((DATASET_KIND, p, o))
        a = self.activity
        add((a, RDF.type, PROV.Activity))
        add((a, RDFS.label, Literal(f"llmkg import {kind} of {display}", lang="en")))
        add((a, RDFS.label, Literal(f"llmkg 导入 {kind}：{display}", lang="zh")))
        add((a, PROV.used, s))

    def mark(self, node: URIRef, where: str | None = None):
        """Provenance of one imported node."""
        self.g.add((node, DCTERMS.source, self.source))
        self.g.add((node, PROV.wasGeneratedBy, self.activity))
        if where:
            self.g.add((node, RDFS.comment, Literal(where, lang="en")))

    def entity(self, node: URIRef, cls: URIRef, label: str, kind: str, where: str | None = None) -> URIRef:
        if (node, RDF.type, None) not in self.g:
            self.counts[kind] += 1
        self.g.add((node, RDF.type, cls))
        self.g.add((node, RDFS.label, Literal(label, lang="en")))
        self.mark(node, where)
        return node

    def shipped(self, local: str, cls: URIRef, label: str) -> URIRef:
        node = _kg(local)
        self.g.add((node, RDF.type, cls))
        self.g.add((node, RDFS.label, Literal(label, lang="en")))
        return node

    def task(self, name: str, namespace: str) -> URIRef:
        local = TASK_ALIASES.get(_norm(name))
        if local:
            return self.shipped(local, _t("Task"), SHIPPED_TASKS[local])
        label = name.replace("-", " ") if namespace == "hf-task" else name
        return self.entity(_kg(f"{namespace}/{_enc(name)}"), _t("Task"), label, "tasks")


def _read_bytes(path: Path, display: str) -> bytes:
    if not path.exists():
        raise InputError(f"{display}: no such file or directory")
    if path.is_dir():
        raise InputError(f"{display}: is a folder; give the CSV file")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{display}: cannot read the file ({e.strerror})") from None
    if not data.strip():
        raise InputError(f"{display}: the file is empty")
    return data


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------
# Epoch AI
# ---------------------------------------------------------------------------

#: Field → header aliases. Headers are compared case-, space- and punctuation-insensitively.
EPOCH_COLUMNS = {
    "name": ("Model", "System", "Model name", "Name"),
    "organization": ("Organization", "Organisation", "Organizations", "Organization(s)", "Developer"),
    "date": ("Publication date", "Release date", "Date"),
    "domain": ("Domain", "Domains"),
    "task": ("Task", "Tasks"),
    "parameters": ("Parameters", "Parameter count", "Number of parameters", "Params"),
    "base": ("Base model", "Base models", "Base model(s)", "Finetuned from"),
    "access": ("Model accessibility", "Accessibility"),
    "open_weights": ("Open model weights?", "Open weights"),
    "country": ("Country (of organization)", "Country of organization", "Country", "Countries"),
    "link": ("Link", "Links", "URL"),
    "reference": ("Reference", "Paper", "Title"),
    "authors": ("Authors", "Author"),
}
#: Columns recognised but not imported because the ontology has no term for them.
EPOCH_UNMAPPED = {
    "compute": ("Training compute (FLOP)", "Training compute"),
    "dataset_size": ("Training dataset size (datapoints)", "Training dataset size"),
    "training_time": ("Training time (hours)",),
    "hardware": ("Training hardware",),
}
EPOCH_DATASET_URL = "https://epoch.ai/data/notable-ai-models"

# Epoch's Domain values → kind of data, and the modalities the kind implies.
EPOCH_DOMAINS = {
    "language": ("language", [("hasModality", "Text")]),
    "vision": ("vision", [("hasModality", "Image")]),
    "image generation": ("vision", [("hasModality", "Image")]),
    "video": ("video", [("hasModality", "Video")]),
    "audio": ("audio", [("hasModality", "Audio")]),
    "speech": ("audio", [("hasModality", "Audio")]),
    "multimodal": ("multimodal", []),
    "games": ("games", [("inputModality", "GameState"), ("outputModality", "Action")]),
    "robotics": ("robotics", [("outputModality", "Action")]),
}


def _access(value: str) -> bool | None:
    v = value.casefold()
    if "open weights" in v or "open-weights" in v:
        return True
    if "api" in v or "hosted" in v or "unreleased" in v or "closed" in v:
        return False
    return None


def import_epoch(path: str | Path, out: str | Path | None = None) -> ImportResult:
    """Import Epoch AI's "Notable AI Models" CSV; write Turtle (or N-Triples) to ``out`` if given."""
    path = Path(path)
    display = str(path)
    data = _read_bytes(path, display)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"{display}:{line}: the file is not UTF-8 text") from None
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except csv.Error as e:
        raise InputError(f"{display}:1: cannot read the CSV header ({e})") from None
    if not any(h.strip() for h in header):
        raise InputError(f"{display}:1: the first line is not a header of column names")

    columns: dict[str, int] = {}
    unmapped: list[str] = []
    unknown: list[str] = []
    aliases = {_norm(a): f for f, names in EPOCH_COLUMNS.items() for a in names}
    unmapped_aliases = {_norm(a) for names in EPOCH_UNMAPPED.values() for a in names}
    for i, h in enumerate(header):
        key = _norm(h)
        f = aliases.get(key)
        if f and f not in columns:
            columns[f] = i
        elif key in unmapped_aliases:
            unmapped.append(h)
        elif f:
            unknown.append(f"{h} (a second column for {f}; the first one is used)")
        elif h.strip():
            unknown.append(h)
    if "name" not in columns:
        raise InputError(
            f"{display}:1: no column with the model's name; looked for the headers "
            f"{', '.join(repr(a) for a in EPOCH_COLUMNS['name'])} (compared without case, spaces "
            f"or punctuation); the header has {', '.join(repr(h) for h in header)}")

    b = _Builder("epoch", path.name, _digest(path.name.encode(), data), [path], "Epoch AI",
                 "Epoch AI notable AI models, imported file", "Epoch AI 知名AI模型数据导入文件",
                 derived_from=EPOCH_DATASET_URL)
    result = ImportResult("epoch", display, b.g, unknown_columns=unknown, unmapped_columns=unmapped)

    # First pass: read rows, keep the good ones, note names for base-model lookup.
    rows = []
    seen: dict[str, int] = {}
    line = 1
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise InputError(f"{display}:{reader.line_num}: cannot read the CSV ({e})") from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line is not a row
        result.rows_read += 1
        get = lambda f: cells[columns[f]].strip() if f in columns and columns[f] < len(cells) else ""  # noqa: E731
        name = get("name")
        if not name:
            result.skipped.append((start, f"no model name (column {header[columns['name']]!r} is empty)"))
            continue
        if len(cells) != len(header):
            result.skipped.append((start, f"{len(cells)} cells where the header has {len(header)} columns"))
            continue
        if name in seen:
            result.skipped.append((start, f"model {name!r} again (first at line {seen[name]}); the first row is kept"))
            continue
        seen[name] = start
        rows.append((start, {f: get(f) for f in columns}))

    models = {name: _kg(f"epoch/model/{_enc(name)}") for name in seen}
    folded = {}
    for name in seen:
        folded.setdefault(name.casefold(), name)
    stub_refs: Counter = Counter()
    where_of = lambda line_: f"line {line_} of {path.name}"  # noqa: E731
    col = lambda f: header[columns[f]].strip()  # noqa: E731  the column's name in this file

    for start, row in rows:
        def drop(fld, value, reason):
            result.dropped.append((start, fld, value, reason))

        name = row["name"]
        node = models[name]
        kinds: set[str] = set()
        modal = []
        for d in _split(row.get("domain", "")):
            kind = EPOCH_DOMAINS.get(d.casefold())
            if kind:
                kinds.add(kind[0])
                modal += kind[1]
            else:
                kinds.add(d.casefold())
        params = None
        if row.get("parameters"):
            try:
                params = parse_count(row["parameters"])
            except ValueError as e:
                drop(col("parameters"), row["parameters"], str(e))
        b.entity(node, model_class(params, kinds), name, "models", where_of(start))
        if params is not None:
            b.g.add((node, _t("parameterCount"), Literal(params, datatype=XSD.integer)))
        for prop, modality in modal:
            b.g.add((node, _t(prop), _kg(modality)))
        if row.get("date"):
            try:
                b.g.add((node, _t("releaseDate"), parse_date(row["date"])))
            except ValueError as e:
                drop(col("date"), row["date"], str(e))
        for task in _split(row.get("task", "")):
            b.g.add((node, _t("performsTask"), b.task(task, "epoch/task")))

        # Openness: the accessibility text, else the yes/no column.
        open_ = None
        if row.get("access"):
            open_ = _access(row["access"])
            if open_ is None:
                drop(col("access"), row["access"], "neither open weights nor API/hosted/unreleased")
        if open_ is None and row.get("open_weights"):
            yn = row["open_weights"].casefold()
            open_ = True if yn in ("yes", "true") else False if yn in ("no", "false") else None
            if open_ is None:
                drop(col("open_weights"), row["open_weights"], "not yes or no")
        if open_ is not None:
            b.g.add((node, _t("openWeights"), Literal(open_)))

        # Organisations and their countries.
        orgs = _split(row.get("organization", ""))
        countries = []
        for c in _split(row.get("country", "")):
            if _norm(c) in NOT_A_COUNTRY:
                drop(col("country"), c, "not a country")
            else:
                countries.append(c)
        org_nodes = []
        known_orgs = set()
        for o in orgs:
            known = shipped_organizations().get(_norm(o))
            if known:  # the shipped node: reused, and its shipped country is kept
                org = b.shipped(known[0], _t("Organization"), known[1])
                known_orgs.add(org)
            else:
                org = b.entity(_kg(f"epoch/org/{_enc(o)}"), _t("Organization"), o, "organisations")
            b.g.add((node, _t("developedBy"), org))
            org_nodes.append(org)
        if countries:
            if len(countries) == len(org_nodes):
                pairs = list(zip(org_nodes, countries))
            elif len(countries) == 1:
                pairs = [(o, countries[0]) for o in org_nodes]
            else:
                pairs = []
                drop(col("country"), row["country"],
                     f"{len(countries)} countries for {len(org_nodes)} organisations: cannot tell which is whose")
            for org, c in pairs:
                if org in known_orgs:
                    continue
                shipped = SHIPPED_COUNTRIES.get(_norm(c))
                if shipped:
                    cnode = b.shipped(shipped[0], _t("Country"), shipped[1])
                else:
                    cnode = b.entity(_kg(f"epoch/country/{_enc(c)}"), _t("Country"), c, "countries")
                b.g.add((org, _t("country"), cnode))
        if not orgs:
            result.notes.append(f"line {start}: {name!r} has no organisation (llmkg:developedBy left out)")

        # Base models: another row's model, or a stub.
        base_cell = row.get("base", "")
        if base_cell:
            bases = [base_cell] if (base_cell in models or base_cell.casefold() in folded) else _split(base_cell)
            for base in bases:
                known = base if base in models else folded.get(base.casefold())
                if known == name:
                    drop(col("base"), base, "the model itself")
                    continue
                if known:
                    target = models[known]
                    result.resolved_bases += 1
                else:
                    target = _kg(f"epoch/model/{_enc(base)}")
                    if not stub_refs[base]:
                        b.entity(target, _t("MachineLearningModel"), base, "stub models",
                                 f"stub: named as a base model at line {start} of {path.name}, not a row of it")
                    stub_refs[base] += 1
                b.g.add((node, _t("basedOn"), target))

        # The publication the row cites.
        links = [l for l in re.split(r"[\s,]+", row.get("link", "")) if l]
        if any(not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", l) for l in links):
            drop(col("link"), row["link"], "not one or more http(s) addresses")
            links = []
        for link in links:
            src = _kg(f"epoch/source/{hashlib.sha256(link.encode()).hexdigest()[:16]}")
            if (src, RDF.type, None) not in b.g:
                title = row.get("reference") or link
                b.entity(src, _t("Source"), title, "sources")
                b.g.add((src, DCTERMS.title, Literal(title)))
                b.g.add((src, URIRef(SCHEMA + "url"), Literal(link, datatype=XSD.anyURI)))
                if row.get("authors"):
                    b.g.add((src, DCTERMS.creator, Literal(row["authors"])))
                if re.match(r"^https?://(www\.)?arxiv\.org/(abs|pdf)/", link):
                    b.g.add((src, DCTERMS.type, _kg("ResearchPaper")))  # arXiv holds preprints
            b.g.add((node, DCTERMS.source, src))
        result.rows_imported += 1

    result.stubs = sorted(stub_refs)
    result.stub_links = dict(sorted(stub_refs.items()))
    result.counts = dict(sorted(b.counts.items()))
    if out is not None:
        result.out = write(b.g, out)
    return result


# ---------------------------------------------------------------------------
# Hugging Face
# ---------------------------------------------------------------------------

#: base_model_relation → property: the sub-properties of llmkg:basedOn the
#: ontology has for each (llmkg:basedOn alone would say only "built from").
HF_RELATIONS = {
    "finetune": _t("fineTunedFrom"),
    "adapter": _t("adapterOf"),
    "merge": _t("mergedFrom"),
    "quantized": _t("quantizedFrom"),
}
HF_DEFAULT_RELATION = _t("basedOn")  # no base_model_relation given: claim only "based on"

#: Hub license ids (lower case) → SPDX ids; anything else stays a literal.
SPDX = {s.casefold(): s for s in (
    "Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0",
    "AGPL-3.0", "MPL-2.0", "CC0-1.0", "CC-BY-2.0", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0",
    "CC-BY-SA-4.0", "CC-BY-NC-2.0", "CC-BY-NC-3.0", "CC-BY-NC-4.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-3.0",
    "CC-BY-NC-ND-4.0", "CC-BY-NC-SA-2.0", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0", "OpenRAIL",
    "BSL-1.0", "EPL-1.0", "EPL-2.0", "EUPL-1.1", "EUPL-1.2", "AFL-3.0", "Artistic-2.0", "ISC",
    "Unlicense", "WTFPL", "Zlib", "ECL-2.0", "LPPL-1.3c", "OSL-3.0", "PDDL-1.0", "ODbL-1.0",
    "ODC-By-1.0", "GFDL-1.3", "CDLA-Sharing-1.0", "CDLA-Permissive-1.0", "CDLA-Permissive-2.0",
)}
# Hub ids that differ from SPDX only in a suffix the Hub leaves out.
SPDX.update({"gpl-2.0": "GPL-2.0-only", "gpl-3.0": "GPL-3.0-only", "lgpl-2.1": "LGPL-2.1-only",
             "lgpl-3.0": "LGPL-3.0-only", "agpl-3.0": "AGPL-3.0-only", "gfdl-1.3": "GFDL-1.3-only"})
SPDX.pop("openrail")  # a RAIL licence, not an SPDX id

#: pipeline_tag → kind of data, for the class rule when the size is known.
HF_KINDS = {
    **{t: {"language"} for t in (
        "text-generation", "text2text-generation", "fill-mask", "translation", "summarization",
        "question-answering", "text-classification", "token-classification", "sentence-similarity",
        "zero-shot-classification", "table-question-answering", "feature-extraction", "conversational")},
    **{t: {"vision"} for t in (
        "image-classification", "object-detection", "image-segmentation", "depth-estimation",
        "image-feature-extraction", "unconditional-image-generation", "image-to-image",
        "zero-shot-image-classification", "mask-generation", "keypoint-detection", "video-classification")},
    **{t: {"multimodal"} for t in (
        "image-text-to-text", "visual-question-answering", "image-to-text", "text-to-image",
        "document-question-answering", "any-to-any", "text-to-video", "video-text-to-text",
        "image-to-video", "audio-text-to-text", "text-to-speech", "text-to-audio",
        "automatic-speech-recognition", "zero-shot-object-detection")},
    **{t: {"audio"} for t in ("audio-classification", "audio-to-audio", "voice-activity-detection")},
    **{t: {"games"} for t in ("reinforcement-learning", "robotics")},
}

#: Fields read from a card or a JSONL object. Everything else is listed as not imported.
HF_FIELDS = {"id", "modelId", "base_model", "base_model_relation", "license", "pipeline_tag",
             "datasets", "language", "library_name", "safetensors", "cardData"}
_HF_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*$")
# BCP 47 language tag, the lexical space of xsd:language.
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def hf_model_iri(model_id: str) -> URIRef:
    """``org/name`` → https://w3id.org/llmkg/id/hf/org/name (each segment percent-encoded)."""
    return _kg("hf/" + "/".join(_enc(p) for p in model_id.split("/")))


def _hub_url(model_id: str, kind: str = "") -> URIRef:
    return URIRef("https://huggingface.co/" + kind + "/".join(_enc(p) for p in model_id.split("/")))


# -- front matter: the YAML subset model cards use ---------------------------

class FrontMatterError(ValueError):
    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(f"line {line}: {reason}")


class Unparsed:
    """A block value (nested mapping, block scalar …) the subset parser does not read."""

    def __init__(self, line: int, kind: str):
        self.line, self.kind = line, kind

    def __repr__(self):
        return f"<{self.kind} at line {self.line}>"


_KEY = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:(?:\s+(.*))?$")


def _scalar(text: str, line: int):
    """A YAML scalar, always as a string (YAML 1.1's ``no`` → False is not applied: 'no' is Norwegian)."""
    t = text.strip()
    if t.startswith('"'):
        end = _closing_double(t, line)
        rest = t[end + 1:].strip()
        if rest and not rest.startswith("#"):
            raise FrontMatterError(line, f"text after a quoted value: {rest!r}")
        try:
            return json.loads(t[: end + 1])
        except json.JSONDecodeError:
            raise FrontMatterError(line, "a double-quoted value with an escape this reader does not know") from None
    if t.startswith("'"):
        m = re.match(r"^'((?:[^']|'')*)'\s*(#.*)?$", t)
        if not m:
            raise FrontMatterError(line, "an unterminated single-quoted value")
        return m.group(1).replace("''", "'")
    t = re.sub(r"\s+#.*$", "", t)
    if t.startswith(("&", "*", "!", "|", ">", "{", "@", "`")):
        raise FrontMatterError(line, f"a YAML feature this reader does not handle: {t[:20]!r}")
    if t in ("", "~", "null", "Null", "NULL"):
        return None
    return t


def _closed(t: str) -> bool:
    """Whether a value that starts with a quote also ends its quoted part."""
    if t[0] == "'":
        return re.match(r"^'(?:[^']|'')*'", t) is not None
    try:
        _closing_double(t, 0)
        return True
    except FrontMatterError:
        return False


def _closing_double(t: str, line: int) -> int:
    i = 1
    while i < len(t):
        if t[i] == "\\":
            i += 2
            continue
        if t[i] == '"':
            return i
        i += 1
    raise FrontMatterError(line, "an unterminated double-quoted value")


def _flow_list(text: str, line: int) -> list:
    t = re.sub(r"\s+#[^\]]*$", "", text.strip())
    if not t.endswith("]"):
        raise FrontMatterError(line, "a [list] that does not end on the same line")
    body = t[1:-1]
    items, cur, quote_ = [], "", None
    i = 0
    while i < len(body):
        c = body[i]
        if quote_:
            cur += c
            if c == "\\" and quote_ == '"' and i + 1 < len(body):
                cur += body[i + 1]
                i += 1
            elif c == quote_:
                quote_ = None
        elif c in "\"'":
            quote_ = c
            cur += c
        elif c in "[]{}":
            raise FrontMatterError(line, "a nested list or mapping inside [ ]")
        elif c == ",":
            items.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if quote_:
        raise FrontMatterError(line, "an unterminated quoted value inside [ ]")
    if cur.strip() or items:
        items.append(cur)
    return [v for v in (_scalar(x, line) for x in items) if v is not None]


def parse_front_matter(text: str) -> tuple[dict, dict, int]:
    """Read the YAML front matter of a model card.

    Returns (fields, lines, end): top-level key → value (a string, None, a list
    of strings, or :class:`Unparsed` for a nested block), key → line number,
    and the line of the closing ``---``. Raises :class:`FrontMatterError`
    (with a line) for what it cannot read, and ``LookupError`` when the text
    has no front matter at all.
    """
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != "---":
        raise LookupError("no front matter")
    fields: dict = {}
    where: dict = {}
    mode: dict = {}  # key → "empty", "block" (a - list), "flow", "scalar" or "unparsed"
    key = None
    i = 0
    while i + 1 < len(lines):
        i += 1
        raw = lines[i]
        n = i + 1
        stripped = raw.strip()
        if raw.rstrip() in ("---", "..."):
            return fields, where, n
        if not stripped or stripped.startswith("#"):
            continue
        indent = raw[: len(raw) - len(raw.lstrip())]
        if "\t" in indent:
            raise FrontMatterError(n, "a tab in the indentation (YAML allows spaces only)")
        if key is None and (indent or stripped.startswith("-")):
            raise FrontMatterError(n, "a list item or an indented line before any key")
        if stripped.startswith("- ") or stripped == "-":
            item = stripped[1:].strip()
            if mode[key] == "empty":
                mode[key], fields[key] = "block", []
            if mode[key] == "block":
                if _KEY.match(item) or item.startswith(("[", "{", "-")):
                    mode[key], fields[key] = "unparsed", Unparsed(where[key], "list of mappings or lists")
                else:
                    fields[key].append(_scalar(item, n))
            elif mode[key] != "unparsed":
                raise FrontMatterError(n, f"a list item after the value of {key!r}")
            continue
        if indent:
            if mode[key] in ("empty", "block"):
                mode[key], fields[key] = "unparsed", Unparsed(where[key], "nested block")
            elif mode[key] != "unparsed":
                raise FrontMatterError(n, f"the value of {key!r} goes on over several lines")
            continue
        m = _KEY.match(stripped)
        if not m:
            raise FrontMatterError(n, f"expected 'key: value', found {stripped[:40]!r}")
        key, value = m.group(1), (m.group(2) or "").strip()
        if key in fields:
            raise FrontMatterError(n, f"the key {key!r} appears twice (first at line {where[key]})")
        where[key] = n
        if value == "" or value.startswith("#"):
            mode[key], fields[key] = "empty", None
        elif value.startswith("["):
            mode[key], fields[key] = "flow", _flow_list(value, n)
        elif value[:1] in ("{", "|", ">"):
            kind = "flow mapping" if value[0] == "{" else "block scalar"
            mode[key], fields[key] = "unparsed", Unparsed(n, kind)
        else:
            if value[0] in "'\"" and not _closed(value):
                # A quoted value over several lines: fold it as YAML does
                # (a line break is a space, an empty line a newline).
                parts = [value]
                while not _closed(" ".join(parts)):
                    i += 1
                    if i >= len(lines) or lines[i].rstrip() in ("---", "..."):
                        raise FrontMatterError(n, "a quoted value that is never closed")
                    parts.append(lines[i].strip())
                value = parts[0]
                for part in parts[1:]:
                    value += "\n" if part == "" else ("" if value.endswith("\n") else " ") + part
            mode[key], fields[key] = "scalar", _scalar(value, n)
    raise FrontMatterError(len(lines), "the front matter has no closing '---' line")


# -- records -------------------------------------------------------------------

@dataclass
class _Record:
    where: str             # "file:line" for messages
    line: int | str        # what goes into ImportResult.skipped / dropped
    fields: dict
    comment: str           # the rdfs:comment saying where the model was read


def _cards(root: Path, on_error: str, result: ImportResult,
           files: list[Path] | None = None) -> tuple[list[_Record], list[Path]]:
    """The cards under ``root`` (or just ``files``, paths below ``root``)."""
    if files is None:
        files = sorted(p for p in root.rglob("*.md") if p.is_file())
    if not files:
        raise InputError(f"{root}: no model cards (*.md files) in the folder")
    records = []
    for f in files:
        rel = f.relative_to(root).as_posix()
        result.rows_read += 1
        try:
            text = f.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            line = f.read_bytes()[: e.start].count(b"\n") + 1
            _fail(on_error, result, f"{rel}:{line}", "the file is not UTF-8 text")
            continue
        try:
            fields, where, _ = parse_front_matter(text)
        except LookupError:
            result.skipped.append((f"{rel}:1", "no YAML front matter (no '---' on the first line)"))
            continue
        except FrontMatterError as e:
            _fail(on_error, result, f"{rel}:{e.line}", f"front matter cannot be read: {e.reason}")
            continue
        if not fields.get("id") and not fields.get("modelId"):
            parts = f.relative_to(root).parts
            if f.name.casefold() == "readme.md" and len(parts) >= 3:
                fields["id"] = f"{parts[-3]}/{parts[-2]}"
            elif f.name.casefold() == "readme.md" and len(parts) == 2:
                fields["id"] = parts[0]
            elif f.name.casefold() != "readme.md":
                fields["id"] = f.stem.replace("__", "/")
        records.append(_Record(f"{rel}:1", f"{rel}:1", fields, f"front matter of {rel}"))
    return records, files


def _is_card(path: Path) -> bool:
    """A single Markdown model card (not a JSONL file): a .md file, or text that opens with '---'."""
    if path.suffix.casefold() == ".md":
        return True
    try:
        with open(path, "rb") as f:
            return f.readline().strip() == b"---"
    except OSError:
        return False  # reported where the file is read


def _jsonl(path: Path, display: str, data: bytes, on_error: str, result: ImportResult) -> list[_Record]:
    records = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"{display}:{line}: the file is not UTF-8 text") from None
    parsed, first_error = 0, None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        result.rows_read += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            first_error = first_error or f"{display}:{n}: {e.msg} at column {e.colno}"
            _fail(on_error, result, n, f"not a JSON object ({e.msg} at column {e.colno})", display)
            continue
        parsed += 1
        if not isinstance(obj, dict):
            _fail(on_error, result, n, "not a JSON object", display)
            continue
        card = obj.get("cardData")
        fields = dict(obj)
        if isinstance(card, dict):  # the Hub API puts the front matter under cardData
            fields = {**card, **{k: v for k, v in obj.items() if k != "cardData"}}
            fields["cardData"] = None
        records.append(_Record(f"{display}:{n}", n, fields, f"line {n} of {path.name}"))
    if first_error and not parsed:  # not a line of JSON in it: not a JSONL file at all
        raise InputError(f"{first_error}: not JSON Lines (no line of the file is JSON); give a JSONL file "
                         "(one JSON object a line), a model card (.md with YAML front matter) or a folder of cards")
    return records


def _fail(on_error: str, result: ImportResult, where, reason: str, display: str | None = None):
    if on_error == "raise":
        loc = f"{display}:{where}" if display else str(where)
        raise InputError(f"{loc}: {reason}")
    result.skipped.append((where, reason))


def _strings(value, what: str) -> list[str]:
    """A field that may be one string or a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v.strip()]
    raise ValueError(f"{what} is not a string or a list of strings")


def _hf_id(value: str) -> str:
    v = value.strip()
    for prefix in ("https://huggingface.co/", "http://huggingface.co/", "hf.co/", "huggingface.co/"):
        if v.startswith(prefix):
            v = v[len(prefix):].strip("/")
    return v


def import_hf(path: str | Path, out: str | Path | None = None, *, on_error: str = "raise") -> ImportResult:
    """Import Hugging Face model-card metadata from a folder of cards or a JSONL file.

    A card is any ``*.md`` under the folder whose YAML front matter sits between
    ``---`` lines; its id is ``id``/``modelId`` in the front matter, else
    ``<org>/<name>`` from ``<org>/<name>/README.md``, else the file name with
    ``__`` for ``/``. A JSONL line is one object with ``id`` (or ``modelId``)
    and the card's fields, at the top level or under ``cardData`` as the Hub API
    returns them.

    ``on_error="raise"`` (default) stops at the first card or line that cannot be
    read, with an InputError naming file and line; ``"skip"`` skips it and
    reports it in ``result.skipped``.
    """
    if on_error not in ("raise", "skip"):
        raise InputError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    path = Path(path)
    display = str(path)
    if not path.exists():
        raise InputError(f"{display}: no such file or directory")
    result = ImportResult("hf", display, Graph())
    if path.is_dir():
        records, files = _cards(path, on_error, result)
        digest = _digest(*(p for f in files for p in (f.relative_to(path).as_posix().encode(), f.read_bytes())))
    elif _is_card(path):
        data = _read_bytes(path, display)
        # <org>/<name>/README.md names its model, as in a folder of cards
        card = path.resolve()
        root = card.parents[2] if card.name.casefold() == "readme.md" and len(card.parents) > 2 else card.parent
        records, files = _cards(root, on_error, result, [card])
        digest = _digest(path.name.encode(), data)
    else:
        data = _read_bytes(path, display)
        records = _jsonl(path, display, data, on_error, result)
        files = [path]
        digest = _digest(path.name.encode(), data)
    b = _Builder("hf", path.name, digest, files, "Hugging Face",
                 "Hugging Face model cards, imported", "Hugging Face 模型卡片导入")
    result.graph = b.g
    g = b.g

    # Ids of the input, for resolving base models (the Hub treats ids without case).
    ids: dict[str, str] = {}
    good = []
    for r in records:
        mid = r.fields.get("id") or r.fields.get("modelId")
        if not isinstance(mid, str) or not _HF_ID.match(mid.strip()):
            result.skipped.append((r.line, f"no valid model id (got {mid!r}); give 'id': 'org/name'"))
            continue
        mid = mid.strip()
        if mid.casefold() in ids:
            result.skipped.append((r.line, f"model {mid!r} again; the first one is kept"))
            continue
        ids[mid.casefold()] = mid
        good.append((mid, r))

    unknown: Counter = Counter()
    stub_refs: Counter = Counter()
    stub_names: dict[str, str] = {}  # one stub per id, in its first spelling

    def org_of(mid: str) -> URIRef | None:
        if "/" not in mid:
            return None
        org = mid.split("/")[0]
        known = shipped_organizations().get(_norm(org))
        if known:  # e.g. the Hub account "google" is the shipped kg:Google
            return b.shipped(known[0], _t("Organization"), known[1])
        node = b.entity(_kg(f"hf/{_enc(org)}"), _t("Organization"), org, "organisations")
        g.add((node, SKOS.exactMatch, _hub_url(org)))
        return node

    for mid, r in good:
        f = r.fields

        def drop(fld, value, reason):
            result.dropped.append((r.line, fld, value if isinstance(value, str) else repr(value), reason))

        for k, v in f.items():
            if k not in HF_FIELDS and v is not None:
                unknown[k] += 1
        node = hf_model_iri(mid)
        params = None
        st = f.get("safetensors")
        if isinstance(st, dict) and st.get("total") is not None:
            try:
                params = parse_count(str(st["total"]))
            except ValueError as e:
                drop("safetensors.total", str(st["total"]), str(e))
        tag = f.get("pipeline_tag")
        if tag is not None and not isinstance(tag, str):
            drop("pipeline_tag", tag, "not a string")
            tag = None
        kinds = HF_KINDS.get(tag or "", set())
        b.entity(node, model_class(params, kinds), mid, "models", r.comment)
        g.add((node, SKOS.exactMatch, _hub_url(mid)))
        if params is not None:
            g.add((node, _t("parameterCount"), Literal(params, datatype=XSD.integer)))
        org = org_of(mid)
        if org is not None:
            g.add((node, _t("developedBy"), org))
        if tag:
            g.add((node, _t("performsTask"), b.task(tag, "hf-task")))

        # Lineage.
        relation = f.get("base_model_relation")
        prop = HF_DEFAULT_RELATION
        if relation is not None:
            if isinstance(relation, str) and relation in HF_RELATIONS:
                prop = HF_RELATIONS[relation]
            else:
                drop("base_model_relation", relation,
                     f"not one of {', '.join(HF_RELATIONS)}; llmkg:basedOn is used")
        try:
            bases = _strings(f.get("base_model"), "base_model")
        except ValueError as e:
            drop("base_model", f.get("base_model"), str(e))
            bases = []
        for base in bases:
            bid = _hf_id(base)
            if not _HF_ID.match(bid):
                drop("base_model", base, "not a Hub model id (org/name)")
                continue
            known = ids.get(bid.casefold())
            bid = stub_names.setdefault(bid.casefold(), bid) if not known else bid
            if known == mid:
                drop("base_model", base, "the model itself")
                continue
            if known:
                target = hf_model_iri(known)
                result.resolved_bases += 1
            else:
                target = hf_model_iri(bid)
                if not stub_refs[bid]:
                    b.entity(target, _t("MachineLearningModel"), bid, "stub models",
                             f"stub: named as a base model in the {r.comment}, not in the input")
                    g.add((target, SKOS.exactMatch, _hub_url(bid)))
                    borg = org_of(bid)
                    if borg is not None:
                        g.add((target, _t("developedBy"), borg))
                stub_refs[bid] += 1
            g.add((node, prop, target))

        # Licence: an SPDX IRI where the id is one, else the Hub's text.
        for lic in _listish(f.get("license"), "license", drop):
            spdx = SPDX.get(lic.casefold())
            g.add((node, DCTERMS.license, URIRef(f"https://spdx.org/licenses/{spdx}") if spdx else Literal(lic)))

        # Training data. schema:isBasedOn ("a resource from which this work is
        # derived") is the standard term closest to "trained on"; the dataset is
        # a schema:Dataset node linked to its Hub page. prov:wasDerivedFrom is kept
        # for where a description comes from, not for what a model learnt from.
        for ds in _listish(f.get("datasets"), "datasets", drop):
            dsid = _hf_id(ds).removeprefix("datasets/")
            if not _HF_ID.match(dsid):
                drop("datasets", ds, "not a Hub dataset id (org/name)")
                continue
            dnode = b.entity(_kg("hf-dataset/" + "/".join(_enc(p) for p in dsid.split("/"))),
                             URIRef(SCHEMA + "Dataset"), dsid, "datasets")
            g.add((dnode, SKOS.exactMatch, _hub_url(dsid, "datasets/")))
            g.add((node, URIRef(SCHEMA + "isBasedOn"), dnode))

        # Languages as BCP 47 tags (xsd:language), the Hub's own notation.
        for lang in _listish(f.get("language"), "language", drop):
            if _LANG.match(lang):
                g.add((node, DCTERMS.language, Literal(lang, datatype=XSD.language)))
            else:
                drop("language", lang, "not a BCP 47 language tag")

        # The library that loads the weights: schema:softwareRequirements
        # ("component dependency requirements … runtime environments and shared
        # libraries") says exactly that.
        for lib in _listish(f.get("library_name"), "library_name", drop):
            g.add((node, URIRef(SCHEMA + "softwareRequirements"), Literal(lib)))
        result.rows_imported += 1

    result.unknown_columns = [f"{k} ({n} models)" for k, n in sorted(unknown.items())]
    result.stubs = sorted(stub_refs)
    result.stub_links = dict(sorted(stub_refs.items()))
    result.counts = dict(sorted(b.counts.items()))
    if out is not None:
        result.out = write(g, out)
    return result


def _listish(value, name, drop) -> list[str]:
    try:
        return _strings(value, name)
    except ValueError as e:
        drop(name, value, str(e) + " (a nested YAML block is not read)" if isinstance(value, Unparsed) else str(e))
        return []
