"""Generic line features for the learned line model: shape of the line, its neighbourhood, its position,
lexicon hits and repeats. Nothing here names a site or a language; the same features serve text whose
HTML is gone and blocks that still carry markup hints."""
from __future__ import annotations

import re

import numpy as np

from .blocks import Block

_WORD = re.compile(r"\w+")
_END = re.compile(r"[.!?…\"”»'’)\]:;。！？」』]$")
_DATE = re.compile(r"\b(1[89]|20)\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d\d\b")
_BULLET = re.compile(r"^([-*•·▪►»›]|\d{1,2}[.)]\s)")
_SEPARATORS = re.compile(r"[|»›/•·]")
_CONTAINERS = ("nav", "aside", "footer", "header", "comment", "form", "menu", "figcaption")

NAMES = [
    "log_words", "log_chars", "ends_sentence", "title_case", "digit_frac", "commas_per_word",
    "rel_pos", "rel_char_pos", "rule_hit", "rule_near", "prev_words", "next_words", "prev2_words",
    "next2_words", "window_words", "repeats_in_doc", "template_share", "title_overlap", "after_title",
    "bullet", "separators", "date", "upper_frac", "heading", "in_container", "link_density",
    "long_before", "long_after", "cjk", "mean_word_len",
]


def _log(x: np.ndarray | float) -> np.ndarray:
    return np.log1p(np.asarray(x, dtype=np.float32))


def _window_sum(a: np.ndarray, radius: int) -> np.ndarray:
    """Sum of a[i-radius : i+radius+1] for every i (shorter at the edges)."""
    c = np.concatenate([[0.0], np.cumsum(a, dtype=np.float64)])
    i = np.arange(len(a))
    return (c[np.minimum(i + radius + 1, len(a))] - c[np.maximum(i - radius, 0)]).astype(np.float32)


def _char_counts(texts: list[str]) -> dict[str, np.ndarray]:
    """Per text: digits, upper-case letters, cased letters, CJK characters; counted over the code
    points of all texts at once in numpy (a Python loop per character was most of the cleaner's time)."""
    joined = "\n".join(texts)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    lower = np.frombuffer(joined.lower().encode("utf-32-le"), dtype=np.uint32)
    upper = np.frombuffer(joined.upper().encode("utf-32-le"), dtype=np.uint32)
    if len(lower) != len(cp) or len(upper) != len(cp):  # a letter whose case changes its length (İ, ß)
        lower = np.frombuffer("".join(c.lower()[:1] for c in joined).encode("utf-32-le"), dtype=np.uint32)
        upper = np.frombuffer("".join(c.upper()[:1] for c in joined).encode("utf-32-le"), dtype=np.uint32)
    starts = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        starts[1:] = np.cumsum([len(t) + 1 for t in texts[:-1]])
    classes = {
        "digit": (cp >= 48) & (cp <= 57),
        "upper": cp != lower,
        "cased": (cp != lower) | (cp != upper),
        "cjk": ((cp >= 0x3040) & (cp <= 0x9FFF)) | ((cp >= 0xAC00) & (cp <= 0xD7AF)),
    }
    if len(cp) == 0:
        return {k: np.zeros(len(texts), dtype=np.float32) for k in classes}
    return {k: np.add.reduceat(v.astype(np.int32), starts).astype(np.float32) for k, v in classes.items()}


def _title_words(title: str | None) -> set[str]:
    return {w for w in _WORD.findall((title or "").lower()) if len(w) > 2}


def features(blocks: list[Block], rule_hits: np.ndarray, repeats: np.ndarray, template_share: np.ndarray,
             title: str | None) -> np.ndarray:
    """One row of `NAMES` per block. `rule_hits` (bool), `repeats` (count of the line in the document),
    `template_share` (share of the site's documents holding the line) come from the cleaner."""
    n = len(blocks)
    x = np.zeros((n, len(NAMES)), dtype=np.float32)
    if n == 0:
        return x
    words = [_WORD.findall(b.text) for b in blocks]
    nw = np.array([len(w) for w in words], dtype=np.float32)
    nc = np.array([len(b.text) for b in blocks], dtype=np.float32)
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

    counts = _char_counts([b.text for b in blocks])
    x[:, 4] = counts["digit"] / np.maximum(nc, 1)
    x[:, 22] = counts["upper"] / np.maximum(counts["cased"], 1)
    x[:, 28] = counts["cjk"] / np.maximum(nc, 1)
    title_row = -1
    for i, (block, ws) in enumerate(zip(blocks, words)):
        text = block.text
        if ws:
            x[i, 3] = sum(1 for w in ws if w[0].isupper()) / len(ws)
            x[i, 29] = (nc[i] - len(ws) + 1) / len(ws)
            if twords:
                lw = {w.lower() for w in ws if len(w) > 2}
                if lw:
                    overlap = len(lw & twords) / len(lw | twords)
                    x[i, 17] = overlap
                    if i > 0 and overlap > 0.5 and title_row < 0:
                        title_row = i
        x[i, 2] = bool(_END.search(text))
        x[i, 5] = text.count(",") / max(len(ws), 1)
        x[i, 19] = bool(_BULLET.match(text))
        x[i, 20] = len(_SEPARATORS.findall(text)) / max(len(ws), 1)
        x[i, 21] = bool(_DATE.search(text))
        hints = block.hints
        if hints:
            tag = hints.get("tag", "")
            x[i, 23] = tag[:1] == "h" and tag[1:].isdigit()
            x[i, 24] = hints.get("container") in _CONTAINERS
            x[i, 25] = hints.get("link_density", 0.0)
    if title_row >= 0:
        x[:, 18] = np.sign(np.arange(n) - title_row)
    return x
