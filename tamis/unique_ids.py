"""Two input records with one id (the same file name in two folders, a repeated `id` field) must leave
as two documents: the second gets `ID~2`, the third `ID~3`..., counted in input order over the whole
run. Records are read by many tasks, so no task sees the run's ids: each pass-1 task hashes the ids of
its piece's records (`id_hash`: 128-bit xxh3, so that two different ids never meet in practice), and
`renames` finds, from all pieces' hashes in plan order, which records of which piece take a suffix.

The driver holds 16 bytes per input record while it does so (16 MB at a million records), then only
the renamed records.
"""
from __future__ import annotations

import numpy as np
import xxhash

HASH = np.dtype("V16")


def id_hash(doc_id: str) -> bytes:
    return xxhash.xxh3_128_digest(doc_id.encode("utf-8", "surrogatepass"))


def hashes(ids: list[str]) -> np.ndarray:
    return np.frombuffer(b"".join(id_hash(i) for i in ids), dtype=HASH) if ids else np.zeros(0, HASH)


def renames(pieces: list[tuple[np.ndarray, np.ndarray]]) -> list[dict[int, int]]:
    """For each piece's (id hashes, their record index in the piece), in plan order: {record index:
    k} for each record whose id is the k-th (k >= 2) record with that id in the run."""
    sizes = [len(h) for h, _ in pieces]
    if not sum(sizes):
        return [{} for _ in pieces]
    all_hashes = np.concatenate([h for h, _ in pieces])
    piece_of = np.repeat(np.arange(len(pieces)), sizes)
    row = np.concatenate([r for _, r in pieces]).astype(np.int64)
    _, inverse, counts = np.unique(all_hashes, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    repeated = np.flatnonzero(counts[inverse] > 1)
    out: list[dict[int, int]] = [{} for _ in pieces]
    if not len(repeated):
        return out
    # records with a repeated id, grouped by id, each group in input order (pieces, then rows)
    order = repeated[np.lexsort((row[repeated], piece_of[repeated], inverse[repeated]))]
    group = inverse[order]
    starts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)])) + 1
    for at, k in zip(order[rank > 1].tolist(), rank[rank > 1].tolist()):
        out[int(piece_of[at])][int(row[at])] = k
    return out
