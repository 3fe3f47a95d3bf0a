// Every page: the language switch (remembered in localStorage) and the search box.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("llmkg-config").textContent);
  window.llmkg = config;
  const html = document.documentElement;
  config.lang = () => html.dataset.lang;
  // an entity's page, or a class's section of the ontology page (the graph's taxonomy view has both)
  config.entityHref = (iri) => iri.startsWith(config.kg)
    ? config.root + "id/" + encodeURIComponent(iri.slice(config.kg.length)) + config.ext
    : config.anchors && config.anchors[iri] ? config.root + "ontology" + config.ext + "#" + config.anchors[iri] : null;

  document.getElementById("lang").addEventListener("click", () => {
    const next = html.dataset.lang === "zh" ? "en" : "zh";
    html.dataset.lang = next;
    html.lang = next;
    localStorage.setItem("llmkg-lang", next);
    document.dispatchEvent(new CustomEvent("llmkg-lang", { detail: next }));
  });

  // The search index (every entity's name and labels) is fetched once, on first use.
  let index = null;
  config.searchIndex = () => index || (index = fetch(config.root + "search.json").then((r) => r.json()));
  const box = document.getElementById("search"), list = document.getElementById("search-results");
  const norm = (s) => (s || "").toLowerCase();
  async function show() {
    const q = norm(box.value.trim());
    list.textContent = "";
    if (!q) { list.hidden = true; return; }
    const rows = await config.searchIndex();
    const hits = [];
    for (const r of rows) {
      const names = [r.n, r.en, r.zh, ...r.alt].map(norm);
      const rank = names.some((s) => s === q) ? 0 : names.some((s) => s.startsWith(q)) ? 1
        : names.some((s) => s.includes(q)) ? 2 : -1;
      if (rank >= 0) hits.push([rank, r]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1].en.localeCompare(b[1].en));
    for (const [, r] of hits.slice(0, 12)) {
      const li = document.createElement("li"), a = document.createElement("a");
      a.href = config.root + "id/" + encodeURIComponent(r.n) + config.ext;
      a.textContent = config.lang() === "zh" ? r.zh : r.en;
      const small = document.createElement("small");
      small.textContent = " " + r.k;
      a.appendChild(small);
      li.appendChild(a);
      list.appendChild(li);
    }
    list.hidden = hits.length === 0;
  }
  box.addEventListener("input", show);
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { const a = list.querySelector("a"); if (a) location.href = a.href; }
    if (e.key === "Escape") { list.hidden = true; }
  });
  document.addEventListener("click", (e) => { if (!e.target.closest(".search")) list.hidden = true; });
})();
