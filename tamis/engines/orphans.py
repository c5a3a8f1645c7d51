"""A pool worker must not outlive the run that started it, even a run killed by SIGKILL (which runs no
cleanup): `exit_with_parent(run_pid)`, called first thing in the worker, makes it exit when its parent
dies. The parent is the run itself (start methods fork and spawn) or the server the run started to
fork its workers (forkserver, Python 3.14's default), which ends when the run does.

On Linux the kernel sends the worker SIGKILL when its parent dies (`prctl(PR_SET_PDEATHSIG)`);
elsewhere, or where prctl is refused, a daemon thread checks the parent's pid every `POLL_SECONDS`.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 1.0


def exit_with_parent(run_pid: int) -> None:
    parent = os.getppid()
    if not _parent_death_signal():
        threading.Thread(target=_watch, args=(parent,), name="tamis-exit-with-parent", daemon=True).start()
    # the parent, or the run, died before the signal was set: nobody will send it
    if parent == 1 or os.getppid() != parent or not _alive(run_pid):
        os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _parent_death_signal() -> bool:
    """Ask the kernel for SIGKILL when the parent dies; False where that cannot be had."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    os._exit(1)
