// The SPARQL page: YASQE (editor) and YASR (results) from the vendored YASGUI bundle.
(function () {
  "use strict";
  const cfg = window.llmkg;
  const examples = JSON.parse(document.getElementById("llmkg-examples").textContent);
  const endpoint = new URL(cfg.endpoint, location.href).href;
  const Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;

  // Completion from this server only: the prefix table (prefix.cc's format, at prefixes.json)
  // and variables. YASQE's class and property completers ask lov.linkeddata.es: left out — in
  // the defaults, since YASQE merges a config's arrays into the defaults' item by item.
  Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  const yasqe = new Yasqe(document.getElementById("yasqe"), {
    value: examples.length ? examples[0].text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    requestConfig: { endpoint: endpoint, method: "POST" },
    prefixCcApi: new URL(cfg.root + "prefixes.json", location.href).href,
    autocompleters: ["prefixes", "variables"],
    persistenceId: null,
    createShareableLink: null,
    consumeShareLink: null,
    resizeable: true,
    editorHeight: "22rem",
  });
  const yasr = new Yasr(document.getElementById("yasr"), {
    prefixes: cfg.prefixes,
    persistenceId: null,
    pluginOrder: ["table", "response"],
    defaultPlugin: "table",
    errorRenderers: [async (error) => {
      // Our endpoint explains itself in plain text (status + sentence): show just that.
      const div = document.createElement("div");
      div.className = "query-error";
      const text = error.text || (error.statusText || "The query failed") ;
      div.textContent = (error.status ? "HTTP " + error.status + ": " : "") + text;
      return div;
    }],
  });
  // "Simple view" on: terms without quotes, @en and ^^xsd:… (the checkbox still shows them)
  yasr.storePluginConfig("table", { compact: true });
  window.llmkgEditor = { yasqe, yasr };
  yasqe.on("queryResponse", (_y, response, duration) => yasr.setResponse(response, duration));

  // Results: IRIs in kg: link to their pages here, with their labels beside them.
  let labels = null;
  async function decorate() {
    if (!labels) {
      labels = new Map((await cfg.searchIndex()).map((r) => [cfg.kg + r.n, r]));
    }
    for (const a of document.querySelectorAll("#yasr a.iri")) {
      const href = a.getAttribute("href") || "";
      const local = cfg.entityHref(href);
      if (!local || a.dataset.llmkg) continue;
      a.dataset.llmkg = "1";
      a.href = local;
      a.removeAttribute("target");
      const r = labels.get(href);
      if (r) {
        const span = document.createElement("span");
        span.className = "result-label";
        span.innerHTML = "";
        for (const [lang, text] of [["en", r.en], ["zh", r.zh]]) {
          const s = document.createElement("span");
          s.className = lang; s.lang = lang; s.textContent = " " + text;
          span.appendChild(s);
        }
        a.after(span);
      }
    }
  }
  yasr.on("drawn", () => { decorate(); });

  const select = document.getElementById("examples"), question = document.getElementById("question");
  function showQuestion(i) {
    const q = examples[i];
    question.innerHTML = "";
    if (!q) return;
    for (const [lang, text] of [["en", q.question], ["zh", q.question_zh || q.question]]) {
      const s = document.createElement("span");
      s.className = lang; s.lang = lang; s.textContent = text;
      question.appendChild(s);
    }
  }
  select.addEventListener("change", () => { yasqe.setValue(examples[select.value].text); showQuestion(select.value); });
  showQuestion(0);
})();
