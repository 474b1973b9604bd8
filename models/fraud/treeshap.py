"""LightGBM's exact SHAP values (`pred_contrib`), for a whole batch in a few numpy passes.

Path-dependent TreeSHAP gives each leaf's share of a feature's value from two things only: the training
share of each feature's branch on the path to the leaf (`z`, from the node counts), and whether the claim
follows every split on that feature (`o`). With trees of depth 4 a path has at most 4 features, so each
leaf's shares are tabled once for the 16 patterns of `o`; a batch then costs one comparison per node and
claim and one table look-up per leaf and claim, where `pred_contrib` walks every path for every claim.
It follows LightGBM's own split rules (missing values, categories) and reads the same node counts, so it
gives the same values, summed in another order.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import factorial
from typing import Any

import lightgbm as lgb
import numpy as np

MAX_PATH_FEATURES = 6  # tables of 2**k patterns per leaf, k packed into a byte; deeper trees: pred_contrib
ZERO = 1e-35  # LightGBM's kZeroThreshold: what a "zero" missing value means


@dataclass(frozen=True)
class Leaf:
    value: float
    features: list[int]
    zero: list[float]  # the training share of each feature's branches on the path
    nodes: list[list[tuple[int, bool]]]  # each feature's splits on the path: (node, went left)


def _shares(leaf: Leaf, pattern: int) -> list[float]:
    """Each path feature's share of the leaf value when the claim follows the features whose bits are set."""
    k, on = len(leaf.features), [bool(pattern >> s & 1) for s in range(len(leaf.features))]
    shares = []
    for j in range(k):
        others, total = [m for m in range(k) if m != j], 0.0
        for size in range(k):
            weight = factorial(size) * factorial(k - 1 - size) / factorial(k)
            for known in combinations(others, size):
                if all(on[m] for m in known):
                    total += weight * float(np.prod([leaf.zero[m] for m in others if m not in known]))
        shares.append(leaf.value * ((1.0 if on[j] else 0.0) - leaf.zero[j]) * total)
    return shares


class BatchTreeShap:
    """The SHAP values of a booster's features (without the base value) for rows of its input matrix."""

    def __init__(self, booster: lgb.Booster) -> None:
        self.nodes: list[dict[str, Any]] = []
        leaves: list[Leaf] = []
        for tree in booster.dump_model()["tree_info"]:
            self._walk(tree["tree_structure"], [], leaves)
        self.width = max((len(leaf.features) for leaf in leaves), default=0)
        self.usable = self.width <= MAX_PATH_FEATURES
        if self.usable:
            self._table(leaves, booster.num_feature())

    def _walk(self, node: dict[str, Any], path: list[tuple[int, int, bool, float]], leaves: list[Leaf]) -> None:
        if "leaf_index" in node:
            order: list[int] = []
            zero: dict[int, float] = {}
            splits: dict[int, list[tuple[int, bool]]] = {}
            for index, feature, left, share in path:
                if feature not in splits:
                    order.append(feature)
                    splits[feature], zero[feature] = [], 1.0
                splits[feature].append((index, left))
                zero[feature] *= share
            leaves.append(Leaf(node["leaf_value"], order, [zero[f] for f in order], [splits[f] for f in order]))
            return
        index, count = len(self.nodes), node["internal_count"]
        self.nodes.append(node)
        for child, left in ((node["left_child"], True), (node["right_child"], False)):
            share = (child.get("internal_count", child.get("leaf_count")) or 0) / count if count else 0.0
            self._walk(child, [*path, (index, node["split_feature"], left, share)], leaves)

    def _table(self, leaves: list[Leaf], features: int) -> None:
        """Node arrays for the split rules, each leaf's path constraints, its shares per pattern, where they go."""
        nodes, width = self.nodes, self.width
        categorical = np.array([n["decision_type"] == "==" for n in nodes], dtype=bool)
        self.numeric_nodes, self.categorical_nodes = np.flatnonzero(~categorical), np.flatnonzero(categorical)
        numeric = [nodes[i] for i in self.numeric_nodes]
        self.numeric_feature = np.array([n["split_feature"] for n in numeric], dtype=np.intp)
        self.threshold = np.array([float(n["threshold"]) for n in numeric])
        self.default_left = np.array([bool(n["default_left"]) for n in numeric])
        self.missing_nan = np.array([n["missing_type"] == "NaN" for n in numeric])
        self.missing_zero = np.array([n["missing_type"] == "Zero" for n in numeric])
        self.categorical_feature = np.array([nodes[i]["split_feature"] for i in self.categorical_nodes], dtype=np.intp)
        sets = [[int(c) for c in str(nodes[i]["threshold"]).split("||")] for i in self.categorical_nodes]
        self.categories = np.zeros((len(sets), max((max(s) for s in sets), default=0) + 1), dtype=bool)
        for i, members in enumerate(sets):
            self.categories[i, members] = True
        depth = max((len(split) for leaf in leaves for split in leaf.nodes), default=1)
        never = len(nodes)  # an extra column of the decisions, always true: asked to go right, never followed
        self.path_node = np.full((len(leaves), width, depth), never, dtype=np.intp)
        self.path_left = np.ones((len(leaves), width, depth), dtype=bool)
        self.shares = np.zeros((len(leaves) * 2**width, width))
        slots: list[tuple[int, int]] = []  # (feature, column of the rows' shares)
        for i, leaf in enumerate(leaves):
            for s, (feature, splits) in enumerate(zip(leaf.features, leaf.nodes, strict=True)):
                self.path_node[i, s, : len(splits)] = [node for node, _ in splits]
                self.path_left[i, s, : len(splits)] = [left for _, left in splits]
                slots.append((feature, i * width + s))
            self.path_left[i, len(leaf.features) :, 0] = False
            for pattern in range(2 ** len(leaf.features)):
                self.shares[i * 2**width + pattern, : len(leaf.features)] = _shares(leaf, pattern)
        slots.sort()
        self.columns = np.array([column for _, column in slots], dtype=np.intp)
        grouped = [f for f, _ in slots]
        self.starts = np.array([k for k, f in enumerate(grouped) if k == 0 or grouped[k - 1] != f], dtype=np.intp)
        self.features_out, self.features = np.array([grouped[k] for k in self.starts], dtype=np.intp), features
        self.leaf_rows = np.arange(len(leaves)) * 2**width

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        """SHAP values, rows by features, of the rows of `matrix` (as `FeatureSpec.matrix` builds them)."""
        left = np.ones((len(matrix), len(self.nodes) + 1), dtype=bool)
        left[:, self.numeric_nodes] = self._numeric(matrix[:, self.numeric_feature])
        left[:, self.categorical_nodes] = self._categorical(matrix[:, self.categorical_feature])
        on = (left[:, self.path_node] == self.path_left).all(axis=-1)  # rows, leaves, path features
        patterns = np.packbits(on, axis=-1, bitorder="little")[..., 0]  # bit s: follows path feature s
        shares = self.shares[self.leaf_rows + patterns].reshape(len(matrix), -1)  # rows, leaves x path features
        result = np.zeros((len(matrix), self.features))
        if len(self.columns):
            result[:, self.features_out] = np.add.reduceat(shares[:, self.columns], self.starts, axis=1)
        return result

    def _numeric(self, values: np.ndarray) -> np.ndarray:
        """Whether each row goes left at each numeric node: LightGBM's rule, missing values and zero included."""
        missing = np.isnan(values)
        numbers = np.where(missing & ~self.missing_nan, 0.0, values)
        by_default = (self.missing_zero & (np.abs(numbers) <= ZERO)) | (self.missing_nan & missing)
        with np.errstate(invalid="ignore"):
            below: np.ndarray = numbers <= self.threshold
        decided: np.ndarray = np.where(by_default, self.default_left, below)
        return decided

    def _categorical(self, values: np.ndarray) -> np.ndarray:
        """Whether each row goes left at each categorical node: its category is in the node's set (missing: right)."""
        codes = np.nan_to_num(values, nan=-1.0).astype(np.intp)
        known = (codes >= 0) & (codes < self.categories.shape[1])
        return self.categories[np.arange(len(self.categories)), np.where(known, codes, 0)] & known
