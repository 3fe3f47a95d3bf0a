"""The ``llmkg`` command: a thin layer over the library.

Each subcommand calls one library function with the same parameter names,
prints its result, and exits 0 (ok), 1 (findings) or 2 (usage or input
error). Errors a user can fix are printed as ``Error: …`` — never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from llmkg.errors import LlmkgError

EXAMPLES = {
    "build": ("examples:\n  llmkg build\n  llmkg build --data data/ my-models.ttl --out build/\n"
              "  llmkg build --data build/synth-100k.ttl --out build/synth --skip pictures --skip turtle"),
    "validate": (
        "examples:\n  llmkg validate\n  llmkg validate my-model.ttl\n"
        "  llmkg validate my-model.ttl --only-files --fail-on warning\n"
        "  llmkg validate my-model.ttl --format github\n\n"
        "exit codes: 0 conforms, 1 findings at or above --fail-on, 2 unreadable input or bad usage"
    ),
    "query": (
        "examples:\n  llmkg query --list\n  llmkg query models_by_organization\n"
        "  llmkg query queries/timeline.rq --format csv\n"
        "  llmkg query 'SELECT ?m WHERE { ?m a llmkg:MultimodalModel }'\n"
        "  llmkg query --asserted 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'\n"
        "  llmkg query --endpoint http://localhost:7878/query timeline"
    ),
    "export": (
        "examples:\n  llmkg export --format gexf -o build/llmkg.gexf\n"
        "  llmkg export --format gexf --view lineage --asserted -o lineage.gexf\n"
        "  llmkg export --format ttl -o build/llmkg.ttl\n  llmkg export --format csv -o build/gephi-csv/"
    ),
    "stats": "examples:\n  llmkg stats\n  llmkg stats --format json",
    "render": "examples:\n  llmkg render\n  llmkg render -o build/ --view lineage",
    "serve": (
        "examples:\n  llmkg serve\n  llmkg serve --port 8000 --timeout 30\n\n"
        "then: curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?m WHERE { ?m a llmkg:LargeModel }' "
        "http://127.0.0.1:7878/sparql"
    ),
    "site": (
        "examples:\n  llmkg site -o build/site\n  python3 -m http.server -d build/site 8000   # then open http://127.0.0.1:8000/\n\n"
        "Every entity page (id/NAME.html, with id/NAME.ttl, .nt and .jsonld), the graph page and a search index,\n"
        "as files for any static host (GitHub Pages); nothing is fetched from another host."
    ),
    "publish": (
        "examples:\n  llmkg publish --store http://localhost:7878/store\n"
        "  LLMKG_STORE_USER=admin LLMKG_STORE_PASSWORD=… llmkg publish --store http://localhost:3030/llmkg/data\n\n"
        "credentials come only from LLMKG_STORE_USER/LLMKG_STORE_PASSWORD or LLMKG_STORE_TOKEN"
    ),
    "import": (
        "examples:\n  llmkg import epoch notable_ai_models.csv -o build/epoch.ttl\n"
        "  llmkg import hf model-cards/ -o build/hf.ttl --on-error skip\n"
        "  llmkg import hf models.jsonl > hf.ttl\n\n"
        "Without -o the Turtle goes to standard output and the summary to standard error;\n"
        "with -o the summary goes to standard output.\n"
        "exit codes: 0 every row imported, 1 some rows skipped, 2 unreadable input or bad usage"
    ),
    "synth": (
        "examples:\n  llmkg synth --models 10000 --seed 1 -o build/synth-10k.ttl\n"
        "  llmkg synth --models 1000 --violations 0 -o clean.ttl\n"
        "  llmkg build --data build/synth-10k.ttl --out build/synth"
    ),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"Error: {message}\n")


def _add_data(p):
    p.add_argument("--data", nargs="+", action="extend", metavar="PATH",
                   help="Turtle files or folders to load instead of the shipped data/ (one or more; repeatable)")


def _add_store(p, engine_help="the engine that builds the store when it is missing or stale"):
    """Where a reading command finds its store, and how it is built when it must be."""
    p.add_argument("--build-dir", metavar="DIR",
                   help="the folder of built stores (default: build/, or $LLMKG_BUILD_DIR): DIR/store, "
                        "or DIR/stores/KEY for other --data")
    p.add_argument("--engine", choices=["oxigraph", "reference"],
                   help=f"{engine_help}: oxigraph (default) or reference (rdflib + owlrl)")


def make_parser() -> argparse.ArgumentParser:
    from llmkg import __version__
    from llmkg.exports.export import FORMATS as EXPORT_FORMATS
    from llmkg.exports import VIEWS
    from llmkg.querying.formats import FORMATS as QUERY_FORMATS
    from llmkg.validation.report import FORMATS as REPORT_FORMATS, SEVERITIES

    parser = _Parser(
        prog="llmkg",
        description="llmkg — a bilingual knowledge graph of large models: build, validate, query and export it.",
        epilog="Run 'llmkg COMMAND --help' for a command's options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"llmkg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name, help_text):
        return sub.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES.get(name),
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    p = command("build", "Load, reason, validate, run every catalogue query and write the results into a folder.")
    _add_data(p)
    p.add_argument("--out", default="build", metavar="DIR", help="output folder (default: build/)")
    from llmkg.pipeline import ENGINES, SKIPPABLE  # the llmkg package has imported build already

    p.add_argument("--engine", default="oxigraph", choices=list(ENGINES),
                   help="oxigraph (default): every stage on an Oxigraph store, for graphs up to millions of "
                        "triples; reference: rdflib, owlrl and pySHACL, the reference semantics")
    p.add_argument("--skip", action="append", default=[], choices=list(SKIPPABLE), metavar="STAGE",
                   help="leave a stage out (repeatable): turtle (llmkg-inferred.ttl) or pictures (the two PNGs); "
                        "its old output in the folder is removed")

    p = command("validate", "Check the shipped data plus any given files against the shapes and the ontology.")
    p.add_argument("files", nargs="*", metavar="FILE", help="extra Turtle files to check with the shipped data")
    _add_data(p)
    p.add_argument("--format", default="text", choices=list(REPORT_FORMATS), help="report format (default: text)")
    p.add_argument("--fail-on", default="error", choices=list(SEVERITIES),
                   help="lowest severity that makes the exit code 1 (default: error)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report here instead of standard output")
    p.add_argument("--engine", default="oxigraph", choices=["oxigraph", "reference"],
                   help="oxigraph (default): in memory on an Oxigraph store; reference: rdflib, owlrl and pySHACL")
    p.add_argument("--only-files", action="store_true",
                   help="report only the findings in the FILEs given (the rest of the data is still read as "
                        "their context), so that --fail-on warning judges your own files")

    p = command("query", "Run a SPARQL query — a catalogue name, a .rq file or inline SPARQL — on the reasoned graph.")
    p.add_argument("query", nargs="?", metavar="QUERY", help="catalogue name, path to a .rq file, or SPARQL text")
    p.add_argument("--list", action="store_true", help="list the catalogue's queries with their titles")
    p.add_argument("--format", default="table", choices=list(QUERY_FORMATS),
                   help="result format (default: table; json = SPARQL 1.1 JSON results)")
    p.add_argument("--asserted", action="store_true", help="query the graph as written, without reasoning")
    _add_data(p)
    p.add_argument("--endpoint", metavar="URL",
                   help="run the query on a remote SPARQL endpoint (e.g. Oxigraph's http://host:7878/query) "
                        "over the graph 'llmkg publish' uploaded")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="remote query time limit (default: 60)")
    _add_store(p)

    p = command("export", "Write the reasoned graph as GEXF (Gephi), GraphML, Gephi CSVs, Turtle, N-Triples or JSON-LD.")
    p.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="file to write (a folder for --format csv)")
    p.add_argument("--view", default="full", choices=list(VIEWS),
                   help="which relations become edges in GEXF/GraphML/CSV (default: full)")
    p.add_argument("--asserted", action="store_true", help="leave out what reasoning inferred")
    _add_data(p)
    _add_store(p)

    p = command("stats", "Count triples and entities per class, before and after reasoning.")
    p.add_argument("--format", default="table", choices=["table", "json"])
    _add_data(p)
    _add_store(p)

    p = command("render", "Draw PNG pictures: an overview of the graph and a timeline of models by release date.")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="folder for the PNGs (default: build/)")
    p.add_argument("--view", default="full", choices=list(VIEWS),
                   help="which relations the overview draws (default: full)")
    _add_data(p)
    _add_store(p)

    p = command("serve", "Serve the reasoned graph as a read-only SPARQL 1.1 endpoint at /sparql, with web pages: "
                         "a SPARQL editor at /, a page per entity at /id/NAME, the graph at /graph.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="per-query time limit in seconds (default: 10)")
    p.add_argument("--max-results", type=int, default=10000, metavar="N",
                   help="refuse results with more rows than this (default: 10000)")
    p.add_argument("--workers", type=int, default=4, metavar="N",
                   help="query worker processes; half of them may run long queries (default: 4)")
    p.add_argument("--memory", type=int, default=1024, metavar="MIB",
                   help="memory cap of each worker process in MiB, 0 for none (default: 1024)")
    p.add_argument("--cache", type=int, default=64, metavar="MIB",
                   help="answers kept for repeated requests, in MiB; 0 for none (default: 64)")
    _add_data(p)
    _add_store(p)

    p = command("site", "Write the web pages (entity pages, graph, search) as a static site for any static host.")
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder for the site: new, empty, or one 'llmkg site' wrote before")
    _add_data(p)
    _add_store(p)

    p = command("publish", "Upload the asserted and the reasoned graph to a triplestore with the SPARQL 1.1 Graph Store Protocol.")
    p.add_argument("--store", required=True, metavar="URL",
                   help="Graph Store address, e.g. http://localhost:7878/store (Oxigraph) or http://localhost:3030/DATASET/data (Fuseki)")
    p.add_argument("--query-url", metavar="URL", help="the store's SPARQL query address, if llmkg cannot derive it")
    p.add_argument("--update-url", metavar="URL",
                   help="the store's SPARQL Update address (the graphs are moved into place with one update), "
                        "if llmkg cannot derive it")
    p.add_argument("--no-verify", action="store_true", help="skip counting the triples back after the upload")
    p.add_argument("--timeout", type=float, default=300.0, metavar="S", help="HTTP time limit (default: 300)")
    _add_data(p)
    _add_store(p)

    p = command("import", "Import a public model catalogue as Turtle in the ontology's terms, with provenance.")
    isub = p.add_subparsers(dest="source", metavar="SOURCE", parser_class=_Parser, required=True)
    ip = isub.add_parser("epoch", help="Epoch AI's 'Notable AI Models' CSV export",
                         description="Import Epoch AI's 'Notable AI Models' CSV (columns matched by header name).",
                         epilog=EXAMPLES["import"], formatter_class=argparse.RawDescriptionHelpFormatter)
    ip.add_argument("path", metavar="FILE", help="the CSV file")
    ip.add_argument("-o", "--output", metavar="FILE", help="Turtle (or .nt) file to write (default: standard output)")
    ip.add_argument("--on-error", default="skip", choices=["skip", "raise"],
                    help="a row that cannot be read: skip it and report it (default), or stop with exit 2")
    ip = isub.add_parser("hf", help="Hugging Face model-card metadata: a folder of README.md cards, one card, or a JSONL",
                         description="Import Hugging Face model-card metadata (YAML front matter or JSONL).",
                         epilog=EXAMPLES["import"], formatter_class=argparse.RawDescriptionHelpFormatter)
    ip.add_argument("path", metavar="FILE|DIR", help="a model card, a folder of model cards, or a .jsonl file")
    ip.add_argument("-o", "--output", metavar="FILE", help="Turtle (or .nt) file to write (default: standard output)")
    ip.add_argument("--on-error", default="skip", choices=["skip", "raise"],
                    help="a card or line that cannot be read: skip it and report it (default), or stop with exit 2")

    p = command("synth", "Write a reproducible synthetic Hub-like catalogue for benchmarks and tests.")
    p.add_argument("--models", type=int, required=True, metavar="N", help="number of models")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    p.add_argument("--violations", type=float, default=0.02, metavar="RATE",
                   help="share of models given a deliberate mistake, 0 to 0.5 (default: 0.02)")
    p.add_argument("-o", "--output", metavar="FILE", help="Turtle file to write (default: standard output)")
    return parser


# ---------------------------------------------------------------------------
# Commands: each is one library call plus printing.
# ---------------------------------------------------------------------------

def _open(args):
    """The built store the command reads (built first, with a line on standard error, if missing or stale)."""
    from llmkg.store.persist import open_store

    return open_store(args.data, build_dir=args.build_dir, engine=args.engine)


def cmd_build(args) -> int:
    from llmkg.pipeline import build, format_summary
    from llmkg.progress import Progress

    with Progress() as progress:
        result = build(data=args.data, out=args.out, engine=args.engine, progress=progress, skip=args.skip)
    print(format_summary(result), end="")
    if result.report.input_errors:
        from llmkg.validation.report import format_text

        print(format_text(result.report), end="", file=sys.stderr)
    return result.exit_code


def cmd_validate(args) -> int:
    from llmkg.validation import FORMATS, validate

    report = validate(args.files, data=args.data, fail_on=args.fail_on, engine=args.engine,
                      only_files=args.only_files)
    text = FORMATS[args.format](report)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return report.exit_code


def cmd_query(args) -> int:
    from llmkg.querying import catalogue
    from llmkg.querying.formats import format_result, table
    from llmkg.querying.run import resolve, run

    if args.list:
        rows = [[q.name, q.title, q.title_zh] for q in catalogue.load_catalogue()]
        print(table(["name", "title", "标题"], rows), end="")
        return 0
    if not args.query and args.data and not Path(args.data[-1]).exists():
        args.query = args.data.pop()  # --data takes several paths: the query after them is not one of them
    if not args.query:
        raise LlmkgError("give a QUERY (a catalogue name, a .rq file or SPARQL text), or --list to see the catalogue")
    name, text = resolve(args.query)
    from llmkg.querying.run import unknown_terms

    for term, close in unknown_terms(text):  # the answer still comes: the term may be meant
        hint = f"; did you mean {close}?" if close else "; see ontology/llmkg.ttl for the terms"
        print(f"llmkg: warning: {term} is not a term of the ontology{hint}", file=sys.stderr)
    if args.endpoint:
        from llmkg.remote.client import query_endpoint

        if args.data:
            raise LlmkgError("--data and --endpoint do not go together: a remote query runs on the store's data")
        result = query_endpoint(args.endpoint, text, timeout=args.timeout, asserted=args.asserted)
        print(format_result(result, args.format), end="")
        return 0
    with _open(args) as kg:
        print(format_result(run(kg, text, asserted=args.asserted), args.format), end="")
    return 0


def cmd_export(args) -> int:
    from llmkg.exports.export import export

    with _open(args) as kg:
        files = export(kg, args.format, args.output, view=args.view, include_inferred=not args.asserted)
    for f in files:
        print(f"wrote {f}")
    return 0


def cmd_stats(args) -> int:
    import json

    from llmkg.querying.stats import format_stats

    with _open(args) as kg:
        s = kg.stats
    print(json.dumps(s, ensure_ascii=False, indent=2) if args.format == "json" else format_stats(s),
          end="\n" if args.format == "json" else "")
    return 0


def cmd_render(args) -> int:
    from llmkg.exports.pictures import render_all

    with _open(args) as kg:
        files = render_all(kg, args.output, view=args.view)
    for f in files:
        print(f"wrote {f}")
    return 0


def cmd_serve(args) -> int:
    from llmkg.web.serve import serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Warning: listening on {args.host} makes the endpoint reachable from other machines.", file=sys.stderr)

    def ready(server):
        print(f"SPARQL endpoint at {server.url} — web pages at {server.url[:-len('/sparql')]}/ — Ctrl-C stops",
              file=sys.stderr)

    with _open(args) as kg:
        serve(kg, args.host, args.port, timeout=args.timeout, max_results=args.max_results,
              workers=args.workers, ready=ready, memory_mb=args.memory, cache_mb=args.cache)
    return 0


def cmd_site(args) -> int:
    from llmkg.web.site import write_site

    with _open(args) as kg:
        result = write_site(kg, args.output)
    print(result.summary())
    return 0


def cmd_publish(args) -> int:
    from llmkg.remote.publish import publish

    with _open(args) as kg:
        result = publish(kg, args.store, query_url=args.query_url, update_url=args.update_url,
                         verify=not args.no_verify, timeout=args.timeout)
    print(result.summary())
    return 0


def cmd_import(args) -> int:
    from llmkg.sources.importers import import_epoch, import_hf, serialize

    if args.source == "epoch":
        result = import_epoch(args.path, out=args.output, on_error=args.on_error)
    else:
        result = import_hf(args.path, out=args.output, on_error=args.on_error)
    # The Turtle goes to standard output unless -o names a file; then the summary does.
    if not args.output:
        sys.stdout.write(serialize(result.graph))
    print(result.summary(), end="", file=sys.stderr if not args.output else sys.stdout)
    return 1 if result.skipped else 0


def cmd_synth(args) -> int:
    from llmkg.sources.synth import synth

    result = synth(args.models, seed=args.seed, out=args.output, violations=args.violations)
    if not args.output:
        sys.stdout.write(result.text)
    print(result.summary(), end="", file=sys.stderr if not args.output else sys.stdout)
    return 0


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "query": cmd_query, "export": cmd_export,
            "stats": cmd_stats, "render": cmd_render, "serve": cmd_serve, "site": cmd_site, "publish": cmd_publish,
            "import": cmd_import, "synth": cmd_synth}


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help (0) or a usage error (2): return, so callers get a code
        return e.code if isinstance(e.code, int) else 2
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except LlmkgError as e:
        from llmkg.remote.client import scrub  # whatever a server echoed: never a credential

        print(f"Error: {scrub(str(e))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug in llmkg: say so plainly, without a traceback
        if os.environ.get("LLMKG_DEBUG"):
            raise
        print(f"Error: internal error in llmkg ({type(e).__name__}: {e}). "
              "Please report it with the command you ran; set LLMKG_DEBUG=1 to see the traceback.",
              file=sys.stderr)
        return 2


def run() -> None:
    """The ``llmkg`` command: :func:`main`, then exit without tearing the heap down.

    After a large build the interpreter would free millions of objects one by
    one on the way out (3 s at 100,000 models) for nothing: every file is
    written and closed by now, so only the standard streams need flushing."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # a reader that went away (``llmkg query … | head``)
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
