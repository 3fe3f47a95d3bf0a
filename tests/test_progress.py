"""The progress display: shown on a terminal for long stages only, never in a pipe or CI log."""
from __future__ import annotations

import io
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
