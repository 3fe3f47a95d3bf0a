"""Hugging Face inputs → one record per model: a folder of model cards, one card, or a JSONL file.

A card is any ``*.md`` under the folder whose YAML front matter sits between
``---`` lines; its id is ``id``/``modelId`` in the front matter, else
``<org>/<name>`` from ``<org>/<name>/README.md``, else the file name with
``__`` for ``/``. A JSONL line is one object with ``id`` (or ``modelId``)
and the card's fields, at the top level or under ``cardData`` as the Hub API
returns them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from llmkg.errors import InputError
from llmkg.sources.importers.cards import FrontMatterError, parse_front_matter
from llmkg.sources.importers.inputs import decode_utf8, input_digest, line_of_byte, read_input
from llmkg.sources.importers.result import ImportResult


@dataclass
class HubRecord:
    """One model as the input describes it."""

    line: int | str        # where it was read, as ImportResult.skipped / dropped give it
    fields: dict
    comment: str           # the rdfs:comment saying where the model was read
    field_lines: dict = field(default_factory=dict)  # field → line, where it differs from ``line``

    def where(self, fld: str) -> int | str:
        """Where a field was read (a card's key has its own line)."""
        return self.field_lines.get(fld, self.line)


@dataclass
class HubInput:
    records: list[HubRecord]
    files: list[Path]      # the files read, for the import run's date
    digest: str            # names the import run: the same input, the same IRIs


def read_hub_input(path: Path, display: str, on_error: str, result: ImportResult) -> HubInput:
    """The records of a folder of cards, one card, or a JSONL file, counted in ``result.rows_read``."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.md") if p.is_file())
        records = read_cards(path, files, on_error, result)
        digest = input_digest(*(part for f in files for part in (f.relative_to(path).as_posix().encode(),
                                                                 f.read_bytes())))
        return HubInput(records, files, digest)
    data = read_input(path, display)
    if looks_like_card(path):
        card = path.resolve()
        # <org>/<name>/README.md names its model, as in a folder of cards
        root = card.parents[2] if card.name.casefold() == "readme.md" and len(card.parents) > 2 else card.parent
        return HubInput(read_cards(root, [card], on_error, result), [card], input_digest(path.name.encode(), data))
    records = read_jsonl(path, display, data, on_error, result)
    return HubInput(records, [path], input_digest(path.name.encode(), data))


def looks_like_card(path: Path) -> bool:
    """A single Markdown model card (not a JSONL file): a .md file, or text that opens with '---'."""
    if path.suffix.casefold() == ".md":
        return True
    try:
        with open(path, "rb") as f:
            return f.readline().strip() == b"---"
    except OSError:
        return False  # reported where the file is read


def skip_or_raise(on_error: str, result: ImportResult, where, reason: str, display: str | None = None) -> None:
    """A record that cannot be read: an InputError (on_error="raise"), else a skipped row."""
    if on_error == "raise":
        raise InputError(f"{display}:{where}: {reason}" if display else f"{where}: {reason}")
    result.skipped.append((where, reason))


# -- model cards ---------------------------------------------------------------

def read_cards(root: Path, files: list[Path], on_error: str, result: ImportResult) -> list[HubRecord]:
    """The records of ``files`` (model cards under ``root``); a card without front matter is skipped."""
    if not files:
        raise InputError(f"{root}: no model cards (*.md files) in the folder")
    records = []
    for f in files:
        result.rows_read += 1
        record = read_card(root, f, on_error, result)
        if record is not None:
            records.append(record)
    return records


def read_card(root: Path, file: Path, on_error: str, result: ImportResult) -> HubRecord | None:
    rel = file.relative_to(root).as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        skip_or_raise(on_error, result, f"{rel}:{line_of_byte(file.read_bytes(), e.start)}",
                      "the file is not UTF-8 text")
        return None
    try:
        fields, lines, _ = parse_front_matter(text)
    except LookupError:
        result.skipped.append((f"{rel}:1", "no YAML front matter (no '---' on the first line)"))
        return None
    except FrontMatterError as e:
        skip_or_raise(on_error, result, f"{rel}:{e.line}", f"front matter cannot be read: {e.reason}")
        return None
    if not fields.get("id") and not fields.get("modelId"):
        model_id = model_id_from_path(file.relative_to(root))
        if model_id:
            fields["id"] = model_id
    return HubRecord(f"{rel}:1", fields, f"front matter of {rel}", {k: f"{rel}:{n}" for k, n in lines.items()})


def model_id_from_path(rel: Path) -> str | None:
    """``org/name/README.md`` → org/name, ``name/README.md`` → name, ``org__name.md`` → org/name."""
    parts = rel.parts
    if rel.name.casefold() != "readme.md":
        return rel.stem.replace("__", "/")
    if len(parts) >= 3:
        return f"{parts[-3]}/{parts[-2]}"
    if len(parts) == 2:
        return parts[0]
    return None


# -- JSON Lines ----------------------------------------------------------------

def read_jsonl(path: Path, display: str, data: bytes, on_error: str, result: ImportResult) -> list[HubRecord]:
    """One record per JSON object line; a file where no line is JSON is not JSON Lines at all."""
    text = decode_utf8(data, display)
    records, parsed, first_error = [], 0, None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        result.rows_read += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            first_error = first_error or f"{display}:{n}: {e.msg} at column {e.colno}"
            skip_or_raise(on_error, result, n, f"not a JSON object ({e.msg} at column {e.colno})", display)
            continue
        except RecursionError:
            skip_or_raise(on_error, result, n, "the JSON is nested too deeply to read", display)
            continue
        except ValueError as e:  # an integer of more than 4,300 digits, which Python will not read
            skip_or_raise(on_error, result, n, f"a value cannot be read ({str(e).split(';')[0]})", display)
            continue
        parsed += 1
        if not isinstance(obj, dict):
            skip_or_raise(on_error, result, n, "not a JSON object", display)
            continue
        bad = lone_surrogate(obj)
        if bad:
            skip_or_raise(on_error, result, n, f"the text {bad!r} has a lone surrogate (a \\ud800-\\udfff escape "
                                               "not in a pair), which is not Unicode text", display)
            continue
        records.append(HubRecord(n, card_fields(obj), f"line {n} of {path.name}"))
    if first_error and not parsed:
        raise InputError(f"{first_error}: not JSON Lines (no line of the file is JSON); give a JSONL file "
                         "(one JSON object a line), a model card (.md with YAML front matter) or a folder of cards")
    return records


def lone_surrogate(value) -> str | None:
    """The first string in ``value`` (nested lists and objects, keys too) with a lone surrogate, or None."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return v
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return None


def card_fields(obj: dict) -> dict:
    """A Hub API object's fields, with the front matter it holds under ``cardData`` lifted to the top."""
    card = obj.get("cardData")
    if not isinstance(card, dict):
        return dict(obj)
    fields = {**card, **{k: v for k, v in obj.items() if k != "cardData"}}
    fields["cardData"] = None
    return fields
