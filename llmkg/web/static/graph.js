// The graph page: a view's GEXF (the file Gephi opens) drawn with sigma.js on graphology.
(function () {
  "use strict";
  const cfg = window.llmkg;
  const Graph = graphology.Graph || graphology;
  const container = document.getElementById("sigma");
  const count = document.getElementById("graph-count");
  const slider = document.getElementById("time"), timeLabel = document.getElementById("time-label");
  const play = document.getElementById("play"), search = document.getElementById("node-search");
  const names = document.getElementById("node-names"), legend = document.getElementById("legend");
  let renderer = null, graph = null, hovered = null, neighbours = null, found = null, months = [], timer = null;

  const label = (a) => (cfg.lang() === "zh" ? a.label_zh || a.label_en : a.label_en || a.label_zh) || a.label;
  const month = (d) => (d ? String(d).slice(0, 7) : null);  // 2023, 2023-03 and 2023-03-14 compare as text

  function reduceNode(node, a) {
    const r = { ...a, label: label(a) };
    const cut = months.length ? months[+slider.value] : null;
    if (cut && a.month && a.month > cut) r.hidden = true;
    if (hovered && node !== hovered && !neighbours.has(node)) { r.color = "#e6e6e6"; r.label = ""; r.zIndex = 0; }
    if (node === hovered || node === found) { r.highlighted = true; r.zIndex = 2; }
    return r;
  }
  function reduceEdge(edge, a) {
    const r = { ...a };
    if (hovered && !graph.extremities(edge).includes(hovered)) r.hidden = true;
    const cut = months.length ? months[+slider.value] : null;
    if (cut) {
      for (const n of graph.extremities(edge)) {
        const m = graph.getNodeAttribute(n, "month");
        if (m && m > cut) r.hidden = true;
      }
    }
    return r;
  }

  function drawLegend() {
    const kinds = new Map();
    graph.forEachNode((_n, a) => { if (!kinds.has(a.kind)) kinds.set(a.kind, [a.color, 0]); kinds.get(a.kind)[1]++; });
    legend.textContent = "";
    const h = document.createElement("h3");
    h.innerHTML = '<span class="en" lang="en">Kind (colour)</span><span class="zh" lang="zh">类型（颜色）</span>';
    legend.appendChild(h);
    const ul = document.createElement("ul");
    for (const [kind, [color, n]] of [...kinds].sort((a, b) => b[1][1] - a[1][1])) {
      const li = document.createElement("li"), dot = document.createElement("span");
      dot.className = "dot"; dot.style.background = color;
      li.appendChild(dot);
      li.appendChild(document.createTextNode(" " + kind + " (" + n + ")"));
      ul.appendChild(li);
    }
    legend.appendChild(ul);
    const p = document.createElement("p");
    p.innerHTML = '<span class="en" lang="en">Size: degree, or parameter count for a model.</span>' +
      '<span class="zh" lang="zh">大小：度数，模型则按参数量。</span>';
    legend.appendChild(p);
  }

  function setupTime() {
    months = [...new Set(graph.mapNodes((_n, a) => a.month).filter(Boolean))].sort();
    slider.max = Math.max(months.length - 1, 0);
    slider.value = slider.max;
    slider.disabled = months.length === 0;
    showTime();
  }
  function showTime() {
    timeLabel.textContent = months.length ? "≤ " + months[+slider.value] : "";
    const cut = months.length ? months[+slider.value] : null;
    container.dataset.visible = graph.filterNodes((_n, a) => !cut || !a.month || a.month <= cut).length;
    if (renderer) renderer.refresh();
  }
  slider.addEventListener("input", showTime);
  play.addEventListener("click", () => {
    if (timer) { clearInterval(timer); timer = null; play.textContent = "▶"; return; }
    if (+slider.value >= months.length - 1) slider.value = 0;
    play.textContent = "❚❚";
    timer = setInterval(() => {
      if (+slider.value >= months.length - 1) { clearInterval(timer); timer = null; play.textContent = "▶"; return; }
      slider.value = +slider.value + 1;
      showTime();
    }, 120);
  });

  async function load(view) {
    if (timer) play.click();
    const t = [performance.now()];
    // the first view's file was asked for by the page's head, while the scripts loaded
    const early = window.llmkgFirstGexf;
    window.llmkgFirstGexf = null;
    const response = await (early && early.view === view ? early.response : fetch(cfg.root + "graph/" + view + ".gexf"));
    if (!response.ok) throw new Error("could not load the " + view + " view: HTTP " + response.status);
    const xml = await response.text();
    t.push(performance.now());
    graph = graphologyGexf.parse(Graph, xml);
    t.push(performance.now());
    graph.forEachNode((n, a) => {
      graph.mergeNodeAttributes(n, { size: 2 + (a.size || 6) / 5, month: month(a.release_date) });
    });
    graph.forEachEdge((e) => graph.setEdgeAttribute(e, "size", 0.6));
    if (renderer) renderer.kill();
    hovered = null; found = null;
    renderer = new Sigma(graph, container, {
      nodeReducer: reduceNode, edgeReducer: reduceEdge, defaultEdgeType: "arrow",
      renderEdgeLabels: false, labelRenderedSizeThreshold: 8, zIndex: true,
    });
    t.push(performance.now());
    renderer.on("enterNode", ({ node }) => { hovered = node; neighbours = new Set(graph.neighbors(node)); renderer.refresh(); });
    renderer.on("leaveNode", () => { hovered = null; neighbours = null; renderer.refresh(); });
    renderer.on("clickNode", ({ node }) => { const href = cfg.entityHref(node); if (href) location.href = href; });
    for (const b of document.querySelectorAll("[data-view]")) b.classList.toggle("active", b.dataset.view === view);
    names.textContent = "";
    graph.forEachNode((_n, a) => {
      for (const text of new Set([a.label_en, a.label_zh].filter(Boolean))) {
        const o = document.createElement("option"); o.value = text; names.appendChild(o);
      }
    });
    setupTime();
    drawLegend();
    count.textContent = graph.order + " nodes · " + graph.size + " edges";
    container.dataset.view = view;
    container.dataset.nodes = graph.order;
    container.dataset.edges = graph.size;
    t.push(performance.now());
    container.dataset.drawnAt = Math.round(performance.now());  // ms since the navigation started
    window.llmkgGraph = { view, graph, renderer, timings: t };
    document.dispatchEvent(new CustomEvent("llmkg-graph", { detail: view }));
  }

  search.addEventListener("change", () => {
    const q = search.value.trim().toLowerCase();
    found = graph.findNode((_n, a) => [a.label_en, a.label_zh, a.label].some((s) => (s || "").toLowerCase() === q)) || null;
    window.llmkgFound = found;
    if (found) {
      const d = renderer.getNodeDisplayData(found);
      renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.3 }, { duration: 500 });
    }
    renderer.refresh();
  });
  document.addEventListener("llmkg-lang", () => { if (renderer) renderer.refresh(); });
  for (const b of document.querySelectorAll("[data-view]")) {
    b.addEventListener("click", () => {
      const url = new URL(location.href);
      url.searchParams.set("view", b.dataset.view);
      history.replaceState(null, "", url);
      load(b.dataset.view);
    });
  }
  const asked = new URLSearchParams(location.search).get("view");
  load(cfg.views.includes(asked) ? asked : cfg.views[0]);
})();
