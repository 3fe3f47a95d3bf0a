"""The fast engine finds what the reference (rdflib + owlrl + pySHACL) finds in the whole
corpus of contributors' mistakes (tests/fixtures/bad) beside the shipped data; in a file of
its own so that pytest-xdist runs it beside tests/test_fastpath.py."""
from __future__ import annotations

from dataclasses import asdict

from conftest import FIXTURES
from llmkg.validation.checks import check_store
from test_fastpath import _both


def test_same_findings_on_every_contributor_mistake():
    """The whole corpus of mistakes at once (one reference run instead of one per file: CI time)."""
    files = [FIXTURES.parent.parent / "data"] + sorted((FIXTURES / "bad").glob("*.ttl"))
    fast, ref, _ = _both(files)
    reference = check_store(ref, engine="reference")
    mine = check_store(fast)
    assert len({f.file for f in reference.all}) >= 10  # the findings come from the mistakes' files
    assert [asdict(f) for f in mine.all] == [asdict(f) for f in reference.all]
