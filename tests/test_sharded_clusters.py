"""Dedup's cluster pass run by tasks given whole connected components (`tamis.sharded_clusters`)
gives what one process clustering every edge gives: `cluster`'s tops on random guarded graphs whose
repairs act, `settle`'s answers on the verified edges of a real run's shards, read by the tasks; and a
whole run clustered by many tasks writes the bytes of a run clustered in one process."""
from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

import tamis
from tamis import sharded_clusters, sharded_components
from tamis.dedup import UnionFind, candidate_pairs, cluster, exact_representatives, rank_documents, text_shingles
from tamis.dedup.dedup import Judges, Settled, settle
from tamis.dedup.shingles import normalized_shingles
from tamis.dedup.verify import CONTAINED, NEAR, Edges, ShingleCache, verify_with_raw
from tamis.storage import Folder
from tamis.workdir import DocumentStore, RawStore, WorkDir
from test_sharded_verify import _rows


def random_edges(rng: np.random.Generator, n: int, k: int) -> Edges:
    """About k distinct pairs over ranks 0..n-1, near or contained, with scores that tie now and then:
    dense within groups of a few ranks (a group's ranks scattered over 0..n-1, as a site's pages are),
    a few across groups, so that the guard holds edges back and its repairs have work."""
    group = rng.integers(0, n // 8, n)
    a = rng.integers(0, n, 4 * k)
    b = np.array([rng.choice(np.flatnonzero(group == group[x])) for x in a.tolist()])
    across = rng.random(a.size) < 0.01
    b[across] = rng.integers(0, n, np.count_nonzero(across))
    pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1)[a != b], axis=0)
    pairs = pairs[np.sort(rng.permutation(len(pairs))[:k])]
    lo, hi = pairs[:, 0], pairs[:, 1]
    kind = np.where(rng.random(len(lo)) < 0.5, NEAR, CONTAINED).astype(np.uint8)
    jac = rng.choice([0.02, 0.3, 0.6, 0.8, 0.9], len(lo))
    cont = np.maximum(jac, rng.choice([0.9, 0.95, 1.0], len(lo)))
    return Edges(lo, hi, kind, np.where(kind == NEAR, jac, cont), jac, cont, np.where(rng.random(len(lo)) < 0.5, lo, hi))


def judged(seed: int, ranks: np.ndarray):
    """`related` and `alike` of two ranks, a fixed random answer for each pair of ranks, asked in a
    job's positions (`ranks`: each position's rank)."""
    def answer(salt: int):
        return lambda x, y: hash((seed, salt, int(ranks[x]), int(ranks[y]))) % 3 == 0
    return answer(1), answer(2)


@pytest.mark.parametrize("seed", range(8))
def test_cluster_per_component_is_one_global_cluster(seed):
    rng = np.random.default_rng(seed)
    n = 800
    edges = random_edges(rng, n, 1000)
    related, alike = judged(seed, np.arange(n))
    expected = cluster(n, edges, related=related, alike=alike)
    # the guard and its repairs act: the clusters are not the plain components, and differ without repairs
    plain = UnionFind(n)
    for x, y in zip(edges.lo.tolist(), edges.hi.tolist()):
        plain.union(x, y)
    assert not np.array_equal(expected, plain.roots())
    assert not np.array_equal(expected, cluster(n, edges))
    labels = sharded_components.components(None, n, edges.lo, edges.hi)
    jobs = sharded_clusters.jobs(edges, labels, lambda ranks: None, np.zeros(n, bool), per_task=25)
    assert len(jobs) > 5
    got = np.arange(n)
    for job in jobs:
        related, alike = judged(seed, job.ranks)
        got[job.ranks] = job.ranks[cluster(len(job.ranks), job.edges, related=related, alike=alike)]
    assert np.array_equal(got, expected)


def test_jobs_hold_whole_components_in_rank_order():
    rng = np.random.default_rng(3)
    n = 300
    edges = random_edges(rng, n, 200)
    labels = sharded_components.components(None, n, edges.lo, edges.hi)
    jobs = sharded_clusters.jobs(edges, labels, lambda ranks: ranks, np.zeros(n, bool), per_task=30)
    assert len(jobs) > 3
    seen = [job.ranks for job in jobs]
    assert sum(len(job.edges) for job in jobs) == len(edges)
    assert len(np.unique(np.concatenate(seen))) == sum(map(len, seen))  # a component in one job only
    for job in jobs:
        assert np.array_equal(job.ranks, np.sort(job.ranks)) and np.array_equal(job.places, job.ranks)
        assert len(job.edges) <= 30 or len(np.unique(labels[job.ranks])) == 1  # or one large component
        assert np.all(job.edges.lo < job.edges.hi)
        assert np.all((job.edges.inner == job.edges.lo) | (job.edges.inner == job.edges.hi))


def test_tasks_settle_as_one_process_does(sharded_run, engine, monkeypatch):
    monkeypatch.setattr(sharded_components, "EDGES_PER_TASK", 7)  # the components' rounds by several tasks
    work = WorkDir.reopen(Folder(sharded_run / "out"))
    sig, raw_sig, places = _rows(work, len(work.finished()))
    ids = [f"row{k:06d}" for k in range(len(sig))]
    rank = rank_documents(ids, sig.length)
    rep = exact_representatives(sig, rank)
    reps = np.flatnonzero(rep == np.arange(len(sig)))
    reps = reps[(sig.length[reps] > 0) | (raw_sig.length[reps] > 0)]
    pairs = np.unique(np.concatenate([
        candidate_pairs(s, rank, reps[s.length[reps] > 0], jaccard=0.8, min_contained=30)
        for s in (sig, raw_sig)]), axis=0)
    row_of_rank = np.argsort(rank)
    empty = sig.length[row_of_rank] == 0
    docs = DocumentStore(work, np.maximum(places.doc_shard, 0), places.doc_offset)
    raws = RawStore(work, places.raw_shard, places.raw_start, places.raw_end)
    try:
        def cleaned(r: int) -> np.ndarray:
            row = row_of_rank[r]
            return text_shingles("" if places.doc_shard[row] < 0 else docs.doc(row)["text"])

        def raw(r: int) -> np.ndarray:
            return normalized_shingles(raws.text(row_of_rank[r]))

        edges = verify_with_raw(pairs, cleaned, raw, jaccard=0.8, containment=0.75, min_contained=30)
        expected = settle(len(sig), edges, Judges.of(ShingleCache(cleaned), ShingleCache(raw)), bridge=0.5,
                          empty=empty)
    finally:
        raws.close()
        docs.close()
    assert np.count_nonzero(edges.kind == CONTAINED) > 3  # feed items in their articles
    assert len(np.unique(expected.top)) > 10 and np.isfinite(expected.jaccard).sum() > 10
    got = sharded_clusters.settle(engine, str(sharded_run / "out"), edges,
                                  lambda ranks: places.select(row_of_rank[ranks]), empty, bridge=0.5, per_task=4)
    for field in fields(Settled):
        assert np.array_equal(getattr(got, field.name), getattr(expected, field.name), equal_nan=True), field.name


_CLUSTER_TASK = sharded_clusters.cluster_task


def _counted_task(context, job):
    """`cluster_task`, leaving a file in $TAMIS_TEST_TASKS for each call (the pool's processes too)."""
    (Path(os.environ["TAMIS_TEST_TASKS"]) / f"{os.getpid()}-{job.ranks[0]}").touch()
    return _CLUSTER_TASK(context, job)


def test_run_clustered_by_many_tasks_writes_the_bytes_of_one_process(sharded_run, tmp_path, monkeypatch):
    # sharded_run was clustered in its reduce's process (one worker: `dedup.settle` over every edge).
    # The pool's processes are forked from this one: they see the smaller jobs and runs of edges.
    monkeypatch.setattr(sharded_clusters, "EDGES_PER_TASK", 3)
    monkeypatch.setattr(sharded_components, "EDGES_PER_TASK", 5)
    monkeypatch.setattr(sharded_clusters, "cluster_task", _counted_task)
    (tmp_path / "tasks").mkdir()
    monkeypatch.setenv("TAMIS_TEST_TASKS", str(tmp_path / "tasks"))
    tamis.run([sharded_run / "in"], tmp_path / "out", progress=False, chunk_size=23, workers=2)
    assert len(list((tmp_path / "tasks").iterdir())) > 4  # the components went to many tasks
    for name in ("documents.jsonl", "duplicates.jsonl", "ledger.jsonl"):
        assert (tmp_path / "out" / name).read_bytes() == (sharded_run / "out" / name).read_bytes(), name
    assert (tmp_path / "out" / "duplicates.jsonl").read_text().count("\n") > 20


def test_no_edges_settle_no_member():
    none = verify_with_raw(np.zeros((0, 2), np.int64), None, None, jaccard=0.8, containment=0.75, min_contained=30)
    got = sharded_clusters.settle(None, "unused", none, None, np.zeros(5, bool), bridge=0.5)
    assert len(got) == 0 and got.rank.dtype == np.int64
