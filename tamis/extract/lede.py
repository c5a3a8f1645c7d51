"""Rule `lede-before`: the article's standfirst between its title and the main run.

News and CMS templates put the lede (a paragraph or an `h2` of prose summing the story up) right under
the title, then a byline, a date, share buttons or a picture with its caption, then the body. The
locator's main run starts at the body: the boilerplate in between costs more than the lede adds, so
rule `extend` stops short of it. Here the blocks between the title heading (an `h1`, or a heading that
reads like the page's title) and the run are read back from the run: those that are prose (LEDE_MIN
characters, LEDE_WORDS words, next to no links, no list item) outside boilerplate containers, or in a
`teaser`/`related` box that holds that prose alone (TYPO3's `news-teaser`, a `teaser-text` div: the
lede, not links to other stories), are kept. No title heading within WINDOW blocks before the run: no
lede (what stands before the run is then another part of the page).
"""
from __future__ import annotations

from .locate import Located
from .walk import Page

LEDE_BEFORE = True  # rule on or off (on: traf-dev snippet F +0.006; aeb-dev F1 -0.0004, two one-line deks
                    # its gold leaves out, as for rule `lede` in core.py; wcxb-dev neutral)
WINDOW = 12         # the title heading stands at most this many blocks before the main run
LEDE_MIN = 80       # a lede holds this many characters or more ...
LEDE_WORDS = 8      # ... and words ...
LEDE_LINKED = 0.1   # ... and at most this share of linked text
TEASER_KINDS = frozenset({"related"})   # boxes that hold the lede when it is all they hold
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def ledes_before(page: Page, where: Located, title: str | None, same_title) -> list[int]:
    """Indices of the lede blocks before the main run (none when no title heading stands near it)."""
    if not LEDE_BEFORE or where.root < 0 or where.listing or where.hi < where.lo:
        return []
    blocks, tags = page.blocks, page.tag
    found = []
    for i in range(where.lo - 1, max(-1, where.lo - 1 - WINDOW), -1):
        raw = blocks[i]
        tag = tags[raw.owner]
        if tag == "h1" or (tag in HEADINGS and title and same_title(raw.text, title)):
            return found
        if _prose(raw, tag) and _open(page, i, where.context[i]):
            found.append(i)
    return []


def _prose(raw, tag: str) -> bool:
    return (raw.chars >= LEDE_MIN and raw.link_chars <= LEDE_LINKED * raw.chars and tag != "li"
            and raw.text.count(" ") + 1 >= LEDE_WORDS)


def _open(page: Page, i: int, kind: str | None) -> bool:
    """Block `i` sits outside boilerplate containers, or in a teaser box that holds this block alone."""
    if kind is None:
        return True
    if kind not in TEASER_KINDS:
        return False
    e = page.blocks[i].owner
    while e >= 0 and page.kind[e] != kind:
        e = page.parent[e]
    return e >= 0 and page.end[e] - page.first[e] == 1
