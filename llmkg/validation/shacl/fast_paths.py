"""The two lineage checks, recognised in the shapes and decided on sets of rows instead of by SPARQL paths.

A lineage cycle (``?this (P1|P2|…)+ ?this``) and a release before the base
model (dates compared on their common prefix) are slow as SPARQL on a large
catalogue: Oxigraph walks the path from every model. Read once as (subject,
object) pairs, they are a strongly-connected-components pass and a dictionary
look-up. Terms are TSV terms (N-Triples syntax, bytes), as :mod:`.store_rows`
reads them.
"""
from __future__ import annotations

import re


#: One IRI or prefixed name in a property path.
_NAME = r"(?:<[^<>\s]*>|[^\s()|/<>^!]+)"
#: ``?this (P1|P2|…)+ ?this`` or ``?this P+ ?this``: "+" applies to the whole of P only with
#: parentheses (``a|b+`` is a|(b+), ``a/b+`` is a/(b+)), so without them P is one name.
_CYCLE_TARGET = re.compile(
    r"\s*SELECT\s+(?:DISTINCT\s+)?[?$]this\s+WHERE\s*\{\s*[?$]this\s+"
    rf"(?:\(({_NAME}(?:\|{_NAME})*)\)|({_NAME}))\+\s+[?$]this\s*\.?\s*\}}\s*", re.IGNORECASE)


def cycle_predicates(select: str, prefixes: dict) -> list[str] | None:
    """The IRIs P if ``select`` is ``SELECT DISTINCT ?this WHERE { ?this (P1|P2|…)+ ?this }``, else None."""
    m = _CYCLE_TARGET.fullmatch(select)
    if m is None:
        return None
    out = [_iri(name, prefixes) for name in (m.group(1) or m.group(2)).split("|")]
    return None if None in out else out


def _iri(name: str, prefixes: dict) -> str | None:
    """A prefixed name or <IRI> written as <IRI>, or None."""
    if re.fullmatch(r"<[^<>\s]*>", name):
        return name
    prefix, colon, local = name.partition(":")
    if not colon or prefix not in prefixes or not re.fullmatch(r"[\w-]*", local):
        return None
    return f"<{prefixes[prefix]}{local}>"


_RELEASE_ORDER = re.compile(
    r"\s*SELECT\s+[?$]this\s+\?path\s+\?value\s+\?mine\s+\?theirs\s+WHERE\s*\{\s*"
    r"[?$]this\s+\?path\s+\?value\s*;\s*(?P<mine>\S+)\s+\?mine\s*\.\s*"
    r"FILTER\s*\(\s*\?path\s+IN\s*\((?P<links>[^()]*)\)\s*\)\s*"
    r"\{\s*\?value\s+(?P<theirs>\S+)\s+\?theirs\s*\.?\s*\}\s*"
    r"BIND\s*\(\s*STR\(\s*\?mine\s*\)\s+AS\s+\?a\s*\)\s*"
    r"BIND\s*\(\s*STR\(\s*\?theirs\s*\)\s+AS\s+\?b\s*\)\s*"
    r"BIND\s*\(\s*IF\s*\(\s*STRLEN\(\s*\?a\s*\)\s*<\s*STRLEN\(\s*\?b\s*\)\s*,\s*STRLEN\(\s*\?a\s*\)\s*,"
    r"\s*STRLEN\(\s*\?b\s*\)\s*\)\s+AS\s+\?n\s*\)\s*"
    r"FILTER\s*\(\s*SUBSTR\(\s*\?a\s*,\s*1\s*,\s*\?n\s*\)\s*<\s*SUBSTR\(\s*\?b\s*,\s*1\s*,\s*\?n\s*\)\s*\)\s*"
    r"\}\s*", re.IGNORECASE)


def release_order(select: str, prefixes: dict) -> tuple | None:
    """(links, date) if ``select`` is the release-order constraint: ``$this`` linked to ``?value`` by one of
    the IRIs ``links``, both dated by ``date``, the common prefix of ``$this``'s date before ``?value``'s."""
    m = _RELEASE_ORDER.fullmatch(select)
    if m is None or m["mine"] != m["theirs"]:
        return None
    links = [_iri(x.strip(), prefixes) for x in m["links"].split(",")]
    date = _iri(m["mine"], prefixes)
    if date is None or not links or None in links:
        return None
    return tuple(links), date


def cycle_nodes(edges: list[tuple[bytes, bytes]]) -> set[bytes]:
    """The nodes x with a path of one or more edges from x to x."""
    from llmkg.reasoning.rules import strongly_connected

    graph: dict[bytes, list[bytes]] = {}
    out = set()
    for s, o in edges:
        graph.setdefault(s, []).append(o)
        if s == o:
            out.add(s)
    for component in strongly_connected(graph):
        if len(component) > 1:
            out.update(component)
    return out


def released_before(edges, dates: dict) -> set:
    """The subjects s of edges (s, o) with a date of s before a date of o on their common prefix (STR/SUBSTR
    semantics). A superset: a date not read here keeps its subject, for the exact query to judge."""
    lexical: dict = {}

    def read(term: bytes) -> str | None:
        if term not in lexical:
            lexical[term] = _lexical(term)
        return lexical[term]

    out = set()
    for s, o in edges:
        if s not in out and _any_before(dates.get(s, ()), dates.get(o, ()), read):
            out.add(s)
    return out


def _any_before(mine, theirs, read) -> bool:
    for x in mine:
        a = read(x)
        for y in theirs:
            b = read(y)
            if a is None or b is None:
                return True
            n = min(len(a), len(b))
            if a[:n] < b[:n]:
                return True
    return False


def _lexical(term: bytes) -> str | None:
    """STR() of a TSV literal term, or None when it is not plainly readable (the caller then keeps the row)."""
    if not term.startswith(b'"'):
        return None
    end = term.rfind(b'"')
    if end <= 0 or b"\\" in term[:end]:
        return None
    rest = term[end + 1:]
    if rest and not rest.startswith((b"^^", b"@")):
        return None
    return term[1:end].decode("utf-8")
