"""Shared test helpers: run the CLI in-process and capture what a user sees."""
from __future__ import annotations

from pathlib import Path

import pytest

from llmkg.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"Run(code={self.code}, out={self.out[:300]!r}, err={self.err[:300]!r})"


@pytest.fixture
def cli(capsys, monkeypatch):
    """Call ``llmkg ARGS…`` in-process from the repository root; return code, stdout, stderr."""
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def shipped():
    """The shipped data loaded and reasoned once per test session."""
    from llmkg.sources.rdf import load
    from llmkg.reasoning.reference import reason

    loaded = load()
    return loaded, reason(loaded.graph)
