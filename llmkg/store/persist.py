"""The built store on disk: what every reading command opens.

``llmkg build`` leaves the reasoned graph in its output folder as an on-disk
Oxigraph store (``build/store``): the asserted graph and what reasoning
inferred, as the named graphs ``https://w3id.org/llmkg/graph/asserted`` and
``…/inferred`` (the layout ``llmkg publish`` gives a triplestore), and a
manifest of what it was built from — every input file's size, time and
SHA-256, the ontology's, the shapes', and llmkg's version and code. ``query``,
``export``, ``stats``, ``render``, ``serve`` and ``publish`` open it read-only
when it is current, and build it first (saying so in one line) when it is
missing or stale: a stale store is never used.

Where a store lives (a *slot*) follows from its inputs, so two data sets
never overwrite each other's: ``build/store`` for what ``llmkg build`` built
there last (the shipped data when nothing was), else ``build/stores/<key>``
for each other set of ``--data`` arguments (``key``: a digest of their
resolved paths); ``store=`` names one outright.

Two commands at once: a slot is a symbolic link to an immutable *version*
folder beside it (``.store.versions/<id>``). A builder works alone (an
exclusive lock on ``build.lock``), writes a new version, and swaps the link
atomically; a reader holds a shared lock on the version it opened, and a
version is deleted only when nobody holds it. Readers never wait for
builders, and never see a store half-written. (Without ``fcntl``, on Windows,
there is no locking: one command at a time.)
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from llmkg import paths
from llmkg.errors import InputError
from llmkg.sources.files import expand, relative
from llmkg.store.load import ASSERTED, INFERRED, GraphStore, holds_data, no_data_warning

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

#: Bumped whenever what a version folder holds changes meaning: older stores are then rebuilt.
FORMAT = 1
#: where reading commands keep built stores, unless told otherwise (``--build-dir``)
BUILD_DIR_VARIABLE = "LLMKG_BUILD_DIR"
_CODE = ("sources/rdf.py", "store/load.py", "store/persist.py", "reasoning/rules.py", "reasoning/closure.py",
         "reasoning/dates.py", "reasoning/reference.py", "querying/stats.py")


# ---------------------------------------------------------------------------
# What a store was built from
# ---------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _file_record(path: Path) -> dict:
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": _sha256(path)}


@functools.cache
def code_digest() -> str:
    """A digest of llmkg's version and of the modules that decide what a store holds."""
    from llmkg import __version__

    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent.parent
    for name in _CODE:
        h.update(name.encode())
        h.update((root / name).read_bytes())
    return h.hexdigest()


def _given(data) -> list[str]:
    """The ``--data`` arguments as resolved paths (the shipped data/ when none)."""
    return [str(Path(d).resolve()) for d in (data if data is not None else [paths.data_dir()])]


def _key(given: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(given)).encode()).hexdigest()[:16]


def manifest_for(data, files: list[Path], engine: str) -> dict:
    """What a store built now from ``data`` (expanded to ``files``) would record."""
    given = _given(data)
    return {
        "format": FORMAT,
        "key": _key(given),
        "given": given,
        "inputs": [_file_record(f) for f in files],
        "ontology": _file_record(paths.ontology_file()),
        "shapes": _file_record(paths.shapes_file()),
        "code": code_digest(),
        "engine": engine,
    }


def _changed(record: dict) -> bool:
    """Whether the file a record describes differs from it now (size and time first, then content)."""
    path = Path(record["path"])
    try:
        st = path.stat()
    except OSError:
        return True
    if st.st_size != record["size"]:
        return True
    if st.st_mtime_ns == record["mtime_ns"]:
        return False
    return _sha256(path) != record["sha256"]


def stale_reason(manifest: dict, data, files: list[Path], engine: str | None = None) -> str | None:
    """Why a store with ``manifest`` is not current for ``data`` (expanded to ``files``), or None if it is."""
    if manifest.get("format") != FORMAT:
        return "it was made by another version of llmkg"
    if manifest.get("key") != _key(_given(data)):
        return "it holds other data"
    if engine is not None and manifest.get("engine") != engine:
        return f"it was built by the {manifest.get('engine')} engine"
    before = {r["path"]: r for r in manifest["inputs"]}
    now = [str(f.resolve()) for f in files]
    for path in now:
        if path not in before:
            return f"{relative(Path(path))} is new"
    for path, record in before.items():
        if path not in now:
            return f"{relative(Path(path))} is gone"
        if _changed(record):
            return f"{relative(Path(path))} changed"
    for what in ("ontology", "shapes"):
        if _changed(manifest[what]):
            return f"the {what} changed"
    if manifest.get("code") != code_digest():
        return "llmkg changed"
    return None


# ---------------------------------------------------------------------------
# Slots, versions and locks
# ---------------------------------------------------------------------------

def _versions(slot: Path) -> Path:
    return slot.parent / f".{slot.name}.versions"


def _current(slot: Path) -> Path | None:
    """The version folder a slot points at, or None."""
    try:
        target = os.readlink(slot)
    except OSError:
        return None
    version = (slot.parent / target)
    return version if (version / "manifest.json").is_file() else None


def read_manifest(version: Path) -> dict | None:
    try:
        return json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def _exclusive(path: Path, say: Callable[[str], None] | None = None):
    """Hold an exclusive lock on ``path`` (created if missing), waiting for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as f:
        if fcntl is not None:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if say:
                    say(f"waiting for another llmkg command that is building {relative(path.parent)} …")
                fcntl.flock(f, fcntl.LOCK_EX)
        yield


def _hold_shared(version: Path):
    """Open ``version/lock`` with a shared lock (kept until the file is closed), or None if it is gone."""
    try:
        f = open(version / "lock", "rb")
    except OSError:
        return None
    if fcntl is not None:
        fcntl.flock(f, fcntl.LOCK_SH)
    return f


def _collect(slot: Path, keep: Path) -> None:
    """Delete the slot's other versions that nobody is reading (and abandoned temporary ones)."""
    versions = _versions(slot)
    for v in versions.iterdir() if versions.is_dir() else ():
        if not v.is_dir() or v.resolve() == keep.resolve():
            continue
        if v.name.startswith("tmp-"):
            try:  # a builder that died: its pid is in the name
                pid = int(v.name.split("-")[1])
                os.kill(pid, 0)
                continue
            except (ValueError, IndexError, ProcessLookupError):
                pass
            except PermissionError:
                continue
            shutil.rmtree(v, ignore_errors=True)
            continue
        try:
            f = open(v / "lock", "rb")
        except OSError:
            shutil.rmtree(v, ignore_errors=True)
            continue
        with f:
            if fcntl is not None:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a reader holds it; a later build collects it
            shutil.rmtree(v, ignore_errors=True)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

def write(loaded: GraphStore, slot: str | Path, manifest: dict) -> Path:
    """Write the reasoned graph of ``loaded`` (an in-memory store that
    :func:`llmkg.reasoning.closure.reason_store` filled) as a new version of
    ``slot`` and make it current; return the version folder. ``manifest`` is
    :func:`manifest_for`'s, completed here with the counts."""
    with StoreWriter(slot) as writer:
        writer.add_asserted(loaded)
        writer.add_inferred(loaded)
        return writer.finish(loaded, manifest)


class StoreWriter:
    """A new version of ``slot``, written in steps: the asserted graphs as soon as they are
    loaded, what reasoning inferred once it is done, then :meth:`finish` makes it current.
    ``llmkg build`` writes the asserted graphs while it reasons (RocksDB releases the GIL, and
    the second core is idle then). Holds the slot's build lock from creation until
    :meth:`finish` or :meth:`abort` (``with`` aborts whatever is left unfinished)."""

    def __init__(self, slot: str | Path):
        self.slot = Path(slot)
        self._versions = _versions(self.slot)
        try:
            self._versions.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise InputError(f"{relative(self.slot.parent)}: cannot create the store folder ({e.strerror})") from None
        self._lock = contextlib.ExitStack()
        self._lock.enter_context(_exclusive(self._versions / "build.lock"))
        self._tmp = self._versions / f"tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            self._tmp.mkdir()
        except BaseException:
            self.abort()
            raise

    @property
    def folder(self) -> Path | None:
        """The version folder being written (its files are published with it), None once finished."""
        return self._tmp

    def add_asserted(self, loaded: GraphStore) -> None:
        """Copy the asserted graphs of ``loaded`` (final once loaded: reasoning adds only to INFERRED)."""
        self._copy(loaded, loaded.asserted_graphs, ASSERTED)

    def add_inferred(self, loaded: GraphStore) -> None:
        """Copy what reasoning inferred (after :func:`llmkg.reasoning.closure.reason_store`)."""
        self._copy(loaded, [loaded.inferred_graph], INFERRED)

    def _copy(self, loaded: GraphStore, graphs, target) -> None:
        # Open for this step only (17 ms): the build forks between the steps, and RocksDB's
        # threads do not survive a fork, so none is open then.
        disk = ox.Store(str(self._tmp / "db"))
        # each graph through a file, not bytes in memory: at 1,000,000 models the data
        # graph is gigabytes of N-Triples, which held twice (written, then read) did not fit
        passing = self._tmp / f"{uuid.uuid4().hex[:8]}.nt"
        try:
            for graph in graphs:
                # to a path, not a Python file: Oxigraph then writes without taking the GIL
                loaded.store.dump(str(passing), format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
                if passing.stat().st_size:
                    # lenient: the text is Oxigraph's own output, its IRIs already checked once
                    disk.bulk_load(path=str(passing), format=ox.RdfFormat.N_TRIPLES, to_graph=target,
                                   lenient=True)
            disk.flush()
        finally:
            passing.unlink(missing_ok=True)
            del disk  # closes it

    def finish(self, loaded: GraphStore, manifest: dict) -> Path:
        """:meth:`seal`, then :meth:`publish`; return the version folder."""
        self.seal(loaded, manifest)
        return self.publish()

    def seal(self, loaded: GraphStore, manifest: dict) -> None:
        """Record the manifest (completed with the counts) beside the copied graphs."""
        from llmkg.querying.stats import stats

        if not (self._tmp / "db").exists():  # nothing copied: an empty store is still a store
            ox.Store(str(self._tmp / "db")).flush()  # created, then closed as it is dropped
        record = dict(manifest, built=time.strftime("%Y-%m-%dT%H:%M:%S%z"), stats=stats(loaded),
                      holds_data=holds_data(loaded))
        (self._tmp / "manifest.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        (self._tmp / "lock").touch()

    def publish(self) -> Path:
        """Make the sealed version current (atomically), collect old ones, let go of the lock;
        return the version folder. A build publishes only once all its other work has succeeded."""
        try:
            version = self._versions / uuid.uuid4().hex[:12]
            self._tmp.rename(version)
        except BaseException:
            self.abort()
            raise
        try:
            slot = self.slot
            link = slot.parent / f".{slot.name}.link-{os.getpid()}"
            link.unlink(missing_ok=True)
            os.symlink(os.path.relpath(version, slot.parent), link)
            if slot.is_dir() and not slot.is_symlink():  # a plain folder in the way (not ours): replace it
                shutil.rmtree(slot)
            os.replace(link, slot)
            _collect(slot, version)
        finally:
            self._tmp = None
            self._lock.close()
        return version

    def abort(self) -> None:
        """Delete what was written and let go of the lock (nothing, once finished)."""
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        self._lock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.abort()


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

@dataclass
class BuiltStore(GraphStore):
    """A built store, open read-only: query it with :meth:`query`, close it (or use ``with``) when done."""

    path: Path = Path()
    manifest: dict = field(default_factory=dict)
    _lock: object = None

    def close(self) -> None:
        self.store = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def stats(self) -> dict:
        """Triples and entities per class, as counted when the store was built."""
        return self.manifest["stats"]

    def query(self, text: str, *, asserted: bool = False):
        """Run SPARQL (the project's prefixes predeclared) on the reasoned graph, or on the asserted one."""
        from llmkg.querying.run import run

        return run(self, text, asserted=asserted)


def default_build_dir() -> Path:
    """``build/`` in the working folder, or the folder the environment variable LLMKG_BUILD_DIR names."""
    return Path(os.environ.get(BUILD_DIR_VARIABLE, "") or "build")


def slot_for(data=None, *, store: str | Path | None = None, build_dir: str | Path | None = None) -> Path:
    """Where the store for ``data`` lives: ``store`` if given; else BUILD_DIR/store when it holds
    this data, or is free and this is the shipped data; else BUILD_DIR/stores/KEY."""
    if store is not None:
        return Path(store)
    build_dir = Path(build_dir) if build_dir is not None else default_build_dir()
    key = _key(_given(data))
    default = build_dir / "store"
    version = _current(default)
    manifest = read_manifest(version) if version else None
    if manifest is not None and manifest.get("key") == key:
        return default
    if manifest is None and key == _key(_given(None)):
        return default
    return build_dir / "stores" / key


def _stderr(line: str) -> None:
    print(f"llmkg: {line}", file=sys.stderr, flush=True)


def open_store(data: Iterable[str | Path] | None = None, *, store: str | Path | None = None,
               build_dir: str | Path | None = None, engine: str | None = None,
               say: Callable[[str], None] | None = _stderr) -> BuiltStore:
    """The built store of ``data`` (default: the shipped data/), open read-only.

    Built first when it is missing or stale, with one line to ``say`` saying
    why. ``store`` names the store folder (default: found from ``data`` under
    ``build_dir``, itself by default ``build/`` or $LLMKG_BUILD_DIR); given
    without ``data``, the store's own inputs are used.
    ``engine`` is the engine it must have been built by (``oxigraph``, or
    ``reference``: rdflib + owlrl); None takes a store of either, and builds
    with ``oxigraph``.
    Raises InputError when a data file cannot be read: a store never leaves
    out part of its data.
    """
    if store is not None and data is None:
        version = _current(Path(store))
        manifest = read_manifest(version) if version else None
        if manifest is not None:
            data = manifest["given"]
    if store is not None and data is not None:
        version = _current(Path(store))
        manifest = read_manifest(version) if version else None
        if manifest is not None and manifest.get("key") != _key(_given(data)):
            raise InputError(f"{store}: this store was built from {', '.join(map(_shown, manifest['given']))}, "
                             "not from the --data given; leave out --store or --data")
    files = expand(data)
    for _ in range(5):  # a version may be collected, or the slot taken, between looking and locking: look again
        slot = slot_for(data, store=store, build_dir=build_dir)
        version = _current(slot)
        why = "there is none yet"
        if version is not None:
            lock = _hold_shared(version)
            if lock is not None:
                manifest = read_manifest(version)
                why = stale_reason(manifest, data, files, engine) if manifest else "its manifest cannot be read"
                if why is None:
                    empty = no_data_warning(files, has_data=manifest.get("holds_data", True))
                    if empty and say:
                        say(f"warning: {empty}")
                    try:
                        db = ox.Store.read_only(str(version / "db"))
                    except OSError as e:
                        lock.close()
                        raise InputError(f"{relative(slot)}: the store cannot be opened ({e}); "
                                         f"delete the folder and run the command again") from None
                    return BuiltStore(db, files, path=version, manifest=manifest, asserted_graphs=[ASSERTED],
                                      inferred_graph=INFERRED, _lock=lock)
                lock.close()
        _build(data, files, slot, engine, why, say)
    raise InputError(f"{relative(slot)}: the store keeps changing under this command; try again")


def _shown(path: str) -> str:
    return str(relative(Path(path)))


def _build(data, files, slot: Path, engine: str, why: str, say) -> None:
    """Build the store of ``data`` into ``slot`` unless another command has just done so."""
    versions = _versions(slot)
    try:
        versions.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{relative(slot.parent)}: cannot create the store folder ({e.strerror})") from None
    with _exclusive(versions / "building.lock", say):
        version = _current(slot)
        manifest = read_manifest(version) if version else None
        if manifest is not None and stale_reason(manifest, data, files, engine) is None:
            return  # built by the command we waited for
        if manifest is not None and manifest.get("key") != _key(_given(data)):
            return  # another data set took the slot meanwhile: the caller looks for its own
        what = ", ".join(_shown(g) for g in _given(data))
        if say:
            say(f"building the store of {what} into {relative(slot)} ({why}) …")
        loaded = build_graph(data, engine or "oxigraph")
        version = write(loaded, slot, manifest_for(data, loaded.files, engine or "oxigraph"))
        # as `llmkg build` does: the catalogue answered, and what the views read, while the graph is in memory
        from llmkg.exports.network import keep_view_reads
        from llmkg.querying.answers import keep_catalogue

        keep_catalogue(loaded, version)
        keep_view_reads(loaded, version)


def build_graph(data, engine: str = "oxigraph") -> GraphStore:
    """Load ``data`` into an in-memory store and reason over it; InputError for an unreadable file."""
    if engine == "reference":
        from llmkg.reasoning.reference import reference_store

        loaded = reference_store(data)
    elif engine == "oxigraph":
        from llmkg.reasoning.closure import reason_store
        from llmkg.store.load import load_store

        loaded = load_store(data)
        if not loaded.errors:
            reason_store(loaded)
    else:
        raise InputError(f"unknown engine {engine!r}; choose oxigraph or reference")
    if loaded.errors:
        raise loaded.errors[0]
    return loaded
