"""Several articles in one page: a front page, a "latest" stream, a live blog's stories. When the kept
blocks fall into two or more outermost `<article>` elements, each with its own heading and enough text,
each becomes an article of its own: the one whose heading is the page's title (else the first) is the
main one, the others `secondary`. Forum posts (`<article>` without a heading) stay one thread."""
from __future__ import annotations

from .walk import Page

MIN_WORDS = 80                               # an article of its own holds at least this many words
HEADINGS = {"h1", "h2", "h3"}


def article_groups(page: Page, kept: list[int]) -> list[tuple[int | None, list[int]]] | None:
    """[(heading block or None, kept blocks)] per outermost <article>, or None if the page holds one."""
    kept_set = set(kept)
    groups, e, n = [], 0, len(page.tag)
    while e < n:
        if page.tag[e] == "article":
            members = [i for i in range(page.first[e], page.end[e]) if i in kept_set]
            if members:
                groups.append(members)
            e = max(page.last[e], e + 1)
        else:
            e += 1
    if len(groups) < 2:
        return None
    out = []
    for members in groups:
        heading = next((i for i in members if page.tag[page.blocks[i].owner] in HEADINGS), None)
        words = sum(len(page.blocks[i].text.split()) for i in members if i != heading)
        if heading is None or words < MIN_WORDS:
            return None
        out.append((heading, [i for i in members if i != heading]))
    covered = {i for _, members in out for i in members} | {h for h, _ in out}
    rest = [i for i in kept if i not in covered]
    if sum(len(page.blocks[i].text.split()) for i in rest) >= MIN_WORDS:
        return None  # much text outside the articles: not a page of articles
    return out
