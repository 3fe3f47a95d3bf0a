"""Hugging Face model-card metadata → the ontology's terms.

``base_model`` with ``base_model_relation`` becomes a sub-property of
llmkg:basedOn; a base model not in the input becomes a stub. ``license``,
``pipeline_tag``, ``datasets``, ``language``, ``library_name`` and
``safetensors.total`` (the size) are kept; every other field is listed as not
imported, and every value that cannot be read is reported with where it was read.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from llmkg.errors import InputError
from llmkg.sources.importers.builder import GraphBuilder
from llmkg.sources.importers.cards import Unparsed
from llmkg.sources.importers.hub_inputs import HubRecord, read_hub_input
from llmkg.sources.importers.output import write
from llmkg.sources.importers.result import ImportResult
from llmkg.sources.importers.values import parse_count, strings
from llmkg.sources.importers.vocabulary import (
    data_node, match_key, model_class, ontology_term, path_segment, schema_term, shipped_organizations,
)

#: base_model_relation → property: the sub-properties of llmkg:basedOn the
#: ontology has for each (llmkg:basedOn alone would say only "built from").
HF_RELATIONS = {
    "finetune": ontology_term("fineTunedFrom"),
    "adapter": ontology_term("adapterOf"),
    "merge": ontology_term("mergedFrom"),
    "quantized": ontology_term("quantizedFrom"),
}
HF_DEFAULT_RELATION = ontology_term("basedOn")  # no base_model_relation given: claim only "based on"

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
_HUB = "https://huggingface.co/"


def hf_model_iri(model_id: str) -> URIRef:
    """``org/name`` → https://w3id.org/llmkg/id/hf/org/name (each segment percent-encoded)."""
    return data_node("hf/" + "/".join(path_segment(p) for p in model_id.split("/")))


def hub_url(model_id: str, kind: str = "") -> URIRef:
    """The Hub page of a model (or, with kind="datasets/", of a dataset)."""
    return URIRef(_HUB + kind + "/".join(path_segment(p) for p in model_id.split("/")))


def hub_id(value: str) -> str:
    """A model id, with a Hub address before it taken off."""
    v = value.strip()
    for prefix in ("https://huggingface.co/", "http://huggingface.co/", "hf.co/", "huggingface.co/"):
        if v.startswith(prefix):
            v = v[len(prefix):].strip("/")
    return v


def import_hf(path: str | Path, out: str | Path | None = None, *, on_error: str = "raise") -> ImportResult:
    """Import Hugging Face model-card metadata from a folder of cards, one card or a JSONL file.

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
    result = ImportResult("hf", display)
    hub_input = read_hub_input(path, display, on_error, result)
    builder = GraphBuilder("hf", path.name, hub_input.digest, hub_input.files, "Hugging Face",
                           "Hugging Face model cards, imported", "Hugging Face 模型卡片导入")
    result.triples = builder.triples
    unique = unique_models(hub_input.records, result)
    models = HubModels(builder, result, {model_id.casefold(): model_id for model_id, _ in unique})
    for model_id, record in unique:
        models.add(model_id, record)
    result.unknown_columns = [f"{k} ({n} models)" for k, n in sorted(models.unknown_fields.items())]
    result.record_stubs(models.stub_links)
    result.counts = builder.sorted_counts()
    if out is not None:
        result.out = write(builder.triples, out)
    return result


def unique_models(records: list[HubRecord], result: ImportResult) -> list[tuple[str, HubRecord]]:
    """(model id, record) for each record with a valid id not seen before (the Hub ignores case)."""
    seen: set[str] = set()
    models = []
    for r in records:
        mid = r.fields.get("id") or r.fields.get("modelId")
        if not isinstance(mid, str) or not _HF_ID.match(mid.strip()):
            result.skipped.append((r.line, f"no valid model id (got {mid!r}); give 'id': 'org/name'"))
            continue
        mid = mid.strip()
        if mid.casefold() in seen:
            result.skipped.append((r.line, f"model {mid!r} again; the first one is kept"))
            continue
        seen.add(mid.casefold())
        models.append((mid, r))
    return models


class HubModels:
    """Adds the models of one Hub input to the graph; reports each value it leaves out."""

    def __init__(self, builder: GraphBuilder, result: ImportResult, ids: dict[str, str]):
        self.builder, self.result = builder, result
        self.ids = ids  # case-folded id → the input's model id, for resolving base models
        self.unknown_fields: Counter = Counter()
        self.stub_links: Counter = Counter()   # base model not in the input → links to it
        self.stub_names: dict[str, str] = {}   # one stub per id, in its first spelling

    def add(self, model_id: str, record: HubRecord) -> None:
        """One model: its class, size, organisation, task, lineage, licences, data, languages, libraries."""
        b, f = self.builder, record.fields
        self.unknown_fields.update(k for k, v in f.items() if k not in HF_FIELDS and v is not None)
        node = hf_model_iri(model_id)
        params = self.parameters(record)
        tag = self.pipeline_tag(record)
        b.entity(node, model_class(params, HF_KINDS.get(tag or "", set())), model_id, "models", record.comment)
        b.add(node, SKOS.exactMatch, hub_url(model_id))
        if params is not None:
            b.add(node, ontology_term("parameterCount"), Literal(params, datatype=XSD.integer))
        org = self.organisation_of(model_id)
        if org is not None:
            b.add(node, ontology_term("developedBy"), org)
        if tag:
            b.add(node, ontology_term("performsTask"), b.task(tag, "hf-task"))
        self.add_base_models(node, model_id, record)
        self.add_licences(node, record)
        self.add_datasets(node, record)
        self.add_languages(node, record)
        # The library that loads the weights: schema:softwareRequirements ("component
        # dependency requirements … runtime environments and shared libraries") says exactly that.
        for lib in self.string_list(record, "library_name"):
            b.add(node, schema_term("softwareRequirements"), Literal(lib))
        self.result.rows_imported += 1

    def drop(self, record: HubRecord, fld: str, value, reason: str) -> None:
        """Report a value left out, where its field was read."""
        where = record.where(fld.split(".")[0])
        self.result.dropped.append((where, fld, value if isinstance(value, str) else repr(value), reason))

    def string_list(self, record: HubRecord, name: str) -> list[str]:
        """A field of one string or a list of strings; anything else is reported and left out."""
        value = record.fields.get(name)
        try:
            return strings(value, name)
        except ValueError as e:
            nested = " (a nested YAML block is not read)" if isinstance(value, Unparsed) else ""
            self.drop(record, name, value, str(e) + nested)
            return []

    def parameters(self, record: HubRecord) -> int | None:
        """The size from ``safetensors.total``, the Hub's count of the weights."""
        st = record.fields.get("safetensors")
        if not isinstance(st, dict) or st.get("total") is None:
            return None
        try:
            return parse_count(str(st["total"]))
        except ValueError as e:
            self.drop(record, "safetensors.total", str(st["total"]), str(e))
            return None

    def pipeline_tag(self, record: HubRecord) -> str | None:
        tag = record.fields.get("pipeline_tag")
        if tag is not None and not isinstance(tag, str):
            self.drop(record, "pipeline_tag", tag, "not a string")
            return None
        return tag

    def organisation_of(self, model_id: str) -> URIRef | None:
        """The account before the '/' of a model id: a shipped organisation, or one of the Hub."""
        if "/" not in model_id:
            return None
        org = model_id.split("/")[0]
        known = shipped_organizations().get(match_key(org))
        if known:  # e.g. the Hub account "google" is the shipped kg:Google
            return self.builder.shipped(known[0], ontology_term("Organization"), known[1])
        node = self.builder.entity(data_node(f"hf/{path_segment(org)}"), ontology_term("Organization"), org,
                                   "organisations")
        self.builder.add(node, SKOS.exactMatch, hub_url(org))
        return node

    def add_base_models(self, node: URIRef, model_id: str, record: HubRecord) -> None:
        """Each base model, by the relation the card names (llmkg:basedOn when it names none)."""
        prop = self.relation(record)
        for base in self.string_list(record, "base_model"):
            base_id = hub_id(base)
            if not _HF_ID.match(base_id):
                self.drop(record, "base_model", base, "not a Hub model id (org/name)")
                continue
            known = self.ids.get(base_id.casefold())
            if known == model_id:
                self.drop(record, "base_model", base, "the model itself")
                continue
            if known:
                target = hf_model_iri(known)
                self.result.resolved_bases += 1
            else:
                target = self.stub(self.stub_names.setdefault(base_id.casefold(), base_id), record)
            self.builder.add(node, prop, target)

    def relation(self, record: HubRecord) -> URIRef:
        relation = record.fields.get("base_model_relation")
        if relation is None:
            return HF_DEFAULT_RELATION
        if isinstance(relation, str) and relation in HF_RELATIONS:
            return HF_RELATIONS[relation]
        self.drop(record, "base_model_relation", relation,
                  f"not one of {', '.join(HF_RELATIONS)}; llmkg:basedOn is used")
        return HF_DEFAULT_RELATION

    def stub(self, base_id: str, record: HubRecord) -> URIRef:
        """A base model not in the input: typed only as a machine-learning model, with its Hub page."""
        target = hf_model_iri(base_id)
        if not self.stub_links[base_id]:
            self.builder.entity(target, ontology_term("MachineLearningModel"), base_id, "stub models",
                                f"stub: named as a base model in the {record.comment}, not in the input")
            self.builder.add(target, SKOS.exactMatch, hub_url(base_id))
            org = self.organisation_of(base_id)
            if org is not None:
                self.builder.add(target, ontology_term("developedBy"), org)
        self.stub_links[base_id] += 1
        return target

    def add_licences(self, node: URIRef, record: HubRecord) -> None:
        """dcterms:license: an SPDX IRI where the id is one, else the Hub's text."""
        for lic in self.string_list(record, "license"):
            spdx = SPDX.get(lic.casefold())
            self.builder.add(node, DCTERMS.license,
                             URIRef(f"https://spdx.org/licenses/{spdx}") if spdx else Literal(lic))

    def add_datasets(self, node: URIRef, record: HubRecord) -> None:
        """The training data, as schema:Dataset nodes linked to their Hub pages.

        schema:isBasedOn ("a resource from which this work is derived") is the
        standard term closest to "trained on"; prov:wasDerivedFrom is kept for
        where a description comes from, not for what a model learnt from.
        """
        for ds in self.string_list(record, "datasets"):
            dataset_id = hub_id(ds).removeprefix("datasets/")
            if not _HF_ID.match(dataset_id):
                self.drop(record, "datasets", ds, "not a Hub dataset id (org/name)")
                continue
            dataset = self.builder.entity(
                data_node("hf-dataset/" + "/".join(path_segment(p) for p in dataset_id.split("/"))),
                schema_term("Dataset"), dataset_id, "datasets")
            self.builder.add(dataset, SKOS.exactMatch, hub_url(dataset_id, "datasets/"))
            self.builder.add(node, schema_term("isBasedOn"), dataset)

    def add_languages(self, node: URIRef, record: HubRecord) -> None:
        """Languages as BCP 47 tags (xsd:language), the Hub's own notation."""
        for lang in self.string_list(record, "language"):
            if _LANG.match(lang):
                self.builder.add(node, DCTERMS.language, Literal(lang, datatype=XSD.language))
            else:
                self.drop(record, "language", lang, "not a BCP 47 language tag")
