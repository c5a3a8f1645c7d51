"""Dedup's verification run by tasks that read the texts from the shard files, so that the reduce
task neither reads nor shingles the texts of every candidate pair itself.

The candidate pairs (sorted by their first rank, as `candidate_pairs` gives them) are cut in runs of
`PAIRS_PER_TASK`; each task gets its run and, for each document the run names, where its cleaned text
and its raw capture lie in the shards (a few numbers), reads and shingles them, and verifies its pairs
as `dedup.verify.verify_with_raw` does. The edges come back in the pairs' order: the same edges, in
the same order, as one process verifying them all.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .columns import Columns
from .dedup.shingles import normalized_shingles, text_shingles
from .dedup.verify import Edges, ShingleCache, verify_with_raw
from .engines import map_here_if_one
from .storage import Folder
from .workdir import DocumentStore, RawStore, WorkDir

PAIRS_PER_TASK = 20_000  # a task's share: the texts of up to twice this many documents, read once each


@dataclass
class Places(Columns):
    """Where each of some documents' texts lie in OUT/.tamis/shards: the cleaned text is line
    `doc_offset` of shard `doc_shard`'s documents (`doc_shard` -1: none, a record the cleaner
    emptied), the raw capture bytes `raw_start:raw_end` of shard `raw_shard`'s raw texts."""

    doc_shard: np.ndarray
    doc_offset: np.ndarray
    raw_shard: np.ndarray
    raw_start: np.ndarray
    raw_end: np.ndarray


@dataclass
class VerifyContext:
    out: str             # OUT's path or URL
    jaccard: float
    containment: float
    min_contained: int


@dataclass
class VerifyJob:
    ranks: np.ndarray    # the documents the job's pairs name, by rank, ascending
    places: Places       # ... and where their texts lie
    pairs: np.ndarray    # k x 2: the pairs, as positions in `ranks`


def verify_task(context: VerifyContext, job: VerifyJob) -> Edges:
    """The job's verified pairs, by rank."""
    with shingled(context.out, job.places) as (cleaned, raw):
        edges = verify_with_raw(job.pairs, cleaned, raw, jaccard=context.jaccard, containment=context.containment,
                                min_contained=context.min_contained)
    ranks = job.ranks
    return Edges(ranks[edges.lo], ranks[edges.hi], edges.kind, edges.score, edges.jaccard, edges.containment,
                 ranks[edges.inner])


@contextmanager
def shingled(out: str, places: Places) -> Iterator[tuple[ShingleCache, ShingleCache]]:
    """The shingles of the cleaned texts and of the raw captures at `places` (by position), read from the
    shards of OUT (`out`) when first asked for; the shard files are closed after. A task that compares
    texts (`verify_task`, `sharded_clusters.cluster_task`) reads them so."""
    work = WorkDir.reopen(Folder(out))
    docs = DocumentStore(work, np.maximum(places.doc_shard, 0), places.doc_offset)
    raws = RawStore(work, places.raw_shard, places.raw_start, places.raw_end)
    try:
        def cleaned(i: int) -> np.ndarray:
            return text_shingles("" if places.doc_shard[i] < 0 else docs.doc(i)["text"])

        yield ShingleCache(cleaned), ShingleCache(lambda i: normalized_shingles(raws.text(i)))
    finally:
        raws.close()
        docs.close()


def jobs(pairs: np.ndarray, places_of_ranks, per_task: int | None = None) -> list[VerifyJob]:
    """`pairs` (by rank) cut in runs of `per_task` (`PAIRS_PER_TASK`); `places_of_ranks(ranks)`: their
    `Places`."""
    per_task = per_task or PAIRS_PER_TASK
    out = []
    for start in range(0, len(pairs), per_task):
        run = pairs[start:start + per_task]
        ranks, at = np.unique(run, return_inverse=True)
        out.append(VerifyJob(ranks, places_of_ranks(ranks), at.reshape(run.shape).astype(np.int64)))
    return out


def verify(engine, out: str, pairs: np.ndarray, places_of_ranks, *, jaccard: float, containment: float,
           min_contained: int, per_task: int | None = None) -> Edges:
    """`verify_with_raw(pairs, ...)` over the texts in the shards of OUT (`out`), by tasks on `engine`."""
    context = VerifyContext(out, jaccard, containment, min_contained)
    work = jobs(pairs, places_of_ranks, per_task)
    found = map_here_if_one(engine, verify_task, work, context)
    if not found:
        return verify_with_raw(np.zeros((0, 2), dtype=np.int64), None, None, jaccard=jaccard,
                               containment=containment, min_contained=min_contained)
    return Edges.concat(found)
