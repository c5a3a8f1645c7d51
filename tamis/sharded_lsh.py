"""Dedup's candidate pairs found by tasks over the shard files, so that the driver never holds the
corpus's MinHash values and anchors (about 1.6 KB a document, cleaned text and raw capture together:
1.6 GB at a million documents), only each document's rank, its anchor count and the candidate pairs.

The same pairs as `dedup.lsh.candidate_pairs`, in four steps:
1. band tasks: each loads the MinHash columns of a group of bands from every shard's `.npz` and finds
   the pairs of documents that share one of its bands (`band_pairs`); the driver unions them;
2. the same groups count, for every band pair, its equal MinHash values in their columns: summed,
   the driver has `estimated_jaccard` of each pair;
3. anchor tasks: each loads the anchors whose value falls in its partitions (the value's top bits, a
   shuffle) and finds the pairs that share them, with how many (`fold_anchor_pairs`); it writes them
   to OUT/.tamis/lsh in buckets by pair (a second shuffle: generic text, such as a site's template
   in its raw captures, makes tens of pairs per document here, most of them dropped next);
4. a task per bucket adds up each pair's shared anchors over the partitions and keeps the pairs
   `anchor_kept` keeps; the driver unions them with the band pairs close enough
   (`choose_candidates`).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from .dedup.lsh import add_counts, anchor_kept, band_pairs, choose_candidates, fold_anchor_pairs
from .dedup.shingles import sorted_unique
from .dedup.signatures import Signatures
from .storage import Folder
from .workdir import WorkDir

PARTITION_BITS = 6       # as `anchor_pairs`
# How many tasks each step has: one per DOCS_PER_TASK documents, rounded up to a power of two, at most
# MAX_TASKS (at 8: 4 bands and 8 anchor partitions a task, 16 buckets). Each task reads every shard
# file, so a small corpus in 8 tasks spent most of dedup's time opening files (0.58-0.95 s -> 0.12-0.15 s
# in a 4,500-document run in one task). The pairs do not depend on the grouping: the outputs are the same.
DOCS_PER_TASK = 25_000
MAX_TASKS = 8


def check_tasks(tasks: int | None) -> int | None:
    """`tasks` if None or a power of two that the 2^PARTITION_BITS anchor partitions divide among."""
    if tasks is not None and (not isinstance(tasks, int) or tasks < 1 or tasks & (tasks - 1)
                              or tasks > 1 << PARTITION_BITS):
        raise ValueError(f"lsh_tasks must be a power of two from 1 to {1 << PARTITION_BITS}, not {tasks!r}")
    return tasks


def task_count(documents: int) -> int:
    tasks = 1
    while tasks < MAX_TASKS and tasks * DOCS_PER_TASK < documents:
        tasks *= 2
    return tasks


@dataclass
class LshContext:
    shards: str               # OUT/.tamis/shards
    scratch: str              # OUT/.tamis/lsh: the anchor pairs, by bucket
    sizes: list[int]          # signature rows of each shard
    prefix: str               # "" (cleaned texts) or "raw_" (raw captures)
    rank: np.ndarray          # rank of each row
    ranks: np.ndarray         # the ranks taking part, ascending
    anchored: np.ndarray      # the rows whose anchors take part
    num_perm: int
    band_rows: int
    top: int
    pairs: tuple[np.ndarray, np.ndarray] | None = None  # step 2: the band pairs' rows
    held: np.ndarray | None = None                       # step 4: each row's number of anchors
    tasks: int = 1                                       # tasks per step (`candidates`)

    @property
    def parts_per_task(self) -> int:
        """Anchor partitions a step-3 task reads."""
        return (1 << PARTITION_BITS) // self.tasks

    @property
    def buckets(self) -> int:
        """Step 3's buckets of anchor pairs, a step-4 task each."""
        return 2 * self.tasks


def candidates(engine, shards: str, scratch: str, sizes: list[int], prefix: str, sig: Signatures,
               rank: np.ndarray, rows: np.ndarray, *, jaccard: float, min_contained: int, band_rows: int = 4,
               top: int = 8, tasks: int | None = None) -> np.ndarray:
    """`candidate_pairs(sig, rank, rows, ...)` with the MinHash values and anchors read by tasks on
    `engine` from the shard files (`sig` itself may hold none); `scratch`: a folder for the tasks'
    anchor pairs (emptied first and after). `tasks` (a power of two up to 64; `task_count` of the
    documents if None) is how many tasks each step has."""
    n = rank.size
    if n >= 1 << 32:
        raise ValueError("at most 2^32 documents per reduce")
    tasks = check_tasks(tasks) or task_count(n)
    row_of_rank = np.empty(n, dtype=np.int64)
    row_of_rank[rank] = np.arange(n)
    big = rows[sig.shingles[rows] >= min_contained]
    context = LshContext(shards, scratch, sizes, prefix, rank, np.sort(rank[rows]), big, sig.num_perm, band_rows,
                         top, tasks=tasks)
    bands = sig.num_perm // band_rows
    per_task = -(-bands // tasks)
    groups = [list(range(b, min(b + per_task, bands))) for b in range(0, bands, per_task)]
    found = [k for k in engine.map(band_task, groups, context) if k.size]
    keys = sorted_unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.uint64)
    lo, hi = keys // np.uint64(n), keys % np.uint64(n)
    context.pairs = (row_of_rank[lo], row_of_rank[hi])
    equal = sum(engine.map(equal_task, groups, context), np.zeros(keys.size, dtype=np.int64))
    est = equal / sig.num_perm
    step = context.parts_per_task
    parts = [list(range(p, p + step)) for p in range(0, 1 << PARTITION_BITS, step)]
    context.pairs = None
    folder = Folder(scratch)
    folder.remove_all()
    folder.makedirs()
    try:
        for _ in engine.map(anchor_task, parts, context):
            pass
        context.held = np.diff(sig.anchor_offsets)
        kept = [k for k in engine.map(anchor_reduce_task, range(context.buckets), context) if k.size]
    finally:
        folder.remove_all()
    anchor_keep = sorted_unique(np.concatenate(kept)) if kept else np.zeros(0, dtype=np.uint64)
    return choose_candidates(row_of_rank, keys, est, anchor_keep, jaccard=jaccard)


def _columns(context: LshContext, bands: list[int]) -> np.ndarray:
    """The MinHash columns of `bands`, every row."""
    cols = np.concatenate([np.arange(b * context.band_rows, (b + 1) * context.band_rows) for b in bands])
    out = np.empty((sum(context.sizes), cols.size), dtype=np.uint32)
    folder = Folder(context.shards)
    try:
        at = 0
        for k, size in enumerate(context.sizes):
            out[at:at + size] = folder.arrays(WorkDir.name(k, "npz"), (context.prefix + "minhash",))[0][:, cols]
            at += size
    finally:
        folder.close()
    return out


def band_task(context: LshContext, bands: list[int]) -> np.ndarray:
    """Pair keys of the documents that share one of `bands`."""
    block = _columns(context, bands)
    n = context.rank.size
    part = Signatures(exact=np.zeros(0, np.uint64), length=np.zeros(0, np.int64), shingles=np.zeros(0, np.int64),
                      minhash=block, anchors=np.zeros(0, np.uint32), anchor_offsets=np.zeros(1, np.int64),
                      num_perm=block.shape[1], seed=0, anchor_bits=0, width=0, method="")
    row_of_rank = np.empty(n, dtype=np.int64)
    row_of_rank[context.rank] = np.arange(n)
    return band_pairs(part, row_of_rank, context.ranks, band_rows=context.band_rows, top=context.top)


def equal_task(context: LshContext, bands: list[int], chunk: int = 1 << 14) -> np.ndarray:
    """For each band pair, its equal MinHash values in the columns of `bands`."""
    block = _columns(context, bands)
    a, b = context.pairs
    out = np.empty(a.size, dtype=np.int64)
    for s in range(0, a.size, chunk):
        out[s:s + chunk] = np.count_nonzero(block[a[s:s + chunk]] == block[b[s:s + chunk]], axis=1)
    return out


def anchor_task(context: LshContext, parts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Pair keys of the documents sharing anchors whose value falls in `parts`, with how many."""
    n = context.rank.size
    wanted = np.zeros(n, dtype=bool)
    wanted[context.anchored] = True
    values: dict[int, list[np.ndarray]] = {p: [] for p in parts}
    owners: dict[int, list[np.ndarray]] = {p: [] for p in parts}
    folder = Folder(context.shards)
    try:
        at = 0
        for k, size in enumerate(context.sizes):
            anchors, offsets = folder.arrays(WorkDir.name(k, "npz"),
                                             (context.prefix + "anchors", context.prefix + "anchor_offsets"))
            owner = at + np.repeat(np.arange(size, dtype=np.int64), np.diff(offsets))
            part_of = np.where(wanted[owner], anchors >> np.uint32(32 - PARTITION_BITS), 1 << PARTITION_BITS)
            for p in parts:
                take = np.flatnonzero(part_of == p)
                values[p].append(anchors[take])
                owners[p].append(owner[take])
            at += size
    finally:
        folder.close()
    slices = ((np.concatenate(values[p]) if values[p] else np.zeros(0, np.uint32),
               context.rank[np.concatenate(owners[p]).astype(np.int64)] if owners[p] else np.zeros(0, np.int64))
              for p in parts)
    keys, counts = fold_anchor_pairs(slices, n, context.top)
    bucket = keys % np.uint64(context.buckets)
    out = Folder(context.scratch)
    out.makedirs()
    for b in range(context.buckets):
        take = bucket == b
        buf = io.BytesIO()
        np.savez(buf, keys=keys[take], counts=counts[take])
        out.write_bytes(_bucket_name(context.prefix, parts[0], b), buf.getvalue())
    return int(keys.size)


def _bucket_name(prefix: str, part: int, bucket: int) -> str:
    return f"{prefix}anchors-{part:03d}-{bucket:02d}.npz"


def anchor_reduce_task(context: LshContext, bucket: int) -> np.ndarray:
    """The anchor pairs of one bucket, their shared anchors added up over all partitions, that
    `anchor_kept` keeps."""
    folder = Folder(context.scratch)
    keys, counts = [], []
    for part in range(0, 1 << PARTITION_BITS, context.parts_per_task):
        with folder.open_read(_bucket_name(context.prefix, part, bucket)) as f, np.load(f) as z:
            keys.append(z["keys"])
            counts.append(z["counts"])
    if not sum(k.size for k in keys):
        return np.zeros(0, dtype=np.uint64)
    n = context.rank.size
    row_of_rank = np.empty(n, dtype=np.int64)
    row_of_rank[context.rank] = np.arange(n)
    return anchor_kept(row_of_rank, *add_counts(keys, counts), context.held)
