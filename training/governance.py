"""What a model version must carry for governance, measured on the held-back claims at training time.

- the drift reference (models/drift.py): histograms of every input and of the score, logged as the
  `drift_reference.json` artifact, against which the compliance report measures live drift;
- bias tests, logged as `bias_*` metrics: per claimant age band and sex, the fraud model's ROC AUC,
  observed fraud rate and referral rate (score at or above the shipped policy's straight-through
  limit), with the lowest-to-highest referral-rate ratio (four-fifths rule) and the AUC gap; the
  severity model's predicted-to-actual cost ratio per group and the gap between groups.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from models.drift import ARTIFACT, DriftReference
from models.fraud.features import fraud_features
from models.groups import ATTRIBUTES, claimant_groups
from models.mapping import FRAUD_LABEL, SEVERITY_LABEL, frame_rows, fraud_row_to_fnol, severity_row_to_fnol
from models.severity.features import severity_features
from training.sources import TrainingSet

REFERRAL_THRESHOLD = 0.15  # services/router/policy.yaml: above it a claim is not settled straight through
MIN_GROUP = 30  # smaller groups are not measured: their rates are noise


def governance_facts(name: str, model: Any, held: TrainingSet) -> tuple[dict[str, str], dict[str, float]]:
    """(artifacts, metrics) for model `name`: its drift reference and bias tests on the held-back claims."""
    if name not in ("fraud", "severity") or held.frame.empty:
        return {}, {}
    records = frame_rows(held.frame)
    fnols = [(fraud_row_to_fnol if name == "fraud" else severity_row_to_fnol)(r) for r in records]
    rows = [(fraud_features if name == "fraud" else severity_features)(f) for f in fnols]
    matrix = model.spec.matrix(rows)
    groups = [claimant_groups(f) for f in fnols]
    if name == "fraud":
        scores = np.asarray(model.probabilities(matrix))
        metrics = fraud_bias(groups, held.frame[FRAUD_LABEL].to_numpy(dtype=int), scores)
    else:
        scores = np.asarray(model.predict(matrix)[0])
        metrics = severity_bias(groups, held.frame[SEVERITY_LABEL].to_numpy(dtype=float), scores)
    return {ARTIFACT: DriftReference.learn(model.spec, rows, list(scores)).to_json()}, metrics


def fraud_bias(groups: Sequence[dict[str, str]], labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """Per group: claims, observed fraud rate, referral rate and ROC AUC; per attribute the ratio and the gap."""
    metrics: dict[str, float] = {}
    for attribute, members in _members(groups).items():
        rates, aucs = {}, {}
        for group, index in members.items():
            key = f"bias_{attribute}_{_slug(group)}"
            rates[group] = float(np.mean(scores[index] >= REFERRAL_THRESHOLD))
            metrics |= {
                f"{key}_n": float(len(index)),
                f"{key}_fraud_rate": float(labels[index].mean()),
                f"{key}_referral_rate": rates[group],
            }
            if 0 < labels[index].sum() < len(index):
                aucs[group] = metrics[f"{key}_auc"] = float(roc_auc_score(labels[index], scores[index]))
        if len(rates) > 1 and max(rates.values()) > 0:
            metrics[f"bias_{attribute}_referral_ratio"] = min(rates.values()) / max(rates.values())
        if len(aucs) > 1:
            metrics[f"bias_{attribute}_auc_gap"] = max(aucs.values()) - min(aucs.values())
    return {k: round(v, 5) for k, v in metrics.items()}


def severity_bias(groups: Sequence[dict[str, str]], amounts: np.ndarray, expected: np.ndarray) -> dict[str, float]:
    """Per group: claims and predicted-to-actual mean cost ratio; per attribute the gap between groups."""
    metrics: dict[str, float] = {}
    for attribute, members in _members(groups).items():
        ratios = {}
        for group, index in members.items():
            key = f"bias_{attribute}_{_slug(group)}"
            ratios[group] = metrics[f"{key}_cost_ratio"] = float(expected[index].mean() / amounts[index].mean())
            metrics[f"{key}_n"] = float(len(index))
        if len(ratios) > 1:
            metrics[f"bias_{attribute}_cost_ratio_gap"] = max(ratios.values()) - min(ratios.values())
    return {k: round(v, 5) for k, v in metrics.items()}


def _members(groups: Sequence[dict[str, str]]) -> dict[str, dict[str, np.ndarray]]:
    """For each attribute, the row indexes of each group with at least MIN_GROUP claims."""
    found: dict[str, dict[str, np.ndarray]] = {}
    for attribute in ATTRIBUTES:
        values = np.array([g[attribute] for g in groups])
        found[attribute] = {
            str(v): np.flatnonzero(values == v) for v in np.unique(values) if np.sum(values == v) >= MIN_GROUP
        }
    return found


def _slug(group: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", group.lower()).strip("_")
