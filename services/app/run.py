"""`triage run SERVICE`: one service as its own process on Kafka."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from services.app.stages import STAGES, declared, names
from services.core import topics
from services.core.logs import configure_logging
from services.core.settings import IntakeSettings, TriageSettings
from services.core.tracing import configure_tracing

console = Console()


def _serve_gateway(settings: TriageSettings) -> None:
    import os

    from services.core.settings import GatewaySettings
    from services.gateway.process import serve_command

    gateway = GatewaySettings()
    command = serve_command(gateway.host, gateway.port)
    env = {"BENTOML_DO_NOT_TRACK": "True", **os.environ}  # no usage reports to BentoML unless asked for
    os.execve(command[0], command, env)  # BentoML's own server: its workers, batching and signals


def _serve_intake_api(settings: TriageSettings) -> None:
    import uvicorn

    from services.app.bootstrap import open_dependencies
    from services.core.bus import make_bus
    from services.core.settings import IntakeApiSettings
    from services.intake.api import ThreadedAdmission, create_app
    from services.intake.security import authentication, server_tls

    require_kafka(settings, "intake-api")  # on the in-process bus no stage would ever take up what it accepts
    intake, door = IntakeSettings(), IntakeApiSettings()  # a short token secret or half a TLS setup stops it here
    bus = make_bus(settings)
    bus.ensure_topics(topics.ALL)
    deps = open_dependencies(settings)
    api = create_app(
        admission=ThreadedAdmission(deps.store, bus.publisher()),
        documents=deps.documents,
        max_document_bytes=intake.max_document_bytes,
        authenticate=authentication(door),
    )
    # log_config=None: our JSON handler on the root logger
    uvicorn.run(api, host=intake.host, port=intake.port, log_config=None, **server_tls(door))


def _serve_adjuster_api(settings: TriageSettings) -> None:
    import uvicorn

    from services.adjuster.api import create_app
    from services.adjuster.outbox import Outbox
    from services.app.accounts import workbench_sign_in
    from services.app.bootstrap import open_dependencies
    from services.app.compliance_cli import build_reports
    from services.core.bus import make_bus
    from services.core.runner import utcnow
    from services.core.settings import AdjusterSettings

    adjuster = AdjusterSettings()  # the token secret comes from the environment
    bus = make_bus(settings)
    bus.ensure_topics(topics.ALL)
    deps = open_dependencies(settings)
    api = create_app(
        queue=deps.queue,
        cases=deps.store,
        audit=deps.audit,
        feedback=Outbox(deps.store.engine, bus.publisher()),
        token_secret=adjuster.token_secret.get_secret_value(),
        clock=utcnow,
        hold=timedelta(minutes=adjuster.hold_minutes),
        compliance=build_reports(settings),
        sign_in=workbench_sign_in(deps.store.engine),
        documents=deps.documents,
    )
    uvicorn.run(api, host=adjuster.host, port=adjuster.port, log_config=None)


# The processes that are not pipeline stages; every declared stage is a choice too.
SERVERS: dict[str, Callable[[TriageSettings], None]] = {
    "intake-api": _serve_intake_api,
    "adjuster-api": _serve_adjuster_api,
    "gateway": _serve_gateway,
}


if TYPE_CHECKING:
    Service = str
else:  # typer offers an enum's values as the choices: the servers and every declared stage
    Service = StrEnum("Service", {name.upper().replace("-", "_"): name for name in [*SERVERS, *names(STAGES)]})


def run(
    service: Annotated[Service, typer.Argument(help="The service to run as this process.")],
    through: Annotated[
        str | None,
        typer.Option(
            help="A later stage: run every stage from SERVICE to this one in this process, each batch in one "
            "transaction (SERVICE's consumer group; the stages in between must not also run on their own)."
        ),
    ] = None,
) -> None:
    """Run one service as its own process on Kafka (TRIAGE_BUS=kafka, TRIAGE_KAFKA_BOOTSTRAP=host:port).

    `intake-api` serves the HTTP API (POST /v1/fnol, GET /v1/claims/{id}, docs at /docs);
    `gateway` serves the models over HTTP (BentoML; TRIAGE_GATEWAY_HOST, _PORT, _WORKERS);
    the others consume their input topic in their own consumer group until SIGTERM; with `--through`, a span
    of stages (`triage run intake --through router`: the whole pipeline) runs as one.
    """
    name = str(service)
    span = stage_span(name, through)
    configure_logging(name)
    settings = TriageSettings()
    configure_tracing(name, settings.otel_exporter)
    serve = SERVERS.get(name)
    if serve is not None:
        serve(settings)
    else:
        run_stage(settings, name, span)


def stage_span(first: str, last: str | None) -> list[str]:
    """The stages from `first` through `last` in pipeline order; a `last` that does not come after it is refused."""
    every = names(STAGES)
    if last is None:
        return [first]
    if first not in every:
        raise typer.BadParameter(f"--through runs a span of stages, and {first!r} is not one", param_hint="SERVICE")
    later = every[every.index(first) + 1 :]
    if last not in later:
        raise typer.BadParameter(
            f"{last!r} is not a stage after {first}; choose one of {', '.join(later) or '(none: it is the last)'}",
            param_hint="--through",
        )
    return every[every.index(first) : every.index(last) + 1]


def require_kafka(settings: TriageSettings, name: str) -> None:
    """Refuse to run `name` on its own without Kafka: nothing else in this process would pass its claims on."""
    if settings.bus != "kafka":
        raise typer.BadParameter(
            f"`triage run {name}` is one service of the pipeline on Kafka and needs TRIAGE_BUS=kafka; without a "
            "broker, `triage serve` runs the whole product (intake API, every stage, adjuster API) in one process"
        )


def run_stage(settings: TriageSettings, name: str, span: list[str] | None = None) -> None:
    """Stage `name` (or the `span` of stages it starts) on Kafka until SIGTERM or SIGINT; waits for a broker that
    is away rather than exit."""
    from services.app.bootstrap import build_runner, open_dependencies
    from services.core.bus import make_bus, when_reachable
    from services.core.chain import Chain, Inbox
    from services.core.heap import quieten_garbage_collector
    from services.core.metrics import StageMetrics

    require_kafka(settings, name)
    declarations = [declared(stage) for stage in span or [name]]
    declaration, every_settings = declarations[0], [d.settings() for d in declarations]
    stage_settings = every_settings[0]
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    # a batch takes as long as the span's stages together: the longest any of them may take is a floor
    bus = make_bus(settings, max_poll_interval_ms=max(s.max_poll_interval_ms for s in every_settings))

    def topics_made() -> bool:
        bus.ensure_topics(topics.ALL)
        return True

    if when_reachable(settings, topics_made, stop, name) is None:
        return
    deps = open_dependencies(settings)
    stages = [d.stage(deps, s) for d, s in zip(declarations, every_settings, strict=True)]  # models load first
    link = when_reachable(
        settings,
        lambda: bus.stage_link(
            name, [declaration.input_topic], stage_settings.instance, stage_settings.batch_linger_ms
        ),
        stop,
        name,
    )
    if link is None:
        return
    metrics = StageMetrics()
    if stage_settings.metrics_port:
        metrics.serve(stage_settings.metrics_port)
    runners = [
        build_runner(stage, link if i == 0 else Inbox(stage.input_topic), s, in_process=False, metrics=metrics)
        for i, (stage, s) in enumerate(zip(stages, every_settings, strict=True))
    ]
    worker = runners[0] if len(runners) == 1 else Chain(runners, metrics)
    through = f" through {declarations[-1].name}" if len(declarations) > 1 else ""
    console.print(
        f"[bold]{name}[/]{through} consuming {declaration.input_topic} as group {name}, "
        f"instance {stage_settings.instance}"
    )
    quieten_garbage_collector()
    try:
        worker.run(stop)
    finally:
        link.close()
