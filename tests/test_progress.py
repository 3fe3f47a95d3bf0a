"""The progress display: shown on a terminal for long stages only, never in a pipe or CI log."""
from __future__ import annotations

import io
import subprocess
import sys
import time

from llmkg.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_long_stage_shows_its_name_and_time_on_a_terminal():
    out = Terminal()
    with Progress(out, delay=0.05, interval=0.01) as progress:
        progress("reason")
        time.sleep(0.2)
        progress("validate")  # ends "reason"
    text = out.getvalue()
    assert "reason …" in text and "reason: 0." in text


def test_a_short_stage_prints_nothing():
    out = Terminal()
    with Progress(out, delay=5, interval=0.01) as progress:
        progress("load")
        time.sleep(0.05)
    assert out.getvalue() == ""


def test_nothing_is_printed_when_not_a_terminal():
    out = io.StringIO()
    with Progress(out, delay=0, interval=0.01) as progress:
        progress("reason")
        time.sleep(0.05)
    assert out.getvalue() == ""


def test_build_names_each_stage_as_it_starts(tmp_path):
    """The progress display hears of every stage of the build, the shared wait last."""
    from llmkg.pipeline import STAGES, build

    seen = []
    result = build(out=tmp_path, progress=seen.append)
    assert seen[:2] == ["load", "reason"] and {"network", "export", "pictures"} <= set(seen)
    assert seen[-1] == "validate, pictures, turtle, queries (what is left)"  # the timeline is shared
    assert [name for name, _ in result.timings] == list(STAGES)
    seen.clear()  # a skipped stage is neither heard of nor timed
    result = build(out=tmp_path, progress=seen.append, skip=["turtle", "pictures"])
    assert "pictures" not in seen and seen[-1] == "validate, queries (what is left)"
    assert [name for name, _ in result.timings] == [s for s in STAGES if s not in ("turtle", "pictures")]


def test_the_build_imports_the_drawing_stack_while_oxigraph_parses():
    """The thread started before loading imports matplotlib (the pictures' module);
    a linter once removed its import as unused and the thread did nothing."""
    code = ("import sys, llmkg.pipeline as p; p._import_later_stages(set());"
            "print('matplotlib' in sys.modules, 'llmkg.exports.pictures' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
