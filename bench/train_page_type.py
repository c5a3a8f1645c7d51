"""Train the page-type model shipped as tamis/clean/page_type_model.json.

    python bench/train_page_type.py ../shared/data

Pages: wcxb-dev (seven types, its `page_type`) and aeb-dev (news: `article`). Features:
tamis.clean.page_type.page_features over the lines as the shipped line model scores them. Prints the
accuracy of 5-fold cross-validation grouped by site (no site in both train and test), then fits on all.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).parent))
from train_line_model import load  # noqa: E402

from tamis.clean import analyse, split_blocks  # noqa: E402
from tamis.clean.model import export_sklearn, shipped_model  # noqa: E402
from tamis.clean.page_type import NAMES, TYPES, page_features  # noqa: E402
from tamis.document import site_of  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "tamis/clean/page_type_model.json")
    args = ap.parse_args()
    line_model = shipped_model()
    pages = [dict(p, page_type="article") for p in load(args.data, "aeb-dev")] + load(args.data, "wcxb-dev")
    rows, labels, groups = [], [], []
    for p in pages:
        blocks = split_blocks(p["page_text"])
        _, _, x = analyse(blocks, p.get("url"))
        rows.append(page_features([b.text for b in blocks], x, line_model.predict(x), p.get("url")))
        labels.append(TYPES.index(p["page_type"]))
        groups.append(site_of(p.get("url")) or p["id"])
    x, y = np.array(rows), np.array(labels)

    def fit(xs, ys):
        return HistGradientBoostingClassifier(max_iter=80, max_depth=4, learning_rate=0.1, random_state=0).fit(xs, ys)

    pred = np.zeros(len(y), dtype=int)
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        pred[test] = fit(x[train], y[train]).predict(x[test])
    print(f"grouped 5-fold accuracy {np.mean(pred == y):.3f} over {len(y)} pages")
    for k, name in enumerate(TYPES):
        idx = y == k
        print(f"  {name:14} n={idx.sum():4d} recall {np.mean(pred[idx] == k):.3f}  "
              f"predicted as: {dict(Counter(TYPES[i] for i in pred[idx]).most_common(3))}")
    args.out.write_text(json.dumps(export_sklearn(fit(x, y), NAMES), separators=(",", ":")))
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
