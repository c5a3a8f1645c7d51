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
_CURRENCIES = ("$", "€", "£", "¥", "₹", "EUR", "USD", "GBP", "CHF")  # one of these is in every _PRICE match
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
    return page_features_many([texts], x, p, np.array([0, len(texts)]), [url], [code_chars])[0]


def page_features_many(texts: list[list[str]], x: np.ndarray, p: np.ndarray, bounds: np.ndarray,
                       urls: list[str | None], code_chars: list[np.ndarray | None]) -> np.ndarray:
    """`page_features` of many pages at once: page k's lines are `texts[k]`, rows bounds[k]:bounds[k + 1]
    of `x` and `p`. The shape columns are read over all pages' rows in one pass (per page, a dozen
    numpy calls on a few dozen rows cost more than their work); each page's row has the bits it gets
    alone."""
    f = np.zeros((len(texts), len(NAMES)), dtype=np.float32)
    bounds = np.asarray(bounds, dtype=np.int64)
    lines = np.diff(bounds)
    full = np.flatnonzero(lines > 0)
    if full.size == 0:
        return f
    at, n = bounds[full], lines[full]
    content = p >= 0.5

    def counted(mask: np.ndarray) -> np.ndarray:
        return np.add.reduceat(mask.astype(np.int64), at)

    count = counted(content)
    c = np.maximum(count, 1)
    words = np.expm1(x[:, 0])
    f[full, 0] = np.log1p(n)
    f[full, 1] = count / n
    # The means page by page: numpy sums a slice pairwise, and a sum over segments (`reduceat`) runs
    # in order, which moved float32's last bit on 21 of 1,933 dev pages.
    kept, first = words[content], 0
    for k, a, m, some in zip(full.tolist(), at.tolist(), n.tolist(), count.tolist()):
        f[k, 2] = p[a:a + m].mean()
        f[k, 3] = np.log1p(kept[first:first + some].mean()) if some else 0.0
        first += some
    f[full, 4] = counted(content & (words >= 15)) / c
    f[full, 5] = counted(content & (x[:, 2] > 0)) / c
    f[full, 6] = counted(content & (x[:, 21] > 0)) / c
    f[full, 7] = counted(content & (x[:, 4] > 0.1)) / c
    f[full, 8] = counted(content & (x[:, 19] > 0)) / c
    f[full, 9] = np.maximum.reduceat(x[:, 17], at)
    # Runs of content: a content line after a line that is not, within the page.
    rises = np.zeros(len(content), dtype=bool)
    rises[1:] = content[1:] & ~content[:-1]
    rises[at] = False
    f[full, 10] = np.log1p(counted(rises))
    for k in full.tolist():
        f[k, 11:] = _page_words(texts[k], urls[k], code_chars[k])
    return f


def _page_words(texts: list[str], url: str | None, code_chars: np.ndarray | None) -> list[float]:
    """A page's columns from its words and URL: `NAMES[11:]`."""
    n = len(texts)
    # A price names a currency: the short lines joined are searched for one (a scan for a few
    # strings, where the regex tries each digit), which rules out the pages that name none (most).
    short = [t for t in texts if len(t) < 80]
    joined = "\n".join(short)
    named = any(currency in joined for currency in _CURRENCIES)
    price = sum(1 for t in short if _PRICE.search(t)) / n if named and _PRICE.search(joined) else 0.0
    coded = texts if code_chars is None else [texts[i] for i in (code_chars >= 3).nonzero()[0].tolist()]
    code = sum(1 for t in coded if len(_CODE.findall(t)) >= 3) / n
    path = (url or "").split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    parts = [s for s in path.lower().split("/")[1:] if s]
    tokens = {t for part in parts for t in re.split(r"[-_.]", part) if t}
    return [price, code, len(parts), bool(re.search(r"/(19|20)\d\d/\d{1,2}/", path)),
            bool(parts) and parts[-1].count("-") >= 4, *(bool(tokens & words_k) for words_k in _URL_WORDS.values()),
            # Without a URL the path features say nothing, which is not the same as a path of depth 0
            # (a site's home page, most often a service page): the model is told which it is.
            url is not None and "://" in url]


@lru_cache(maxsize=1)
def shipped_model() -> TreeEnsemble | None:
    return packaged("tamis.clean", "page_type_model.json", NAMES)


def page_types(texts: list[list[str]], x: np.ndarray, p: np.ndarray, bounds: np.ndarray,
               urls: list[str | None], code_chars: list[np.ndarray | None],
               model: TreeEnsemble | None = None) -> list[str | None]:
    """The most likely type of each page (see `page_features_many`), None for a page without lines;
    `model` replaces the shipped one (a bench's model trained out of fold)."""
    model = model or shipped_model()
    if model is None or not texts:
        return [None] * len(texts)
    kinds = np.argmax(model.raw(page_features_many(texts, x, p, bounds, urls, code_chars)), axis=1).tolist()
    return [TYPES[k] if page else None for k, page in zip(kinds, texts)]
