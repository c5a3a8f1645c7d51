"""The connected components of dedup's verified edges, found by tasks over runs of the edges, so
that no process walks every edge: the reduce holds one label per rank.

Each rank's label points at a smaller rank of its component (itself at first); the labels form
trees whose roots are their smallest ranks, flat after each round (every label a root). A round:
each task maps its edges through the labels, keeps those whose two ends lie in different trees, and
proposes for the larger root of each the smallest root it meets (hooking, as hash-to-min sends a
node's smallest neighbour); the reduce lowers each root to its smallest proposal and flattens the
trees by pointer jumping. The edges the tasks kept, as pairs of roots (each pair once a task), are
the next round's, cut in runs again: the graph contracts as its trees grow, and the rounds end when
no task keeps an edge.
Every label only goes down, to a rank of its component, so that a component's smallest rank is its
root; a round with an edge across two trees hooks the larger root, so that there are fewer trees
after each round; and with the trees flattened a long chain needs a few rounds, not its length.

The labels are then each rank's smallest rank of its component: what a union-find keeping the
smallest element as root (`dedup.clusters.UnionFind`) gives, whatever the tasks or their order.
"""
from __future__ import annotations

import numpy as np

from .engines import map_here_if_one

EDGES_PER_TASK = 200_000  # a task's run of edges at the first round (16 bytes each); fewer after


def hook_task(labels: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For a run of edges (k x 2 ranks) and the round's flat labels: the edges across two trees, as
    pairs of their roots (smaller first, each pair once), and for each larger root of them the
    smallest root it meets (roots, proposals)."""
    a, b = labels[edges[:, 0]], labels[edges[:, 1]]
    across = a != b
    lo, hi = np.minimum(a[across], b[across]), np.maximum(a[across], b[across])
    pairs = np.unique(np.stack([lo, hi], axis=1), axis=0)
    if not len(pairs):
        return pairs, np.zeros(0, np.int64), np.zeros(0, np.int64)
    by_hi = pairs[np.lexsort((pairs[:, 0], pairs[:, 1]))]  # by the larger root, smallest partner first
    first = np.flatnonzero(np.r_[True, by_hi[1:, 1] != by_hi[:-1, 1]])
    return pairs, by_hi[first, 1], by_hi[first, 0]


def flatten(labels: np.ndarray) -> np.ndarray:
    """Every label replaced by its tree's root (pointer jumping: each step halves the paths)."""
    while True:
        up = labels[labels]
        if np.array_equal(up, labels):
            return labels
        labels = up


def components(engine, n: int, lo: np.ndarray, hi: np.ndarray, per_task: int | None = None) -> np.ndarray:
    """For each of ranks 0..n-1, the smallest rank of its connected component in the edges
    (`lo[i]`, `hi[i]`), by hooking rounds of tasks on `engine` over runs of `per_task`
    (`EDGES_PER_TASK`) edges; a round of one run is done here (`map_here_if_one`)."""
    per_task = per_task or EDGES_PER_TASK
    labels = np.arange(n, dtype=np.int64)
    edges = np.stack([np.asarray(lo, np.int64), np.asarray(hi, np.int64)], axis=1)
    while len(edges):
        runs = [edges[s:s + per_task] for s in range(0, len(edges), per_task)]
        found = map_here_if_one(engine, hook_task, runs, labels)
        edges = np.concatenate([pairs for pairs, _, _ in found])
        roots = np.concatenate([r for _, r, _ in found])
        np.minimum.at(labels, roots, np.concatenate([p for _, _, p in found]))
        labels = flatten(labels)
    return labels
