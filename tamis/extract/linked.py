"""Rules `linked-item` and `linked-heading`: a link-dense block standing alone among the article's
kept blocks is the article's own, not a link list.

Rule `link-dense` (core.py) drops a block of the main run whose text is mostly links: a menu, a row
of tags, a list of other articles. A link list is a run of such blocks. A single linked entry between
kept blocks is something else: the item of a list whose other items carry prose, a reference with
its url, a resource named by its link (`linked-item`: a list item whose neighbours on both sides were
kept); the name of a listicle's entry, linked to the thing it reviews (`linked-heading`: a heading
between two kept blocks over a section of its own, SECTION_MIN characters of kept text in two blocks
or more before the next heading). A teaser's linked title heads one short excerpt, and goes.
"""
from __future__ import annotations

from .hints import HEADINGS
from .walk import Page

SECTION_MIN = 400   # characters of kept text under a linked heading that make it a section's heading


def linked_entries(page: Page, dense: list[int], kept: list[int], removed: dict[int, str]) -> list[int]:
    """`kept` with the blocks of `dense` (the link-dense blocks of the main run, in order) that stand
    alone among kept blocks put back in order; their reason leaves `removed`."""
    if not dense:
        return kept
    still = set(kept)
    blocks, tags = page.blocks, page.tag
    back = []
    for i in dense:
        if i - 1 not in still or i + 1 not in still:
            continue
        tag = tags[blocks[i].owner]
        if tag == "li" or (tag in HEADINGS and _section(page, i, still)):
            back.append(i)
    if not back:
        return kept
    for i in back:
        del removed[i]
    return sorted(still.union(back))


def _section(page: Page, i: int, still: set[int]) -> bool:
    """Heading block `i` heads SECTION_MIN characters or more of kept text in two blocks or more."""
    blocks, tags = page.blocks, page.tag
    chars = count = 0
    for k in range(i + 1, len(blocks)):
        if tags[blocks[k].owner] in HEADINGS:
            break
        if k in still:
            chars += blocks[k].chars
            count += 1
            if chars >= SECTION_MIN and count >= 2:
                return True
    return False
