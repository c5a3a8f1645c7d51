"""What kind of page a text is (article, forum, product, collection, listing, documentation, service),
from generic evidence: the shape of its content lines (as the line model scored them), prices, code,
dates, and the words of its URL path. A small tree ensemble trained by `bench/train_page_type.py` on
the dev sets and shipped as `page_type_model.json`; the type goes into the document's metadata."""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .model import TreeEnsemble, packaged

_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:[$€£¥₹]|EUR|USD|GBP|CHF)\b")
_CODE = re.compile(r"[{}();=<>\[\]]")
_URL_WORDS = {
    "forum": {"forum", "forums", "thread", "threads", "topic", "topics", "t", "questions", "community",
              "discussion", "discussions", "board", "boards", "viewtopic", "showthread"},
    "product": {"product", "products", "p", "dp", "item", "items", "buy", "sku"},
    "collection": {"collections", "collection", "category", "categories", "c", "catalog", "shop", "store"},
    "docs": {"docs", "doc", "documentation", "api", "reference", "guide", "guides", "manual", "wiki",
             "help", "tutorial", "tutorials", "learn", "kb", "faq"},
    "listing": {"news", "blog", "articles", "events", "tag", "tags", "search", "archive", "list"},
}
NAMES = ["log_lines", "content_share", "mean_p", "mean_words", "long_share", "sentence_share", "date_share",
         "digit_share", "bullet_share", "title_overlap", "runs", "price_share", "code_share", "url_depth",
         "url_date", "url_slug", *(f"url_{k}" for k in _URL_WORDS), "has_url"]
TYPES = ["article", "collection", "documentation", "forum", "listing", "product", "service"]


def page_features(texts: list[str], x: np.ndarray, p: np.ndarray, url: str | None,
                  code_chars: np.ndarray | None = None) -> np.ndarray:
    """One row of `NAMES` for a page, from its lines, their features and content probabilities.
    `code_chars`: per line, a count of characters that includes every one `_CODE` matches (the
    `code` column of `features._char_counts`); a line with fewer than 3 is not searched."""
    f = np.zeros(len(NAMES), dtype=np.float32)
    n = len(texts)
    if n == 0:
        return f
    content = p >= 0.5
    c = max(int(content.sum()), 1)
    words = np.expm1(x[:, 0])
    f[0] = np.log1p(n)
    f[1] = content.mean()
    f[2] = p.mean()
    f[3] = np.log1p(words[content].mean()) if content.any() else 0.0
    f[4] = (content & (words >= 15)).sum() / c
    f[5] = (content & (x[:, 2] > 0)).sum() / c
    f[6] = (content & (x[:, 21] > 0)).sum() / c
    f[7] = (content & (x[:, 4] > 0.1)).sum() / c
    f[8] = (content & (x[:, 19] > 0)).sum() / c
    f[9] = x[:, 17].max()
    f[10] = np.log1p(np.count_nonzero(np.diff(content.astype(np.int8)) == 1))
    # A line that holds a price holds it in the short lines joined too: one search over them joined
    # rules out the pages that name no price (most) before the line-by-line count.
    short = [t for t in texts if len(t) < 80]
    f[11] = sum(1 for t in short if _PRICE.search(t)) / n if _PRICE.search("\n".join(short)) else 0.0
    coded = texts if code_chars is None else [texts[i] for i in np.flatnonzero(code_chars >= 3).tolist()]
    f[12] = sum(1 for t in coded if len(_CODE.findall(t)) >= 3) / n
    path = (url or "").split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    parts = [s for s in path.lower().split("/")[1:] if s]
    f[13] = len(parts)
    f[14] = bool(re.search(r"/(19|20)\d\d/\d{1,2}/", path))
    f[15] = bool(parts) and parts[-1].count("-") >= 4
    tokens = {t for part in parts for t in re.split(r"[-_.]", part) if t}
    for k, words_k in enumerate(_URL_WORDS.values()):
        f[16 + k] = bool(tokens & words_k)
    # Without a URL the path features say nothing, which is not the same as a path of depth 0 (a
    # site's home page, most often a service page): the model is told which it is.
    f[-1] = url is not None and "://" in url
    return f


@lru_cache(maxsize=1)
def shipped_model() -> TreeEnsemble | None:
    return packaged("tamis.clean", "page_type_model.json", NAMES)


def page_type(texts: list[str], x: np.ndarray, p: np.ndarray, url: str | None,
              model: TreeEnsemble | None = None, code_chars: np.ndarray | None = None) -> str | None:
    """The most likely type; `model` replaces the shipped one (a bench's model trained out of fold).
    `code_chars`: see `page_features`."""
    model = model or shipped_model()
    if model is None or not texts:
        return None
    scores = model.raw(page_features(texts, x, p, url, code_chars)[None, :])[0]
    return TYPES[int(np.argmax(scores))]
