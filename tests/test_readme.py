"""The README's examples are real: each ```console block's commands print exactly what it shows.

Regenerate the shown output after a deliberate change (a model added to data/
changes the counts the README shows) with:
    LLMKG_UPDATE_README=1 .venv/bin/pytest tests/test_readme.py

The same command redraws the README's pictures (docs/*.png) when they no longer show
the data: each PNG records what it shows (llmkg.exports.pictures.content_digest).

Commands that write into build/ write into a temporary folder instead, so the
tests leave the checkout as they found it.
"""
from __future__ import annotations

import os
import re
import shlex

from conftest import ROOT

from llmkg.cli import main

BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def examples(text):
    """Yield (command, shown output) for every ``$ llmkg …`` line in console blocks."""
    for block in BLOCK.finditer(text):
        parts = re.split(r"^\$ ", block.group(1), flags=re.M)
        for part in parts[1:]:
            command, _, output = part.partition("\n")
            yield command, output


REGENERATE = "LLMKG_UPDATE_README=1 .venv/bin/pytest tests/test_readme.py"


def run(command, capsys, scratch):
    """Run one README command; what it would write into build/ goes into ``scratch``, and is
    named build/ again in what it prints."""
    argv = [a.replace("build/", f"{scratch}/") for a in shlex.split(command)]
    assert argv[0] == "llmkg", command
    capsys.readouterr()
    code = main(argv[1:])
    captured = capsys.readouterr()
    return code, captured.out.replace(f"{scratch}/", "build/")


def test_readme_examples_print_what_they_show(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    found = list(examples(text))
    assert len(found) >= 5
    if os.environ.get("LLMKG_UPDATE_README"):
        for command, shown in found:
            _, out = run(command, capsys, tmp_path)
            text = text.replace(f"$ {command}\n{shown}", f"$ {command}\n{out}", 1)
        readme.write_text(text, encoding="utf-8")
        found = list(examples(text))
    for command, shown in found:
        code, out = run(command, capsys, tmp_path)
        assert code in (0, 1, 2), command  # the README shows failing validations too
        assert out == shown, (f"the README shows what `{command}` printed before the data or the code "
                              f"changed; if the change is meant, regenerate the shown output with: {REGENERATE}")


PYTHON = re.compile(r"```python\n(.*?)```", re.S)


def test_readme_python_examples_run(tmp_path):
    """Each ```python block runs as written (what it writes into build/ goes to a temporary folder)."""
    import subprocess
    import sys

    blocks = PYTHON.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert blocks
    env = dict(os.environ, LLMKG_BUILD_DIR=str(tmp_path / "stores"))
    for code in blocks:
        code = code.replace('"build/', f'"{tmp_path}/')
        p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
        assert p.returncode == 0, p.stderr


def test_the_readme_pictures_show_the_data(shipped):
    """docs/llmkg-overview.png and docs/llmkg-timeline.png are what `llmkg render -o docs/` draws
    of the shipped data: compared by the content each PNG records (counts and a digest of the
    nodes, edges and models drawn), not by pixels, which differ between machines."""
    from llmkg.exports.pictures import picture_digests, read_digest, render_all

    docs = ROOT / "docs"
    wanted = picture_digests(shipped.store)
    if os.environ.get("LLMKG_UPDATE_README") and any(read_digest(docs / n) != d for n, d in wanted.items()):
        render_all(shipped.store, docs)
    for name, digest in wanted.items():
        assert read_digest(docs / name) == digest, (
            f"docs/{name} shows other data ({read_digest(docs / name)}) than data/ holds ({digest}); "
            f"redraw the README's pictures with: {REGENERATE}")
