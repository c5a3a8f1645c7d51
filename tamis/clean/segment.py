"""Segmentation: which runs of lines are articles, which is the main one, and what each is called.

An article is a run of lines whose content score adds up: the best-scoring run (maximum subarray over
`(p - THRESHOLD) * weight`, where p is the line model's probability and weight grows with the line's
length) is the main article, as in Finn et al.'s body-text extraction, but on learned scores. The
rest of the page is searched the same way for further articles (three other articles glued after the
main one by a "Latest" list); a run counts as an article only if it holds enough text
(`MIN_ARTICLE_WORDS`), so a teaser with one excerpt does not, and only after the main article, past
its end-of-article widget where one follows it (before that, a titled run is a section of the article).

Around that core, named rules for the shapes that fooled it: the run just under the page's headline is
the article even when its comment thread scores more (`_under_headline`); a run grows over the low-scored
lead and closing sentences at its edges (`_edges`); a second copy of a line that the model calls content
is taken back (`_repeats_taken_back`); on threads, listings, shops, docs and service pages the joined
runs form one region, posts and items are never split into articles of their own, and on threads and
listings the per-post "Reply"/"Share" buttons end nothing (`SPREAD_TYPES`, `THREAD_TYPES`, by the page
type the cleaner found).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from ..native import core
from .blocks import Block

THRESHOLD = 0.5          # a line's probability above which it adds to a run
KEEP = 0.35              # inside an article, a line below this probability is still removed
RULE_PENALTY = 1.0       # what a line removed by a rule costs a run
MIN_ARTICLE_WORDS = 150  # a secondary article holds at least this many words
TITLE_LOOKBACK = 8       # how far before an article's first line its title may stand
GAP = 8                  # this many non-content lines in a row end a section: no article spans them
SHORT_GAP = 3            # ... or this many, when one of them is an end-of-article widget (ENDERS)
ENDERS = {"boilerplate:comments", "boilerplate:donate", "boilerplate:share", "boilerplate:account"}
MERGE_SCORE = 2.0        # an untitled run scoring this much joins the main article...
MERGE_SCORE_SPREAD = 0.1  # ... or this much on pages whose content is spread out (every type but article)
# On these pages the content is spread out: the main article and every run that scores are one region
# (a thread's posts, a listing's items, a docs page's sections, a service page's blocks), a line between
# two runs counts as inside it, and none is split out as an article of its own. On a news article, what
# lies between the body and a joined run is mostly teasers and widgets, and a titled run after it is
# another story. Documentation and service pages were articles here until measured out of fold (5
# site-grouped folds, `train_line_model.py`'s models): as spread pages, wcxb-dev 0.8269 -> 0.8303 (up in
# all 5 folds; documentation 0.877 -> 0.882, service 0.803 -> 0.814), aeb-dev 0.9283 held, traf-dev
# 0.8792 -> 0.8793.
SPREAD_TYPES = {"forum", "listing", "collection", "product", "documentation", "service"}
THREAD_TYPES = {"forum", "listing"}  # each post or item carries its own "Reply", "Share": they end nothing
REPEAT_KEEP = 0.5        # a second copy of a line ("repeat") the model scores this high may be content
MAIN_SHARE = 0.7         # the main article is the first one scoring at least this share of the best
HEADLINE_SHARE = 0.3     # ... or the one just under the headline, scoring at least this share

EDGE_WORDS = 10         # a sentence this long next to an article's edge joins it (when the model allows)
TEASER_MIN_WORDS = 9     # a headline this long between two paragraphs is another story's teaser
TEASER_PARAGRAPH = 25    # ... when the paragraphs on both sides are at least this long
_END_CHARS = ".!?…:;,"  # a line that ends with one of these ends a clause: no title
_WORD = re.compile(r"\w+")


@dataclass
class ArticleLines:
    first: int
    last: int
    lines: list[int] = field(default_factory=list)
    title: str | None = None
    role: str = "main"


def _best_run(score: np.ndarray, lo: int, hi: int) -> tuple[float, int, int]:
    """Maximum-sum run of score[lo:hi] as (sum, first, last)."""
    best, best_first, best_last = 0.0, -1, -1
    run, first = 0.0, lo
    for i in range(lo, hi):
        if run <= 0:
            run, first = 0.0, i
        run += score[i]
        if run > best:
            best, best_first, best_last = run, first, i
    return best, best_first, best_last


def _runs(score: np.ndarray, lo: int, hi: int) -> list[tuple[float, int, int]]:
    """Every positive run of score[lo:hi]: the best one, then the best of what is left on each side,
    in page order. (A stack, not recursion: a page of alternating lines nests as deep as it has runs,
    past Python's recursion limit.)"""
    out: list[tuple[float, int, int]] = []
    stack: list[tuple[int, int] | tuple[float, int, int]] = [(lo, hi)]
    while stack:
        task = stack.pop()
        if len(task) == 3:
            out.append(task)
            continue
        a, b = task
        total, f, l = _best_run(score, a, b) if b > a else (0.0, -1, -1)
        if f >= 0:
            stack += [(l + 1, b), (total, f, l), (a, f)]  # popped: the left side, the run, the right side
    return out


def _page_runs(score: np.ndarray, weak: np.ndarray, enders: np.ndarray) -> list[tuple[float, int, int]]:
    """The positive runs of each section of the page, in page order (`_sections`, `_runs`; in C when
    it is built: these Python loops over every line were a quarter of the layout's time)."""
    if core is not None and score.dtype == np.float64 and weak.dtype == enders.dtype == bool:
        return core.article_runs(score.tobytes(), weak.tobytes(), enders.tobytes(), GAP, SHORT_GAP)
    return [run for lo, hi in _sections(weak, enders) for run in _runs(score, lo, hi)]


def _titled(text: str) -> bool:
    """Shaped like a title: 3 to 25 words, no sentence end."""
    # Words counted up to 26 only: the line tried is often a paragraph of hundreds.
    return not _ends_clause(text) and 3 <= sum(1 for _ in islice(_WORD.finditer(text), 26)) <= 25


def _ends_clause(text: str) -> bool:
    """The last character, or the one before a final line break, closes a clause: what the regex
    `[.!?…:;,]$` finds."""
    return ends_with(text, _END_CHARS)


def ends_with(text: str, enders: str, closers: str = "") -> bool:
    """What the regex `[enders][closers]*$` finds, read from the text's end, where the regex tries
    every position of a long text for its `$`: one of `enders`, then only `closers` (closing quotes,
    brackets), at the end or before a final line break (`$` matches there too)."""
    body = (text[:-1] if text.endswith("\n") else text).rstrip(closers)
    return body != "" and body[-1] in enders


def _title_before(blocks: list[Block], first: int, floor: int, content: np.ndarray,
                  x: np.ndarray | None = None) -> int | None:
    """The title-like line just before an article: short, not a sentence, not removed by a rule. Of
    several, the one repeating the page's <title>, else the nearest without a date (not the "Posted on
    14 July 2023 by Lena" line between the headline and the body), else the nearest."""
    window = range(first - 1, max(floor, first - TITLE_LOOKBACK) - 1, -1)
    if x is not None:  # a headline that repeats the <title> may end like a question ("What am I doing wrong?")
        heads = [i for i in window if content[i] and x[i, 17] > 0.5 and _titled(blocks[i].text.rstrip("?!"))]
        if heads:
            return heads[0]
    found = [i for i in window if content[i] and _titled(blocks[i].text)]
    if not found or x is None:
        return found[0] if found else None
    return next((i for i in found if not x[i, 21]), found[0])


def _sections(weak: np.ndarray, enders: np.ndarray) -> list[tuple[int, int]]:
    """Stretches of the page between gaps of GAP weak lines in a row (SHORT_GAP if the gap holds an
    end-of-article widget: "Leave a Reply", "Liked it? Support us", "Share this")."""
    n = len(weak)
    sections, lo, i = [], 0, 0
    while i < n:
        if not weak[i]:
            i += 1
            continue
        j = i
        while j < n and weak[j]:
            j += 1
        if j - i >= GAP or (j - i >= SHORT_GAP and enders[i:j].any()):
            sections.append((lo, i))
            lo = j
        i = j
    sections.append((lo, n))
    return [(a, b) for a, b in sections if b > a]


def _repeats_taken_back(content: np.ndarray, p: np.ndarray, reasons: list[str | None] | None) -> np.ndarray:
    """Second copies of a line ("repeat") that the model scores as content: a song's chorus, a table's
    rows ("BOOK NOW", "Free delivery"), a product list's repeated labels. The model sees the repeat
    (rule hit, count of copies) among its features and still says content; the article decides."""
    if not reasons or "repeat" not in reasons:
        return np.zeros(len(content), dtype=bool)
    rep = np.fromiter((r == "repeat" for r in reasons), dtype=bool, count=len(content))
    return rep & (p >= REPEAT_KEEP)


def find_articles(blocks: list[Block], content: np.ndarray, p: np.ndarray, x: np.ndarray,
                  reasons: list[str | None] | None = None, kind: str | None = None):
    """(articles, {line: reason} for the content lines outside every article).

    A `repeat` line the model scores as content counts as content here; when an article keeps it, its
    verdict in `reasons` is cleared (in place), so that the cleaner does not report it removed."""
    n = len(blocks)
    if n == 0:
        return [], {}
    taken_back = _repeats_taken_back(content, p, reasons)
    rule_content = content
    content = content | taken_back
    words = np.expm1(x[:, 0])
    weight = np.sqrt(np.maximum(words, 1.0))
    score = np.where(content, (p - THRESHOLD) * weight, -RULE_PENALTY)

    weak = ~content | (p < THRESHOLD)
    enders = (np.fromiter(map(ENDERS.__contains__, reasons), dtype=bool, count=n) if reasons
              else np.zeros(n, dtype=bool))
    found = _page_runs(score, weak, enders)
    if not found:
        return [], _reasons_outside(rule_content.nonzero()[0].tolist(), n, x)
    best = max(total for total, _, _ in found)
    under = None if kind in SPREAD_TYPES else _under_headline(found, x, best)
    main = under or next(r for r in found if r[0] >= MAIN_SHARE * best)
    # Not past an end-of-article widget ("Leave a Reply", "Share this"): what follows one is the
    # comments or the site's other stories.
    # On a thread every post has its "Reply" and "Share" buttons: there they end nothing.
    stops = enders[main[2] + 1:] if kind not in THREAD_TYPES else np.zeros(0, dtype=bool)
    end = main[2] + 1 + int(stops.argmax()) if stops.any() else n
    # A thread's answers, a listing's items are no articles of their own: on those pages every run
    # that scores is part of the main one (below), none is split out.
    # Another story stands after the main article, and past its end-of-article widget where the page
    # has one after it: a titled run before the main article, or between it and that widget, is a
    # section of the article (a list article's "2. Territory", "5. Nucamp: ..."; an intro the
    # headline rule took for the article), and joins it below like an untitled run. Out of fold the
    # line scores split such bodies more often than in sample (a subheading that is a repeat scores
    # 0.63 instead of 0.45 and becomes a title), so this helps out of fold a little more.
    # Measured (5 site-grouped folds, `train_line_model.py`'s models; aeb-dev / traf-dev / wcxb-dev):
    # out of fold 0.9283 / 0.8843 / 0.8314 -> 0.9282 / 0.8882 / 0.8364, in sample 0.9339 / 0.8834 /
    # 0.8467 -> 0.9338 / 0.8863 / 0.8511 (wcxb-dev gap 0.0153 -> 0.0147); out of fold wcxb-dev up in
    # all 5 folds, traf-dev in 4 of 5. Never splitting before a widget, even on pages with none after
    # the main article, gave 0.9284 / 0.8879 / 0.8377 and 0.9338 / 0.8861 / 0.8524, but would glue a
    # page's other stories to its main one when no widget parts them (the bench scores the main
    # article only): not taken.
    runs = [(main[1], main[2])] + [
        (f, l) for _, f, l in found
        if kind not in SPREAD_TYPES
        and f > main[2] and (end == n or f > end)
        and words[f:l + 1][content[f:l + 1]].sum() >= MIN_ARTICLE_WORDS
        and _title_before(blocks, f, 0, content, x) is not None
    ]

    # Runs that are no article of their own (no title: the other posts of a thread, the other items
    # of a listing) but score high join the main article.
    merge = MERGE_SCORE_SPREAD if kind in SPREAD_TYPES else MERGE_SCORE
    joined = [(f, l) for total, f, l in found if (f, l) not in runs and total >= merge and l < end]
    teasers = _teasers(blocks, content, words)
    articles, inside = [], set()
    prose = _edge_prose(content, p, x, words)
    for k, (f, l) in enumerate(runs):
        f, l = _edges(f, l, prose)
        span = range(f, l + 1)
        if k == 0 and joined and kind in SPREAD_TYPES:
            # A thread's posts, a listing's items: what lies between two of them (an author line, a
            # date, a price, a short reply) is judged as inside the article, not as a gap.
            span = range(min(f, *(a for a, _ in joined)), max(l, *(b for _, b in joined)) + 1)
        elif k == 0 and joined:
            span = sorted(set(span).union(*(range(a, b + 1) for a, b in joined)))
        # The run may open with the headline itself (the line repeating the page's <title>): that is
        # the article's title, not its first paragraph (unless it is all the run holds).
        head = f if _titled(blocks[f].text) and content[f] and x[f, 17] > 0.5 else None
        keep = [i for i in span if content[i] and p[i] >= KEEP and i not in teasers]
        if head is not None and len(keep) > 1 and keep[0] == head:
            keep = keep[1:]
        else:
            head = None
        if not keep:
            continue
        t = head if head is not None else _title_before(blocks, f, 0, content, x)
        art = ArticleLines(first=f if t is None else t, last=l, lines=keep,
                           title=None if t is None else blocks[t].text,
                           role="main" if k == 0 else "secondary")
        articles.append(art)
        inside.update(keep)
        if t is not None:
            inside.add(t)
    for i in taken_back.nonzero()[0]:
        if i in inside:
            reasons[i] = None
    main_first = articles[0].first if articles else n
    left = [i for i in rule_content.nonzero()[0].tolist() if i not in inside]
    return articles, _reasons_outside(left, main_first, x, teasers)


def _edge_prose(content: np.ndarray, p: np.ndarray, x: np.ndarray, words: np.ndarray) -> list[bool]:
    """The lines a run may grow over (`_edges`): content the model does not rule out, a sentence long."""
    return (content & (p >= KEEP) & (words >= EDGE_WORDS) & (x[:, 2] > 0)).tolist()


def _edges(f: int, l: int, prose: list[bool]):
    """An article's first and last paragraphs often score lower than its middle (a lead set apart by
    the layout, a closing line next to the footer): a run grows over the sentences on its edges that
    the model does not rule out (`prose`, from `_edge_prose`)."""
    while f > 0 and prose[f - 1]:
        f -= 1
    while l + 1 < len(prose) and prose[l + 1]:
        l += 1
    return f, l


def _under_headline(found: list[tuple[float, int, int]], x: np.ndarray, best: float):
    """The run that starts just under the page's headline (the line repeating the <title>), when it
    holds a fair share of the best run's score: the article, where a longer run further down is its
    comment thread or the site's other stories."""
    after = x[:, 18]
    heads = (after == 0).nonzero()[0]
    if len(heads) != 1 or not (after != 0).any():
        return None
    head = int(heads[0])
    for run in found:
        if head < run[1] <= head + TITLE_LOOKBACK and run[0] >= HEADLINE_SHARE * best:
            return run
    return None


def _teasers(blocks: list[Block], content: np.ndarray, words: np.ndarray) -> set[int]:
    """Headlines of other stories dropped between two paragraphs of an article ("The new Middle East: A
    North/South divide where Israel is losing its narrative" inside an article on Korea): a long,
    unpunctuated line whose nearest content neighbours on both sides are long paragraphs. A
    subheading is short; a teaser headline is a whole title."""
    long_lines = (content & (words >= TEASER_PARAGRAPH)).nonzero()[0]
    if len(long_lines) < 2:
        return set()
    candidates = (content & (words >= TEASER_MIN_WORDS) & (words < TEASER_PARAGRAPH)).nonzero()[0]
    if not len(candidates):
        return set()
    # the long paragraphs on either side of each candidate, and the content lines strictly between
    # them (ran[after - 1] - ran[before]; after > before): the candidate itself alone means nothing
    # else stands between the two paragraphs
    k = long_lines.searchsorted(candidates)
    inside = (k > 0) & (k < len(long_lines))
    before, after = long_lines[np.maximum(k - 1, 0)], long_lines[np.minimum(k, len(long_lines) - 1)]
    ran = content.cumsum()
    alone = inside & (ran[after - 1] - ran[before] == 1)
    found = set()
    for i in candidates[alone].tolist():
        text = blocks[i].text
        if not (_ends_clause(text) or text[:1].islower()):
            found.add(i)
    return found


def _reasons_outside(lines: list[int], main_first: int, x: np.ndarray,
                     teasers: frozenset[int] | set[int] = frozenset()) -> dict[int, str]:
    """The strongest evidence against each of `lines`, content lines the articles left out. (The
    feature columns are read once for the page: a numpy look-up per line cost more than the choice.)"""
    if not lines:
        return {}
    template = (x[:, 16] > 0).tolist()
    short = (x[:, 0].astype(np.float64) <= np.log1p(4)).tolist()  # 4 words or fewer (log1p of the count)
    near_hits = (x[:, 9] >= 0.3).tolist()
    out = {}
    for i in lines:
        if i in teasers:
            out[i] = "teaser"
        elif template[i]:
            out[i] = "template:site"
        elif short[i]:
            out[i] = "nav" if near_hits[i] else "short-line"
        else:
            out[i] = "before-article" if i < main_first else "after-article"
    return out
