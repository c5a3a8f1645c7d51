"""A rule for sections that a heading names a list of other pages ("Related posts", "Similar
threads", "Lesen Sie auch", "Articles liés": `related` rows of the lexicon), though their markup does
not say so. It never takes what holds MAX_SHARE of the kept text or more: that is the page's content
under a misleading label (a forum's "Recommended Posts" over its thread).

Rule `related-section` (`related_sections`, on the kept blocks after the line evidence): the section
under such a heading holds teasers (titles, dates, excerpts). The heading itself is removed by the
line evidence; here the kept blocks after it go too, up to the next heading of the same or a higher
rank (the next section of the page), the end, or the first block that sits in the same element as a
block kept before the heading: that is the article going on after a box of links set in its text
("Lesen Sie auch" between two paragraphs), where teasers stand in containers of their own. Only a
heading (`h1`..`h6`) opens such a section: a short line "Related:" in the text introduces one link.
"""
from __future__ import annotations

from ..clean.blocks import Block

RANK = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
REASON = "boilerplate:related"
MAX_SHARE = 0.5    # a related section never holds this share of the kept text or more


def related_sections(blocks: list[Block], reasons: list[str | None]) -> set[int]:
    """Positions in `blocks` (kept blocks, page order, each with its `box` hint: the element around
    its own) of the blocks in sections headed by a heading whose line evidence is REASON, the headings
    excluded (they have their reason). A section of one unlinked block is the article's last part
    ("Mehr zum Thema" over where to read further), and a section holding MAX_SHARE of the kept text
    or more is the page's content under a misleading label (a forum's "Recommended Posts" over its
    thread): both stay."""
    if REASON not in reasons:
        return set()
    sections: list[list[int]] = []
    rank = None
    before: set = set()     # the boxes of the blocks before the open section
    for k, block in enumerate(blocks):
        r = RANK.get(block.hints.get("tag"))
        if r is not None and (rank is None or r <= rank):
            rank = r if reasons[k] == REASON else None
            if rank is not None:
                sections.append([])
        elif rank is not None and block.hints.get("box") in before:
            rank = None
        elif rank is not None:
            if reasons[k] is None:
                sections[-1].append(k)
            continue
        before.add(block.hints.get("box"))
    total = sum(len(b.text) for b in blocks)
    drop: set[int] = set()
    for section in sections:
        if len(section) == 1 and blocks[section[0]].hints.get("link_density", 0.0) < 0.5:
            continue
        if sum(len(blocks[k].text) for k in section) >= MAX_SHARE * total:
            continue
        drop.update(section)
    return drop
