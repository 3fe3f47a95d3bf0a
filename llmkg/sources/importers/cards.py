"""Model-card front matter: the YAML between the '---' lines that open a Hugging Face model card.

PyYAML reads it (the Hub reads cards with PyYAML too) into a node tree, which
gives every key its line. BaseLoader keeps every scalar a string: ``no`` stays
"no" (Norwegian), never YAML 1.1's False. Whatever YAML PyYAML reads is read
the same way here — anchors and aliases, values over several lines, block
scalars; what it refuses, a duplicate key, or front matter that is not
``key: value`` lines raise a :class:`FrontMatterError` with the line to fix.
Nested mappings and lists of them come back as :class:`Unparsed`: the
importer reads flat fields only.
"""
from __future__ import annotations

import yaml


def yaml_loader() -> type:
    """PyYAML's C loader where PyYAML was built with libyaml, else its Python one (the same reading, slower)."""
    return getattr(yaml, "CBaseLoader", yaml.BaseLoader)


LOADER = yaml_loader()
#: Plain (unquoted) scalars that mean "no value"; quoted, they are the strings.
NULLS = {"", "~", "null", "Null", "NULL"}


class FrontMatterError(ValueError):
    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(f"line {line}: {reason}")


class Unparsed:
    """A nested value (a mapping, a list of mappings or lists) the importer does not read."""

    def __init__(self, line: int, kind: str):
        self.line, self.kind = line, kind

    def __repr__(self):
        return f"<{self.kind} at line {self.line}>"


def parse_front_matter(text: str) -> tuple[dict, dict, int]:
    """Read the YAML front matter of a model card.

    Returns (fields, lines, end): top-level key → value (a string, None, a list
    of strings, or :class:`Unparsed`), key → its line in ``text``, and the line
    of the closing ``---``. Raises :class:`FrontMatterError` (with a line) for
    what it cannot read, and ``LookupError`` when the text has no front matter.
    """
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    end = closing_line(lines)
    yaml_text = "".join(lines[1:end - 1])
    fields, key_lines = top_level_fields(compose(yaml_text))
    return fields, key_lines, end


def closing_line(lines: list[str]) -> int:
    """The line of the '---' (or '...') that closes the front matter opened by the first line."""
    if not lines or lines[0].rstrip() != "---":
        raise LookupError("no front matter")
    for number, line in enumerate(lines[1:], 2):
        if line.rstrip() in ("---", "..."):
            return number
    raise FrontMatterError(len(lines), "the front matter has no closing '---' line")


def line_of(mark) -> int:
    """A PyYAML mark's line in the card: the YAML starts on the card's line 2, marks count from 0."""
    return mark.line + 2


def compose(yaml_text: str):
    """The YAML's node tree (None when empty), or a FrontMatterError at the line to fix."""
    try:
        return yaml.compose(yaml_text, Loader=LOADER)
    except yaml.MarkedYAMLError as e:
        mark, reason = explain(e, yaml_text.splitlines())
        raise FrontMatterError(line_of(mark) if mark else 2, reason) from None
    except yaml.YAMLError as e:  # no mark to point at
        raise FrontMatterError(2, f"not YAML ({e})") from None
    except RecursionError:
        raise FrontMatterError(2, "the YAML is nested too deeply to read") from None


def explain(error: yaml.MarkedYAMLError, lines: list[str]):
    """(the mark to point at, what to fix) for PyYAML's error; its C and Python loaders word them differently."""
    context, problem = error.context or "", error.problem or ""
    start, at = error.context_mark, error.problem_mark
    if "quoted scalar" in context and "escape" in problem:
        return at, "a double-quoted value with an escape YAML does not know"
    if "quoted scalar" in context:
        return start, "a quoted value that is never closed"
    if "flow sequence" in context:
        return start, "a [list] that does not end with ']'"
    if "flow mapping" in context:
        return start, "a {mapping} that does not end with '}'"
    if "simple key" in context:
        return start, f"expected 'key: value', found {line_at(lines, start)!r}"
    if "cannot start any token" in problem and text_at(lines, at)[:1] == "\t":
        return at, "a tab where YAML allows spaces only"
    if "cannot start any token" in problem:
        return at, f"a value that starts with {text_at(lines, at)[:1]!r}, which YAML reserves (put the value in quotes)"
    if "mapping values are not allowed" in problem:
        return at, "': ' inside a value (put the value in quotes)"
    if "undefined alias" in problem:
        return at, f"an alias ({text_at(lines, at).split()[0]}) to an anchor defined nowhere before it"
    if "block mapping" in context:
        return at, f"expected 'key: value' or an indented line of the value above, found {line_at(lines, at)!r}"
    return at or start, f"not YAML: {problem}" + (f" ({context})" if context else "")


def line_at(lines: list[str], mark) -> str:
    """The YAML line a mark points into, stripped and cut to 40 characters."""
    return lines[mark.line].strip()[:40] if mark and mark.line < len(lines) else ""


def text_at(lines: list[str], mark) -> str:
    """The text from a mark to the end of its line (at least one space, so that it always has a word)."""
    return (lines[mark.line][mark.column:] if mark and mark.line < len(lines) else "") or " "


def top_level_fields(root) -> tuple[dict, dict]:
    """key → value and key → line for the front matter's mapping."""
    if root is None:
        return {}, {}
    if isinstance(root, yaml.SequenceNode):
        raise FrontMatterError(line_of(root.start_mark), "a list item before any key")
    if isinstance(root, yaml.ScalarNode):
        raise FrontMatterError(line_of(root.start_mark), f"expected 'key: value', found {root.value[:40]!r}")
    fields: dict = {}
    lines: dict = {}
    for key_node, value_node in root.value:
        line = line_of(key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            raise FrontMatterError(line, "a key that is a list or a mapping")
        key = key_node.value
        if key in fields:
            raise FrontMatterError(line, f"the key {key!r} appears twice (first at line {lines[key]})")
        lines[key] = line
        fields[key] = value_of(value_node, line)
    return fields, lines


def value_of(node, line: int):
    """A string, None, a list of strings (nulls left out), or Unparsed for anything nested."""
    if isinstance(node, yaml.ScalarNode):
        return scalar(node)
    if isinstance(node, yaml.MappingNode):
        return Unparsed(line, "flow mapping" if node.flow_style else "nested block")
    if any(not isinstance(item, yaml.ScalarNode) for item in node.value):
        return Unparsed(line, "list of mappings or lists")
    return [v for v in map(scalar, node.value) if v is not None]


def scalar(node: yaml.ScalarNode) -> str | None:
    plain = not node.style  # the C loader gives a plain scalar the style '', the Python one None
    return None if plain and node.value in NULLS else node.value
