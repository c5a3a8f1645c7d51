"""One normalisation and one 64-bit hash of text, shared by the cleaner (line repeats, site templates)
and by dedup (exact duplicates), so that both stages agree on what "the same text" is."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import xxhash

from .native import core

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """Case-folded words joined by single spaces: punctuation, digits-as-separators and spacing vanish.

    "2,933 Views" and "2 933 views" normalise alike; so do two captures of a paragraph that differ only
    in quotes or whitespace."""
    if core is not None:  # its lines, each already words joined by single spaces
        return " ".join(filter(None, core.words_lines(_folded_for_words(text))))
    return _NON_WORD.sub(" ", _folded(text)).strip()


def _folded(text: str) -> str:
    """NFKC, then case folding. ASCII text is its own NFKC form and folds as it lower-cases, which
    str.lower() does on a fast path that str.casefold() has not: most lines of most pages are ASCII."""
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()


def _folded_for_words(text: str) -> str:
    """`_folded`, less what `core.words_lines` does itself: lowering the capitals of an ASCII text."""
    return text if text.isascii() else _folded(text)


_NON_WORD_KEEP_LINES = re.compile(r"(?:[^\w\n]|_)+", re.UNICODE)


# Characters that NFKC and case folding map one by one, so that `normalize` of a line made of them
# and ASCII is each character's folded form, then the words: `core.fold_lines` does it in C, without
# NFKC or folding in Python for each line (a quarter of news lines hold a curly quote or an accent).
# NFKC of a text is the concatenation of its characters' NFKC unless a character combines with the
# one before it: a combining mark (category M), a Hangul vowel or final jamo (category Lo), or a
# character whose decomposition starts with one. Those are left out, and so are line breaks and
# characters folding to more than 3. Case folding maps each character alone. A test checks every
# table character against the canonical decompositions and pairs of them against `normalize`.
FOLD_END = 0x3000      # the table covers Latin, Greek, Cyrillic, punctuation and symbols; CJK is Lo
FOLD_MAX = 3           # the longest folded form (C's FOLD_MAX)
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _joins_previous(c: str) -> bool:
    """`c` may combine with the character before it under NFKC."""
    category = unicodedata.category(c)
    return category[0] == "M" or category == "Lo" or unicodedata.combining(c) != 0


@lru_cache(maxsize=1)
def fold_table() -> dict[str, str]:
    """{character: its NFKC, case-folded} for the non-ASCII characters below FOLD_END folded alone."""
    table = {}
    for cp in range(0x80, FOLD_END):
        c = chr(cp)
        category = unicodedata.category(c)
        decomposed = unicodedata.normalize("NFKD", c)
        if category[0] == "C" or category in ("Zl", "Zp") or _joins_previous(c) or _joins_previous(decomposed[0]):
            continue
        folded = unicodedata.normalize("NFKC", c).casefold()
        if len(folded) <= FOLD_MAX and _LINE_BREAKS.isdisjoint(folded):
            table[c] = folded
    return table


_FOLDS_GIVEN = []  # the compiled module the fold table was given to


def folding_core():
    """`core` with the fold table set (once a process), or None without the compiled core."""
    if core is None or core in _FOLDS_GIVEN:
        return core
    at = np.full((FOLD_END, 2), -1, dtype=np.int32)
    pool = []
    size = 0
    for c, folded in fold_table().items():
        at[ord(c)] = (size, len(folded))
        pool.append(folded)
        size += len(folded)
    core.set_folds(at.tobytes(), "".join(pool))
    _FOLDS_GIVEN.append(core)
    return core


def normalize_lines(lines: list[str]) -> list[str]:
    """`normalize` of each line (lines hold no newline). In C, a line of ASCII and `fold_table`
    characters is folded and split into words in one pass; each other line goes through `normalize`."""
    if not lines:
        return []
    folding = folding_core()
    if folding is not None:
        out = folding.fold_lines(lines)
        if None in out:
            out = [normalize(line) if norm is None else norm for line, norm in zip(lines, out)]
        return out
    joined = "\n".join(map(_folded, lines))
    out = [part.strip() for part in _NON_WORD_KEEP_LINES.sub(" ", joined).split("\n")]
    if len(out) != len(lines):  # a character whose NFKC form holds a newline (none known): be exact
        return [normalize(line) for line in lines]
    return out


def hash64(text: str) -> int:
    """xxh3 64-bit hash of the normalised text, as a Python int (fits numpy uint64)."""
    return xxhash.xxh3_64_intdigest(normalize(text).encode("utf-8"))


def hash_normalized(norms: list[str]) -> np.ndarray:
    """Hashes of already normalised lines as a uint64 array (the form cc_net keeps them in)."""
    if core is not None:
        return np.frombuffer(core.hash_texts(norms if isinstance(norms, list) else list(norms)), dtype=np.uint64)
    return np.fromiter((xxhash.xxh3_64_intdigest(n.encode("utf-8")) for n in norms), dtype=np.uint64,
                       count=len(norms))


def hash_lines(lines: list[str]) -> np.ndarray:
    """Hashes of many raw lines as a uint64 array."""
    return hash_normalized(normalize_lines(lines))
