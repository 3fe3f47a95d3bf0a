"""The ontology is OWL 2 DL: HermiT — Protégé's default reasoner — classifies it as shipped,
and the ontology with the data, with no unsatisfiable class; and it does find a clash when
the data has one (so that the check can fail).

HermiT comes from the owlready2 package (its HermiT.jar, run with `java -jar`); Java is
installed by .ci/run where the machine lacks it.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import FIXTURES, ROOT


def hermit_jar() -> Path:
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not shutil.which("java"):
        pytest.fail("HermiT needs Java and owlready2: pip install -e '.[test]' and a JRE (.ci/run installs both)")
    return Path(spec.submodule_search_locations[0]) / "hermit" / "HermiT.jar"


def hermit(tmp_path, *files) -> subprocess.CompletedProcess:
    """HermiT's command line on the files (as one N-Triples document): classify, list unsatisfiable classes."""
    g = Graph()
    for f in files:
        g.parse(f)
    doc = tmp_path / "input.nt"
    g.serialize(doc, format="nt", encoding="utf-8")
    return subprocess.run(["java", "-jar", str(hermit_jar()), "-c", "-U", doc.resolve().as_uri()],
                          capture_output=True, text=True, timeout=300)


def unsatisfiable(out: str) -> list[str]:
    """The classes HermiT lists as equivalent to owl:Nothing, owl:Nothing itself left out."""
    block = out.split("owl:Nothing", 1)[1] if "owl:Nothing" in out else ""
    names = []
    for line in block.splitlines()[1:]:
        if not line.startswith("\t"):
            break
        names.append(line.strip())
    return [n for n in names if n != "owl:Nothing"]


def test_hermit_classifies_the_ontology_as_shipped(tmp_path):
    r = hermit(tmp_path, ROOT / "ontology" / "llmkg.ttl")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "SubClassOf( <https://w3id.org/llmkg/ontology#LargeLanguageModel>" in r.stdout
    assert unsatisfiable(r.stdout) == []


def test_hermit_classifies_the_ontology_with_the_data(tmp_path):
    r = hermit(tmp_path, ROOT / "ontology" / "llmkg.ttl", *sorted((ROOT / "data").glob("*.ttl")))
    assert r.returncode == 0, r.stderr[-2000:]
    assert unsatisfiable(r.stdout) == []


def test_hermit_finds_a_clash_in_the_data(tmp_path):
    """A model that is both a large and a small model: the data is inconsistent, and HermiT says so."""
    r = hermit(tmp_path, ROOT / "ontology" / "llmkg.ttl", FIXTURES / "bad" / "disjoint_classes.ttl")
    assert r.returncode != 0 and "nconsistent" in r.stdout + r.stderr, r.stdout[-1000:] + r.stderr[-1000:]
