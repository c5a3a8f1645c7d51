"""The block model: the last word on each block of an HTML page, content or not.

The structural pass (`core.structure`: the locator and the named rules) and the line evidence
(`lines.py`) each give a block a verdict and a reason. Those verdicts are evidence, not decisions: a
small gradient-boosted model, trained across every dev set with folds grouped by site
(`bench/train_block_model.py`) and read from `block_model.json` when the package ships one, weighs
them beside the block's markup
(tag, depth, link density, place relative to the main run, page flags) and its text and neighbourhood
(the line cleaner's generic features, `tamis.clean.features`). What stays a hard decision is what the
markup makes certain: scripts, styles and hidden elements never become blocks, and a product page's
customer reviews go to their own document (rule `review`).

A block the model removes keeps the strongest evidence against it as its reason (the rule's or the line
evidence's), or `block-model` when no rule spoke against it; a block a rule removed and the model keeps
is content.

None ships today: out of fold (5 folds by registered domain, all dev sets) the model scored aeb-dev
0.9739, traf-dev 0.9428, wcxb-dev 0.8757 against the rules' 0.9755, 0.9462, 0.8843, so the rules decide
alone (`core.judged`). The trainer prints that comparison again whenever the rules change.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..clean.blocks import Block
from ..clean.features import NAMES as LINE_NAMES, _char_counts, features
from ..clean.model import TreeEnsemble, packaged

# Reason groups: the verdicts the model sees, one column each. A reason in no group counts as a removal
# of no known kind (column `removed`).
_GROUPS = {
    "outside": ("outside",),
    "nav": ("nav", "menu", "breadcrumb", "pagination"),
    "furniture": ("footer", "header", "page-footer", "small-footer", "copyright"),
    "aside": ("aside", "sidebar", "related", "related-section", "ad", "promo", "share",
              "newsletter", "popup", "cookie", "form", "tooltip", "offers", "carousel", "search"),
    "meta": ("meta", "author", "profile", "figcaption", "title", "tags", "date"),
    "comment": ("comment",),
    "link": ("link-dense",),
    "copy": ("duplicate", "repeated-run", "repeat", "doubled-label"),
    "boilerplate": ("boilerplate:",),
    "provenance": ("byline", "provenance:via", "credit", "post-number", "feed-footer", "counter"),
    "template": ("template:site",),
    "code": ("css", "script"),
}
_TAGS = {"li": 0, "td": 1, "th": 1, "dt": 1, "dd": 1, "pre": 2, "code": 2, "p": 3, "blockquote": 4,
         "figcaption": 5, "caption": 5}
MARKUP_NAMES = ["removed", *(f"why_{g}" for g in _GROUPS), "by_line_rule", "tag_li", "tag_cell", "tag_code",
                "tag_p", "tag_quote", "tag_caption", "depth", "run", "run_distance", "kept_share",
                "listing", "product", "thread", "kept_near"]
NAMES = [*LINE_NAMES, *MARKUP_NAMES]
KEEP = 0.5    # a block whose probability is at least this is content


@lru_cache(maxsize=None)
def _group_of(reason: str) -> int:
    """The column of `reason`'s group (-1: none); reasons are few, so each is looked up once."""
    for k, members in enumerate(_GROUPS.values()):
        for m in members:
            if reason == m or (m.endswith(":") and reason.startswith(m)):
                return k
    return -1


def block_features(blocks: list[Block], reasons: list[str | None], by_line: list[bool], title: str | None,
                   share: np.ndarray | None = None) -> np.ndarray:
    """One row of `NAMES` per block of a page, in page order. `reasons`: each block's reason to go (the
    structural pass's or the line evidence's) or None; `by_line`: the reason came from line evidence.
    Each block's hints carry `tag`, `link_density`, `depth`, `run` and `page` (from `core.page_blocks`)."""
    n = len(blocks)
    texts = [b.text for b in blocks]
    counts = _char_counts(texts)
    gone = np.array([r is not None for r in reasons], dtype=np.float32)
    seen: dict[str, int] = {}
    for t in texts:
        seen[t] = seen.get(t, 0) + 1
    repeats = np.fromiter((seen[t] for t in texts), dtype=np.float32, count=n)
    share = share if share is not None else np.zeros(n, np.float32)
    line = features(blocks, gone, repeats, share, title, counts)
    x = np.zeros((n, len(MARKUP_NAMES)), dtype=np.float32)
    x[:, 0] = gone
    base = 1
    for i, reason in enumerate(reasons):
        if reason is not None:
            k = _group_of(reason)
            if k >= 0:
                x[i, base + k] = 1.0
    col = base + len(_GROUPS)
    x[:, col] = by_line
    chars = np.array([len(t) for t in texts], dtype=np.float32)
    total = max(float(chars.sum()), 1.0)
    run = np.zeros(n, dtype=np.float32)
    for i, b in enumerate(blocks):
        h = b.hints
        k = _TAGS.get(h.get("tag"))
        if k is not None:
            x[i, col + 1 + k] = 1.0
        x[i, col + 7] = h.get("depth", 0)
        run[i] = h.get("run", 0)
    x[:, col + 7] = np.log1p(x[:, col + 7])
    x[:, col + 8] = run
    inside = np.flatnonzero(run == 0)
    if len(inside):
        lo, hi = inside[0], inside[-1]
        idx = np.arange(n)
        x[:, col + 9] = np.maximum(lo - idx, idx - hi).clip(0) / max(n, 1)
    x[:, col + 10] = float(chars[gone == 0].sum()) / total
    flags = blocks[0].hints.get("page", {}) if n else {}
    x[:, col + 11] = flags.get("listing", False)
    x[:, col + 12] = flags.get("product", False)
    x[:, col + 13] = flags.get("thread", False)
    kept = 1.0 - gone
    c = np.concatenate([[0.0], np.cumsum(kept)])
    i = np.arange(n)
    x[:, col + 14] = (c[np.minimum(i + 3, n)] - c[np.maximum(i - 2, 0)] - kept) / 4.0
    return np.hstack([line, x])


@lru_cache(maxsize=1)
def shipped_model() -> TreeEnsemble | None:
    """The block model shipped with the package, or None (the rules then decide alone)."""
    return packaged("tamis.extract", "block_model.json", NAMES)
