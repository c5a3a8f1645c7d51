"""Rule `doubled-label`: a block whose text is one phrase written twice or more in a row, with no
break between the copies ("Talk to an ExpertTalk to an Expert", "EUR 163.12EUR 163.12"), is a
label rendered once for the screen and once for screen readers (or for a wide and a narrow layout)
inside one box: a reader sees it once, so it is kept once. The phrase must hold a space (two words
or more, MIN_PHRASE characters or more): a doubled single word (`processprocess`) may be a code
token or a name. Only kept blocks are read, and only those whose first characters recur in them.
On product pages only, where shops and marketplaces double their prices, dates and buttons this
way (it holds elsewhere too, a service page's "Book now" button, but every page would pay for it).
"""
from __future__ import annotations

from .switches import ON
from .walk import Page

MIN_PHRASE = 8      # characters of the repeated phrase at least
MAX_BLOCK = 2000    # longer blocks are not read (paragraphs of prose; the search would scan them whole)


def undoubled_text(page: Page, kept: list[int]) -> None:
    """Each kept block whose text is a phrase repeated end to end keeps one copy of the phrase."""
    blocks = page.blocks
    for i in kept:
        b = blocks[i]
        text = b.text
        n = len(text)
        if n < 2 * MIN_PHRASE or n > MAX_BLOCK:
            continue
        head = text[:MIN_PHRASE]
        p = text.find(head, MIN_PHRASE)
        while 0 < p <= n // 2:
            if n % p == 0 and text == text[:p] * (n // p):
                phrase = text[:p]
                if " " in phrase.strip() and ON("doubled-label"):
                    b.text = phrase.strip()
                    b.chars = len("".join(b.text.split()))
                    b.link_chars = min(b.link_chars, b.chars)
                break
            p = text.find(head, p + 1)
