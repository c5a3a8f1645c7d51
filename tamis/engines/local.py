"""The local engine: the map runs in this process, or in a pool of `workers` processes."""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_CONTEXT: Any = None  # a pool worker's copy of the map's context


def _set_context(context: Any) -> None:
    global _CONTEXT
    _CONTEXT = context


def _call(fn: Callable[[Any, Any], Any], task: Any) -> Any:
    return fn(_CONTEXT, task)


class LocalEngine:
    name = "local"

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, int(workers))

    def map(self, fn: Callable[[Any, Any], Any], tasks: Iterable[Any], context: Any = None) -> Iterator[Any]:
        if self.workers == 1:
            for task in tasks:
                yield fn(context, task)
            return
        # One pool per map: its workers get this map's context once, at start.
        with ProcessPoolExecutor(self.workers, initializer=_set_context, initargs=(context,)) as pool:
            pending: deque = deque()
            for task in tasks:
                pending.append(pool.submit(_call, fn, task))
                if len(pending) >= 2 * self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def close(self) -> None:
        pass
