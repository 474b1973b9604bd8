"""The model inventory: serving periods from the audit log, promotions with who and why, registry facts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from models.registry import ModelRegistry
from services.app.cli import app
from services.app.compliance_cli import record_promotion
from services.compliance.inventory import build_inventory, serving_periods, to_csv
from services.core.audit import AuditEntry, AuditLog
from services.core.settings import TriageSettings
from tests.unit.services.compliance.conftest import FakeFacts

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def score(i: int, version: str, arm: str = "champion", shadow: str | None = None) -> dict[str, object]:
    outputs: dict[str, object] = {"probability": 0.1}
    if shadow:
        outputs["shadow"] = {"model_version": shadow, "model_arm": "challenger", "probability": 0.2}
    return {
        "model_name": "fraud",
        "model_version": version,
        "model_arm": arm,
        "recorded_at": T0 + timedelta(days=i),
        "outputs_json": json.dumps(outputs),
        "kind": "fraud_score",
    }


def test_periods_per_role_end_when_another_version_takes_over() -> None:
    rows = [
        score(0, "1"),
        score(1, "1", shadow="2"),
        score(2, "2", "challenger"),
        score(3, "1", shadow="2"),
        score(4, "2"),
        score(5, "2"),
        score(6, "1"),
        score(7, "1"),
    ]  # v2 champion, then rolled back to v1
    rows.insert(3, {**score(2, "1"), "model_name": None, "model_version": None, "model_arm": None})  # no model
    periods = [(key, p.role, p.first.day, p.last.day, p.claims) for key, p in serving_periods(rows)]
    assert periods == [
        (("fraud", "1"), "champion", 1, 4, 3),
        (("fraud", "2"), "shadow", 2, 4, 2),
        (("fraud", "2"), "challenger", 3, 3, 1),
        (("fraud", "2"), "champion", 5, 6, 2),
        (("fraud", "1"), "champion", 7, 8, 2),
    ]
    inventory = build_inventory(rows, [], FakeFacts({}))
    assert [(e.version, e.claims_decided, len(e.periods)) for e in inventory] == [("1", 5, 2), ("2", 3, 3)]
    assert inventory[0].facts == {"registered": False}
    assert "periods" in to_csv(inventory).splitlines()[0]


def test_the_peril_model_that_read_each_routed_claim_is_in_the_inventory() -> None:
    def routed(i: int, peril_version: str | None) -> dict[str, object]:
        outputs: dict[str, object] = {"route": "straight_through"}
        if peril_version:
            outputs["peril"] = {
                "peril": "collision",
                "probability": 0.9,
                "model_name": "peril",
                "model_version": peril_version,
            }
        return {
            "model_name": None,
            "model_version": None,
            "model_arm": None,
            "recorded_at": T0 + timedelta(days=i),
            "outputs_json": json.dumps(outputs),
            "kind": "routing_decision",
        }

    rows = [score(0, "1"), routed(0, "3"), routed(1, "3"), routed(2, None), routed(3, "4")]
    inventory = build_inventory(rows, [], FakeFacts({}))
    assert [(e.name, e.version, e.claims_decided) for e in inventory] == [
        ("fraud", "1", 1),
        ("peril", "3", 2),
        ("peril", "4", 1),
    ]
    assert [(p.role, p.first.day, p.last.day) for p in inventory[1].periods] == [("champion", 1, 2)]


def test_triage_models_inventory_lists_what_scored_with_registry_facts_and_promotions(workspace: Path) -> None:
    runner = CliRunner()
    trained = runner.invoke(app, ["train", "fraud", "--config", str(workspace / "fraud.yaml")])
    assert trained.exit_code == 0, trained.output
    settings = TriageSettings()
    log = AuditLog.open(settings.resolved_database_url())
    log.append(
        [
            AuditEntry(
                entry_key=f"C-{i}:fraud",
                recorded_at=T0 + timedelta(hours=i),
                claim_id=f"C-{i}",
                kind="fraud_score",
                actor="model:fraud",
                inputs_digest="0" * 64,
                outputs={"probability": 0.1},
                reasons=[],
                model_name="fraud",
                model_version="1",
                model_arm="champion",
            )
            for i in range(3)
        ]
    )
    gate = runner.invoke(
        app,
        [
            "models",
            "promote",
            "fraud",
            "--data",
            str(workspace / "claims.csv"),
            "--by",
            "carol",
            "--why",
            "quarterly review",
        ],
    )
    assert gate.exit_code == 0 and "already champion" in gate.output, gate.output
    record_promotion(
        settings, "fraud", version="1", previous=None, promoted=True, by="dave", reasons=["first champion"], figures={}
    )
    out = workspace / "inventory.json"
    done = runner.invoke(app, ["models", "inventory", "--out", str(out)])
    assert done.exit_code == 0 and "wrote 1 model versions" in done.output, done.output
    (entry,) = json.loads(out.read_text())
    assert (entry["name"], entry["version"], entry["claims_decided"]) == ("fraud", "1", 3)
    assert entry["periods"] == [
        {"role": "champion", "first": T0.isoformat(), "last": (T0 + timedelta(hours=2)).isoformat(), "claims": 3}
    ]
    assert len(entry["dataset_sha256"]) == 64 and len(entry["holdout_sha256"]) == 64
    assert entry["validation"]["holdout_roc_auc"] > 0.5 and entry["params"]["rounds"] == "30"
    assert "bias_sex_referral_ratio" in entry["bias_tests"]
    refused, made = entry["promotions"]
    assert (refused["by"], refused["promoted"]) == ("carol", False)
    assert "already champion" in refused["why"] and "quarterly review" in refused["why"]
    assert (made["by"], made["promoted"]) == ("dave", True)
    tags = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root()).version_tags("fraud", "1")
    assert tags["promoted_by"] == "dave" and tags["promotion_reason"] == "first champion"
    csv_out = workspace / "inventory.csv"
    assert runner.invoke(app, ["models", "inventory", "--out", str(csv_out)]).exit_code == 0
    assert csv_out.read_text().startswith("name,version,claims_decided,periods,promotions,registered")


def test_bias_metrics_read_back_as_one_row_per_group() -> None:
    from services.compliance.inventory import bias_groups

    rows, summary = bias_groups(
        {
            "bias_age_band_25_34_n": 817.0,
            "bias_age_band_25_34_auc": 0.82,
            "bias_age_band_65_and_over_referral_rate": 0.037,
            "bias_sex_female_auc": 0.84,
            "bias_age_band_referral_ratio": 0.159,
            "bias_age_band_cost_ratio_gap": 0.96,
        }
    )
    assert rows == [
        {"attribute": "age_band", "group": "25-34", "n": 817.0, "auc": 0.82},
        {"attribute": "age_band", "group": "65 and over", "referral_rate": 0.037},
        {"attribute": "sex", "group": "female", "auc": 0.84},
    ]
    assert summary == {"age band referral ratio": 0.159, "age band cost ratio gap": 0.96}
