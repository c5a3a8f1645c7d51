"""Train the line model shipped as tamis/clean/line_model.json.

    python bench/train_line_model.py ../shared/data [--out tamis/clean/line_model.json]

Labels: a line of `page_text` is content when its words stand in the gold body (aeb-dev `body`,
wcxb-dev `body`). (Adding each gold body as an all-content document, to teach the model that clean
text is content, cost 0.01 F1 on aeb-dev: short clean texts are handled by the cleaner's fallback.) Features: tamis.clean.features (generic; no site, no language). Model: scikit-learn's
HistGradientBoostingClassifier, exported tree by tree to JSON and run at inference by tamis's own numpy
code. Before training the shipped model on both sets, it prints each set scored by a model trained on
the other one only: the honest, held-out figure.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import zlib
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

sys.path.insert(0, str(Path(__file__).parent))
from metrics import article_f1, word_f1  # noqa: E402

from tamis.clean import TemplateCounts, analyse, clean_blocks, split_blocks  # noqa: E402
from tamis.clean.features import NAMES  # noqa: E402
from tamis.clean.model import TreeEnsemble, export_sklearn  # noqa: E402
from tamis.document import site_of  # noqa: E402

_W = re.compile(r"\w+")


def load(data: Path, name: str) -> list[dict]:
    path = data / name / ("pages.jsonl" if name == "aeb-dev" else "pages.jsonl.gz")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def templates_for(pages: list[dict]):
    counts = TemplateCounts()
    for p in pages:
        counts.add(site_of(p.get("url")), [b.text for b in split_blocks(p["page_text"])],
                   p.get("url"))
    return counts.table()


def labels(blocks, body: str) -> np.ndarray:
    tokens = _W.findall(body.lower())
    grams = {tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3)}
    body_lines = {" ".join(_W.findall(line.lower())) for line in body.splitlines()}
    joined = " " + " ".join(tokens) + " "
    y = np.zeros(len(blocks), dtype=np.int8)
    for i, b in enumerate(blocks):
        ws = _W.findall(b.text.lower())
        if len(ws) >= 4:
            g = [tuple(ws[j:j + 4]) for j in range(len(ws) - 3)]
            y[i] = sum(t in grams for t in g) / len(g) >= 0.5
        elif ws:
            line = " ".join(ws)
            y[i] = line in body_lines or (len(ws) >= 2 and f" {line} " in joined and len(line) > 12)
    return _copies_in_body(blocks, y, joined)


def _copies_in_body(blocks, y: np.ndarray, joined: str) -> np.ndarray:
    """A line repeated in the page is content only as many times as the body holds it (the metrics count
    words): of its copies, those amid other content lines keep the label, the rest are boilerplate
    (the page's <title> line and its headline, a product name in the breadcrumb and the heading)."""
    groups: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        if y[i]:
            groups.setdefault(" ".join(_W.findall(b.text.lower())), []).append(i)
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


def featurize(pages: list[dict]):
    """(features, labels, the set's template table, lines per page)."""
    table = templates_for(pages)
    rows, ys = [], []
    for p in pages:
        blocks = split_blocks(p["page_text"])
        _, _, x = analyse(blocks, p.get("url"), None, table)
        rows.append(x)
        ys.append(labels(blocks, p["body"]))
    return np.concatenate(rows), np.concatenate(ys), table, np.array([len(y) for y in ys])


def page_weights(sizes: np.ndarray) -> np.ndarray:
    """Each page weighs the same in training, whatever its number of lines, as in the metrics (means
    over pages): a shop page of 2,000 menu lines no longer outweighs forty short articles. Lines of an
    average page weigh 1. (Measured: +0.009 F1 on wcxb-dev by site folds, +0.006 on aeb-dev held out.)"""
    return np.repeat(1.0 / sizes, sizes) * sizes.mean()


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> HistGradientBoostingClassifier:
    clf = HistGradientBoostingClassifier(max_iter=150, max_depth=6, learning_rate=0.1,
                                         l2_regularization=1.0, random_state=0)
    return clf.fit(x, y, sample_weight=w)


def predict(pages: list[dict], model: TreeEnsemble, table) -> list[str]:
    return [clean_blocks(split_blocks(p["page_text"]), p["page_text"], url=p.get("url"),
                         templates=table, model=model).text for p in pages]


def score(pages: list[dict], model: TreeEnsemble, table, metric) -> tuple[float, float, float]:
    return metric(predict(pages, model, table), [p["body"] for p in pages])


def site_folds(pages: list[dict], k: int) -> np.ndarray:
    """A fold per page, by site: no site is in two folds (its template would leak)."""
    return np.array([zlib.crc32((site_of(p.get("url")) or "").encode()) % k for p in pages])


def cross_validate(sets: dict, feats: dict, k: int) -> None:
    """wcxb-dev scored by models trained on aeb-dev and the other folds of wcxb-dev (by site): the
    honest figure for the page types only wcxb-dev has."""
    pages, metric = sets["wcxb-dev"]
    x, y, table, sizes = feats["wcxb-dev"]
    ax, ay, _, asizes = feats["aeb-dev"]
    w, aw = page_weights(sizes), page_weights(asizes)
    fold = site_folds(pages, k)
    line_fold = np.repeat(fold, sizes)
    preds = [""] * len(pages)
    for f in range(k):
        train = line_fold != f
        model = TreeEnsemble.from_dict(export_sklearn(
            fit(np.concatenate([ax, x[train]]), np.concatenate([ay, y[train]]), np.concatenate([aw, w[train]])),
            NAMES))
        idx = np.flatnonzero(fold == f)
        for i, text in zip(idx, predict([pages[i] for i in idx], model, table)):
            preds[i] = text
    f1, p, r = metric(preds, [q["body"] for q in pages])
    print(f"held out wcxb-dev, {k} folds by site (each trained on aeb-dev + the other folds): "
          f"F1 {f1:.3f} P {p:.3f} R {r:.3f}")
    kinds = sorted({q["page_type"] for q in pages})
    print("  " + ", ".join(
        f"{kind} {metric([preds[i] for i, q in enumerate(pages) if q['page_type'] == kind], [q['body'] for q in pages if q['page_type'] == kind])[0]:.3f}"
        for kind in kinds))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "tamis/clean/line_model.json")
    ap.add_argument("--folds", type=int, default=2, help="site folds for the wcxb-dev held-out check (0: skip)")
    args = ap.parse_args()
    t0 = time.time()
    sets = {"aeb-dev": (load(args.data, "aeb-dev"), article_f1), "wcxb-dev": (load(args.data, "wcxb-dev"), word_f1)}
    feats = {name: featurize(pages) for name, (pages, _) in sets.items()}
    print(f"features in {time.time() - t0:.0f}s: " + ", ".join(f"{k} {len(v[1])} lines" for k, v in feats.items()))
    for held, other in (("aeb-dev", "wcxb-dev"), ("wcxb-dev", "aeb-dev")):
        model = TreeEnsemble.from_dict(export_sklearn(
            fit(feats[other][0], feats[other][1], page_weights(feats[other][3])), NAMES))
        pages, metric = sets[held]
        f, p, r = score(pages, model, feats[held][2], metric)
        print(f"held out {held} (trained on {other} only): F1 {f:.3f} P {p:.3f} R {r:.3f}")
    if args.folds > 1:
        cross_validate(sets, feats, args.folds)
    x = np.concatenate([v[0] for v in feats.values()])
    y = np.concatenate([v[1] for v in feats.values()])
    w = np.concatenate([page_weights(v[3]) for v in feats.values()])
    data = export_sklearn(fit(x, y, w), NAMES)
    args.out.write_text(json.dumps(data, separators=(",", ":")))
    model = TreeEnsemble.from_dict(data)
    for name, (pages, metric) in sets.items():
        f, p, r = score(pages, model, feats[name][2], metric)
        print(f"trained on both, scored on {name} (not held out): F1 {f:.3f} P {p:.3f} R {r:.3f}")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
