"""Rule `scrambled-text`: a block of strings of random identifiers is no text a reader sees.

A marketplace hides its "Sponsored" labels from ad blockers by writing each letter between spans
of random identifiers (`<span class="...">S</span><span class="...">f2f260c3-bf1f-466a-...</span>`)
that its stylesheet moves off screen. Without the stylesheet the block reads as a run of UUIDs,
hundreds of characters of unlinked "text" that outweigh a short product box and stay in its text.
The evidence is the shape alone: MIN_IDS or more UUIDs (8-4-4-4-12 hexadecimal digits) making up
ID_SHARE of the block or more. A UUID quoted in prose or code (a command's argument, a path) is one
in a block of words. On product pages only (where the dev pages show it), so others pay nothing.
"""
from __future__ import annotations

import re

from .switches import ON
from .walk import Page

MIN_IDS = 3       # a block holding this many UUIDs ...
ID_SHARE = 0.5    # ... that make up this share of its characters or more is scrambled
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_UUID_CHARS = 36


def scrambled_blocks(page: Page) -> list[int]:
    """Indices of the blocks that are runs of UUIDs (see the module's docstring); their character
    counts are set to 0, so that the locator weighs them as the empty boxes they are on screen."""
    out = []
    for i, b in enumerate(page.blocks):
        if b.chars >= MIN_IDS * _UUID_CHARS and b.text.count("-") >= 4 * MIN_IDS:
            ids = len(_UUID.findall(b.text))
            if ids >= MIN_IDS and ids * _UUID_CHARS >= ID_SHARE * b.chars and ON("scrambled-text"):
                out.append(i)
                b.chars = b.link_chars = 0
    return out
