"""The main job: files → store → reasoning → validation, the catalogue's
answers and exports, all written into one folder, the built store among them."""
from __future__ import annotations

import contextlib
import gc
import importlib
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from llmkg.background import InThread
from llmkg.errors import InputError, LlmkgError
from llmkg.querying import catalogue
from llmkg.validation.report import Report, format_text

ENGINES = ("oxigraph", "reference")
#: Stages a build may leave out, and the files each would have written into the output folder.
SKIPPABLE = {"turtle": ("llmkg-inferred.ttl",), "pictures": ("llmkg-overview.png", "llmkg-timeline.png")}


@dataclass
class BuildResult:
    out: Path
    timings: list[tuple[str, float]] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    report: Report | None = None
    files: list[Path] = field(default_factory=list)
    wall: float = 0.0  # seconds from start to end; less than the stages' sum when they overlap
    warnings: list[str] = field(default_factory=list)  # said in the summary; they change no exit code
    notes: list[str] = field(default_factory=list)  # how the build went about its work, said in the summary
    skipped: list[str] = field(default_factory=list)  # stages left out (SKIPPABLE)
    store: Path | None = None  # the built store's folder; None when a file could not be read
    #: the reasoned graph in memory (a GraphStore: query it with llmkg.query at once), kept until the
    #: result is dropped; the command exits without freeing it (a second at 100,000 models)
    graph: object = None

    @property
    def exit_code(self) -> int:
        return self.report.exit_code if self.report else 2


def build(
    data: Iterable[str | Path] | None = None,
    out: str | Path = "build",
    *,
    engine: str = "oxigraph",
    progress: Callable[[str], None] | None = None,
    skip: Iterable[str] = (),
) -> BuildResult:
    """Load, reason, validate, run the catalogue and write everything into ``out``,
    the built store (``out/store``, what ``llmkg query`` and the other reading
    commands open) included.

    ``engine``: ``oxigraph`` (default) loads, reasons, validates and queries on
    an Oxigraph store; ``reference`` loads with rdflib, reasons with owlrl,
    validates with pySHACL and answers the catalogue with rdflib's SPARQL — the
    reference the fast engine is tested against. Both write the store, the
    network, the GEXF and the pictures from the same code.
    ``progress(stage)`` is called as each stage starts. ``skip`` names stages
    to leave out (``turtle``, ``pictures``: see :data:`SKIPPABLE`); what they
    wrote into ``out`` before is removed, so that nothing there is stale.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    skip = list(dict.fromkeys(skip))
    unknown = [s for s in skip if s not in SKIPPABLE]
    if unknown:
        raise InputError(f"cannot skip {', '.join(map(repr, unknown))}; the stages that can be skipped are "
                         f"{', '.join(SKIPPABLE)}")
    out = Path(out)
    result = BuildResult(out=out, skipped=[s for s in SKIPPABLE if s in skip])
    for name in result.skipped:
        for stale in SKIPPABLE[name]:
            (out / stale).unlink(missing_ok=True)
    say = progress or (lambda stage: None)

    def stage(name, fn, *, heard: bool = True):
        if heard:  # a part done in the background beside another stage is timed, not announced
            say(name)
        start = time.perf_counter()
        value = fn()
        result.timings.append((name, time.perf_counter() - start))
        return value

    began = time.perf_counter()
    # The build makes millions of small tuples and sets that live until it ends;
    # Python's cycle collector would walk them again and again (a fifth of the
    # network export at 100,000 models) and can free nothing: pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _build(data, out, result, stage, engine)
    finally:
        if collecting:
            gc.enable()
    result.wall = time.perf_counter() - began
    return result


def _build(data, out: Path, result: BuildResult, stage, engine: str) -> None:
    # the store being written is aborted on leaving unless published: a failed build leaves none half-written
    with contextlib.ExitStack() as writers:
        _build_with(data, out, result, stage, engine, writers)


def _build_with(data, out: Path, result: BuildResult, stage, engine: str, writers) -> None:
    from llmkg.store.persist import StoreWriter

    if engine == "reference":
        from llmkg.reasoning.reference import reason, to_store
        from llmkg.sources.rdf import load_each

        (asserted, errors) = stage("load", lambda: load_each(data))
        closed = stage("reason", lambda: reason(asserted.graph))
        loaded = to_store(asserted, errors, closed)
        writer = None if loaded.errors else writers.enter_context(StoreWriter(out / "store"))
        timeline = _shared_timeline(loaded, result)
    else:
        from llmkg.store.load import load_store

        # Oxigraph parses without holding the GIL, so a thread can import what the
        # later stages need (networkx, numpy, rdflib, matplotlib: half a second) on the
        # otherwise idle second core meanwhile. Joined before reasoning, so that no
        # thread is running when the build forks.
        importing = threading.Thread(target=_import_later_stages, args=(result.skipped,), daemon=True)
        importing.start()
        copying = None
        try:
            loaded = stage("load", lambda: load_store(data))
            # The asserted graphs are final once loaded: a thread copies them into the built store
            # while the imports end and reasoning runs (RocksDB writes without the GIL, on the
            # second core). Joined before the fork: no RocksDB store is open then, nor a thread running.
            writer = None if loaded.errors else writers.enter_context(StoreWriter(out / "store"))
            copying = writer and InThread(lambda: stage("store", lambda: writer.add_asserted(loaded), heard=False),
                                          "llmkg-store")
        finally:
            importing.join()
        from llmkg.reasoning.closure import reason_store

        try:
            stage("reason", lambda: reason_store(loaded))
            # on a small graph, while the copy ends: what the timeline draws, read once here, so that
            # the second process can draw it without reading again; the network reuses the reads
            timeline = _shared_timeline(loaded, result)
        finally:
            if copying:
                copying.join()
    # imported only now, by the thread above while Oxigraph parsed
    from llmkg.exports import network
    from llmkg.exports.export import export
    from llmkg.exports.rdf import write_rdf
    from llmkg.store.load import holds_data, no_data_warning
    from llmkg.store.persist import manifest_for, read_manifest
    from llmkg.validation.checks import check_store

    empty = no_data_warning(loaded.files, loaded.errors, has_data=holds_data(loaded))
    result.warnings += [empty] if empty else []
    out.mkdir(parents=True, exist_ok=True)
    (out / "queries").mkdir(exist_ok=True)
    facts = timeline.facts if timeline else network.StoreFacts(loaded)  # what the network reads

    def persist():
        """The rest of the built store, sealed (published once the rest of the build has succeeded);
        there is none when a file could not be read (a store never leaves out part of its data).
        Written by this process, never the forked one: RocksDB's threads do not survive a fork."""
        if writer is None:
            return
        if engine == "reference":  # nothing was copied while it reasoned: all of it now
            writer.add_asserted(loaded)
        writer.add_inferred(loaded)
        writer.seal(loaded, manifest_for(data, loaded.files, engine))

    def validation():
        report = check_store(loaded, engine=engine)
        return [_write(out / "validation.txt", format_text(report))], report

    staged = out / ".answers"  # the catalogue's answers, kept with the built store once it is written
    shutil.rmtree(staged, ignore_errors=True)

    def query(q):
        def task():
            if engine == "reference":
                from llmkg.querying.reference import csv_rdflib

                return [_write(_csv_path(out, q), csv_rdflib(closed, q.text))], None
            from llmkg.querying import answers
            from llmkg.querying.run import csv_and_tsv, with_prefixes

            csv_text, tsv = csv_and_tsv(loaded, q.text)
            staged.mkdir(exist_ok=True)
            (staged / f"{answers.key(with_prefixes(q.text), False)}.tsv").write_bytes(tsv)
            return [_write(_csv_path(out, q), csv_text)], None
        return task

    # Work that only reads the reasoned store, shared with a forked copy of this
    # process (a second core): the copy starts on it at once; this process writes
    # the built store, builds the network, writes the GEXF and draws the pictures
    # (it has the network, the facts read for it and matplotlib), then joins in,
    # so that neither waits while the other has work left, whatever the graph's size.
    turtle = [] if "turtle" in result.skipped else [
        ("turtle", lambda: ([write_rdf(loaded, out / "llmkg-inferred.ttl")], None))]
    # Longest first, so that the many short queries even out the two processes at the end: the
    # timeline picture after validation (the second process draws it while this one builds the
    # network: on the shipped data 1.6 s, against 0.3 s for validation and all the queries), then
    # the Turtle dump (2.4 s at 100,000 models: taken last, it kept one process busy alone)
    drawing = [("pictures", timeline.draw(out))] if timeline else []
    queries = [("queries", query(q)) for q in catalogue.load_catalogue()]
    tasks = [("validate", validation)] + drawing + turtle + queries
    needed, available = _memory_for_two(loaded)
    alone = available is not None and needed > available
    if alone:
        result.notes.append(f"one process did all the work: a second one would need about {needed / 2**30:.1f} GiB "
                            f"in all, and {available / 2**30:.1f} GiB is available")
    shared = _Shared(tasks, second_process=not alone)
    # RocksDB writes the store without holding the GIL, so a thread writes it while this one builds
    # the network (started after the fork above: no thread is forked) — unless the graph is large
    # and two processes share the cores: a third stream then slowed all three more than it gained
    # (validation 7 → 15 s, the network 11 → 23 s at 100,000 models), and the store is written first
    first = shared.process is not None and len(loaded.store) > _STORE_BESIDE_THE_NETWORK_UP_TO
    persisting = None if first else InThread(lambda: stage("store", persist), "llmkg-store")
    try:
        if persisting is None:
            stage("store", persist)
        graph = stage("network", lambda: network.to_networkx(loaded, view="full", facts=facts))
        gexf = stage("export", lambda: export(loaded, "gexf", out / "llmkg.gexf", graph=graph))

        def pictures(g):
            from llmkg.exports.pictures import (
                OVERVIEW_FILE,
                TIMELINE_FILE,
                render_overview,
                render_timeline,
            )

            render_overview(g, out / OVERVIEW_FILE)
            if timeline:  # the second process draws the timeline
                return [out / OVERVIEW_FILE]
            render_timeline(loaded, out / TIMELINE_FILE, facts=facts)
            return [out / OVERVIEW_FILE, out / TIMELINE_FILE]

        drawn = [] if "pictures" in result.skipped else stage("pictures", lambda: pictures(graph))
        graph = None  # the network's objects are no longer needed: free them before the work that is left
        if writer is not None:  # what the network read, kept with the store: now, not after both processes
            facts.keep(writer.folder)  # are done (1.3 s at 100,000 models, while the other one waited)
        # shown by the progress display as one stage; the seconds of each part are taken from the tasks
        files, values, seconds = stage(shared.label, shared.finish)
        if persisting is not None:
            persisting.join()
    except BaseException:
        shared.stop()
        if persisting is not None:
            persisting.wait(None)  # then the caller deletes what it wrote
        raise
    if writer is None:  # a file could not be read: no store, the counts only
        from llmkg.querying.stats import stats

        result.store, result.stats = None, stats(loaded)
    else:
        version = writer.publish()
        result.store, result.stats = out / "store", read_manifest(version)["stats"]
    result.report = values[0]
    if result.store is not None and staged.is_dir():  # the store is written: its answers go beside it
        staged.replace(result.store.resolve() / "answers")
    shutil.rmtree(staged, ignore_errors=True)
    # each stage once, in pipeline order; a stage's seconds are summed over its parts and both processes
    took: dict = {}
    for name, more in result.timings:
        took[name] = took.get(name, 0.0) + more
    for name, more in seconds.items():
        took[name] = took.get(name, 0.0) + more
    result.timings = [(n, took[n]) for n in STAGES if n in took]
    # in task order: the report, the timeline and the Turtle file (each unless skipped), the CSVs
    report, timelines = files[0], files[1:1 + len(drawing)]
    dumped, csvs = files[1 + len(drawing):1 + len(drawing) + len(turtle)], files[1 + len(drawing) + len(turtle):]
    result.files += csvs + dumped + gexf + drawn + timelines + [report]
    result.graph = loaded


#: Memory the build takes per triple of the reasoned graph, both processes together, measured at
#: 100,000 models (3.3 GB for 2.15 million triples), with a margin: the store in memory, the
#: network, the store's write and the second process's own work.
_BYTES_PER_TRIPLE_WITH_TWO = 1800


def _memory_for_two(loaded) -> tuple[int, int | None]:
    """(bytes a build with a second process is expected to take, bytes available now or None when
    unknown). At 1,000,000 models two processes would need more than this 24 GiB machine has."""
    needed = len(loaded.store) * _BYTES_PER_TRIPLE_WITH_TWO
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return needed, int(line.split()[1]) * 1024
    except OSError:
        pass
    return needed, None


#: What the stages after loading import, by name (no linter then takes them for unused imports:
#: one did, and the thread imported nothing); the pictures' (matplotlib) unless they are skipped.
_LATER = ("llmkg.reasoning.closure", "llmkg.exports.network", "llmkg.exports.export", "llmkg.exports.rdf",
          "llmkg.validation.checks", "llmkg.querying.run", "llmkg.querying.answers", "llmkg.querying.stats")


def _import_later_stages(skipped) -> None:
    """Import the modules the stages after loading use (what an import error
    would say is said again, and raised, where the stage imports it)."""
    for name in _LATER + (() if "pictures" in skipped else ("llmkg.exports.pictures",)):
        try:
            importlib.import_module(name)
        except Exception:
            pass


#: Up to this many reasoned triples a thread writes the store's inferred graph beside the network
#: when two processes work (10,000 models, 210,000 triples: 4.5 s, against 4.7–5.0 s written first);
#: above, it is written before the network (100,000 models, 2.15 million: see the measurements
#: in bench/RESULTS.md).
_STORE_BESIDE_THE_NETWORK_UP_TO = 1_000_000


class _Timeline:
    """The timeline picture's models, read before the build forks; :meth:`draw` is its task."""

    def __init__(self, loaded):
        from llmkg.exports import network, pictures

        self.facts = network.StoreFacts(loaded)  # the network reuses these reads
        self.models = pictures.timeline_models(loaded, self.facts)
        self.loaded = loaded

    def draw(self, out: Path):
        def task():
            from llmkg.exports.pictures import TIMELINE_FILE, render_timeline

            render_timeline(self.loaded, out / TIMELINE_FILE, models=self.models)
            return [out / TIMELINE_FILE], None
        return task


#: Up to this many reasoned triples the second process draws the timeline (the shipped data:
#: 4.0 → 2.5 s a build). Above, this process draws it after the overview, as the reads it would
#: share cost the second process more in copied pages than the drawing gains (100,000 models:
#: 48.1 → 52.6 s, 5 s more of system time; 10,000 models: no difference either way).
_SHARED_TIMELINE_TRIPLES = 100_000


def _shared_timeline(loaded, result: BuildResult) -> _Timeline | None:
    """What the timeline draws, read now (timed as part of the pictures) for the second process
    to draw; None when the pictures are skipped or the graph is too large to share it."""
    if "pictures" in result.skipped or len(loaded.store) > _SHARED_TIMELINE_TRIPLES:
        return None
    start = time.perf_counter()
    got = _Timeline(loaded)
    result.timings.append(("pictures", time.perf_counter() - start))
    return got


#: The stages of a build, as its timings list them.
STAGES = ("load", "reason", "store", "validate", "queries", "turtle", "network", "export", "pictures")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _csv_path(out: Path, q) -> Path:
    """Where the build writes catalogue query ``q``'s answer."""
    return out / "queries" / f"{q.name}.csv"


class _Shared:
    """Tasks ``(stage, work)`` — ``work()`` returns the files it wrote and a
    value (picklable: it may cross from the child) — done by
    two processes: a forked child starts on them at once, taking them one by
    one in order; :meth:`finish` has this process take whatever is left, then
    waits for the child. Where fork is missing, this process does them all."""

    def __init__(self, tasks: list[tuple[str, Callable[[], tuple[list[Path], object]]]], *,
                 second_process: bool = True):
        import multiprocessing as mp

        self.tasks = tasks
        #: what the progress display calls the tasks this process takes last
        self.label = ", ".join(dict.fromkeys(name for name, _ in tasks)) + " (what is left)"
        self.done: dict = {}  # task index -> (files, value, seconds), for the tasks this process did
        self.process = None
        if second_process and "fork" in mp.get_all_start_methods():
            ctx = mp.get_context("fork")
            self.next = ctx.Value("i", 0)  # the next task to take, shared
            self.receive, send = ctx.Pipe(duplex=False)
            self.process = ctx.Process(target=self._child, args=(send,), daemon=True)
            self.process.start()
            send.close()
        else:
            self.next = 0  # a plain count: this process alone takes the tasks

    def _take(self) -> int:
        """The index of the next task nobody has taken."""
        if self.process is None:
            self.next += 1
            return self.next - 1
        with self.next.get_lock():
            i = self.next.value
            self.next.value = i + 1
        return i

    def _work(self) -> None:
        while (i := self._take()) < len(self.tasks):
            start = time.perf_counter()
            files, value = self.tasks[i][1]()
            self.done[i] = ([str(f) for f in files], value, time.perf_counter() - start)

    def _child(self, send) -> None:
        try:
            self._work()
            send.send(("ok", self.done, None))
        except BaseException as e:  # reported by the parent, which owns the error handling
            send.send(("error", str(e), type(e).__name__ if not isinstance(e, LlmkgError) else None))
        finally:
            send.close()

    def stop(self) -> None:
        """End the child now (this process failed: its work would be thrown away)."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()

    def finish(self) -> tuple[list[Path], list, dict]:
        """Every task's files and values, in task order, and the seconds spent per stage."""
        try:
            self._work()
        finally:  # even when this process failed, wait for the child: no file is left half-written
            status, payload, extra = "ok", {}, None
            if self.process is not None:
                try:
                    status, payload, extra = self.receive.recv()
                except EOFError:
                    status, payload, extra = "error", f"it ended with code {self.process.exitcode}", "EOFError"
                self.process.join()
        if status == "error":
            if extra is None:  # a user's error (e.g. a query that cannot run): report it as such
                raise LlmkgError(payload)
            raise RuntimeError(f"a part of the build in the second process failed: {extra}: {payload}")
        done = {**self.done, **payload}
        files, values, seconds = [], [], {}
        for i, (name, _) in enumerate(self.tasks):
            written, value, took = done[i]
            files += [Path(f) for f in written]
            values.append(value)
            seconds[name] = seconds.get(name, 0.0) + took
        return files, values, seconds


def format_summary(result: BuildResult) -> str:
    from llmkg.querying.formats import table

    t = result.stats["triples"]
    lines = [f"{t['asserted']} triples asserted, {t['after_reasoning']} after OWL RL reasoning\n"]
    wanted = ("llmkg:LargeModel", "llmkg:LargeLanguageModel", "llmkg:MultimodalModel", "llmkg:VisionModel",
              "llmkg:DecisionModel", "llmkg:IndustryModel", "llmkg:SmallModel", "llmkg:SoftwareSystem",
              "llmkg:Organization", "llmkg:Milestone", "llmkg:Source", "skos:Concept", "llmkg:Comparison")
    by_class = {r["class"]: r for r in result.stats["classes"]}
    rows = [[by_class[c]["label"], str(by_class[c]["asserted"]), str(by_class[c]["inferred"])]
            for c in wanted if c in by_class]
    lines.append(table(["entities", "asserted", "with reasoning"], rows))
    c = result.report.counts()
    verdict = "conforms" if result.report.exit_code == 0 else "DOES NOT CONFORM (see validation.txt)"
    lines.append(f"\nvalidation: {verdict} — {c['error']} errors, {c['warning']} warnings\n\n")
    lines += [f"warning: {w}\n\n" for w in result.warnings]
    if result.skipped:
        lines.append(f"skipped: {', '.join(result.skipped)} (--skip)\n\n")
    lines += [f"note: {n}\n\n" for n in result.notes]
    rows = [[n, f"{s:.2f}"] for n, s in result.timings]
    if result.wall:
        rows.append(["total", f"{result.wall:.2f}"])
    lines.append(table(["stage", "seconds"], rows))
    store = f", and the store {result.store}/ that {_reader(result.out)} reads" if result.store else ""
    lines.append(f"\nwrote {len(result.files)} files into {result.out}/{store}\n")
    return "".join(lines)


def _reader(out: Path) -> str:
    """The reading command that finds the store built into ``out``: other commands look in the
    build folder (build/, or $LLMKG_BUILD_DIR) unless told another one."""
    import shlex

    from llmkg.store.persist import default_build_dir

    if Path(out).resolve() == default_build_dir().resolve():
        return "llmkg query"
    return f"llmkg query --build-dir {shlex.quote(str(out))}"
