"""Word shingles of normalised text, as sorted unique uint64 hashes.

A document becomes `tamis.hashing.normalize(text)` (the project's one normalisation), its words become
xxh3 hashes in one C-level call per document, and the word hashes are combined into shingle hashes
with numpy: shingle i is sum_k K[k] * word[i + k] (mod 2^64), so no Python code runs per shingle.
A text shorter than the shingle width gives one shingle of all its words. Where the C extension is
built, `normalized_shingles` does all of it, sort included, in one call.
"""
from __future__ import annotations

import numpy as np
import xxhash

from tamis.hashing import normalize
from tamis.native import core

WIDTH = 5
# Odd 64-bit constants (golden ratio and xxhash/murmur primes): one per position in the shingle, so
# word order matters and each position's contribution is a bijection of the word hash.
_POSITION = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
     0x85EBCA77C2B2AE63, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB],
    dtype=np.uint64,
)
_EMPTY = np.zeros(0, dtype=np.uint64)


def word_hashes(normalized: str) -> np.ndarray:
    """xxh3 hashes of the words of an already normalised text, as a uint64 array."""
    if core is not None:
        return np.frombuffer(core.word_hashes(normalized), dtype=np.uint64)
    return np.fromiter(map(xxhash.xxh3_64_intdigest, normalized.encode().split()), dtype=np.uint64)


def shingle_hashes(words: np.ndarray, width: int = WIDTH) -> np.ndarray:
    """Sorted unique hashes of the word `width`-grams of `words` (word hashes, uint64)."""
    if not 1 <= width <= _POSITION.size:
        raise ValueError(f"shingle width is 1 to {_POSITION.size}")
    m = words.size
    if m == 0:
        return _EMPTY
    w = min(width, m)
    count = m - w + 1
    shingles = words[:count] * _POSITION[0]
    for k in range(1, w):
        shingles += words[k:k + count] * _POSITION[k]  # wraps mod 2^64, as intended
    return sorted_unique(shingles)


def normalized_shingles(normalized: str, width: int = WIDTH) -> np.ndarray:
    """`shingle_hashes(word_hashes(normalized), width)`: in one C call where the extension is built
    (which refuses a width out of 1 to 8 with the same ValueError)."""
    if core is not None:
        return np.frombuffer(core.shingle_hashes(normalized, width), dtype=np.uint64)
    return shingle_hashes(word_hashes(normalized), width)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique, by sorting: numpy 2's hash-based unique is ~10x slower on
    arrays of a few hundred hashes)."""
    values = np.sort(values)
    if values.size < 2:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def sorted_unique_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and how many times each occurs."""
    values = np.sort(values)
    if values.size == 0:
        return values, np.zeros(0, dtype=np.int64)
    new = np.empty(values.size, dtype=bool)
    new[0] = True
    np.not_equal(values[1:], values[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return values[starts], np.diff(np.append(starts, values.size))


def text_shingles(text: str, width: int = WIDTH) -> np.ndarray:
    """Sorted unique shingle hashes of a raw text (normalised here)."""
    return normalized_shingles(normalize(text), width)
