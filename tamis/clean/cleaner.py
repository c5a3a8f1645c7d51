"""The cleaner: decides, block by block, content or boilerplate, and finds the articles of a page.

Evidence, in order:
1. the line itself: `rules.page_reasons` (code residue, feed footer, counters, lexicon) and
   `provenance.provenance_line` (bylines, "Via X");
2. repetition: a second copy of a line in the same document (`repeat`), a line that is the site's
   template across the run (`template:site`);
3. the learned line model (`model.py`) over generic features of the line and its neighbourhood;
4. the page's layout: `segment.find_articles` groups the content lines into the main article and
   the other articles glued after it; what falls outside every article is removed with the
   strongest evidence against it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain, islice

import numpy as np

from ..document import Article, Result, Span, site_of, spans_of
from ..hashing import hash_normalized, normalize_lines
from ..native import core
from ..provenance import candidate_lines, merge, provenance_line
from .blocks import Block, split_blocks
from .features import NAMES, LineEvidence, _char_counts, copies_within_pages, features_many, page_counts
from .language import language
from .page_type import page_types
from .model import TreeEnsemble, shipped_model
from .rules import page_reasons
from .segment import KEEP, THRESHOLD, ends_with, find_articles
from .templates import TemplateTable


@dataclass
class Page:
    """A page to clean: `blocks` of `source` (their offsets point into it). `removed` holds spans an
    earlier stage (the HTML extractor) already took out; they are kept in the result."""

    blocks: list[Block]
    source: str
    url: str | None = None
    title: str | None = None
    removed: list[Span] | None = None
    meta: dict | None = None


def page_evidence(texts: list[str], norms: list[str], counts: dict | None = None
                  ) -> tuple[list[str | None], list[dict | None]]:
    """Each line's own evidence: (reasons to remove it or None, provenance it tells or None). Each
    line is judged alone: `texts` may be the lines of many pages.
    A provenance line ("By Jane Roe", "Via X") is removed for what it is, whatever rule it also hits."""
    counts = counts if counts is not None else _char_counts(texts)
    reasons = page_reasons(texts, norms, counts)
    found: list[dict | None] = [None] * len(texts)
    for i in candidate_lines(norms):
        prov = provenance_line(texts[i])
        if prov:
            reasons[i], found[i] = prov
    for i, norm in enumerate(norms):
        if not norm and reasons[i] is None:
            reasons[i] = "no-words"
    return reasons, found


def template_lines(reasons: list[str | None], share: np.ndarray) -> None:
    """Mark the lines still standing that are the site's template (share > 0), in place."""
    for i in np.flatnonzero(share > 0):
        if reasons[i] is None:
            reasons[i] = "template:site"


CODE_RESIDUE = frozenset({"css", "script"})                    # reasons that name leaked code ...
SHOWN_CODE = frozenset({"pre", "code", "listing", "xmp", "plaintext"})  # ... which these tags show on purpose


def shown_code(blocks: list[Block], reasons: list[str | None]) -> None:
    """Rule `shown-code`, in place: CSS or script in a <pre> is code the page shows (a docs page's
    example), not residue of a <style> or <script> that leaked into the text. Only blocks from HTML
    carry a tag; in flattened text code and residue look alike."""
    for i, reason in enumerate(reasons):
        if reason in CODE_RESIDUE and blocks[i].hints.get("tag") in SHOWN_CODE:
            reasons[i] = None


def analyse(blocks: list[Block], url: str | None = None, title: str | None = None,
            templates: TemplateTable | None = None, norms: list[str] | None = None):
    """Line evidence for `blocks`: (reasons by rule or None, provenance found, feature matrix).
    `norms`: the blocks' texts normalised (`hashing.normalize_lines`), if the caller has them."""
    _, reasons, found, lines = evidence_of_pages([Page(blocks, "", url, title)], templates, norms)[0]
    return reasons, found, features_many([lines])


def evidence_of_pages(pages: list[Page], templates: TemplateTable | None = None, norms: list[str] | None = None
                  ) -> list[tuple[list[str], list[str | None], list[dict | None], LineEvidence]]:
    """Each page's evidence before the line features: (its lines normalised, reasons by rule or None,
    provenance found, what its features are computed from). The lines' own evidence (`page_evidence`:
    rules, provenance) is read over all pages' lines at once, as one page; repeats are counted within
    each page, and the site's template looked up for all pages of a site at once. `norms`: all the
    lines normalised, if the caller has them."""
    blocks = [b for page in pages for b in page.blocks]
    texts = [b.text for b in blocks]
    norms = normalize_lines(texts) if norms is None else norms
    hashes = hash_normalized(norms)
    counts = _char_counts(texts)
    reasons, found = page_evidence(texts, norms, counts)
    shown_code(blocks, reasons)
    sizes = [len(page.blocks) for page in pages]
    repeats = _repeats(reasons, hashes, np.repeat(np.arange(len(pages)), sizes))
    share = np.zeros(len(blocks), np.float32)
    bounds = np.cumsum([0] + sizes).tolist()
    if templates:
        by_site: dict[str | None, list[int]] = {}
        for k, page in enumerate(pages):
            by_site.setdefault(site_of(page.url), []).append(k)
        for site, ks in by_site.items():
            rows = _rows_of(bounds, ks)
            share[rows] = templates.share(site, hashes[rows])
    template_lines(reasons, share)
    hits = np.array([r is not None for r in reasons], dtype=np.float32)
    out = []
    for page, start, end in zip(pages, bounds, bounds[1:]):
        lines = LineEvidence(page.blocks, hits[start:end], repeats[start:end], share[start:end],
                             page.title or _page_title(page.blocks), page_counts(counts, start, end))
        out.append((norms[start:end], reasons[start:end], found[start:end], lines))
    return out


def _repeats(reasons: list[str | None], hashes: np.ndarray, page: np.ndarray) -> np.ndarray:
    """How many copies of each line its page holds; a copy after the first is a `repeat` (in
    `reasons`, in place, where no rule spoke)."""
    copies, later = copies_within_pages(hashes, page)
    for i in later.nonzero()[0].tolist():
        if reasons[i] is None:
            reasons[i] = "repeat"
    return copies


def _rows_of(bounds: list[int] | np.ndarray, pages: list[int]) -> np.ndarray:
    """The batch's rows of `pages` (page k: rows bounds[k] to bounds[k + 1]), in order."""
    return np.concatenate([np.arange(bounds[k], bounds[k + 1]) for k in pages])


SHORT_TEXT = 5  # lines left by the line rules: a text this short is no whole page


def _prose_score(x: np.ndarray) -> np.ndarray:
    """Without the model: a line of 12+ words ending like a sentence, or of 20+ words, is prose.
    (The count comes back from the float32 log1p feature, where 12 words read 11.999999: a line of
    exactly 12 words falls short. A whole page without an article was measured so; rounding the count
    changes two wcxb-dev pages, both for worse. A short text's sentences are counted by `_sentence`.)"""
    words = np.expm1(x[:, 0])
    return np.where(((words >= 12) & (x[:, 2] > 0)) | (words >= 20), 0.9, 0.2)


# Rule `short-sentence`: in a text of a few lines, a line that reads as a complete sentence of prose is
# content, however short. The line model scores lines by their place in a whole page (neighbours,
# position, long lines around): a text of one or two lines gives it nothing to go on, and it scores a
# lone sentence as boilerplate. The boilerplate one-liners ("Subscribe to our newsletter", "Share
# this", "2,933 Views", a menu) are removed by the line rules before this is asked.
SENTENCE_WORDS = 4       # a sentence has at least this many words ...
SENTENCE_CJK_CHARS = 8   # ... or, in a script written without spaces, this many characters
SEPARATORS_MAX = 0.25    # a line with a separator ("|", "»", "/", "•") every 4 words is a menu
LINKED_MAX = 0.5         # a block mostly inside links (HTML) is a menu or a teaser
UNSURE = KEEP / 2        # in a short text, a line the model is unsure of scores at most this: removed
# Ends like a sentence: a full stop, question or exclamation mark, before closing quotes or brackets.
_ENDERS = ".!?…。！？"
_CLOSERS = "'\"’”»)]"
_OPENERS = "\"'“‘„«‹([¿¡-–— "
_WORDS = re.compile(r"\w+")
_CJK, _SEPARATORS, _LINKS = NAMES.index("cjk"), NAMES.index("separators"), NAMES.index("link_density")


def _sentence(text: str, row: np.ndarray) -> bool:
    """`text` reads as a complete sentence of prose: it starts as a sentence does (a capital, a digit,
    or a letter of a script without case), ends as one, is long enough to say something, and, in a
    cased script, holds a word in lower case after its first (a line of capitalised words is a title,
    a name or a menu, not prose: "Copyright 2024 Example Inc.").
    Read from its ends, and its words one by one up to the first in lower case: a short text's one
    line may be a whole article, where a regex anchored at `$` tried every position and a list of all
    its words cost a tenth of a millisecond."""
    if not _ends_sentence(text):
        return False
    head = text.lstrip(_OPENERS)[:1]
    if not head.isalnum() or head.islower():
        return False
    if row[_CJK] > 0.5:  # CJK: words are not split by spaces
        return len(text) >= SENTENCE_CJK_CHARS
    if row[_SEPARATORS] >= SEPARATORS_MAX or row[_LINKS] >= LINKED_MAX:
        return False
    words = _WORDS.finditer(text)
    starts = [m.start() for m in islice(words, SENTENCE_WORDS)]
    if len(starts) < SENTENCE_WORDS:
        return False
    cased = False  # a word after the first that starts with a letter of a cased script
    for at in chain(starts[1:], (m.start() for m in words)):
        first = text[at]
        if first.lower() != first.upper():
            if first.islower():
                return True
            cased = True
    return not cased


def _ends_sentence(text: str) -> bool:
    r"""What `[.!?…。！？]['"’”»)\]]*$` finds: a sentence end, then closing quotes or brackets only."""
    return ends_with(text, _ENDERS, _CLOSERS)


def _short_scores(blocks: list[Block], x: np.ndarray, p: np.ndarray, content: np.ndarray) -> np.ndarray:
    """The content scores of a short text's lines. A line no rule removed that is prose (a complete
    sentence, or `_prose_score`'s long line) scores 0.9. Any other line keeps the line model's score
    only where the model calls it content: the band just under (`segment.KEEP` to `THRESHOLD`), which
    a whole page's article keeps on the strength of the article around it, has no article around it
    in a few lines; nor has a row of parts between separators ("Home | News | Sport" between two
    sentences, a breadcrumb), which only the layout of a whole page could vouch for. A line a rule
    removed gets no lift:
    a second copy of a sentence (`repeat`) is taken back only when the model, which sees the copy,
    says content (segment.py)."""
    sentences = np.zeros(len(blocks), dtype=bool)
    for i in content.nonzero()[0].tolist():  # a few lines: not a row view of every removed line
        sentences[i] = _sentence(blocks[i].text, x[i])
    prose = sentences | (content & (_prose_score(x) > THRESHOLD))
    vouched = (p >= THRESHOLD) & (x[:, _SEPARATORS] == 0)
    return np.where(prose, np.maximum(p, 0.9), np.where(vouched, p, np.minimum(p, UNSURE)))


# On listing, collection, documentation and service pages the content is many short blocks (an item's
# name, price and date; a docs section's lines; a service's feature blurbs) of the kind the line model,
# trained on pages that are mostly articles, calls boilerplate. Out of fold it kept too few of them (on
# listings and collections a page's recall was 0.61 on average, its precision 0.72), so on these pages
# a line's log-odds of being content are raised by ITEM_PAGE_LIFT before the layout is read. Measured
# out of fold (5 site-grouped folds, `train_line_model.py`'s models), wcxb-dev: 0.818 -> 0.823 with
# listings and collections lifted (collection 0.590 -> 0.629, listing 0.582 -> 0.613), -> 0.827 with
# documentation and service pages too (0.863 -> 0.877, 0.789 -> 0.803); each step up in 4 of 5 folds;
# aeb-dev (0.928) and traf-dev (0.880 -> 0.879) held. A lift of 1.0 or 1.5 gained no more; on forum and
# product pages (whose short lines are mostly user cards, buttons and filters) it lost (0.817).
ITEM_PAGES = {"listing", "collection", "documentation", "service"}
ITEM_PAGE_LIFT = 0.5


def _lifted(p: np.ndarray, lift: float) -> np.ndarray:
    """`p` with its log-odds raised by `lift`."""
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return 1.0 / (1.0 + (1 - q) / q * np.exp(-lift))


def _page_title(blocks: list[Block]) -> str | None:
    """A flattened page starts with its <title> ("Headline - Site"); a feed item with its headline.
    A first line that is a sentence is no title."""
    if len(blocks) > 1 and len(blocks[0].text) <= 200 and blocks[0].text[-1:] not in ".!?…":
        return blocks[0].text
    return None


def clean_pages(pages: list[Page], templates: TemplateTable | None = None, model: TreeEnsemble | None = None,
                type_model: TreeEnsemble | None = None) -> list[Result]:
    """Clean many pages at once: each page's own evidence, then the line features and the line model
    over all their lines in one batch (per page, their numpy calls cost more than their work on a
    page of a few dozen lines), then each page's layout. A page's result is the one it gets alone.
    `model` and `type_model` replace the shipped line and page-type models (the benches score models
    trained out of fold)."""
    model = model or shipped_model()
    evidence = evidence_of_pages(pages, templates)
    x = features_many([lines for _, _, _, lines in evidence])
    p = model.predict(x) if model is not None else _prose_score(x)
    bounds = np.cumsum([0] + [len(page.blocks) for page in pages])
    kinds = _page_types(pages, evidence, x, p, bounds, model, type_model)
    bounds = bounds.tolist()
    results = [_cleaned(page, norms, reasons, found, lines, x[a:b], p[a:b], model, kind)
               for page, (norms, reasons, found, lines), a, b, kind in zip(pages, evidence, bounds, bounds[1:], kinds)]
    # The main article's language, for the batch in a row: fastText's tables stay in the cache, where
    # a call between two pages' layouts cost twice its time.
    for result in results:
        if result.articles and "language" not in result.meta:
            result.meta["language"] = language(result.articles[0].text)
    return results


def _short(reasons: list[str | None]) -> bool:
    """A text of a few lines once the line rules have spoken (see `_cleaned`)."""
    return reasons.count(None) <= SHORT_TEXT


def _page_types(pages: list[Page], evidence: list, x: np.ndarray, p: np.ndarray, bounds: np.ndarray,
                model: TreeEnsemble | None, type_model: TreeEnsemble | None) -> list[str | None]:
    """The page type each page is given (`page_type.page_types`, one call for the batch): none for a
    page whose caller gave its type, for a short text, or without the line model."""
    kinds: list[str | None] = [None] * len(pages)
    if model is None:
        return kinds
    typed = [k for k, (page, (_, reasons, _, _)) in enumerate(zip(pages, evidence))
             if page.blocks and "page_type" not in (page.meta or {}) and not _short(reasons)]
    if typed:
        counts = [evidence[k][3].counts for k in typed]
        rows = _rows_of(bounds, typed)
        found = page_types([c["texts"] for c in counts], x[rows], p[rows],
                           np.cumsum([0] + [len(pages[k].blocks) for k in typed]),
                           [pages[k].url for k in typed], [c["code"] for c in counts], type_model)
        for k, kind in zip(typed, found):
            kinds[k] = kind
    return kinds


def clean_blocks(blocks: list[Block], source: str, url: str | None = None, title: str | None = None,
                 templates: TemplateTable | None = None, model: TreeEnsemble | None = None,
                 removed: list[Span] | None = None, meta: dict | None = None,
                 type_model: TreeEnsemble | None = None) -> Result:
    """Clean one page's `blocks` (see `Page` and `clean_pages`)."""
    return clean_pages([Page(blocks, source, url, title, removed, meta)], templates, model, type_model)[0]


def _cleaned(page: Page, norms: list[str], reasons: list[str | None], found: list[dict | None],
             lines: LineEvidence, x: np.ndarray, p: np.ndarray, model: TreeEnsemble | None,
             guessed: str | None) -> Result:
    """A page's result from its evidence, features `x`, line-model scores `p` and the page type
    `_page_types` `guessed`: its articles, what was removed and why."""
    blocks, url, title = page.blocks, page.url, page.title
    content = np.array([r is None for r in reasons], dtype=bool)
    meta = dict(page.meta or {})
    short = _short(reasons)
    if guessed is not None:
        meta["page_type"] = guessed
    kind = meta.get("page_type")
    if kind in ITEM_PAGES and not short:
        p = _lifted(p, ITEM_PAGE_LIFT)
    if short:
        # The models saw whole pages. A text of a few lines once the line rules have spoken (a note, a
        # feed item, a sentence and its "Share this", an extractor's output) shows no layout: its page
        # type would be a guess from nothing (a lone sentence of news came out a `service` page), so
        # none is guessed (a type the caller gives still counts), and each line that is prose (a
        # complete sentence) counts as content whatever the line model says.
        articles, outside = find_articles(blocks, content, _short_scores(blocks, x, p, content), x,
                                          reasons, kind)
    else:
        articles, outside = find_articles(blocks, content, p, x, reasons, kind)
        if model is not None and content.any() and not articles:
            # A page the model finds no article in may be a clean one: then its prose counts as content.
            articles, outside = find_articles(blocks, content, np.maximum(p, _prose_score(x)), x, reasons, kind)

    spans = list(page.removed or [])
    spans += spans_of((blocks[i].start, blocks[i].end, reason, blocks[i].text)
                      for i, reason in enumerate(reasons) if reason is not None)
    spans += spans_of((blocks[i].start, blocks[i].end, reason, blocks[i].text) for i, reason in outside.items())
    spans.sort(key=Span.bounds)

    result_articles = []
    for art in articles:
        prov: dict = {}
        if url:
            prov["url"] = url
        for i in range(art.first, art.last + 1):
            if found[i]:
                merge(prov, found[i])
        text = collapsed_lines([blocks[i].text for i in art.lines])
        result_articles.append(Article(text=text, title=art.title, role=art.role, provenance=prov,
                                       normalized=_joined(norms[i] for i in art.lines)))
    # Provenance lines outside every article (a feed footer after the body) belong to the main one.
    if result_articles:
        inside = {i for art in articles for i in range(art.first, art.last + 1)}
        for i, f in enumerate(found):
            if f and i not in inside:
                merge(result_articles[0].provenance, f)
    if result_articles and not result_articles[0].title:
        result_articles[0].title = title
    return Result(articles=result_articles, removed=spans, meta=meta, source_normalized=_joined(norms))


def collapsed_lines(texts: list[str]) -> str:
    """The texts joined by line breaks, each with its runs of whitespace made one space and its ends
    stripped (in C when it is built)."""
    if core is not None:
        return core.collapsed_lines(texts)
    return "\n".join(" ".join(text.split()) for text in texts)


def _joined(norms) -> str:
    """`hashing.normalize` of lines joined by newlines (or spaces), from each line's `normalize`: line
    breaks and spaces are no word characters, so no word runs across two lines."""
    return " ".join(filter(None, norms))


def clean_text(text: str, url: str | None = None, title: str | None = None,
               templates: TemplateTable | None = None) -> Result:
    """Clean text whose HTML is gone (a flattened page, a feed item, a scraper's output)."""
    return clean_blocks(split_blocks(text), text, url=url, title=title, templates=templates)


def clean_texts(texts: list[str], urls: list[str | None], titles: list[str | None],
                templates: TemplateTable | None = None) -> list[Result]:
    """`clean_text` of many texts at once (`clean_pages`): the same results, a few dozen numpy calls
    a page fewer."""
    return clean_pages([Page(split_blocks(text), text, url, title) for text, url, title in zip(texts, urls, titles)],
                       templates)
