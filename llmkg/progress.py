"""A one-line progress display for long stages, on a terminal only.

A stage that ends within a second prints nothing; a longer one shows its name
and a running count of seconds, and leaves a line with its time when it
ends. Not a terminal (CI, a pipe): nothing is printed at all.
"""
from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, stream=None, *, delay: float = 1.0, interval: float = 0.25):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.delay, self.interval = delay, interval
        self._stage: str | None = None
        self._start = 0.0
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, stage: str | None) -> None:
        """Start ``stage`` (ending the one before); None ends the last one."""
        if not self.enabled:
            return
        with self._lock:
            self._finish()
            self._stage, self._start, self._shown = stage, time.perf_counter(), False
        if stage is not None and self._thread is None:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def close(self) -> None:
        self(None)
        self._stop.set()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _finish(self) -> None:
        if self._stage is not None and self._shown:
            elapsed = time.perf_counter() - self._start
            self.stream.write(f"\r{self._stage}: {elapsed:.1f} s\033[K\n")
            self.stream.flush()

    def _run(self) -> None:
        spinner = "|/-\\"
        n = 0
        while not self._stop.wait(self.interval):
            with self._lock:
                if self._stage is None:
                    continue
                elapsed = time.perf_counter() - self._start
                if elapsed < self.delay:
                    continue
                self._shown = True
                self.stream.write(f"\r{spinner[n % 4]} {self._stage} … {elapsed:.0f} s\033[K")
                self.stream.flush()
                n += 1
