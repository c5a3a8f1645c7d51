"""The article's standfirst (lede), which the locator's main run starts after. Three rules:

`lede` (`in_header`): a <p> of prose in the <header> that opens the article, before the main run:
`<article><header><h1>..</h1><p>standfirst</p></header>body</article>`.

`lede-before` (`ledes_before`): news and CMS templates put the lede (a paragraph or an `h2` of prose
summing the story up) right under the title, then a byline, a date, share buttons or a picture with
its caption, then the body. The boilerplate in between costs more than the lede adds, so rule `extend`
stops short of it. Here the blocks between the title heading (an `h1`, or a heading that reads like
the page's title) and the run are read back from the run: those that are prose (BEFORE_MIN
characters, LEDE_WORDS words, next to no links, no list item) outside boilerplate containers, or in a
`teaser`/`related` box that holds that prose alone (TYPO3's `news-teaser`, a `teaser-text` div: the
lede, not links to other stories), are kept. No title heading within WINDOW blocks before the run: no
lede (what stands before the run is then another part of the page).

`lede-teaser` (`teaser_ledes`): the same teaser box under the title when it holds a dateline or the
title itself beside the lede, or when the run already starts at the title (the box is then inside the
run, where its `related` kind would remove it): the first prose <p> after the title heading in a
teaser box that holds no other prose, before any body paragraph.
"""
from __future__ import annotations

import re

from .hints import HEADINGS
from .locate import Located
from .walk import Page, kind_around

# Rule `lede` (traf-dev snippet F +0.006; aeb-dev and wcxb-dev articles -0.00003: their gold leaves
# standfirsts out):
HEADER_MIN = 120    # a lede in the article's header holds this many characters or more (one-line
                    # deks, 80-110 characters, are the page's furniture for aeb-dev's gold) ...
LEDE_WORDS = 8      # ... and words (both rules), ends like a sentence, has no links and is a <p>
SENTENCE_END = ('.', '!', '?', '…', '"', '“', '”', '»', '«', "'", ')', '。', '！', '？')
# Two sentences in a row: a standfirst whose last sentence lacks its full stop still reads as prose
# ("... snow above 1,400 metres. Better weather is due within hours"): a word, a stop, a space, a letter.
_SENTENCES = re.compile(r"\w[.!?] +[^\W\d_]")

# Rule `lede-before` (traf-dev snippet F +0.006; aeb-dev F1 -0.0004, two one-line deks its gold leaves
# out, as for rule `lede`; wcxb-dev neutral):
WINDOW = 12         # the title heading stands at most this many blocks before the main run
BEFORE_MIN = 80     # a lede before the run holds this many characters or more ...
LEDE_LINKED = 0.1   # ... and at most this share of linked text
TEASER_KINDS = frozenset({"related"})   # boxes that hold the lede when it is all they hold

# Rule `lede-teaser` (traf-dev snippet F +0.0018, both halves; aeb-dev and wcxb-dev unchanged: their
# gold leaves such standfirsts out, but there they are <div>s):
TEASER_MIN = 60     # a lede in a teaser box holds this many characters or more (a one-sentence teaser
                    # text is often shorter than BEFORE_MIN; the box's class vouches for it)


def in_header(page: Page, i: int, where: Located) -> bool:
    """Rule `lede`: block `i`, a <p> of prose (HEADER_MIN characters, LEDE_WORDS words, a sentence's
    end or two sentences in a row, no links) in a header before the main run that opens the article
    holding it (the header's nearest <article> or element marked as the article holds the main run),
    is the article's standfirst, not the page's header. Only before the run: a header inside the main
    content heads a card or a section (a service page's hero text, a recipe card's summary), whose
    prose the benchmarks' gold splits both ways. A <div> of prose there is more often an author's bio
    or an affiliate notice than a standfirst."""
    raw = page.blocks[i]
    if raw.chars < HEADER_MIN or raw.link_chars or page.tag[raw.owner] != "p":
        return False
    text = raw.text
    if not (text.endswith(SENTENCE_END) or _SENTENCES.search(text)) or text.count(" ") + 1 < LEDE_WORDS:
        return False
    kinds, parent, tags, positive = page.kind, page.parent, page.tag, page.positive
    e = raw.owner
    while e >= 0 and kinds[e] != "header":
        e = parent[e]
    while e >= 0 and not (tags[e] == "article" or positive[e]):
        e = parent[e]
    return e >= 0 and page.first[e] <= where.lo and where.hi < page.end[e]


def ledes_before(page: Page, where: Located, title: str | None, same_title) -> list[int]:
    """Rule `lede-before`: indices of the lede blocks before the main run (none when no title heading
    stands near it)."""
    if where.root < 0 or where.listing or where.hi < where.lo:
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
    return (raw.chars >= BEFORE_MIN and raw.link_chars <= LEDE_LINKED * raw.chars and tag != "li"
            and raw.text.count(" ") + 1 >= LEDE_WORDS)


def _open(page: Page, i: int, kind: str | None) -> bool:
    """Block `i` sits outside boilerplate containers, or in a teaser box that holds this block alone."""
    if kind is None:
        return True
    if kind not in TEASER_KINDS:
        return False
    e = kind_around(page, i, kind)
    return e >= 0 and page.end[e] - page.first[e] == 1


def teaser_ledes(page: Page, where: Located, title: str | None, same_title) -> list[int]:
    """Rule `lede-teaser`: the first block after the title heading (an `h1`, or a heading that reads
    like the page's title, within WINDOW blocks of the run's start, before or inside the run) that is a
    <p> of prose (TEASER_MIN characters, LEDE_WORDS words, next to no links) in a `teaser`/`related`
    box holding no other prose, before any body paragraph, is the article's standfirst: TYPO3's
    `teaser-text`, a `news-teaser` under the title, a teaser box that holds the title too
    (`<figure class="teaser"><h1>..</h1><p>lede</p></figure>`). A box of other stories holds
    several teasers, each under its own heading, not the page's title. One block at most; a <div>
    there is more often a one-line dek that the benchmarks' gold leaves out (as for rule `lede`)."""
    if where.root < 0 or where.listing or where.hi < where.lo:
        return []
    blocks, tags, n = page.blocks, page.tag, len(page.blocks)
    root_first, root_end = page.first[where.root], page.end[where.root]
    for j in range(max(0, where.lo - WINDOW), min(n, where.lo + WINDOW)):
        tag = tags[blocks[j].owner]
        if not (tag == "h1" or (tag in HEADINGS and title and same_title(blocks[j].text, title))):
            continue
        for i in range(j + 1, min(n, j + 1 + WINDOW)):
            raw = blocks[i]
            kind = where.inner[i] if root_first <= i < root_end else where.context[i]
            if kind is None and raw.chars >= BEFORE_MIN:
                return []       # the body begins before any teaser box
            if (kind in TEASER_KINDS and tags[raw.owner] == "p" and raw.chars >= TEASER_MIN
                    and raw.link_chars <= LEDE_LINKED * raw.chars and raw.text.count(" ") + 1 >= LEDE_WORDS
                    and _only_prose(page, i, kind)):
                return [i]
        return []
    return []


def _only_prose(page: Page, i: int, kind: str) -> bool:
    """Block `i` is the only prose (BEFORE_MIN characters or more) of the `kind` box around it."""
    e = kind_around(page, i, kind)
    return e >= 0 and all(k == i or page.blocks[k].chars < BEFORE_MIN for k in range(page.first[e], page.end[e]))
