"""`triage train <model> --config`, `triage models evaluate` and `triage models promote`, end to end on small files."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from claimgen.datasets import fraud_oracle_frame
from claimgen.fnol import GeneratedClaim
from services.app.models_cli import models_app, train_command

app = typer.Typer()
app.add_typer(models_app, name="models")
app.command("train")(train_command)


def test_train_twice_from_a_config_evaluate_and_promote(workspace: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["train", "fraud", "--config", str(workspace / "fraud.yaml")])
    second = runner.invoke(app, ["train", "fraud", "--config", str(workspace / "fraud.yaml")])
    assert first.exit_code == second.exit_code == 0, first.output
    figures = [re.search(r"cv_roc_auc [0-9.]+", run.output.replace("\n", " ")) for run in (first, second)]
    assert figures[0] and figures[1] and figures[0].group() == figures[1].group()  # same seed, same metrics

    evaluated = runner.invoke(app, ["models", "evaluate", "fraud", "--data", str(workspace / "claims.csv")])
    assert evaluated.exit_code == 0, evaluated.output
    assert evaluated.output.strip().splitlines()[-1].startswith("models: fraud_auc=")

    promoted = runner.invoke(app, ["models", "promote", "fraud", "--data", str(workspace / "claims.csv")])
    assert promoted.exit_code == 0 and "NOT PROMOTED" in promoted.output and "roc_auc" in promoted.output


def test_bad_files_are_refused_before_training(workspace: Path) -> None:
    fraud_oracle_frame(100, seed=4).drop(columns=["Month"]).to_csv(workspace / "claims.csv", index=False)
    result = CliRunner().invoke(app, ["train", "fraud", "--config", str(workspace / "fraud.yaml")])
    assert result.exit_code == 1 and "missing column(s) Month" in result.output
    (workspace / "empty.csv").write_text("")
    result = CliRunner().invoke(app, ["models", "evaluate", "fraud", "--data", str(workspace / "empty.csv")])
    assert result.exit_code == 1 and "cannot read it as CSV" in result.output


def test_train_with_feedback_records_the_decisions_it_learnt_from(
    workspace: Path, sample_claims: list[GeneratedClaim]
) -> None:
    from datetime import timedelta

    from models.registry import ModelRegistry
    from services.adjuster.queue import QueueStore
    from services.app.stages import order
    from services.core.settings import TriageSettings
    from services.core.store import ClaimStore
    from tests.unit.services.core.audit_cases import START, routed_case

    settings = TriageSettings()
    settings.data_dir.mkdir(parents=True)
    store = ClaimStore(settings.resolved_database_url(), order())
    cases = [routed_case(c, minute=i) for i, c in enumerate(c for c in sample_claims if c.fnol.vehicle)][:3]
    store.record_stage("intake", cases)
    QueueStore(store.engine).enqueue(cases)
    for case, outcome in zip(cases, ("refer", "approve", "request_documents"), strict=True):
        QueueStore(store.engine).take(case.claim_id, "bob", START, timedelta(hours=1))
        QueueStore(store.engine).decide(
            case.claim_id, "bob", START, decision=outcome, amount=500.0 if outcome == "approve" else None, reason="seen"
        )

    result = CliRunner().invoke(
        app, ["train", "fraud", "--config", str(workspace / "fraud.yaml"), "--with-feedback", "--feedback-weight", "2"]
    )

    assert result.exit_code == 0, result.output
    assert "+ 2 adjuster decisions (weight 2)" in result.output.replace("\n", " ")  # request_documents: no label
    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    facts = registry.version_facts("fraud", "1")
    assert facts is not None and facts.params["feedback_rows"] == "2" and facts.params["with_feedback"] == "True"
    assert len(facts.params["feedback_sha256"]) == 64 and facts.params["feedback_label_policy"] == "feedback-v1"


def test_peril_has_no_feedback_labels(workspace: Path) -> None:
    result = CliRunner().invoke(app, ["train", "peril", "--with-feedback"])
    assert result.exit_code == 1 and "not peril" in result.output
