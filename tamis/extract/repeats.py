"""Rule `repeated-run`: a long run of kept blocks that repeats an earlier run of kept blocks, block
for block, further down the page is the same content rendered again: the article's text served a
second time for another layout (a print or mobile copy after a newsletter box), a carousel's cloned
slides, a post quoted whole by every reply. The copy goes, the first rendering stays.

Rule `duplicate` (`core._undouble`) takes a copy that follows at once; this one takes a copy after
other blocks, and so asks for more evidence: RUN_BLOCKS blocks and RUN_CHARS characters in a row.
Short repeats stay (a price table's row under each plan, a recipe's step, a forum reply quoting a
paragraph). Lines of a <pre> (code repeats itself) and text in a <blockquote> are never a copy.
"""
from __future__ import annotations

from .walk import Page

RUN_BLOCKS = 3      # a copied run holds this many blocks or more ...
RUN_CHARS = 1000    # ... and this many characters (non-space) in all ...
RUN_SHARE = 0.2     # ... and this share of the kept text
LOOKBACK = 8        # earlier places of one text that are tried (a menu label may repeat often)


def recopied(page: Page, kept: list[int], removed: dict[int, str]) -> list[int]:
    """`kept` less the blocks of runs that copy an earlier run; each dropped block is given the reason
    `repeated-run` in `removed`."""
    blocks, tags, parent = page.blocks, page.tag, page.parent
    texts = [blocks[i].text for i in kept]
    n = len(texts)
    if n < 2 * RUN_BLOCKS:
        return kept
    least = max(RUN_CHARS, RUN_SHARE * sum(blocks[i].chars for i in kept))
    seen: dict[str, list[int]] = {}
    drop: set[int] = set()
    p = 0
    while p < n:
        places = seen.get(texts[p])
        best = 0
        if places:
            for q in places[-LOOKBACK:]:
                k = 0
                while p + k < n and q + k < p and texts[q + k] == texts[p + k]:
                    k += 1
                best = max(best, k)
        if best >= RUN_BLOCKS and sum(blocks[kept[p + k]].chars for k in range(best)) >= least \
                and not any(_verbatim(tags, parent, blocks[kept[p + k]].owner) for k in range(best)):
            for k in range(p, p + best):
                drop.add(k)
                removed[kept[k]] = "repeated-run"
            p += best
            continue
        seen.setdefault(texts[p], []).append(p)
        p += 1
    return [i for k, i in enumerate(kept) if k not in drop] if drop else kept


def _verbatim(tags: list[str], parent: list[int], e: int) -> bool:
    """Element `e` sits in a <pre> or a <blockquote>."""
    while e >= 0:
        if tags[e] == "pre" or tags[e] == "blockquote" or tags[e] == "listing":
            return True
        e = parent[e]
    return False
