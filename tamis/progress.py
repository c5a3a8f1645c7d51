"""Progress: one bar per pass on a terminal (tqdm), plain log lines on stderr otherwise, and one
summary line at the end of each pass either way (nothing at all when quiet)."""
from __future__ import annotations

import resource
import sys
import time

LOG_EVERY = 10.0  # seconds between log lines when not on a terminal


def own_peak_kb() -> int:
    """This process's own peak resident memory, KiB: the high-water mark of its memory (`VmHWM`) where
    Linux gives it. Not `ru_maxrss`: across an exec Linux keeps there the peak of the process that
    started this one, and Python's subprocess starts a command by vfork, so that the whole RSS of its
    parent counts (a command started by a 300 MB process reported 313 MB where its own peak was 13 MB;
    bench_scale's driver, started by the bench, "grew" 3.5x from 100k to 1M documents where its
    sampled RSS went from 35 to 37 MB)."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_mb(children: bool = True) -> float:
    """Peak resident memory of this process and (`children`) of its largest finished child (a pool
    worker), MB. A forked child's peak counts the pages it shares with this process at the fork."""
    own = own_peak_kb()
    if children:
        own = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return own / 1024


class Progress:
    """Bars on a terminal, log lines otherwise (`enabled` None), always (True) or never (False).
    `lines` keeps every line logged, shown or not: a pass run where its stderr is not ours (a Ray
    worker's) hands them to the driver."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.bar = sys.stderr.isatty() if enabled is None else enabled
        self.quiet = enabled is False
        self.lines: list[str] = []

    def start(self, name: str, total: int | None = None, unit: str = "rec") -> "PassProgress":
        return PassProgress(self, name, total, unit)

    def log(self, line: str) -> None:
        self.lines.append(line)
        if not self.quiet:
            print(line, file=sys.stderr, flush=True)


class PassProgress:
    """`update(n)` as work is done; `done(summary)` ends the pass with its summary line (elapsed
    time, throughput and peak memory are added)."""

    def __init__(self, progress: Progress, name: str, total: int | None, unit: str) -> None:
        self.progress, self.name, self.total, self.unit = progress, name, total, unit
        self.count = 0
        self.started = self.last = time.perf_counter()
        self.tqdm = None
        if progress.bar and not progress.quiet:
            from tqdm import tqdm
            self.tqdm = tqdm(total=total, desc=name, unit=unit, leave=False, dynamic_ncols=True)

    def __enter__(self) -> "PassProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def update(self, n: int = 1) -> None:
        self.count += n
        if self.tqdm is not None:
            self.tqdm.update(n)
            return
        now = time.perf_counter()
        if not self.progress.quiet and now - self.last >= LOG_EVERY:
            of = f"/{self.total} ({100 * self.count / self.total:.0f}%)" if self.total else ""
            self.progress.log(f"{self.name}: {self.count}{of} {self.unit}, "
                              f"{self.count / (now - self.started):.0f} {self.unit}/s")
            self.last = now

    def done(self, summary: str | None = None) -> None:
        self.close()
        seconds = self.seconds
        rate = f" ({self.count / seconds:.0f} {self.unit}/s)" if self.count and seconds > 0 else ""
        self.progress.log(f"{self.name}: {summary or f'{self.count} {self.unit}'}; {seconds:.1f}s{rate}, "
                          f"peak {peak_mb():.0f} MB")

    def close(self) -> None:
        if self.tqdm is not None:
            self.tqdm.close()
            self.tqdm = None
