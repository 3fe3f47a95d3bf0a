"""The web pages in a real browser: Debian's Chromium, headless, driven by Playwright.

One browser for the module; every request to a host other than the test
server is refused and recorded, and so is every console error: a page that
needs the network, or throws, fails here. Expectations come from the server's
own answers (the GEXF it serves, the SPARQL results it returns).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import threading
import time
import urllib.parse

import lxml.etree
import pytest

from conftest_servers import http as request, serving
from llmkg.store.persist import open_store
from llmkg.web.site import write_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
GEXF_NODE = "{http://gexf.net/1.3}node"


@pytest.fixture(scope="module")
def store():
    with open_store() as kg:
        yield kg


@pytest.fixture(scope="module")
def server(store):
    with serving(store, workers=1) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Watched:
    """A browser page whose console errors, uncaught exceptions and requests to other hosts are kept."""

    def __init__(self, browser, origin: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 860})
        self.errors: list[str] = []
        self.outside: list[str] = []

        def route(r):
            if r.request.url.startswith(origin):
                return r.continue_()
            self.outside.append(r.request.url)
            return r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def clean(self) -> bool:
        return not self.errors and not self.outside


@pytest.fixture
def watched(browser, server):
    origin = server.url[: -len("/sparql")]
    w = Watched(browser, origin)
    w.base = origin
    yield w
    w.context.close()


def load(w, path: str, ready: str) -> float:
    """Open ``path`` and wait for ``ready`` (a CSS selector); the seconds it took."""
    start = time.perf_counter()
    w.page.goto(w.base + path)
    w.page.wait_for_selector(ready, state="attached", timeout=15_000)
    return time.perf_counter() - start


@functools.lru_cache(maxsize=None)
def gexf_nodes(url: str) -> int:
    return sum(1 for _ in lxml.etree.fromstring(request("GET", url).body).iter(GEXF_NODE))


def test_each_kind_of_page_loads_with_no_console_error_and_no_outside_request(watched):
    for path, ready in (("/", "#yasr"), ("/browse", "ul.names"), ("/id/CLIP", "article.entity"),
                        ("/id/OpenAI", "section.models"), ("/id/LargeModelCharacteristics", "section.concepts"),
                        ("/graph", "#sigma[data-nodes]"), ("/ontology", "section#LargeModel")):
        load(watched, path, ready)
        watched.page.wait_for_load_state("load")
        assert watched.clean(), (path, watched.errors, watched.outside)
    assert load(watched, "/id/GPT-4", "article.entity") <= 3.0  # bench/web_bench.py measures ≤ 1 s
    assert load(watched, "/graph", "#sigma[data-nodes]") <= 3.0
    assert watched.clean()


def test_a_query_shows_its_rows_and_a_result_opens_its_entity_page(watched, server):
    load(watched, "/", ".yasqe_queryButton")
    page = watched.page
    option = page.locator("#examples option", has_text="Models by organi").first
    page.select_option("#examples", option.get_attribute("value"))
    text = page.evaluate("window.llmkgEditor.yasqe.getValue()")
    assert text.startswith("# title: ")
    expected = request("POST", server.url, data=urllib.parse.urlencode({"query": text}),
                       headers={"Content-Type": "application/x-www-form-urlencoded",
                                "Accept": "application/sparql-results+json"}).json()
    n = len(expected["results"]["bindings"])
    page.click(".yasqe_queryButton")
    page.wait_for_selector("#yasr tbody tr", timeout=15_000)
    assert re.search(rf"\b{n} results?\b", page.locator("#yasr").inner_text())
    assert page.locator("#yasr tbody tr").count() == min(n, 50)  # YASR's first page
    # IRIs in results: prefixed names with their labels, linking to their pages here
    page.evaluate("window.llmkgEditor.yasqe.setValue('SELECT ?model ?base WHERE { ?model llmkg:basedOn ?base }')")
    page.click(".yasqe_queryButton")
    page.wait_for_selector("#yasr tbody tr a.iri[data-llmkg]", timeout=15_000)
    cell = page.locator("#yasr tbody tr a.iri[data-llmkg]").first
    assert cell.inner_text().startswith("kg:")  # a prefixed name, with its label beside it
    assert page.locator("#yasr .result-label").count() > 0
    href = cell.get_attribute("href")
    assert href.startswith("id/")
    cell.click()
    page.wait_for_selector("article.entity")
    assert page.url == watched.base + "/" + href
    assert watched.clean(), (watched.errors, watched.outside)


def test_a_syntax_error_is_shown_readably(watched):
    load(watched, "/", ".yasqe_queryButton")
    page = watched.page
    page.evaluate("window.llmkgEditor.yasqe.setValue('SELECT * WHERE { ?s ?p ?o } LIMT 3')")
    page.click(".yasqe_queryButton")
    error = page.wait_for_selector(".query-error", timeout=15_000).inner_text()
    assert "does not parse at line 1" in error and "LIMT 3" in error and "\\u{" not in error


def test_the_language_switch_is_on_every_page_and_remembered(watched):
    page = watched.page
    load(watched, "/id/QwenFamily", "article.entity")
    assert page.locator("h1 .en").is_visible() and not page.locator("h1 .zh").is_visible()
    page.click("#lang")
    assert page.locator("h1 .zh").is_visible() and not page.locator("h1 .en").is_visible()
    assert page.locator("h1 .zh").inner_text() == "通义千问系列"
    for path, ready in (("/id/QwenFamily", "article.entity"), ("/graph", "#sigma[data-nodes]"), ("/", "#yasr")):
        load(watched, path, ready)
        assert page.evaluate("document.documentElement.dataset.lang") == "zh", path
        assert page.locator("#lang").is_visible()
    page.click("#lang")
    assert page.evaluate("localStorage.getItem('llmkg-lang')") == "en"
    # the search box finds by either label
    load(watched, "/browse", "ul.names")
    page.fill("#search", "通义千问系列")
    page.locator("#search-results a").first.click()
    page.wait_for_selector("article.entity")
    assert page.url.endswith("/id/QwenFamily")
    assert watched.clean(), (watched.errors, watched.outside)


def test_the_graph_draws_every_node_of_each_view_and_a_click_opens_a_page(watched):
    page = watched.page
    load(watched, "/graph", "#sigma[data-nodes]")
    assert page.locator("#sigma canvas").count() > 0
    for view in ("taxonomy", "organisations", "lineage"):
        page.click(f"[data-view={view}]")
        page.wait_for_selector(f"#sigma[data-view={view}]")
        assert int(page.get_attribute("#sigma", "data-nodes")) == gexf_nodes(f"{watched.base}/graph/{view}.gexf")
    total = int(page.get_attribute("#sigma", "data-nodes"))
    assert int(page.get_attribute("#sigma", "data-visible")) == total
    page.fill("#time", "0")
    page.dispatch_event("#time", "input")
    assert 0 < int(page.get_attribute("#sigma", "data-visible")) < total  # replaying from the first release
    page.fill("#time", page.get_attribute("#time", "max"))
    page.dispatch_event("#time", "input")
    assert page.locator("#legend li").count() >= 1
    # a click on a node opens its page: find the node's place on the screen from sigma itself
    x, y, name = page.evaluate("""() => {
        const {graph, renderer} = window.llmkgGraph;
        const node = graph.findNode((n, a) => a.label_en === "GPT-3") || graph.nodes()[0];
        const d = renderer.getNodeDisplayData(node);
        const box = document.getElementById("sigma").getBoundingClientRect();
        const p = renderer.framedGraphToViewport(d);
        return [box.left + p.x, box.top + p.y, node.split("/").pop()];
    }""")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_url(f"**/id/{name}", timeout=10_000)
    # in the taxonomy view a class opens its section of the ontology page
    load(watched, "/graph?view=taxonomy", "#sigma[data-view=taxonomy]")
    href = page.evaluate("""() => window.llmkg.entityHref("https://w3id.org/llmkg/ontology#LargeModel")""")
    assert href == "ontology#LargeModel"
    load(watched, "/" + href, "section#LargeModel")
    assert watched.clean(), (watched.errors, watched.outside)


def test_the_static_site_works_in_the_browser_with_no_server(browser, store, server, tmp_path):
    out = tmp_path / "site"
    write_site(store, out, pages=server.pages)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    w = Watched(browser, origin)
    w.base = origin
    with contextlib.ExitStack() as stack:
        stack.callback(httpd.shutdown)
        stack.callback(w.context.close)
        load(w, "/index.html", "ul.names")
        w.page.locator("ul.names a", has_text="CLIP").first.click()
        w.page.wait_for_selector("article.entity")
        assert w.page.url.endswith("/id/CLIP.html")
        load(w, "/graph.html", "#sigma[data-nodes]")
        assert int(w.page.get_attribute("#sigma", "data-nodes")) == gexf_nodes(f"{origin}/graph/lineage.gexf")
        assert w.clean(), (w.errors, w.outside)


def test_the_editor_completes_prefixes_from_this_server(watched):
    """Typing an undeclared prefixed name adds its PREFIX line, from the server's prefixes.json."""
    load(watched, "/", ".yasqe_queryButton")
    page = watched.page
    page.evaluate("window.llmkgEditor.yasqe.setValue('SELECT * WHERE { ?m a ')")
    page.evaluate("window.llmkgEditor.yasqe.focus(); window.llmkgEditor.yasqe.setCursor({line: 0, ch: 100})")
    page.keyboard.type("llmkg:LargeModel }", delay=20)
    page.wait_for_function("window.llmkgEditor.yasqe.getValue().includes('PREFIX llmkg:')", timeout=10_000)
    assert "PREFIX llmkg: <https://w3id.org/llmkg/ontology#>" in page.evaluate("window.llmkgEditor.yasqe.getValue()")
    # and the highlighting: keywords and variables are styled tokens
    assert page.locator("#yasqe .cm-keyword").count() >= 2 and page.locator("#yasqe .cm-atom").count() >= 1
    assert watched.clean(), (watched.errors, watched.outside)


def test_the_graph_search_finds_a_node(watched):
    load(watched, "/graph", "#sigma[data-nodes]")
    page = watched.page
    page.fill("#node-search", "GPT-3")
    page.dispatch_event("#node-search", "change")
    page.wait_for_function("window.llmkgGraph && document.getElementById('node-search').value === 'GPT-3'")
    assert page.evaluate("window.llmkgGraph.graph.findNode((n, a) => a.label_en === 'GPT-3')").endswith("/GPT-3")
    assert page.evaluate("window.llmkgFound") == "https://w3id.org/llmkg/id/GPT-3"
    assert watched.clean(), (watched.errors, watched.outside)
