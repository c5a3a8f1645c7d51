"""The candidates pass: pairs of documents worth verifying.

Two sources, both in "rank space" (rank 0 is the longest document; see `dedup.rank_documents`):

- MinHash bands (`band_pairs`): documents agreeing on all `band_rows` values of some band; with 4 rows
  and 128 permutations a pair at Jaccard 0.8 is found with probability 1 - 1e-9, at 0.5 with 0.87.
- Shared anchors (`anchor_pairs`): a short document inside a long one has a tiny Jaccard (a 300-shingle
  body in a 5,000-shingle page: 0.06) that no banding can find without flooding; but all its anchors
  (a fixed sample of its shingles) are among the long one's. Pairs sharing at least `anchor_fraction`
  of the shorter one's anchors are candidates.

Generic text (a cookie banner, a site's menu) puts thousands of documents in one bucket. Instead of all
pairs of a bucket, each member is paired with the `top` longest members before it: a short capture
still meets the long documents that may contain it, and a bucket of g documents gives at most g * top
pairs.
"""
from __future__ import annotations

import numpy as np

from .shingles import sorted_unique, sorted_unique_counts
from .signatures import Signatures

_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)


def _group_pairs(keys: np.ndarray, members: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (earlier, later) of members sharing a key; `keys` sorted, `members` ascending within a key.
    Each member is paired with at most the `top` first members of its key."""
    n = keys.size
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, n))
    keep = np.repeat(sizes > 1, sizes)  # singletons make no pair
    if not keep.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    members = members[keep]
    sizes = sizes[sizes > 1]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    start_of = np.repeat(starts, sizes)
    pos = np.arange(members.size) - start_of
    earlier, later = [], []
    for k in range(min(top, int(sizes.max()) - 1)):
        sel = np.flatnonzero(pos > k)
        earlier.append(members[start_of[sel] + k])
        later.append(members[sel])
    return (np.concatenate(earlier).astype(np.int64), np.concatenate(later).astype(np.int64))


def _pair_keys(lo: np.ndarray, hi: np.ndarray, n: int) -> np.ndarray:
    return lo.astype(np.uint64) * np.uint64(n) + hi.astype(np.uint64)


def _band_keys(block: np.ndarray) -> np.ndarray:
    """One uint64 key per row of a (rows x band_rows) uint32 block."""
    key = np.zeros(block.shape[0], dtype=np.uint64)
    for c in range(block.shape[1]):
        key ^= block[:, c].astype(np.uint64)
        key *= _MIX
        key ^= key >> np.uint64(29)
    key *= _MIX2
    key ^= key >> np.uint64(32)
    return key


def band_pairs(sig: Signatures, row_of_rank: np.ndarray, ranks: np.ndarray, *, band_rows: int = 4,
               top: int = 8) -> np.ndarray:
    """Unique pair keys (lo * n + hi, lo < hi ranks) of the documents of `ranks` (ascending) that share
    a MinHash band."""
    n = row_of_rank.size
    rows = row_of_rank[ranks]
    found = []
    for band in range(sig.num_perm // band_rows):
        keys = _band_keys(sig.minhash[rows, band * band_rows:(band + 1) * band_rows])
        order = np.argsort(keys, kind="stable")
        lo, hi = _group_pairs(keys[order], ranks[order], top)
        if lo.size:
            found.append(sorted_unique(_pair_keys(lo, hi, n)))
    return sorted_unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.uint64)


def anchor_pairs(sig: Signatures, rank: np.ndarray, rows: np.ndarray, *, top: int = 8,
                 partition_bits: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Unique pair keys of the documents of `rows` sharing anchors, with the number shared.
    The anchors are processed in 2^partition_bits slices of their value (a shuffle, in map-reduce
    terms), so the working memory is a fraction of the anchors' own."""
    n = rank.size
    if n >= 1 << 32 or partition_bits > 8:
        raise ValueError("at most 2^32 documents per reduce and 2^8 partitions")
    wanted = np.zeros(n, dtype=bool)
    wanted[rows] = True
    part_of = (sig.anchors >> np.uint32(32 - partition_bits)).astype(np.uint8)

    def slices():
        for part in range(1 << partition_bits):
            idx = np.flatnonzero(part_of == part)
            owner = np.searchsorted(sig.anchor_offsets, idx, side="right") - 1
            ok = wanted[owner]
            yield sig.anchors[idx[ok]], rank[owner[ok]]

    return fold_anchor_pairs(slices(), n, top)


def fold_anchor_pairs(slices, n: int, top: int) -> tuple[np.ndarray, np.ndarray]:
    """`anchor_pairs`'s reduce over slices of (anchor values, their documents' ranks), each slice all
    the anchors of some values: unique pair keys with the number of anchors each pair shares. The
    slices may be folded in any grouping (`sharded_lsh` folds some per task): counts add up."""
    found_keys, found_counts = [], []
    for values, ranks in slices:
        packed = (values.astype(np.uint64) << np.uint64(32)) | ranks.astype(np.uint64)
        packed = sorted_unique(packed)  # a document holds an anchor value once
        lo, hi = _group_pairs(packed >> np.uint64(32), (packed & np.uint64(0xFFFFFFFF)).astype(np.int64),
                              top)
        del packed
        if lo.size:
            keys, counts = sorted_unique_counts(_pair_keys(lo, hi, n))
            found_keys.append(keys)
            found_counts.append(counts)
            pending = sum(k.size for k in found_keys[1:])
            if pending > max(1 << 20, found_keys[0].size):  # a pair recurs in many slices: fold
                keys, counts = add_counts(found_keys, found_counts)
                found_keys, found_counts = [keys], [counts]
    if not found_keys:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return add_counts(found_keys, found_counts)


def add_counts(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct keys of several (keys, counts) parts, with their counts summed."""
    all_keys = np.concatenate(keys)
    order = np.argsort(all_keys, kind="stable")
    all_keys = all_keys[order]
    all_counts = np.concatenate(counts)[order]
    del order
    new = np.empty(all_keys.size, dtype=bool)
    new[0] = True
    np.not_equal(all_keys[1:], all_keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return all_keys[starts], np.add.reduceat(all_counts, starts)


def estimated_jaccard(sig: Signatures, row_a: np.ndarray, row_b: np.ndarray,
                      chunk: int = 1 << 14) -> np.ndarray:
    """MinHash estimate of the Jaccard similarity of row pairs (fraction of equal values)."""
    out = np.empty(row_a.size, dtype=np.float64)
    for s in range(0, row_a.size, chunk):
        a, b = sig.minhash[row_a[s:s + chunk]], sig.minhash[row_b[s:s + chunk]]
        out[s:s + chunk] = np.count_nonzero(a == b, axis=1) / sig.num_perm
    return out


def candidate_pairs(sig: Signatures, rank: np.ndarray, rows: np.ndarray, *, jaccard: float,
                    min_contained: int, band_rows: int = 4, top: int = 8, anchor_fraction: float = 0.5,
                    jaccard_slack: float = 0.2) -> np.ndarray:
    """(k x 2) int64 pairs of ranks (lo < hi) among `rows` to verify, sorted.

    Band pairs are kept when their estimated Jaccard is within `jaccard_slack` of `jaccard`; anchor
    pairs (both documents with at least `min_contained` shingles) when they share at least
    `anchor_fraction` of the anchors of the one with fewer."""
    n = rank.size
    row_of_rank = np.empty(n, dtype=np.int64)
    row_of_rank[rank] = np.arange(n)
    ranks = np.sort(rank[rows])
    keys = band_pairs(sig, row_of_rank, ranks, band_rows=band_rows, top=top)
    lo, hi = keys // np.uint64(n), keys % np.uint64(n)
    est = estimated_jaccard(sig, row_of_rank[lo], row_of_rank[hi])
    big = rows[sig.shingles[rows] >= min_contained]
    anchor_keys, counts = anchor_pairs(sig, rank, big, top=top)
    anchor_keep = anchor_kept(row_of_rank, anchor_keys, counts, np.diff(sig.anchor_offsets),
                              anchor_fraction=anchor_fraction)
    return choose_candidates(row_of_rank, keys, est, anchor_keep, jaccard=jaccard, jaccard_slack=jaccard_slack)


def anchor_kept(row_of_rank: np.ndarray, anchor_keys: np.ndarray, anchor_counts: np.ndarray, held: np.ndarray,
                anchor_fraction: float = 0.5) -> np.ndarray:
    """The anchor pairs that share at least `anchor_fraction` of the anchors of the one with fewer
    (`held`: each row's number of anchors)."""
    n = row_of_rank.size
    lo, hi = (anchor_keys // np.uint64(n)).astype(np.int64), (anchor_keys % np.uint64(n)).astype(np.int64)
    fewer = np.minimum(held[row_of_rank[lo]], held[row_of_rank[hi]])
    need = np.maximum(1, np.ceil(anchor_fraction * fewer - 1e-9))
    return anchor_keys[anchor_counts >= need]


def choose_candidates(row_of_rank: np.ndarray, band_keys: np.ndarray, est: np.ndarray, anchor_keep: np.ndarray,
                      *, jaccard: float, jaccard_slack: float = 0.2) -> np.ndarray:
    """`candidate_pairs`'s last step: the band pairs whose estimated Jaccard is close enough, and the
    anchor pairs kept (`anchor_kept`), as (k x 2) sorted rank pairs."""
    n = row_of_rank.size
    band_keep = band_keys[est >= jaccard - jaccard_slack]
    keys = np.union1d(band_keep, anchor_keep)
    return np.stack([(keys // np.uint64(n)).astype(np.int64), (keys % np.uint64(n)).astype(np.int64)],
                    axis=1)
