"""Rules `linked-item` and `linked-heading`: a link-dense block that the article's own kept blocks
surround or follow is the article's, not a link list.

Rule `link-dense` (core.py) drops a block of the main run whose text is mostly links: a menu, a row
of tags, a list of other articles. A link list is a run of such blocks. Two blocks are something else:
- `linked-item`: a list item whose neighbours on both sides were kept, the item of a list whose other
  items carry prose, a reference with its url, a resource named by its link. (A list item is also a
  link list only above LINK_DENSE_ITEM of linked text, `core.LINK_DENSE_ITEM`.)
- `linked-heading`: a heading whose text is a link (a permalink anchor on a docs section, an item's
  title linking to its page in a roundup) when the block right after it was kept: it names the
  content that follows. A linked heading followed by more links (a menu's section titles, a box of
  teaser titles) stays removed, as does one that is the only block of its parent (a teaser set
  between two paragraphs), one that opens an <article> (a story's title in a stream of stories,
  which `articles.py` would take for a page of several articles), and the page's title linked to
  itself (`is_title`: the title is metadata).
Measured on wcxb-dev, link-dense list items and headings next to kept blocks were mostly the gold's.
"""
from __future__ import annotations

from typing import Callable

from .hints import HEADINGS
from .switches import ON
from .walk import Page


def linked_entries(page: Page, dense: list[int], kept: list[int], removed: dict[int, str],
                   is_title: Callable[[str], bool]) -> list[int]:
    """`kept` with the blocks of `dense` (the link-dense blocks of the main run, in order) that are
    such list items or headings put back in order; their reason leaves `removed`."""
    if not dense:
        return kept
    still = set(kept)
    blocks, tags, parent, end = page.blocks, page.tag, page.parent, page.end
    items = [i for i in dense if tags[blocks[i].owner] == "li" and i - 1 in still and i + 1 in still] \
        if ON("linked-item") else []
    still.update(items)
    headings = [i for i in dense if i + 1 in still and tags[blocks[i].owner] in HEADINGS
                and end[parent[blocks[i].owner]] > i + 1 and not _opens_article(page, i)
                and not is_title(blocks[i].text)] if ON("linked-heading") else []
    if not items and not headings:
        return kept
    for i in items + headings:
        del removed[i]
    return sorted(still.union(headings))


def _opens_article(page: Page, i: int) -> bool:
    """Block `i` is the first block of an <article>."""
    tags, parent, first = page.tag, page.parent, page.first
    e = page.blocks[i].owner
    while e >= 0 and first[e] == i:
        if tags[e] == "article":
            return True
        e = parent[e]
    return False
