"""Dedup's candidate pairs found by tasks over the shard files (`tamis.sharded_lsh`) are exactly the
pairs `candidate_pairs` finds holding every signature in one process: band pairs, their estimated
Jaccard, and anchor pairs, for the cleaned texts and for the raw captures, on the shards of a real run."""
from __future__ import annotations


import numpy as np
import pytest

import tamis
from tamis import sharded_lsh
from tamis.dedup import Signatures, candidate_pairs, exact_representatives, rank_documents
from tamis.engines import make_engine
from tamis.storage import Folder
from tamis.workdir import WorkDir


@pytest.fixture(scope="module")
def run(sharded_run):
    work = WorkDir.reopen(Folder(sharded_run / "out"))
    return work, len(work.finished())


@pytest.mark.parametrize("prefix", ["", "raw_"])
@pytest.mark.parametrize("workers,tasks", [(1, None), (2, None), (1, 2), (2, 8), (1, 64)])
def test_sharded_candidates_are_candidate_pairs(run, prefix, workers, tasks):
    """Whatever the number of tasks a step is split in (one for a corpus this small, by default)."""
    work, shards = run
    full = [work.signatures(k)[0 if not prefix else 3] for k in range(shards)]
    light = [work.signatures(k, light=True)[0 if not prefix else 3] for k in range(shards)]
    sig, thin = Signatures.concat(full), Signatures.concat(light)
    assert thin.minhash.size == 0 and thin.anchors.size == 0
    assert np.array_equal(np.diff(thin.anchor_offsets), np.diff(sig.anchor_offsets))
    ids = [f"row{k:06d}" for k in range(len(sig))]
    rank = rank_documents(ids, sig.length)
    rep = exact_representatives(sig, rank)
    reps = np.flatnonzero(rep == np.arange(len(sig)))
    rows = reps[sig.length[reps] > 0]
    expected = candidate_pairs(sig, rank, rows, jaccard=0.8, min_contained=30)
    engine = make_engine("local", workers)
    try:
        got = sharded_lsh.candidates(engine, work.shards.url, work.root.child("lsh").url, [len(p) for p in light],
                                     prefix, thin, rank, rows, jaccard=0.8, min_contained=30, tasks=tasks)
    finally:
        engine.close()
    assert len(expected) > 20  # near copies and feed items inside their articles
    assert np.array_equal(got, expected)
    assert not (work.root.local / "lsh").exists()  # the anchor pairs' buckets are gone


def test_the_task_plan_grows_with_the_corpus_up_to_its_limit():
    counts = [sharded_lsh.task_count(n) for n in (0, 4_500, 25_000, 25_001, 100_000, 10**6, 10**9)]
    assert counts == sorted(counts) and counts[0] == 1 and counts[-1] == sharded_lsh.MAX_TASKS
    assert all(c & (c - 1) == 0 for c in counts)
    with pytest.raises(ValueError):
        sharded_lsh.candidates(None, "", "", [], "", None, np.arange(3), np.arange(3), jaccard=0.8,
                               min_contained=30, tasks=3)


@pytest.mark.parametrize("tasks", [0, 3, 128, 2.0])
def test_a_run_refuses_a_task_count_before_it_starts(tasks, tmp_path):
    with pytest.raises(ValueError, match="lsh_tasks"):
        tamis.run([str(tmp_path / "nothing.jsonl")], tmp_path / "out", lsh_tasks=tasks, progress=False)
    assert not (tmp_path / "out").exists()
