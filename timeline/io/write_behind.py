"""A bulk write's batches, each written in a second thread while the caller prepares the next.

Most of the database's share of a batch (the driver's executemany: constraints, indexes, the
search index above all) runs with Python's GIL released, so a batch written in a second thread
overlaps with the reading and checking of the next one in the first. One batch runs at a time,
in the order given. The batch writes through the session's connection, never the session; the
caller waits (wait()) before it reads or writes through the session itself, and close() ends
the thread, raising the last batch's error if it failed."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class WriteBehind:
    def __init__(self) -> None:
        self._thread: ThreadPoolExecutor | None = None
        self._running: Future[None] | None = None

    def start(self, write: Callable[..., None], *args: Any) -> None:
        """Run write(*args) in the writing thread, once the batch before it is written."""
        self.wait()
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="treaty-timeline-writer")
        self._running = self._thread.submit(write, *args)

    def wait(self) -> None:
        """Wait for the batch being written, if any; its error, if it failed, is raised here."""
        running, self._running = self._running, None
        if running is not None:
            running.result()

    def close(self) -> None:
        """wait(), then end the writing thread (also when the batch failed)."""
        try:
            self.wait()
        finally:
            if self._thread is not None:
                self._thread.shutdown()
                self._thread = None
