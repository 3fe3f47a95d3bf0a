"""The query catalogue: every ``queries/*.rq`` file, with its header.

Each file opens with comment lines of the form ``# key: value``; the keys
are ``title``, ``title@zh``, ``question``, ``question@zh`` and ``columns``
(followed by one ``#   name — meaning`` line per result column).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from llmkg import paths
from llmkg.errors import QueryError

_KEY = re.compile(r"^#\s*([A-Za-z]+(?:@[a-z]+)?)\s*:\s*(.*)$")
_COLUMN = re.compile(r"^#\s+\??([A-Za-z_][\w]*)\s*[—–-]+\s*(.+)$")


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    path: Path
    text: str
    title: str
    title_zh: str
    question: str
    question_zh: str = ""
    columns: dict[str, str] = field(default_factory=dict)


def parse_header(path: Path, text: str) -> CatalogueQuery:
    """Read the comment header of one query file."""
    header: dict[str, str] = {}
    columns: dict[str, str] = {}
    in_columns = False
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key = _KEY.match(line)
        if key and not line.startswith("#  "):
            in_columns = key.group(1) == "columns"
            header[key.group(1)] = key.group(2).strip()
            continue
        col = _COLUMN.match(line)
        if in_columns and col:
            columns[col.group(1)] = col.group(2).strip()
    missing = [k for k in ("title", "title@zh", "question") if not header.get(k)]
    if missing:
        raise QueryError(
            f"{path}: the query header lacks {', '.join(missing)}; start the file with "
            "'# title: …', '# title@zh: …' and '# question: …' comment lines"
        )
    return CatalogueQuery(
        name=path.stem,
        path=path,
        text=text,
        title=header["title"],
        title_zh=header["title@zh"],
        question=header["question"],
        question_zh=header.get("question@zh", ""),
        columns=columns,
    )


def load_catalogue(directory: Path | str | None = None) -> list[CatalogueQuery]:
    """All catalogue queries, sorted by name."""
    directory = Path(directory) if directory else paths.queries_dir()
    return [
        parse_header(p, p.read_text(encoding="utf-8"))
        for p in sorted(directory.glob("*.rq"))
    ]


def get(name: str, directory: Path | str | None = None) -> CatalogueQuery:
    """One catalogue query by name; QueryError (with close names) if absent."""
    catalogue = {q.name: q for q in load_catalogue(directory)}
    if name in catalogue:
        return catalogue[name]
    import difflib

    close = difflib.get_close_matches(name, catalogue, n=3)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(
        f"no catalogue query named {name!r}.{hint} Run 'llmkg query --list' for the catalogue."
    )
