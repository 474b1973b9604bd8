"""LightGBM's exact SHAP values (`pred_contrib`) for a batch, from per-leaf tables walked by one compiled loop.

Path-dependent TreeSHAP gives each leaf's share of a feature's value from two things only: the training
share of each feature's branches on the path to the leaf (from the node counts), and whether the claim
follows every split on that feature. With paths of a few features each, a leaf's shares are tabled once
for every pattern of followed features; a claim then costs one comparison per node and one look-up per
leaf, where `pred_contrib` walks every path for every claim. The loop is compiled by numba, because a
claim's pass over thousands of leaves is too fine-grained for numpy's whole-array steps. It follows
LightGBM's own split rules (missing values, categories) and node counts, so the values are LightGBM's,
summed in another order.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import combinations
from math import factorial, prod
from typing import Any

import lightgbm as lgb
import numba
import numpy as np

MAX_PATH_FEATURES = 6  # a leaf's table has 2**k rows; longer paths are left to pred_contrib
ROWS_PER_THREAD = 32  # fewer rows per thread cost more in handing over than they save
ZERO = 1e-35  # LightGBM's kZeroThreshold: what a "zero" missing value means


@dataclass(frozen=True)
class Leaf:
    value: float
    features: list[int]  # each distinct feature split on the path, in path order
    zero: list[float]  # the training share of each feature's branches on the path
    splits: list[tuple[int, bool, int]]  # every split on the path: (node, went left, the feature's slot)


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
                    total += weight * prod(leaf.zero[m] for m in others if m not in known)
        shares.append(leaf.value * ((1.0 if on[j] else 0.0) - leaf.zero[j]) * total)
    return shares


class TreeShapTables:
    """The SHAP values of a booster's features (without the base value) for rows of its input matrix."""

    def __init__(self, booster: lgb.Booster) -> None:
        self.helpers: ThreadPoolExecutor | None = None
        self.nodes: list[dict[str, Any]] = []
        leaves: list[Leaf] = []
        for tree in booster.dump_model()["tree_info"]:
            self._walk(tree["tree_structure"], [], leaves)
        self.features = booster.num_feature()
        self.width = max((len(leaf.features) for leaf in leaves), default=0)
        self.usable = self.width <= MAX_PATH_FEATURES
        if self.usable:
            self._table_nodes()
            self._table_leaves(leaves)

    def __call__(self, matrix: np.ndarray, threads: int = 1) -> np.ndarray:
        """SHAP values, rows by features, of the rows of `matrix` (as `FeatureSpec.matrix` builds them).

        With `threads` > 1 the rows are shared among that many threads (the compiled loop runs without the GIL).
        """
        out = np.zeros((len(matrix), self.features))
        matrix = np.ascontiguousarray(matrix, dtype=np.float64)
        parts = max(1, min(threads, len(matrix) // ROWS_PER_THREAD))
        bounds = np.linspace(0, len(matrix), parts + 1).astype(int).tolist()
        blocks = [(matrix[a:b], out[a:b]) for a, b in itertools.pairwise(bounds)]
        helpers = [self._helpers(parts - 1).submit(self._explain, *block) for block in blocks[1:]]
        self._explain(*blocks[0])
        for helper in helpers:
            helper.result()
        return out

    def _explain(self, matrix: np.ndarray, out: np.ndarray) -> None:
        _explain(matrix, *self.node_arrays, *self.leaf_arrays, out)

    def _helpers(self, threads: int) -> ThreadPoolExecutor:
        """The threads that take a share of the rows beside the caller's, started on the first batch that needs them."""
        if self.helpers is None:
            self.helpers = ThreadPoolExecutor(threads, thread_name_prefix="treeshap")
        return self.helpers

    def _walk(self, node: dict[str, Any], path: list[tuple[int, int, bool, float]], leaves: list[Leaf]) -> None:
        if "left_child" not in node:  # a leaf (a tree of one leaf has no path and adds nothing)
            features: list[int] = []
            zero: dict[int, float] = {}
            splits = []
            for index, feature, left, share in path:
                if feature not in zero:
                    features.append(feature)
                    zero[feature] = 1.0
                zero[feature] *= share
                splits.append((index, left, features.index(feature)))
            if path:
                leaves.append(Leaf(node["leaf_value"], features, [zero[f] for f in features], splits))
            return
        index, count = len(self.nodes), node["internal_count"]
        self.nodes.append(node)
        for child, left in ((node["left_child"], True), (node["right_child"], False)):
            share = (child.get("internal_count", child.get("leaf_count")) or 0) / count if count else 0.0
            self._walk(child, [*path, (index, node["split_feature"], left, share)], leaves)

    def _table_nodes(self) -> None:
        """Each node's split rule as arrays: feature, threshold, missing-value handling, category set."""
        nodes = self.nodes
        categorical = [n["decision_type"] == "==" for n in nodes]
        sets = [
            [int(c) for c in str(n["threshold"]).split("||")] if cat else []
            for n, cat in zip(nodes, categorical, strict=True)
        ]
        categories = np.zeros((len(nodes), max((max(s) for s in sets if s), default=0) + 1), dtype=np.bool_)
        for i, members in enumerate(sets):
            categories[i, members] = True
        self.node_arrays = (
            np.array([n["split_feature"] for n in nodes], dtype=np.int64),
            np.array([0.0 if cat else float(n["threshold"]) for n, cat in zip(nodes, categorical, strict=True)]),
            np.array(categorical, dtype=np.bool_),
            np.array([bool(n["default_left"]) for n in nodes], dtype=np.bool_),
            np.array([n["missing_type"] == "NaN" for n in nodes], dtype=np.bool_),
            np.array([n["missing_type"] == "Zero" for n in nodes], dtype=np.bool_),
            categories,
        )

    def _table_leaves(self, leaves: list[Leaf]) -> None:
        """Each leaf's splits (node, direction, feature slot), its features, and its shares for every pattern."""
        depth = max(len(leaf.splits) for leaf in leaves) if leaves else 1
        split_node = np.full((len(leaves), depth), -1, dtype=np.int64)
        split_left = np.zeros((len(leaves), depth), dtype=np.bool_)
        split_slot = np.zeros((len(leaves), depth), dtype=np.int64)
        leaf_features = np.full((len(leaves), max(self.width, 1)), -1, dtype=np.int64)
        shares = np.zeros((len(leaves), 2**self.width, max(self.width, 1)))
        for i, leaf in enumerate(leaves):
            for d, (node, left, slot) in enumerate(leaf.splits):
                split_node[i, d], split_left[i, d], split_slot[i, d] = node, left, slot
            leaf_features[i, : len(leaf.features)] = leaf.features
            for pattern in range(2 ** len(leaf.features)):
                shares[i, pattern, : len(leaf.features)] = _shares(leaf, pattern)
        widths = np.array([len(leaf.features) for leaf in leaves], dtype=np.int64)
        self.leaf_arrays = (split_node, split_left, split_slot, widths, leaf_features, shares)


@numba.njit(cache=True, nogil=True)
def _explain(
    matrix: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    categorical: np.ndarray,
    default_left: np.ndarray,
    missing_nan: np.ndarray,
    missing_zero: np.ndarray,
    categories: np.ndarray,
    split_node: np.ndarray,
    split_left: np.ndarray,
    split_slot: np.ndarray,
    widths: np.ndarray,
    leaf_features: np.ndarray,
    shares: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover  # compiled: coverage cannot see inside
    goes_left = np.zeros(len(feature), dtype=np.bool_)
    for r in range(matrix.shape[0]):
        for i in range(len(feature)):
            goes_left[i] = _goes_left(
                matrix[r, feature[i]], threshold[i], categorical[i], default_left[i], missing_nan[i], missing_zero[i],
                categories[i],
            )  # fmt: skip
        for leaf in range(split_node.shape[0]):
            pattern = (1 << widths[leaf]) - 1  # every feature followed until one of its splits is not
            for d in range(split_node.shape[1]):
                node = split_node[leaf, d]
                if node < 0:
                    break
                if goes_left[node] != split_left[leaf, d]:
                    pattern &= ~(1 << split_slot[leaf, d])
            for s in range(widths[leaf]):
                out[r, leaf_features[leaf, s]] += shares[leaf, pattern, s]


@numba.njit(cache=True, nogil=True)
def _goes_left(
    value: float,
    threshold: float,
    categorical: bool,
    default_left: bool,
    missing_nan: bool,
    missing_zero: bool,
    categories: np.ndarray,
) -> bool:  # pragma: no cover  # compiled
    """LightGBM's CategoricalDecision and NumericalDecision."""
    if categorical:
        code = -1 if np.isnan(value) else int(value)
        return bool(0 <= code < len(categories) and categories[code])
    missing = np.isnan(value)
    if missing and not missing_nan:
        value = 0.0
    if (missing_zero and abs(value) <= ZERO) or (missing_nan and missing):
        return default_left
    return bool(value <= threshold)
