"""The local engine: the map runs in this process, or in a pool of `workers` processes, which exit when
this process dies, however it dies (`tamis.engines.orphans`)."""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import call
from .orphans import exit_with_parent

_CONTEXT: Any = None  # a pool worker's copy of the map's context


def _start_worker(run_pid: int, context: Any) -> None:
    global _CONTEXT
    exit_with_parent(run_pid)
    _CONTEXT = context


def _call(fn: Callable[[Any, Any], Any], task: Any) -> Any:
    return call(fn, _CONTEXT, task)


class LocalEngine:
    name = "local"

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, int(workers))

    def map(self, fn: Callable[[Any, Any], Any], tasks: Iterable[Any], context: Any = None) -> Iterator[Any]:
        if self.workers == 1:
            for task in tasks:
                yield call(fn, context, task)
            return
        # One pool per map: its workers get this map's context once, at start; no more of them than
        # tasks, when their number is known (the reduce is one task).
        workers = min(self.workers, len(tasks)) if isinstance(tasks, (list, tuple)) else self.workers
        if workers == 0:
            return
        # imported here, not at the top: 11 ms of every run's start, for runs with workers only
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(workers, initializer=_start_worker,
                                 initargs=(os.getpid(), context)) as pool:
            pending: deque = deque()
            for task in tasks:
                pending.append(pool.submit(_call, fn, task))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def close(self) -> None:
        pass
