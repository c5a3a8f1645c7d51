"""`tamis run INPUT... -o OUT`: clean, split and deduplicate inputs into OUT (see README.md)."""
from __future__ import annotations

import argparse
import sys

from . import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tamis", description=__doc__)
    parser.add_argument("--version", action="version", version=f"tamis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="clean, split and deduplicate inputs into OUT")
    run_p.add_argument("inputs", nargs="+", help=".txt/.jsonl(.gz/.zst)/.parquet/.html/.warc(.gz)/feed files or folders")
    run_p.add_argument("-o", "--out", required=True, help="output folder")
    run_p.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="where the map passes run: a local process pool (default) or Ray")
    run_p.add_argument("--workers", type=int, default=None,
                       help="local: processes (default 1); ray: CPUs of the local Ray it starts (default all)")
    run_p.add_argument("--ray-address", default=None, help="join this Ray cluster instead of starting a local Ray")
    run_p.add_argument("--chunk-size", type=int, default=None,
                       help="input records per work shard, the unit of parallel work and of resuming (default 500)")
    run_p.add_argument("--shard-size", type=int, default=None,
                       help="documents per output file: documents-00000.jsonl... (default: one file)")
    run_p.add_argument("--format", choices=("jsonl", "jsonl.zst", "parquet"), default="jsonl",
                       help="documents and duplicates as JSONL (default), zstd-compressed JSONL or Parquet")
    run_p.add_argument("--fresh", action="store_true", help="start over, ignoring an earlier run's work in OUT/.tamis")
    run_p.add_argument("--no-dedup", action="store_true", help="keep duplicates")
    run_p.add_argument("--jaccard", type=float, default=None, help="near-duplicate Jaccard threshold")
    run_p.add_argument("--containment", type=float, default=None, help="containment threshold")
    bar = run_p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show bars")
    bar.add_argument("--quiet", dest="progress", action="store_false", help="no progress output")
    args = parser.parse_args(argv)
    if args.engine != "ray" and args.ray_address:
        parser.error("--ray-address needs --engine ray")

    from .pipeline import run
    options = dict(engine=args.engine, workers=args.workers, ray_address=args.ray_address, progress=args.progress,
                   dedup=not args.no_dedup, jaccard=args.jaccard, containment=args.containment,
                   shard_size=args.shard_size, format=args.format, fresh=args.fresh)
    if args.chunk_size is not None:
        options["chunk_size"] = args.chunk_size
    summary = run(args.inputs, args.out, **options)
    print(summary["line"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
