"""Where the hand-edited sources live: ontology/, data/, queries/.

They sit beside the package in a checkout (``pip install -e .``). The
environment variable LLMKG_HOME points elsewhere, e.g. at a fork's clone.
"""
from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("LLMKG_HOME")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    if (here / "ontology" / "llmkg.ttl").exists():
        return here
    return Path.cwd()


def ontology_file() -> Path:
    return project_root() / "ontology" / "llmkg.ttl"


def shapes_file() -> Path:
    return project_root() / "ontology" / "shapes.ttl"


def data_dir() -> Path:
    return project_root() / "data"


def queries_dir() -> Path:
    return project_root() / "queries"

