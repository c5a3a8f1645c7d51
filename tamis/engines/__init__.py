"""Engines decide *where* a pass's map runs; the stage functions they run know nothing of them.

An engine maps `fn(context, task)` over tasks and yields the results in task order, holding a bounded
number of tasks in flight. `context` is what every task shares (the template table), sent once per
worker. `local` (the default) runs in this process (`workers` 1) or a process pool; `ray` runs Ray
tasks on a local Ray (started with `workers` CPUs) or on the cluster at `address`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

ENGINES = ("local", "ray")


class Engine(Protocol):
    name: str

    def map(self, fn: Callable[[Any, Any], Any], tasks: Iterable[Any], context: Any = None) -> Iterator[Any]:
        """`fn(context, task)` for each task, results in task order."""

    def close(self) -> None:
        """Give back what the engine started (pools, a local Ray)."""


def map_here_if_one(engine: Engine | None, fn: Callable[[Any, Any], Any], tasks: list, context: Any = None) -> list:
    """`engine.map(fn, tasks, context)` as a list, but a lone task runs in this process: a pool or Ray
    tasks started for one task cost more than they save (dedup's steps inside the reduce task)."""
    if len(tasks) == 1:
        return [fn(context, tasks[0])]
    return list(engine.map(fn, tasks, context)) if tasks else []


def make_engine(name: str = "local", workers: int | None = None, address: str | None = None) -> Engine:
    if name == "local":
        from .local import LocalEngine
        return LocalEngine(workers or 1)
    if name == "ray":
        from .ray_engine import RayEngine
        return RayEngine(workers, address)
    raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
