"""Rule `related-box`: a box headed "Similar threads", "Related posts", "Ähnliche Themen" (a heading
whose whole text is a `related` phrase of the lexicon) lists other pages, however its items are marked.

A forum's list of similar threads under the last post has plain `structItem` rows (title, starter,
date, replies, views) that no class names as boilerplate, and its short unlinked rows are no link
list; the heading says what the box is. The box is the largest element that the heading begins (its
first block): all its blocks go. A heading standing among the content's own blocks (the first
block of no element of its own) says nothing about what follows, and stays to rule `orphan-heading`;
nor does a heading over one unlinked block ("Mehr zum Thema" over the article's closing paragraph).
"""
from __future__ import annotations

from ..clean.rules import lexicon
from ..hashing import normalize
from .hints import HEADINGS
from .walk import Page

HEADING_MAX = 60  # characters: a longer heading is a title, not a box's label
MAX_SHARE = 0.5   # a related box never holds this share of the kept text or more


def related_boxes(page: Page, kept: list[int], removed: dict[int, str], start: int) -> list[int]:
    """`kept` less the blocks of the boxes headed by a `related` phrase after block `start` (the main
    run's first block); their reason is added to `removed`."""
    whole = lexicon()[0]
    blocks, tags, parent, first, end = page.blocks, page.tag, page.parent, page.first, page.end
    drop: set[int] = set()
    still = set(kept)
    total = sum(blocks[k].chars for k in kept)
    for i, block in enumerate(blocks):
        if i <= start or tags[block.owner] not in HEADINGS or len(block.text) > HEADING_MAX:
            continue
        if whole.get(normalize(block.text)) != "related":
            continue
        e = block.owner
        while parent[e] >= 0 and first[parent[e]] == i:
            e = parent[e]
        box = [k for k in range(i + 1, end[e]) if k in still]
        if not box or (len(box) == 1 and blocks[box[0]].link_chars < 0.5 * blocks[box[0]].chars):
            continue
        if sum(blocks[k].chars for k in box) >= MAX_SHARE * total:
            continue    # the page's content under a misleading label (a forum's "Recommended Posts")
        drop.update(range(i, end[e]))
    if not drop:
        return kept
    for i in drop:
        if i not in removed:
            removed[i] = "related-box"
    return [i for i in kept if i not in drop]

