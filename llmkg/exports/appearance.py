"""How a network looks when it opens: a colour per kind, a size by degree or
parameter count, and ForceAtlas2 positions (Gephi's own layout), computed
with a fixed seed so that the same graph always gives the same file."""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

#: A fixed colour per kind (hex), chosen to stay apart from each other on a
#: white or black Gephi canvas; "model" gets the strongest colour because
#: models are what the graph is about.
KIND_COLOURS = {
    "model": "#1f77b4",
    "organisation": "#d62728",
    "concept": "#2ca02c",
    "milestone": "#ff7f0e",
    "architecture": "#9467bd",
    "task": "#8c564b",
    "training method": "#e377c2",
    "modality": "#17becf",
    "domain": "#bcbd22",
    "source": "#7f7f7f",
    "family": "#aec7e8",
    "software system": "#ff9896",
    "period": "#ffbb78",
    "country": "#98df8a",
    "person": "#c5b0d5",
    "source error": "#c49c94",
    "comparison": "#f7b6d2",
    "class": "#393b79",
    "other": "#c7c7c7",
}

#: Seed of the force-directed layout: same graph, same picture.
LAYOUT_SEED = 42


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, KIND_COLOURS["other"])


def decorate(g: nx.DiGraph, *, seed: int = LAYOUT_SEED) -> nx.DiGraph:
    """Give every node ``degree``, ``color`` (hex), ``size``, ``x`` and ``y``.

    Size (Gephi's node radius) grows with degree; a model's size grows with
    its parameter count instead when that is larger (log scale: 1e8 → 12,
    1e12 → 36), so the big models stand out. Positions come from
    :func:`forceatlas2` with a fixed seed, scaled to about ±1000 (the range
    Gephi's own layouts produce) and rounded to 0.01 so that last-bit float
    noise cannot change the file.
    """
    data_of = dict(g.nodes(data=True))  # node -> its attributes
    for n, deg in g.degree():
        d = data_of[n]
        d["degree"] = deg
        d["color"] = kind_colour(d.get("kind", "other"))
        size = 6.0 + 4.0 * math.sqrt(deg)
        if d.get("log10_parameters") is not None:
            size = max(size, 6.0 + 6.0 * max(0.0, d["log10_parameters"] - 7.0))
        d["size"] = round(min(size, 60.0), 2)
    pos = layout(g, seed=seed)
    for n, (x, y) in pos.items():
        d = data_of[n]
        d["x"] = x
        d["y"] = y
    return g


def layout(g: nx.DiGraph, *, seed: int = LAYOUT_SEED) -> dict:
    """Deterministic positions {node: (x, y)} in about ±1000 (ForceAtlas2)."""
    nodes = sorted(g.nodes, key=str)  # caller's insertion order cannot matter
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    # the sorted distinct undirected pairs (i < j) of the edges, as two arrays
    ends = np.array([index[u] for u, v in g.edges], dtype=np.int64), \
        np.array([index[v] for u, v in g.edges], dtype=np.int64)
    lo, hi = np.minimum(*ends), np.maximum(*ends)
    keys = np.sort((lo * n + hi)[lo != hi])
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    src, dst = keys // n, keys % n
    # Strong gravity (pull proportional to distance, as Gephi's "Stronger
    # gravity" option) with a weak constant: views such as lineage are many
    # small components, which plain gravity scatters to the corners; this
    # keeps them in one readable picture and barely changes a connected one.
    if n > LARGE_GRAPH:  # exact repulsion is O(n²): see forceatlas2_grid
        pos = forceatlas2_grid(n, src, dst, seed=seed, gravity=0.1)
    else:
        pos = forceatlas2(n, src, dst, seed=seed, gravity=0.1, strong_gravity=True)
    # ForceAtlas2 leaves isolated nodes and small components drifting far
    # out, where they would shrink everything else when the view is fitted to
    # the window. Pull any node beyond 1.2 × the 95th-percentile radius back
    # onto that circle (keeping its direction).
    centre = np.median(pos, axis=0)
    radius = np.sqrt(((pos - centre) ** 2).sum(axis=1))
    if n >= 10:
        limit = 1.2 * float(np.percentile(radius, 95))
        far = radius > limit
        if far.any() and limit > 0:
            pos[far] = centre + (pos[far] - centre) * (limit / radius[far])[:, None]
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    centre = (lo + hi) / 2
    span = float(max(hi - lo)) or 1.0
    pos = (pos - centre) * (2000.0 / span)
    return {v: (round(float(pos[i, 0]), 2) + 0.0, round(float(pos[i, 1]), 2) + 0.0)
            for v, i in index.items()}


def forceatlas2(n: int, src, dst, *, seed: int = LAYOUT_SEED, iterations: int | None = None,
                gravity: float = 1.0, scaling: float | None = None,
                strong_gravity: bool = False) -> "np.ndarray":
    """ForceAtlas2 (Jacomy et al. 2014, PLoS ONE 9(6): e98679) on ``n`` nodes
    and undirected edges ``src[k]–dst[k]``; returns an (n, 2) array.

    The forces and Gephi's adaptive speed are those of Gephi's ForceAtlas2 and
    of ``networkx.forceatlas2_layout``: repulsion kr·(deg+1)(deg+1)/d, linear
    attraction along edges, gravity towards the centre weighted by deg+1.
    Why not call networkx's? It computes attraction with a dense n×n×2
    einsum and takes ~80 ms an iteration at 1,200 nodes; here attraction runs
    over the edge list and repulsion over two n×n arrays (~18 ms), which keeps
    ``llmkg build`` and the tests quick. Only elementwise numpy arithmetic is
    used (no BLAS reductions whose summation order may depend on threads), and
    the start comes from a seeded generator, so the result is reproducible.
    """
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * (10.0 * math.sqrt(n))
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    mass = (np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)).astype(float) + 1.0
    kr = scaling if scaling is not None else (10.0 if n < 100 else 2.0)  # Gephi's defaults
    mm = kr * np.outer(mass, mass)
    np.fill_diagonal(mm, 0.0)
    if iterations is None:
        iterations = 200 if n <= 600 else 120
    previous = np.zeros((n, 2))
    speed, efficiency = 1.0, 1.0
    optimal_jitter = 0.05 * math.sqrt(n)
    # the n×n arrays of an iteration, allocated once: the same operations in the same order (the
    # same numbers, bit for bit), without six fresh arrays an iteration (0.97 → 0.75 s at 872 nodes)
    dx, dy, d2, work = (np.empty((n, n)) for _ in range(4))
    for _ in range(iterations):
        np.subtract.outer(pos[:, 0], pos[:, 0], out=dx)
        np.subtract.outer(pos[:, 1], pos[:, 1], out=dy)
        np.multiply(dx, dx, out=d2)
        d2 += np.multiply(dy, dy, out=work)
        np.maximum(d2, 1e-2, out=d2)
        c = np.divide(mm, d2, out=d2)
        force = np.stack((np.multiply(c, dx, out=work).sum(axis=1), np.multiply(c, dy, out=work).sum(axis=1)), axis=1)
        pull = pos[dst] - pos[src]
        np.add.at(force, src, pull)
        np.add.at(force, dst, -pull)
        r = np.sqrt((pos * pos).sum(axis=1))
        if strong_gravity:  # pull grows with distance: keeps components together
            force -= gravity * mass[:, None] * pos
        else:
            force -= gravity * mass[:, None] * pos / np.maximum(r, 1e-9)[:, None]
        speed, efficiency = _move(pos, force, previous, mass, n, optimal_jitter, speed, efficiency)
        previous = force
    return pos


def _move(pos, force, previous, mass, n: int, optimal_jitter: float, speed: float, efficiency: float):
    """One ForceAtlas2 step with Gephi's adaptive speed (jitter tolerance); moves ``pos`` in place.

    Returns the new (speed, efficiency).
    """
    swing_i = np.sqrt(((force - previous) ** 2).sum(axis=1))
    traction_i = np.sqrt(((force + previous) ** 2).sum(axis=1)) / 2
    swing = float((mass * swing_i).sum())
    traction = max(float((mass * traction_i).sum()), 1e-12)
    jitter = max(math.sqrt(optimal_jitter), min(10.0, optimal_jitter * traction / (n * n)))
    if swing / traction > 2.0:
        if efficiency > 0.05:
            efficiency *= 0.5
        jitter = max(jitter, 1.0)
    target = jitter * efficiency * traction / swing if swing > 0 else math.inf
    if swing > jitter * traction:
        if efficiency > 0.05:
            efficiency *= 0.7
    elif speed < 1000:
        efficiency *= 1.3
    speed = speed + min(target - speed, 0.5 * speed)
    size = np.sqrt((force * force).sum(axis=1))
    step = speed / (1.0 + np.sqrt(speed * swing_i))
    step = np.minimum(step, 10.0 / np.maximum(size, 1e-12))
    pos += force * step[:, None]
    return speed, efficiency


#: Above this many nodes :func:`layout` switches from the exact ForceAtlas2
#: (O(n²) memory and time per iteration: ~10 ms an iteration at 1,000 nodes,
#: 1.4 s for the layout of a 1,000-model catalogue; gigabytes and minutes at
#: 100,000) to :func:`forceatlas2_grid` (0.1 s there, and a picture one cannot
#: tell apart by eye). The shipped graph (about 400 nodes) stays well below,
#: so its layout is unchanged.
LARGE_GRAPH = 1000


def forceatlas2_grid(n: int, src, dst, *, seed: int = LAYOUT_SEED, iterations: int | None = None,
                     gravity: float = 0.1, scaling: float = 2.0) -> "np.ndarray":
    """ForceAtlas2 for large graphs: the same forces, strong gravity and
    adaptive speed as :func:`forceatlas2`, but the n² repulsion is computed on
    a grid (particle–mesh, as in astrophysics codes): masses are spread onto a
    G×G grid (cloud-in-cell), convolved by FFT with the ForceAtlas2 repulsion
    kernel kr·(dx, dy)/d², and the force read back at each node from the same
    four cells. That is O(n + G² log G) an iteration instead of O(n²); nodes
    closer than a cell repel less than exactly, which at this size is below
    what a picture or Gephi's first look can show. Fewer iterations (60–80)
    start from a seeded placement; only elementwise numpy and pocketfft are
    used, so the result is reproducible. ~0.2 s at 10,000 nodes, ~2 s at 100,000.
    """
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * (10.0 * math.sqrt(n))
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    mass = (np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)).astype(float) + 1.0
    if iterations is None:
        iterations = 80 if n <= 20000 else 60
    grid = 64
    while grid * grid < n and grid < 256:
        grid *= 2
    size = 2 * grid  # zero padding: no wrap-around in the circular convolution
    off = np.arange(size)
    off = np.where(off < grid, off, off - size).astype(float)  # signed cell offsets
    ox_, oy_ = np.meshgrid(off, off, indexing="ij")
    r2 = ox_ * ox_ + oy_ * oy_
    r2[0, 0] = 1.0
    kx = np.fft.rfft2(np.where(r2 > 0, ox_ / r2, 0.0) * (ox_ != 0))
    ky = np.fft.rfft2(np.where(r2 > 0, oy_ / r2, 0.0) * (oy_ != 0))
    previous = np.zeros((n, 2))
    speed, efficiency = 1.0, 1.0
    optimal_jitter = 0.05 * math.sqrt(n)
    for _ in range(iterations):
        lo = pos.min(axis=0)
        span = float((pos.max(axis=0) - lo).max()) or 1.0
        h = span * 1.0001 / (grid - 1)  # cell size: the grid covers the layout
        u = (pos - lo) / h
        cell = np.minimum(np.floor(u).astype(np.int64), grid - 2)
        frac = u - cell
        i0, j0 = cell[:, 0], cell[:, 1]
        wx, wy = frac[:, 0], frac[:, 1]
        weights = ((1 - wx) * (1 - wy), wx * (1 - wy), (1 - wx) * wy, wx * wy)
        corners = (i0 * size + j0, (i0 + 1) * size + j0, i0 * size + j0 + 1, (i0 + 1) * size + j0 + 1)
        rho = np.zeros(size * size)
        for w, c in zip(weights, corners):
            rho += np.bincount(c, weights=w * mass, minlength=size * size)
        rho_k = np.fft.rfft2(rho.reshape(size, size))
        fx = np.fft.irfft2(rho_k * kx, s=(size, size)).ravel()
        fy = np.fft.irfft2(rho_k * ky, s=(size, size)).ravel()
        force = np.zeros((n, 2))
        for w, c in zip(weights, corners):
            force[:, 0] += w * fx[c]
            force[:, 1] += w * fy[c]
        force *= (scaling / h) * mass[:, None]
        pull = pos[dst] - pos[src]
        for k in (0, 1):
            force[:, k] += np.bincount(src, weights=pull[:, k], minlength=n) \
                - np.bincount(dst, weights=pull[:, k], minlength=n)
        force -= gravity * mass[:, None] * pos  # strong gravity, as layout() uses
        speed, efficiency = _move(pos, force, previous, mass, n, optimal_jitter, speed, efficiency)
        previous = force
    return pos


