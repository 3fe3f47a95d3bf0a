"""What a data file may not make llmkg do: read anything but itself.

Loading never touches the network or another file. A JSON-LD file may not
name a context to fetch (``"@context": "https://…"``, a list with one, or
``@import``): rdflib would GET it — or read it, for ``file:`` — while
parsing. An RDF/XML file may not have a DTD (``<!DOCTYPE …>``): its entities
can read other files or expand a few hundred bytes into gigabytes ("billion
laughs"), and both rdflib and Oxigraph expand internal ones. These are
refused before any parser sees the file, with the line and the fix — the
policy of defusedxml's ``forbid_dtd``, applied by reading only the prolog
(a DTD can only come before the root element) with the standard library's
expat, whose own external-entity loading stays off.
"""
from __future__ import annotations

import json
import re
import xml.parsers.expat as expat

from llmkg.errors import InputError

__all__ = ["check_xml", "check_jsonld", "XML_SUFFIXES", "JSONLD_SUFFIXES"]

XML_SUFFIXES = (".rdf", ".owl", ".xml")
JSONLD_SUFFIXES = (".jsonld", ".json")


class _Prolog(Exception):
    """The root element started: no DTD can follow."""


class _Doctype(Exception):
    def __init__(self, line: int):
        self.line = line


#: A character XML 1.0 cannot hold (Turtle allows "a\u0001b"): what the GEXF and GraphML writers
#: refuse and validation reports (its SPARQL pattern spells the same set).
XML_UNWRITABLE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_xml(name: str, data: bytes) -> None:
    """Refuse an XML document that declares a DTD, at its line."""
    parser = expat.ParserCreate()

    def doctype(*_):
        raise _Doctype(parser.CurrentLineNumber)

    def root(*_):
        raise _Prolog

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        for start in range(0, len(data), 65536):
            parser.Parse(data[start:start + 65536], False)
    except _Prolog:
        return
    except _Doctype as d:
        raise InputError(
            f"{name}:{d.line}: the file declares a DTD (<!DOCTYPE …>); llmkg reads no DTDs, because their "
            "entities can read other files or expand to gigabytes — remove the DOCTYPE and write any "
            "entity out in full") from None
    except expat.ExpatError:
        return  # not well-formed: the RDF/XML parser reports where


def _line(text: str, value) -> int | None:
    at = text.find(json.dumps(value, ensure_ascii=False))
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def check_jsonld(name: str, data: bytes) -> None:
    """Refuse a JSON-LD document that names a context to fetch or has @import, at its line;
    a document nested too deeply to read is refused too."""
    try:
        text = data.decode("utf-8-sig")
        doc = json.loads(text)
    except UnicodeDecodeError:
        raise InputError(f"{name}: the file is not UTF-8 text") from None
    except RecursionError:
        raise InputError(f"{name}: the JSON is nested too deeply to read; flatten it") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{name}:{e.lineno}:{e.colno}: not JSON: {e.msg}") from None
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "@import" in node:
                where = _line(text, "@import")
                raise InputError(
                    f"{name}{f':{where}' if where else ''}: the context imports {node['@import']!r}; llmkg "
                    "fetches no contexts (no network, no other files) — copy that context's definitions into "
                    "this one")
            context = node.get("@context")
            for c in context if isinstance(context, list) else [context]:
                if isinstance(c, str):
                    where = _line(text, c)
                    raise InputError(
                        f"{name}{f':{where}' if where else ''}: \"@context\": {c!r} names a context to fetch; "
                        "llmkg fetches no contexts (no network, no other files) — write the context inline "
                        "as an object")
            stack.extend(node.values())
