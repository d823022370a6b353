"""The cyclic garbage collector held off while an import reads and writes.

A large file becomes millions of small objects (its parsed records, their rows and history)
that all live until the import ends and form no reference cycles. Python's collector walks
every live object again at each full collection, and the number of those grows with the
objects allocated: for 20,000 treaties (bench/import_bulk.py), a sixth of the import's time.
Memory is still freed as usual by reference counting; cycles made meanwhile are collected
once the import ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Automatic collection off for the block (unless it is off already)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
