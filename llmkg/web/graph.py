"""The GEXF files the /graph page draws: the export Gephi gets, per view.

A view's GEXF is :func:`llmkg.exports.gexf.gexf_bytes` of
:func:`llmkg.exports.network.to_networkx` — nothing computed for the browser
alone. Its ForceAtlas2 layout is most of its cost (taxonomy: 5 of the 9 s
the three views take on the shipped data), and a built store never changes,
so each view is kept beside the store version it was drawn from
(``views/VIEW-DIGEST.gexf``; DIGEST covers the export code) like the
catalogue's answers are; a store only in memory computes them each time.
"""
from __future__ import annotations

import functools
import hashlib
import os
import threading
from pathlib import Path

__all__ = ["WEB_VIEWS", "view_gexf"]

#: the views the graph page offers, in its order
WEB_VIEWS = ("lineage", "organisations", "taxonomy")
_CODE = ("network.py", "appearance.py", "gexf.py")
_lock = threading.Lock()


@functools.cache
def _digest() -> str:
    from llmkg import __version__

    h = hashlib.sha256(__version__.encode())
    folder = Path(__file__).resolve().parent.parent / "exports"
    for name in _CODE:
        h.update((folder / name).read_bytes())
    return h.hexdigest()[:16]


def view_gexf(loaded, view: str, facts=None) -> bytes:
    """The GEXF of ``view`` (one of :data:`WEB_VIEWS`) for ``loaded``; ``facts``, a
    :class:`llmkg.exports.network.StoreFacts` of it, saves reading the store again."""
    if view not in WEB_VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(WEB_VIEWS)}")
    version = getattr(loaded, "path", None)
    kept = Path(version) / "views" / f"{view}-{_digest()}.gexf" if version is not None else None
    if kept is not None:
        try:
            return kept.read_bytes()
        except OSError:
            pass
    with _lock:  # two requests for a cold view draw it once
        if kept is not None and kept.is_file():
            return kept.read_bytes()
        from llmkg.exports.gexf import gexf_bytes
        from llmkg.exports.network import to_networkx

        data = gexf_bytes(to_networkx(loaded, view=view, facts=facts))
        if kept is not None:
            try:  # written whole or not at all; a folder we cannot write keeps nothing
                kept.parent.mkdir(exist_ok=True)
                tmp = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, kept)
            except OSError:
                pass
        return data
