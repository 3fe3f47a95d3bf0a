"""The web pages over real HTTP (``llmkg serve``) and as files (``llmkg site``), on the shipped data.

Expectations come from the store itself (SPARQL on the asserted and the
inferred graph), not from copies of the data. The browser tests are in
test_browser.py.
"""
from __future__ import annotations

import json
import posixpath
from urllib.parse import quote, unquote, urlsplit

import lxml.etree
import lxml.html
import pyoxigraph as ox
import pytest

from conftest_servers import http, serving
from llmkg.store.persist import open_store
from llmkg.vocab import KG, PREFIXES, curie
from llmkg.web.entity import Entities
from llmkg.web.graph import WEB_VIEWS
from llmkg.web.site import write_site

ASSERTED = "https://w3id.org/llmkg/graph/asserted"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def store():
    with open_store() as kg:
        yield kg


@pytest.fixture(scope="module")
def server(store):
    with serving(store, workers=1) as s:
        yield s


@pytest.fixture(scope="module")
def site(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    result = write_site(store, out)
    return out, result


def base(server) -> str:
    return server.url[: -len("/sparql")]


def rows(store, text: str, asserted: bool = False):
    graphs = [ox.NamedNode(ASSERTED)] if asserted else store.graphs
    return list(store.store.query(text, prefixes=PREFIXES, default_graph=graphs))


def page(server, name: str):
    r = http("GET", f"{base(server)}/id/{quote(name)}", headers={"Accept": BROWSER_ACCEPT})
    assert r.status == 200 and r.content_type == "text/html", (name, r.status)
    return lxml.html.fromstring(r.body)


def linked_names(doc, css: str = "a") -> set[str]:
    """The entity names the page's links (under ``css``) lead to."""
    out = set()
    for a in doc.cssselect(css) if css != "a" else doc.iter("a"):
        href = a.get("href") or ""
        if href.startswith("../id/"):
            out.add(unquote(href[len("../id/"):]))
    return out


# -- entity pages -------------------------------------------------------------

def test_an_entity_page_shows_labels_definition_and_kind_with_the_inferred_marked(server, store):
    doc = page(server, "CLIP")
    iri = KG + "CLIP"
    labels = {r["l"].language: r["l"].value for r in rows(store, f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")}
    assert labels["en"] in doc.cssselect("h1 .en")[0].text_content()
    assert doc.cssselect("h1 .zh")[0].text_content() == labels.get("zh", labels["en"])
    definition = rows(store, f'SELECT ?d WHERE {{ <{iri}> skos:definition ?d FILTER(LANG(?d) = "en") }}')[0]["d"].value
    assert definition in doc.cssselect(".definition")[0].text_content()
    asserted = {r["t"].value for r in rows(store, f"SELECT ?t WHERE {{ <{iri}> a ?t }}", asserted=True)}
    every = {r["t"].value for r in rows(store, f"SELECT ?t WHERE {{ <{iri}> a ?t }}")}
    assert every - asserted, "CLIP has inferred types in the shipped data"
    shown = {li.cssselect("[title]")[0].get("title"): bool(li.cssselect(".inferred"))
             for li in doc.cssselect("ul.types li")}
    assert shown == {curie(t): t not in asserted for t in every}
    # each type links to its section of the ontology page
    assert all(a.get("href").startswith("../ontology#") for a in doc.cssselect("ul.types a"))


def test_lineage_up_and_down(server, store):
    pairs = rows(store, "SELECT ?m ?b WHERE { ?m llmkg:basedOn ?b }", asserted=True)
    assert pairs
    for r in pairs[:5]:
        m, b = r["m"].value[len(KG):], r["b"].value[len(KG):]
        assert b in linked_names(page(server, m), ".lineage div:first-child a")
        assert m in linked_names(page(server, b), ".lineage div:last-child a")


def test_an_organisation_lists_its_models_and_a_concept_its_broader_and_narrower(server, store):
    org = KG + "OpenAI"
    models = {r["m"].value[len(KG):] for r in rows(store, f"SELECT ?m WHERE {{ ?m llmkg:developedBy <{org}> }}")}
    assert len(models) > 5
    assert linked_names(page(server, "OpenAI"), ".models a") == models
    for r in rows(store, "SELECT ?a ?b WHERE { ?a skos:broader ?b }", asserted=True)[:5]:
        a, b = r["a"].value[len(KG):], r["b"].value[len(KG):]
        assert b in linked_names(page(server, a), ".concepts .cols > div:first-child a")
        assert a in linked_names(page(server, b), ".concepts .cols > div:last-child a")


def test_sources_link_to_their_documents(server, store):
    doc = page(server, "CLIP")
    urls = {r["u"].value for r in rows(store, f"SELECT ?u WHERE {{ <{KG}CLIP> dcterms:source/schema:url ?u }}")}
    assert urls and urls <= {a.get("href") for a in doc.cssselect(".sources a.external")}


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                         ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                         ("application/ld+json", ox.RdfFormat.JSON_LD),
                                         ("application/ld+json;q=0.9, text/html;q=0.5", ox.RdfFormat.JSON_LD)])
def test_content_negotiation_gives_the_describe_of_the_iri(server, store, accept, fmt):
    r = http("GET", f"{base(server)}/id/GPT-4", headers={"Accept": accept})
    assert r.status == 200 and r.content_type == fmt.media_type and r.headers["Vary"] == "Accept"
    got = {q.triple for q in ox.parse(r.body, format=fmt)}
    expected = set(store.store.query(f"DESCRIBE <{KG}GPT-4>", default_graph=store.graphs))
    assert got == expected and len(got) > 10


def test_the_pages_rdf_is_the_describe_of_every_entity(store):
    entities = Entities(store)
    for name in entities.names:
        expected = set(store.store.query(f"DESCRIBE <{KG}{name}>", default_graph=store.graphs))
        assert set(entities.describe_triples(name)) == expected, name


def test_html_for_browsers_and_clear_errors_for_the_rest(server):
    for accept in (None, BROWSER_ACCEPT, "*/*"):
        r = http("GET", f"{base(server)}/id/GPT-4", headers={"Accept": accept} if accept else {})
        assert r.status == 200 and r.content_type == "text/html"
    r = http("GET", f"{base(server)}/id/GPT-4", headers={"Accept": "image/png"})
    assert r.status == 406 and "text/turtle" in r.text and "Traceback" not in r.text
    r = http("GET", f"{base(server)}/id/GPT-44", headers={"Accept": BROWSER_ACCEPT})
    assert r.status == 404 and r.content_type == "text/html" and "GPT-4" in r.text
    for path in ("/static/../serve.py", "/static/%2e%2e/serve.py", "/graph/full.gexf", "/no/such/page"):
        r = http("GET", base(server) + path)
        assert r.status == 404, path
    r = http("GET", f"{base(server)}/id/GPT-4.ttl")
    assert r.status == 200 and r.content_type == "text/turtle"


def test_a_syntax_error_is_said_plainly(server):
    r = http("POST", server.url, data="SELECT ?m WHERE {\n  ?m a llmkg:Model\n  FILTR(?m) }",
             headers={"Content-Type": "application/sparql-query"})
    assert r.status == 400
    assert "line 3" in r.text and "^" in r.text and "\\u{" not in r.text
    r = http("POST", server.url, data="SELECT * WHERE { ?s foo:bar ?o }",
             headers={"Content-Type": "application/sparql-query"})
    assert r.status == 400 and "foo:" in r.text and "PREFIX" in r.text


def test_the_query_page_has_the_catalogue_title_first(server):
    from llmkg.querying.catalogue import load_catalogue

    doc = lxml.html.fromstring(http("GET", base(server) + "/").body)
    examples = json.loads(doc.get_element_by_id("llmkg-examples").text_content())
    catalogue = load_catalogue()
    assert [e["title_zh"] for e in examples] == [q.title_zh for q in catalogue]
    for e in examples:
        assert e["text"].startswith("# title: " + e["title"])
        body = e["text"][e["text"].index("\nPREFIX"):]
        ox.Store().query(body)  # stands alone: every prefix it uses is declared (SyntaxError if not)


# -- the static site -----------------------------------------------------------

def test_the_site_has_a_page_for_every_node_and_no_broken_link(site, store):
    out, result = site
    entities = Entities(store)
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    ids: dict = {}  # page → the ids of its elements (link fragments must name one)
    fragments = []
    seen, todo = set(), ["index.html"]
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        if not rel.endswith(".html"):
            continue
        doc = lxml.html.fromstring((out / rel).read_bytes())
        ids[rel] = {el.get("id") for el in doc.iter() if el.get("id")}
        for el in doc.iter("a", "link", "script", "img"):
            ref = el.get("href") if el.tag in ("a", "link") else el.get("src")
            if not ref or ref.startswith("#"):
                continue
            if urlsplit(ref).scheme:
                assert el.tag == "a", f"{rel}: a <{el.tag}> loads {ref} from another host"
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(urlsplit(ref).path)))
            assert target in files, f"{rel} links to {ref}, which is missing"
            todo.append(target)
            if urlsplit(ref).fragment:
                fragments.append((rel, target, unquote(urlsplit(ref).fragment)))
    pages = {p for p in seen if p.endswith(".html")}
    for rel, target, fragment in fragments:
        assert fragment in ids[target], f"{rel} links to {target}#{fragment}, which has no such section"
    assert {f"id/{quote(n, safe='-._~')}.html" for n in entities.names} <= pages
    # every kg: node the graph describes, counted here by SPARQL, has its page (plus four others)
    described = {s.value for (s,) in store.store.query(
        'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/llmkg/id/")) }',
        use_default_graph_as_union=True)}
    assert {f"https://w3id.org/llmkg/id/{n}" for n in entities.names} == described
    assert len(described) > 800 and result.pages == len(described) + 4
    # every node of every view the graph page draws has a page, or a section of the ontology page
    for view in WEB_VIEWS:
        gexf = lxml.etree.fromstring((out / "graph" / f"{view}.gexf").read_bytes())
        nodes = {n.get("id") for n in gexf.iter("{http://gexf.net/1.3}node")}
        assert nodes and all(entities.has_page(i[len(KG):]) for i in nodes if i.startswith(KG)), view
        assert all(entities.anchor(i) in ids["ontology.html"] for i in nodes if not i.startswith(KG)), view
    # and what a static host cannot negotiate sits beside each page
    assert ox.parse((out / "id" / "GPT-4.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    index = json.loads((out / "search.json").read_text(encoding="utf-8"))
    assert {r["n"] for r in index} == set(entities.names)


def test_site_command(cli, tmp_path):
    from conftest_servers import TINY_TTL

    data = tmp_path / "tiny.ttl"
    data.write_text(TINY_TTL, encoding="utf-8")
    r = cli("site", "-o", tmp_path / "s", "--data", data)
    pages = len(list((tmp_path / "s" / "id").glob("*.html"))) + 4
    assert r.code == 0 and f"wrote {pages:,} pages" in r.out and (tmp_path / "s" / "id" / "TestLM.html").is_file()
    r = cli("site", "-o", tmp_path / "s", "--data", data)  # a site it wrote: written again
    assert r.code == 0
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    r = cli("site", "-o", tmp_path / "other")
    assert r.code == 2 and r.err.startswith("Error:") and "not empty" in r.err
    assert (tmp_path / "other" / "notes.txt").read_text() == "mine"
    r = cli("site")
    assert r.code == 2


# -- the vendored assets -----------------------------------------------------------

def test_vendored_files_are_recorded_licensed_and_packaged():
    import fnmatch
    import hashlib
    import tomllib

    from conftest import ROOT

    web = ROOT / "llmkg" / "web"
    vendor = web / "static" / "vendor"
    sums = dict(reversed(line.split()) for line in (vendor / "SHA256SUMS").read_text().splitlines())
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    lock = json.loads((ROOT / "web" / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    bundles = sorted(p.name for p in vendor.iterdir() if p.suffix in (".js", ".css"))
    assert sorted(sums) == bundles and len(bundles) == 5
    for name in bundles:
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == sums[name], name
        assert name in readme, name
    for package in ("@zazuko/yasgui", "sigma", "graphology", "graphology-gexf"):
        version = lock[f"node_modules/{package}"]["version"]
        assert f"| {version} |" in readme, (package, version)  # the README names the locked version
        assert (vendor / "licences" / f"{package.split('/')[-1]}-LICENSE.txt").is_file(), package
    # every file the pages need is package data (a wheel without them would serve 404s)
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["llmkg.web"]
    for path in list((web / "static").rglob("*")) + list((web / "templates").rglob("*")):
        if path.is_file():
            rel = path.relative_to(web).as_posix()
            assert any(fnmatch.fnmatch(rel, g) and rel.count("/") == g.count("/") for g in globs), rel
