"""Epoch AI's "Notable AI Models" CSV → the ontology's terms.

Columns are matched by header name through an alias table, since the export's
headers change between versions. A row needs a model name and as many cells as
the header; a name seen before is skipped. Each cell that cannot be read is
left out and reported with its line, column and reason.
"""
from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from llmkg.errors import InputError
from llmkg.sources.importers.builder import GraphBuilder
from llmkg.sources.importers.inputs import decode_utf8, input_digest, read_input
from llmkg.sources.importers.output import write
from llmkg.sources.importers.result import ImportResult
from llmkg.sources.importers.values import parse_count, parse_date, split_cell
from llmkg.sources.importers.vocabulary import (
    NOT_A_COUNTRY, SHIPPED_COUNTRIES, data_node, match_key, model_class, ontology_term, path_segment,
    schema_term, shipped_organizations,
)

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

#: Epoch's Domain values → kind of data, and the modalities the kind implies.
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

_HTTP_LINK = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_ARXIV = re.compile(r"^https?://(www\.)?arxiv\.org/(abs|pdf)/")


def import_epoch(path: str | Path, out: str | Path | None = None, *, on_error: str = "raise") -> ImportResult:
    """Import Epoch AI's "Notable AI Models" CSV; write Turtle (or N-Triples) to ``out`` if given.

    A row the CSV reader cannot read (an unclosed quote) stops the import with
    an InputError at its line (``on_error="raise"``, the default), or is
    skipped and reported, reading going on at the next line (``"skip"``).
    """
    path = Path(path)
    display = str(path)
    data = read_input(path, display)
    lines = decode_utf8(data, display).splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    header = read_header(reader, display)
    columns = match_columns(header, display)
    builder = GraphBuilder("epoch", path.name, input_digest(path.name.encode(), data), [path], "Epoch AI",
                           "Epoch AI notable AI models, imported file", "Epoch AI 知名AI模型数据导入文件",
                           derived_from=EPOCH_DATASET_URL)
    result = ImportResult("epoch", display, builder.triples, unknown_columns=columns.unknown,
                          unmapped_columns=columns.unmapped)
    rows = read_rows(lines, columns, display, result, on_error)
    rows_to_graph = EpochRows(builder, result, rows, columns, path.name)
    for row in rows:
        rows_to_graph.add(row)
    result.record_stubs(rows_to_graph.stub_links)
    result.counts = builder.sorted_counts()
    if out is not None:
        result.out = write(builder.triples, out)
    return result


# -- reading the file ----------------------------------------------------------

@dataclass
class Columns:
    """Which column of this file holds each field, and the headers not imported."""

    index: dict[str, int]                               # field → column number
    header: list[str]
    unmapped: list[str] = field(default_factory=list)   # recognised, no ontology term yet
    unknown: list[str] = field(default_factory=list)

    def name(self, fld: str) -> str:
        """The header of ``fld``'s column, as this file spells it."""
        return self.header[self.index[fld]].strip()


@dataclass
class EpochRow:
    line: int              # the line the row starts on
    cells: dict[str, str]  # field → stripped cell


def read_header(reader, display: str) -> list[str]:
    try:
        header = next(reader)
    except csv.Error as e:
        raise InputError(f"{display}:1: cannot read the CSV header ({e})") from None
    except StopIteration:
        header = []
    if not any(h.strip() for h in header):
        raise InputError(f"{display}:1: the first line is not a header of column names")
    return header


def match_columns(header: list[str], display: str) -> Columns:
    """Match each header to a field through EPOCH_COLUMNS; the first column for a field wins."""
    aliases = {match_key(a): f for f, names in EPOCH_COLUMNS.items() for a in names}
    unmapped_aliases = {match_key(a) for names in EPOCH_UNMAPPED.values() for a in names}
    columns = Columns({}, header)
    for i, h in enumerate(header):
        key = match_key(h)
        fld = aliases.get(key)
        if fld and fld not in columns.index:
            columns.index[fld] = i
        elif key in unmapped_aliases:
            columns.unmapped.append(h)
        elif fld:
            columns.unknown.append(f"{h} (a second column for {fld}; the first one is used)")
        elif h.strip():
            columns.unknown.append(h)
    if "name" not in columns.index:
        raise InputError(
            f"{display}:1: no column with the model's name; looked for the headers "
            f"{', '.join(repr(a) for a in EPOCH_COLUMNS['name'])} (compared without case, spaces "
            f"or punctuation); the header has {', '.join(repr(h) for h in header)}")
    return columns


def read_rows(lines: list[str], columns: Columns, display: str, result: ImportResult,
              on_error: str = "raise") -> list[EpochRow]:
    """The rows to import (the header is line 1); blank lines are passed over, rows that cannot be
    imported reported as skipped."""
    rows = []
    first_line: dict[str, int] = {}  # model name → the line it was first seen on
    offset = 1                       # lines before the reader's first
    reader = csv.reader(lines[offset:], strict=True)
    line = offset
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            # strict: an unclosed quote is an error at the end of the file, not one cell
            # swallowing every row after it
            reason = (f"a quote opened on this line is never closed, so every line from {start} to the end "
                      "would be one cell; close the quote (or double it inside a quoted cell: \"\")"
                      if "unexpected end of data" in str(e) else f"cannot read the CSV ({e})")
            if on_error == "raise":
                raise InputError(f"{display}:{start}: {reason}") from None
            result.rows_read += 1
            result.skipped.append((start, reason))
            offset = start  # read on from the next line
            reader = csv.reader(lines[offset:], strict=True)
            line = offset
            continue
        line = offset + reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line is not a row
        result.rows_read += 1
        row = EpochRow(start, {f: cells[i].strip() if i < len(cells) else "" for f, i in columns.index.items()})
        reason = why_not_imported(row, len(cells), columns, first_line)
        if reason:
            result.skipped.append((start, reason))
            continue
        first_line[row.cells["name"]] = start
        rows.append(row)
    return rows


def why_not_imported(row: EpochRow, cells: int, columns: Columns, first_line: dict[str, int]) -> str | None:
    """The reason a row is skipped (no name, a short or long row, a name seen before), or None."""
    name, header = row.cells["name"], columns.header
    if not name:
        return f"no model name (column {header[columns.index['name']]!r} is empty)"
    if cells != len(header):
        return f"{cells} cells where the header has {len(header)} columns"
    if name in first_line:
        return f"model {name!r} again (first at line {first_line[name]}); the first row is kept"
    return None


# -- rows → graph --------------------------------------------------------------

def openness(access: str) -> bool | None:
    """Open weights (True), closed (False) or unknown (None), from the accessibility text."""
    v = access.casefold()
    if "open weights" in v or "open-weights" in v:
        return True
    if "api" in v or "hosted" in v or "unreleased" in v or "closed" in v:
        return False
    return None


class EpochRows:
    """Adds the rows of one Epoch CSV to the graph; reports each value it leaves out."""

    def __init__(self, builder: GraphBuilder, result: ImportResult, rows: list[EpochRow], columns: Columns,
                 file_name: str):
        self.builder, self.result, self.columns, self.file_name = builder, result, columns, file_name
        self.models = {row.cells["name"]: data_node(f"epoch/model/{path_segment(row.cells['name'])}")
                       for row in rows}
        self.folded: dict[str, str] = {}  # case-folded name → the name as the rows spell it
        for name in self.models:
            self.folded.setdefault(name.casefold(), name)
        self.stub_links: Counter = Counter()  # base model not in the file → links to it

    def add(self, row: EpochRow) -> None:
        """One row: the model, its organisations, base models and publications."""
        node = self.models[row.cells["name"]]
        self.add_model(node, row)
        self.add_organisations(node, row)
        self.add_base_models(node, row)
        self.add_publications(node, row)
        self.result.rows_imported += 1

    def drop(self, row: EpochRow, fld: str, value: str, reason: str) -> None:
        """Report a value left out, under its column's name in this file."""
        self.result.dropped.append((row.line, self.columns.name(fld), value, reason))

    def add_model(self, node: URIRef, row: EpochRow) -> None:
        """The model's class, size, modalities, date, tasks and openness."""
        b, cells = self.builder, row.cells
        kinds, modalities = self.kinds_of_data(row)
        params = self.parameters(row)
        b.entity(node, model_class(params, kinds), cells["name"], "models", f"line {row.line} of {self.file_name}")
        if params is not None:
            b.add(node, ontology_term("parameterCount"), Literal(params, datatype=XSD.integer))
        for prop, modality in modalities:
            b.add(node, ontology_term(prop), data_node(modality))
        if cells.get("date"):
            try:
                b.add(node, ontology_term("releaseDate"), parse_date(cells["date"]))
            except ValueError as e:
                self.drop(row, "date", cells["date"], str(e))
        for task in split_cell(cells.get("task", "")):
            b.add(node, ontology_term("performsTask"), b.task(task, "epoch/task"))
        open_weights = self.open_weights(row)
        if open_weights is not None:
            b.add(node, ontology_term("openWeights"), Literal(open_weights))

    @staticmethod
    def kinds_of_data(row: EpochRow) -> tuple[set[str], list[tuple[str, str]]]:
        """The kinds of data (for the class rule) and the (property, modality) pairs the domains imply."""
        kinds: set[str] = set()
        modalities: list[tuple[str, str]] = []
        for domain in split_cell(row.cells.get("domain", "")):
            known = EPOCH_DOMAINS.get(domain.casefold())
            if known:
                kinds.add(known[0])
                modalities += known[1]
            else:
                kinds.add(domain.casefold())
        return kinds, modalities

    def parameters(self, row: EpochRow) -> int | None:
        text = row.cells.get("parameters")
        if not text:
            return None
        try:
            return parse_count(text)
        except ValueError as e:
            self.drop(row, "parameters", text, str(e))
            return None

    def open_weights(self, row: EpochRow) -> bool | None:
        """The accessibility text, else the yes/no column; None (and reported) when neither says."""
        cells = row.cells
        result = None
        if cells.get("access"):
            result = openness(cells["access"])
            if result is None:
                self.drop(row, "access", cells["access"], "neither open weights nor API/hosted/unreleased")
        if result is None and cells.get("open_weights"):
            answer = cells["open_weights"].casefold()
            result = True if answer in ("yes", "true") else False if answer in ("no", "false") else None
            if result is None:
                self.drop(row, "open_weights", cells["open_weights"], "not yes or no")
        return result

    def add_organisations(self, node: URIRef, row: EpochRow) -> None:
        """llmkg:developedBy each organisation (a shipped one reused), and their countries."""
        b = self.builder
        names = split_cell(row.cells.get("organization", ""))
        if not names:
            self.result.notes.append(
                f"line {row.line}: {row.cells['name']!r} has no organisation (llmkg:developedBy left out): "
                "it will not validate until one is added")
        orgs, shipped = [], set()
        for name in names:
            known = shipped_organizations().get(match_key(name))
            if known:  # the shipped node: reused, and its shipped country is kept
                org = b.shipped(known[0], ontology_term("Organization"), known[1])
                shipped.add(org)
            else:
                org = b.entity(data_node(f"epoch/org/{path_segment(name)}"), ontology_term("Organization"),
                               name, "organisations")
            b.add(node, ontology_term("developedBy"), org)
            orgs.append(org)
        for org, country in self.countries_of(row, orgs):
            if org not in shipped:
                b.add(org, ontology_term("country"), self.country(country))

    def countries_of(self, row: EpochRow, orgs: list[URIRef]) -> list[tuple[URIRef, str]]:
        """(organisation, country) pairs: one country each in order, or one country for all."""
        countries = []
        for c in split_cell(row.cells.get("country", "")):
            if match_key(c) in NOT_A_COUNTRY:
                self.drop(row, "country", c, "not a country")
            else:
                countries.append(c)
        if not countries:
            return []
        if len(countries) == len(orgs):
            return list(zip(orgs, countries))
        if len(countries) == 1:
            return [(o, countries[0]) for o in orgs]
        self.drop(row, "country", row.cells["country"],
                  f"{len(countries)} countries for {len(orgs)} organisations: cannot tell which is whose")
        return []

    def country(self, name: str) -> URIRef:
        shipped = SHIPPED_COUNTRIES.get(match_key(name))
        if shipped:
            return self.builder.shipped(shipped[0], ontology_term("Country"), shipped[1])
        return self.builder.entity(data_node(f"epoch/country/{path_segment(name)}"), ontology_term("Country"),
                                   name, "countries")

    def add_base_models(self, node: URIRef, row: EpochRow) -> None:
        """llmkg:basedOn another row's model, or a stub for a base the file does not hold."""
        cell = row.cells.get("base", "")
        if not cell:
            return
        # a name with a comma in it is one base model if a row has that name
        bases = [cell] if (cell in self.models or cell.casefold() in self.folded) else split_cell(cell)
        for base in bases:
            known = base if base in self.models else self.folded.get(base.casefold())
            if known == row.cells["name"]:
                self.drop(row, "base", base, "the model itself")
                continue
            if known:
                target = self.models[known]
                self.result.resolved_bases += 1
            else:
                target = self.stub(base, row)
            self.builder.add(node, ontology_term("basedOn"), target)

    def stub(self, name: str, row: EpochRow) -> URIRef:
        """A base model named in a row but not a row itself: typed only as a machine-learning model."""
        node = data_node(f"epoch/model/{path_segment(name)}")
        if not self.stub_links[name]:
            self.builder.entity(node, ontology_term("MachineLearningModel"), name, "stub models",
                                f"stub: named as a base model at line {row.line} of {self.file_name}, not a row of it")
        self.stub_links[name] += 1
        return node

    def add_publications(self, node: URIRef, row: EpochRow) -> None:
        """dcterms:source each linked publication (a llmkg:Source with title, URL and authors)."""
        cells = row.cells
        links = [link for link in re.split(r"[\s,]+", cells.get("link", "")) if link]
        if any(not _HTTP_LINK.match(link) for link in links):
            self.drop(row, "link", cells["link"], "not one or more http(s) addresses")
            return
        for link in links:
            self.builder.add(node, DCTERMS.source, self.publication(link, row))

    def publication(self, link: str, row: EpochRow) -> URIRef:
        b = self.builder
        src = data_node(f"epoch/source/{hashlib.sha256(link.encode()).hexdigest()[:16]}")
        if b.is_described(src):
            return src
        title = row.cells.get("reference") or link
        b.entity(src, ontology_term("Source"), title, "sources")
        b.add(src, DCTERMS.title, Literal(title))
        b.add(src, schema_term("url"), Literal(link, datatype=XSD.anyURI))
        if row.cells.get("authors"):
            b.add(src, DCTERMS.creator, Literal(row.cells["authors"]))
        else:  # a source names who published it: without authors, the site that holds the page
            b.add(src, DCTERMS.publisher, Literal(urlsplit(link).hostname or link))
        if _ARXIV.match(link):
            b.add(src, DCTERMS.type, data_node("ResearchPaper"))  # arXiv holds preprints
        return src
