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
    models = render._timeline_models(mini)
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
