"""Progress: a bar per pass on a terminal (tqdm), plain log lines on stderr otherwise."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator

LOG_EVERY = 10.0  # seconds between log lines when not on a terminal


class Progress:
    def __init__(self, enabled: bool | None = None) -> None:
        self.bar = sys.stderr.isatty() if enabled is None else enabled
        self.quiet = enabled is False

    def wrap(self, items: Iterable, name: str) -> Iterator:
        if self.bar:
            from tqdm import tqdm
            yield from tqdm(items, desc=name, unit="rec", leave=False)
            return
        started = last = time.perf_counter()
        n = 0
        for n, item in enumerate(items, start=1):
            yield item
            now = time.perf_counter()
            if not self.quiet and now - last >= LOG_EVERY:
                self.log(f"{name}: {n} records, {n / (now - started):.0f}/s")
                last = now
        if not self.quiet:
            self.log(f"{name}: {n} records in {time.perf_counter() - started:.1f}s")

    def log(self, line: str) -> None:
        if not self.quiet:
            print(line, file=sys.stderr, flush=True)
