"""The dev sets' own metrics (see the data README): one function each, no dependencies.

- `article_f1`: the article-extraction-benchmark metric (token 4-gram multisets; P and R averaged over
  pages, F1 from the two averages).
- `word_f1`: the WCXB metric (bag of lowercased words; mean of per-page F1, P and R).
- `snippet_prf`: trafilatura's snippet metric (`with`/`without` snippets found; totals over pages).
"""
from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str, n: int = 4) -> Counter:
    # As the benchmark's evaluate.py: a text shorter than n tokens gives one shingle of all its tokens.
    tokens = _TOKEN.findall(text or "")
    return Counter(" ".join(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def page_pr(pred: str, true: str) -> tuple[float, float]:
    """Precision and recall of one page on token 4-gram multisets."""
    t, p = _shingles(true), _shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    precision = 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))
    recall = 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))
    return precision, recall


def article_f1(pred_texts, true_texts) -> tuple[float, float, float]:
    """(f1, precision, recall): P and R averaged over pages, F1 from the averages."""
    prs = [page_pr(p, t) for p, t in zip(pred_texts, true_texts, strict=True)]
    if not prs:
        return 0.0, 0.0, 0.0
    p = sum(x for x, _ in prs) / len(prs)
    r = sum(y for _, y in prs) / len(prs)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def page_word_prf(pred: str, true: str) -> tuple[float, float, float]:
    """(f1, precision, recall) of one page on bags of lowercased words (WCXB)."""
    t = Counter(w.lower() for w in _TOKEN.findall(true or ""))
    p = Counter(w.lower() for w in _TOKEN.findall(pred or ""))
    if not t and not p:
        return 1.0, 1.0, 1.0
    if not t or not p:
        return 0.0, 0.0, 0.0
    tp = sum((t & p).values())
    precision, recall = tp / sum(p.values()), tp / sum(t.values())
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return f1, precision, recall


def word_f1(pred_texts, true_texts) -> tuple[float, float, float]:
    """(f1, precision, recall): means of the per-page values."""
    rows = [page_word_prf(p, t) for p, t in zip(pred_texts, true_texts, strict=True)]
    if not rows:
        return 0.0, 0.0, 0.0
    return tuple(sum(r[i] for r in rows) / len(rows) for i in range(3))


def _norm_ws(text: str) -> str:
    return " ".join((text or "").split())


def snippet_counts(pred: str, with_: list[str], without: list[str]) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) of one page: `with` snippets found / missing, `without` found / absent."""
    out = _norm_ws(pred)
    found_with = sum(1 for s in with_ if _norm_ws(s) in out)
    found_without = sum(1 for s in without if _norm_ws(s) in out)
    return found_with, len(with_) - found_with, found_without, len(without) - found_without


def snippet_prf(pred_texts, withs, withouts) -> tuple[float, float, float]:
    """(f, precision, recall) on the totals over all pages."""
    tp = fn = fp = 0
    for pred, w, wo in zip(pred_texts, withs, withouts, strict=True):
        a, b, c, _ = snippet_counts(pred, w, wo)
        tp, fn, fp = tp + a, fn + b, fp + c
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return (2 * precision * recall / (precision + recall) if precision + recall else 0.0), precision, recall
