"""Reading an input file: its bytes, its text, and a digest that names the import run."""
from __future__ import annotations

import hashlib
from pathlib import Path

from llmkg.errors import InputError
from llmkg.sources.files import regular


def read_input(path: Path, display: str) -> bytes:
    """The bytes of a non-empty input file, or an InputError that names it."""
    if not path.exists():
        raise InputError(f"{display}: no such file or directory")
    if path.is_dir():
        raise InputError(f"{display}: is a folder; give the CSV file")
    regular(path)  # a device or a pipe would be read, or waited for, forever
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{display}: cannot read the file ({e.strerror})") from None
    if not data.strip():
        raise InputError(f"{display}: the file is empty")
    return data


def decode_utf8(data: bytes, display: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or an InputError at the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{display}:{line_of_byte(data, e.start)}: the file is not UTF-8 text") from None


def line_of_byte(data: bytes, offset: int) -> int:
    """The line (from 1) that holds byte ``offset``."""
    return data[:offset].count(b"\n") + 1


def input_digest(*parts: bytes) -> str:
    """16 hex digits over the parts (each length-prefixed): the same input, the same import IRIs."""
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h.hexdigest()[:16]
