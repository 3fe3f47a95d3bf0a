"""The built store: written by `llmkg build`, opened read-only by every reading
command, rebuilt (and said so) when missing or stale, never used stale, one
per data set, and safe with two commands at once."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

import llmkg
from conftest import FIXTURES, ROOT
from llmkg.errors import InputError
from llmkg.querying.run import run, to_csv
from llmkg.store.persist import open_store, read_manifest, slot_for, stale_reason

MODEL = """@prefix llmkg: <https://w3id.org/llmkg/ontology#> .
@prefix kg: <https://w3id.org/llmkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:{name} a llmkg:LargeLanguageModel ; rdfs:label "{name}"@en ; llmkg:developedBy kg:{org} .
kg:{org} a llmkg:Organization ; rdfs:label "{org}"@en .
"""
WHO = "SELECT ?m WHERE { ?m llmkg:developedBy ?o } ORDER BY ?m"


def write(path, name="Alpha", org="Lab"):
    path.write_text(MODEL.format(name=name, org=org), encoding="utf-8")
    return path


def names(store) -> list[str]:
    return [row[0].value.rsplit("/", 1)[1] for row in run(store, WHO)]


def said(lines: list[str]):
    return lambda line: lines.append(line)


def test_build_leaves_a_store_with_what_it_was_built_from(cli, tmp_path):
    r = cli("build", "--out", tmp_path, "--skip", "pictures")
    assert r.code == 0 and f"the store {tmp_path}/store/" in r.out
    assert (tmp_path / "store").is_symlink()
    manifest = read_manifest(tmp_path / "store")
    assert manifest["engine"] == "oxigraph"
    assert {os.path.basename(i["path"]) for i in manifest["inputs"]} == {p.name for p in (ROOT / "data").glob("*.ttl")}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"] + [manifest["ontology"], manifest["shapes"]])
    assert manifest["stats"]["triples"]["after_reasoning"] > manifest["stats"]["triples"]["asserted"] > 0
    # what llmkg query then reads, without building anything again
    lines = []
    with open_store(build_dir=tmp_path, say=said(lines)) as kg:
        assert kg.path == (tmp_path / "store").resolve()
        for name in ("timeline", "lineage", "models_by_organization"):
            q = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
            assert run(kg, q).serialize("csv") == (tmp_path / "queries" / f"{name}.csv").read_bytes()
    assert lines == []


def test_a_fresh_folder_gets_its_store_built_once(tmp_path):
    lines = []
    with open_store(build_dir=tmp_path, say=said(lines)) as kg:
        assert len(names(kg)) > 30
    assert len(lines) == 1 and "building the store" in lines[0] and "there is none yet" in lines[0]
    with open_store(build_dir=tmp_path, say=said(lines)):
        pass
    assert len(lines) == 1


def test_a_changed_file_is_never_used_stale(tmp_path):
    data = write(tmp_path / "m.ttl")
    lines = []
    with open_store([data], build_dir=tmp_path, say=said(lines)) as kg:
        assert names(kg) == ["Alpha"]
    os.utime(data, (time.time() + 5, time.time() + 5))  # touched, not changed: still current
    with open_store([data], build_dir=tmp_path, say=said(lines)):
        assert len(lines) == 1
    write(data, "Beta")
    with open_store([data], build_dir=tmp_path, say=said(lines)) as kg:
        assert names(kg) == ["Beta"]
    assert "m.ttl changed" in lines[-1]


def test_a_new_file_in_a_folder_makes_the_store_stale(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write(folder / "a.ttl")
    lines = []
    with open_store([folder], build_dir=tmp_path, say=said(lines)) as kg:
        assert names(kg) == ["Alpha"]
    write(folder / "b.ttl", "Beta", "Other")
    with open_store([folder], build_dir=tmp_path, say=said(lines)) as kg:
        assert names(kg) == ["Alpha", "Beta"]
    assert "b.ttl is new" in lines[-1]
    (folder / "a.ttl").unlink()
    with open_store([folder], build_dir=tmp_path, say=said(lines)) as kg:
        assert names(kg) == ["Beta"]
    assert "a.ttl is gone" in lines[-1]


def test_two_data_sets_keep_two_stores(tmp_path):
    a, b = write(tmp_path / "a.ttl"), write(tmp_path / "b.ttl", "Beta")
    lines = []
    for _ in range(2):  # alternating: each is built once, and neither overwrites the other
        with open_store([a], build_dir=tmp_path, say=said(lines)) as kg:
            assert names(kg) == ["Alpha"]
        with open_store([b], build_dir=tmp_path, say=said(lines)) as kg:
            assert names(kg) == ["Beta"]
    assert len(lines) == 2
    # build/store is left for the shipped data, or for what llmkg build wrote there
    assert not (tmp_path / "store").exists()
    assert len([s for s in (tmp_path / "stores").iterdir() if s.is_symlink()]) == 2
    with open_store(build_dir=tmp_path, say=said(lines)) as kg:
        assert kg.path == (tmp_path / "store").resolve()


def test_a_store_llmkg_build_wrote_is_found_by_its_data(cli, tmp_path):
    a = write(tmp_path / "a.ttl")
    assert cli("build", "--data", a, "--out", tmp_path / "out", "--skip", "pictures").code == 1  # findings: no sources
    lines = []
    with open_store([a], build_dir=tmp_path / "out", say=said(lines)) as kg:
        assert kg.path == (tmp_path / "out" / "store").resolve() and names(kg) == ["Alpha"]
    assert lines == []


def test_the_engine_that_built_it_is_kept_and_can_be_required(tmp_path):
    data = write(tmp_path / "m.ttl")
    lines = []
    with open_store([data], build_dir=tmp_path, engine="reference", say=said(lines)) as kg:
        assert kg.manifest["engine"] == "reference" and names(kg) == ["Alpha"]
    with open_store([data], build_dir=tmp_path, say=said(lines)):  # any engine's store will do
        assert len(lines) == 1
    with open_store([data], build_dir=tmp_path, engine="oxigraph", say=said(lines)) as kg:
        assert kg.manifest["engine"] == "oxigraph"
    assert "built by the reference engine" in lines[-1]


def test_both_engines_build_the_same_store(tmp_path):
    data = [FIXTURES / "network" / "mini.ttl"]
    with open_store(data, build_dir=tmp_path / "fast", engine="oxigraph", say=None) as fast, \
            open_store(data, build_dir=tmp_path / "ref", engine="reference", say=None) as ref:
        assert fast.stats == ref.stats
        for q in llmkg.load_catalogue():
            assert to_csv(fast, q.text) == to_csv(ref, q.text), q.name


@pytest.mark.parametrize("first", [False, True], ids=["beside-the-network", "before-the-network"])
def test_a_build_that_fails_midway_leaves_no_half_written_store(tmp_path, monkeypatch, first):
    """The asserted graphs are copied into the store while reasoning runs; a failure after
    that (here in the network) deletes the unfinished version and lets go of the lock. The
    inferred graph is written beside the network, or (a large graph) before it."""
    from llmkg import pipeline
    from llmkg.exports import network
    from llmkg.pipeline import build

    data = [FIXTURES / "network" / "mini.ttl"]
    if first:
        monkeypatch.setattr(pipeline, "_STORE_BESIDE_THE_NETWORK_UP_TO", 0)

    def broken(*args, **kwargs):
        raise RuntimeError("the network broke")

    real = network.to_networkx
    monkeypatch.setattr(network, "to_networkx", broken)
    with pytest.raises(RuntimeError, match="the network broke"):
        build(data, tmp_path, skip=["pictures"])
    versions = tmp_path / ".store.versions"
    assert not (tmp_path / "store").exists() and [v.name for v in versions.iterdir()] == ["build.lock"]
    monkeypatch.setattr(network, "to_networkx", real)  # the lock is free: the next build writes its store
    result = build(data, tmp_path, skip=["pictures"])
    assert result.store is not None and read_manifest(result.store)["stats"] == result.stats


@pytest.mark.parametrize("first", [False, True], ids=["beside-the-network", "before-the-network"])
def test_the_build_writes_the_same_store_as_a_reading_command(tmp_path, monkeypatch, first):
    """`llmkg build` writes the store in two steps around reasoning; a reading command's
    build writes it in one: the same quads in the same graphs."""
    from llmkg import pipeline
    from llmkg.pipeline import build

    data = [FIXTURES / "network" / "mini.ttl"]
    if first:
        monkeypatch.setattr(pipeline, "_STORE_BESIDE_THE_NETWORK_UP_TO", 0)
    build(data, tmp_path / "built", skip=["pictures", "turtle"])
    with open_store(store=tmp_path / "built" / "store") as built, \
            open_store(data, build_dir=tmp_path / "read", say=None) as read:
        assert built.stats == read.stats

        def quads(store):  # blank nodes are named anew by each load: compared as "_"
            import re

            return sorted(re.sub(r"_:\w+", "_", str(q)) for q in store)

        assert quads(built.store) == quads(read.store) and len(built.store) > 0


def test_an_unreadable_file_builds_no_store(cli, tmp_path):
    r = cli("query", "--data", FIXTURES / "syntax_error.ttl", "--build-dir", tmp_path, "ASK {}")
    assert r.code == 2 and "syntax_error.ttl:7:1" in r.err
    assert not (tmp_path / "store").exists()
    with pytest.raises(InputError, match="syntax_error.ttl:7:1"):
        open_store([FIXTURES / "syntax_error.ttl"], build_dir=tmp_path, say=None)


def test_the_store_is_opened_read_only(tmp_path):
    with open_store(build_dir=tmp_path, say=None) as kg:
        with pytest.raises(RuntimeError, match="read-write"):
            kg.store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_an_old_version_stays_while_read_and_goes_after(tmp_path):
    data = write(tmp_path / "m.ttl")
    reader = open_store([data], build_dir=tmp_path, say=None)
    old = reader.path
    write(data, "Beta")
    with open_store([data], build_dir=tmp_path, say=None) as kg:
        assert kg.path != old and names(kg) == ["Beta"]
    assert old.is_dir() and names(reader) == ["Alpha"]  # the reader still reads its version
    reader.close()
    write(data, "Gamma")
    with open_store([data], build_dir=tmp_path, say=None) as kg:
        assert names(kg) == ["Gamma"]
        versions = [v for v in kg.path.parent.iterdir() if v.is_dir()]
    assert not old.exists() and versions == [kg.path]


def test_store_and_data_must_agree(tmp_path):
    a, b = write(tmp_path / "a.ttl"), write(tmp_path / "b.ttl", "Beta")
    slot = slot_for([a], build_dir=tmp_path)
    with open_store([a], build_dir=tmp_path, say=None) as kg:
        assert kg.path == slot.resolve()
    with open_store(store=slot, say=None) as kg:  # the store's own inputs
        assert names(kg) == ["Alpha"]
    with pytest.raises(InputError, match="built from .*a.ttl.*leave out --store or --data"):
        open_store([b], store=slot, say=None)


def test_stale_reason_names_every_cause(tmp_path):
    data = write(tmp_path / "m.ttl")
    with open_store([data], build_dir=tmp_path, say=None) as kg:
        manifest = kg.manifest
    files = [data]
    assert stale_reason(manifest, [data], files) is None
    assert stale_reason(dict(manifest, format=0), [data], files) == "it was made by another version of llmkg"
    assert stale_reason(dict(manifest, code="x"), [data], files) == "llmkg changed"
    assert stale_reason(manifest, [data], files, engine="reference") == "it was built by the oxigraph engine"
    other = write(tmp_path / "other.ttl")
    assert stale_reason(manifest, [other], [other]) == "it holds other data"


def test_two_commands_at_once_build_once_and_agree(tmp_path):
    """Two processes find the store missing at the same moment: one builds, the other waits
    for it (and says so) or finds it built; both answer, and one version is left."""
    env = dict(os.environ, LLMKG_BUILD_DIR=str(tmp_path))
    cmd = [sys.executable, "-m", "llmkg", "query", "timeline", "--format", "csv"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert outs[0][0] == outs[1][0] and outs[0][0].count("\n") > 30
    assert sum("building the store" in err for _, err in outs) == 1
    versions = [v for v in (tmp_path / ".store.versions").iterdir() if v.is_dir()]
    assert len(versions) == 1


def test_a_reader_during_a_rebuild_reads_a_whole_version(tmp_path):
    """Queries keep answering while another command rebuilds the store under them."""
    data = write(tmp_path / "m.ttl")
    env = dict(os.environ, LLMKG_BUILD_DIR=str(tmp_path))
    query = [sys.executable, "-m", "llmkg", "query", "--data", str(data), WHO, "--format", "csv"]
    assert subprocess.run(query, cwd=ROOT, env=env, capture_output=True).returncode == 0
    readers = []
    for i in range(6):
        write(data, ("Alpha", "Beta")[i % 2])
        readers.append(subprocess.Popen(query, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True))
    for p in readers:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.splitlines()[1].rsplit("/", 1)[1] in ("Alpha", "Beta")


def test_library_open_is_the_reading_commands_store(tmp_path, monkeypatch):
    monkeypatch.setenv("LLMKG_BUILD_DIR", str(tmp_path))
    with llmkg.open(say=None) as kg:
        assert llmkg.query(kg, "ASK { kg:GPT-4 a llmkg:LargeModel }").boolean is True
        assert kg.stats == json.loads((tmp_path / "store" / "manifest.json").read_text(encoding="utf-8"))["stats"]


def test_every_build_keeps_the_catalogues_answers_and_they_equal_live_ones(cli, tmp_path, monkeypatch):
    """`llmkg build` and a reading command that builds the store both keep the
    catalogue's answers, and each equals what the disk store answers live."""
    from llmkg.querying import answers

    assert cli("build", "--out", tmp_path / "built", "--skip", "pictures").code == 0
    kept = list((tmp_path / "built" / "store" / "answers").glob("*.tsv"))
    assert len(kept) == len(llmkg.load_catalogue())
    assert not (tmp_path / "built" / ".answers").exists()
    with open_store(build_dir=tmp_path / "implicit", say=None) as implicit:
        assert sorted(p.name for p in (implicit.path / "answers").glob("*.tsv")) == sorted(p.name for p in kept)
    monkeypatch.setattr(answers, "SLOW", 3600.0)  # the live side keeps nothing
    with open_store(build_dir=tmp_path / "built", say=None) as built, \
            open_store(build_dir=tmp_path / "implicit", say=None) as live:
        shutil.rmtree(live.path / "answers")  # answered live, on disk
        for q in llmkg.load_catalogue():
            assert run(built, q.text).serialize("csv") == run(live, q.text).serialize("csv"), q.name
        assert not (live.path / "answers").exists()


def test_a_slow_answer_is_kept_and_read_back(tmp_path, monkeypatch):
    from llmkg.querying import answers

    monkeypatch.setattr(answers, "SLOW", 0.0)  # every answer counts as slow
    with open_store(build_dir=tmp_path, say=None) as kg:
        catalogue = set((kg.path / "answers").glob("*.tsv"))
        first = run(kg, WHO)
        kept = list(set((kg.path / "answers").glob("*.tsv")) - catalogue)
        assert len(kept) == 1
        # read back from the file, not computed again: a changed file shows through
        kept[0].write_bytes(kept[0].read_bytes().replace(b"GPT-4>", b"GPT-Four>"))
        again = run(kg, WHO)
    assert len(again) == len(first) and "kg:GPT-Four" in again.serialize("tsv").decode().replace(
        "<https://w3id.org/llmkg/id/", "kg:")
    monkeypatch.setattr(answers, "SLOW", 3600.0)
    with open_store(build_dir=tmp_path, say=None) as kg:
        run(kg, "SELECT ?m WHERE { ?m a llmkg:LargeModel }")
        assert len(list((kg.path / "answers").glob("*.tsv"))) == len(catalogue) + 1  # a fast answer is not kept


def test_the_build_summary_names_the_folder_a_reading_command_needs(tmp_path, monkeypatch):
    """A store built into another folder than build/ is found only with --build-dir: the
    summary says so, and the command it names finds the store without building another."""
    from llmkg import pipeline

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LLMKG_BUILD_DIR", raising=False)
    data = FIXTURES / "network" / "mini.ttl"
    result = pipeline.build(data=[data], out=tmp_path / "elsewhere", skip=["pictures", "turtle"])
    last = pipeline.format_summary(result).strip().splitlines()[-1]
    assert last.endswith(f"that llmkg query --build-dir {tmp_path / 'elsewhere'} reads"), last
    run = subprocess.run([sys.executable, "-m", "llmkg", "query", "--data", str(data), "--build-dir",
                          str(tmp_path / "elsewhere"), "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
                         capture_output=True, text=True, cwd=tmp_path, check=False)
    assert run.returncode == 0 and "building the store" not in run.stderr, run.stderr
    assert not (tmp_path / "build").exists()
    # built into build/ itself, the plain command is the one named
    result = pipeline.build(data=[data], out=tmp_path / "build", skip=["pictures", "turtle"])
    assert pipeline.format_summary(result).strip().endswith("that llmkg query reads")
