"""The structural pass: one walk over the DOM that turns a page into blocks and a flat element table.

A block is the text between two block-level boundaries (the start or end of a `p`, `div`, `li`, `td`,
`h2`..., or a `br`), whitespace-collapsed (kept line by line inside `pre`). Each block knows the
innermost block element that holds it (its *owner*) and how much of its text sits inside links. The
element table (parent, tag, own kind, positive mark) lets the locator add block weights up the tree.
Scripts, styles, forms controls, media and hidden elements are skipped with their subtree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .hints import (BLOCK_TAGS, CELL_TAGS, HEADINGS, INLINE_TAGS, POSITIVE_ROLES, ROLE_KIND, SKIP_TAGS, TABLE_PARTS,
                    TAG_KIND, aria_panel, clear_name_caches, hidden_class, hidden_style, name_evidence, panel,
                    streamed)
from .switches import ON


@dataclass(slots=True)
class RawBlock:
    text: str
    owner: int          # element id of the innermost block element holding the text
    chars: int          # non-space characters
    link_chars: int     # non-space characters inside <a href>


@dataclass(slots=True)
class Page:
    """Elements in document order (a parent before its children) and the blocks in reading order.

    The blocks of element e's subtree are `blocks[first[e]:end[e]]`; its descendants are the elements
    `e + 1 .. last[e] - 1`. So a sum over a subtree is a difference of prefix sums."""

    parent: list[int] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    kind: list[str | None] = field(default_factory=list)      # what the element itself says it is
    positive: list[bool] = field(default_factory=list)
    name: list[tuple | None] = field(default_factory=list)    # (tag, class, depth): elements with a kind or positive
    first: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    last: list[int] = field(default_factory=list)
    blocks: list[RawBlock] = field(default_factory=list)


def within(page: Page, e: int, tags: frozenset) -> bool:
    """Element `e` is, or sits in, an element of one of `tags`."""
    tag, parent = page.tag, page.parent
    while e >= 0:
        if tag[e] in tags:
            return True
        e = parent[e]
    return False


def kind_around(page: Page, i: int, kind: str) -> int:
    """The nearest element of `kind` around block `i` (its owner or an ancestor), or -1."""
    e = page.blocks[i].owner
    while e >= 0 and page.kind[e] != kind:
        e = page.parent[e]
    return e


def outermost(page: Page, elements: list[int]) -> list[int]:
    """Those of `elements` (ids in document order) that sit in no other of them."""
    out, stop = [], -1
    for e in elements:
        if e >= stop:
            out.append(e)
            stop = page.last[e]
    return out


# Every ASCII digit read as 0 before classifying: what a class or id says never depends on which
# digits it holds, only on where digits stand (`post-123` names a post as `post-4` does; a hash token
# stays a hash), and numbered ids (`comment-4711`, `ad-slot-7`) would each miss `name_evidence`'s
# cache. Checked on every class string of the dev sets: the same evidence, a quarter fewer strings to
# classify.
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


def _classify(tag: str, cls: str | None, id_: str | None, role: str | None,
              itemprop: str | None) -> tuple[str | None, bool, bool]:
    """(boilerplate kind, marked as the article, hidden by its class) of one element from its tag,
    role, itemprop, class and id."""
    if cls and hidden_class(cls):
        return None, False, True
    positive = tag in ("article", "main")
    kind = TAG_KIND.get(tag)
    if role:
        role = role.lower()
        kind = ROLE_KIND.get(role, kind)
        positive = positive or role in POSITIVE_ROLES
    if itemprop and itemprop.lower() in ("articlebody", "text", "reviewbody"):
        positive = True
    names = f"{cls} {id_}" if cls and id_ else (cls or id_)
    if names and tag not in ("body", "html"):
        word_kind, word_positive = name_evidence(names)
        positive = positive or word_positive
        if kind is None and not positive:
            kind = word_kind
            # Rule `table-header`: `header`/`footer` in a table part's class (`<table class="sticky-header">`,
            # `<tr class="header">`) name its heading row or its sticky behaviour, not the page's header.
            if kind in ("header", "footer") and tag in TABLE_PARTS and ON("table-header"):
                kind = None
            # An author card (kind `profile`) is a box: a table row or a heading named `signature` or
            # `flair` is named after its subject (`<tr id="digital-signature-row">`, `<h3 id="flair">`).
            elif kind == "profile" and (tag in TABLE_PARTS or tag in HEADINGS):
                kind = None
    return kind, positive, False


@lru_cache(maxsize=65536)
def _classified(tag: str, cls: str | None, id_: str | None, role: str | None,
                itemprop: str | None) -> tuple[str | None, bool, bool]:
    """`_classify`, cached on the attributes as written: most elements repeat a class string seen before,
    and reading its digits as 0 (`str.translate`) costs more than this lookup."""
    return _classify(tag, cls.translate(_DIGITS_AS_ZERO) if cls else cls,
                     id_.translate(_DIGITS_AS_ZERO) if id_ else id_, role, itemprop)


def clear_caches() -> None:
    """Forget every class and id classified so far (the caches above and those of `hints`): a benchmark
    that times each page as if its site were new calls this before each page."""
    _classified.cache_clear()
    clear_name_caches()


def walk(root, skip: frozenset = SKIP_TAGS, show_hidden: bool = False, panels: bool = False, tabs: bool = False) -> Page:
    """Walk a selectolax (lexbor) node, usually the <body>, into a Page: subtrees of `skip` tags and,
    unless `show_hidden`, of hidden elements are left out; with `panels`, a hidden element that is a
    collapsed panel (rule `panels`, `hints.panel`) is walked; with `tabs`, a closed ARIA tab panel
    (rule `aria-tabs`, `hints.aria_panel`)."""
    page = Page()
    parent, tags, kinds, positives, names = page.parent, page.tag, page.kind, page.positive, page.name
    firsts, ends, lasts = page.first, page.end, page.last
    blocks = page.blocks
    parts: list[str] = []
    link_parts: list[str] = []    # the text of `parts` that sits inside links
    owners: list[int] = [0]       # open block elements (the root's id 0 at the bottom)
    current = -1                  # the innermost open element
    depth = 1                     # open elements, counting the root's parent
    in_link = 0
    in_pre = 0

    def flush() -> None:
        raw = "".join(parts)
        parts.clear()
        if link_parts:
            linked = "".join(link_parts).split()
            link_parts.clear()
        else:
            linked = ()
        owner = owners[-1]
        if in_pre:
            for line in raw.split("\n"):
                line = line.strip()
                if line:
                    blocks.append(RawBlock(line, owner, len("".join(line.split())), 0))
            return
        words = raw.split()
        if words:
            text = " ".join(words)
            chars = len(text) - len(words) + 1
            blocks.append(RawBlock(text, owner, chars, min(sum(map(len, linked)), chars) if linked else 0))

    stack: list = [root]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if node.__class__ is int:              # leaving element `node`
            current = parent[node]
            depth -= 1
            tag = tags[node]
            if tag in BLOCK_TAGS:
                if parts:
                    flush()
                owners.pop()
                if tag == "pre" or tag == "listing":
                    in_pre -= 1
            elif tag == "a":
                in_link -= 1
            ends[node] = len(blocks)
            lasts[node] = len(tags)
            continue
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            # Whitespace before a block's first word is no part of it: skipping it (the indentation
            # between tags is two thirds of all text nodes) spares `flush` a call on nothing.
            if text and (parts or not text.isspace()):
                parts.append(text)
                if in_link:
                    link_parts.append(text)
            continue
        if tag is None or tag[0] == "-" or tag in skip:
            continue
        if tag == "br" or tag == "hr":
            if in_pre:
                parts.append("\n")
            elif parts:
                flush()
            continue
        attrs = node.attributes
        if attrs:
            style = attrs.get("style")
            if not show_hidden and (("hidden" in attrs and not streamed(attrs)) or attrs.get("aria-hidden") == "true"
                                    or (style and hidden_style(style))) and not (
                                        panels and panel(attrs) and ON("panels")        # rule `panels`
                                        or aria_panel(attrs, tabs)):                    # rules `aria-panel`, `aria-tabs`
                continue
            if tag in INLINE_TAGS:
                # An inline element's kind would name no block (its text belongs to the block around
                # it): only whether it is hidden matters (`<span class="sr-only">Share on X</span>`).
                cls = attrs.get("class")
                if cls and not show_hidden and hidden_class(cls):
                    continue
                # Rule `position`: a schema.org `position` written out is an item's ordinal for machines
                # (Discourse's crawler view prints each post's number after its date: "May 3, 2024 1");
                # breadcrumbs and lists put theirs in a <meta>.
                if attrs.get("itemprop") == "position" and ON("position"):
                    continue
                kind, positive = None, False
            else:
                kind, positive, hidden = _classified(tag, attrs.get("class"), attrs.get("id"), attrs.get("role"),
                                                     attrs.get("itemprop"))
                if hidden and not show_hidden:
                    continue
        else:
            kind, positive = TAG_KIND.get(tag), tag in ("article", "main")
        eid = len(tags)
        parent.append(current)
        current = eid
        depth += 1
        kinds.append(kind)
        positives.append(positive)
        names.append((tag, attrs.get("class") if attrs else None, depth) if kind or positive else None)
        if tag in BLOCK_TAGS:
            if parts:
                flush()
            owners.append(eid)
            if tag == "pre" or tag == "listing":
                in_pre += 1
        elif tag in CELL_TAGS:
            if parts:
                parts.append(" ")
        elif tag == "a":
            if "href" in attrs:
                in_link += 1
            else:
                tag = "a-nohref"
        tags.append(tag)
        firsts.append(len(blocks))
        ends.append(0)
        lasts.append(0)
        push(eid)
        child = node.last_child
        while child is not None:
            push(child)
            child = child.prev
    if parts:
        flush()
    return page
