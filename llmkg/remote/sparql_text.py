"""SPARQL text split into the tokens of the SPARQL 1.1 grammar (§19.8), so
that what a query *is* — its form, whether it calls another endpoint
(SERVICE), whether it names its own dataset (FROM), how deeply it nests — is
read from tokens, never from a pattern over the raw text: a keyword inside a
string, an IRI, a comment or an escaped prefixed name (``ex:a\\#``) is not a
keyword, and a keyword spelled with ``\\u`` escapes is one.

Standard library only: ``llmkg serve`` checks every request with it in its
main process.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Tokens", "tokens", "unescape", "SparqlLexError", "MAX_NESTING"]

#: deeper than this, Oxigraph's recursive parser can overflow its stack (and kill its process)
MAX_NESTING = 200

_UESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PLX = rf"(?:%[0-9A-Fa-f]{{2}}|{_LOCAL_ESC})"
_NAME_CHAR = r"[\w\-\u00b7\u0300-\u036f\u203f\u2040]"
_PREFIX = rf"[^\W\d_](?:{_NAME_CHAR}|\.(?={_NAME_CHAR}))*"
_LOCAL = rf"(?:[\w:]|{_PLX})(?:{_NAME_CHAR}|:|{_PLX}|\.(?=(?:{_NAME_CHAR}|:|{_PLX})))*"

# One alternative per terminal; at each position the first that matches is the token
# (the grammar's terminals do not overlap once strings and IRIs are tried first).
_TOKEN = re.compile("|".join([
    r"(?P<ws>[ \t\r\n]+|#[^\r\n]*)",
    r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")",
    r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
    r"(?P<var>[?$]\w+)",
    rf"(?P<bnode>_:(?:{_NAME_CHAR}|\.(?={_NAME_CHAR}))+)",
    rf"(?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)",
    r"(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)",
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)",
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)",
    r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|<<|>>|\{\||\|\}|[{}()\[\];,.=<>!+\-*/^|?~])",
]))


class SparqlLexError(ValueError):
    """The text has a character no SPARQL token can start with."""

    def __init__(self, line: int, column: int, char: str):
        self.line, self.column = line, column
        super().__init__(f"line {line}, column {column}: {char!r} cannot start a SPARQL token")


@dataclass
class Tokens:
    """What the tokens say about a query."""

    form: str          # SELECT, CONSTRUCT, ASK, DESCRIBE, an update keyword, or ""
    keywords: set      # every bare word, upper-cased (SERVICE, FROM, NAMED, FILTER …)
    nesting: int       # the deepest nesting of ( { [

    @property
    def service(self) -> bool:
        return "SERVICE" in self.keywords

    @property
    def dataset(self) -> bool:
        """Whether the query names its own dataset (FROM / FROM NAMED)."""
        return "FROM" in self.keywords


def unescape(text: str) -> str:
    """SPARQL's codepoint escapes (\\uXXXX, \\UXXXXXXXX), applied before parsing as the grammar says."""
    def char(m):
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)
    return _UESCAPE.sub(char, text)


def tokens(text: str) -> Tokens:
    """Read ``text`` as SPARQL tokens; raise SparqlLexError where none fits."""
    text = unescape(text)
    form, keywords, depth, deepest = "", set(), 0, 0
    skip = 0  # tokens of a PREFIX or BASE declaration still to pass
    pos, end = 0, len(text)
    match = _TOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None or m.end() == pos:
            line = text.count("\n", 0, pos) + 1
            raise SparqlLexError(line, pos - (text.rfind("\n", 0, pos) + 1) + 1, text[pos])
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        value = m.group()
        if kind == "punct":
            if value in "({[":
                depth += 1
                deepest = max(deepest, depth)
            elif value in ")}]":
                depth -= 1
        if skip:
            skip -= 1
            continue
        if kind == "name":
            word = value.upper()
            keywords.add(word)
            if word == "PREFIX" and not form:
                skip = 2
            elif word == "BASE" and not form:
                skip = 1
            elif not form:
                form = word
    return Tokens(form, keywords, deepest)
