"""The text of the compiled queries: terms, prefixes, helper variables and the two placeholders.

A compiled query is plain SPARQL except for two placeholders that only a
validation run can fill in (see :mod:`.store_rows` and :mod:`.runner`):

- a class set, ``#CLASSES[?t <C1> <C2>]#``: a pattern binding ``?t`` to the
  classes and all their subclasses, written in at run time (the data may add
  subclasses, so they cannot be known when compiling);
- :data:`RESTRICT`, a comment where ``VALUES ?this { … }`` may go to restrict
  the query to candidate focus nodes.
"""
from __future__ import annotations

import itertools
import re

from rdflib import RDF, RDFS, Literal, URIRef

from llmkg.validation.shacl.model import ShapeCompileError

RDF_TYPE = f"<{RDF.type}>"
SUBCLASS_OF = f"<{RDFS.subClassOf}>"
#: Where a check's query may be restricted to candidate focus nodes (a comment until replaced).
RESTRICT = "#RESTRICT#\n"

_CLASSES_MARK, _CLASSES_END = "#CLASSES[", "]#\n"
_CLASS_SET = re.compile(re.escape(_CLASSES_MARK) + r"(\S+) (.*?)" + re.escape(_CLASSES_END))
#: The helper variables :class:`Variables` makes: ``?_v12``, ``?_t3`` …
_HELPER_VARIABLE = re.compile(r"\?_[a-z]+[0-9]+\b")


def sparql_term(term) -> str:
    """An rdflib term written in SPARQL."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise ShapeCompileError(f"cannot write {term!r} in a query (blank nodes cannot be constants)")


def class_set(var: str, classes) -> str:
    """The placeholder for a pattern binding ``var`` to each of ``classes`` and their subclasses."""
    key = " ".join(sorted(sparql_term(c) for c in classes))
    return f"{_CLASSES_MARK}{var} {key}{_CLASSES_END}"


def fill_class_sets(query: str, subclasses) -> str:
    """``query`` with each class set replaced by ``subclasses(var, classes)``, the classes in SPARQL."""
    return _CLASS_SET.sub(lambda match: subclasses(match.group(1), match.group(2)), query)


def number_helper_variables(query: str) -> str:
    """``query`` with its helper variables renamed in order of appearance, so equal queries compare equal."""
    names: dict[str, str] = {}
    return _HELPER_VARIABLE.sub(lambda m: names.setdefault(m.group(0), f"?_h{len(names)}"), query)


class Variables:
    """Fresh helper variables for the queries of one compilation."""

    def __init__(self):
        self._counter = itertools.count()

    def new(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self._counter)}"


def prefix_header(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def merge_prefixes(into: dict, new: dict, shape) -> None:
    """Add ``new`` to ``into``; one prefix bound to two namespaces is an error."""
    for p, ns in new.items():
        if into.get(p, ns) != ns:
            raise ShapeCompileError(f"shape {shape}: prefix {p}: is declared twice with different namespaces")
        into[p] = ns


def insert_after_where(text: str, insert: str) -> tuple[str, int] | None:
    """``text`` (a SELECT) with ``insert`` at the start of its WHERE group, and where the group's body began."""
    m = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE) or re.search(r"\{", text)
    if m is None:
        return None
    return f"{text[:m.end()]} {insert}{text[m.end():]}", m.end()
