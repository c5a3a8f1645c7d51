"""`tamis run INPUT... -o OUT [--workers N]`."""
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
    run_p.add_argument("--workers", type=int, default=1, help="processes for the clean pass (default 1)")
    run_p.add_argument("--no-dedup", action="store_true", help="keep duplicates")
    run_p.add_argument("--jaccard", type=float, default=None, help="near-duplicate Jaccard threshold")
    run_p.add_argument("--containment", type=float, default=None, help="containment threshold")
    bar = run_p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show bars")
    bar.add_argument("--quiet", dest="progress", action="store_false", help="no progress output")
    args = parser.parse_args(argv)

    from .pipeline import run
    summary = run(args.inputs, args.out, workers=args.workers, progress=args.progress, dedup=not args.no_dedup,
                  jaccard=args.jaccard, containment=args.containment)
    print(summary["line"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
