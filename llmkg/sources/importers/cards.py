"""Model-card front matter: the YAML between the '---' lines that open a Hugging Face model card."""
from __future__ import annotations

import json
import re

class FrontMatterError(ValueError):
    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(f"line {line}: {reason}")


class Unparsed:
    """A block value (nested mapping, block scalar …) the subset parser does not read."""

    def __init__(self, line: int, kind: str):
        self.line, self.kind = line, kind

    def __repr__(self):
        return f"<{self.kind} at line {self.line}>"


_KEY = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:(?:\s+(.*))?$")


def _scalar(text: str, line: int):
    """A YAML scalar, always as a string (YAML 1.1's ``no`` → False is not applied: 'no' is Norwegian)."""
    t = text.strip()
    if t.startswith('"'):
        end = _closing_double(t, line)
        rest = t[end + 1:].strip()
        if rest and not rest.startswith("#"):
            raise FrontMatterError(line, f"text after a quoted value: {rest!r}")
        try:
            return json.loads(t[: end + 1])
        except json.JSONDecodeError:
            raise FrontMatterError(line, "a double-quoted value with an escape this reader does not know") from None
    if t.startswith("'"):
        m = re.match(r"^'((?:[^']|'')*)'\s*(#.*)?$", t)
        if not m:
            raise FrontMatterError(line, "an unterminated single-quoted value")
        return m.group(1).replace("''", "'")
    t = re.sub(r"\s+#.*$", "", t)
    if t.startswith(("&", "*", "!", "|", ">", "{", "@", "`")):
        raise FrontMatterError(line, f"a YAML feature this reader does not handle: {t[:20]!r}")
    if t in ("", "~", "null", "Null", "NULL"):
        return None
    return t


def _closed(t: str) -> bool:
    """Whether a value that starts with a quote also ends its quoted part."""
    if t[0] == "'":
        return re.match(r"^'(?:[^']|'')*'", t) is not None
    try:
        _closing_double(t, 0)
        return True
    except FrontMatterError:
        return False


def _closing_double(t: str, line: int) -> int:
    i = 1
    while i < len(t):
        if t[i] == "\\":
            i += 2
            continue
        if t[i] == '"':
            return i
        i += 1
    raise FrontMatterError(line, "an unterminated double-quoted value")


def _flow_list(text: str, line: int) -> list:
    t = re.sub(r"\s+#[^\]]*$", "", text.strip())
    if not t.endswith("]"):
        raise FrontMatterError(line, "a [list] that does not end on the same line")
    body = t[1:-1]
    items, cur, quote_ = [], "", None
    i = 0
    while i < len(body):
        c = body[i]
        if quote_:
            cur += c
            if c == "\\" and quote_ == '"' and i + 1 < len(body):
                cur += body[i + 1]
                i += 1
            elif c == quote_:
                quote_ = None
        elif c in "\"'":
            quote_ = c
            cur += c
        elif c in "[]{}":
            raise FrontMatterError(line, "a nested list or mapping inside [ ]")
        elif c == ",":
            items.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if quote_:
        raise FrontMatterError(line, "an unterminated quoted value inside [ ]")
    if cur.strip() or items:
        items.append(cur)
    return [v for v in (_scalar(x, line) for x in items) if v is not None]


def parse_front_matter(text: str) -> tuple[dict, dict, int]:
    """Read the YAML front matter of a model card.

    Returns (fields, lines, end): top-level key → value (a string, None, a list
    of strings, or :class:`Unparsed` for a nested block), key → line number,
    and the line of the closing ``---``. Raises :class:`FrontMatterError`
    (with a line) for what it cannot read, and ``LookupError`` when the text
    has no front matter at all.
    """
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != "---":
        raise LookupError("no front matter")
    fields: dict = {}
    where: dict = {}
    mode: dict = {}  # key → "empty", "block" (a - list), "flow", "scalar" or "unparsed"
    key = None
    i = 0
    while i + 1 < len(lines):
        i += 1
        raw = lines[i]
        n = i + 1
        stripped = raw.strip()
        if raw.rstrip() in ("---", "..."):
            return fields, where, n
        if not stripped or stripped.startswith("#"):
            continue
        indent = raw[: len(raw) - len(raw.lstrip())]
        if "\t" in indent:
            raise FrontMatterError(n, "a tab in the indentation (YAML allows spaces only)")
        if key is None and (indent or stripped.startswith("-")):
            raise FrontMatterError(n, "a list item or an indented line before any key")
        if stripped.startswith("- ") or stripped == "-":
            item = stripped[1:].strip()
            if mode[key] == "empty":
                mode[key], fields[key] = "block", []
            if mode[key] == "block":
                if _KEY.match(item) or item.startswith(("[", "{", "-")):
                    mode[key], fields[key] = "unparsed", Unparsed(where[key], "list of mappings or lists")
                else:
                    fields[key].append(_scalar(item, n))
            elif mode[key] != "unparsed":
                raise FrontMatterError(n, f"a list item after the value of {key!r}")
            continue
        if indent:
            if mode[key] in ("empty", "block"):
                mode[key], fields[key] = "unparsed", Unparsed(where[key], "nested block")
            elif mode[key] != "unparsed":
                raise FrontMatterError(n, f"the value of {key!r} goes on over several lines")
            continue
        m = _KEY.match(stripped)
        if not m:
            raise FrontMatterError(n, f"expected 'key: value', found {stripped[:40]!r}")
        key, value = m.group(1), (m.group(2) or "").strip()
        if key in fields:
            raise FrontMatterError(n, f"the key {key!r} appears twice (first at line {where[key]})")
        where[key] = n
        if value == "" or value.startswith("#"):
            mode[key], fields[key] = "empty", None
        elif value.startswith("["):
            mode[key], fields[key] = "flow", _flow_list(value, n)
        elif value[:1] in ("{", "|", ">"):
            kind = "flow mapping" if value[0] == "{" else "block scalar"
            mode[key], fields[key] = "unparsed", Unparsed(n, kind)
        else:
            if value[0] in "'\"" and not _closed(value):
                # A quoted value over several lines: fold it as YAML does
                # (a line break is a space, an empty line a newline).
                parts = [value]
                while not _closed(" ".join(parts)):
                    i += 1
                    if i >= len(lines) or lines[i].rstrip() in ("---", "..."):
                        raise FrontMatterError(n, "a quoted value that is never closed")
                    parts.append(lines[i].strip())
                value = parts[0]
                for part in parts[1:]:
                    value += "\n" if part == "" else ("" if value.endswith("\n") else " ") + part
            mode[key], fields[key] = "scalar", _scalar(value, n)
    raise FrontMatterError(len(lines), "the front matter has no closing '---' line")
