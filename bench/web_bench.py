"""How fast do the web pages load, and the static site build? (issue 17's targets)

Serves the shipped data with ``llmkg serve`` (in this process, on 127.0.0.1)
and loads pages in headless Chromium (Debian's, driven by Playwright), each
in a fresh browser page with an empty cache, so the vendored scripts are
fetched every time: an entity page until its article is in the document and
the load event has fired; the graph page until sigma has drawn the view
(every node). Then times ``llmkg site`` in a fresh process, with the views'
GEXFs kept beside the store (as after any earlier serve or site) and without
(their layout computed). A page's time is the browser's own (Navigation
Timing): from the start of the navigation to the load event, or to the
moment the graph is drawn if that is later. Prints a table of medians with
the targets, and the machine's load average (this sandbox shares its two
cores with other jobs: a loaded machine slows every row). Run
from the repository root:

    .venv/bin/python bench/web_bench.py
    .venv/bin/python bench/web_bench.py --repeat 9 --screenshots docs/
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTITIES = ("GPT-4", "OpenAI", "CLIP", "Transformer", "QwenFamily")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="loads of each page (default 5)")
    ap.add_argument("--screenshots", metavar="DIR", help="also write web-query.png, web-entity.png, web-graph.png here")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from llmkg.store.persist import open_store
    from llmkg.web.serve import make_server

    rows = []
    with open_store() as kg:
        server = make_server(kg, port=0, workers=1)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = server.url[: -len("/sparql")]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])

            def timed(path: str, ready: str) -> float:
                """Seconds from the start of the navigation (the browser's clock) until the page
                has loaded and, on the graph page, sigma has drawn the view."""
                context = browser.new_context(viewport={"width": 1280, "height": 860})
                page = context.new_page()
                page.goto(base + path)
                page.wait_for_selector(ready, state="attached", timeout=30_000)
                page.wait_for_load_state("load")
                loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
                drawn = page.get_attribute("#sigma", "data-drawn-at") if "sigma" in ready else None
                context.close()
                return max(loaded, float(drawn or 0)) / 1000

            timed("/graph", "#sigma[data-nodes]")  # the views' GEXFs computed once (kept beside the store)
            for view in ("organisations", "taxonomy"):
                timed(f"/graph?view={view}", "#sigma[data-nodes]")
            entity = [timed(f"/id/{n}", "article.entity") for n in ENTITIES for _ in range(args.repeat)]
            rows.append(("an entity page (5 entities)", statistics.median(entity), max(entity), "≤ 1 s"))
            for view in ("lineage", "organisations", "taxonomy"):
                got = [timed(f"/graph?view={view}", f"#sigma[data-view={view}]") for _ in range(args.repeat)]
                rows.append((f"the graph page, {view} view", statistics.median(got), max(got), "≤ 1 s"))
            got = [timed("/", "#yasr") for _ in range(args.repeat)]
            rows.append(("the SPARQL page", statistics.median(got), max(got), "—"))
            if args.screenshots:
                shots(browser, base, Path(args.screenshots))
            browser.close()
        server.shutdown()
        views = Path(kg.path) / "views"

    import resource

    env = dict(os.environ)
    site = []
    for kept in (True, False):
        times, cpu = [], []
        for _ in range(max(1, args.repeat // 2)):
            if not kept:
                shutil.rmtree(views, ignore_errors=True)
            out = Path(tempfile.mkdtemp(prefix="llmkg-site-"))
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-m", "llmkg", "site", "-o", str(out / "site")], cwd=ROOT, env=env,
                           check=True, capture_output=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            shutil.rmtree(out)
        label = "llmkg site (views kept)" if kept else "llmkg site (views laid out anew)"
        site.append((label, statistics.median(times), max(times), "≤ 10 s"))
        # one process, one thread: its CPU seconds are what it takes on a machine nobody else uses
        site.append((label + ", CPU seconds", statistics.median(cpu), max(cpu), "≤ 10 s"))

    print(f"web pages on the shipped data — {platform.platform()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; median and worst of {args.repeat} loads "
          f"(site: of {max(1, args.repeat // 2)})\n")
    print("| what | median (s) | worst (s) | target |")
    print("|---|---|---|---|")
    for what, med, worst, target in rows + site:
        print(f"| {what} | {med:.2f} | {worst:.2f} | {target} |")
    return 0


def shots(browser, base: str, folder: Path) -> None:
    """The three pages for the README, in English."""
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(base + "/")
    page.wait_for_selector(".yasqe_queryButton")
    page.select_option("#examples", page.locator("#examples option", has_text="Models by organi").first.get_attribute("value"))
    page.click(".yasqe_queryButton")
    page.wait_for_selector("#yasr tbody tr")
    page.evaluate("window.llmkgEditor.yasqe.setValue('SELECT ?model ?base WHERE {\\n  ?model llmkg:basedOn ?base\\n}')")
    page.click(".yasqe_queryButton")
    page.wait_for_selector("#yasr a.iri[data-llmkg]")
    page.wait_for_timeout(300)
    page.screenshot(path=str(folder / "web-query.png"))
    page.goto(base + "/id/Qwen2.5-7B")
    page.wait_for_selector("article.entity")
    page.screenshot(path=str(folder / "web-entity.png"))
    page.goto(base + "/graph?view=organisations")
    page.wait_for_selector("#sigma[data-nodes]")
    page.wait_for_timeout(500)
    page.screenshot(path=str(folder / "web-graph.png"))
    context.close()


if __name__ == "__main__":
    sys.exit(main())
