"""`triage models promote|evaluate` and `triage train <model> --config FILE`: the data scientist's commands.

Wired into the `triage` command by services/cli.py. Training and mlflow are imported inside the
commands, so `triage --help` stays fast.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from services.core.settings import TriageSettings

models_app = typer.Typer(
    help="Evaluate registered models on labelled files and promote challengers.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


class Model(StrEnum):
    FRAUD = "fraud"
    SEVERITY = "severity"
    PERIL = "peril"


@models_app.command()
def evaluate(
    model: Annotated[Model, typer.Argument(help="Which model to evaluate.")],
    data: Annotated[Path, typer.Option(help="A labelled file laid out like the model's data set (CSV, .gz ok).")],
    alias: Annotated[str, typer.Option(help="Registry alias to evaluate.")] = "champion",
) -> None:
    """Score a labelled file with a registered model and print its figures (last line: benchmark format)."""
    from models.registry import ModelRegistry
    from training.evaluation import evaluate as evaluate_model
    from training.metrics import benchmark_line, line_values
    from training.sources import KINDS, DataSetError, load_file

    settings = TriageSettings()
    try:
        labelled = load_file(KINDS[model.value], data)
        registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
        metrics = evaluate_model(model.value, registry.load(model.value, alias), labelled)
    except (DataSetError, LookupError) as error:
        _fail(str(error))
    console.print(f"{model.value}@{alias} on {len(labelled.frame):,} rows of {data}:")
    for key, value in metrics.items():
        console.print(f"  {key:<28} {value:,.4f}")
    print(benchmark_line(line_values(model.value, metrics)))


@models_app.command()
def promote(
    model: Annotated[Model, typer.Argument(help="Which model to promote.")],
    metric: Annotated[
        str | None,
        typer.Option(help="Metric that decides (default: fraud roc_auc, severity d2_gamma, peril accuracy)."),
    ] = None,
    min_gain: Annotated[float, typer.Option(help="How much better the challenger must be.")] = 0.0,
    data: Annotated[
        Path | None,
        typer.Option(help="Judge on this labelled file instead of the held-back split of the training data set."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(help="Who decides (kept in the audit log and on the registry version); default the OS user."),
    ] = None,
    why: Annotated[str | None, typer.Option(help="Why, in words, beside the gate's figures.")] = None,
) -> None:
    """Make the challenger champion only if it beats the champion on held-back claims; say why or why not.

    The decision (made or refused), who made it and why are appended to the audit log for the model inventory.
    """
    import getpass

    from models.registry import ModelRegistry
    from services.app.compliance_cli import record_promotion
    from training.evaluation import hold_out
    from training.promote import promote as run_gate
    from training.promote import unseen_by_both
    from training.sources import KINDS, DataSetError, load_file, load_training_set

    settings = TriageSettings()
    registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
    kind = KINDS[model.value]
    try:
        if data:
            held = load_file(kind, data)
        else:
            held = hold_out(model.value, load_training_set(kind, settings.datasets_dir))[1]
        if data is None:
            for warning in unseen_by_both(registry, model.value, held):
                console.print(f"[yellow]warning:[/] {warning}")
        previous = registry.version_of(model.value, "champion")
        challenger = registry.version_of(model.value, "challenger")
        verdict = run_gate(registry, model.value, held, metric, min_gain)
    except (DataSetError, LookupError, ValueError) as error:
        _fail(str(error))
    record_promotion(
        settings,
        model.value,
        version=challenger,
        previous=previous,
        promoted=verdict.promoted,
        by=by or getpass.getuser(),
        reasons=[verdict.reason, *([why] if why else [])],
        figures={"metric": metric or "default", "challenger": verdict.challenger, "champion": verdict.champion},
    )
    console.print(f"[bold]{'PROMOTED' if verdict.promoted else 'NOT PROMOTED'}[/] {model.value}: {verdict.reason}")


@models_app.command()
def compare(
    out: Annotated[Path, typer.Option(help="HTML page to write (plots embedded).")] = Path("compare.html"),
    since: Annotated[datetime | None, typer.Option(help="Only claims routed from this day or time (UTC).")] = None,
) -> None:
    """Champion against challenger on live traffic: agreement, score distributions, the route each arm would
    have taken, and each arm's figures on adjusters' decisions; printed, and as an HTML page with plots."""
    from services.app.stages import order
    from services.core.audit import AuditLog
    from services.core.runner import utcnow
    from services.core.settings import RouterSettings
    from services.core.store import ClaimStore
    from services.router.handler import routing_decision
    from services.router.policy import load_policy
    from training.comparison import compare as compare_arms
    from training.comparison import html
    from training.labels import LabelStore

    settings = TriageSettings()
    store = ClaimStore(settings.resolved_database_url(), order())
    start = since.replace(tzinfo=UTC) if since is not None and since.tzinfo is None else since
    routed = [e["claim_id"] for e in AuditLog(store.engine).entries(start=start) if e["kind"] == "routing_decision"]
    policy, now = load_policy(RouterSettings().policy_file), utcnow()
    result = compare_arms(
        list(store.latest_cases(routed).values()),
        lambda case: routing_decision(case, policy, now),
        LabelStore(store.engine).decided(),
    )
    if result.claims.empty:
        _fail(
            "no routed claim was scored by both arms: register a challenger (its alias `challenger`) and keep "
            "TRIAGE_MODEL_SHADOW on, or give it a share with TRIAGE_MODEL_CHALLENGER_SHARE"
        )
    for key, value in result.summary.items():
        console.print(f"  {key:<24} {value if not isinstance(value, float) else f'{value:.4f}'}")
    for arm, figures in result.arm_metrics().items():
        console.print(
            f"  {arm:<11} "
            + "  ".join(f"{k}={v if not isinstance(v, float) else f'{v:.4f}'}" for k, v in figures.items())
        )
    out.write_text(html(result))
    console.print(f"wrote {out}")


def train_command(
    model: Annotated[Model, typer.Argument(help="Which model to train.")],
    config: Annotated[
        Path | None,
        typer.Option(
            help="Training config (YAML): seed, folds, rounds, data file, hold-out; same config and data, same metrics."
        ),
    ] = None,
    with_feedback: Annotated[
        bool,
        typer.Option(
            help="Add the adjusters' decisions stored in the claim store "
            "(claims.feedback.v1) as labels: fraud, severity."
        ),
    ] = False,
    feedback_weight: Annotated[
        float | None,
        typer.Option(help="Training weight of each decision (a data set row weighs 1); default 1 or the config's."),
    ] = None,
) -> None:
    """Train one model (from a config file if given), register it as challenger, and print its figures."""
    from pydantic import ValidationError

    from models.registry import ModelRegistry
    from training.config import ConfigError, TrainConfig, load_config
    from training.run import load_data, load_feedback, train_and_register
    from training.sources import DataSetError

    settings = TriageSettings()
    try:
        run = load_config(config, model.value) if config else TrainConfig(model=model.value)
        chosen: dict[str, bool | float] = {"with_feedback": True} if with_feedback else {}
        chosen |= {"feedback_weight": feedback_weight} if feedback_weight is not None else {}
        run = TrainConfig.model_validate(run.model_dump() | chosen)
        data = load_data(run, settings.datasets_dir)  # a bad file fails here, before any training
        feedback = load_feedback(run, settings.resolved_database_url(), data.market)
        registry = ModelRegistry(settings.resolved_mlflow_uri(), settings.mlflow_artifact_root())
        version = train_and_register(run, data, registry, console, feedback)
    except (ConfigError, DataSetError, ValidationError) as error:
        _fail(str(error))
    console.print(f"{model.value}: registered version {version} as challenger")


def _fail(message: str) -> NoReturn:
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code=1)
