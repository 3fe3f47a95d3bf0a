"""The web pages of the graph: one way to render them, two ways to deliver them.

:class:`Pages` renders the entity pages, the browse page, the graph page,
the SPARQL page and the not-found page from Jinja2 templates
(``llmkg/web/templates``); ``llmkg serve`` answers requests with them
(:meth:`Pages.respond`) and ``llmkg site`` writes them as files
(:mod:`llmkg.web.site`). The only difference is :class:`Links`: a server's
paths have no suffix (``id/CLIP``), a static site's pages are files
(``id/CLIP.html``), and every link is relative, so a site works from any
folder of any host (GitHub Pages serves a project under /NAME/).

Scripts and styles come from ``llmkg/web/static`` (our own) and
``static/vendor`` (npm packages at pinned versions, see its README); no page
loads anything from another host.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from html import escape as esc
from pathlib import Path
from urllib.parse import quote, unquote

from markupsafe import Markup

from llmkg.vocab import KG, PREFIXES, curie
from llmkg.web.accept import media_ranges
from llmkg.web.entity import KIND_ZH, RDF_FORMATS, Entities, page_path
from llmkg.web.graph import WEB_VIEWS, view_gexf

__all__ = ["Pages", "Links", "STATIC_DIR", "static_file"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
VIEW_NAMES = {"lineage": ("Lineage", "谱系"), "organisations": ("Organisations", "机构"),
              "taxonomy": ("Taxonomy", "分类")}
FORMAT_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD"}
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".md": "text/plain; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                ".png": "image/png", ".svg": "image/svg+xml", ".ico": "image/svg+xml"}
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Links:
    """Where a page's links point: ``root`` leads from the page to the site's top
    (``""`` or ``"../"``); ``ext`` is what a page file's name ends with
    (``""`` on a server, ``".html"`` on a static site); ``served`` adds the query page."""
    root: str = ""
    ext: str = ""
    served: bool = True

    def entity(self, name: str) -> str:
        return f"{self.root}id/{page_path(name)}{self.ext}"

    def entity_rdf(self, name: str, suffix: str) -> str:
        return f"{self.root}id/{page_path(name)}{suffix}"

    def ontology(self, anchor: str | None = None) -> str:
        page = f"{self.root}ontology{self.ext}"
        return page + "#" + quote(anchor, safe=":-._~") if anchor else page

    def static(self, path: str) -> str:
        return f"{self.root}static/{path}"

    def gexf(self, view: str) -> str:
        return f"{self.root}graph/{view}.gexf"

    @property
    def home(self) -> str:
        return (self.root or "./") if self.served else f"{self.root}index.html"

    @property
    def query(self) -> str | None:
        return (self.root or "./") if self.served else None

    @property
    def browse(self) -> str:
        return f"{self.root}browse" if self.served else f"{self.root}index.html"

    @property
    def graph(self) -> str:
        return f"{self.root}graph{self.ext}"

    def at(self, depth: int) -> "Links":
        return Links("../" * depth, self.ext, self.served)


class _Fragments:
    """The small pieces every page repeats (a bilingual label, a linked term, a
    fact's value), as Python f-strings with html.escape: as Jinja2 macros they
    made the 846 entity pages take 6 s to render. Cached per page root."""

    def __init__(self, entities: Entities, links: Links):
        self.entities, self.links = entities, links
        self._terms: dict = {}
        self._props: dict = {}

    @staticmethod
    def _bi(en: str, zh: str) -> str:
        return f'<span class="en" lang="en">{esc(en)}</span><span class="zh" lang="zh">{esc(zh)}</span>'

    def bi(self, en: str, zh: str) -> Markup:
        return Markup(self._bi(en, zh))

    def _term(self, v) -> str:
        key = (v.iri, v.name, v.inferred)
        got = self._terms.get(key)
        if got is None:
            en, zh = self.entities.labels(v.iri)
            anchor = self.entities.anchor(v.iri) if not v.name else None
            if v.name:
                got = f'<a href="{esc(self.links.entity(v.name))}" title="{esc(curie(v.iri))}">{self._bi(en, zh)}</a>'
            elif anchor:
                got = (f'<a class="term" href="{esc(self.links.ontology(anchor))}" title="{esc(curie(v.iri))}">'
                       f'{self._bi(en, zh)}</a>')
            else:
                got = f'<span class="iri" title="{esc(v.iri)}">{self._bi(en, zh)}</span>'
            if v.inferred:
                got += _INFERRED
            self._terms[key] = got
        return got

    def term(self, v) -> Markup:
        return Markup(self._term(v))

    def _prop(self, p: str) -> str:
        got = self._props.get(p)
        if got is None:
            en, zh = self.entities.labels(p)
            anchor = self.entities.anchor(p)
            got = self._props[p] = (
                f'<a class="term" href="{esc(self.links.ontology(anchor))}" title="{esc(curie(p))}">{self._bi(en, zh)}</a>'
                if anchor else f'<span title="{esc(curie(p))}">{self._bi(en, zh)}</span>')
        return got

    def prop(self, p: str) -> Markup:
        return Markup(self._prop(p))

    def _value(self, v) -> str:
        if v.iri:
            return self._term(v)
        if v.nested:
            return '<dl class="nested">' + "".join(
                f"<dt>{self._prop(p)}</dt><dd>{' · '.join(self._value(x) for x in vs)}</dd>"
                for p, vs in v.nested) + "</dl>"
        if v.lang in ("en", "zh"):
            out = f'<span class="{v.lang}" lang="{v.lang}">{esc(v.text)}</span>'
        elif v.text.startswith(("http://", "https://")):
            out = f'<span class="lit"><a class="external" href="{esc(v.text)}" rel="noopener">{esc(v.text)}</a></span>'
        else:
            out = f'<span class="lit">{esc(v.text)}</span>'
        if v.datatype and v.datatype != "xsd:anyURI":
            out += f' <small class="dt">{esc(v.datatype)}</small>'
        if v.inferred:
            out += _INFERRED
        return out

    def value(self, v) -> Markup:
        return Markup(self._value(v))

    def related(self, items) -> Markup:
        return Markup('<ul class="related">' + "".join(
            f'<li>{self._term(v)} <small class="via">{self._prop(p)}</small></li>' for p, v in items) + "</ul>")


_INFERRED = (' <span class="inferred" title="inferred by the reasoner · 由推理得出">'
             '<span class="en" lang="en">inferred</span><span class="zh" lang="zh">推理</span></span>')


def static_file(path: str) -> tuple[bytes, str] | None:
    """A file under static/ (its bytes, its content type), or None; never outside the folder."""
    target = (STATIC_DIR / path).resolve()
    if STATIC_DIR not in target.parents or not target.is_file():
        return None
    return target.read_bytes(), STATIC_TYPES.get(target.suffix, "application/octet-stream")


class Pages:
    """The pages of one store (see the module docstring). ``catalogue``: the
    example queries of the SPARQL page (default: the shipped catalogue)."""

    def __init__(self, loaded, catalogue=None):
        import jinja2

        self.loaded = loaded
        self.entities = Entities(loaded)
        self._catalogue = catalogue
        self._env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                                       autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                       undefined=jinja2.StrictUndefined)
        self._env.globals.update(labels=self.entities.labels, curie=curie, kind_zh=KIND_ZH,
                                 rdf_formats=RDF_FORMATS, fmt_names=FORMAT_NAMES)
        from llmkg.querying.stats import triple_counts

        self.triples = triple_counts(loaded)
        self._gexf: dict = {}
        self._fragments: dict = {}

    # -- rendering ---------------------------------------------------------
    def _render(self, template: str, links: Links, **context) -> str:
        config = {"root": links.root, "ext": links.ext, "served": links.served, "kg": KG,
                  "prefixes": PREFIXES, **context.pop("config", {})}
        fragments = self._fragments.get(links)
        if fragments is None:
            fragments = self._fragments[links] = _Fragments(self.entities, links)
        return self._env.get_template(template).render(
            links=links, config=config, bi=fragments.bi, term=fragments.term, value=fragments.value,
            prop=fragments.prop, related=fragments.related, **context)

    def entity_page(self, name: str, links: Links) -> str | None:
        e = self.entities.page(name)
        return None if e is None else self._render("entity.html", links, e=e)

    def not_found(self, path: str, links: Links) -> str:
        name = path.rsplit("/", 1)[-1]
        close = difflib.get_close_matches(name, self.entities.names, n=5, cutoff=0.6) if name else []
        return self._render("notfound.html", links, path=path, close=close)

    def _stats(self) -> tuple[str, str]:
        asserted, closed = self.triples
        n = len(self.entities.names)
        return (f"{n:,} entities; {asserted:,} triples as written, {closed:,} after reasoning "
                f"(+{closed - asserted:,}: the figures 'llmkg stats' prints).",
                f"{n:,} 个实体；写入的三元组 {asserted:,} 条，推理后 {closed:,} 条（推理新增 {closed - asserted:,} 条，与 'llmkg stats' 一致）。")

    def browse_page(self, links: Links) -> str:
        from llmkg.web.entity import KIND_ZH as order

        rows = self.entities.search_index()
        groups = []
        for kind in order:
            got = sorted((r for r in rows if r["k"] == kind), key=lambda r: r["en"].lower())
            if got:
                groups.append((kind, got))
        en, zh = self._stats()
        return self._render("browse.html", links, groups=groups, stats_en=en, stats_zh=zh)

    def ontology_page(self, links: Links) -> str:
        return self._render("ontology.html", links, terms=self.entities.ontology())

    def graph_page(self, links: Links) -> str:
        anchors = {t: self.entities.anchor(t) for t in self.entities.terms}
        return self._render("graph.html", links, views=WEB_VIEWS, view_names=VIEW_NAMES,
                            config={"views": list(WEB_VIEWS), "anchors": anchors})

    def query_page(self, links: Links, *, endpoint: str, timeout: float, max_results: int) -> str:
        from llmkg.querying.catalogue import load_catalogue
        from llmkg.vocab import sparql_prologue

        catalogue = self._catalogue if self._catalogue is not None else load_catalogue()
        examples = [{"name": q.name, "title": q.title, "title_zh": q.title_zh, "question": q.question,
                     "question_zh": q.question_zh, "text": _title_first(q.text, sparql_prologue)}
                    for q in catalogue]
        asserted, closed = self.triples
        info_en = (f"The reasoned graph: {closed:,} triples ({asserted:,} as written, the rest inferred). "
                   f"Endpoint: /{endpoint} (SPARQL 1.1 Protocol, read-only, no SERVICE); a query may run "
                   f"{timeout:g} s and return {max_results:,} results. Ctrl-Space completes; every IRI in "
                   "the results opens its page.")
        info_zh = (f"推理后的图谱：{closed:,} 条三元组（写入 {asserted:,} 条，其余由推理得出）。"
                   f"端点：/{endpoint}（SPARQL 1.1 协议，只读，不支持 SERVICE）；每个查询最多运行 {timeout:g} 秒、"
                   f"返回 {max_results:,} 条结果。Ctrl-Space 自动补全；结果中的每个 IRI 都链接到其页面。")
        return self._render("query.html", links, examples=examples, info_en=info_en, info_zh=info_zh,
                            config={"endpoint": endpoint})

    # -- data files ----------------------------------------------------------
    def search_json(self) -> bytes:
        return json.dumps(self.entities.search_index(), ensure_ascii=False, separators=(",", ":")).encode()

    @staticmethod
    def prefixes_json() -> bytes:
        """The prefix table in prefix.cc's format, for the editor's prefix completion."""
        return json.dumps(PREFIXES, separators=(",", ":")).encode()

    def gexf(self, view: str, facts=None) -> bytes:
        got = self._gexf.get(view)
        if got is None:
            got = self._gexf[view] = view_gexf(self.loaded, view, facts)
        return got

    # -- a server's requests ---------------------------------------------------
    def respond(self, path: str, accept: str | None, query_page) -> tuple[int, str, bytes, dict] | None:
        """The answer to a GET of ``path`` (status, content type, body, extra headers),
        or None when the path is not a page's (the server's own routes: /sparql).
        ``query_page()`` renders the SPARQL page (it knows the endpoint's limits)."""
        if path in ("/", "/index.html"):
            return 200, HTML, query_page(self, Links()).encode(), {}
        if path == "/browse":
            return 200, HTML, self.browse_page(Links()).encode(), {}
        if path == "/graph":
            return 200, HTML, self.graph_page(Links()).encode(), {}
        if path == "/ontology":
            return 200, HTML, self.ontology_page(Links()).encode(), {}
        if path == "/search.json":
            return 200, "application/json", self.search_json(), {}
        if path == "/prefixes.json":
            return 200, "application/json", self.prefixes_json(), {}
        if path.startswith("/graph/") and path.endswith(".gexf"):
            view = path[len("/graph/"):-len(".gexf")]
            if view in WEB_VIEWS:
                return 200, "application/gexf+xml", self.gexf(view), {}
            return self._missing(path, Links(root=""))
        if path.startswith("/static/"):
            got = static_file(unquote(path[len("/static/"):]))
            if got is None:
                return 404, "text/plain; charset=utf-8", f"No file at {path}.\n".encode(), {}
            # vendored files never change within a version of llmkg: let the browser keep them an hour
            return 200, got[1], got[0], {"Cache-Control": "max-age=3600"}
        if path.startswith("/id/"):
            return self._entity(unquote(path[len("/id/"):]), path, accept)
        if path == "/sparql":
            return None
        return self._missing(path, Links())

    def _missing(self, path: str, links: Links):
        depth = max(path.count("/") - 1, 0)
        return 404, HTML, self.not_found(path, links.at(depth)).encode(), {}

    def _entity(self, name: str, path: str, accept: str | None):
        links = Links(root="../")
        for fmt, (media, _, suffix) in RDF_FORMATS.items():  # id/NAME.ttl: the RDF, whatever Accept says
            if name.endswith(suffix) and not self.entities.has_page(name) \
                    and self.entities.has_page(name[:-len(suffix)]):
                return 200, _charset(media), self.entities.describe(name[:-len(suffix)], fmt), {}
        if not self.entities.has_page(name):
            return self._missing(path, Links())
        fmt = negotiate_page(accept)
        vary = {"Vary": "Accept"}
        if fmt is None:
            media = ", ".join(["text/html"] + [m for m, _, _ in RDF_FORMATS.values()])
            return 406, "text/plain; charset=utf-8", (
                f"This page is offered as {media}; the Accept header asks for none of them.\n").encode(), vary
        if fmt == "html":
            return 200, HTML, self.entity_page(name, links).encode(), vary
        return 200, _charset(RDF_FORMATS[fmt][0]), self.entities.describe(name, fmt), vary


def _charset(media: str) -> str:
    return media + "; charset=utf-8" if media.startswith("text/") else media


def negotiate_page(accept: str | None) -> str | None:
    """``html``, an RDF_FORMATS key, or None when the Accept header accepts none of them.
    No Accept header, or one with */*, gets HTML (Linked Data practice: the browser's choice)."""
    offered = {"text/html": "html", "application/xhtml+xml": "html",
               **{media: fmt for fmt, (media, _, _) in RDF_FORMATS.items()},
               "application/x-turtle": "turtle", "text/plain": "nt", "application/json": "jsonld"}
    if not accept or not accept.strip():
        return "html"
    for media in media_ranges(accept):
        if media in offered:
            return offered[media]
        if media in ("*/*", "text/*"):
            return "html"
        if media == "application/*":
            return "jsonld"
    return None


def _title_first(text: str, prologue) -> str:
    """A catalogue query with its comment header (title first) and then the PREFIX
    lines it needs to stand alone in the editor, then its body."""
    lines = text.splitlines()
    head = 0
    while head < len(lines) and (lines[head].startswith("#") or not lines[head].strip()):
        head += 1
    declared = {ln.split()[1].rstrip(":").lower() for ln in lines if ln.strip().upper().startswith("PREFIX")
                and len(ln.split()) > 1}
    return "\n".join(lines[:head]).rstrip() + "\n" + prologue(declared) + "\n" + "\n".join(lines[head:]).strip() + "\n"
