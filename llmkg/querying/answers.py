"""Answers kept beside a built store, so that a slow question is slow once.

A built store never changes (a rebuild is a new version), so an answer to
the same query text on the same version stays right. On an on-disk store a
query that sorts a hundred thousand rows by their labels takes seconds
(RocksDB looks every string up again at each comparison); its answer is
kept in the version's folder (``answers/<digest>.tsv``, SPARQL results as
TSV, terms in N-Triples syntax) and read back the next time.
``llmkg build`` keeps the answers of the whole catalogue this way. Answers
that took less than :data:`SLOW` seconds are not kept: they are cheaper to
compute than to look up.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyoxigraph as ox

#: seconds a query must take for its answer to be kept
SLOW = 1.0


def key(text: str, asserted: bool) -> str:
    """The file name an answer to ``text`` is kept under (the text as run, prefixes included)."""
    return hashlib.sha256(f"{'asserted' if asserted else 'reasoned'}\n{text}".encode()).hexdigest()[:32]


def lookup(version: Path, text: str, asserted: bool):
    """The kept answer (pyoxigraph QuerySolutions), or None."""
    try:
        data = (version / "answers" / f"{key(text, asserted)}.tsv").read_bytes()
    except OSError:
        return None
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)


def keep(version: Path, text: str, asserted: bool, tsv: bytes) -> None:
    """Keep an answer (SPARQL results TSV); written whole or not at all. A store folder
    this process cannot write to keeps nothing, silently: keeping is an optimisation."""
    folder = version / "answers"
    try:
        folder.mkdir(exist_ok=True)
        tmp = folder / f".{key(text, asserted)}.{os.getpid()}.tmp"
        tmp.write_bytes(tsv)
        os.replace(tmp, folder / f"{key(text, asserted)}.tsv")
    except OSError:
        pass


def keep_catalogue(loaded, version: Path) -> None:
    """Answer every catalogue query on ``loaded`` — the in-memory store that
    ``version`` was just written from — and keep the answers with ``version``.
    In memory they take seconds at 100,000 models; the first answer on the
    disk store took minutes for the queries that sort every model by name
    (``timeline`` 36-90 s, ``sources_per_model`` 276 s, on a busy machine)."""
    from llmkg.querying.catalogue import load_catalogue
    from llmkg.querying.run import answer_tsv, with_prefixes

    for q in load_catalogue():
        keep(version, with_prefixes(q.text), False, answer_tsv(loaded, q.text))
