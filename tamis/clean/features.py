"""Generic line features for the learned line model: shape of the line, its neighbourhood, its position,
lexicon hits and repeats. Nothing here names a site or a language; the same features serve text whose
HTML is gone and blocks that still carry markup hints."""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from ..native import core
from .blocks import Block

_WORD = re.compile(r"\w+")
_DATE = re.compile(r"\b(1[89]|20)\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d\d\b")
_CONTAINERS = ("nav", "aside", "footer", "header", "comment", "form", "menu", "figcaption")

NAMES = [
    "log_words", "log_chars", "ends_sentence", "title_case", "digit_frac", "commas_per_word",
    "rel_pos", "rel_char_pos", "rule_hit", "rule_near", "prev_words", "next_words", "prev2_words",
    "next2_words", "window_words", "repeats_in_doc", "template_share", "title_overlap", "after_title",
    "bullet", "separators", "date", "upper_frac", "heading", "in_container", "link_density",
    "long_before", "long_after", "cjk", "mean_word_len",
    "long_prev_dist", "long_next_dist", "sentences_near", "rule_far", "shape_repeats", "words_vs_max",
]


def _log(x: np.ndarray | float) -> np.ndarray:
    return np.log1p(np.asarray(x, dtype=np.float32))


def _window_sum(a: np.ndarray, radius: int) -> np.ndarray:
    """Sum of a[i-radius : i+radius+1] for every i (shorter at the edges)."""
    c = np.concatenate([[0.0], np.cumsum(a, dtype=np.float64)])
    i = np.arange(len(a))
    return (c[np.minimum(i + radius + 1, len(a))] - c[np.maximum(i - radius, 0)]).astype(np.float32)


_NOT_WORD = re.compile(r"\W")
_END_CHARS = np.array([ord(c) for c in ".!?…\"”»'’)]:;。！？」』"], dtype=np.uint32)
_BULLET_CHARS = np.array([ord(c) for c in "-*•·▪►»›"], dtype=np.uint32)
_NUMBER_MARKS = np.array([ord(c) for c in ".)"], dtype=np.uint32)
_SEPARATOR_CHARS = np.array([ord(c) for c in "|»›/•·"], dtype=np.uint32)
_CODE_CHARS = np.array([ord(c) for c in "{};=<>()[]|&$"], dtype=np.uint32)
_LABEL_MARKS = np.array([ord(c) for c in ":|»"], dtype=np.uint32)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


# The columns of `_char_counts` that tamis/_core.c computes, in its order.
# `code` ... `label_at` are not features: they gate the line rules (rules.py), so that a regex runs only
# on the lines that could match it. `label_at` is the index of the first ":", "|" or "»" (-1: none).
# `date` is 1 when `_DATE` matches in the text.
CHAR_COUNTS = ["words", "cap_words", "digit", "upper", "cased", "cjk", "commas", "separators", "ends_sentence",
               "bullet", "code", "css_marks", "script_marks", "label_at", "date"]


def _char_counts(texts: list[str]) -> dict[str, np.ndarray]:
    """`CHAR_COUNTS` per text, and the page joined by newlines with each text's start in it."""
    joined = "\n".join(texts)
    starts = np.zeros(len(texts), dtype=np.int64)
    starts[1:] = np.cumsum([len(t) + 1 for t in texts[:-1]])
    if not texts:
        out = {name: np.zeros(0, dtype=np.float32) for name in CHAR_COUNTS}
    elif core is not None:
        counts = np.frombuffer(core.char_counts(texts), dtype=np.float32).reshape(len(texts), len(CHAR_COUNTS))
        out = {name: counts[:, k] for k, name in enumerate(CHAR_COUNTS)}
    else:
        out = _char_counts_numpy(joined, starts, texts)
    out["starts"] = starts
    out["joined"] = joined
    out["texts"] = texts
    return out


def _char_counts_numpy(joined: str, starts: np.ndarray, texts: list[str]) -> dict[str, np.ndarray]:
    """Per text: words, capitalised words, digits, upper-case and cased letters, CJK characters,
    commas, separators, and whether it ends like a sentence; counted over the code points of all texts
    at once in numpy (a Python loop per character or word was most of the cleaner's time)."""
    cp = _codepoints(joined)
    lower, upper = _codepoints(joined.lower()), _codepoints(joined.upper())
    if len(lower) != len(cp) or len(upper) != len(cp):  # a letter whose case changes its length (İ, ß)
        lower = _codepoints("".join(c.lower()[:1] for c in joined))
        upper = _codepoints("".join(c.upper()[:1] for c in joined))
    word = _codepoints(_NOT_WORD.sub("\0", joined)) != 0
    ends = starts + np.array([len(t) for t in texts], dtype=np.int64) - 1
    word_start = word & ~np.concatenate([[False], word[:-1]])
    is_upper = cp != lower
    classes = {
        "words": word_start,
        "cap_words": word_start & is_upper,
        "digit": (cp >= 48) & (cp <= 57),
        "upper": is_upper,
        "cased": is_upper | (cp != upper),
        "cjk": ((cp >= 0x3040) & (cp <= 0x9FFF)) | ((cp >= 0xAC00) & (cp <= 0xD7AF)),
        "commas": cp == 44,
        "separators": np.isin(cp, _SEPARATOR_CHARS),
        "code": np.isin(cp, _CODE_CHARS),
        "css_marks": (cp == ord("{")) | (cp == ord("@")),
        "script_marks": (cp == ord("(")) | (cp == ord("=")) | (cp == ord("}")),
    }
    out = {k: np.add.reduceat(v.astype(np.int32), starts).astype(np.float32) for k, v in classes.items()}
    out["ends_sentence"] = np.isin(cp[ends], _END_CHARS).astype(np.float32)
    second = np.minimum(starts + 1, len(cp) - 1)
    numbered = classes["digit"][starts] & np.isin(cp[second], _NUMBER_MARKS)
    out["bullet"] = (np.isin(cp[starts], _BULLET_CHARS) | numbered).astype(np.float32)
    marks = np.append(np.flatnonzero(np.isin(cp, _LABEL_MARKS)), len(cp))
    at = marks[np.searchsorted(marks, starts)] - starts  # the first mark at or after each text's start
    out["label_at"] = np.where((at >= 0) & (at <= ends - starts), at, -1).astype(np.float32)
    out["date"] = np.zeros(len(texts), dtype=np.float32)
    dates = [m.start() for m in _DATE.finditer(joined)]
    if dates:
        out["date"][np.searchsorted(starts, dates, side="right") - 1] = 1.0
    return out


def _title_hits(counts: dict, twords: set[str]) -> np.ndarray:
    """Per line, how many of its words are title words (a letter whose case mapping changes its length,
    as "İ", may count differently in the two versions)."""
    if core is not None:
        return np.frombuffer(core.word_hits(counts["texts"], twords), dtype=np.float32)
    finder = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(twords)) + r")\b", re.I)
    hits = [m.start() for m in finder.finditer(counts["joined"])]
    return np.bincount(np.searchsorted(counts["starts"], hits, side="right") - 1,
                       minlength=len(counts["starts"])).astype(np.float32)


def _title_words(title: str | None) -> set[str]:
    return {w for w in _WORD.findall((title or "").lower()) if len(w) > 2}


def features(blocks: list[Block], rule_hits: np.ndarray, repeats: np.ndarray, template_share: np.ndarray,
             title: str | None, counts: dict | None = None) -> np.ndarray:
    """One row of `NAMES` per block. `rule_hits` (bool), `repeats` (count of the line in the document),
    `template_share` (share of the site's documents holding the line) come from the cleaner, and so
    may `counts` (`_char_counts` of the blocks' texts)."""
    n = len(blocks)
    x = np.zeros((n, len(NAMES)), dtype=np.float32)
    if n == 0:
        return x
    counts = counts if counts is not None else _char_counts([b.text for b in blocks])
    texts = counts["texts"]
    nw = counts["words"]
    nc = np.array([len(t) for t in texts], dtype=np.float32)
    total_chars = max(float(nc.sum()), 1.0)
    twords = _title_words(title)

    x[:, 0] = _log(nw)
    x[:, 1] = _log(nc)
    x[:, 6] = np.arange(n) / max(n - 1, 1)
    x[:, 7] = (np.cumsum(nc) - nc) / total_chars
    x[:, 8] = rule_hits
    hits = rule_hits.astype(np.float32)
    x[:, 9] = (_window_sum(hits, 3) - hits) / 6.0
    padded = np.concatenate([[0, 0], nw, [0, 0]])
    x[:, 10] = _log(padded[1:n + 1])
    x[:, 11] = _log(padded[3:n + 3])
    x[:, 12] = _log(padded[0:n])
    x[:, 13] = _log(padded[4:n + 4])
    x[:, 14] = _log(_window_sum(nw, 5) / 11.0)
    x[:, 15] = repeats
    x[:, 16] = template_share
    long = (nw >= 15).astype(np.float32)
    cum = np.cumsum(long)
    x[:, 26] = _log(cum - long)
    x[:, 27] = _log(cum[-1] - cum)

    safe_nw = np.maximum(nw, 1)
    x[:, 2] = counts["ends_sentence"]
    x[:, 3] = counts["cap_words"] / safe_nw
    x[:, 4] = counts["digit"] / np.maximum(nc, 1)
    x[:, 5] = counts["commas"] / safe_nw
    x[:, 19] = counts["bullet"]
    x[:, 20] = counts["separators"] / safe_nw
    x[:, 21] = counts["date"]
    x[:, 22] = counts["upper"] / np.maximum(counts["cased"], 1)
    x[:, 28] = counts["cjk"] / np.maximum(nc, 1)
    x[:, 29] = np.where(nw > 0, (nc - nw + 1) / safe_nw, 0.0)
    title_row = -1
    if twords:
        # Share of a line's words that are title words, for every line at once: one regex over the
        # page finds the title's words, each hit counted on its line.
        per_line = _title_hits(counts, twords)
        if per_line.any():
            per_line = np.minimum(per_line, nw).astype(np.float32)
            overlap = per_line / np.maximum(nw + len(twords) - per_line, 1)
            x[:, 17] = overlap
            candidates = np.flatnonzero(overlap[1:] > 0.5)
            if len(candidates):
                title_row = int(candidates[0]) + 1
    hinted = [i for i, b in enumerate(blocks) if b.hints]
    for i in hinted:
        hints = blocks[i].hints
        tag = hints.get("tag", "")
        x[i, 23] = tag[:1] == "h" and tag[1:].isdigit()
        x[i, 24] = hints.get("container") in _CONTAINERS
        x[i, 25] = hints.get("link_density", 0.0)
    if title_row >= 0:
        x[:, 18] = np.sign(np.arange(n) - title_row)
    _context(x, texts, counts, nw, hits_of=rule_hits)
    return x


_DIGITS = re.compile(r"\d+")
LONG_LINE = 15  # words: a line this long is prose, whatever the page


def _context(x: np.ndarray, texts: list[str], counts: dict, nw: np.ndarray, hits_of: np.ndarray) -> None:
    """Columns 30..35, page-level numpy: how far the nearest prose line is before and after (an author
    or date line of a post sits next to one, a menu item far from any), the share of sentence-ending
    lines and of rule hits around the line, how many lines share its shape once digits are masked
    (the rows of a list: "Rated 4.5 out of 5", "28/11/2025 at 7:16 pm"), its length against the
    page's longest line."""
    n = len(texts)
    idx = np.arange(n)
    long_idx = np.flatnonzero(nw >= LONG_LINE)
    if len(long_idx):
        k = np.searchsorted(long_idx, idx, side="left")
        prev = np.where(k > 0, idx - long_idx[np.maximum(k - 1, 0)], n + 1)
        k = np.searchsorted(long_idx, idx, side="right")
        nxt = np.where(k < len(long_idx), long_idx[np.minimum(k, len(long_idx) - 1)] - idx, n + 1)
    else:
        prev = nxt = np.full(n, n + 1)
    x[:, 30] = _log(prev)
    x[:, 31] = _log(nxt)
    ends = counts["ends_sentence"]
    x[:, 32] = (_window_sum(ends, 3) - ends) / 6.0
    hits = hits_of.astype(np.float32)
    x[:, 33] = (_window_sum(hits, 10) - hits) / 20.0
    x[:, 34] = _log(_shape_repeats(texts, counts["joined"]))
    x[:, 35] = nw / max(float(nw.max()), 1.0)


def _shape_repeats(texts: list[str], joined: str) -> np.ndarray:
    """Per text, how many texts of the page share its shape: lower-cased, each run of digits one "0"."""
    if core is not None:  # the shapes hashed in C, not built as strings (a tenth of the line features' time)
        masked = np.frombuffer(core.shape_hashes(texts), dtype=np.uint64).tolist()
    else:
        masked = _DIGITS.sub("0", joined.lower()).split("\n")
        if len(masked) != len(texts):  # a block holding a newline (markup input): mask block by block
            masked = [_DIGITS.sub("0", t.lower()) for t in texts]
    shapes = Counter(masked)
    return np.fromiter(map(shapes.__getitem__, masked), dtype=np.float32, count=len(texts))

