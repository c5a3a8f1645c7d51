"""The verify pass: exact Jaccard and containment of every candidate pair, from the shingle sets.

Estimates decide who is a candidate; the decision itself is exact, so thresholds mean what they say
(two different articles of one site, flattened with their menus, reach Jaccard 0.72 and containment
0.84: an estimate's noise of +-0.04 at 128 permutations would merge them now and then).
Shingle sets are recomputed from the texts (`shingles_of`), a bounded cache keeping the recent ones, so
nothing per shingle is held for the whole corpus.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..columns import Columns
from ..native import core

NEAR, CONTAINED = 1, 2
AGREE = 0.5
ALIKE_JACCARD = 0.5  # raw captures this alike (Jaccard), or
ALIKE_SIZE = 0.6  # this alike in size (the smaller has this share of the larger's shingles), are two
# renderings of a page or two pages: each one's cleaned text must then be found in the other's capture
KINDS = {NEAR: "near", CONTAINED: "contained"}


@dataclass(frozen=True)
class Edges(Columns):
    """Verified pairs: `lo`, `hi` (lo < hi), `kind` (NEAR or CONTAINED), `score` (the Jaccard of a near
    pair, the containment of the smaller in the larger for a contained one), `jaccard`, `containment`,
    and `inner` (the member with fewer shingles, the contained one)."""

    lo: np.ndarray
    hi: np.ndarray
    kind: np.ndarray
    score: np.ndarray
    jaccard: np.ndarray
    containment: np.ndarray
    inner: np.ndarray


def overlap(a: np.ndarray, b: np.ndarray) -> int:
    """Size of the intersection of two sorted unique uint64 arrays (in C when it is built)."""
    if core is not None and a.dtype == np.uint64 and b.dtype == np.uint64:
        return core.sorted_overlap(np.ascontiguousarray(a), np.ascontiguousarray(b))
    if a.size > b.size:
        a, b = b, a
    if a.size == 0:
        return 0
    at = np.searchsorted(b, a)
    at[at == b.size] = b.size - 1
    return int(np.count_nonzero(b[at] == a))


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two sorted unique hash arrays."""
    common = overlap(a, b)
    union = a.size + b.size - common
    smaller = min(a.size, b.size)
    return (common / union if union else 0.0), (common / smaller if smaller else 0.0)


class ShingleCache:
    """`shingles_of(i)` with the most recently used results kept, up to `max_hashes` hashes in all
    (8 bytes each). `put` lets the sign pass leave what it computed, so that a corpus that fits is
    never shingled twice."""

    def __init__(self, shingles_of: Callable[[int], np.ndarray], max_hashes: int = 1 << 24):
        self._of = shingles_of
        self._max = max_hashes
        self._held = 0
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()

    def __call__(self, i: int) -> np.ndarray:
        found = self._cache.get(i)
        if found is not None:
            self._cache.move_to_end(i)
            return found
        found = self._of(i)
        self.put(i, found)
        return found

    def put(self, i: int, shingles: np.ndarray) -> None:
        old = self._cache.pop(i, None)
        if old is not None:
            self._held -= old.size
        self._cache[i] = shingles
        self._held += shingles.size
        while self._held > self._max and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._held -= dropped.size


def verify(pairs: np.ndarray, shingles_of: Callable[[int], np.ndarray], *, jaccard: float,
           containment: float, min_contained: int) -> Edges:
    """The candidate `pairs` (k x 2, sorted by the first column) that are duplicates: near when their
    Jaccard reaches `jaccard`, else contained when the smaller has at least `min_contained` shingles
    and `containment` of them are in the larger."""
    return verify_with_raw(pairs, shingles_of, _no_raw, jaccard=jaccard, containment=containment,
                           min_contained=min_contained)


_NO_SHINGLES = np.zeros(0, dtype=np.uint64)


def _no_raw(_: int) -> np.ndarray:
    return _NO_SHINGLES


def verify_with_raw(pairs: np.ndarray, shingles_of: Callable[[int], np.ndarray],
                    raw_of: Callable[[int], np.ndarray], *, jaccard: float, containment: float,
                    min_contained: int) -> Edges:
    """`verify` on two texts per document: the cleaned one (`shingles_of`) and the raw capture it was
    cleaned from (`raw_of`; empty when there is none, e.g. a second article split out of a page).

    A pair is a duplicate when its cleaned texts are (as `verify` decides), or when its raw captures
    are and their cleaned texts agree: the cleaned text of the smaller capture is found in the larger
    raw capture, and, when the two captures are alike (`_alike`: raw Jaccard from ALIKE_JACCARD, or
    the smaller holding ALIKE_SIZE of the larger's shingles in number), the larger one's cleaned text
    is found in the smaller raw capture too. Why: two captures of one product page, one cut to a stub
    by the cleaner and one that kept its reviews, hold each other in raw text though their cleaned
    texts no longer do; two products of one shop share their whole template, so that their raw pages
    are near duplicates, but each one's description is absent from the other's page. Two pages of a
    shop of about the same size may share 82% of the smaller's raw text at a Jaccard of only 0.49:
    alike in size, each must hold the other's text (dedup-dev, whole run: 102 -> 88 false pairs,
    recall 0.9656 -> 0.9658; aeb-dev unchanged; the pages it parts are all on one half split by site).
    An empty cleaned text (a capture the cleaner emptied), or one too short to be called contained,
    agrees with anything. The edge keeps the
    measures of the evidence that made it (cleaned first)."""
    keep_lo, keep_hi, kinds, scores, jaccards, containments, inner = [], [], [], [], [], [], []
    for lo, hi in pairs.tolist():
        a, b = shingles_of(lo), shingles_of(hi)
        found = None
        if a.size and b.size:
            jac, cont = similarity(a, b)
            if jac >= jaccard:
                found = NEAR, jac, jac, cont, hi if b.size <= a.size else lo
            elif min(a.size, b.size) >= min_contained and cont >= containment:
                found = CONTAINED, cont, jac, cont, hi if b.size <= a.size else lo
        if found is None:
            ra, rb = raw_of(lo), raw_of(hi)
            if ra.size and rb.size:
                jac, cont = similarity(ra, rb)
                near = jac >= jaccard
                if near or (min(ra.size, rb.size) >= min_contained and cont >= containment):
                    small, large = (hi, lo) if rb.size <= ra.size else (lo, hi)
                    (cs, rl), (cl, rs) = ((b, ra), (a, rb)) if small == hi else ((a, rb), (b, ra))
                    if (_held(cs, rl, min_contained) >= AGREE
                            and (not _alike(jac, ra.size, rb.size)
                                 or _held(cl, rs, min_contained) >= AGREE)):
                        found = ((NEAR, jac) if near else (CONTAINED, cont)) + (jac, cont, small)
        if found is None:
            continue
        kind, score, jac, cont, inside = found
        keep_lo.append(lo)
        keep_hi.append(hi)
        kinds.append(kind)
        scores.append(score)
        jaccards.append(jac)
        containments.append(cont)
        inner.append(inside)
    return Edges(
        lo=np.array(keep_lo, dtype=np.int64), hi=np.array(keep_hi, dtype=np.int64),
        kind=np.array(kinds, dtype=np.uint8), score=np.array(scores, dtype=np.float64),
        jaccard=np.array(jaccards, dtype=np.float64),
        containment=np.array(containments, dtype=np.float64), inner=np.array(inner, dtype=np.int64),
    )


def _alike(jac: float, a: int, b: int) -> bool:
    """Whether two raw captures (their Jaccard, their numbers of shingles) are alike enough that
    neither may be a mere excerpt of the other."""
    return jac >= ALIKE_JACCARD or min(a, b) >= ALIKE_SIZE * max(a, b)


def _held(part: np.ndarray, whole: np.ndarray, least: int = 1) -> float:
    """Share of `part`'s shingles found in `whole`; 1 for a part of fewer than `least` shingles: an
    empty cleaned text, or a scrap the cleaner left of a page ("Sold out", a title), too short to be
    called contained (`min_contained`), is too short to disagree (dedup-dev whole run: F1 0.9858 ->
    0.9864, both halves by site gain, no false pair more)."""
    return overlap(part, whole) / part.size if part.size >= max(least, 1) else 1.0
