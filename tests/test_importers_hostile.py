"""The importers on hostile values (issue 13): each bad value is left out or its
row skipped with the line and the reason (``--on-error skip``), or is a
located InputError (``raise``); none hangs, none is an internal error, the
good row beside it is imported, and nothing invalid is written. Run in a child
process with a time limit, since the old failure mode was a hang."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEADER = "Model,Organization,Publication date,Domain,Parameters\n"
GOOD_ROW = "Good,Org,2023-02-01,Language,1000\n"
GOOD_LINE = '{"id": "x/good", "pipeline_tag": "text-generation"}\n'

# name, input, what the report must say (line: words)
EPOCH = [
    ("exponent_1e999999999", "Bad,Org,2023-01-01,Language,1e999999999\n", "2: Parameters", "16 digits or more"),
    ("exponent_1e5000", "Bad,Org,2023-01-01,Language,1e5000\n", "2: Parameters", "16 digits or more"),
    ("integer_5000_digits", "Bad,Org,2023-01-01,Language," + "9" * 5000 + "\n", "2: Parameters", "16 digits"),
    ("fullwidth_digits", "Bad,Org,２０２４-０１,Language,１０００\n", "2: Publication date", "not a date"),
    ("unclosed_quote", 'Bad,Org,2023-01-01,Language,"100\n', "2: a quote", "never closed"),
]
HF = [
    ("integer_5000_digits", '{"id": "x/bad", "safetensors": {"total": ' + "9" * 5000 + "}}\n", "2: a value",
     "4300 digits"),
    ("exponent_1e999999999", '{"id": "x/bad", "safetensors": {"total": "1e999999999"}}\n', "2: safetensors.total",
     "16 digits or more"),
    ("deeply_nested", '{"id": "x/bad", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "2: the JSON",
     "nested too deeply"),
    ("lone_surrogate", '{"id": "x/bad", "license": "\\ud800"}\n', "2: the text", "lone surrogate"),
    ("surrogate_in_a_list", '{"id": "x/bad", "tags": ["ok", "a\\udfff"]}\n', "2: the text", "lone surrogate"),
]

CHILD = r"""
import json, sys
from pathlib import Path
from llmkg.errors import InputError
from llmkg.sources.importers import import_epoch, import_hf
for kind, path, mode in json.loads(sys.argv[1]):
    try:
        r = (import_epoch if kind == "epoch" else import_hf)(path, on_error=mode)
        text = r.summary()
        bad = [str(o) for s, p, o in r.triples if any(c in str(o) for c in "０１２３４５６７８９")]
        print(json.dumps({"path": path, "mode": mode, "kind": "done", "summary": text,
                          "good": any("Good" in str(o) or "x/good" in str(o) for s, p, o in r.triples),
                          "fullwidth_written": bad}))
    except InputError as e:
        print(json.dumps({"path": path, "mode": mode, "kind": "input-error", "summary": str(e)}))
    except BaseException as e:
        print(json.dumps({"path": path, "mode": mode, "kind": "crash", "summary": f"{type(e).__name__}: {e}"}))
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-imports")
    jobs = []
    for name, row, _, _ in EPOCH:
        path = folder / f"{name}.csv"
        path.write_text(HEADER + row + GOOD_ROW, encoding="utf-8")
        jobs += [("epoch", str(path), mode) for mode in ("skip", "raise")]
    for name, line, _, _ in HF:
        path = folder / f"{name}.jsonl"
        path.write_text(GOOD_LINE + line, encoding="utf-8")
        jobs += [("hf", str(path), mode) for mode in ("skip", "raise")]
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(jobs)], capture_output=True, text=True,
                         timeout=120)
    results = {(r["path"].rsplit("/", 1)[-1], r["mode"]): r for r in map(json.loads, out.stdout.splitlines())}
    assert len(results) == len(jobs), out.stdout + out.stderr
    return results


@pytest.mark.parametrize("kind, name, line, words", [("epoch", n, l, w) for n, _, l, w in EPOCH] +
                         [("hf", n, l, w) for n, _, l, w in HF], ids=[f"epoch-{c[0]}" for c in EPOCH] +
                         [f"hf-{c[0]}" for c in HF])
def test_a_bad_value_is_reported_at_its_line(outcomes, kind, name, line, words):
    file = f"{name}.{'csv' if kind == 'epoch' else 'jsonl'}"
    skip = outcomes[(file, "skip")]
    assert skip["kind"] == "done", skip
    assert f"  {line}" in skip["summary"] and words in skip["summary"], skip["summary"]
    assert skip["good"] and not skip["fullwidth_written"], skip
    raised = outcomes[(file, "raise")]
    assert raised["kind"] in ("done", "input-error"), raised  # never a crash
    if raised["kind"] == "input-error":  # a record that cannot be read: located, with the reason
        assert f"{file}:{line.split(':')[0]}:" in raised["summary"] and words in raised["summary"], raised
    else:  # a value that cannot be read is left out and reported in either mode
        assert raised["summary"] == skip["summary"]
