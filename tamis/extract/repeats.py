"""Content rendered twice keeps its first copy. Three rules: `duplicate` (`undoubled`, a run followed at
once by the same run), `repeat` (`unrepeated`, product pages only, one long block kept before) and
`repeated-run` (`recopied`, below).

Rule `repeated-run`: a long run of kept blocks that repeats an earlier run of kept blocks, block
for block, further down the page is the same content rendered again: the article's text served a
second time for another layout (a print or mobile copy after a newsletter box), a carousel's cloned
slides, a post quoted whole by every reply. The copy goes, the first rendering stays.

Rule `duplicate` takes a copy that follows at once; this one takes a copy after
other blocks, and so asks for more evidence: RUN_BLOCKS blocks and RUN_CHARS characters in a row.
Short repeats stay (a price table's row under each plan, a recipe's step, a forum reply quoting a
paragraph). Lines of a <pre> (code repeats itself) and text in a <blockquote> are never a copy.
"""
from __future__ import annotations

from .switches import ON
from .walk import Page, within

RUN_BLOCKS = 3      # rule `repeated-run`: a copied run holds this many blocks or more ...
RUN_CHARS = 1000    # ... and this many characters (non-space) in all ...
RUN_SHARE = 0.2     # ... and this share of the kept text
LOOKBACK = 8        # ... earlier places of one text that are tried (a menu label may repeat often)
DUPLICATE_MIN = 40  # rule `duplicate`: a run of kept blocks this long (characters) repeated at once
REPEAT_CHARS = 80   # rule `repeat`: on a product page, a kept block this long kept before
VERBATIM = frozenset({"pre", "blockquote", "listing"})   # text in these is never a copy (`repeated-run`) ...
QUOTE = frozenset({"blockquote"})                          # ... nor, for rules `duplicate` and `repeat`, in these


def recopied(page: Page, kept: list[int], removed: dict[int, str]) -> list[int]:
    """`kept` less the blocks of runs that copy an earlier run; each dropped block is given the reason
    `repeated-run` in `removed`."""
    blocks = page.blocks
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
                and not any(within(page, blocks[kept[p + k]].owner, VERBATIM) for k in range(best)) \
                and ON("repeated-run"):
            for k in range(p, p + best):
                drop.add(k)
                removed[kept[k]] = "repeated-run"
            p += best
            continue
        seen.setdefault(texts[p], []).append(p)
        p += 1
    return [i for k, i in enumerate(kept) if k not in drop] if drop else kept


def undoubled(page: Page, kept: list[int], removed: dict[int, str]) -> list[int]:
    """Rule `duplicate`: a run of kept blocks followed at once by the same run again (block texts
    equal one by one, DUPLICATE_MIN characters or more in all) is the same content rendered twice: a
    description for desktop then for mobile, a carousel's cloned slides. The second copy goes. Lines
    of a <pre> are exempt (code repeats itself); a line repeated between other blocks (each item's
    terms under its own heading) is no doubled run, nor is a copy in a <blockquote> (a forum reply
    quoting the post above it)."""
    blocks, tags = page.blocks, page.tag
    texts = [blocks[i].text for i in kept]
    last: dict[str, int] = {}
    drop: set[int] = set()
    p, n = 0, len(texts)
    while p < n:
        text = texts[p]
        q = last.get(text)
        last[text] = p
        if q is not None and tags[blocks[kept[p]].owner] != "pre" and not within(page, blocks[kept[p]].owner, QUOTE):
            size = p - q
            if (p + size <= n and all(texts[q + k] == texts[p + k] for k in range(1, size))
                    and sum(len(t) for t in texts[q:p]) >= DUPLICATE_MIN and ON("duplicate")):
                for k in range(p, p + size):
                    drop.add(k)
                    removed[kept[k]] = "duplicate"
                p += size
                continue
        p += 1
    return [i for k, i in enumerate(kept) if k not in drop] if drop else kept


def unrepeated(page: Page, kept: list[int], removed: dict[int, str]) -> list[int]:
    """Rule `repeat`, on product pages: a kept block of prose (REPEAT_CHARS or more) whose text was
    kept before, anywhere above it, is the same text rendered again: a shop's page writes its
    description, feature blurbs and slides once for wide screens and once for narrow ones, with other
    blocks between the copies (which rule `duplicate` does not see). The later copy goes. Lines of a
    <pre> and copies in a <blockquote> are exempt. Not on other pages: a documentation page's
    repeated notes or a recipe's repeated step are content each time."""
    blocks, tags = page.blocks, page.tag
    seen: set[str] = set()
    out = []
    for i in kept:
        b = blocks[i]
        if b.chars >= REPEAT_CHARS and tags[b.owner] != "pre":
            if b.text in seen and not within(page, b.owner, QUOTE) and ON("repeat"):
                removed[i] = "repeat"
                continue
            seen.add(b.text)
        out.append(i)
    return out
