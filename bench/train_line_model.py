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
        counts.add(site_of(p.get("url")), [b.text for b in split_blocks(p["page_text"])])
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
    return y


def featurize(pages: list[dict]):
    table = templates_for(pages)
    rows, ys = [], []
    for p in pages:
        blocks = split_blocks(p["page_text"])
        _, _, x = analyse(blocks, p.get("url"), None, table)
        rows.append(x)
        ys.append(labels(blocks, p["body"]))
    return np.concatenate(rows), np.concatenate(ys), table


def fit(x: np.ndarray, y: np.ndarray) -> HistGradientBoostingClassifier:
    clf = HistGradientBoostingClassifier(max_iter=150, max_depth=6, learning_rate=0.1,
                                         l2_regularization=1.0, random_state=0)
    return clf.fit(x, y)


def score(pages: list[dict], model: TreeEnsemble, table, metric) -> tuple[float, float, float]:
    preds = [clean_blocks(split_blocks(p["page_text"]), p["page_text"], url=p.get("url"),
                          templates=table, model=model).text for p in pages]
    return metric(preds, [p["body"] for p in pages])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "tamis/clean/line_model.json")
    args = ap.parse_args()
    t0 = time.time()
    sets = {"aeb-dev": (load(args.data, "aeb-dev"), article_f1), "wcxb-dev": (load(args.data, "wcxb-dev"), word_f1)}
    feats = {name: featurize(pages) for name, (pages, _) in sets.items()}
    print(f"features in {time.time() - t0:.0f}s: " + ", ".join(f"{k} {len(v[1])} lines" for k, v in feats.items()))
    for held, other in (("aeb-dev", "wcxb-dev"), ("wcxb-dev", "aeb-dev")):
        model = TreeEnsemble.from_dict(export_sklearn(fit(feats[other][0], feats[other][1]), NAMES))
        pages, metric = sets[held]
        f, p, r = score(pages, model, feats[held][2], metric)
        print(f"held out {held} (trained on {other} only): F1 {f:.3f} P {p:.3f} R {r:.3f}")
    x = np.concatenate([v[0] for v in feats.values()])
    y = np.concatenate([v[1] for v in feats.values()])
    data = export_sklearn(fit(x, y), NAMES)
    args.out.write_text(json.dumps(data, separators=(",", ":")))
    model = TreeEnsemble.from_dict(data)
    for name, (pages, metric) in sets.items():
        f, p, r = score(pages, model, feats[name][2], metric)
        print(f"trained on both, scored on {name} (not held out): F1 {f:.3f} P {p:.3f} R {r:.3f}")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
