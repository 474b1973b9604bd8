"""The model inventory: every model version that ever scored a claim, with what regulators ask insurers to keep.

For each version: the periods it served as champion, challenger or shadow (from the audit log, so a
version that served, was replaced and came back has two periods; the peril model's from the routing entries,
which keep the version that read each claim's cause of loss), the claims it scored, what the
registry keeps of its training (data set digest, held-back rows digest, code version, parameters,
validation metrics, bias tests), and every promotion decision about it (who, when, why), which
`triage models promote` writes to the audit log.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from models.groups import AGE_BANDS
from services.compliance.drift import ModelFacts
from services.core.audit import AuditEntry, digest

ROUTING_KIND = "routing_decision"
MODEL_KINDS = ("fraud_score", "severity_estimate", ROUTING_KIND)  # the entries a model version decided in
PROMOTION_KIND = "model_promotion"
TAGS = ("data_source", "dataset", "dataset_sha256", "dataset_rows", "holdout_sha256", "holdout_rows", "git_commit")


@dataclass
class Period:
    """A stretch of the log in which one version served in one role without another version taking over."""

    role: str  # champion, challenger (the A/B arm that decided) or shadow (scored beside, never routed)
    first: datetime
    last: datetime
    claims: int


@dataclass
class InventoryEntry:
    name: str
    version: str
    periods: list[Period] = field(default_factory=list)
    promotions: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def claims_decided(self) -> int:
        return sum(p.claims for p in self.periods if p.role != "shadow")

    def record(self) -> dict[str, Any]:
        """The entry as plain JSON-able values."""
        return {
            "name": self.name,
            "version": self.version,
            "claims_decided": self.claims_decided,
            "periods": [
                {"role": p.role, "first": p.first.isoformat(), "last": p.last.isoformat(), "claims": p.claims}
                for p in self.periods
            ],
            "promotions": self.promotions,
            **self.facts,
        }


def build_inventory(
    model_rows: Iterable[Mapping[str, Any]], promotion_rows: Iterable[Mapping[str, Any]], models: ModelFacts
) -> list[InventoryEntry]:
    """The inventory from the audit log's model-score entries and promotion entries, in chain order."""
    entries: dict[tuple[str, str], InventoryEntry] = {}
    for key, period in serving_periods(model_rows):
        entries.setdefault(key, InventoryEntry(*key)).periods.append(period)
    for row in promotion_rows:
        outputs = json.loads(row["outputs_json"])
        key = (row["model_name"], row["model_version"])
        entries.setdefault(key, InventoryEntry(*key)).promotions.append(
            {
                "at": row["recorded_at"].isoformat(),
                "by": row["actor"],
                "alias": outputs.get("alias"),
                "promoted": outputs.get("promoted"),
                "previous_version": outputs.get("previous_version"),
                "why": " ".join(json.loads(row["reasons_json"])),
            }
        )
    for entry in entries.values():
        entry.facts = _facts(models, entry.name, entry.version)
    return sorted(entries.values(), key=lambda e: (e.name, _number(e.version)))


def serving_periods(rows: Iterable[Mapping[str, Any]]) -> list[tuple[tuple[str, str], Period]]:
    """Each (name, version)'s periods per role: a period ends when another version is seen in that role."""
    open_: dict[tuple[str, str], tuple[str, Period]] = {}  # (name, role) -> (version, period)
    done: list[tuple[tuple[str, str], Period]] = []
    for row in rows:
        for name, role, version in _uses(row):
            key, at = (name, role), row["recorded_at"]
            current = open_.get(key)
            if current is not None and current[0] == version:
                current[1].last, current[1].claims = max(current[1].last, at), current[1].claims + 1
                continue
            if current is not None:
                done.append(((name, current[0]), current[1]))
            open_[key] = (version, Period(role, at, at, 1))
    done += [((name, version), period) for (name, _), (version, period) in open_.items()]
    return sorted(done, key=lambda item: item[1].first)


def _uses(row: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The (model name, role, version) that served in one audit entry."""
    outputs = json.loads(row["outputs_json"])
    if row["kind"] == ROUTING_KIND:  # the router's peril reader: one model, no A/B arms
        peril = outputs.get("peril")
        return [(peril["model_name"], "champion", peril["model_version"])] if peril else []
    if row["model_name"] is None or row["model_version"] is None:
        return []  # no model covered the claim (e.g. no severity model for property)
    uses = [(row["model_name"], row["model_arm"] or "champion", row["model_version"])]
    if shadow := outputs.get("shadow"):
        uses.append((row["model_name"], "shadow", shadow["model_version"]))
    return uses


def promotion_entry(
    name: str,
    *,
    version: str,
    previous: str | None,
    promoted: bool,
    by: str,
    at: datetime,
    reasons: list[str],
    figures: Mapping[str, Any],
) -> AuditEntry:
    """The audit entry of a promotion decision on `name` v`version` (made or refused), for the inventory."""
    outputs = {"alias": "champion", "promoted": promoted, "previous_version": previous, **figures}
    return AuditEntry(
        entry_key=f"{PROMOTION_KIND}:{uuid.uuid4()}",
        recorded_at=at,
        claim_id="",
        kind=PROMOTION_KIND,
        actor=by,
        inputs_digest=digest(outputs),
        outputs=outputs,
        reasons=reasons,
        model_name=name,
        model_version=version,
    )


def to_json(entries: list[InventoryEntry]) -> str:
    return json.dumps([e.record() for e in entries], indent=2, default=str)


def to_csv(entries: list[InventoryEntry]) -> str:
    """One row per version; periods, promotions, metrics and parameters as JSON in their cells."""
    records = [e.record() for e in entries]
    columns = list(dict.fromkeys(k for r in records for k in r))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for record in records:
        writer.writerow({k: json.dumps(v, default=str) if isinstance(v, list | dict) else v for k, v in record.items()})
    return out.getvalue()


def _facts(models: ModelFacts, name: str, version: str) -> dict[str, Any]:
    facts = models.facts(name, version)
    if facts is None:
        return {"registered": False}
    metrics = facts.metrics
    return {
        "registered": True,
        "created_at": facts.created_at.isoformat(),
        "run_id": facts.run_id,
        "aliases_now": facts.aliases,
        **{tag: facts.tags.get(tag) for tag in TAGS},
        "validation": {k: v for k, v in sorted(metrics.items()) if k.startswith(("holdout_", "cv_"))},
        "bias_tests": {k: v for k, v in sorted(metrics.items()) if k.startswith("bias_")},
        "params": facts.params,
        "promotion_tags": {k: v for k, v in facts.tags.items() if k.startswith("promot")},
    }


def bias_groups(bias_tests: Mapping[str, float]) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The `bias_*` metrics as one row per attribute and group, and the per-attribute summaries (ratio, gaps)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    summary: dict[str, float] = {}
    for key, value in bias_tests.items():
        if match := _SUMMARY.match(key):
            summary[f"{match[1]} {match[2]}".replace("_", " ")] = value
        elif match := _GROUP.match(key):
            group = _LABELS.get(match[2], match[2].replace("_", " "))
            rows.setdefault((match[1], match[2]), {"attribute": match[1], "group": group})[match[3]] = value
    return [rows[k] for k in sorted(rows)], summary


# Group labels as training's metric names spell them (lower case, runs of other characters as "_"), and back.
_LABELS = {re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_"): label for _, label in AGE_BANDS}
_SUMMARY = re.compile(r"^bias_(age_band|sex)_(referral_ratio|auc_gap|cost_ratio_gap)$")
_GROUP = re.compile(r"^bias_(age_band|sex)_(.+)_(n|fraud_rate|referral_rate|auc|cost_ratio)$")


def _number(version: str) -> tuple[int, str]:
    return (int(version), "") if version.isdigit() else (0, version)
