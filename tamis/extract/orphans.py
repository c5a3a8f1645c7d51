"""Rule `orphan-heading`: a heading, or a short line announcing what follows ("Weitere Informationen:",
"Sources:"), whose content was removed says nothing on its own.

A section's heading stays in the main run while what it heads goes: the links under "Related posts",
the share buttons under "Share this page", the form under "Subscribe". Left behind it reads as a stray
line at the end of the article, or between two sections. A heading is orphaned when the block right
after it was removed and the next kept block is a heading of the same or a higher rank (a new section
begins) or there is none (the article ends). An announcing line (ending with a colon, at most
INTRO_WORDS words at most) is orphaned when the block right after it was removed and nothing, or a
heading, is kept after it. No lexicon: the evidence is the removal of what follows.

Two guards keep lists whole: only a heading that follows a paragraph of prose (PROSE_MIN characters)
can be orphaned (on a listing the headings are the content), and a page with more than MAX_ORPHANS
such headings is a list of headed items (teasers, categories), where none is dropped.
"""
from __future__ import annotations

from ..clean.blocks import Block

RANK = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
INTRO_WORDS = 5     # words of a line that announces what follows (a longer one is a sentence)
PROSE_MIN = 80      # an orphan follows a kept block of at least this many characters ...
MAX_ORPHANS = 2     # ... and a page has at most this many orphans


def orphans(blocks: list[Block], kept: list[Block]) -> set[int]:
    """Positions in `kept` (blocks in page order, a subset of `blocks`) of orphaned headings and
    announcing lines."""
    prose = next((k for k, b in enumerate(kept) if b.hints.get("tag") not in RANK and len(b.text) >= PROSE_MIN), None)
    if prose is None:
        return set()
    index = {id(b): i for i, b in enumerate(blocks)}
    drop: set[int] = set()
    nxt = None      # the next kept block that stays, walking from the end
    for k in range(len(kept) - 1, prose, -1):
        block = kept[k]
        rank = RANK.get(block.hints.get("tag"))
        if rank and block.text.endswith("."):
            rank = None     # a sentence set as a heading (a caption, a pull quote) is no heading
        intro = rank is None and block.text.endswith(":") and block.text.count(" ") < INTRO_WORDS
        if (rank or intro) and _followed_by_removal(block, nxt, blocks, index):
            next_rank = RANK.get(nxt.hints.get("tag")) if nxt is not None else None
            if nxt is None or (next_rank is not None and (intro or next_rank <= rank)):
                drop.add(k)
                continue
        nxt = block
    return drop if len(drop) <= MAX_ORPHANS else set()


def _followed_by_removal(block: Block, nxt: Block | None, blocks: list[Block], index: dict) -> bool:
    i = index[id(block)]
    if i + 1 >= len(blocks):
        return False
    return nxt is None or index[id(nxt)] > i + 1
