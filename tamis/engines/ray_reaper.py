"""A local Ray that tamis started ends with tamis, even with a tamis killed by SIGKILL.

Ray ties its gcs_server, raylet and workers to the driver that started them, but its dashboard and
runtime-env agents see the raylet die and then wait on the dead GCS: measured with Ray 2.60, they
lived 60-90 s after `kill -9` of the driver. So the Ray engine starts this small process beside the
local Ray it starts (`RayReaper`): it watches Ray's processes (those tamis started in `ray.init()`,
and their descendants) and kills what is left of them when tamis closes the engine or dies.

    python -m tamis.engines.ray_reaper DRIVER_PID ROOT_PID...   (stdin: EOF when the driver is done)
"""
from __future__ import annotations

import os
import select
import subprocess
import sys

import psutil

POLL_SECONDS = 0.25


class RayReaper:
    """Start it with the driver's children from before `ray.init()`: the new ones are Ray's."""

    def __init__(self, children_before: set[int]) -> None:
        roots = [str(p.pid) for p in psutil.Process().children() if p.pid not in children_before]
        self.proc = subprocess.Popen([sys.executable, "-m", __name__, str(os.getpid()), *roots],
                                     stdin=subprocess.PIPE)

    def close(self) -> None:
        self.proc.stdin.close()  # the reaper kills what is left of Ray, and exits
        self.proc.wait(timeout=60)


def children_now() -> set[int]:
    return {p.pid for p in psutil.Process().children()}


def watch(driver: int, roots: list[int]) -> None:
    watched: dict[int, psutil.Process] = {}
    for pid in roots:
        try:
            watched[pid] = psutil.Process(pid)
        except psutil.NoSuchProcess:
            pass
    while os.getppid() == driver:
        for root in list(watched.values()):
            try:
                for p in root.children(recursive=True):
                    watched.setdefault(p.pid, p)
            except psutil.NoSuchProcess:
                pass
        ready, _, _ = select.select([sys.stdin], [], [], POLL_SECONDS)
        if ready and not os.read(sys.stdin.fileno(), 1):  # EOF: the engine closed, or the driver died
            break
    for p in watched.values():
        try:
            p.kill()  # psutil checks it is still the process seen, not a new one with its pid
        except psutil.NoSuchProcess:
            pass


if __name__ == "__main__":
    watch(int(sys.argv[1]), [int(pid) for pid in sys.argv[2:]])
