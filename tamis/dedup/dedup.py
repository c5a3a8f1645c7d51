"""Deduplication end to end: exact hashes, then sign -> candidates -> verify -> cluster -> choose.

`deduplicate(ids, texts)` runs every pass in this process. A sharded engine runs `sign` per shard (a
map), concatenates the `Signatures`, and calls `resolve` (the reduce) with a way to re-read one
document's shingles for verification.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from ..columns import Columns
from ..progress import own_peak_kb
from .clusters import cluster
from .lsh import candidate_pairs
from .shingles import text_shingles
from .signatures import Signatures, sign
from .verify import (AGREE, ALIKE_JACCARD, CONTAINED, KINDS, NEAR, Edges, ShingleCache, similarity,
                     verify, verify_with_raw)

JACCARD = 0.8
CONTAINMENT = 0.9  # one text per document: two articles of one news site reach 0.84 on raw text
CONTAINMENT_WITH_RAW = 0.75  # cleaned texts beside their raw captures (`verify_with_raw`): on dedup-dev,
# 6% of true capture pairs sit between 0.8 and 0.9 (a human-written body beside a tool's rendering), and
# more between 0.75 and 0.8 (collection, listing, product, service and documentation pages gain). Whole
# run, halves split by registered domain (bench_dedup.py): 0.8 -> 0.75 gives F1 0.9760 -> 0.9819 and
# 0.9852 -> 0.9883; 0.7 adds false pairs on forum pages (88 -> 122)
MIN_CONTAINED = 30
BRIDGE = 0.5
RELATED = 0.3  # Jaccard from which two clusters' tops are alike enough for witnesses to join them (the
# cleaner may cut two full renderings of one page differently: 0.2, 0.3 and 0.5 gave dedup-dev full-run F1
# 0.982, 0.981, 0.978, precision unchanged, on both halves split by site); or, beside raw captures, their raw
# captures' Jaccard from ALIKE_JACCARD (0.5; 0.4 and 0.6 gave dedup-dev F1 0.9862 and 0.9856 against 0.9858)
MEMBER = AGREE  # share of a member's text (cleaned or raw) found in its canonical's, to stay
NUM_PERM = 128
SEED = 1


log = logging.getLogger("tamis.dedup")


@contextmanager
def _summary(name: str, count: int, unit: str = "docs") -> Iterator[list[str]]:
    """Logs one line at the end of a pass: what went in, what came out, time, throughput, peak RSS."""
    start = time.perf_counter()
    out: list[str] = []
    yield out
    took = time.perf_counter() - start
    peak = own_peak_kb() / 1024
    log.info("dedup %s: %d %s in, %s, %.2f s (%.0f %s/s), peak RSS %.0f MB", name, count, unit,
             ", ".join(out), took, count / took if took else 0.0, unit, peak)


@dataclass(frozen=True, slots=True)
class Duplicate:
    """`id` is a duplicate of `duplicate_of` (its cluster's canonical document): `kind` is `exact`
    (same normalised text), `near` (Jaccard of word 5-grams) or `contained` (share of the shorter's
    5-grams found in the longer), and `score` that measure, taken against `duplicate_of` itself."""

    id: str
    duplicate_of: str
    kind: str
    score: float


class _Permuted(Sequence):
    """`texts` seen in another order, without copying them (texts may be generated on access)."""

    def __init__(self, texts: Sequence[str], order: Sequence[int]):
        self._texts, self._order = texts, order

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, k):  # type: ignore[override]
        return self._texts[self._order[k]]


def deduplicate(ids: Sequence[str], texts: Sequence[str], *, jaccard: float = JACCARD,
                containment: float | None = None, num_perm: int = NUM_PERM, seed: int = SEED,
                min_contained: int = MIN_CONTAINED, bridge: float = BRIDGE, band_rows: int = 4,
                method: str = "auto", prefer: Sequence[float] | None = None,
                raw: Sequence[str] | None = None) -> list[Duplicate]:
    """Every document that is a duplicate of another, pointing at its cluster's canonical doc; sorted by
    id. Deterministic: the same (id, text) pairs in any order give the same result.

    `jaccard`: word 5-gram Jaccard from which two texts are near duplicates. `containment`: share of the
    shorter text's 5-grams found in the longer from which it is contained, if it has at least
    `min_contained` 5-grams (default CONTAINMENT, or CONTAINMENT_WITH_RAW with `raw`). `bridge`: Jaccard from which a contained text may join two clusters.
    The canonical document of a cluster is the one with the longest normalised text; ties go to the
    highest `prefer` value if given (one number per document, e.g. the length of the raw record it
    was cleaned from), then to the smallest id. Empty texts are never duplicates.

    `raw`: for each document, the raw capture its text was cleaned from ("" for none), a second
    piece of evidence (`verify_with_raw`); a document whose text is empty then still falls in the
    cluster its raw capture belongs to, though it is never a cluster's canonical document."""
    if (len(ids) != len(texts) or (prefer is not None and len(prefer) != len(ids))
            or (raw is not None and len(raw) != len(ids))):
        raise ValueError(f"{len(ids)} ids but {len(texts)} texts"
                         + (f" and {len(prefer)} preferences" if prefer is not None else "")
                         + (f" and {len(raw)} raw texts" if raw is not None else ""))
    order = sorted(range(len(ids)), key=ids.__getitem__)
    sorted_ids = [ids[i] for i in order]
    for a, b in zip(sorted_ids, sorted_ids[1:]):
        if a == b:
            raise ValueError(f"duplicate id {a!r}")
    view = _Permuted(texts, order)
    cache = ShingleCache(lambda row: text_shingles(view[row]))
    with _summary("sign", len(view)) as out:
        sig = sign(view, num_perm=num_perm, seed=seed, method=method, on_shingles=cache.put)
        out.append(f"signatures {sig.nbytes / 2**20:.0f} MB ({sig.method})")
    raw_sig = raw_cache = None
    if raw is not None:
        raw_view = _Permuted(raw, order)
        raw_cache = ShingleCache(lambda row: text_shingles(raw_view[row]))
        with _summary("sign raw", len(raw_view)) as out:
            raw_sig = sign(raw_view, num_perm=num_perm, seed=seed, method=method,
                           on_shingles=raw_cache.put)
            out.append(f"signatures {raw_sig.nbytes / 2**20:.0f} MB ({raw_sig.method})")
    return resolve(sorted_ids, sig, cache, jaccard=jaccard, containment=containment,
                   min_contained=min_contained, bridge=bridge, band_rows=band_rows,
                   prefer=None if prefer is None else [prefer[i] for i in order],
                   raw_sig=raw_sig, raw_of=raw_cache)


def rank_documents(ids: Sequence[str], length: np.ndarray,
                   prefer: Sequence[float] | None = None) -> np.ndarray:
    """Rank of each row: longest normalised text first, then highest `prefer`, then smallest id.
    Rank 0 is the best canonical."""
    by_id = np.empty(len(ids), dtype=np.int64)
    by_id[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    preference = np.zeros(len(ids)) if prefer is None else np.asarray(prefer, dtype=np.float64)
    row_of_rank = np.lexsort((by_id, -preference, -length))
    rank = np.empty(len(ids), dtype=np.int64)
    rank[row_of_rank] = np.arange(len(ids))
    return rank


def exact_representatives(sig: Signatures, rank: np.ndarray) -> np.ndarray:
    """For each row, the row of lowest rank with the same exact hash (-1 for empty texts)."""
    n = len(sig)
    rep = np.full(n, -1, dtype=np.int64)
    rows = np.flatnonzero(sig.length > 0)
    if rows.size == 0:
        return rep
    rows = rows[np.lexsort((rank[rows], sig.exact[rows]))]
    hashes = sig.exact[rows]
    new = np.empty(rows.size, dtype=bool)
    new[0] = True
    np.not_equal(hashes[1:], hashes[:-1], out=new[1:])
    first = np.flatnonzero(new)
    rep[rows] = np.repeat(rows[first], np.diff(np.append(first, rows.size)))
    return rep


def resolve(ids: Sequence[str], sig: Signatures, shingles_of: Callable[[int], np.ndarray], *,
            jaccard: float = JACCARD, containment: float | None = None,
            min_contained: int = MIN_CONTAINED, bridge: float = BRIDGE, band_rows: int = 4,
            top: int = 8, prefer: Sequence[float] | None = None, raw_sig: Signatures | None = None,
            raw_of: Callable[[int], np.ndarray] | None = None,
            candidates: Callable[..., np.ndarray] = candidate_pairs,
            verifier: Callable[..., Edges] | None = None,
            clusterer: Callable[..., Settled] | None = None) -> list[Duplicate]:
    """The reduce: duplicates among the rows of `sig` (row i is document `ids[i]`), given
    `shingles_of(row)`, the sorted unique shingle hashes of a row's text (`text_shingles`; wrapped in
    a `ShingleCache` unless it is one). With `raw_sig` and `raw_of(row)`, the signatures and shingles
    of each row's raw capture, raw captures are candidates and evidence too (`verify_with_raw`).
    `candidates(sig, rank, rows, ...)`: `candidate_pairs`, or a twin that gives the same pairs without
    holding the MinHash values and anchors here (`tamis.sharded_lsh`: then `sig` needs only its
    `exact`, `length`, `shingles` and `anchor_offsets`). `verifier(pairs, row_of_rank, jaccard=,
    containment=, min_contained=)`, with raw captures only: `verify_with_raw`'s edges, found
    elsewhere (`tamis.sharded_verify`: by tasks that read the texts from the shards).
    `clusterer(edges, row_of_rank, empty, bridge=)`, with raw captures only: `settle`'s answer,
    found elsewhere (`tamis.sharded_clusters`: by tasks, each given whole connected components of
    the edges)."""
    if (raw_sig is None) != (raw_of is None) or (raw_sig is not None and len(raw_sig) != len(sig)):
        raise ValueError("raw_sig and raw_of go together, one raw signature per row")
    if containment is None:
        containment = CONTAINMENT if raw_sig is None else CONTAINMENT_WITH_RAW
    n = len(sig)
    if len(ids) != n:
        raise ValueError(f"{len(ids)} ids but {n} signatures")
    if n == 0:
        return []
    with _summary("candidates", n) as out:
        rank = rank_documents(ids, sig.length, prefer)
        row_of_rank = np.empty(n, dtype=np.int64)
        row_of_rank[rank] = np.arange(n)
        rep = exact_representatives(sig, rank)
        if raw_sig is not None:  # an emptied text with a raw capture is a node of its own
            emptied = (rep < 0) & (raw_sig.length > 0)
            rep[emptied] = np.flatnonzero(emptied)
        reps = np.flatnonzero(rep == np.arange(n))
        pairs = candidates(sig, rank, reps[sig.length[reps] > 0], jaccard=jaccard,
                           min_contained=min_contained, band_rows=band_rows, top=top)
        if raw_sig is not None:
            more = candidates(raw_sig, rank, reps[raw_sig.length[reps] > 0], jaccard=jaccard,
                              min_contained=min_contained, band_rows=band_rows, top=top)
            pairs = np.unique(np.concatenate([pairs, more]), axis=0)
        out.append(f"{n - reps.size} exact duplicates or empty, {len(pairs)} candidate pairs")
    rows = shingles_of if isinstance(shingles_of, ShingleCache) else ShingleCache(shingles_of)

    def cache(r: int) -> np.ndarray:  # shingles by rank
        return rows(int(row_of_rank[r]))

    raw_rows = None
    if raw_of is not None:
        raw_rows = raw_of if isinstance(raw_of, ShingleCache) else ShingleCache(raw_of)

    def raw_cache(r: int) -> np.ndarray:
        return raw_rows(int(row_of_rank[r]))

    with _summary("verify", len(pairs), "pairs") as out:
        if verifier is not None and raw_rows is not None:
            edges = verifier(pairs, row_of_rank, jaccard=jaccard, containment=containment,
                             min_contained=min_contained)
        elif raw_rows is None:
            edges = verify(pairs, cache, jaccard=jaccard, containment=containment,
                           min_contained=min_contained)
        else:
            edges = verify_with_raw(pairs, cache, raw_cache, jaccard=jaccard,
                                    containment=containment, min_contained=min_contained)
        out.append(f"{len(edges)} duplicate pairs")
    judge = Judges.of(cache, None if raw_rows is None else raw_cache)
    with _summary("cluster", n) as out:
        empty = sig.length[row_of_rank] == 0
        if clusterer is not None and raw_rows is not None:
            settled = clusterer(edges, row_of_rank, empty, bridge=bridge)
        else:
            settled = settle(n, edges, judge, bridge=bridge, empty=empty)
        found = _choose(ids, sig, rep, rank, row_of_rank, settled, jaccard, containment)
        out.append(f"{n - len(found)} kept, {len(found)} duplicates")
    return found


@dataclass
class Judges:
    """What the cluster pass asks of two ranks' texts, given `cache(rank)` (a rank's cleaned text's
    shingles) and, beside raw captures, `raw_cache(rank)`: `related` and `alike` (`cluster`),
    `measure` (Jaccard, containment) and `belongs` (`settle`). Built here for the reduce and for a
    task that clusters (`tamis.sharded_clusters`), so that both decide alike."""

    related: Callable[[int, int], bool]
    alike: Callable[[int, int], bool] | None
    measure: Callable[[int, int], tuple[float, float]]
    belongs: Callable[[int, int], bool] | None

    @classmethod
    def of(cls, cache: Callable[[int], np.ndarray],
           raw_cache: Callable[[int], np.ndarray] | None = None) -> Judges:
        def alike(a: int, b: int) -> bool:  # two ranks' raw captures: renderings of one page
            ra, rb = raw_cache(a), raw_cache(b)
            return bool(ra.size and rb.size and similarity(ra, rb)[0] >= ALIKE_JACCARD)

        def related(a: int, b: int) -> bool:
            return (similarity(cache(a), cache(b))[0] >= RELATED
                    or (raw_cache is not None and alike(a, b)))

        if raw_cache is None:
            return cls(related, None, _similar(cache), None)
        return cls(related, alike, _either(cache, raw_cache), _belongs(cache, raw_cache))


@dataclass
class Settled(Columns):
    """Where each member of a cluster (a rank that is not its cluster's top) ends: its cluster's
    `top`; the `canonical` it points at, the top, or itself when it does not belong with it
    (`Judges.belongs`); and its (`jaccard`, `containment`) against the top, from their verified edge
    when there is one, else measured (nan when it does not point at the top, or when the top's text
    is empty: a cluster of emptied texts keeps none, so nothing is measured for it)."""

    rank: np.ndarray
    top: np.ndarray
    canonical: np.ndarray
    jaccard: np.ndarray
    containment: np.ndarray


def settle(n: int, edges: Edges, judge: Judges, *, bridge: float, empty: np.ndarray) -> Settled:
    """The clusters of ranks 0..n-1 (`cluster`) and, for each member, what `_choose` needs read from
    its text and its top's (`empty`: for each rank, whether its cleaned text is empty).

    A member's answer depends on its cluster alone (the cluster's edges, texts and top), and every
    cluster, held-back edge and repair of `cluster` lies inside one connected component of `edges`:
    run per component, or on a few whole components at once, with their ranks renumbered in the same
    order, `settle` gives each member the same answer as over all ranks (`tamis.sharded_clusters`)."""
    top_of_rank = cluster(n, edges, bridge=bridge, related=judge.related, alike=judge.alike)
    members = np.flatnonzero(top_of_rank != np.arange(n))
    tops = top_of_rank[members]
    canonical = tops.copy()
    jac, cont = np.full(members.size, np.nan), np.full(members.size, np.nan)
    measured = {(lo, hi): (j, c) for lo, hi, j, c in zip(edges.lo.tolist(), edges.hi.tolist(),
                                                          edges.jaccard.tolist(),
                                                          edges.containment.tolist())}
    for k, (m, t) in enumerate(zip(members.tolist(), tops.tolist())):
        if empty[t]:
            continue
        if judge.belongs is not None and not judge.belongs(m, t):
            canonical[k] = m
            continue
        jac[k], cont[k] = measured.get((min(m, t), max(m, t))) or judge.measure(m, t)
    return Settled(members, tops, canonical, jac, cont)


def _choose(ids: Sequence[str], sig: Signatures, rep: np.ndarray, rank: np.ndarray,
            row_of_rank: np.ndarray, settled: Settled, jaccard: float,
            containment: float) -> list[Duplicate]:
    """One Duplicate per document whose cluster's canonical (top) is another document, scored against
    it (`settled`'s measures). A member that does not belong with its cluster's top (`settle`) is
    kept, with its exact duplicates pointing at it."""
    n = len(ids)
    top, canonical_of = np.arange(n), np.arange(n)
    jac, cont = np.full(n, np.nan), np.full(n, np.nan)
    top[settled.rank], canonical_of[settled.rank] = settled.top, settled.canonical
    jac[settled.rank], cont[settled.rank] = settled.jaccard, settled.containment
    found: list[Duplicate] = []
    for row in np.flatnonzero(rep >= 0).tolist():
        member = int(rank[rep[row]])
        if sig.length[row_of_rank[top[member]]] == 0:  # a cluster of emptied texts keeps none
            continue
        canonical = int(row_of_rank[canonical_of[member]])
        if canonical == row:
            continue
        if sig.exact[row] == sig.exact[canonical]:
            kind, score = "exact", 1.0
        else:  # a text unlike its top's, that belongs with it: measured by `settle`
            kind, score = _relation(float(jac[member]), float(cont[member]), jaccard, containment)
        found.append(Duplicate(ids[row], ids[canonical], kind, round(score, 4)))
    found.sort(key=lambda d: d.id)
    return found


def _similar(cache: Callable[[int], np.ndarray]) -> Callable[[int, int], tuple[float, float]]:
    return lambda a, b: similarity(cache(a), cache(b))


def _either(cache: Callable[[int], np.ndarray],
            raw_cache: Callable[[int], np.ndarray]) -> Callable[[int, int], tuple[float, float]]:
    """(Jaccard, containment) of two ranks' cleaned texts, or of their raw captures when either
    cleaned text is empty."""
    def measure(a: int, b: int) -> tuple[float, float]:
        x, y = cache(a), cache(b)
        if x.size and y.size:
            return similarity(x, y)
        return similarity(raw_cache(a), raw_cache(b))
    return measure


def _belongs(cache: Callable[[int], np.ndarray],
             raw_cache: Callable[[int], np.ndarray]) -> Callable[[int, int], bool]:
    """Whether a member still shares most (AGREE) of the smaller text with its cluster's canonical
    document, cleaned or raw. Raw evidence joins pairs whose cleaned texts differ, and a cluster
    grows through its members: a page that joined through a shared template part, and whose text has
    little to do with the cluster's canonical, leaves it."""
    def belongs(member: int, canonical: int) -> bool:
        x, y = cache(member), cache(canonical)
        if x.size and y.size and similarity(x, y)[1] >= MEMBER:
            return True
        rx, ry = raw_cache(member), raw_cache(canonical)
        return bool(rx.size and ry.size and similarity(rx, ry)[1] >= MEMBER)
    return belongs


def _relation(jac: float, cont: float, jaccard: float, containment: float) -> tuple[str, float]:
    """Kind and score of a member against its canonical document. A member that joined through
    others may pass neither threshold: it gets the kind it is closer to passing."""
    if jac >= jaccard:
        return KINDS[NEAR], jac
    if cont >= containment or cont / containment > jac / jaccard:
        return KINDS[CONTAINED], cont
    return KINDS[NEAR], jac



