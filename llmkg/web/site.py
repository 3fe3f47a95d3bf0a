"""``llmkg site``: every page as static files, for any static host (GitHub Pages).

The pages are :class:`llmkg.web.pages.Pages`' — the ones ``llmkg serve``
answers with — linked as files (``id/CLIP.html``) instead of routes. What a
server negotiates is written beside each page (``id/CLIP.ttl``, ``.nt``,
``.jsonld``: the DESCRIBE of the IRI), so ``https://w3id.org/llmkg/id/NAME``
can redirect to ``…/id/NAME.html`` or, for an RDF client, ``…/id/NAME.ttl``.
There is no SPARQL page (a static host runs no queries); the browse page is
the front page. Nothing on any page is fetched from another host.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from llmkg.errors import InputError
from llmkg.web.entity import RDF_FORMATS, page_path
from llmkg.web.graph import WEB_VIEWS
from llmkg.web.pages import STATIC_DIR, Links, Pages

__all__ = ["write_site", "SiteResult"]

MARKER = ".llmkg-site"
#: what the static pages load (the SPARQL page's editor is left out: no endpoint on a static host)
_STATIC = ("llmkg.css", "llmkg.js", "graph.js", "favicon.svg", "vendor/README.md", "vendor/SHA256SUMS",
           "vendor/sigma.min.js", "vendor/graphology.umd.min.js", "vendor/graphology-gexf.min.js")


@dataclass
class SiteResult:
    folder: Path
    pages: int
    files: int
    seconds: float

    def summary(self) -> str:
        # no seconds: the line is shown in the README, whose examples must print the same every time
        return (f"wrote {self.pages:,} pages ({self.files:,} files) into {self.folder}\n"
                f"see them with any static web server: python3 -m http.server -d {self.folder}")


def _prepare(out: Path) -> None:
    """An empty folder, or one this command wrote before (emptied of what it wrote); never anything else."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; give a folder for the site")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise InputError(f"{out} is not empty and was not written by 'llmkg site'; choose an empty or new folder")
        for sub in ("id", "graph", "static"):
            shutil.rmtree(out / sub, ignore_errors=True)
    try:
        (out / "id").mkdir(parents=True, exist_ok=True)
        (out / "graph").mkdir(exist_ok=True)
    except OSError as e:
        raise InputError(f"{out}: cannot create the folder ({e.strerror})") from None


def write_site(loaded, out, *, pages: Pages | None = None) -> SiteResult:
    """Write the static site of ``loaded`` (a store from :func:`llmkg.store.persist.open_store`) into ``out``."""
    start = time.perf_counter()
    out = Path(out)
    _prepare(out)
    pages = pages or Pages(loaded)
    written = 0

    def write(rel: str, data: bytes | str) -> None:
        nonlocal written
        path = out / rel
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        written += 1

    top, below = Links(root="", ext=".html", served=False), Links(root="../", ext=".html", served=False)
    write("index.html", pages.browse_page(top))
    write("graph.html", pages.graph_page(top))
    write("ontology.html", pages.ontology_page(top))
    write("404.html", pages.not_found("", top))
    write("search.json", pages.search_json())
    n_pages = 4
    entities = pages.entities
    for name in entities.names:
        stem = page_path(name)
        write(f"id/{stem}.html", pages.entity_page(name, below))
        n_pages += 1
        triples = entities.describe_triples(name)
        for fmt, (_, _, suffix) in RDF_FORMATS.items():
            write(f"id/{stem}{suffix}", entities.serialize(triples, fmt))
    for view in WEB_VIEWS:
        write(f"graph/{view}.gexf", pages.gexf(view))
    for rel in _STATIC:
        target = out / "static" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STATIC_DIR / rel, target)
        written += 1
    shutil.copytree(STATIC_DIR / "vendor" / "licences", out / "static" / "vendor" / "licences")
    written += len(list((STATIC_DIR / "vendor" / "licences").iterdir()))
    write(".nojekyll", "")  # GitHub Pages: serve the files as they are
    write(MARKER, "written by 'llmkg site'; the command empties id/, graph/ and static/ before writing again\n")
    return SiteResult(out, n_pages, written, time.perf_counter() - start)
