"""The catalogue's ``lineage`` answer, computed as a product of the derivedFrom matrix with itself instead of by SPARQL.

``queries/lineage.rq`` counts, for every pair of a model and an ancestor,
the models between them (``?m derivedFrom ?mid . ?mid derivedFrom ?a``):
Oxigraph enumerates every such route as a row and groups them, 17-20 s of
a 100,000-model build (computed here: about 5 s, most of it reading the
460,000 derivedFrom quads). The same count is one product of the derivedFrom
matrix with itself (a join on numpy arrays): with ``D`` the reasoned
``derivedFrom`` pairs without loops, ``(D·D)[m, a]`` is the number of
models between ``m`` and ``a``. The answer is byte for byte the query's
(SPARQL results TSV; :func:`llmkg.querying.run.csv_and_tsv` writes the CSV
from it), which the tests prove on the shipped data and synthetic
catalogues:

* a row per pair ``m ≠ a`` with ``m derivedFrom a`` or a model between them,
  ``depth`` = 1 + the models between, for each English label of ``m`` and of
  ``a`` (a pair whose nodes have none is left out, as the join leaves it);
* ``relation``: the least English label (``STR``) of the most specific
  sub-property of ``basedOn`` (``basedOn`` included) stated between the two,
  where no other stated property between them is declared below it; empty if none;
* sorted by model, depth, ancestor, relation, comparing strings by code
  point as Oxigraph does (rows equal in all four are the same line).
"""
from __future__ import annotations

import numpy as np
import pyoxigraph as ox

from llmkg.vocab import LLMKG, RDFS

_DERIVED = ox.NamedNode(LLMKG + "derivedFrom")
_BASED_ON = ox.NamedNode(LLMKG + "basedOn")
_LABEL = ox.NamedNode(RDFS + "label")
_SUB_PROPERTY = ox.NamedNode(RDFS + "subPropertyOf")
_HEADER = b"?model\t?ancestor\t?depth\t?relation\n"


def answer_tsv(store: ox.Store) -> bytes:
    """The answer of ``queries/lineage.rq`` on the reasoned graph in ``store`` (the union of
    its named graphs), as the SPARQL results TSV Oxigraph writes for it."""
    ids: dict = {}
    stated = [(ids.setdefault(q.subject, len(ids)), ids.setdefault(q.object, len(ids)))
              for q in store.quads_for_pattern(None, _DERIVED, None) if q.subject != q.object]
    if not stated:
        return _HEADER
    n = len(ids)
    edges = _distinct(np.array(stated, dtype=np.int64) @ np.array([n, 1], dtype=np.int64))  # m·n + a, each once
    model, ancestor, depth = _depths(edges // n, edges % n, n)

    first, count, label_rank, labels = _english_labels(store, ids, n)
    relation_rank, relations = _relations(store, ids, model, ancestor, n)
    # a row per English label of the model × per English label of the ancestor (most have one)
    per_pair = count[model] * count[ancestor]
    take = np.repeat(np.arange(len(model)), per_pair)
    within = np.arange(len(take)) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    of_ancestor = np.maximum(count[ancestor][take], 1)
    model_label = label_rank[first[model[take]] + within // of_ancestor]
    ancestor_label = label_rank[first[ancestor[take]] + within % of_ancestor]
    row_depth, row_relation = depth[take], relation_rank[take]
    # labels and relations are numbered in sort order (rows equal in all four are the same line)
    order = np.lexsort((row_relation, ancestor_label, row_depth, model_label))
    lines = [f"{m}\t{a}\t{d}\t{r}\n" for m, a, d, r in zip(
        [labels[i] for i in model_label[order].tolist()], [labels[i] for i in ancestor_label[order].tolist()],
        row_depth[order].tolist(), [relations[i] for i in row_relation[order].tolist()])]
    return _HEADER + "".join(lines).encode("utf-8")


def _distinct(values):
    """The distinct values, sorted (np.unique hashes integers in numpy 2: ten times slower here)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _depths(src, dst, n: int):
    """The pairs of the answer and their depths, from the derivedFrom pairs (no loops, each once):
    the stated pairs and the pairs with a model between, each with 1 + the number of models
    between — the entries of D·D for the 0/1 matrix D, computed as a join on the middle node."""
    order = np.argsort(src, kind="stable")
    by_src = dst[order]  # each node's ancestors, node by node
    start = np.concatenate(([0], np.cumsum(np.bincount(src, minlength=n))))
    fan = start[dst + 1] - start[dst]  # for each pair (m, mid): how many ancestors mid has
    m = np.repeat(src, fan)
    offset = np.arange(len(m)) - np.repeat(np.cumsum(fan) - fan, fan)
    a = by_src[np.repeat(start[dst], fan) + offset]
    routes = m[m != a] * n + a[m != a]  # one per (model, a model between, ancestor)
    routes.sort()
    firsts = np.flatnonzero(np.r_[True, routes[1:] != routes[:-1]]) if len(routes) else routes
    between, count = routes[firsts], np.diff(np.r_[firsts, len(routes)])
    keys = _distinct(np.concatenate((src * n + dst, between)))
    depth = np.ones(len(keys), dtype=np.int64)
    depth[np.searchsorted(keys, between)] += count
    return keys // n, keys % n, depth


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv_literal(value: str) -> str:
    """A string in quotes as Oxigraph's TSV writer spells it (only these five characters escaped)."""
    return '"' + value.translate(_TSV_ESCAPES) + '"'


def _english_labels(store: ox.Store, ids: dict, n: int):
    """Each node's English labels: (the position of its first, how many it has, the label
    number at each position, the labels as the TSV writes them by number). Labels are
    numbered in sort order; a node's are at consecutive positions."""
    found = {(i, q.object.value) for q in store.quads_for_pattern(None, _LABEL, None)
             if (i := ids.get(q.subject)) is not None and isinstance(q.object, ox.Literal)
             and q.object.language == "en"}
    values = sorted({v for _, v in found})
    number = {v: r for r, v in enumerate(values)}
    at = sorted((i, number[v]) for i, v in found)
    count = np.bincount(np.array([i for i, _ in at], dtype=np.int64), minlength=n)
    first = np.cumsum(count) - count
    label_rank = np.array([r for _, r in at] or [0], dtype=np.int64)
    return first, count, label_rank, [_tsv_literal(v) + "@en" for v in values]


def _relations(store: ox.Store, ids: dict, model, ancestor, n: int):
    """(each pair's relation number, the relations as the TSV writes them by number, 0 the
    empty cell of a pair with none), numbered in sort order."""
    below: dict = {}  # property → the properties declared directly below it
    for q in store.quads_for_pattern(None, _SUB_PROPERTY, None):
        below.setdefault(q.object, set()).add(q.subject)
    family, todo = {_BASED_ON}, [_BASED_ON]  # basedOn and every property below it
    while todo:
        for p in below.get(todo.pop(), ()):
            if p not in family:
                family.add(p)
                todo.append(p)
    names = {}  # a property's least English label
    for p in family:
        english = [q.object.value for q in store.quads_for_pattern(p, _LABEL, None)
                   if isinstance(q.object, ox.Literal) and q.object.language == "en"]
        if english:
            names[p] = min(english)
    stated: dict[tuple[int, int], set] = {}
    for p in family:
        for q in store.quads_for_pattern(None, p, None):
            m, a = ids.get(q.subject), ids.get(q.object)
            if m is not None and a is not None:
                stated.setdefault((m, a), set()).add(p)
    chosen = {}
    for pair, props in stated.items():
        # the most specific: no other property stated between the two is declared below it
        specific = [names[p] for p in props if p in names and not any(
            q != p and q in below.get(p, ()) for q in props)]
        if specific:
            chosen[pair] = min(specific)
    values = [""] + sorted(set(chosen.values()))
    number = {v: r for r, v in enumerate(values)}
    relation = np.zeros(len(model), dtype=np.int64)
    if chosen:
        keys = model * n + ancestor
        order = np.argsort(keys)
        wanted = np.array([m * n + a for m, a in chosen], dtype=np.int64)
        at = np.searchsorted(keys, wanted, sorter=order)
        at = np.minimum(at, len(keys) - 1)
        found = keys[order[at]] == wanted  # a stated pair that is not in the answer has no row
        relation[order[at[found]]] = np.array([number[v] for v in chosen.values()], dtype=np.int64)[found]
    return relation, [""] + [_tsv_literal(v) for v in values[1:]]
