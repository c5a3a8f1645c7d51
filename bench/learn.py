"""What every trainer and quality bench shares: the three dev sets with their fold of record, how each
set is weighed in training, the model fit, and the labels a gold gives a run of text.

- Folds (`folds.py`): 5, grouped by registered domain across all sets. Out of fold = a page scored by a
  model that saw no page of its site, in any set.
- Weights: a page weighs the same whatever its number of lines or blocks (the metrics are means over
  pages); how much each set weighs in all is `SET_POWER`'s choice, measured out of fold.
- Labels: aeb-dev and wcxb-dev have a gold body (a line is content when its 4-grams stand in it);
  traf-dev has only snippets that must or must not appear: a line holding part of a `with` snippet is
  content, of a `without` snippet boilerplate, and every other line is unlabelled (weight 0).
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from folds import FOLDS, fold_of

SETS = ("aeb-dev", "traf-dev", "wcxb-dev")
_W = re.compile(r"\w+")


def load_set(folder: Path) -> list[dict]:
    """The set's pages, each with its `set` name and its `fold` of record."""
    from bench_clean import load
    pages = load(folder)
    for p in pages:
        p["set"] = folder.name
        p["fold"] = fold_of(p.get("url"), p["id"])
    return pages


def read_html(folder: Path, pages: list[dict]) -> None:
    for p in pages:
        with gzip.open(folder / p["html"], "rb") as f:
            p["raw"] = f.read()


# A set's total weight grows as (its pages) ** SET_POWER: 0 weighs every set alike, 1 every page alike.
# Measured out of fold with the line model (aeb-dev / traf-dev / wcxb-dev): 0 gave 0.938 / 0.879 / 0.798
# (each aeb-dev page then weighs 15 wcxb-dev pages, and in sample ran 0.029 above out of fold on
# aeb-dev), 0.5 gave 0.932 / 0.882 / 0.812, 1 gave 0.928 / 0.880 / 0.818: the only one that holds
# every set against the model trained on aeb-dev and wcxb-dev alone (0.928 / 0.876 / 0.818).
SET_POWER = 1.0


def weights(sizes: list[int], sets: list[str]) -> np.ndarray:
    """Per row: 1/size of its page, times its set's factor (a set's total: its pages ** SET_POWER)."""
    sizes_a = np.asarray(sizes, dtype=np.float64)
    per_page = np.ones(len(sizes_a))
    names = np.asarray(sets)
    for name in set(sets):
        mask = names == name
        per_page[mask] = mask.sum() ** SET_POWER / mask.sum()
    per_page *= len(sizes_a) / per_page.sum()   # a page weighs 1 on average
    return np.repeat(per_page / np.maximum(sizes_a, 1), sizes_a.astype(int)) * max(sizes_a.mean(), 1)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, **params) -> HistGradientBoostingClassifier:
    keep = w > 0
    options = dict(max_iter=150, max_depth=6, learning_rate=0.1, l2_regularization=1.0, random_state=0)
    options.update(params)
    return HistGradientBoostingClassifier(**options).fit(x[keep], y[keep], sample_weight=w[keep])


def fit_pages(pages: list[dict], names: list[str], **params) -> dict:
    """A model fitted on the pages' rows `x`, labels `y` where `known`, weighed by `weights`, as the
    JSON `tamis.clean.model.TreeEnsemble.from_dict` reads."""
    from tamis.clean.model import export_sklearn
    x = np.concatenate([p["x"] for p in pages])
    y = np.concatenate([p["y"] for p in pages])
    known = np.concatenate([p["known"] for p in pages])
    w = weights([len(p["y"]) for p in pages], [p["set"] for p in pages]) * known
    return export_sklearn(fit(x, y, w, **params), names)


def body_labels(texts: list[str], body: str) -> np.ndarray:
    """1 where a line's words stand in the gold body (4-gram coverage >= 0.5; a short line: whole)."""
    tokens = _W.findall(body.lower())
    grams = {tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3)}
    body_lines = {" ".join(_W.findall(line.lower())) for line in body.splitlines()}
    joined = " " + " ".join(tokens) + " "
    y = np.zeros(len(texts), dtype=np.int8)
    for i, text in enumerate(texts):
        ws = _W.findall(text.lower())
        if len(ws) >= 4:
            g = [tuple(ws[j:j + 4]) for j in range(len(ws) - 3)]
            y[i] = sum(t in grams for t in g) / len(g) >= 0.5
        elif ws:
            line = " ".join(ws)
            y[i] = line in body_lines or (len(ws) >= 2 and f" {line} " in joined and len(line) > 12)
    return _copies_in_body(texts, y, joined)


def _copies_in_body(texts: list[str], y: np.ndarray, joined: str) -> np.ndarray:
    """A line repeated in the page is content only as many times as the body holds it (the metrics count
    words): of its copies, those amid other content lines keep the label, the rest are boilerplate
    (the page's <title> line and its headline, a product name in the breadcrumb and the heading)."""
    groups: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if y[i]:
            groups.setdefault(" ".join(_W.findall(text.lower())), []).append(i)
    for line, copies in groups.items():
        if len(copies) < 2:
            continue
        wanted = max(1, joined.count(f" {line} ")) if line else len(copies)
        if wanted >= len(copies):
            continue
        support = {i: int(y[max(i - 2, 0):i + 3].sum()) - int(y[i]) for i in copies}
        ranked = sorted(copies, key=lambda i: (-support[i], i))
        y[ranked[wanted:]] = 0
    return y


def snippet_labels(texts: list[str], with_: list[str], without: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(labels, known): the lines a `with` snippet touches are content, a `without` snippet's are not
    (a line touched by both is left unlabelled); the others are unknown. Whitespace normalised as the
    metric does."""
    norm = [" ".join(t.split()) for t in texts]
    starts = np.cumsum([0] + [len(t) + 1 for t in norm[:-1]]) if norm else np.zeros(0, int)
    joined = " ".join(norm)
    pos, neg = np.zeros(len(texts), bool), np.zeros(len(texts), bool)
    for snippets, mark in ((with_, pos), (without, neg)):
        for s in snippets:
            s = " ".join(s.split())
            at = joined.find(s) if s else -1
            while at >= 0:
                lo = np.searchsorted(starts, at, side="right") - 1
                hi = np.searchsorted(starts, at + len(s) - 1, side="right") - 1
                mark[lo:hi + 1] = True
                at = joined.find(s, at + 1)
    known = pos ^ neg
    return pos.astype(np.int8), known


def labels_for(page: dict, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(labels, known) of a page's lines or blocks from its set's gold."""
    if "body" in page:
        return body_labels(texts, page["body"]), np.ones(len(texts), bool)
    return snippet_labels(texts, page.get("with", []), page.get("without", []))


def cached(path: Path | None, make):
    """`make()`, pickled at `path` the first time and read from there after (None: no cache)."""
    import pickle
    if path is not None and path.exists():
        with open(path, "rb") as f:
            return pickle.load(f)
    value = make()
    if path is not None:
        with open(path, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    return value


def fold_models(pages: list[dict], train) -> list:
    """Each fold's model: `train(pages of the other folds)`."""
    return [train([p for p in pages if p["fold"] != f]) for f in range(FOLDS)]


def out_of_fold(pages: list[dict], train, predict, models: list | None = None) -> list[str]:
    """Each page's output from `predict(pages, model)` with its fold's model (`fold_models`, trained
    here unless given)."""
    preds = [""] * len(pages)
    for f, model in enumerate(models or fold_models(pages, train)):
        test = [i for i, p in enumerate(pages) if p["fold"] == f]
        for i, text in zip(test, predict([pages[i] for i in test], model)):
            preds[i] = text
    return preds


def leave_set_out(pages: list[dict], held: str, train, predict) -> list[str]:
    """The outputs for the pages of set `held`, from a model trained on the other sets only."""
    return predict([p for p in pages if p["set"] == held], train([p for p in pages if p["set"] != held]))


def report(pages: list[dict], preds: list[str], label: str) -> dict[str, float]:
    """Print and return each set's score (wcxb-dev also by page type)."""
    from bench_clean import score
    out = {}
    for name in dict.fromkeys(p["set"] for p in pages):
        idx = [i for i, p in enumerate(pages) if p["set"] == name]
        sub = [pages[i] for i in idx]
        metric, (f, p_, r) = score(sub, [preds[i] for i in idx])
        out[name] = f
        extra = ""
        if "page_type" in sub[0]:
            extra = "  " + " ".join(
                f"{k} {score([q for q in sub if q['page_type'] == k], [preds[i] for i in idx if pages[i]['page_type'] == k])[1][0]:.3f}"
                for k in sorted({q["page_type"] for q in sub}))
        print(f"{label:22} {name:9} {metric:11} F {f:.4f} P {p_:.3f} R {r:.3f}{extra}", flush=True)
    return out


def checks(pages: list[dict], train, predict, without_urls: bool = False) -> None:
    """The figures of record: out of fold, then each set left out. With `without_urls`, out of fold
    again on the pages given without their URL (text often comes without one: a scraper's output)."""
    models = fold_models(pages, train)
    report(pages, out_of_fold(pages, train, predict, models), "out of fold")
    if without_urls:
        report(pages, out_of_fold(pages, train, lambda part, model: predict([{**p, "url": None} for p in part], model),
                                  models), "out of fold, no URL")
    for held in SETS:
        report([p for p in pages if p["set"] == held], leave_set_out(pages, held, train, predict), f"without {held}")


__all__ = ["FOLDS", "SETS", "body_labels", "cached", "checks", "fit", "fit_pages", "fold_models", "labels_for", "leave_set_out", "load_set",
           "out_of_fold", "read_html", "report", "snippet_labels", "weights"]
