"""Which files to read: the data files and folders a user names, each checked
and listed, and where in them a node is described."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from llmkg import paths
from llmkg.errors import InputError

RDF_SUFFIXES = (".ttl", ".nt", ".n3", ".jsonld", ".rdf", ".owl", ".xml", ".trig", ".nq")


@dataclass(frozen=True)
class Origin:
    """Where a node is described: a file and (for Turtle) a 1-based line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def relative(path: Path) -> str:
    """``path`` relative to the working folder where it is inside it, for messages."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a symbolic link is shown as itself
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def expand(data: Iterable[str | Path] | None) -> list[Path]:
    """Turn files and directories into a sorted list of RDF files."""
    if data is None:
        data = [paths.data_dir()]
    files: list[Path] = []
    for item in data:
        p = Path(item)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix in RDF_SUFFIXES))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{item}: no such file or directory; give a Turtle file or a folder of them")
    return files


