"""Dedup's cluster pass run by tasks, each given whole connected components of the verified edges,
so that the reduce task neither walks the clusters nor reads the texts their repairs and canonical
choice compare (`dedup.dedup.settle`).

Every cluster of `dedup.clusters.cluster`, every edge its guard holds back, every witness join and
every generic text lies inside one connected component of the edges; what `settle` says of a member
depends on its cluster alone. The components are found by tasks (`tamis.sharded_components`), cut
into jobs of whole components of up to `EDGES_PER_TASK` edges in all (a larger component is a job of
its own), in the order of their smallest rank. Each job gets its components' edges, with their ranks
renumbered 0..k-1 in rank order (so that the edges' order, best first then by ranks, every tie and
"the top is the smallest rank" hold as over all ranks), and, for each of its ranks, where its texts
lie in the shards (`sharded_verify.Places`): its task reads and shingles them as `resolve` would, runs
`settle`, and returns its members' answers by rank: the same answers as one process settling all.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import sharded_components
from .engines import map_here_if_one
from .dedup.dedup import Judges, Settled, settle as settle_ranks
from .dedup.verify import Edges
from .sharded_verify import Places, shingled

EDGES_PER_TASK = 20_000  # a job's share: its ranks' texts, read when its clusters' repairs or canonicals ask


@dataclass
class ClusterContext:
    out: str             # OUT's path or URL
    bridge: float


@dataclass
class ClusterJob:
    ranks: np.ndarray    # the ranks of the job's components, ascending
    places: Places       # ... where their texts lie
    empty: np.ndarray    # ... whether their cleaned texts are empty
    edges: Edges         # the components' edges, lo, hi and inner as positions in `ranks`


def cluster_task(context: ClusterContext, job: ClusterJob) -> Settled:
    """`settle` over the job's components, its answers by rank."""
    with shingled(context.out, job.places) as (cleaned, raw):
        found = settle_ranks(len(job.ranks), job.edges, Judges.of(cleaned, raw), bridge=context.bridge,
                             empty=job.empty)
    ranks = job.ranks
    return Settled(ranks[found.rank], ranks[found.top], ranks[found.canonical], found.jaccard, found.containment)


def jobs(edges: Edges, labels: np.ndarray, places_of_ranks, empty: np.ndarray,
         per_task: int | None = None) -> list[ClusterJob]:
    """The edges' components (`labels`: each rank's component, its smallest rank) cut in jobs of whole
    components, up to `per_task` (`EDGES_PER_TASK`) edges a job unless one component has more;
    `places_of_ranks(ranks)`: their `Places`; `empty`: for each rank, whether its cleaned text is."""
    per_task = per_task or EDGES_PER_TASK
    if not len(edges):
        return []
    component = labels[edges.lo]
    order = np.argsort(component, kind="stable")  # by component, each one's edges in their order
    component = component[order]
    bounds = np.flatnonzero(np.r_[True, component[1:] != component[:-1]]).tolist() + [len(order)]
    cuts, begin = [], 0
    for start, end in zip(bounds[:-1], bounds[1:]):  # each component's edges: order[start:end]
        if end - begin > per_task and start > begin:
            cuts.append((begin, start))
            begin = start
    cuts.append((begin, len(order)))
    out = []
    for begin, end in cuts:
        take = edges.select(order[begin:end])
        ranks, at = np.unique(np.concatenate([take.lo, take.hi]), return_inverse=True)
        lo, hi = at[:len(take)], at[len(take):]
        local = Edges(lo, hi, take.kind, take.score, take.jaccard, take.containment,
                      np.where(take.inner == take.lo, lo, hi))
        out.append(ClusterJob(ranks, places_of_ranks(ranks), empty[ranks], local))
    return out


def settle(engine, out: str, edges: Edges, places_of_ranks, empty: np.ndarray, *, bridge: float,
           per_task: int | None = None) -> Settled:
    """`dedup.dedup.settle(n, edges, ...)` over the texts in the shards of OUT (`out`), by tasks on
    `engine` (n: `empty`'s length); its answers in rank order."""
    labels = sharded_components.components(engine, len(empty), edges.lo, edges.hi)
    context = ClusterContext(out, bridge)
    work = jobs(edges, labels, places_of_ranks, empty, per_task)
    if not work:  # no edges: every rank its own cluster's top
        return Settled(*(np.zeros(0, np.int64) for _ in range(3)), np.zeros(0), np.zeros(0))
    found = map_here_if_one(engine, cluster_task, work, context)
    settled = Settled.concat(found)
    return settled.select(np.argsort(settled.rank))
