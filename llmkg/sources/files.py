"""Which files to read: the data files and folders a user names, each checked
and listed, and where in them a node is described."""
from __future__ import annotations

import os
import stat
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
    """Turn files and directories into a sorted list of RDF files.

    Only regular files are read: a device, a named pipe or a socket (or a
    symbolic link to one) would be read forever, or wait forever, so it is an
    InputError naming it, given directly or found in a folder."""
    if data is None:
        data = [paths.data_dir()]
    files: list[Path] = []
    for item in data:
        p = Path(item)
        try:
            st = p.stat()  # follows symbolic links: what would be read
        except FileNotFoundError:
            if p.is_symlink():
                raise InputError(f"{item}: a symbolic link to {os.readlink(p)}, which does not exist") from None
            raise InputError(f"{item}: no such file or directory; give a Turtle file or a folder of them") from None
        except OSError as e:
            raise InputError(f"{item}: cannot be read ({e.strerror})") from None
        if stat.S_ISDIR(st.st_mode):
            files.extend(regular(f) for f in sorted(p.rglob("*")) if f.suffix in RDF_SUFFIXES)
        else:
            files.append(regular(p, st))
    return files


_SPECIAL = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))


def regular(path: Path, st: os.stat_result | None = None) -> Path:
    """``path`` if it is (or links to) a regular file; else an InputError saying what it is."""
    try:
        st = st or path.stat()
    except OSError as e:
        raise InputError(f"{relative(path)}: cannot be read ({e.strerror})") from None
    if stat.S_ISREG(st.st_mode):
        return path
    kind = next((k for test, k in _SPECIAL if test(st.st_mode)), "not a regular file")
    link = f" (a symbolic link to {os.readlink(path)})" if path.is_symlink() else ""
    raise InputError(f"{relative(path)}: is {kind}{link}, not a file of RDF; llmkg reads regular files only "
                     "— give the data file itself, or remove this from the folder")
