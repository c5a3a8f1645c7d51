"""The Ray engine: each task is a Ray task running the same stage function as the local engine.

Without an address it starts a local Ray of its own (`ray.init(address="local", num_cpus=workers)`,
all CPUs when `workers` is None) and stops it when closed; with one, or with RAY_ADDRESS set (as Ray
sets it for a job it runs: `ray job submit`), it joins that cluster (whose nodes must be able to import
tamis). Why "local": `ray.init()` without an address joins the Ray last started on this machine (`ray
start`, another program's test cluster) and then refuses `num_cpus`, so that a run which asked for a
local Ray crashed, or ran on a cluster nobody named. A Ray already initialised by the caller is used as
it is and left running. A local Ray started here ends with this process, even one killed by SIGKILL
(`tamis.engines.ray_reaper`).
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import call
from .ray_reaper import RayReaper, children_now


def _call(fn: Callable[[Any, Any], Any], context: Any, task: Any) -> Any:
    return call(fn, context, task)


class RayEngine:
    name = "ray"

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        try:
            import ray
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise RuntimeError("the ray engine needs Ray: pip install 'tamis[ray]'") from exc
        self.ray = ray
        self.started = not ray.is_initialized()
        self.reaper = None
        if self.started:
            address = address or os.environ.get("RAY_ADDRESS") or None
            kwargs: dict[str, Any] = {"address": address} if address else {"address": "local", "num_cpus": workers}
            before = children_now()
            ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False, **kwargs)
            if not address:
                self.reaper = RayReaper(before)
        self.cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.remote = ray.remote(_call)

    def map(self, fn: Callable[[Any, Any], Any], tasks: Iterable[Any], context: Any = None) -> Iterator[Any]:
        shared = self.ray.put(context)  # sent to each node once, not with every task
        pending: deque = deque()
        for task in tasks:
            pending.append(self.remote.remote(fn, shared, task))
            if len(pending) >= 2 * self.cpus:
                yield self.ray.get(pending.popleft())
        while pending:
            yield self.ray.get(pending.popleft())

    def close(self) -> None:
        if self.started and self.ray.is_initialized():
            self.ray.shutdown()
        if self.reaper is not None:
            self.reaper.close()
            self.reaper = None
