"""Engines decide *where* a pass's map runs; the stage functions they run know nothing of them.

An engine maps `fn(context, task)` over tasks and yields the results in task order, holding a bounded
number of tasks in flight. `context` is what every task shares (the template table), sent once per
worker. `local` (the default) runs in this process (`workers` 1) or a process pool; `ray` runs Ray
tasks on a local Ray (started with `workers` CPUs) or on the cluster at `address`.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

ENGINES = ("local", "ray")

# A task makes many small objects that die young, by refcount, in no cycle: a Block and its hints per
# line, a Span per removed line. At Python's default, a collection of the youngest generation every
# 700 allocations, the 4,500-capture run of bench_dedup ran 845 collections, 4% of its time; with its
# tasks at 10,000, 61 (0.8%). Cycles are still collected, later; each task restores the threshold it
# found.
GC_THRESHOLD = 10_000


class Engine(Protocol):
    name: str

    def map(self, fn: Callable[[Any, Any], Any], tasks: Iterable[Any], context: Any = None) -> Iterator[Any]:
        """`fn(context, task)` for each task, results in task order."""

    def close(self) -> None:
        """Give back what the engine started (pools, a local Ray)."""


def call(fn: Callable[[Any, Any], Any], context: Any, task: Any) -> Any:
    """`fn(context, task)`, as every engine runs a task: with the young-object collection at
    `GC_THRESHOLD` (never lowered, and left off where a threshold of 0 turned it off), the threshold
    restored after."""
    before = gc.get_threshold()
    if 0 < before[0] < GC_THRESHOLD:
        gc.set_threshold(GC_THRESHOLD, *before[1:])
    try:
        return fn(context, task)
    finally:
        gc.set_threshold(*before)


def map_here_if_one(engine: Engine | None, fn: Callable[[Any, Any], Any], tasks: list, context: Any = None) -> list:
    """`engine.map(fn, tasks, context)` as a list, but a lone task runs in this process: a pool or Ray
    tasks started for one task cost more than they save (dedup's steps inside the reduce task)."""
    if len(tasks) == 1:
        return [call(fn, context, tasks[0])]
    return list(engine.map(fn, tasks, context)) if tasks else []


def make_engine(name: str = "local", workers: int | None = None, address: str | None = None) -> Engine:
    if name == "local":
        from .local import LocalEngine
        return LocalEngine(workers or 1)
    if name == "ray":
        from .ray_engine import RayEngine
        return RayEngine(workers, address)
    raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
