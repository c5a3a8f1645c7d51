"""The connected components found by hooking rounds of tasks over runs of edges
(`tamis.sharded_components`) are a union-find's, each rank labelled with its component's smallest
rank: on random graphs with isolated ranks, on long chains in any rank order, whatever the edges'
order, their direction or the tasks, in a few rounds."""
from __future__ import annotations

import numpy as np
import pytest

from tamis import sharded_components
from tamis.dedup import UnionFind
from tamis.engines import make_engine


def union_find(n: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    sets = UnionFind(n)
    for a, b in zip(lo.tolist(), hi.tolist()):
        sets.union(a, b)
    return sets.roots()


@pytest.fixture(params=[1, 2])
def engine(request):
    """The local engine: the tasks in this process, or in a pool of 2."""
    engine = make_engine("local", request.param)
    yield engine
    engine.close()


@pytest.fixture
def rounds(monkeypatch):
    """How many rounds `components` ran (one `flatten` a round)."""
    count = [0]
    flatten = sharded_components.flatten

    def counted(labels):
        count[0] += 1
        return flatten(labels)

    monkeypatch.setattr(sharded_components, "flatten", counted)
    return count


@pytest.mark.parametrize("seed", range(5))
def test_random_graphs_get_a_union_finds_components(engine, seed):
    rng = np.random.default_rng(seed)
    n = 3000
    # few edges on a part of the ranks: many small components, and ranks in none (isolated)
    k = int(rng.integers(500, 2500))
    touched = rng.choice(n, size=n // 2, replace=False)
    a, b = touched[rng.integers(0, touched.size, k)], touched[rng.integers(0, touched.size, k)]
    expected = union_find(n, a, b)
    assert 50 < np.unique(expected).size < n  # some components, of one rank and more
    got = sharded_components.components(engine, n, a, b, per_task=97)
    assert np.array_equal(got, expected)
    # the same components whatever the edges' order or direction
    flip = rng.random(k) < 0.5
    order = rng.permutation(k)
    again = sharded_components.components(engine, n, np.where(flip, b, a)[order], np.where(flip, a, b)[order],
                                          per_task=211)
    assert np.array_equal(again, expected)


@pytest.mark.parametrize("order", ["ascending", "descending", "random"])
def test_a_long_chain_is_one_component_in_a_few_rounds(engine, rounds, order):
    n = 20_000
    ranks = {"ascending": np.arange(n), "descending": np.arange(n)[::-1],
             "random": np.random.default_rng(7).permutation(n)}[order]
    # the chain's links in random order, cut in many runs: a label passed one link a round would
    # need n rounds
    links = np.random.default_rng(8).permutation(n - 1)
    got = sharded_components.components(engine, n + 5, ranks[:-1][links], ranks[1:][links], per_task=1000)
    assert np.array_equal(got, np.r_[np.zeros(n, np.int64), np.arange(n, n + 5)])
    assert rounds[0] <= 20


def test_no_edges_leave_every_rank_alone(engine):
    none = np.zeros(0, np.int64)
    assert np.array_equal(sharded_components.components(engine, 4, none, none), np.arange(4))
