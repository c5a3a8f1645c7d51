"""Gradient-boosted tree ensembles trained by the bench scripts on the dev sets and shipped as JSON:
the line model (`line_model.json`, over `features.NAMES`: is this line content?) and the page-type
model (`page_type_model.json`, see `page_type.py`).

Inference is hand-written in numpy (no scikit-learn at run time): all trees are walked at once, one
vectorised step per tree level, so a page of 300 lines costs a few hundred microseconds."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

from ..native import core
from .features import NAMES

# One node as tamis/_core.c reads it.
NODE = np.dtype([("feature", "<i4"), ("threshold", "<f4"), ("left", "<i4"), ("right", "<i4")])


@dataclass(frozen=True)
class TreeEnsemble:
    baseline: np.ndarray    # (n_classes,) raw score before any tree
    roots: np.ndarray       # (n_trees,) index of each tree's root in the node arrays
    tree_class: np.ndarray  # (n_trees,) the class each tree adds to
    feature: np.ndarray     # per node; a leaf points to itself on both sides
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int
    n_features: int         # columns of the rows it reads

    def raw(self, x: np.ndarray) -> np.ndarray:
        """(rows, classes) raw scores."""
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"rows of {self.n_features} features expected, got shape {x.shape}")
        if core is not None:
            x = np.ascontiguousarray(x, dtype=np.float32)
            out = core.tree_raw(x, len(x), x.shape[1], *self._packed, self.depth, len(self.baseline))
            return np.frombuffer(out, dtype=np.float64).reshape(len(x), len(self.baseline))
        return self._raw_numpy(x)

    @cached_property
    def _packed(self) -> tuple[np.ndarray, ...]:
        """Nodes, leaf values, roots and tree classes in the layout tamis/_core.c walks."""
        n = len(self.feature)
        # tamis/_core.c trusts these indices: a corrupt model must fail here, not read out of bounds.
        if not (n and (self.feature >= 0).all() and (self.feature < self.n_features).all()
                and all(((a >= 0) & (a < n)).all() for a in (self.left, self.right, self.roots))
                and ((self.tree_class >= 0) & (self.tree_class < len(self.baseline))).all()):
            raise ValueError("tree ensemble has an index out of range")
        nodes = np.empty(n, dtype=NODE)
        nodes["feature"], nodes["threshold"] = self.feature, self.threshold
        nodes["left"], nodes["right"] = self.left, self.right
        # As bytes: handing numpy arrays (a structured one above all) to the C call costs more than
        # walking a page's trees.
        return (nodes.tobytes(), self.value.astype(np.float64).tobytes(), self.roots.astype(np.int32).tobytes(),
                self.tree_class.astype(np.int32).tobytes(), self.baseline.astype(np.float64).tobytes())

    def _raw_numpy(self, x: np.ndarray) -> np.ndarray:
        """The numpy twin of tamis/_core.c's tree_raw: all trees at once, one step per level."""
        flat = np.ascontiguousarray(x, dtype=np.float32).ravel()
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        row_offset = (np.arange(len(x), dtype=np.int64) * x.shape[1])[:, None]
        for _ in range(self.depth):
            values = flat.take(row_offset + self.feature.take(node))
            node = np.where(values <= self.threshold.take(node), self.left.take(node), self.right.take(node))
        leaves = self.value.take(node)
        if len(self.baseline) == 1:
            return self.baseline + leaves.sum(axis=1, keepdims=True)
        out = np.tile(self.baseline, (len(x), 1))
        for k in range(len(self.baseline)):
            out[:, k] += leaves[:, self.tree_class == k].sum(axis=1)
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Binary models: probability of the positive class for each row."""
        if len(x) == 0:
            return np.zeros(0, dtype=np.float32)
        return 1.0 / (1.0 + np.exp(-self.raw(x)[:, 0]))

    @classmethod
    def from_dict(cls, data: dict, names: list[str] = NAMES) -> "TreeEnsemble":
        if data["features"] != names:
            raise ValueError("model was trained on other features; retrain it")
        parts = {k: [] for k in ("feature", "threshold", "left", "right", "value", "leaf")}
        roots, classes, offset, depth = [], [], 0, 1
        for tree in data["trees"]:
            roots.append(offset)
            classes.append(tree.get("class", 0))
            for key in parts:
                column = np.asarray(tree[key])
                parts[key].append(column + offset if key in ("left", "right") else column)
            offset += len(tree["feature"])
            depth = max(depth, tree["depth"])
        leaf = np.concatenate(parts["leaf"]).astype(bool)
        itself = np.arange(len(leaf), dtype=np.int64)
        return cls(
            baseline=np.atleast_1d(np.asarray(data["baseline"], dtype=np.float64)),
            roots=np.asarray(roots, dtype=np.int64), tree_class=np.asarray(classes, dtype=np.int64),
            feature=np.where(leaf, 0, np.concatenate(parts["feature"])).astype(np.int64),
            threshold=np.concatenate(parts["threshold"]).astype(np.float32),
            left=np.where(leaf, itself, np.concatenate(parts["left"])).astype(np.int64),
            right=np.where(leaf, itself, np.concatenate(parts["right"])).astype(np.int64),
            value=np.concatenate(parts["value"]).astype(np.float64), depth=depth, n_features=len(names),
        )


def export_sklearn(clf, names: list[str]) -> dict:
    """A fitted HistGradientBoostingClassifier as the JSON this module reads (used by the trainers)."""
    trees = []
    for iteration in clf._predictors:
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes

            def depth(i: int) -> int:
                return 0 if nodes["is_leaf"][i] else 1 + max(depth(nodes["left"][i]), depth(nodes["right"][i]))
            trees.append({
                "class": k, "feature": nodes["feature_idx"].tolist(), "threshold": nodes["num_threshold"].tolist(),
                "left": nodes["left"].tolist(), "right": nodes["right"].tolist(),
                "value": nodes["value"].tolist(), "leaf": nodes["is_leaf"].astype(int).tolist(), "depth": depth(0),
            })
    return {"features": names, "baseline": clf._baseline_prediction.ravel().tolist(), "trees": trees}


def packaged(package: str, name: str, names: list[str] = NAMES) -> TreeEnsemble | None:
    """The ensemble the package `package` ships as `name`, over the features `names`, or None."""
    path = resources.files(package) / name
    if not path.is_file():
        return None
    return TreeEnsemble.from_dict(json.loads(path.read_text(encoding="utf-8")), names)


@lru_cache(maxsize=1)
def shipped_model() -> TreeEnsemble | None:
    """The line model shipped with the package, or None if it is missing (prose rules then decide)."""
    return packaged("tamis.clean", "line_model.json")
