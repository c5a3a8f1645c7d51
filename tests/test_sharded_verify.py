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
from tamis.workdir import DocumentStore, NormStore, WorkDir

def _rows(work: WorkDir, shards: int):
    """Every dedup row's signatures (cleaned, raw), where its normalised texts lie, as the reduce reads
    them, and where its document lies (shard -1: none, a record the cleaner emptied)."""
    sig, raw_sig, places, docs = [], [], [], []
    for k in range(shards):
        s, at, _, r, norm_at = work.signatures(k)
        sig.append(s)
        raw_sig.append(r)
        ghosts = len(s) - len(at)
        places.append(sharded_verify.Places(np.full(len(s), k, np.int32), norm_at[:-1:2], norm_at[1::2],
                                            norm_at[2::2]))
        docs.append(np.stack([np.concatenate([np.full(len(at), k), np.full(ghosts, -1)]),
                              np.concatenate([at, np.zeros(ghosts, np.int64)])], axis=1))
    every = sharded_verify.Places.concat(places)
    return Signatures.concat(sig), Signatures.concat(raw_sig), every, np.concatenate(docs)


def shingles_read_back(work: WorkDir, places, doc_at, row_of_rank):
    """(cleaned, raw): by rank, the shingles of each document's text as written (normalised here),
    and of its raw capture's normalised text in the shards; and a function that closes the files."""
    docs = DocumentStore(work, np.maximum(doc_at[:, 0], 0).astype(np.int32), doc_at[:, 1])
    norms = NormStore(work, places.shard, places.start, places.mid, places.end)

    def cleaned(r: int) -> np.ndarray:
        row = row_of_rank[r]
        return text_shingles("" if doc_at[row, 0] < 0 else docs.doc(row)["text"])

    def close() -> None:
        norms.close()
        docs.close()
    return cleaned, lambda r: normalized_shingles(norms.raw(row_of_rank[r])), close


def test_tasks_verify_as_one_process_does(sharded_run, engine):
    work = WorkDir.reopen(Folder(sharded_run / "out"))
    sig, raw_sig, places, doc_at = _rows(work, len(work.finished()))
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
    cleaned, raw, close = shingles_read_back(work, places, doc_at, row_of_rank)
    try:
        expected = verify_with_raw(pairs, cleaned, raw, jaccard=0.8, containment=0.7, min_contained=30)
    finally:
        close()
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
