"""SPARQL syntax errors a person can read.

Oxigraph reports a parse error as ``error at LINE:COLUMN: expected one of …``
followed by the parser's raw token classes (Unicode ranges and all). A
reader needs the place, the line with a mark under it, and a sentence.
"""
from __future__ import annotations

import re

from llmkg.vocab import PREFIXES

__all__ = ["explain_syntax_error"]

_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def explain_syntax_error(query: str, message: str) -> str:
    """A few lines saying where ``query`` stops parsing and, where it can tell, why."""
    m = _AT.match(message.strip())
    if not m:
        return f"The SPARQL does not parse: {message}"
    line_no, col = int(m.group(1)), int(m.group(2))
    detail = m.group(3)
    lines = query.splitlines() or [""]
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    mark = " " * max(min(col - 1, len(line)), 0) + "^"
    if "Prefix not found" in detail:
        declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", query))
        used = set(re.findall(r"(?<![\w<?$\"'])([A-Za-z][\w-]*):(?=[\w])", query))
        unknown = sorted(used - declared - set(PREFIXES) - {"http", "https", "urn", "mailto"})
        why = (f"The prefix {', '.join(p + ':' for p in unknown)} is not declared; add a PREFIX line for it"
               if unknown else "a prefixed name uses a prefix that is not declared; add a PREFIX line for it")
        why += f" (known without one: {', '.join(p + ':' for p in PREFIXES)})."
    elif len(detail) <= 80 and "[" not in detail:
        why = detail[0].upper() + detail[1:] + " here."
    else:
        why = "Something here is not SPARQL: check the spelling of the keyword or the punctuation just before the mark."
    return f"The SPARQL does not parse at line {line_no}, column {col}:\n    {line}\n    {mark}\n{why}"
