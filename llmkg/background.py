"""Work run in a thread of its own, started at once, whose value or error is given back on join:
the build writes its store beside the network this way (RocksDB releases the GIL), and serve
makes its pages' index beside the first queries."""
from __future__ import annotations

import threading
from typing import Callable


class InThread:
    """``work()`` in a daemon thread named ``name``; :meth:`join` waits for it and gives its
    value, or raises what it raised, in the caller's thread."""

    def __init__(self, work: Callable[[], object], name: str):
        self._value = self._error = None

        def run():
            try:
                self._value = work()
            except BaseException as e:  # raised again by join()
                self._error = e

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def wait(self, seconds: float | None) -> bool:
        """Wait at most ``seconds`` (None: as long as it takes) for the work; whether it has ended
        (then :meth:`join` does not wait)."""
        self._thread.join(seconds)
        return not self._thread.is_alive()

    def join(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value
