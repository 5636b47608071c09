"""Keeping the garbage collector off what a process loads once.

A process that has imported Django, the apps and their libraries holds a few hundred thousand
objects that live as long as it does, and every full collection scans them all again: an
ingest of 2,100 forum events triggered two, 0.2 s of its 1 s (docs/benchmarks.md, "Events").
`gc.freeze()` moves the objects that exist now out of the collector's sight; objects made
afterwards are collected as before, and frozen ones are still freed when nothing refers to
them (only a reference cycle among them would stay, and they were loaded to stay anyway).
"""

from __future__ import annotations

import gc

_frozen = False


def loaded_heap_freeze() -> None:
    """Freeze the heap once per process, after start-up (later calls do nothing)."""
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True
