"""Benchmark the engines: one generated news corpus run on the local engine and on Ray, with the same
number of CPUs; checks that their outputs are the same bytes and prints both wall times.

    python bench/bench_engines.py [--docs 200000] [--workers 2] [--chunk-size 500] [--dir DIR]

The corpus (`bench/news_corpus.py`: 40 sites' templates around generated articles, one page in ten a
duplicate) is written to DIR/news-N.jsonl once and reused. Each engine runs as its own
`python -m tamis.cli run` process from a fresh OUT (`--fresh`), so its wall time covers the whole run:
start, Ray's start for Ray, the four passes. Needs the ray extra: pip install -e '.[ray]'.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from news_corpus import write_corpus  # noqa: E402

OUTPUTS = ("documents.jsonl", "duplicates.jsonl", "ledger.jsonl")


def run_engine(corpus: Path, out: Path, engine: str, workers: int, chunk_size: int) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "tamis.cli", "run", str(corpus), "-o", str(out), "--engine", engine,
           "--workers", str(workers), "--chunk-size", str(chunk_size), "--fresh"]
    print(f"$ {' '.join(cmd)}", flush=True)
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    seconds = time.perf_counter() - started
    return seconds, json.loads((out / "summary.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None, help="where the corpus and outputs go (default: a temp dir)")
    parser.add_argument("--engines", default="local,ray")
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="tamis-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    corpus = base / f"news-{args.docs}.jsonl"
    if not corpus.exists():
        started = time.perf_counter()
        write_corpus(corpus.with_suffix(".tmp"), args.docs).replace(corpus)
        print(f"corpus: {args.docs} documents, {corpus.stat().st_size / 2**20:.0f} MB "
              f"({time.perf_counter() - started:.0f}s to generate) -> {corpus}", flush=True)
    results = {}
    for engine in args.engines.split(","):
        results[engine] = run_engine(corpus, base / f"out-{engine}", engine, args.workers, args.chunk_size)
    print(f"\n{args.docs} documents, {args.workers} workers, chunks of {args.chunk_size}:")
    for engine, (seconds, summary) in results.items():
        print(f"  {engine:6s} {seconds:8.1f} s wall  ({args.docs / seconds:6.0f} docs/s)  {summary['line']}")
    engines = list(results)
    same = all((base / f"out-{engines[0]}" / name).read_bytes() == (base / f"out-{e}" / name).read_bytes()
               for e in engines[1:] for name in OUTPUTS)
    print(f"  outputs {'identical' if same else 'DIFFER'} ({', '.join(OUTPUTS)})")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
