"""Rule `sections`: a landing or service page is a run of short sibling sections, each a heading and a
little prose ("How it works", "Why us", "Pricing", "FAQ"). The locator's best element is then one of
them (often the FAQ, or the largest feature block) and the rest of the page is lost, though the page's
content is the whole run.

When the best element sits in a section (an element of no boilerplate kind holding a content heading,
one not mostly linked, and SECTION_PROSE characters of prose: unlinked text of blocks that are not link
lists) that has SECTION_MIN or more sibling sections of its tag, and its own section holds no more than
SECTION_SHARE of their parent's prose, the root becomes their parent (rule `extend` may already reach
past it; the run is only widened). A news article's body is one large block next to a few small boxes (its share
is well above), a related-stories box's teasers are links, a listing's cards are found by rule
`listing` before this one, and boilerplate containers (nav, footer, aside...) are no sections.
Only the root's ancestors are looked at, each through its children, on prefix sums over the blocks.
"""
from __future__ import annotations

import numpy as np

from .hints import HEADINGS
from .walk import Page

SECTION_PROSE = 50      # a section holds this many characters of prose, its headings included ...
SECTION_MIN = 4         # ... this many sibling sections of one tag make a page of sections ...
SECTION_SHARE = 2 / 3   # ... when the one holding the best element has at most this share of their parent's prose
HEADING_LINKED = 0.5    # a heading with more than this share of linked text is a link, not a section's title
PROSE_LINKED = 0.3      # a block with more than this share of linked text is no prose


def sections_root(page: Page, root: int, chars: np.ndarray, links: np.ndarray) -> int:
    """The parent of the run of sections around `root`, or `root` itself when there is none."""
    blocks, tags = page.blocks, page.tag
    first, end, last, parent, kinds = page.first, page.end, page.last, page.parent, page.kind
    prose = np.concatenate(([0.0], np.cumsum(np.where(links < PROSE_LINKED * chars, chars - links, 0.0))))
    titles = None

    def section(e: int) -> float:
        """The prose of element `e` when it is a section, else 0."""
        nonlocal titles
        text = float(prose[end[e]] - prose[first[e]])
        if kinds[e] or text < SECTION_PROSE:
            return 0.0
        if titles is None:      # on the pages that have such a run of siblings only
            heading = np.fromiter((tags[b.owner] in HEADINGS for b in blocks), dtype=bool, count=len(blocks))
            titles = np.concatenate(([0], np.cumsum(heading & (links < HEADING_LINKED * chars))))
        return text if titles[end[e]] > titles[first[e]] else 0.0

    e = root
    while parent[e] >= 0:
        p, tag = parent[e], tags[e]
        own = float(prose[end[e]] - prose[first[e]])
        if SECTION_PROSE <= own <= SECTION_SHARE * float(prose[end[p]] - prose[first[p]]):
            siblings, c = [], p + 1
            while c < last[p]:              # the children of p with e's tag
                if tags[c] == tag:
                    siblings.append(c)
                c = last[c]
            if (len(siblings) >= SECTION_MIN and section(e)
                    and sum(1 for c in siblings if section(c)) >= SECTION_MIN):
                return p
        e = p
    return root
