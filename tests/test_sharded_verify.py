"""Dedup's verification by tasks that read the texts from the shard files (`tamis.sharded_verify`)
gives the edges one process verifying every pair gives, in the same order, on the shards of a real
run; and a whole run whose pairs are verified by many tasks writes the same bytes."""
from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import numpy as np

import tamis
from tamis import sharded_verify
from tamis.dedup import Signatures, candidate_pairs, exact_representatives, rank_documents, text_shingles
from tamis.dedup.shingles import normalized_shingles
from tamis.dedup.verify import Edges, verify_with_raw
from tamis.storage import Folder
from tamis.workdir import DocumentStore, RawStore, WorkDir

def _rows(work: WorkDir, shards: int):
    """Every dedup row's signatures (cleaned, raw) and where its texts lie, as the reduce reads them."""
    sig, raw_sig, places = [], [], []
    for k in range(shards):
        s, at, _, r, raw_at = work.signatures(k)
        sig.append(s)
        raw_sig.append(r)
        ghosts = len(s) - len(at)
        places.append(sharded_verify.Places(
            np.concatenate([np.full(len(at), k), np.full(ghosts, -1)]).astype(np.int32),
            np.concatenate([at, np.zeros(ghosts, np.int64)]), np.full(len(s), k, np.int32),
            raw_at[:-1], raw_at[1:]))
    every = sharded_verify.Places.concat(places)
    return Signatures.concat(sig), Signatures.concat(raw_sig), every


def test_tasks_verify_as_one_process_does(sharded_run, engine):
    work = WorkDir.reopen(Folder(sharded_run / "out"))
    sig, raw_sig, places = _rows(work, len(work.finished()))
    ids = [f"row{k:06d}" for k in range(len(sig))]
    rank = rank_documents(ids, sig.length)
    rep = exact_representatives(sig, rank)
    reps = np.flatnonzero(rep == np.arange(len(sig)))
    pairs = np.unique(np.concatenate([
        candidate_pairs(s, rank, reps[s.length[reps] > 0], jaccard=0.8, min_contained=30)
        for s in (sig, raw_sig)]), axis=0)
    assert len(pairs) > 15  # near copies, feed items in their articles, captures of one page
    # ... and pairs no LSH would give: two pages of one site, sharing its template in their raw captures
    pairs = np.unique(np.concatenate([pairs, [(r, r + 1) for r in range(0, 60, 3)]]), axis=0)
    row_of_rank = np.argsort(rank)  # pairs are by rank, as `resolve` verifies them
    docs = DocumentStore(work, np.maximum(places.doc_shard, 0), places.doc_offset)
    raws = RawStore(work, places.raw_shard, places.raw_start, places.raw_end)
    try:
        def cleaned(r: int) -> np.ndarray:
            row = row_of_rank[r]
            return text_shingles("" if places.doc_shard[row] < 0 else docs.doc(row)["text"])

        expected = verify_with_raw(pairs, cleaned, lambda r: normalized_shingles(raws.text(row_of_rank[r])),
                                   jaccard=0.8, containment=0.7, min_contained=30)
    finally:
        raws.close()
        docs.close()
    assert 0 < len(expected) < len(pairs)  # some pairs are duplicates, some are not
    got = sharded_verify.verify(engine, str(sharded_run / "out"), pairs, lambda ranks: places.select(row_of_rank[ranks]),
                                jaccard=0.8, containment=0.7, min_contained=30, per_task=4)
    for field in fields(Edges):
        assert np.array_equal(getattr(got, field.name), getattr(expected, field.name)), field.name


_VERIFY_TASK = sharded_verify.verify_task


def _counted_task(context, job):
    """`verify_task`, leaving a file in $TAMIS_TEST_TASKS for each call (the pool's processes too)."""
    (Path(os.environ["TAMIS_TEST_TASKS"]) / f"{os.getpid()}-{job.ranks[0]}").touch()
    return _VERIFY_TASK(context, job)


def test_run_verified_by_many_tasks_writes_the_same_bytes(sharded_run, tmp_path, monkeypatch):
    # The pool's processes are forked from this one: they see the smaller runs of pairs.
    monkeypatch.setattr(sharded_verify, "PAIRS_PER_TASK", 3)
    monkeypatch.setattr(sharded_verify, "verify_task", _counted_task)
    (tmp_path / "tasks").mkdir()
    monkeypatch.setenv("TAMIS_TEST_TASKS", str(tmp_path / "tasks"))
    tamis.run([sharded_run / "in"], tmp_path / "out", progress=False, chunk_size=23, workers=2)
    assert len(list((tmp_path / "tasks").iterdir())) > 4  # the pairs went to many tasks
    for name in ("documents.jsonl", "duplicates.jsonl", "ledger.jsonl"):
        assert (tmp_path / "out" / name).read_bytes() == (sharded_run / "out" / name).read_bytes(), name
    assert (tmp_path / "out" / "duplicates.jsonl").read_text().count("\n") > 20
