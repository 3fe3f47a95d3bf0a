"""Files → findings: the SHACL shapes, consistency after reasoning, undeclared
terms, dangling references, duplicates and the ontology's own quality, each
finding located (file and line, node, property, value) with its fix."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable

from llmkg.errors import InputError
from llmkg.validation.report import FORMATS, SEVERITIES, Finding, Report

__all__ = ["validate", "Report", "Finding", "FORMATS", "SEVERITIES", "ENGINES"]

ENGINES = ("oxigraph", "reference")


def validate(
    files: Iterable[str | Path] = (),
    *,
    data: Iterable[str | Path] | None = None,
    fail_on: str = "error",
    engine: str = "oxigraph",
    only_files: bool = False,
) -> Report:
    """Validate the shipped data (or ``data``) plus ``files``; collect every finding.

    In memory, on a store of its own: a built store is neither needed nor
    changed. ``engine="reference"`` loads with rdflib, reasons with owlrl and
    runs the shapes with pySHACL. ``only_files`` keeps only the findings
    located in ``files`` (the rest of the data is still read, as their
    context): a contributor's verdict on their own files.
    """
    from llmkg.sources.files import expand, relative

    if fail_on not in SEVERITIES:
        raise InputError(f"fail_on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    targets = _unique(expand(data) + expand(list(files)))
    start = time.perf_counter()
    if engine == "reference":
        from llmkg.reasoning.reference import reference_store

        loaded = reference_store(targets)
        loaded_at = reasoned_at = time.perf_counter()
    else:
        from llmkg.reasoning.closure import reason_store
        from llmkg.store.load import load_store

        loaded = load_store(targets)
        loaded_at = time.perf_counter()
        reason_store(loaded)
        reasoned_at = time.perf_counter()
    from llmkg.validation.checks import check_store

    report = check_store(loaded, fail_on=fail_on, engine=engine)
    report.timings = {"load": loaded_at - start, "reason": reasoned_at - loaded_at, **report.timings}
    if only_files:
        if not files:
            raise InputError("only_files needs files to report on (CLI: give FILE arguments with --only-files)")
        mine = {relative(f) for f in expand(list(files))}
        report.findings = [f for f in report.findings if f.file in mine]
        report.input_errors = [f for f in report.input_errors if f.file in mine]
        report.files = [f for f in report.files if relative(Path(f)) in mine]
    return report


def _unique(files: list[Path]) -> list[Path]:
    seen, out = set(), []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
