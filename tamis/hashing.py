"""One normalisation and one 64-bit hash of text, shared by the cleaner (line repeats, site templates)
and by dedup (exact duplicates), so that both stages agree on what "the same text" is."""
from __future__ import annotations

import re
import unicodedata

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


def normalize_lines(lines: list[str]) -> list[str]:
    """`normalize` of each line (lines hold no newline), done on all lines at once where it can: the
    words of the whole page in one pass. Each line is folded on its own (NFKC composes nothing across
    a newline, and case folding maps each character alone), so that the ASCII lines, three in four on
    news pages, skip NFKC: 45% less time than folding the page at once."""
    if not lines:
        return []
    if core is not None:
        out = core.words_lines("\n".join([_folded_for_words(line) for line in lines]))
    else:
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
