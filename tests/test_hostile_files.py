"""Loading never reaches beyond the files named (issue 13): a corpus of hostile
files — remote, listed, imported, scoped and ``file:`` JSON-LD contexts, XML
external entities (file and http), a parameter entity, a billion laughs, JSON
nested 100,000 deep, and special files (a symbolic link to /dev/zero, a FIFO, a
socket) — each loaded through both loaders (Oxigraph's, used by build and
validate, and rdflib's, the reference engine's), in a child process capped at
2 GiB of address space. Each ends within 10 s and 1 GiB with a located
message, and a server standing in for every remote address counts 0
connections."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest_servers import CountingEndpoint

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
 <rdf:Description rdf:about="https://w3id.org/llmkg/id/Laughs"><rdfs:label>&i;</rdfs:label></rdf:Description>
</rdf:RDF>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "{target}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
 <rdf:Description rdf:about="https://w3id.org/llmkg/id/X"><rdfs:label>&x;</rdfs:label></rdf:Description>
</rdf:RDF>
"""
PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY % p SYSTEM "{url}/p.dtd"> %p; ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>
"""
NODE = {"@id": "https://w3id.org/llmkg/id/X", "http://www.w3.org/2000/01/rdf-schema#label": "x"}


def corpus(folder: Path, url: str) -> dict[str, int | None]:
    """Write the hostile files; return name -> the line the message must name (None: no line)."""
    files: dict[str, tuple[str, int | None]] = {
        "laughs.rdf": (LAUGHS, 2),
        "xxe_file.rdf": (XXE.format(target="file:///etc/passwd"), 2),
        "xxe_http.owl": (XXE.format(target=url + "/entity"), 2),
        "parameter_entity.xml": (PARAMETER.format(url=url), 2),
        "remote_context.jsonld": (json.dumps({"@context": url + "/context", **NODE}, indent=1), 2),
        "context_list.jsonld": (json.dumps({"@context": [{"@vocab": "urn:x:"}, url + "/listed"], **NODE},
                                           indent=1), 6),
        "imported_context.jsonld": (json.dumps({"@context": {"@version": 1.1, "@import": url + "/imported"},
                                                **NODE}, indent=1), 4),
        "scoped_context.jsonld": (json.dumps({"@context": {"p": {"@id": "urn:p", "@context": url + "/scoped"}},
                                              "@id": "urn:s", "p": {"@id": "urn:o"}}, indent=1), 5),
        "file_context.jsonld": (json.dumps({"@context": "file:///etc/hosts", **NODE}, indent=1), 2),
        "deep.jsonld": ("[" * 100_000 + "]" * 100_000, None),
    }
    for name, (text, _) in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    lines = {name: line for name, (_, line) in files.items()}
    (folder / "zero.ttl").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.ttl")
    lines.update({"zero.ttl": None, "fifo.ttl": None})
    return lines


# Each file through both loaders in one child process; prints one JSON line per file and loader.
CHILD = r"""
import json, resource, sys, time
cap = 2 * 1024 ** 3
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from pathlib import Path
from llmkg.errors import LlmkgError
from llmkg.sources.rdf import load_each
from llmkg.store.load import load_store
for name in sys.argv[1:]:
    for loader in ("oxigraph", "rdflib"):
        started = time.monotonic()
        try:
            errors = load_store([name]).errors if loader == "oxigraph" else load_each([name])[1]
            message = str(errors[0]) if errors else ""
            kind = "error" if errors else "loaded"
        except LlmkgError as e:
            message, kind = str(e), "error"
        except BaseException as e:
            message, kind = f"{type(e).__name__}: {e}", "crash"
        print(json.dumps({"file": name, "loader": loader, "kind": kind, "message": message[:500],
                          "seconds": time.monotonic() - started,
                          "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
"""


@pytest.fixture(scope="module")
def endpoint():
    e = CountingEndpoint()
    yield e
    e.close()


def test_no_hostile_file_reaches_out_hangs_or_explodes(endpoint, tmp_path):
    lines = corpus(tmp_path, endpoint.url.rsplit("/", 1)[0])
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "socket.ttl"))
        lines["socket.ttl"] = None
        names = sorted(lines)
        env = dict(os.environ, MALLOC_ARENA_MAX="2")
        out = subprocess.run([sys.executable, "-c", CHILD, *names], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(results) == 2 * len(names), out.stdout + out.stderr
    for r in results:
        where = f"{r['file']}:{lines[r['file']]}" if lines[r["file"]] else r["file"]
        assert r["kind"] == "error" and r["message"].startswith(where), r
        assert r["seconds"] <= 10, r
        assert r["max_rss_mib"] <= 1024, r
    assert endpoint.connections == 0
    by = {(r["file"], r["loader"]): r["message"] for r in results}
    assert "DTD" in by[("laughs.rdf", "oxigraph")] and "regular files only" in by[("zero.ttl", "rdflib")]
    assert "fetches no contexts" in by[("scoped_context.jsonld", "rdflib")]
    assert "/etc/" not in " ".join(r["message"] for r in results if r["file"].startswith("xxe")).split("DTD")[-1]


def test_a_special_file_is_a_usage_error_naming_it(cli, tmp_path):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    r = cli("validate", "--data", fifo)
    assert r.code == 2
    assert "pipe.ttl: is a named pipe (FIFO)" in r.err and "regular files only" in r.err
    link = tmp_path / "folder"
    link.mkdir()
    (link / "zero.nt").symlink_to("/dev/zero")
    r = cli("build", "--data", link, "--out", tmp_path / "out")
    assert r.code == 2 and "zero.nt: is a character device (a symbolic link to /dev/zero)" in r.err
