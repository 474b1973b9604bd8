"""The `triage` command."""

from __future__ import annotations

import json
import logging
import signal
import threading
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from services.compliance_cli import build_reports, compliance_app
from services.compliance_cli import inventory as inventory_command
from services.core import topics
from services.core.auth import Role
from services.core.logs import configure_logging
from services.core.settings import IntakeSettings, TriageSettings
from services.core.tracing import configure_tracing
from services.extract_cli import extract as extract_command
from services.models_cli import Model, models_app, train_command

app = typer.Typer(
    help="Claims triage: FNOL intake, document extraction, fraud and severity scoring, routing.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
audit_app = typer.Typer(
    help="The audit log: verify its hash chain, export it, purge what is past retention.", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")
app.add_typer(models_app, name="models")
app.add_typer(compliance_app, name="compliance")
models_app.command("inventory")(inventory_command)
app.command("extract")(extract_command)


class Service(StrEnum):
    INTAKE_API = "intake-api"
    INTAKE = "intake"
    DOCEXTRACT = "docextract"
    FRAUD = "fraud"
    SEVERITY = "severity"
    ROUTER = "router"
    ADJUSTER_API = "adjuster-api"
    GATEWAY = "gateway"


class ModelName(StrEnum):
    FRAUD = "fraud"
    SEVERITY = "severity"
    PERIL = "peril"
    ALL = "all"


@app.command()
def demo(
    claims: Annotated[int, typer.Option(help="How many FNOLs to generate and route.", min=1)] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the FNOL generator.")] = 7,
) -> None:
    """Run the whole pipeline in one process (in-process bus, SQLite, local MLflow) and print a summary.

    Trains the fraud and severity models first if none is registered.
    """
    from services.demo import print_summary, run_demo

    settings = TriageSettings(bus="memory")
    logging.basicConfig(level=logging.WARNING)
    result = run_demo(settings, claims=claims, seed=seed, console=console)
    print_summary(result, console)


@app.command()
def run(service: Annotated[Service, typer.Argument(help="The service to run as this process.")]) -> None:
    """Run one service as its own process on Kafka (TRIAGE_BUS=kafka, TRIAGE_KAFKA_BOOTSTRAP=host:port).

    `intake-api` serves the HTTP API (POST /v1/fnol, GET /v1/claims/{id}, docs at /docs);
    `gateway` serves the models over HTTP (BentoML; TRIAGE_GATEWAY_HOST, _PORT, _WORKERS);
    the others consume their input topic in their own consumer group until SIGTERM.
    """
    configure_logging(service.value)
    settings = TriageSettings()
    configure_tracing(service.value, settings.otel_exporter)
    if service is Service.INTAKE_API:
        _serve_intake_api(settings)
    elif service is Service.ADJUSTER_API:
        _serve_adjuster_api(settings)
    elif service is Service.GATEWAY:
        _serve_gateway()
    else:
        _run_stage(settings, service.value)


def _run_stage(settings: TriageSettings, name: str) -> None:
    from services.core.bus import make_bus
    from services.core.bus.kafka import when_reachable
    from services.core.heap import quieten_garbage_collector
    from services.core.metrics import StageMetrics
    from services.core.runner import Runner
    from services.pipeline import INPUTS, SETTINGS, Dependencies, build_stage

    if settings.bus != "kafka":
        raise typer.BadParameter("a service on its own needs TRIAGE_BUS=kafka; `triage demo` runs all in one process")
    stage_settings = SETTINGS[name]()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    bus = make_bus(settings, max_poll_interval_ms=stage_settings.max_poll_interval_ms)

    def topics_made() -> bool:
        bus.ensure_topics(topics.ALL)
        return True

    # Started (or restarted) while the broker is away: wait for it rather than exit.
    if when_reachable(topics_made, stop, name) is None:
        return
    stage = build_stage(name, Dependencies.from_settings(settings), stage_settings)
    link = when_reachable(
        lambda: bus.stage_link(name, [INPUTS[name]], stage_settings.instance, stage_settings.batch_linger_ms),
        stop,
        name,
    )
    if link is None:
        return
    metrics = StageMetrics()
    if stage_settings.metrics_port:
        metrics.serve(stage_settings.metrics_port)
    runner = Runner(
        stage,
        link,
        batch_size=stage_settings.batch_limit(in_process=settings.bus == "memory"),
        poll_timeout_s=stage_settings.poll_timeout_s,
        metrics=metrics,
    )
    console.print(f"[bold]{name}[/] consuming {INPUTS[name]} as group {name}, instance {stage_settings.instance}")
    quieten_garbage_collector()
    try:
        runner.run(stop)
    finally:
        link.close()


def _serve_intake_api(settings: TriageSettings) -> None:
    import uvicorn

    from services.core.bus import make_bus
    from services.intake.api import create_app
    from services.pipeline import Dependencies

    intake = IntakeSettings()
    bus = make_bus(settings)
    bus.ensure_topics(topics.ALL)
    deps = Dependencies.from_settings(settings)
    api = create_app(
        publisher=bus.publisher(),
        receipts=deps.store,
        documents=deps.documents,
        max_document_bytes=intake.max_document_bytes,
    )
    uvicorn.run(api, host=intake.host, port=intake.port, log_config=None)  # our JSON handler on the root logger


def _serve_adjuster_api(settings: TriageSettings) -> None:
    import uvicorn

    from services.adjuster.api import create_app
    from services.core.bus import make_bus
    from services.core.outbox import Outbox
    from services.core.runner import utcnow
    from services.core.settings import AdjusterSettings
    from services.pipeline import Dependencies

    adjuster = AdjusterSettings()  # type: ignore[call-arg]  # the token secret comes from the environment
    bus = make_bus(settings)
    bus.ensure_topics(topics.ALL)
    deps = Dependencies.from_settings(settings)
    api = create_app(
        queue=deps.queue,
        cases=deps.store,
        audit=deps.audit,
        feedback=Outbox(deps.store.engine, bus.publisher()),
        token_secret=adjuster.token_secret.get_secret_value(),
        clock=utcnow,
        hold=timedelta(minutes=adjuster.hold_minutes),
        compliance=build_reports(settings),
    )
    uvicorn.run(api, host=adjuster.host, port=adjuster.port, log_config=None)


def _serve_gateway() -> None:
    import os

    from services.core.settings import GatewaySettings
    from services.gateway.process import serve_command

    gateway = GatewaySettings()
    command = serve_command(gateway.host, gateway.port)
    env = {"BENTOML_DO_NOT_TRACK": "True", **os.environ}  # no usage reports to BentoML unless asked for
    os.execve(command[0], command, env)  # BentoML's own server: its workers, batching and signals


@app.command()
def token(
    subject: Annotated[str, typer.Argument(help="Who the token is for, e.g. an adjuster's user name.")],
    role: Annotated[list[Role], typer.Option(help="A role to grant; repeat for several.")],
    hours: Annotated[float, typer.Option(help="Lifetime.", min=0.01)] = 8.0,
) -> None:
    """Mint a bearer token signed with TRIAGE_ADJUSTER_TOKEN_SECRET (development; production uses the IdP's)."""
    from services.core.auth import mint_token
    from services.core.settings import AdjusterSettings

    secret = AdjusterSettings().token_secret.get_secret_value()  # type: ignore[call-arg]
    print(mint_token(subject, role, secret, lifetime=timedelta(hours=hours)))


@app.command()
def train(
    model: Annotated[ModelName, typer.Argument(help="Which model to train.")] = ModelName.ALL,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Training config (YAML) for one model: seed, folds, rounds, "
            "data file, hold-out; same config and data, same metrics."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="With `all`: train even the models that have a champion.")] = False,
    with_feedback: Annotated[
        bool,
        typer.Option(
            help="fraud, severity: add the adjusters' decisions stored in the "
            "claim store (claims.feedback.v1) as labels."
        ),
    ] = False,
    feedback_weight: Annotated[
        float | None, typer.Option(help="Training weight of each decision (a data set row weighs 1); default 1.")
    ] = None,
) -> None:
    """Train on the data sets in TRIAGE_DATASETS_DIR and register in MLflow.

    `all` trains each model that has no champion yet (every one with --force); a named model is
    trained (from --config if given) and registered as challenger: `triage models promote` decides.
    """
    if model is ModelName.ALL:
        from training.run import train_missing

        if with_feedback:
            raise typer.BadParameter("name the model to train with feedback: fraud or severity")
        console.print(train_missing(TriageSettings(), console=console, force=force))
    else:
        train_command(Model(model.value), config, with_feedback, feedback_weight)


@app.command()
def schemas(out: Annotated[Path, typer.Option(help="Folder to write the JSON Schemas to.")] = Path("schemas")) -> None:
    """Write the JSON Schemas of the FNOL, the claim case and the settlement (generated from the pydantic models)."""
    from services.core.events import FNOL, ClaimCase, Settlement

    out.mkdir(parents=True, exist_ok=True)
    for name, model in (("fnol.v1", FNOL), ("claim-case.v1", ClaimCase), ("settlement.v1", Settlement)):
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(model.model_json_schema(), indent=2) + "\n")
        console.print(f"wrote {path}")


class ExportFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"


@audit_app.command("verify")
def audit_verify() -> None:
    """Check every audit entry against its hash and the one before it; exit 1 if any was altered,
    deleted or reordered."""
    from services.core.audit import AuditLog

    report = AuditLog.open(TriageSettings().resolved_database_url()).verify()
    for problem in report.problems:
        console.print(f"[red]{problem}[/]")
    if not report.intact:
        console.print(f"[bold red]audit log NOT intact[/]: {len(report.problems)} problem(s), {report.entries} entries")
        raise typer.Exit(1)
    console.print(f"audit log intact: {report.entries} entries")


@audit_app.command("export")
def audit_export(
    out: Annotated[Path, typer.Argument(help="File to write.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or parquet.")] = ExportFormat.CSV,
    since: Annotated[datetime | None, typer.Option(help="First day or time (inclusive, UTC).")] = None,
    until: Annotated[datetime | None, typer.Option(help="End day or time (exclusive, UTC).")] = None,
) -> None:
    """Export the audit entries recorded in [since, until) in chain order."""
    from services.core.audit import AuditLog
    from services.core.audit_export import export_audit

    log = AuditLog.open(TriageSettings().resolved_database_url())
    count = export_audit(log, out, fmt.value, _utc(since), _utc(until))
    console.print(f"wrote {count} audit entries to {out}")


@audit_app.command("purge")
def audit_purge(
    before: Annotated[
        datetime | None,
        typer.Option(
            help="Purge entries recorded before this day or time (UTC); default: the start of the retention period."
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option(help="Who purges (recorded in the purge entry); default the OS user.")
    ] = None,
) -> None:
    """Delete the audit entries older than TRIAGE_AUDIT_RETENTION_DAYS, leaving a purge entry that anchors the
    chain (verify still passes); refuses anything younger, and a log that does not verify."""
    import getpass

    from services.core.audit import AuditLog
    from services.core.audit_retention import RetentionRefused, purge

    settings = TriageSettings()
    now, retention = datetime.now(UTC), timedelta(days=settings.audit_retention_days)
    log = AuditLog.open(settings.resolved_database_url())
    try:
        done = purge(
            log, before=_utc(before) or now - retention, now=now, retention=retention, actor=by or getpass.getuser()
        )
    except RetentionRefused as refused:
        console.print(f"[bold red]purge refused[/]: {refused}")
        raise typer.Exit(1) from refused
    if done.entries == 0:
        console.print(f"nothing to purge: no entry recorded before {done.before.isoformat()} starts the log")
        return
    console.print(
        f"purged {done.entries} audit entries (through entry {done.through_seq}, recorded before "
        f"{done.before.isoformat()}); the log now starts after anchor {done.anchor_hash}"
    )


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


if __name__ == "__main__":
    app()
