"""extract_html: HTML in, the main article out, every removed block with its reason.

Steps: decode the bytes (`decode.py`), parse with lexbor (selectolax), read the metadata
(`metadata.py`), walk the DOM into blocks (`walk.py`), locate the main content (`locate.py`), decide
block by block from the markup (`decide` below), then apply the text cleaner's line evidence. On a
product page the walk also reads closed tab and accordion panels (rule `panels`), and other products'
cards (rule `offers`, `cards.py`) and text rendered twice (rule `repeat`) leave the main content.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass

import numpy as np

from selectolax.lexbor import LexborHTMLParser

from ..clean.blocks import Block
from ..document import Article, Result, Span, site_of
from ..hashing import hash_normalized, normalize_lines
from ..provenance import merge
from .articles import article_groups
from .cards import drop_offers
from .decode import decode_html, utf8_as_decoded
from .hints import HEADINGS, SKIP_TAGS
from .judge import KEEP, block_features, shipped_model as shipped_block_model
from .lede import in_header, ledes_before, teaser_ledes
from .lines import line_evidence
from .linked import linked_entries
from .locate import Located, locate
from .metadata import fallback_date, json_ld_objects, marked_elements, page_metadata
from .nesting import guarded
from .orphans import orphans
from .product import anchor_blocks, descriptions, is_product_page
from .related import related_sections
from .repeats import recopied, undoubled, unrepeated
from .scraps import scraps
from .selfclosed import close_iframes
from .switches import ON
from .threads import is_thread_page, thread_data
from .walk import Page, kind_around, walk, within

LINK_DENSE = 0.5         # a block with more than this share of linked text is a link list
# Rule `linked-item`: a list item is a link list above LINK_DENSE_ITEM of linked text, other blocks
# above LINK_DENSE. An item of a list in the text names a thing with a link and says a few words about
# it (a packing list's "<a>rain coat</a> (light)", a source with its year); a menu's item is its link
# alone, or a link and a counter. Measured over wcxb-dev, list items with 50-80% linked text were nine
# parts content to one part boilerplate.
LINK_DENSE_ITEM = 0.8
HEADER_PROSE = 120       # rule `header-prose`: a <p> this long (characters) ...
HEADER_WORDS = 20        # ... and this many words, without links, in a header inside the main run ...
ARTICLE = frozenset({"article"})   # ... not inside an <article>
SCRIPTED_PAGE = 500     # a page with fewer visible characters is read with its hidden and <noscript> text


def page_blocks(page: Page, where: Located, flags: dict | None = None) -> tuple[list[Block], str]:
    """Blocks with offsets into the synthetic text (block texts joined by newlines), and that text. Each
    block's hints: its owner's tag, its boilerplate container, its `box` (the element around its
    owner: rule `related-section` tells a box of teasers from the article going on), link density, and
    for the block model (`judge.py`) its owner's `depth`, its place against the main `run` (-1 before,
    0 in, 1 after) and the `page` flags (one dict shared by all blocks)."""
    blocks, pos = [], 0
    tags, parent = page.tag, page.parent
    depth = [0] * len(parent)
    for e, up in enumerate(parent):   # a parent comes before its children
        if up >= 0:
            depth[e] = depth[up] + 1
    flags = flags if flags is not None else {}
    lo, hi = where.lo, where.hi
    for i, (b, container) in enumerate(zip(page.blocks, where.context)):
        owner, text = b.owner, b.text
        end = pos + len(text)
        blocks.append(Block(text, pos, end, {"tag": tags[owner], "container": container, "box": parent[owner],
                                             "link_density": round(b.link_chars / b.chars, 3) if b.link_chars else 0.0,
                                             "depth": depth[owner], "run": -1 if i < lo else (1 if i > hi else 0),
                                             "page": flags}))
        pos = end + 1
    return blocks, "\n".join([b.text for b in page.blocks])


def decide(page: Page, where: Located, title: str | None) -> tuple[list[int], dict[int, str]]:
    """(indices of kept blocks, reason of each removed block): the main run of blocks, less what sits
    in a boilerplate container inside it, link lists (a list item by a higher share: rule
    `linked-item`; a linked heading over kept content stays: rule `linked-heading`), the title
    heading and doubled runs, plus the lede in the article's header or between the title and the
    run (rules `lede`, `lede-before`, `lede.py`), and the lede in a teaser box under the title,
    before or inside the run (rule `lede-teaser`), and a paragraph of prose in a header inside the run
    (rule `header-prose`)."""
    kept, removed, dense = [], {}, []
    root_first, root_end = (page.first[where.root], page.end[where.root]) if where.root >= 0 else (0, 0)
    # A rule's switch is asked where the rule would decide, not on every page or block.
    ledes = set()
    before = ledes_before(page, where, title, _same_title)
    if before and ON("lede-before"):
        ledes.update(before)
    teasers = teaser_ledes(page, where, title, _same_title)
    if teasers and ON("lede-teaser"):
        ledes.update(teasers)
    listing = where.listing
    for i, raw in enumerate(page.blocks):
        if not where.lo <= i <= where.hi:
            if i in ledes or (where.context[i] == "header" and i < where.lo and in_header(page, i, where)
                              and ON("lede")):
                kept.append(i)
            else:
                removed[i] = where.context[i] or "outside"
            continue
        kind = where.inner[i] if root_first <= i < root_end else where.context[i]
        if kind == "profile" and _poster_name(page, i) and ON("poster-name"):
            kept.append(i)
        elif kind and i not in ledes and not (kind == "header" and _header_prose(page, raw) and ON("header-prose")):
            removed[i] = kind
        elif not listing and raw.link_chars > LINK_DENSE * raw.chars and raw.chars and (
                page.tag[raw.owner] != "li" or raw.link_chars > LINK_DENSE_ITEM * raw.chars
                or not ON("linked-item")) and ON("link-dense"):
            removed[i] = "link-dense"
            dense.append(i)
        elif title and page.tag[raw.owner] == "h1" and _same_title(raw.text, title):
            removed[i] = "title"
        else:
            kept.append(i)
    # Rules `linked-item`, `linked-heading` (linked.py): a linked entry of the article's own comes back.
    kept = linked_entries(page, dense, kept, removed, lambda text: bool(title) and _same_title(text, title))
    # Rules `duplicate` (a copy at once) and `repeated-run` (a long copy further down): `repeats.py`.
    return recopied(page, undoubled(page, kept, removed), removed), removed


def _header_prose(page: Page, raw) -> bool:
    """Rule `header-prose`: a paragraph of prose (HEADER_PROSE characters, HEADER_WORDS words, no
    links, a <p>) in a header inside the main run is a hero's or a section's intro (a service page's
    pitch under its heading, a reference page's summary), not the page's header (a site header holds
    links, a title, a one-line tagline). Not inside an <article>: there the header's paragraph is the
    story's standfirst, which the benchmarks' gold leaves out (see rule `lede`). Measured on wcxb-dev:
    +0.0003 (both site halves, service +0.0016)."""
    if not (page.tag[raw.owner] == "p" and raw.chars >= HEADER_PROSE and not raw.link_chars
            and raw.text.count(" ") + 1 >= HEADER_WORDS):
        return False
    return not within(page, raw.owner, ARTICLE)


POSTER_NAME_CHARS = 40


def _poster_name(page: Page, i: int) -> bool:
    """Rule `poster-name`: the name heading a forum post's author card (XenForo's `<h4 class="message-name">`
    in `message-userDetails`) says who wrote the post: a thread reads "name, date, post" (wcxb-dev's gold
    names the poster on 17 of the 23 forum sites whose card removed the name). The card's first heading
    of a few words, linked or not (the name links to the member's page), stays; the rest of the card (the
    rank in the next heading, `<h5 class="userTitle">`, the post count, the join date) goes with kind
    `profile`. Not a `<dt>`: XenForo's card lists "Joined", "Messages" in `<dt>` labels."""
    blocks, tags = page.blocks, page.tag
    if tags[blocks[i].owner] not in HEADINGS or blocks[i].chars > POSTER_NAME_CHARS:
        return False
    card = kind_around(page, i, "profile")
    return card >= 0 and all(tags[blocks[j].owner] not in HEADINGS for j in range(page.first[card], i))


def _same_title(text: str, title: str) -> bool:
    a, b = " ".join(text.lower().split()), " ".join(title.lower().split())
    return a == b or (len(a) > 10 and (a in b or b in a))


def structure(html: str | bytes, url: str | None = None, dates: bool = True):
    """The structural pass alone: (blocks, source, kept block indices, {removed index: reason}, meta,
    article groups or None)."""
    # The walk makes many small objects and no reference cycles: the cyclic collector, which would
    # run dozens of times per page for nothing, is paused meanwhile (as msgpack does when unpacking).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _structure(html, url, dates)
    finally:
        if paused:
            gc.enable()


def _structure(html: str | bytes, url: str | None, dates: bool):
    decoded, encoding = decode_html(html)
    closed = close_iframes(decoded)
    # `raw`: the page's bytes, when they are exactly its text in UTF-8 and no rule rewrote the text. Then
    # lexbor reads them as they came (it would encode the str back to the same bytes: a copy of the page,
    # 5% of the instructions on news pages) and the nesting depth is scanned on them (memchr over bytes; a
    # str holding a curly quote is scanned a character at a time).
    raw = html if closed is decoded and utf8_as_decoded(html, decoded, encoding) else None
    text, flattened = guarded(closed, raw)
    tree = LexborHTMLParser(text if flattened or raw is None else raw)
    marked = marked_elements(tree)
    ld = json_ld_objects(tree, marked)
    meta = page_metadata(tree, url, ld, marked)
    if "published" not in meta and dates:
        published = fallback_date(text, url)
        if published:
            meta["published"] = published
    meta["encoding"] = encoding
    if flattened:
        meta["flattened_tags"] = flattened  # rule `deep-nesting` (nesting.py)
    body = tree.body or tree.root
    product = is_product_page(tree, ld, marked)
    # Rule `panels` (`hints.panel`): on a product page, closed tab and accordion panels are read.
    # Rule `aria-tabs` (`hints.aria_panel`): closed tab panels are read, but on a product page or a thread.
    tabs = not product and not thread_data(ld)
    page = walk(body, panels=product, tabs=tabs) if body is not None else Page()

    def located(p: Page) -> Located:
        # A thread's metadata matters only where some element is marked as comments (rule `thread-page`).
        thread = not product and "comment" in p.kind and is_thread_page(tree, ld, marked) and ON("thread-page")
        anchors = anchor_blocks(p, descriptions(ld)) if product else []
        return locate(p, anchors if anchors and ON("anchor") else [], product, thread)

    shown = None    # the page with its hidden and <noscript> text, walked at most once
    visible = sum(b.chars for b in page.blocks)
    if body is not None and visible < SCRIPTED_PAGE and ON("scripted-page"):
        # Rule `scripted-page`: a page that shows next to nothing without scripts serves its text to
        # crawlers inside <noscript> (a Discourse forum) or hides it until a script reveals it
        # (`<div class="root hide">`, `visibility:hidden` on the whole page): read it there.
        shown = walk(body, SKIP_TAGS - {"noscript"}, show_hidden=True)
        if sum(b.chars for b in shown.blocks) > 2 * visible:
            page = shown
    where = located(page)
    if where.root < 0 and body is not None and shown is not page and ON("hidden-content"):
        # Rule `hidden-content`: a page whose visible text holds no article at all (only its menus and
        # footer) but hides its content until a script reveals it (`<div style="display:none">` around
        # the main column, a shop app's lock-down wrapper): read it with its hidden text, as rule
        # `scripted-page` does for a page showing next to nothing. Only pages with no article pay for it.
        if shown is None:
            shown = walk(body, SKIP_TAGS - {"noscript"}, show_hidden=True)
        if sum(b.chars for b in shown.blocks) > 2 * visible:
            found = located(shown)
            if found.root >= 0:
                page, where = shown, found
    kept, removed = decide(page, where, meta.get("title"))
    if product:
        kept = unrepeated(page, drop_offers(page, kept, removed), removed)  # rules `offers`, `repeat`
    flags = {"product": product, "listing": where.listing, "thread": bool(thread_data(ld))}
    blocks, source = page_blocks(page, where, flags)
    return blocks, source, kept, removed, meta, article_groups(page, kept)


def _provenance(meta: dict, url: str | None) -> dict:
    prov = {}
    if url:
        prov["url"] = url
    for key in ("canonical", "publisher"):
        if key in meta:
            prov[key] = meta[key]
    if "author" in meta:
        prov["authors"] = meta["author"].split("; ")
    return prov


@dataclass
class Evidence:
    """What the structural pass and the line evidence say of every block of a page, before the block
    model decides (`extract_html` = `evidence` + `judged` + `assemble`; the benches score other block
    models on the same evidence)."""
    blocks: list[Block]
    source: str
    reasons: list[str | None]       # per block: why it should go (the rules' or line evidence's), or None
    by_line: list[bool]             # the reason is the line evidence's
    found: list[dict | None]        # provenance a line told ("By Jane Roe")
    reviews: list[int]              # blocks of customer reviews (rule `review`): never judged
    groups: list | None
    meta: dict
    prov: dict
    templates: object = None
    url: str | None = None


def evidence(html: str | bytes, url: str | None = None, templates=None, lines: bool = True) -> Evidence:
    """The structural pass, then (with `lines`) the line evidence on the blocks it kept."""
    blocks, source, kept, removed, meta, groups = structure(html, url)
    reasons: list[str | None] = [None] * len(blocks)
    for i, reason in removed.items():
        reasons[i] = reason
    by_line = [False] * len(blocks)
    found: list[dict | None] = [None] * len(blocks)
    reviews = sorted(i for i, reason in removed.items() if reason == "review") if lines else []
    ev = Evidence(blocks, source, reasons, by_line, found, reviews, groups, meta, _provenance(meta, url),
                  templates, url)
    if lines and kept:
        kept_blocks = [blocks[i] for i in kept]
        line_reasons, line_found = line_evidence(kept_blocks, url, templates)
        # Rule `related-section` (`related.py`): the teasers under a "Related posts" heading.
        drop = related_sections(kept_blocks, line_reasons)
        for k in drop if drop and ON("related-section") else ():
            line_reasons[k] = "related-section"
        for i, reason, info in zip(kept, line_reasons, line_found):
            reasons[i], by_line[i], found[i] = reason, reason is not None, info
    return ev


def rule_verdicts(ev: Evidence) -> list[int]:
    """The blocks the rules and the line evidence keep."""
    return [i for i, reason in enumerate(ev.reasons) if reason is None]


def judged(ev: Evidence, model=None) -> list[int]:
    """The blocks the block model keeps (`judge.py`), or the rules' verdicts where no model ships.
    Review blocks are never kept here: they go to their own document."""
    model = model if model is not None else shipped_block_model()
    if model is None or not ev.blocks:
        return rule_verdicts(ev)
    x = block_features(ev.blocks, ev.reasons, ev.by_line, ev.meta.get("title"), _template_share(ev))
    return kept_by(ev, model.predict(x))


def kept_by(ev: Evidence, p: np.ndarray) -> list[int]:
    """The blocks a block model's probabilities `p` keep (reviews go to their own document)."""
    skip = set(ev.reviews)
    return [i for i in np.flatnonzero(p >= KEEP).tolist() if i not in skip]


def _template_share(ev: Evidence) -> np.ndarray | None:
    if ev.templates is None:
        return None
    return ev.templates.share(site_of(ev.url), hash_normalized(normalize_lines([b.text for b in ev.blocks])))


def assemble(ev: Evidence, keep: list[int], whole: bool = True) -> Result:
    """The Result from the blocks kept: a removed block's span says the strongest evidence against it
    (`block-model` when only the block model spoke); then (with `whole`) the rules that read the kept
    text as a whole (`orphan-heading`, `no-content`), the split into articles and the reviews' document."""
    blocks, url, templates = ev.blocks, ev.url, ev.templates
    kept_set = set(keep)
    skip = set(ev.reviews)
    spans = [Span(b.start, b.end, ev.reasons[i] or "block-model", b.text) for i, b in enumerate(blocks)
             if i not in kept_set and i not in skip]
    prov = dict(ev.prov)
    for info in ev.found:
        if info:
            merge(prov, info)
    kept_blocks = [blocks[i] for i in keep]
    title = ev.meta.get("title")
    if kept_blocks and whole:
        # Rule `orphan-heading` (`orphans.py`): headings whose content the steps above removed.
        drop = orphans(blocks, kept_blocks)
        if drop and not ON("orphan-heading"):
            drop = set()
        spans.extend(Span(b.start, b.end, "orphan-heading", b.text) for k, b in enumerate(kept_blocks)
                     if k in drop)
        kept_blocks = [b for k, b in enumerate(kept_blocks) if k not in drop]
    if kept_blocks and whole and scraps([b.text for b in kept_blocks]) and ON("no-content"):
        # Rule `no-content` (`scraps.py`): a few words and no sentence are no document.
        spans.extend(Span(b.start, b.end, "no-content", b.text) for b in kept_blocks)
        kept_blocks = []
    if ev.groups:
        articles = _split(ev.groups, blocks, kept_blocks, title, prov)
    else:
        text = "\n".join(b.text for b in kept_blocks)
        articles = [Article(text=text, title=title, provenance=prov)] if text else []
    reviews = [blocks[i] for i in ev.reviews]
    review = _reviews(reviews, url, templates, prov, spans) if articles else None
    if review:
        articles.append(review)
    else:
        spans.extend(Span(b.start, b.end, "review", b.text) for b in reviews)
    spans.sort(key=lambda s: (s.start, s.end))
    return Result(articles=articles, removed=spans, meta=ev.meta)


def extract_html(html: str | bytes, url: str | None = None, *, clean: bool | str = True,
                 templates=None, model=None) -> Result:
    """The main article of an HTML page: `.text`, `.title`, `.removed` spans (offsets into the page's
    block text, the blocks joined by newlines) with reasons, and `.meta` (title, published, author,
    language, publisher, canonical, encoding).

    `clean=True` weighs the structural verdicts with the text cleaner's line evidence (boilerplate
    phrases, code residue, counters, bylines to provenance, site templates when `templates` is given)
    in the block model (`judge.py`; `model` replaces the shipped one); `clean="full"` hands the blocks
    the structural pass kept to the whole cleaner (`tamis.clean.clean_blocks`, with its line model and
    segmentation); `clean=False` keeps the structural decision alone."""
    if clean == "full":
        from ..clean import clean_blocks
        blocks, source, kept, removed, meta, _ = structure(html, url)
        spans = [Span(blocks[i].start, blocks[i].end, reason, blocks[i].text) for i, reason in removed.items()]
        result = clean_blocks([blocks[i] for i in kept], source, url=url, title=meta.get("title"),
                              templates=templates, removed=spans, meta=meta)
        for article in result.articles:
            for key, value in _provenance(meta, url).items():
                article.provenance.setdefault(key, value)
        return result
    ev = evidence(html, url, templates, lines=bool(clean))
    return assemble(ev, judged(ev, model), True) if clean else assemble(ev, rule_verdicts(ev), False)


REVIEW_MIN_WORDS = 30  # reviews holding less ("No reviews yet", "Write a review") are only removed


def _reviews(reviews: list[Block], url: str | None, templates, prov: dict, spans: list[Span]) -> Article | None:
    """A product page's customer reviews as a `secondary` document: the buyers' words are content for
    a corpus, but not the product's description (the main document, as benchmarks' gold has it). Their
    lines go through the same line evidence as the main text ("Was this review helpful?", counters);
    its removals are added to `spans`. None when too little is left."""
    if not reviews:
        return None
    reasons, _ = line_evidence(reviews, url, templates)
    kept = [b for b, reason in zip(reviews, reasons) if reason is None]
    if sum(len(b.text.split()) for b in kept) < REVIEW_MIN_WORDS:
        return None
    spans.extend(Span(b.start, b.end, reason, b.text) for b, reason in zip(reviews, reasons) if reason)
    heading = next((b.text for b in kept if b.hints.get("tag", "")[:1] == "h"), None)
    return Article(text="\n".join(b.text for b in kept), title=heading, role="secondary", provenance=dict(prov))


def _split(groups, blocks: list[Block], kept_blocks: list[Block], title: str | None, prov: dict) -> list[Article]:
    """One Article per <article> group, the one titled like the page first."""
    still = {id(b) for b in kept_blocks}
    articles = []
    for heading, members in groups:
        text = "\n".join(blocks[i].text for i in members if id(blocks[i]) in still)
        if text:
            articles.append(Article(text=text, title=blocks[heading].text, role="secondary", provenance=dict(prov)))
    if not articles:
        return []
    main = next((k for k, a in enumerate(articles) if title and _same_title(a.title, title)), 0)
    articles.insert(0, articles.pop(main))
    articles[0].role = "main"
    return articles
