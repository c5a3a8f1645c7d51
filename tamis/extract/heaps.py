"""Rule `word-heap`: a long block that is a heap of names or codes, not text.

A local business lists the towns it serves and their postcodes ("Beverly Hills Los Angeles Irvine
Perris ...", "90212 90015 92606 ..."), a booking widget repeats its button a hundred times, a shop
leaves a blob of identifiers in its markup: one block of hundreds of characters with no sentence in
it. Counted as content, such a block outweighs the page's real text (it has more characters and no
links) and becomes the main content. It is told by shape alone, in any language: HEAP_CHARS or more,
no clause or sentence mark inside (". ", ", ", "; ", "。", "，" ...), no sentence end, and either most
words not starting in lower case (names, numbers, codes) or words too long to be words (a blob). Prose
written without marks has most words in lower case; CJK text has its own marks. Table rows and
preformatted lines are left alone (a spec table's row, a code line). On the dev sets' 62 such blocks, the
8 that were kept held no gold word, and the rest were already removed.
"""
from __future__ import annotations

import numpy as np

from .hints import TABLE_PARTS
from .walk import Page

HEAP_CHARS = 300        # a heap is at least this long (characters without spaces) ...
LOWER_SHARE = 0.3       # ... and fewer of its words than this share start in lower case ...
BLOB_WORD = 25          # ... or its words are this long on average (characters)
_MARKS = (". ", "? ", "! ", ", ", "; ", ": ", ".\u00a0", "。", "？", "！", "，", "、", "；")
_ENDS = (".", "!", "?", ":", ";", "…", "。", "！", "？")
_LEFT_ALONE = TABLE_PARTS | {"pre", "listing"}


def word_heaps(page: Page, chars: np.ndarray) -> list[int]:
    """The blocks of `page` that are heaps of words (`chars`: each block's characters without spaces)."""
    heaps = []
    for i in np.flatnonzero(chars >= HEAP_CHARS).tolist():
        block = page.blocks[i]
        if page.tag[block.owner] not in _LEFT_ALONE and is_heap(block.text):
            heaps.append(i)
    return heaps


def is_heap(text: str) -> bool:
    if any(mark in text for mark in _MARKS) or text.rstrip().endswith(_ENDS):
        return False
    words = text.split()
    lower = sum(1 for w in words if w[:1].islower())
    return lower < LOWER_SHARE * len(words) or len(text) > BLOB_WORD * len(words)
