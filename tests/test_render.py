"""PNG overview and timeline: written, real pictures, deterministic."""
from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg
import networkx as nx
import numpy as np
import pytest
from llmkg.exports import VIEWS, network
from llmkg.exports import pictures as render
from llmkg.exports.appearance import KIND_COLOURS
from llmkg.reasoning.closure import reason_store
from llmkg.store.load import load_store

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "network" / "mini.ttl"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def mini():
    store = load_store([FIXTURE])
    reason_store(store)
    return store


def picture(path: Path) -> np.ndarray:
    data = path.read_bytes()
    assert data.startswith(PNG)
    assert len(data) > 20_000, "suspiciously small PNG"
    img = mpimg.imread(str(path))
    assert img.ndim == 3 and img.shape[0] >= 400 and img.shape[1] >= 800
    return img


def coloured_pixels(img: np.ndarray, rgb: str) -> int:
    target = np.array([int(rgb[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return int((np.abs(img[..., :3] - target).max(axis=-1) < 0.02).sum())


def test_overview_png(mini, tmp_path):
    g = network.to_networkx(mini)
    path = tmp_path / "overview.png"
    render.render_overview(g, path)
    img = picture(path)
    # not blank: plenty of non-white pixels, and the kind colours are there
    assert (img[..., :3] < 0.9).any(axis=-1).mean() > 0.01
    assert coloured_pixels(img, KIND_COLOURS["model"]) > 200
    assert coloured_pixels(img, KIND_COLOURS["organisation"]) > 50
    again = tmp_path / "again.png"
    render.render_overview(g, again)
    assert again.read_bytes() == path.read_bytes()


def test_overview_of_every_view_and_edge_cases(mini, tmp_path):
    for view in VIEWS:
        g = network.to_networkx(mini, view=view)
        render.render_overview(g, tmp_path / f"{view}.png")
        picture(tmp_path / f"{view}.png")
    render.render_overview(nx.DiGraph(), tmp_path / "empty.png")
    assert (tmp_path / "empty.png").read_bytes().startswith(PNG)
    # a plain networkx graph without positions or colours is laid out first
    render.render_overview(nx.path_graph(5, create_using=nx.DiGraph), tmp_path / "plain.png")
    picture(tmp_path / "plain.png")


def test_timeline_png(mini, tmp_path):
    path = tmp_path / "timeline.png"
    render.render_timeline(mini, path)
    img = picture(path)
    assert (img[..., :3] < 0.9).any(axis=-1).mean() > 0.01
    models = render.timeline_models(mini)
    assert {m["label"] for m in models} == {"AcmeBase", "AcmeChat", "AcmeMed", "AcmeBase 2", "BetaMini"}
    med = next(m for m in models if m["label"] == "AcmeMed")
    assert med["orgs"] == ["Acme AI", "Beta Lab"] and str(med["date"]) == "2023-01-01"
    assert next(m for m in models if m["label"] == "AcmeBase 2")["orgs"] == ["Acme AI"]  # via develops
    again = tmp_path / "again.png"
    render.render_timeline(mini, again)
    assert again.read_bytes() == path.read_bytes()


def test_timeline_without_models(tmp_path):
    render.render_timeline(load_store([], ontology=False), tmp_path / "none.png")
    assert (tmp_path / "none.png").read_bytes().startswith(PNG)


def test_time_scale_compresses_a_sparse_past():
    import datetime
    dates = [datetime.date(1980, 1, 1)] + [datetime.date(2018 + i % 7, 1 + i % 12, 1) for i in range(30)]
    forward, inverse, knee = render._time_scale(dates)
    assert knee is not None and knee.year >= 2018
    import matplotlib.dates as mdates
    x = mdates.date2num(datetime.date(1990, 6, 1))
    assert float(inverse(forward(x))) == pytest.approx(x)
    assert render._time_scale(dates[1:])[2] is None


def test_shipped_pictures(shipped, tmp_path):
    render.render_overview(network.to_networkx(shipped.store), tmp_path / "o.png")
    render.render_timeline(shipped.store, tmp_path / "t.png")
    picture(tmp_path / "o.png")
    img = picture(tmp_path / "t.png")
    assert img.shape[0] > 600


# --- labels, sizes and points that hide nothing (the shipped data) -----------------

def _label_boxes(fig):
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    texts = [t for t in ax.texts if t.get_text() and "compressed scale" not in t.get_text()]
    return texts, [t.get_window_extent(renderer) for t in texts]


def _overlapping(boxes) -> list:
    import itertools

    return [(a, b) for a, b in itertools.combinations(range(len(boxes)), 2) if boxes[a].overlaps(boxes[b])]


@pytest.mark.parametrize("view", ["lineage", "organisations"])
def test_every_node_of_a_view_of_a_few_hundred_is_labelled_and_no_label_hides_another(shipped, view):
    g = network.to_networkx(shipped.store, view=view)
    assert 100 < g.number_of_nodes() <= render.LABEL_ALL
    fig = render.draw_overview(g)
    texts, boxes = _label_boxes(fig)
    shown = sorted(t.get_text() for t in texts)
    wanted = sorted((d.get("label_en") or d.get("label") or n)[:27] for n, d in g.nodes(data=True))
    assert [t[:27].rstrip("…") for t in shown] == [w.rstrip("…") for w in wanted]  # every node, once
    assert not _overlapping(boxes)
    frame = fig.axes[0].get_window_extent(fig.canvas.get_renderer())
    assert all(frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 for b in boxes)  # inside the picture


def test_size_means_one_thing_said_in_the_legend(shipped):
    """The full view: size is the parameter count for every node, so the biggest are models,
    not the sources that have the most links; the legend says so."""
    g = network.to_networkx(shipped.store)
    fig = render.draw_overview(g)
    titles = [lg.get_title().get_text() for lg in fig.legends]
    assert any(t.startswith("size: parameter count") for t in titles), titles
    dots = next(c for c in fig.axes[0].collections if len(c.get_offsets()) == g.number_of_nodes())
    sizes, colours = dots.get_sizes(), dots.get_facecolors()
    biggest = colours[sizes == sizes.max()]
    model = np.array([int(KIND_COLOURS["model"][i:i + 2], 16) / 255 for i in (1, 3, 5)])
    assert np.allclose(biggest[:, :3], model, atol=0.01)
    smallest = sizes.min()
    kinds = sorted(g.nodes[n].get("kind") for n in g.nodes)
    assert (sizes == smallest).sum() >= kinds.count("source")  # sources (no parameters) at the smallest size
    # without any parameter count, size is the degree, and the legend says that instead
    plain = render.draw_overview(nx.path_graph(5, create_using=nx.DiGraph))
    assert [lg.get_title().get_text() for lg in plain.legends][-1] == "size: links in this view"


def test_timeline_labels_every_point_and_nothing_overlaps(shipped, tmp_path, monkeypatch):
    captured = {}
    save = render._save
    monkeypatch.setattr(render, "_save", lambda fig, path, **kw: (captured.setdefault("fig", fig),
                                                                   save(fig, path, **kw)))
    render.render_timeline(shipped.store, tmp_path / "t.png")
    fig = captured["fig"]
    ax = fig.axes[0]
    dots = ax.collections[-1]
    points = ax.transData.transform(dots.get_offsets())
    radii = np.sqrt(dots.get_sizes()) / 2 * fig.dpi / 72
    texts, boxes = _label_boxes(fig)
    assert len(texts) == len(points)  # a label for every point
    assert not _overlapping(boxes)
    # no point hides another (the DeepSeek-R1 family shares one day)
    for i in range(len(points)):
        d = np.sqrt(((points[i + 1:] - points[i]) ** 2).sum(axis=1))
        assert (d >= radii[i + 1:] + radii[i] - 0.5).all()
    # the shared row holds each model once, and none that has a row of its own
    models = render.timeline_models(shipped.store)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    other = next(r for r in rows if r.startswith("other organisations"))
    own = [r for r in rows if r != other]
    assert len(points) == sum(int(r.rsplit("(", 1)[1].rstrip(")")) for r in rows)
    assert len({m["iri"] for m in models}) == len(models) <= len(points)
    assert render.read_digest(tmp_path / "t.png") == render.content_digest(models=models)
    assert own and int(other.rsplit("(", 1)[1].rstrip(")")) == len(
        {m["iri"] for m in models} - {m["iri"] for m in models if any(o in [r.rsplit(" (", 1)[0] for r in own]
                                                                         for o in m["orgs"])})


@pytest.mark.parametrize("shared", [True, False], ids=["second-process", "this-process"])
def test_the_build_draws_the_same_timeline_in_either_process(tmp_path, monkeypatch, shared):
    """On a small graph the build's second process draws the timeline from models read before
    the fork; on a large one the main process draws it after the overview. Either way the picture
    shows what picture_digests says the data holds, and is listed once among the build's files."""
    from llmkg import pipeline
    from llmkg.store.persist import open_store

    if not shared:
        monkeypatch.setattr(pipeline, "_SHARED_TIMELINE_TRIPLES", 0)
    result = pipeline.build(data=[FIXTURE], out=tmp_path)
    tasks = pipeline._shared_timeline(load_store([FIXTURE]), pipeline.BuildResult(out=tmp_path))
    assert (tasks is not None) is shared
    timeline, overview = tmp_path / render.TIMELINE_FILE, tmp_path / render.OVERVIEW_FILE
    with open_store(store=result.store) as built:
        expected = render.picture_digests(built)
    assert render.read_digest(timeline) == expected[render.TIMELINE_FILE]
    assert render.read_digest(overview) == expected[render.OVERVIEW_FILE]
    assert [f.name for f in result.files].count(render.TIMELINE_FILE) == 1
    assert result.files.index(overview) + 1 == result.files.index(timeline)
