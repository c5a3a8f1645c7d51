"""A pool worker must not outlive the run that started it, even a run killed by SIGKILL (which runs no
cleanup): `exit_with_parent(pid)`, called first thing in the worker, makes it exit when its parent dies.

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


def exit_with_parent(parent_pid: int) -> None:
    if not _parent_death_signal():
        threading.Thread(target=_watch, args=(parent_pid,), name="tamis-exit-with-parent", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the signal was set: nobody will send it
        os._exit(1)


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
