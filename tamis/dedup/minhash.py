"""MinHash signatures of many documents at once, and the anchors used to find contained documents.

Input is one flat uint64 array of shingle hashes with row offsets (row i is
`flat[offsets[i]:offsets[i + 1]]`). The native path (rensa's `digest_matrix_from_flat_token_hashes`,
about 9 ns per shingle for 128 permutations) is used when rensa is installed; the numpy path computes
multiply-shift permutations `(a * x + b) mod 2^64 >> 32` over a (num_perm x shingles) block and takes
the minimum per document with `np.minimum.reduceat` (about 300 ns per shingle). The two give different
signatures; `Signatures.method` records which one made them so that shards are never mixed.
An empty row gets the all-ones signature.
"""
from __future__ import annotations

import numpy as np

try:  # pragma: no cover - depends on the environment
    import rensa
except ImportError:  # pragma: no cover
    rensa = None

EMPTY_VALUE = np.uint32(0xFFFFFFFF)
# rensa computes a call of RENSA_DOC_PAR_BATCH_SIZE rows or more (256 by default, never under 32) on
# rayon's thread pool. A process forked after that pool started has its threads no more, and its first
# such call waits forever: a second `tamis.run` with workers, in one Python process, hung so. Under 32
# rows a call runs in the calling thread, with the same digests, and one core was no slower (2,048 rows
# of 800 shingles: 12 ms in calls of 31 rows, 20 ms in one call). tamis's own workers are its
# parallelism.
_RENSA_ROWS = 31
_BLOCK = 1 << 14  # shingles per numpy block: num_perm x 16k x 8 bytes = 16 MiB at 128 permutations


def default_method() -> str:
    return "rensa" if rensa is not None else "numpy"


def minhash_matrix(flat: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int,
            method: str = "auto") -> np.ndarray:
    """(rows x num_perm) uint32 MinHash matrix of the rows of `flat` delimited by `offsets`."""
    method = default_method() if method == "auto" else method
    if method == "rensa":
        if rensa is None:
            raise RuntimeError("rensa is not installed; use method='numpy'")
        if offsets.size <= 1:
            return np.zeros((0, num_perm), dtype=np.uint32)
        flat = np.ascontiguousarray(flat, dtype=np.uint64)
        offsets = np.ascontiguousarray(offsets, dtype=np.int64)
        rows = offsets.size - 1
        out = np.empty((rows, num_perm), dtype=np.uint32)
        for lo in range(0, rows, _RENSA_ROWS):
            hi = min(lo + _RENSA_ROWS, rows)
            matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
                flat[offsets[lo]:offsets[hi]], offsets[lo:hi + 1] - offsets[lo], num_perm, seed)
            out[lo:hi] = np.array(matrix.to_rows(), dtype=np.uint32).reshape(-1, num_perm)
        return out
    if method == "numpy":
        return _minhash_numpy(flat, offsets, num_perm, seed)
    raise ValueError(f"unknown minhash method {method!r}")


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 1 << 63, num_perm, dtype=np.uint64) << np.uint64(1) | np.uint64(1)
    b = rng.integers(0, 1 << 63, num_perm, dtype=np.uint64)
    return a, b


def _minhash_numpy(flat: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    a, b = _permutations(num_perm, seed)
    n = offsets.size - 1
    out = np.full((n, num_perm), EMPTY_VALUE, dtype=np.uint32)
    sizes = np.diff(offsets)
    rows = np.flatnonzero(sizes)
    start = 0
    while start < rows.size:
        # a block of whole non-empty rows holding about _BLOCK shingles (at least one row)
        stop = int(np.searchsorted(offsets[rows + 1], offsets[rows[start]] + _BLOCK, side="right"))
        stop = max(stop, start + 1)
        block = rows[start:stop]
        lo, hi = offsets[block[0]], offsets[block[-1] + 1]
        values = np.multiply.outer(a, flat[lo:hi])
        values += b[:, None]
        # rows between non-empty ones are empty, so the starts of the block's rows are increasing
        mins = np.minimum.reduceat(values, offsets[block] - lo, axis=1)
        out[block] = (mins >> np.uint64(32)).T.astype(np.uint32)
        start = stop
    return out


def anchors(shingles: np.ndarray, bits: int) -> np.ndarray:
    """The shingles whose hash has its top `bits` bits zero (a fixed 1/2^bits sample, the same shingle
    sampled in every document), as uint32 (the 32 bits below those). If A is inside B, A's anchors are
    among B's, whatever their sizes: that is what MinHash cannot see when B is much longer than A."""
    picked = shingles[shingles < np.uint64(1 << (64 - bits))]
    return (picked >> np.uint64(32 - bits)).astype(np.uint32)
