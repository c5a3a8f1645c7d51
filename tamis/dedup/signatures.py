"""The sign pass: everything the later passes need from a document, as flat numpy arrays.

`sign` is a map over documents (run it per shard, then `Signatures.concat` the parts); what it keeps
per document is fixed-size except the anchors (1 in 2^anchor_bits shingles, as uint32), so memory is
about num_perm * 4 + shingles / 2^anchor_bits * 4 + 24 bytes per document.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import xxhash

from tamis.hashing import normalize

from . import minhash as mh
from .shingles import WIDTH, normalized_shingles

BATCH = 2048  # documents per MinHash call


@dataclass(frozen=True)
class Signatures:
    """Per document (row): `exact` xxh3 of the normalised text (as `tamis.hashing.hash64`), `length` of
    the normalised text in characters (0: empty, never a duplicate), `shingles` its number of unique
    shingles, `minhash` (rows x num_perm uint32), and its `anchors`: row i's are
    `anchors[anchor_offsets[i]:anchor_offsets[i + 1]]`."""

    exact: np.ndarray
    length: np.ndarray
    shingles: np.ndarray
    minhash: np.ndarray
    anchors: np.ndarray
    anchor_offsets: np.ndarray
    num_perm: int
    seed: int
    anchor_bits: int
    width: int
    method: str

    def __len__(self) -> int:
        return int(self.exact.size)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.exact, self.length, self.shingles, self.minhash,
                                      self.anchors, self.anchor_offsets))

    def anchors_of(self, row: int) -> np.ndarray:
        return self.anchors[self.anchor_offsets[row]:self.anchor_offsets[row + 1]]

    def take(self, rows: np.ndarray) -> Signatures:
        """These signatures' rows `rows` (int64), in that order, repeats allowed."""
        starts = self.anchor_offsets[rows]
        counts = self.anchor_offsets[rows + 1] - starts
        offsets = np.zeros(rows.size + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        picked = np.repeat(starts - offsets[:-1], counts) + np.arange(offsets[-1], dtype=np.int64)
        return replace(self, exact=self.exact[rows], length=self.length[rows],
                       shingles=self.shingles[rows], minhash=self.minhash[rows],
                       anchors=self.anchors[picked], anchor_offsets=offsets)

    @classmethod
    def concat(cls, parts: Sequence[Signatures]) -> Signatures:
        """The signatures of several shards, rows in the order given (the reduce side of `sign`)."""
        if not parts:
            raise ValueError("nothing to concatenate")
        first = parts[0]
        params = (first.num_perm, first.seed, first.anchor_bits, first.width, first.method)
        for part in parts[1:]:
            if (part.num_perm, part.seed, part.anchor_bits, part.width, part.method) != params:
                raise ValueError("signatures made with different parameters cannot be merged")
        counts = np.array([p.anchor_offsets[-1] for p in parts], dtype=np.int64)  # anchors, held or not
        shifts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        offsets = np.concatenate([[0]] + [p.anchor_offsets[1:] + s for p, s in zip(parts, shifts)])
        return cls(
            exact=np.concatenate([p.exact for p in parts]),
            length=np.concatenate([p.length for p in parts]),
            shingles=np.concatenate([p.shingles for p in parts]),
            minhash=np.concatenate([p.minhash for p in parts]),
            anchors=np.concatenate([p.anchors for p in parts]),
            anchor_offsets=offsets.astype(np.int64),
            num_perm=first.num_perm, seed=first.seed, anchor_bits=first.anchor_bits,
            width=first.width, method=first.method,
        )


def sign(texts: Iterable[str], *, num_perm: int = 128, seed: int = 1, anchor_bits: int = 2,
         width: int = WIDTH, method: str = "auto",
         on_shingles: Callable[[int, np.ndarray], None] | None = None,
         normalized: Sequence[str | None] | None = None) -> Signatures:
    """Signatures of `texts`, one row per text in order. Streams: holds one batch of shingles at a time
    (`on_shingles(row, hashes)`, if given, sees each row's sorted unique shingle hashes). `normalized`,
    if given, holds `normalize(text)` of each text, or None where the caller has not got it."""
    method = mh.default_method() if method == "auto" else method
    total = len(texts) if isinstance(texts, Sequence) else None
    # per batch: Python scalars for the batch's documents only; per corpus: one numpy array per batch
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("exact", "length", "shingles", "anchors",
                                                          "anchor_counts", "minhash")}
    minhash_all = np.empty((total, num_perm), dtype=np.uint32) if total is not None else None
    done = 0
    exact: list[int] = []
    length: list[int] = []
    hashes_batch: list[np.ndarray] = []
    anchors_batch: list[np.ndarray] = []

    def flush() -> None:
        nonlocal done
        sizes = np.array([h.size for h in hashes_batch], dtype=np.int64)
        offsets = np.zeros(sizes.size + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        matrix = mh.minhash_matrix(np.concatenate(hashes_batch), offsets, num_perm, seed, method)
        if minhash_all is not None:
            minhash_all[done:done + sizes.size] = matrix
        else:
            parts["minhash"].append(matrix)
        parts["exact"].append(np.array(exact, dtype=np.uint64))
        parts["length"].append(np.array(length, dtype=np.int64))
        parts["shingles"].append(sizes)
        parts["anchors"].append(np.concatenate(anchors_batch))
        parts["anchor_counts"].append(np.array([a.size for a in anchors_batch], dtype=np.int64))
        done += sizes.size
        for batch in (exact, length, hashes_batch, anchors_batch):
            batch.clear()

    known = iter(normalized) if normalized is not None else None
    for text in texts:
        norm = next(known) if known is not None else None
        norm = normalize(text) if norm is None else norm
        hashes = normalized_shingles(norm, width)  # first: it leaves the str's UTF-8 cached for encode()
        exact.append(xxhash.xxh3_64_intdigest(norm.encode()))
        length.append(len(norm))
        if on_shingles is not None:
            on_shingles(done + len(hashes_batch), hashes)
        hashes_batch.append(hashes)
        anchors_batch.append(mh.anchors(hashes, anchor_bits))
        if len(hashes_batch) == BATCH:
            flush()
    if hashes_batch:
        flush()
    if total is not None and done != total:
        raise ValueError(f"texts yielded {done} documents but has length {total}")

    def joined(name: str, dtype) -> np.ndarray:
        return np.concatenate(parts[name]) if parts[name] else np.zeros(0, dtype=dtype)

    offsets = np.zeros(done + 1, dtype=np.int64)
    np.cumsum(joined("anchor_counts", np.int64), out=offsets[1:])
    return Signatures(
        exact=joined("exact", np.uint64),
        length=joined("length", np.int64),
        shingles=joined("shingles", np.int64),
        minhash=minhash_all if minhash_all is not None else (
            np.concatenate(parts["minhash"]) if parts["minhash"]
            else np.zeros((0, num_perm), dtype=np.uint32)),
        anchors=joined("anchors", np.uint32),
        anchor_offsets=offsets,
        num_perm=num_perm, seed=seed, anchor_bits=anchor_bits, width=width, method=method,
    )


def sign_distinct(texts: Sequence[str], normalized: Sequence[str | None], *, num_perm: int = 128,
                  seed: int = 1) -> tuple[Signatures, np.ndarray]:
    """The signatures of the distinct normalised texts among `texts`, and the row of each text in them
    (`signatures.take(rows)` is `sign(texts, normalized=normalized)`): the clean pass signs every
    document and every raw capture, and a capture the cleaner keeps whole is the same text twice."""
    norms = [normalize(text) if norm is None else norm for text, norm in zip(texts, normalized, strict=True)]
    first: dict[str, int] = {}
    rows = np.fromiter((first.setdefault(norm, len(first)) for norm in norms), dtype=np.int64,
                       count=len(norms))
    distinct = list(first)
    return sign(distinct, num_perm=num_perm, seed=seed, normalized=distinct), rows
