"""Catalogues → Turtle in the ontology's terms, with provenance.

Two importers, one result type:

    import_epoch(path)   Epoch AI's "Notable AI Models" CSV export
    import_hf(path)      Hugging Face model-card metadata: a folder of model
                         cards (YAML front matter), one card, or a JSONL file

Both return an :class:`ImportResult` with the graph and an honest account of
what happened: rows read and imported, rows skipped (with their line and the
reason), values left out (with their line, field and reason), columns or
fields that were not imported, and base models referenced but absent from the
input ("stubs"). Nothing is dropped silently. IRIs are minted from names and
ids, never from counters or clocks, and the output is sorted, so importing the
same file twice gives the same bytes.

The modules, each with one job:

    epoch.py        the Epoch CSV: columns matched, rows read, each row → triples
    hub_inputs.py   Hugging Face inputs (cards, one card, JSONL) → one record per model
    cards.py        a model card's YAML front matter → fields, with their lines
    hf.py           Hugging Face records → triples
    builder.py      the graph of one import run, with the provenance of each node
    vocabulary.py   the ontology's terms, shipped nodes reused, the class rule
    values.py       cells → dates, counts and lists, refusing what reads two ways
    inputs.py       an input file's bytes, text and digest
    output.py       the graph → Turtle or N-Triples, sorted
    result.py       ImportResult and its summary
"""
from llmkg.sources.importers.cards import FrontMatterError, Unparsed, parse_front_matter
from llmkg.sources.importers.epoch import import_epoch
from llmkg.sources.importers.hf import HF_RELATIONS, hf_model_iri, import_hf
from llmkg.sources.importers.output import serialize, write
from llmkg.sources.importers.result import ImportResult
from llmkg.sources.importers.values import parse_count, parse_date
from llmkg.sources.importers.vocabulary import (
    DATASET_KIND, DATASET_KIND_TRIPLES, SHIPPED_COUNTRIES, SHIPPED_TASKS, model_class,
)

__all__ = [
    "DATASET_KIND", "DATASET_KIND_TRIPLES", "HF_RELATIONS", "SHIPPED_COUNTRIES", "SHIPPED_TASKS",
    "FrontMatterError", "ImportResult", "Unparsed", "hf_model_iri", "import_epoch", "import_hf",
    "model_class", "parse_count", "parse_date", "parse_front_matter", "serialize", "write",
]
