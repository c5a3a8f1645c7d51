"""The main-content locator: the element whose subtree holds the most content weight, then the run
of blocks around it.

Each block gets a weight: its text outside links, minus a penalty for linked text and a small fixed
cost (so a run of tiny blocks, a menu, adds up to less than nothing), and minus its whole length when
it sits in a boilerplate container (nav, aside, footer, sidebar, comments...). Weights are summed over
each element's subtree; the element with the largest sum is the main content, as a maximum subarray
over blocks would find the best run, but bounded by the DOM: the article's own container, plus its
siblings only when they add more content than boilerplate. An element marked as the article
(`<article>`, `<main>`, `itemprop=articleBody`, `entry-content`...) gets a bonus on its positive weight.
The run of the root's blocks is then extended over neighbours that add up to a gain (rule `extend`),
or widened to the parent of a run of sibling sections when the root is one of them (rule `sections`, `sections.py`); a
sidebar's prose does not win over an element marked as the article (rule `sidebar`).
Three rules change the weighing for pages that are not articles: `thread` (forum posts marked as
comments are content), `listing` (a page of links, a shop category, counts linked text as text) and
`no-article` (nothing adds up to content); rule `posts` widens the best element, a thread's first post,
to the replies marked like it.
Before weighing, some elements named like boilerplate lose their kind: the parts of a list's items
(rule `repeated`), the parts of a block found to be content (rule `parts`), the containers of the
text a product page's metadata describes (rule `anchor`), the panels of an accordion or the cards of a
grid holding prose together (rule `repeated-prose`), and `review` boxes outside product pages.

A subtree's blocks are contiguous (`Page.first/end`), so every subtree sum is a difference of prefix
sums: numpy does the arithmetic, Python only touches the few elements that carry a kind.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .heaps import word_heaps
from .sections import sections_root
from .switches import ON
from .walk import Page, outermost

LINK_PENALTY = 2.0      # each linked character costs this much...
LINKED_TEXT = 0.4       # ... in a block whose linked share is above this
BLOCK_COST = 15.0       # each block costs this much (menus and tag clouds are many short blocks)
BOILER_FACTOR = 1.0     # a block in a boilerplate container costs its length times this
POSITIVE_BONUS = 0.5    # a positive-marked element's content weight is raised by this share
MIN_SCORE = 0.0         # a best element scoring no more than this means the page has no article
LISTING_BELOW = 1000.0  # a best element under this score may be a listing page ...
LISTING_GAIN = 2.0      # ... when counting linked text as text finds this many times more content
LISTING_BLOCK_COST = 5.0  # ... and each block costs this much there
# ... where a class repeated on the parts of many items names them (teasers, card captions, search results)
# (`ad` too, rule `promo-items`: a news hub's `PagePromo` or a shop's `promo-tile` teasers are its items;
# a real ad slot repeated holds no text to keep)
LISTING_ITEM_KINDS = frozenset({"related", "figcaption", "form", "ad"})
_ITEM_RULES = {"ad": "promo-items"}
EXTEND_GAIN = 0.2       # rule `extend`: the neighbours must add more than this share of the root's score
THREAD_RATIO = 1.0      # comments are the content when their prose outweighs the rest this many times
THREAD_ARTICLE = 700.0  # ... and the best content outside them scores less than this
WRAPPER_SHARE = 0.5     # a "boilerplate" element holding more than this share of the content is a wrapper
# Rule `small-footer`: a footer holding most of the content of a page whose content is all links (a shop's
# grid of product tiles, a script-rendered page's empty shell) but no more than FOOTER_WRAPPER_MIN of it is a
# brand blurb or a newsletter pitch, not a layout wrapper: it stays a footer (dev: 7 sites better, 2 worse;
# only footers, since a nav or form wrapping a short page's few lines is common).
FOOTER_WRAPPER_MIN = 300.0
NEVER_WRAPPERS = frozenset({"dialog", "cookie"})   # kinds that never wrap a page's content (role=dialog)
# Kinds whose own text is a few labels and buttons: one holding more than WRAPPER_SHARE of all the page's
# text, linked or not, wraps the page (a search page's results grid in `searchWrapper`, a page-wide form
# around a shop's product tiles, whose text is links and so no `content`).
TEXT_WRAPPERS = frozenset({"form"})
# A "boilerplate" element holding this many characters of prose is content, when at most this share of
# its text is linked. Related teasers are prose too but link to their story: only a long unlinked text
# (a blog post in a `blog_teaser_text` box) is content. Comments, cookies and dialogs never are.
PROSE = {kind: (500, 0.15) for kind in ("aside", "meta", "header", "footer", "nav", "share", "ad", "popup",
                                         "figcaption", "form")}
PROSE["related"] = (1000, 0.05)
# Rule `ad-teasers`: an `ad` box holding AD_TEASER_PROSE characters of prose (unlinked paragraphs) with up
# to AD_TEASER_LINKS of its text linked (not rule `prose`'s 0.15) is a list of teasers, headline links over
# their excerpts, whose container's class merely names the ad slots between them (`section-more-ads`):
# an ad holds no such prose (wcxb-dev: one news front +0.65, no other page changed).
AD_TEASER_PROSE, AD_TEASER_LINKS = 500.0, 0.5
# Kind `author` (an author's box after the article: name, role, a bio of a few sentences) is not in
# PROSE: its prose is the bio, which rule `prose` would keep; as one of a list of repeated boxes (a
# team page's bios, rule `repeated-prose`) it weighs as `meta` does.
REPEATED_PROSE_MIN = {**PROSE, "author": PROSE["meta"]}
# Rule `repeated-prose`: the kinds whose elements, repeated, may be the parts of a list of content.
REPEATED_PROSE = frozenset({"nav", "share", "meta", "author", "header", "footer", "ad", "popup", "form"})
# An element holding a block the metadata describes scores this much more (rule `anchor`): as much as
# a few paragraphs, so a buy box's many short blocks (prices, options) around the described text do
# not lose it to a testimonials or features band below (1000 over 500: three dev shop pages better, one worse).
ANCHOR_BONUS = 1000.0
REPEAT_MIN = 3          # a class marking this many elements names the parts of a list's items ...
REPEATED_KINDS = frozenset({"header", "footer", "meta", "author"})   # ... when it says one of these
SIDEBAR_SHARE = 0.5     # rule `sidebar`: an article-marked element outside the sidebar scoring this share wins
SECTIONING = frozenset({"article", "section"})
# Kinds removed from the main content that do not weigh as boilerplate when locating it: a forum post's
# author card (`profile`: name, title, join date, post count) sits inside every post, and counting it
# against the posts would split a thread of short replies. A tooltip (`tooltip`, rule `hover-text`) and a
# notice bar (`notice`) are small notes inside or beside the content: they go, the content stays where it is.
UNWEIGHED = frozenset({"profile", "tooltip", "notice"})
# Rule `posts`: a class marking the article in the best element and POST_PROSE characters of prose in
# MIN_REPLIES or more elements outside it; not a bare generic name (`content`) that any box may carry.
POST_PROSE = 20
MIN_REPLIES = 2
GENERIC_NAMES = frozenset({"content", "article", "story", "hentry", "main"})


@dataclass(slots=True)
class Located:
    root: int                   # element id of the main content (-1: none)
    lo: int                     # first block of the main run
    hi: int                     # last block of the main run (hi < lo: empty)
    context: list[str | None]   # per block: the innermost boilerplate kind around it, page-wide
    inner: list[str | None]     # per block: the same, counting only containers inside the root
    listing: bool = False       # the content is a list of links (rule `listing`)


class _Sums:
    """Subtree sums of per-block values, as differences of prefix sums."""

    def __init__(self, page: Page):
        self.first = np.asarray(page.first, dtype=np.intp)
        self.end = np.asarray(page.end, dtype=np.intp)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        prefix = np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))
        return prefix[self.end] - prefix[self.first]


def content_weights(chars: np.ndarray, links: np.ndarray) -> np.ndarray:
    """A block's weight outside boilerplate containers: its text outside links, less BLOCK_COST, less
    LINK_PENALTY per linked character when links make more than LINKED_TEXT of it (a wiki paragraph
    with a third of its words linked is prose; a teaser or a menu item is all link)."""
    penalty = np.where(links > LINKED_TEXT * chars, LINK_PENALTY * links, 0.0)
    return (chars - links) - penalty - BLOCK_COST


def _block_context(page: Page, elements, m: int, heaps: list[int] = ()) -> list[str | None]:
    """Per block, the kind of the innermost element among `elements` (ids in document order) around it;
    `word-heap` for the blocks in `heaps` (rule `word-heap`, `heaps.py`)."""
    context: list[str | None] = [None] * m
    first, end, kinds = page.first, page.end, page.kind
    for e in elements:                      # ancestors come first, so the innermost kind wins
        lo, hi = first[e], end[e]
        if hi > lo:
            context[lo:hi] = [kinds[e]] * (hi - lo)
    for i in heaps:
        context[i] = "word-heap"
    return context


def _void_kind(page: Page, marked: list[int], kind: str) -> None:
    """Rule `review`: reviews are the buyers' comments on a product page only; elsewhere (a service
    page's testimonials, a film review in a `review-body`) they are content."""
    kinds = page.kind
    for e in marked:
        if kinds[e] == kind and ON("review"):
            kinds[e] = None


def _void_anchored(page: Page, anchors: list[int]) -> None:
    """Rule `anchor`: the containers around a block the metadata describes are no boilerplate,
    whatever their class or role says (a product description in a tab panel, a drawer, an accordion
    `sheet` with role=dialog), nor are the parts its class names (rule `parts`)."""
    kinds, parent = page.kind, page.parent
    for i in anchors:
        e = page.blocks[i].owner
        while e >= 0:
            kind = kinds[e]
            if kind and kind != "cookie":
                kinds[e] = None
                _void_parts(page, e, kind)
            e = parent[e]


def _void_repeated(page: Page, marked: list[int], repeated_kinds: frozenset = REPEATED_KINDS,
                   listing: bool = False) -> None:
    """Rule `repeated`: page furniture appears once; a class that marks REPEAT_MIN or more elements
    names a part of each item of a list (a job card's `listing__header`, a post's `entry-meta`, a
    product tile's `card-footer`), whose text is the item's. Such elements lose their kind (an outer
    container's kind, a `related` box around the cards, still applies)."""
    names, kinds = page.name, page.kind
    counts: dict = {}
    for e in marked:
        # A <figcaption> is a figure's caption however often it repeats (a slideshow's); a `caption`
        # class is also the text part of a card (Bootstrap's `.thumbnail .caption`).
        if kinds[e] in repeated_kinds and names[e][0] != "figcaption":
            key = names[e]
            counts[key] = counts.get(key, 0) + 1
    repeated = {key for key, n in counts.items() if n >= REPEAT_MIN}
    if not repeated:
        return
    tags, parent = page.tag, page.parent
    for e in marked:
        key = names[e]
        # A bare <header>/<footer> is an item's part only where HTML says so: in an <article> or a
        # <section> (a product tile's <a><header> is not).
        if key in repeated and kinds[e] in repeated_kinds and (key[1] or tags[parent[e]] in SECTIONING) \
                and (listing or ON("repeated")):   # (on a listing, rule `listing` decides)
            kinds[e] = None


def _void_wrappers(page: Page, sums: _Sums, chars: np.ndarray, links: np.ndarray, content: np.ndarray) -> list[int]:
    """Two rules that drop the kind of an element named like boilerplate.

    `wrapper`: one that holds most of the page's content is a layout wrapper
    (`content-with-sidebar-wrp`, `theiaStickySidebar`, an ASP.NET page-wide <form>, Blogger's
    `widget Blog`), and so is a form that holds most of the page's text (see TEXT_WRAPPERS). `prose`:
    one that holds paragraphs of prose with few links is content whatever its class says (a page
    builder's `elementor-widget` columns, an `article-header` with the lede); see PROSE for the kinds
    and their thresholds. Returns the sidebars (`aside`) found to be prose."""
    kinds = page.kind
    marked = [e for e, k in enumerate(kinds) if k]
    sidebars: list[int] = []
    if not marked:
        return sidebars
    # Lists, not arrays: the loop below reads them an element at a time.
    held = sums(content).tolist()
    prose = sums(np.where((chars >= 80) & (links < 0.3 * chars), chars, 0.0)).tolist()
    total, linked = sums(chars).tolist(), sums(links).tolist()
    limit = WRAPPER_SHARE * float(content.sum())
    text_limit = WRAPPER_SHARE * float(chars.sum())
    tags, last = page.tag, page.last
    mains = None    # the <main> elements, found only when a <footer> would lose its kind
    for e in marked:
        kind = kinds[e]
        if kind is None:
            continue
        prose_min, prose_links = PROSE.get(kind, (None, None))
        wrapper = (held[e] > limit and (kind != "footer" or held[e] > FOOTER_WRAPPER_MIN   # rule `small-footer`
                                        or not ON("small-footer"))
                   or (kind in TEXT_WRAPPERS and total[e] > text_limit)) and ON("wrapper")
        if tags[e] == "footer" and (wrapper or prose_min is not None and prose[e] >= prose_min):
            if mains is None:
                mains = _mains(tags)
            if mains and not any(m < e < last[m] or e < m < last[e] for m in mains) and ON("page-footer"):
                continue    # rule `page-footer` (see _mains)
        if wrapper and kind not in NEVER_WRAPPERS:
            kinds[e] = None
            if kind == "aside":
                sidebars.append(e)
        elif prose_min is not None and (prose[e] >= prose_min and linked[e] <= prose_links * total[e] and ON("prose")
                                        or kind == "ad" and prose[e] >= AD_TEASER_PROSE
                                        and linked[e] <= AD_TEASER_LINKS * total[e] and ON("ad-teasers")):
            kinds[e] = None
            _void_parts(page, e, kind)
            if kind == "aside":
                sidebars.append(e)
    _void_repeated_prose(page, marked, sums, chars, links, total, linked)
    return sidebars


def _mains(tags: list[str]) -> list[int]:
    """Rule `page-footer`: the <main> elements of a page. Where a page marks its main content with
    <main>, a <footer> outside it (neither in it nor around it) is the page's footer, whatever it
    holds: its prose (a product page's legal footnotes, a brand's story, testimonials) is neither
    content (rule `prose`) nor a wrapper of content (rule `wrapper`), however much of the page's
    text it holds. A <footer> in <main> (an entry's footer) is left to those rules."""
    out: list[int] = []
    if "main" in tags:      # list.index finds them at C speed; most pages have none or one
        e = tags.index("main")
        while True:
            out.append(e)
            try:
                e = tags.index("main", e + 1)
            except ValueError:
                return out
    return out


SENTENCE_MARKS = (". ", "? ", "! ", "。", "？", "！")
SENTENCE_ENDS = (".", "?", "!", "。", "？", "！")


def _sentences(page: Page, chars: np.ndarray, links: np.ndarray) -> np.ndarray:
    """Per block, its characters when it is prose written in sentences (80 characters or more, under
    0.3 linked, a sentence's end in it), else 0: a mega menu's run of unlinked category names is long
    and unlinked too, but has no full stop."""
    out = np.zeros(len(chars))
    blocks = page.blocks
    for i in np.flatnonzero((chars >= 80) & (links < 0.3 * chars)).tolist():  # the text test on few blocks
        text = blocks[i].text
        if text.rstrip().endswith(SENTENCE_ENDS) or any(m in text for m in SENTENCE_MARKS):
            out[i] = chars[i]
    return out


def _void_repeated_prose(page: Page, marked: list[int], sums: _Sums, chars: np.ndarray, links: np.ndarray,
                         total: list[float], linked: list[float]) -> None:
    """Rule `repeated-prose`: the panels of an accordion (`accordion-item__dropdown`: an FAQ's answers,
    a course's details) or the cards of a features grid (a `share`-named `follow-up__text`) are named
    like boilerplate, and each holds too little prose for rule `prose`; but one class on REPEAT_MIN or
    more elements that together hold a kind's PROSE minimum of prose with its share of links or less
    names the parts of a list of content, when REPEAT_MIN of them hold some prose each. A menu's
    dropdowns repeat too, but their text is links, or one promo paragraph in a mega menu. Not for the
    kinds of REPEATED_PROSE's complement: forum signatures (`aside`), photo captions and the teasers of
    other stories (`related`) repeat with prose and are no content."""
    kinds, names = page.kind, page.name
    groups: dict = {}
    prose = None
    for e in marked:  # the elements that had a kind, in page order
        kind = kinds[e]
        if kind in REPEATED_PROSE and names[e] and names[e][1]:
            groups.setdefault((kind,) + names[e][:2], []).append(e)
    for (kind, *_), members in groups.items():
        if len(members) < REPEAT_MIN:
            continue
        if prose is None:
            prose = sums(_sentences(page, chars, links))
        # Only the outermost members count, so that nested ones are not added twice.
        outer = outermost(page, members)
        prose_min, prose_links = REPEATED_PROSE_MIN[kind]
        if (sum(prose[e] > 0 for e in outer) >= REPEAT_MIN and sum(prose[e] for e in outer) >= prose_min
                and sum(linked[e] for e in outer) <= prose_links * sum(total[e] for e in outer)
                and ON("repeated-prose")):
            for e in members:
                kinds[e] = None


def _void_parts(page: Page, e: int, kind: str) -> None:
    """Rule `parts`: the elements a class names as parts of a block (BEM's `details-modal__paragraph`
    inside `details-modal`) say what the block says: when the block is found to be content, so are
    its parts, though each alone holds too little prose to tell."""
    key = page.name[e]
    if key is None or not key[1]:
        return
    blocks = tuple(c + "_" for c in key[1].split()) + tuple(c + "-" for c in key[1].split())
    kinds, names = page.kind, page.name
    for d in range(e + 1, page.last[e]):
        if kinds[d] == kind and names[d] and names[d][1] and any(
                c.startswith(blocks) for c in names[d][1].split()) and ON("parts"):
            kinds[d] = None


def _best_root(page: Page, sums: _Sums, context: list, chars: np.ndarray,
               content: np.ndarray, anchors: list[int] = ()) -> tuple[int, float, np.ndarray]:
    """(element with the best score, its score, the block weights) when blocks outside boilerplate
    containers weigh `content`. Rule `anchor`: an element holding a block the metadata describes
    (`product.py`) scores ANCHOR_BONUS more."""
    boiler = np.fromiter((c is not None and c not in UNWEIGHED for c in context), dtype=bool, count=len(context))
    weights = np.where(boiler, -BOILER_FACTOR * chars - BLOCK_COST, content)
    score = sums(weights) + POSITIVE_BONUS * sums(np.maximum(weights, 0.0)) * np.asarray(page.positive)
    if len(anchors):
        first, end = sums.first, sums.end
        for i in anchors:
            score += ANCHOR_BONUS * ((first <= i) & (end > i))
    root = int(np.argmax(score))
    return root, float(score[root]), weights


def _is_thread(context: list, content: np.ndarray, best: float, thread_page: bool = False) -> bool:
    """Rule `thread`: on a forum the posts are the content, though their markup says `comment`. When
    no article of some length stands outside comment containers (best score under THREAD_ARTICLE,
    about a short news item) and the comments hold more prose than it, comments are content. A news
    page whose comments outweigh its article (a 1,000-character report under 3,700 of comments)
    keeps its article alone. Rule `thread-page`: a page whose metadata says it is a thread
    (`threads.py`: DiscussionForumPosting, QAPage) has no such article, however long its first post
    (a question of 2,000 characters): its comments are content when they hold more prose than all
    the blocks outside boilerplate (a Q&A's comments under each answer do not). A form around the
    posts (a forum's moderation form, a checkbox on each post) then wraps content too.
    Rule `thread-prose`: on any page, comments outweigh the rest only when they also hold more prose
    than all the blocks outside boilerplate. A long guide made of linked lists (courses, tools, each a
    link) scores under THREAD_ARTICLE, its links costing more than its prose adds, but its prose
    outweighs a comment section shorter than it: the guide stays the content (dev: 3 pages better, one
    arXiv listing slightly worse)."""
    if "comment" not in context or (best >= THREAD_ARTICLE and not thread_page):
        return False
    in_comments = np.fromiter((c == "comment" for c in context), dtype=bool, count=len(context))
    comments = float(content[in_comments].clip(min=0).sum())
    if best < THREAD_ARTICLE and comments <= THREAD_RATIO * max(best, 0.0):
        return False
    free = np.fromiter((c is None for c in context), dtype=bool, count=len(context))
    # (on a page that is no thread by its metadata, this last test is rule `thread-prose`)
    return comments > THREAD_RATIO * float(content[free].clip(min=0).sum()) or not (thread_page or ON("thread-prose"))


def _posts(page: Page, root: int, prose: np.ndarray) -> list[int]:
    """Rule `posts`: the elements outside the best element that are marked as the article with the
    same tag and class as one inside it (a forum post's `<article class="message-body">`, a Q&A
    answer's `s-prose` like the question's) and hold `prose` (per element: unlinked text outside
    boilerplate) of POST_PROSE or more. A thread's first post often outweighs each short reply with
    its author's name, date and buttons, so the best element is the first post alone; the replies
    are the rest of the thread. One such box alone is rather a teaser."""
    names, positive = page.name, page.positive
    own = {names[e][:2] for e in range(root, page.last[root])
           if positive[e] and names[e] and names[e][1] and names[e][1].strip().lower() not in GENERIC_NAMES}
    if not own:
        return []
    inside = range(root, page.last[root])
    # numpy picks the few candidates first: a loop over every element in Python cost 0.4% of the run
    candidates = np.flatnonzero(np.asarray(positive, dtype=bool) & (prose >= POST_PROSE))
    posts = [int(e) for e in candidates if e not in inside and names[e] and names[e][:2] in own]
    return posts if len(posts) >= MIN_REPLIES else []


def _extend(weights: np.ndarray, lo: int, hi: int, best: float) -> tuple[int, int]:
    """Rule `extend`: grow the run of blocks [lo, hi] to the right, then to the left, as far as the
    added blocks sum to the best gain (a maximum subarray anchored at the root's run), when that gain
    is worth EXTEND_GAIN of the root's score. A Q&A page's answers after the accepted one, a forum's
    next posts, a lede in a sibling column; not a news page's excerpts of other stories after the
    article, which add a little next to it."""
    if hi + 1 < len(weights):
        gain = np.cumsum(weights[hi + 1:])
        j = int(np.argmax(gain))
        if gain[j] > EXTEND_GAIN * best:
            hi += j + 1
    if lo > 0:
        gain = np.cumsum(weights[lo - 1::-1])
        j = int(np.argmax(gain))
        if gain[j] > EXTEND_GAIN * best:
            lo -= j + 1
    return lo, hi


def _not_sidebar(page: Page, sums: _Sums, weights: np.ndarray, sidebars: list[int], root: int,
                 best: float) -> tuple[int, float]:
    """Rule `sidebar`: an <aside> voided for its prose (rules `wrapper`, `prose`: a text widget with a
    party's programme, a long "about us") may then outscore a shorter article beside it. When the best
    element lies in such a sidebar and an element marked as the article (`<article>`, `<main>`,
    `entry-content`...) outside it scores SIDEBAR_SHARE of it, the marked one is the content: the page
    says so twice (the sidebar's tag, the article's mark)."""
    first, end = sums.first, sums.end
    side = next((v for v in sidebars if first[v] <= first[root] and end[root] <= end[v]), None)
    if side is None:
        return root, best
    score = (1.0 + POSITIVE_BONUS) * sums(weights)
    apart = (end <= first[side]) | (first >= end[side])
    cand = np.where(apart & np.asarray(page.positive), score, -np.inf)
    e = int(np.argmax(cand))
    if cand[e] >= SIDEBAR_SHARE * best:
        return e, float(cand[e])
    return root, best


def locate(page: Page, anchors: list[int] = (), product: bool = False, thread: bool = False) -> Located:
    """Where the main content of a walked page is (an empty run when it has none)."""
    m = len(page.blocks)
    if not page.parent or not m:
        return Located(-1, 0, -1, [None] * m, [None] * m)
    chars = np.fromiter((b.chars for b in page.blocks), dtype=np.float64, count=m)
    links = np.fromiter((b.link_chars for b in page.blocks), dtype=np.float64, count=m)
    content = content_weights(chars, links)
    heaps = word_heaps(page, chars)     # rule `word-heap`: weighed and removed as boilerplate
    if heaps and not ON("word-heap"):
        heaps = []
    sums = _Sums(page)
    marked = [e for e, k in enumerate(page.kind) if k]
    _void_repeated(page, marked)
    if not product:
        _void_kind(page, marked, "review")
    _void_anchored(page, anchors)
    sidebars = _void_wrappers(page, sums, chars, links, np.maximum(content, 0.0))
    marked = [e for e, k in enumerate(page.kind) if k]
    context = _block_context(page, marked, m, heaps)
    root, best, weights = _best_root(page, sums, context, chars, content, anchors)
    if _is_thread(context, content, best, thread) and ON("thread"):
        comments = [e for e in marked if page.kind[e] == "comment"]
        for e in comments:
            page.kind[e] = None
        for e in marked:
            if page.kind[e] == "form" and any(e < c < page.last[e] for c in comments):
                page.kind[e] = None
        marked = [e for e in marked if page.kind[e]]
        context = _block_context(page, marked, m, heaps)
        root, best, weights = _best_root(page, sums, context, chars, content, anchors)
    unmarked = np.fromiter((c is None for c in context), dtype=bool, count=m)
    posts = _posts(page, root, sums(np.where(unmarked, chars - links, 0.0)))
    for post in posts if posts and ON("posts") else ():
        while not root < post < page.last[root]:    # the thread: the first post's and the replies' container
            root = page.parent[root]
    listing = False
    if best < LISTING_BELOW:
        # Rule `listing`: a page without an article of some length (a shop's category, a job board,
        # a list of posts) has a list for content; its items are links, so linked text counts as text.
        # Its items are often classed as teasers (`teaserItem`, `cmp-teaser__title`), as search results
        # (`search-event-card`) or their text as a caption (`product-caption`), where a related box, a
        # search form or a figure's caption appears once: such a class repeated REPEAT_MIN times names
        # the items' parts here (rule `repeated` with LISTING_ITEM_KINDS); their kinds come back if no
        # listing wins.
        saved = list(page.kind)
        present = {page.kind[e] for e in marked}
        _void_repeated(page, marked, LISTING_ITEM_KINDS - {k for k, rule in _ITEM_RULES.items()
                                                           if k in present and not ON(rule)}, listing=True)
        marked_l = [e for e in marked if page.kind[e]]
        context_l = _block_context(page, marked_l, m, heaps) if len(marked_l) < len(marked) else context
        root_l, best_l, weights_l = _best_root(page, sums, context_l, chars, chars - LISTING_BLOCK_COST, anchors)
        if best_l > LISTING_GAIN * max(best, 0.0) and best_l > MIN_SCORE and ON("listing"):
            root, best, weights, listing = root_l, best_l, weights_l, True
            marked, context = marked_l, context_l
        else:
            page.kind[:] = saved
    if sidebars and not listing:
        side_root, side_best = _not_sidebar(page, sums, weights, sidebars, root, best)
        if side_root != root and ON("sidebar"):
            root, best = side_root, side_best
    if best <= MIN_SCORE and ON("no-article"):
        # Rule `no-article`: a page whose best element adds up to no content (a menu, a login form)
        # has no main article.
        return Located(-1, 0, -1, context, [None] * m)
    lo, hi = page.first[root], page.end[root] - 1
    if hi >= lo and not listing:
        run = _extend(weights, lo, hi, best)
        if run != (lo, hi) and ON("extend"):
            lo, hi = run
    if not listing:
        # Rule `sections` (`sections.py`): the best element is one of a page's run of sections.
        run = sections_root(page, root, chars, links)
        if run != root and ON("sections"):
            root, lo, hi = run, min(lo, page.first[run]), max(hi, page.end[run] - 1)
    inner = _block_context(page, [e for e in marked if root < e < page.last[root]], m, heaps)
    return Located(root, lo, hi, context, inner, listing)
