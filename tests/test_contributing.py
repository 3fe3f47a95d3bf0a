"""A contributor's path ends green: in a copy of the repository, add a model exactly as
CONTRIBUTING.md shows (its organisation, country and source included), check it as the
guide says, and run the tests that read data/ — they pass."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

TURTLE = re.compile(r"```turtle\n(.*?)```", re.S)


def templates() -> list[str]:
    return TURTLE.findall((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))


def prefixes() -> str:
    head = (ROOT / "data" / "models.ttl").read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert head.startswith("@prefix"), "data/models.ttl opens with its @prefix lines"
    return head + "\n\n"


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The repository's tracked files, in a folder of their own."""
    dest = tmp_path_factory.mktemp("clone")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest


def llmkg(copy, *args):
    env = dict(os.environ, LLMKG_HOME=str(copy), LLMKG_BUILD_DIR=str(copy / "build"))
    return subprocess.run([sys.executable, "-m", "llmkg", *map(str, args)], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_guide_has_a_template_for_each_kind():
    kinds = [re.search(r"\ba (llmkg:\w+)", t).group(1) for t in templates()]
    assert kinds == ["llmkg:LargeLanguageModel", "llmkg:Organization", "llmkg:Country", "llmkg:Source"]


def test_a_new_model_as_the_guide_shows_validates_and_the_tests_pass(copy):
    model, organisation, country, source = templates()
    # 1. in a file of its own, checked against the rest of the graph, warnings included
    mine = copy / "my-model.ttl"
    mine.write_text(prefixes() + "\n".join(templates()), encoding="utf-8")
    r = llmkg(copy, "validate", mine, "--only-files", "--fail-on", "warning")
    assert r.returncode == 0, r.stdout + r.stderr
    # 2. moved into data/, and everything checked together
    mine.unlink()
    for name, parts in (("models.ttl", [model]), ("organizations.ttl", [organisation, country]),
                        ("sources.ttl", [source])):
        with open(copy / "data" / name, "a", encoding="utf-8") as f:
            f.write("\n" + "\n".join(parts))
    r = llmkg(copy, "validate")
    assert r.returncode == 0, r.stdout + r.stderr
    r = llmkg(copy, "query", "SELECT ?c WHERE { kg:ExampleMed-7B a ?c } ORDER BY ?c")
    assert "llmkg:IndustryModel" in r.stdout and "llmkg:LargeLanguageModel" in r.stdout, r.stdout
    # 3. the README's counts refreshed as the guide says, then the tests that read data/
    env = dict(os.environ, LLMKG_HOME=str(copy))
    tests = ["tests/test_readme.py", "tests/test_queries.py", "tests/test_content.py", "tests/test_bad_inputs.py",
             "tests/test_library.py"]
    subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_readme.py"], cwd=copy,
                   env=dict(env, LLMKG_UPDATE_README="1"), capture_output=True, timeout=300)
    r = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-x", *tests], cwd=copy, env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
