"""A killed run leaves nothing running: `kill -9` of a `tamis run --workers 2` in the middle of its
clean pass, and its pool's workers are gone within seconds (they used to live on, orphaned, for hours);
the same for the fallback used where Linux's parent-death signal is not to be had."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from test_engines import news_corpus
from test_resume import finished

EXIT_SECONDS = 10


def still_alive(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    """The processes still alive (zombies count as gone) after waiting up to `seconds`; [] when none."""
    deadline = time.monotonic() + seconds
    while True:
        alive = []
        for p in processes:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def start_run(corpus: Path, out: Path, *options: str) -> tuple[subprocess.Popen, list[psutil.Process]]:
    """`tamis run` as a subprocess, once it is in its clean pass (a shard written, its processes up)."""
    proc = subprocess.Popen([sys.executable, "-m", "tamis.cli", "run", str(corpus), "-o", str(out), "--workers", "2",
                             "--chunk-size", "100", "--quiet", *options], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    run = psutil.Process(proc.pid)
    children: list[psutil.Process] = []
    deadline = time.monotonic() + 240
    while proc.poll() is None and time.monotonic() < deadline:
        children = run.children(recursive=True)
        if len(finished(out)) >= 1 and len(children) >= 2:
            break
        time.sleep(0.02)
    return proc, children


def kill_9_leaves_nothing(proc: subprocess.Popen, children: list[psutil.Process], out: Path) -> None:
    try:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        os.kill(proc.pid, signal.SIGKILL)  # the run alone, not its process group
        proc.wait(timeout=30)
        killed = time.monotonic()
        left = still_alive(children, EXIT_SECONDS)
        print(f"{len(children)} processes gone {time.monotonic() - killed:.2f}s after kill -9")
        assert not left, f"still running {EXIT_SECONDS}s after kill -9: {left}"
    finally:
        for p in children:  # never leave them to other tests
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert len(finished(out)) < 24 and not (out / "documents.jsonl").exists()  # it was killed mid-run


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return news_corpus().write_corpus(tmp_path_factory.mktemp("orphans") / "news.jsonl", 2400)


def test_kill_9_of_a_run_leaves_no_worker_behind(corpus, tmp_path):
    proc, children = start_run(corpus, tmp_path / "out")
    assert len(children) >= 2, children  # the pool's two workers (and, under forkserver, its server)
    kill_9_leaves_nothing(proc, children, tmp_path / "out")


def test_kill_9_of_a_run_on_ray_leaves_nothing_of_its_ray(corpus, tmp_path):
    """Ray ends its raylet and workers with the driver, but not its agents: tamis's reaper does."""
    pytest.importorskip("ray")
    proc, children = start_run(corpus, tmp_path / "out", "--engine", "ray")
    names = {p.name() for p in children if p.is_running()}
    assert {"raylet", "gcs_server"} <= names, names
    kill_9_leaves_nothing(proc, children, tmp_path / "out")


def test_the_fallback_watch_ends_a_worker_whose_parent_died(tmp_path):
    """Where prctl is not to be had (macOS), a thread that watches the parent's pid does the job."""
    script = textwrap.dedent("""
        import os, sys, time
        from tamis.engines import orphans
        orphans._parent_death_signal = lambda: False
        parent = os.getpid()
        child = os.fork()
        if child == 0:
            orphans.exit_with_parent(parent)
            time.sleep(60)
            os._exit(0)
        print(child, flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        child = psutil.Process(int(proc.stdout.readline()))
        time.sleep(0.5)
        assert still_alive([child], 0), "the child must live while its parent does"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert not still_alive([child], EXIT_SECONDS)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)


def _pid(_context, _task) -> int:
    return os.getpid()


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_workers_run_under_every_start_method(method):
    """Under forkserver a worker's parent is the server, not the run: it must not take that for a death."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from tamis.engines.local import _call, _start_worker
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                             initargs=(os.getpid(), None)) as pool:
        pids = set(pool.map(_call, [_pid] * 8, range(8), timeout=120))
    assert pids and os.getpid() not in pids
