"""Pictures of the graph without a screen: an overview PNG of a networkx view
and a timeline PNG of model releases.

Everything is drawn on a matplotlib ``Figure`` with the Agg canvas directly
(no pyplot, so no global backend switch and nothing for a display server to
do). The PNGs are written without matplotlib's version stamp, so the same
graph gives the same bytes with the same matplotlib.
"""
from __future__ import annotations

import datetime
import functools
import math
import re
from collections import Counter, defaultdict
from operator import itemgetter
from pathlib import Path

import networkx as nx
from matplotlib import font_manager, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from rdflib import RDF

from llmkg.exports import appearance, network
from llmkg.exports.appearance import KIND_COLOURS, kind_colour
from llmkg.exports.network import LLMKG, StoreFacts, date_start

__all__ = ["render_overview", "draw_overview", "render_timeline", "timeline_models", "render_all", "content_digest",
           "read_digest", "picture_digests", "DIGEST_KEY", "LABEL_ALL", "OVERVIEW_FILE", "TIMELINE_FILE"]

_PNG_METADATA = {"Software": None}
_HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]

# Fonts that can draw Chinese, in order of preference. If none is installed,
# labels stay English (label_en) and Chinese-only labels fall back to the IRI's
# local name rather than showing empty boxes.
_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN")


@functools.cache  # the installed fonts do not change while llmkg runs; every label asks
def _cjk_font() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in _CJK_FONTS if n in names), None)


def _fonts() -> list[str]:
    cjk = _cjk_font()
    return ["DejaVu Sans"] + ([cjk] if cjk else [])


_CJK_TEXT = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _drawable(text: str, fallback: str) -> str:
    if _cjk_font() is None and _CJK_TEXT.search(text):
        return fallback
    return text


def _local(iri: str) -> str:
    """The IRI's last part, after its last ``#`` or ``/`` (the whole IRI if that part is empty)."""
    iri = str(iri)
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1:] or iri


#: The files :func:`render_all` writes into its folder.
OVERVIEW_FILE, TIMELINE_FILE = "llmkg-overview.png", "llmkg-timeline.png"

#: The PNG text chunk that records what a picture shows (see :func:`content_digest`).
DIGEST_KEY = "llmkg-content"


def _save(fig: Figure, path, *, digest: str | None = None) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", metadata=_metadata(digest), facecolor=fig.get_facecolor())


def _metadata(digest: str | None) -> dict:
    return dict(_PNG_METADATA, **({DIGEST_KEY: digest} if digest else {}))


def content_digest(g: nx.DiGraph | None = None, models: list[dict] | None = None) -> str:
    """What a picture shows, in one line that does not depend on the machine drawing it:
    the counts and a SHA-256 of the nodes (id, label, kind, parameters), the edges (ends,
    inferred) — or the timeline's models (id, label, date, organisations, kind, parameters).
    Kept in the PNG (:data:`DIGEST_KEY`), so a test can tell a committed picture from the data
    without comparing pixels, which differ between machines."""
    import hashlib
    import json

    # Sorted by node id, by (source, target) and by model IRI, which are unique: the order of
    # sorting the whole rows, without comparing lists (a third of the time at 100,000 models)
    if g is not None:
        nodes = sorted(([str(n), d.get("label_en") or d.get("label") or "", d.get("kind", ""),
                         d.get("log10_parameters")] for n, d in g.nodes(data=True)), key=itemgetter(0))
        edges = sorted(([str(u), str(v), bool(d.get("inferred"))] for u, v, d in g.edges(data=True)),
                       key=itemgetter(0, 1))
        body, head = [g.graph.get("view", ""), nodes, edges], f"nodes={len(nodes)} edges={len(edges)}"
    else:
        body = sorted(([str(m["iri"]), m["label"], m["date"].isoformat(), sorted(m["orgs"]), m["class"][0],
                        m["params"]] for m in models or ()), key=itemgetter(0))
        head = f"models={len(body)}"
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return f"{head} sha256={hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def read_digest(path) -> str | None:
    """The :func:`content_digest` a PNG written here records (None if it records none)."""
    from PIL import Image

    with Image.open(path) as img:
        return img.text.get(DIGEST_KEY)


def _overlaps(box, boxes) -> bool:
    return any(box.overlaps(b) for b in boxes)


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------

def _kind_legend(fig: Figure, counts: Counter, dashed: bool, sizes: "_Sizes | None" = None) -> None:
    """The overview's legend: one marker per kind (fixed palette order first) with its count,
    then what a node's size means, with reference sizes."""
    kinds = [k for k in KIND_COLOURS if k in counts] + sorted(k for k in counts if k not in KIND_COLOURS)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=kind_colour(k),
                      markeredgecolor="white", label=f"{k} ({counts[k]})") for k in kinds]
    if dashed:
        handles.append(Line2D([], [], color="#c06060", linestyle=(0, (3, 2)), label="inferred edge"))
    # a figure keeps every legend it is given: the size legend goes below this one
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.79, 0.93), frameon=False,
               title="kind", alignment="left", title_fontsize=11, prop={"family": _fonts(), "size": 10})
    if sizes is None:
        return
    marks = [Line2D([], [], marker="o", linestyle="", markersize=2 * r, markerfacecolor="#bbbbbb",
                    markeredgecolor="white", label=text) for text, r in sizes.examples]
    fig.legend(handles=marks, loc="upper left", bbox_to_anchor=(0.79, 0.93 - 0.028 * (len(handles) + 2)),
               frameon=False, title=f"size: {sizes.meaning}", alignment="left", title_fontsize=10,
               labelspacing=1.1, prop={"family": _fonts(), "size": 9})


class _Sizes:
    """What a node's size means in one picture — one thing for every node: its parameter count
    where the picture has any (nodes without one, organisations, sources … drawn at the smallest
    size), its degree in the view otherwise. ``radius`` is in points."""

    def __init__(self, g: nx.DiGraph):
        params = {n: d.get("log10_parameters") for n, d in g.nodes(data=True)}
        self.by_parameters = any(v is not None for v in params.values())
        if self.by_parameters:
            self.meaning = "parameter count\n(smallest: none recorded)"
            self.radius = {n: self.of_parameters(v) for n, v in params.items()}
            self.examples = [(t, self.of_parameters(v)) for t, v in (("1B", 9), ("10B", 10), ("100B", 11),
                                                                     ("1T", 12))]
        else:
            self.meaning = "links in this view"
            self.radius = {n: self.of_degree(k) for n, k in g.degree()}
            top = max((k for _, k in g.degree()), default=1)
            self.examples = [(str(k), self.of_degree(k)) for k in sorted({1, max(1, top // 4), top})]

    @staticmethod
    def of_parameters(log10: float | None) -> float:
        return 2.5 if log10 is None else 2.5 + 2.2 * max(0.0, float(log10) - 8.0)

    @staticmethod
    def of_degree(degree: int) -> float:
        return 2.5 + 1.3 * math.sqrt(degree)


#: Views up to this many nodes get every node labelled (the picture grows to make room);
#: bigger ones get their ``max_labels`` biggest nodes labelled.
LABEL_ALL = 500


def _overview_figure(n: int, width: float = 14.0) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, width * 11 / 14), dpi=120, facecolor="white")
    FigureCanvasAgg(fig)  # text extents as the PNG will have them
    fig.set_layout_engine("none")
    ax = fig.add_axes((0.01, 0.02, 0.77, 0.91))
    ax.set_axis_off()
    return fig, ax


def render_overview(g: nx.DiGraph, path, *, title: str | None = None, max_labels: int = 60,
                    max_edges: int = 20000) -> None:
    """Draw ``g`` at its precomputed positions: nodes coloured by kind and sized by one measure
    (:class:`_Sizes`, said in the legend), edges in light grey (inferred ones dashed), labels
    placed where they hide no other label nor node (every node's in a view of up to
    :data:`LABEL_ALL` nodes, with a leader line when moved off its node), and a legend of the
    kinds present with their counts. The PNG records what it shows (:func:`content_digest`)."""
    fig = draw_overview(g, title=title, max_labels=max_labels, max_edges=max_edges)
    save = _save_large if g.number_of_nodes() > appearance.LARGE_GRAPH else _save
    save(fig, path, digest=content_digest(g))


def draw_overview(g: nx.DiGraph, *, title: str | None = None, max_labels: int = 60,
                  max_edges: int = 20000) -> Figure:
    """The figure :func:`render_overview` saves (tests read its labels)."""
    if g.number_of_nodes() and not all("x" in d and "color" in d for _, d in g.nodes(data=True)):
        g = g.copy()
        appearance.decorate(g)
    n = g.number_of_nodes()
    # room for every label: the page grows with the number of nodes labelled
    labelled = n if n <= LABEL_ALL else min(n, max_labels)
    width = min(26.0, max(14.0, 14.0 * math.sqrt(labelled / 150)))
    for attempt in range(4):
        fig, ax = _overview_figure(n, width)
        missing = _draw_overview(fig, ax, g, title=title, max_labels=max_labels, max_edges=max_edges)
        if not missing or n > LABEL_ALL:
            return fig
        width *= 1.15  # a label found no free place: try again on a bigger page
    raise RuntimeError(f"no room for the labels of {', '.join(missing[:5])} …")  # not met on views of ≤ LABEL_ALL


def _draw_overview(fig, ax, g, *, title, max_labels, max_edges) -> list:
    """Draw ``g`` on ``fig``; return the labels that found no free place."""
    view = g.graph.get("view", "")
    heading = title or (f"llmkg — {view} view" if view else "llmkg")
    top_in = fig.get_size_inches()[1]
    fig.text(0.01, 1 - 0.42 / top_in, heading, fontsize=18, fontweight="bold", family=_fonts())
    if g.number_of_nodes() > appearance.LARGE_GRAPH:
        max_edges = min(max_edges, _LARGE_OVERVIEW_EDGES)
    drawn = "" if g.number_of_edges() <= max_edges else f" ({max_edges} drawn)"
    sizes = _Sizes(g)
    meaning = sizes.meaning.split("\n")[0]
    fig.text(0.01, 1 - 0.72 / top_in, f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges{drawn} · "
             f"size: {meaning} · ForceAtlas2 layout", fontsize=10, color="#555555", family=_fonts())
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "(empty graph)", ha="center", va="center", transform=ax.transAxes,
                fontsize=14, color="#777777")
        return []

    if g.number_of_nodes() > appearance.LARGE_GRAPH:
        _draw_overview_large(fig, ax, g, max_labels=max_labels, max_edges=max_edges)
        return []

    nodes = sorted(g.nodes, key=str)
    pos = {n: (float(g.nodes[n]["x"]), float(g.nodes[n]["y"])) for n in nodes}
    xs_all = [p[0] for p in pos.values()]
    ys_all = [p[1] for p in pos.values()]
    # Fit the layout to the axes with equal units on both axes, computed by
    # hand (not set_aspect, which moves the limits at draw time).
    fig_w, fig_h = fig.get_size_inches()
    box = ax.get_position()
    width_pt, height_pt = box.width * fig_w * 72, box.height * fig_h * 72
    span_x = max(max(xs_all) - min(xs_all), 1.0)
    span_y = max(max(ys_all) - min(ys_all), 1.0)
    units_per_pt = 1.08 * max(span_x / width_pt, span_y / height_pt)
    cx, cy = (max(xs_all) + min(xs_all)) / 2, (max(ys_all) + min(ys_all)) / 2
    ax.set_xlim(cx - units_per_pt * width_pt / 2, cx + units_per_pt * width_pt / 2)
    ax.set_ylim(cy - units_per_pt * height_pt / 2, cy + units_per_pt * height_pt / 2)

    edges = sorted(g.edges, key=lambda e: (str(e[0]), str(e[1])))
    if len(edges) > max_edges:
        # Beyond a few ten thousand segments the edges are a grey haze that
        # costs seconds to draw: draw an even, deterministic sample.
        step = len(edges) / max_edges
        edges = [edges[int(i * step)] for i in range(max_edges)]
    solid = [(pos[u], pos[v]) for u, v in edges if not g.edges[u, v].get("inferred")]
    dashed = [(pos[u], pos[v]) for u, v in edges if g.edges[u, v].get("inferred")]
    if solid:
        ax.add_collection(LineCollection(solid, colors="#9a9a9a", linewidths=0.5, alpha=0.4, zorder=1))
    if dashed:
        ax.add_collection(LineCollection(dashed, colors="#c06060", linewidths=0.6, alpha=0.55,
                                         linestyles=(0, (3, 2)), zorder=1))

    # Big nodes drawn last, on top.
    order = sorted(nodes, key=lambda n: (sizes.radius[n], str(n)))
    xs = [pos[n][0] for n in order]
    ys = [pos[n][1] for n in order]
    colours = [g.nodes[n].get("color", kind_colour(g.nodes[n].get("kind", "other"))) for n in order]
    dots = ax.scatter(xs, ys, s=[(2 * sizes.radius[n]) ** 2 for n in order], c=colours, edgecolors="white",
                      linewidths=0.5, zorder=2)

    # Labels, biggest nodes first: textalloc tries candidate places around each node and keeps
    # the first that overlaps no label already placed, no node and stays in the picture.
    ranked = sorted(nodes, key=lambda n: (-sizes.radius[n], -g.degree(n), str(n)))
    if len(nodes) > LABEL_ALL:
        ranked = ranked[:max_labels]
    texts = []
    for n in ranked:
        d = g.nodes[n]
        text = _drawable(d.get("label_en") or d.get("label") or _local(n), _local(n))
        texts.append(text if len(text) <= 28 else text[:27] + "…")
    missing = _place_labels(ax, [pos[n][0] for n in ranked], [pos[n][1] for n in ranked], texts, dots,
                            fontsize=7.5)
    counts = Counter(g.nodes[n].get("kind", "other") for n in nodes)
    _kind_legend(fig, counts, dashed, sizes)
    return missing


def _place_labels(ax, xs, ys, texts, dots, *, fontsize: float, max_distance: float = 0.25,
                  obstacles=None) -> list:
    """Label the points (xs[i], ys[i]) with texts[i], in that order of priority, where a
    label overlaps no other label and no point of ``dots``; a label set off its point gets a
    thin leader line. Returns the texts that found no free place (not drawn). textalloc
    (PyPI) does the search: ~2 s for the 277 labels of the shipped lineage view, none
    overlapping, where adjustText left 82 overlapping pairs after 19 s."""
    import textalloc

    if not texts:
        return []
    xy = dots.get_offsets()
    extra = {} if obstacles is None else {"x_lines": obstacles[0], "y_lines": obstacles[1]}
    before = len(ax.texts)
    textalloc.allocate(ax, list(xs), list(ys), list(texts), x_scatter=xy[:, 0], y_scatter=xy[:, 1],
                       scatter_plot=dots, textsize=fontsize, draw_all=False, max_distance=max_distance,
                       linecolor="#888888", linewidth=0.4, textcolor="#222222", nbr_candidates=200,
                       margin=0.004, min_distance=0.006, family=_fonts(), path_effects=_HALO, zorder=4,
                       plot_kwargs={"zorder": 1.5}, **extra)
    drawn = Counter(t.get_text() for t in ax.texts[before:])
    missing = []
    for t in texts:
        if drawn[t]:
            drawn[t] -= 1
        else:
            missing.append(t)
    return missing


#: Edges drawn on the overview of a graph above appearance.LARGE_GRAPH nodes
#: (an even sample): past this the edges are a grey haze anyway.
_LARGE_OVERVIEW_EDGES = 6000


def _draw_overview_large(fig, ax, g, *, max_labels: int, max_edges: int) -> None:
    """The body of :func:`render_overview` for a large graph, in bulk: the
    same picture elements (sampled edges, every node, the biggest labels, the
    legend), with arrays instead of per-node artists and label boxes
    estimated by arithmetic instead of laid out one by one."""
    import numpy as np

    nodes = sorted(g.nodes, key=str)
    index = {n: i for i, n in enumerate(nodes)}
    data = [g.nodes[n] for n in nodes]
    xy = np.array([(float(d["x"]), float(d["y"])) for d in data])
    sizes = _Sizes(g)
    size = np.array([sizes.radius[n] for n in nodes])  # radius in points
    fig_w, fig_h = fig.get_size_inches()
    box = ax.get_position()
    width_pt, height_pt = box.width * fig_w * 72, box.height * fig_h * 72
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span_x, span_y = max(float(hi[0] - lo[0]), 1.0), max(float(hi[1] - lo[1]), 1.0)
    units_per_pt = 1.08 * max(span_x / width_pt, span_y / height_pt)
    cx, cy = float(hi[0] + lo[0]) / 2, float(hi[1] + lo[1]) / 2
    ax.set_xlim(cx - units_per_pt * width_pt / 2, cx + units_per_pt * width_pt / 2)
    ax.set_ylim(cy - units_per_pt * height_pt / 2, cy + units_per_pt * height_pt / 2)

    m = g.number_of_edges()
    step = max(1.0, m / max_edges)
    wanted = np.array(sorted({int(i * step) for i in range(min(m, max_edges))}), dtype=np.int64)
    # the edges sorted by (source, target) – node indices follow the sorted
    # node ids – and the even sample of them, on arrays
    tails = np.fromiter((index[u] for u in (e[0] for e in g.edges)), dtype=np.int64, count=m)
    heads = np.fromiter((index[v] for v in (e[1] for e in g.edges)), dtype=np.int64, count=m)
    flags = np.fromiter((bool(f) for _, _, f in g.edges(data="inferred")), dtype=bool, count=m)
    picked = np.lexsort((heads, tails))[wanted] if m else wanted
    for inferred, style in ((False, dict(colors="#9a9a9a", linewidths=0.5, alpha=0.4)),
                            (True, dict(colors="#c06060", linewidths=0.6, alpha=0.55, linestyles=(0, (3, 2))))):
        chosen = picked[flags[picked] == inferred]
        if len(chosen):
            ax.add_collection(LineCollection(np.stack((xy[tails[chosen]], xy[heads[chosen]]), axis=1),
                                             zorder=1, **style))
    dashed = bool(flags[picked].any())

    order = np.lexsort((np.arange(len(nodes)), size))  # small first; ties by node id
    radius_pt = size
    colours = [d.get("color", kind_colour(d.get("kind", "other"))) for d in data]
    _markers(ax, xy[order, 0], xy[order, 1], np.maximum(4.0, 2 * radius_pt[order]),
             [colours[i] for i in order], edge_width=0.5, zorder=2)

    degree = dict(g.degree())
    ranked = sorted(range(len(nodes)), key=lambda i: (-size[i], -degree[nodes[i]], nodes[i]))
    frame = ax.get_window_extent()
    px = fig.dpi / 72.0
    points = ax.transData.transform(xy[ranked[: max_labels * 3]])
    placed: list = []
    for i, (x, y) in zip(ranked, points):
        if len(placed) >= max_labels:
            break
        d, n = data[i], nodes[i]
        text = _drawable(d.get("label_en") or d.get("label") or _local(n), _local(n))
        if len(text) > 28:
            text = text[:27] + "…"
        big = size[i] >= 8
        fontsize = 9 if big else 7.5
        w, h = _text_box(text, fontsize * px)
        r = max(2.0, float(radius_pt[i]))
        y0 = y + (r + 1) * px
        x0 = x - w / 2
        ha = "center"
        if x0 < frame.x0:
            x0, ha = x, "left"
        elif x0 + w > frame.x1:
            x0, ha = x - w, "right"
        b = (x0 - 0.025 * w, y0 - 0.05 * h, x0 + 1.025 * w, y0 + 1.05 * h)
        if b[0] < frame.x0 or b[2] > frame.x1 or b[3] > frame.y1 \
                or any(b[0] < c[2] and c[0] < b[2] and b[1] < c[3] and c[1] < b[3] for c in placed):
            continue
        placed.append(b)
        ax.annotate(text, (float(xy[i, 0]), float(xy[i, 1])), xytext=(0, r + 1), textcoords="offset points",
                    fontsize=fontsize, fontweight="bold" if big else "normal", ha=ha, va="bottom",
                    family=_fonts(), color="#222222", zorder=3, path_effects=_HALO, annotation_clip=True)

    counts = Counter(d.get("kind", "other") for d in data)
    _kind_legend(fig, counts, dashed, sizes)


# ---------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------

# Colours for the model classes on the timeline; the first match (most
# specific first) wins.
_MODEL_CLASSES = (
    (LLMKG.VerticalModel, "vertical model (L2)", "#8c564b"),
    (LLMKG.IndustryModel, "industry model (L1)", "#bcbd22"),
    (LLMKG.DecisionModel, "decision model", "#ff7f0e"),
    (LLMKG.MultimodalModel, "multimodal model", "#9467bd"),
    (LLMKG.VisionModel, "vision model", "#2ca02c"),
    (LLMKG.LargeLanguageModel, "large language model", "#1f77b4"),
    (LLMKG.LargeModel, "other large model", "#17becf"),
    (LLMKG.SmallModel, "small model", "#e377c2"),
    (LLMKG.MachineLearningModel, "other model", "#7f7f7f"),
)
_MAX_ROWS = 28
_UNKNOWN = "(developer not recorded)"
_OTHER = "other organisations"


def _time_scale(dates: list[datetime.date]):
    """A piecewise-linear time axis. Model history has a long, sparse past
    (a 1980 neocognitron, a 1998 LeNet) and a crowded present; on a linear
    axis the present collapses into a sliver. When the earliest release lies
    more than 8 years before the 10th percentile, the years before that
    "knee" are squeezed into about a sixth of the width. Returns
    (forward, inverse, knee or None) on matplotlib date numbers."""
    import matplotlib.dates as mdates
    import numpy as np

    if len(dates) > _MAX_TIMELINE_LABELS:  # the same whole-day numbers, in one call
        ordered = sorted(dates)
        nums = mdates.date2num(np.array(ordered, dtype="datetime64[D]")).tolist()
    else:
        nums = sorted(mdates.date2num(d) for d in dates)
        ordered = sorted(dates)
    first, last = nums[0], nums[-1]
    knee_date = datetime.date(ordered[len(dates) // 10].year, 1, 1)
    knee = mdates.date2num(knee_date)
    if knee - first < 8 * 365.25:
        return (lambda x: x), (lambda x: x), None
    recent = max(last - knee, 365.0)
    factor = (knee - first) / (0.2 * recent)  # past gets 0.2/1.2 of the width
    factor = max(factor, 1.0)

    def forward(x):
        x = np.asarray(x, dtype=float)
        return np.where(x < knee, knee - (knee - x) / factor, x)

    def inverse(y):
        y = np.asarray(y, dtype=float)
        return np.where(y < knee, knee - (knee - y) * factor, y)

    return forward, inverse, knee_date


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def render_timeline(loaded, path, *, title: str | None = None, facts: StoreFacts | None = None,
                    models: list[dict] | None = None) -> None:
    """Models with an ``llmkg:releaseDate`` on a time axis, one row per
    developing organisation (the busiest ones; the rest share a row), each
    point labelled with the model's English label, coloured by its kind of
    model and sized by parameter count when known. A model built by several
    organisations appears in each of their rows. Labels take the first free
    slot above or below their point (two levels each side) and collide with
    nothing already drawn where that can be helped. ``loaded`` is a
    :class:`llmkg.store.load.GraphStore`; ``facts``, a :class:`StoreFacts` of
    it, reuses what the network already read; ``models``, :func:`timeline_models`'s
    answer for ``loaded`` when it was read already (the build reads it before it forks)."""
    _draw_timeline(timeline_models(loaded, facts) if models is None else models, path, title=title)


#: Above this many models only the biggest (then earliest) get a label: the
#: collision search is quadratic, and 100,000 labels are no picture anyway.
_MAX_TIMELINE_LABELS = 500


def _draw_timeline(models: list[dict], path, *, title: str | None = None) -> None:
    import matplotlib.dates as mdates

    labelled = None
    if len(models) > _MAX_TIMELINE_LABELS:  # drawn by _draw_timeline_rows_large
        labelled = True
    rows: dict = defaultdict(list)
    for m in models:
        for o in m["orgs"]:
            rows[o].append(m)
    # Busiest organisations get rows of their own, ordered by first release.
    ranked = sorted(rows, key=lambda o: (o == _UNKNOWN, -len(rows[o]), o))
    own = ranked[: _MAX_ROWS - 1] if len(ranked) > _MAX_ROWS else ranked
    # The shared row holds each model once, and none already on a row of its own.
    shown = {m["iri"] for o in own for m in rows[o]}
    merged = {m["iri"]: m for o in ranked if o not in own for m in rows[o] if m["iri"] not in shown}
    order = sorted(own, key=lambda o: (o == _UNKNOWN, min(m["date"] for m in rows[o]), o))
    if merged:
        rows[_OTHER] = sorted(merged.values(), key=lambda m: (m["date"], m["iri"]))
        order.append(_OTHER)

    fig_w = 17.0 if labelled is not None else 20.0
    offsets: dict = {}
    if models:
        dates = [m["date"] for m in models]
        forward, inverse, knee = _time_scale(dates)
        lo, hi = min(dates), max(dates)
        f_lo, f_hi = float(forward(mdates.date2num(lo))), float(forward(mdates.date2num(hi)))
        pad = max(f_hi - f_lo, 365.0)
        xlim = (float(inverse(f_lo - 0.03 * pad)), float(inverse(f_hi + 0.13 * pad)))
    if labelled is None and models:
        # Rows as tall as their points need: points that would overlap are stacked apart
        # (a beeswarm within the row), so none hides another.
        scale = 0.68 * fig_w * 72 / (float(forward(xlim[1])) - float(forward(xlim[0])))
        offsets, bands = _dodge(rows, order, lambda d: float(forward(mdates.date2num(d))) * scale)
        y_of, y = {}, 0.0
        for o in reversed(order):
            y_of[o] = y + bands[o] / 2
            y += bands[o]
        ylim, plot_in = (0.0, y), y / 72
    else:
        y_of = {o: i for i, o in enumerate(reversed(order))}
        ylim, plot_in = (-0.75, len(order) - 0.25), 0.5 * len(order)
    height = max(4.0, 1.6 + plot_in)
    fig = Figure(figsize=(fig_w, height), dpi=120, facecolor="white")
    FigureCanvasAgg(fig)
    fig.set_layout_engine("none")
    top = 1 - 1.0 / height
    bottom = 0.6 / height
    ax = fig.add_axes((0.19, bottom, 0.68, top - bottom))
    fig.text(0.01, 1 - 0.38 / height, title or "llmkg — model releases by organisation",
             fontsize=16, fontweight="bold", family=_fonts())
    fig.text(0.01, 1 - 0.66 / height, f"{len(models)} models with a release date · "
             "colour: kind of model · point size: parameter count (when known)",
             fontsize=10, color="#555555", family=_fonts())
    if not models:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "(no models with a release date)", ha="center", va="center",
                transform=ax.transAxes, fontsize=14, color="#777777")
        _save(fig, path)
        return

    if knee is not None:
        ax.set_xscale("function", functions=(forward, inverse))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_yticks([y_of[o] for o in reversed(order)])
    ax.set_yticklabels([f"{_short(o, 38)} ({len(rows[o])})" for o in reversed(order)],
                       fontsize=9, family=_fonts())
    for o in order:
        ax.axhline(y_of[o], color="#eeeeee", linewidth=0.8, zorder=0)

    # Year ticks: every year after the knee (every 2nd/5th if crowded),
    # every decade before it.
    first_year, last_year = lo.year, hi.year + 1
    start_dense = knee.year if knee else first_year
    dense_span = last_year - start_dense
    step = 1 if dense_span <= 14 else 2 if dense_span <= 28 else 5
    years = list(range(start_dense - start_dense % step, last_year + 1, step))
    if knee:
        years = list(range((first_year // 10) * 10 + 10, knee.year - 4, 10)) + years
        ax.axvspan(ax.get_xlim()[0], mdates.date2num(knee), color="#f4f4f4", zorder=0, linewidth=0)
        ax.text(mdates.date2num(knee), 1.0, "  compressed scale ←", fontsize=8, color="#888888",
                ha="right", va="top", family=_fonts(), transform=ax.get_xaxis_transform())
    left, right = ax.get_xlim()
    width = float(forward(right)) - float(forward(left))
    ticks = []
    for t in sorted({mdates.date2num(datetime.date(y, 1, 1)) for y in years}, reverse=True):
        # newest first, so the dense years win over a crowding decade tick
        if left <= t <= right and all(abs(float(forward(t)) - float(forward(u))) > 0.035 * width
                                      for u in ticks):
            ticks.append(t)
    ticks.sort()
    ax.set_xticks(ticks)
    ax.set_xticklabels([mdates.num2date(t).strftime("%Y") for t in ticks], fontsize=9)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)

    if labelled is not None:
        _draw_timeline_rows_large(fig, ax, models, rows, order, y_of)
        order = ()  # drawn
    xs, ys, texts, priority, colours, areas = [], [], [], [], [], []
    for org in order:
        items = sorted(rows[org], key=lambda m: (m["date"], m["label"]))
        row = [mdates.date2num(m["date"]) for m in items]
        if len(row) > 1:
            ax.plot(row, [y_of[org]] * len(row), color="#cccccc", linewidth=0.8, zorder=1)
        for x, m in zip(row, items):
            xs.append(x)
            ys.append(y_of[org] + offsets.get((org, m["iri"]), 0.0))
            texts.append(_short(m["label"], 34))
            priority.append((-(m["params"] or 0), m["date"], m["label"]))
            colours.append(m["class"][1])
            areas.append(_point_size(m))
    if xs:
        dots = ax.scatter(xs, ys, s=areas, c=colours, edgecolors="white", linewidths=0.7, zorder=3)
        ranked = sorted(range(len(xs)), key=lambda i: priority[i])  # big models get the nearest places
        _place_labels(ax, [xs[i] for i in ranked], [ys[i] for i in ranked], [texts[i] for i in ranked], dots,
                      fontsize=7, max_distance=0.12)

    present = []
    classes_present = {m["class"][0] for m in models}
    for _, lab, col in _MODEL_CLASSES:
        if lab in classes_present and lab not in [p[0] for p in present]:
            present.append((lab, col))
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=col,
                      markeredgecolor="white", label=lab) for lab, col in present]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.875, top), frameon=False,
               title="kind of model", alignment="left", title_fontsize=10,
               prop={"family": _fonts(), "size": 9})
    (_save if labelled is None else _save_large)(fig, path, digest=content_digest(models=models))


#: Labels drawn on a large timeline (more than _MAX_TIMELINE_LABELS models).
_LARGE_TIMELINE_LABELS = 80


def _draw_timeline_rows_large(fig, ax, models, rows, order, y_of) -> None:
    """The points and labels of a timeline with many models, drawn in bulk:
    one line collection for the rows, one scatter for every point (in row
    order, each row by date), and labels for the biggest (then earliest)
    models only, placed by arithmetic on estimated text boxes (the first of
    four slots around the point that collides with no label already placed;
    a label that fits nowhere is left out)."""
    import matplotlib.dates as mdates
    import numpy as np

    xs, ys, sizes, colours, segments = [], [], [], [], []
    for org in order:
        y = y_of[org]
        items = sorted(rows[org], key=lambda m: (m["date"], m["label"]))
        if len(items) > 1:
            segments.append(((items[0]["date"], y), (items[-1]["date"], y)))
        for m in items:
            xs.append(m["date"])
            ys.append(y)
            sizes.append(m["size"] if "size" in m else _point_size(m))
            colours.append(m["class"][1])
    num = mdates.date2num(np.array(xs, dtype="datetime64[D]"))
    if segments:
        days = mdates.date2num(np.array([d for seg in segments for d, _ in seg], dtype="datetime64[D]"))
        lines = [((days[2 * i], seg[0][1]), (days[2 * i + 1], seg[1][1])) for i, seg in enumerate(segments)]
        ax.add_collection(LineCollection(lines, colors="#cccccc", linewidths=0.8, zorder=1))
    _markers(ax, num, np.asarray(ys, dtype=float), np.sqrt(np.asarray(sizes, dtype=float)), colours,
             edge_width=0.7, zorder=3)

    ranked = sorted(models, key=lambda m: (-(m["params"] or 0), m["date"], m["label"], m["iri"]))
    ranked = ranked[: _LARGE_TIMELINE_LABELS * 3]
    px = fig.dpi / 72.0
    frame = ax.get_window_extent()
    first_row = {}
    for org in order:
        for m in rows[org]:
            first_row.setdefault(m["iri"], y_of[org])
    points = ax.transData.transform(np.column_stack([
        mdates.date2num(np.array([m["date"] for m in ranked], dtype="datetime64[D]")),
        [first_row[m["iri"]] for m in ranked]]))
    placed: list = []
    slots = ((5, True), (-5, False), (14, True), (-14, False))
    shown = 0
    for m, (x, y) in zip(ranked, points):
        if shown >= _LARGE_TIMELINE_LABELS:
            break
        text = _short(m["label"], 34)
        w, h = _text_box(text, 7.5 * px)
        x0, x1 = x + 3 * px, x + 3 * px + w
        if x1 > frame.x1:
            continue
        for dy, above in slots:
            y0 = y + dy * px if above else y + dy * px - h
            box = (x0 - 1, y0 - 1, x1 + 1, y0 + h + 1)
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                continue
            placed.append(box)
            ax.annotate(text, (mdates.date2num(m["date"]), first_row[m["iri"]]), xytext=(3, dy),
                        textcoords="offset points", ha="left", va="bottom" if above else "top",
                        fontsize=7.5, family=_fonts(), color="#222222", zorder=4, path_effects=_HALO)
            shown += 1
            break


def _dodge(rows: dict, order: list, x_pt) -> tuple[dict, dict]:
    """Vertical offsets (points) that keep a row's points from overlapping: each point, by
    date, takes the first of 0, +s, -s, +2s, … where it touches no point placed before it
    (``x_pt(date)`` is the point's x in points). Returns ({(row, iri): offset}, {row: the
    height in points the row needs})."""
    offsets, bands = {}, {}
    step = 6.0
    for org in order:
        placed: list = []
        reach = 0.0
        for m in sorted(rows[org], key=lambda m: (m["date"], m["label"])):
            x, r = x_pt(m["date"]), math.sqrt(_point_size(m)) / 2
            for k in range(200):
                dy = step * ((k + 1) // 2) * (1 if k % 2 else -1)
                if all((x - px) ** 2 + (dy - py) ** 2 >= (r + pr + 0.8) ** 2 for px, py, pr in placed
                       if abs(x - px) < r + pr + 0.8):
                    break
            placed.append((x, dy, r))
            offsets[(org, m["iri"])] = dy
            reach = max(reach, abs(dy) + r)
        bands[org] = max(30.0, 2 * reach + 16)
    return offsets, bands


def _text_box(text: str, size_px: float) -> tuple[float, float]:
    """(width, height) in pixels of ``text`` at ``size_px``, estimated without
    laying the text out (about 0.6 em a Latin character, 1 em a CJK one, a
    little generous): good enough to keep bulk labels apart."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2e80)
    return size_px * (0.62 * (len(text) - wide) + 1.0 * wide), size_px * 1.25


def _markers(ax, xs, ys, diameters_pt, colours, *, edge_width: float, zorder: float) -> None:
    """Circles with a white rim at (xs, ys), in the given order (later on top), for
    thousands of points: what ``ax.scatter`` draws, but grouped by (diameter to the
    nearest pixel, colour) into one marker line each, which Agg stamps from one
    cached raster instead of filling and stroking every circle as its own path
    (4 times faster at 10,000 points). Groups are drawn smallest first, as the
    points are sorted; within one diameter the colours go in order of first use."""
    import numpy as np

    px = ax.figure.dpi / 72.0
    pixels = np.maximum(1, np.rint(np.asarray(diameters_pt, dtype=float) * px)).astype(np.int64)
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    groups: dict = {}
    for i, key in enumerate(zip(pixels.tolist(), colours)):
        groups.setdefault(key, []).append(i)
    for (diameter, colour), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0])):
        ax.plot(xs[members], ys[members], linestyle="none", marker="o", markersize=diameter / px,
                markerfacecolor=colour, markeredgecolor="white", markeredgewidth=edge_width, zorder=zorder)


def _save_large(fig: Figure, path, *, digest: str | None = None) -> None:
    """:func:`_save` for the pictures of large graphs: faster PNG compression."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", metadata=_metadata(digest), facecolor=fig.get_facecolor(),
                pil_kwargs={"compress_level": 1})


def _point_size(m) -> float:
    return 22 + 8 * max(0.0, math.log10(m["params"]) - 7) ** 2 if (m["params"] or 0) > 0 else 22


def timeline_models(loaded, facts=None) -> list[dict]:
    """The dated models of the store, with bulk reads. ``facts`` (a
    :class:`StoreFacts` of the same store) reuses what the network already
    read: types, labels, developers, dates and parameter counts."""
    facts = StoreFacts(loaded) if facts is None else facts
    dates = facts.literals(LLMKG.releaseDate)
    classes = {str(c) for c, _, _ in _MODEL_CLASSES} | {str(LLMKG.MachineLearningModel)}
    types: dict = defaultdict(set)
    for (m, c) in facts.iri_pairs(RDF.type):
        if c in classes:
            types[m].add(c)
    orgs_of: dict = defaultdict(set)
    for (m, o) in facts.iri_pairs(LLMKG.developedBy):
        orgs_of[m].add(o)
    for (o, m) in facts.iri_pairs(LLMKG.develops):
        orgs_of[m].add(o)
    params = facts.literals(LLMKG.parameterCount)

    named: dict = {}  # node -> its drawn name: an organisation is named once, not once per model

    def en(node):
        got = named.get(node)
        if got is None:
            e, z = facts.labels(node)
            got = named[node] = _drawable(e or z or _local(node), _local(node))
        return got

    model_classes = [(str(c), lab, col) for c, lab, col in _MODEL_CLASSES]
    day: dict = {}
    models = []
    for m in sorted(dates):
        ts = types.get(m)
        if not ts:
            continue
        date = None
        for lit in sorted(v for v, _, _ in dates[m]):
            iso = date_start(lit)
            if iso:
                date = day.get(iso)
                if date is None:
                    date = day[iso] = datetime.date.fromisoformat(iso)
                break
        if date is None:
            continue
        orgs = sorted({en(o) for o in orgs_of.get(m, ())})
        cls = next(((lab, col) for c, lab, col in model_classes if c in ts), ("other model", "#7f7f7f"))
        count = None
        for lit in sorted(v for v, _, _ in params.get(m, ())):
            try:
                count = int(lit)
                break
            except ValueError:
                continue
        models.append({"iri": m, "label": en(m), "date": date, "orgs": orgs or [_UNKNOWN],
                       "class": cls, "params": count})
    return models


def picture_digests(loaded, *, view: str = "full", graph: nx.DiGraph | None = None,
                    facts: StoreFacts | None = None) -> dict:
    """{file name: :func:`content_digest`} of the pictures :func:`render_all` draws of
    ``loaded``, without drawing them (what a test compares with the committed pictures)."""
    graph = network.to_networkx(loaded, view=view, facts=facts) if graph is None else graph
    return {OVERVIEW_FILE: content_digest(graph),
            TIMELINE_FILE: content_digest(models=timeline_models(loaded, facts))}


def render_all(loaded, out, *, view: str = "full", graph: nx.DiGraph | None = None,
               facts: StoreFacts | None = None) -> list:
    """Draw the overview and the timeline of a :class:`llmkg.store.load.GraphStore`
    into the folder ``out``; return the files written. ``graph``, when given,
    is the view already built by :func:`llmkg.exports.network.to_networkx`
    (the build has it from the GEXF export), so it is not built twice;
    ``facts``, the :class:`StoreFacts` it was built from, lets the timeline
    reuse its reads."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if graph is None:
        try:
            graph = network.to_networkx(loaded, view=view)
        except ValueError as e:
            from llmkg.errors import InputError

            raise InputError(str(e)) from None
    overview, timeline = out / OVERVIEW_FILE, out / TIMELINE_FILE
    render_overview(graph, overview)
    render_timeline(loaded, timeline, facts=facts)
    return [overview, timeline]
