"""The learned line model: a gradient-boosted tree ensemble over `features.NAMES`, trained by
`bench/train_line_model.py` on the dev sets and shipped as `line_model.json`.

Inference is hand-written in numpy (no scikit-learn at run time): all trees are walked at once, one
vectorised step per tree level, so a page of 300 lines costs a few hundred microseconds."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from .features import NAMES


@dataclass(frozen=True)
class LineModel:
    baseline: float
    roots: np.ndarray       # (n_trees,) index of each tree's root in the node arrays
    feature: np.ndarray     # per node
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    depth: int

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability that each row (line) is content."""
        if len(x) == 0:
            return np.zeros(0, dtype=np.float32)
        flat = np.ascontiguousarray(x, dtype=np.float32).ravel()
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        row_offset = (np.arange(len(x), dtype=np.int64) * x.shape[1])[:, None]
        for _ in range(self.depth):
            values = flat.take(row_offset + self.feature.take(node))
            # A leaf points to itself on both sides, so walking past it changes nothing.
            node = np.where(values <= self.threshold.take(node), self.left.take(node), self.right.take(node))
        raw = self.baseline + self.value.take(node).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    @classmethod
    def from_dict(cls, data: dict) -> "LineModel":
        if data["features"] != NAMES:
            raise ValueError("line model was trained on other features; retrain it")
        parts = {k: [] for k in ("feature", "threshold", "left", "right", "value", "leaf")}
        roots, offset, depth = [], 0, 1
        for tree in data["trees"]:
            roots.append(offset)
            for key in parts:
                column = np.asarray(tree[key])
                if key in ("left", "right"):
                    column = column + offset
                parts[key].append(column)
            offset += len(tree["feature"])
            depth = max(depth, tree["depth"])
        leaf = np.concatenate(parts["leaf"]).astype(bool)
        itself = np.arange(len(leaf), dtype=np.int64)
        return cls(
            baseline=float(data["baseline"]), roots=np.asarray(roots, dtype=np.int64),
            feature=np.where(leaf, 0, np.concatenate(parts["feature"])).astype(np.int64),
            threshold=np.concatenate(parts["threshold"]).astype(np.float32),
            left=np.where(leaf, itself, np.concatenate(parts["left"])).astype(np.int64),
            right=np.where(leaf, itself, np.concatenate(parts["right"])).astype(np.int64),
            value=np.concatenate(parts["value"]).astype(np.float64),
            leaf=leaf, depth=depth,
        )


@lru_cache(maxsize=1)
def shipped_model() -> LineModel | None:
    """The model shipped with the package, or None if it is missing (the rules then decide alone)."""
    path = resources.files("tamis.clean") / "line_model.json"
    if not path.is_file():
        return None
    return LineModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
