"""`triage demo`: the whole pipeline in one process on the embedded default, with a summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from claimgen.bundle import attach_documents
from claimgen.fnol import generate_claims
from services.app.embedded import EmbeddedPipeline
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing
from services.core.events import ClaimCase, Route, Settlement
from services.core.settings import TriageSettings


@dataclass
class DemoResult:
    decided: list[ClaimCase]
    dead_letters: int
    published_at: dict[str, datetime]
    seconds: float
    stage_seconds: dict[str, list[float]] = field(default_factory=dict)
    settlements: list[Settlement] = field(default_factory=list)


def run_demo(
    settings: TriageSettings, *, claims: int, seed: int, console: Console, with_documents: bool = True
) -> DemoResult:
    """Train models if needed, push `claims` generated FNOLs (with PDFs unless told not to) through all stages."""
    from training.run import train_missing  # training pulls in mlflow and lightgbm: only when asked

    train_missing(settings, console=console)
    now = datetime.now(UTC).replace(microsecond=0)
    generated = generate_claims(claims, seed=seed, now=now, id_prefix=f"D{now:%H%M%S}")  # fresh ids each run
    rng = np.random.default_rng(seed)
    published_at: dict[str, datetime] = {}
    with EmbeddedPipeline(settings) as pipeline, Progress(console=console, transient=True) as progress:
        publisher = pipeline.bus.publisher()
        started = datetime.now(UTC)
        task = progress.add_task("Submitting FNOLs" + (" with documents" if with_documents else ""), total=claims)
        for claim in generated:
            fnol = attach_documents(claim, pipeline.deps.documents.put, rng) if with_documents else claim.fnol
            publisher.publish([Outgoing(topics.FNOL_INBOUND, fnol.claim_id, fnol.model_dump_json().encode())])
            published_at[fnol.claim_id] = datetime.now(UTC)
            progress.advance(task)
        decided = _await_decisions(pipeline.bus, claims, progress)
    seconds = (datetime.now(UTC) - started).total_seconds()
    dead = len(pipeline.bus.messages(topics.DLQ))
    settled = [Settlement.model_validate_json(m.value) for m in pipeline.bus.messages(topics.SETTLEMENT)]
    return DemoResult(
        decided,
        dead,
        published_at,
        seconds,
        {r.stage.name: list(r.stats.handle_seconds) for r in pipeline.runners},
        settled,
    )


def _await_decisions(bus: MemoryBus, expected: int, progress: Progress) -> list[ClaimCase]:
    """Read decisions and dead letters as they arrive until every claim has one or the other."""
    watcher = bus.stage_link("demo-summary", [topics.DECIDED, topics.DLQ])
    task = progress.add_task("Waiting for routing decisions", total=expected)
    decided: list[ClaimCase] = []
    ended = 0
    while ended < expected:
        batch = watcher.poll(500, 30.0)
        if not batch:
            raise TimeoutError(f"no decision for 30 s; {ended} of {expected} claims ended")
        watcher.commit([], batch)
        decided.extend(ClaimCase.model_validate_json(m.value) for m in batch if m.topic == topics.DECIDED)
        ended += len(batch)
        progress.update(task, completed=ended)
    return decided


def print_summary(result: DemoResult, console: Console) -> None:
    """Routes, straight-through rate, per-stage and end-to-end latency."""
    routes = Counter((c.decision.route.value, c.decision.desk or "-") for c in result.decided if c.decision)
    table = Table(
        title=f"{len(result.decided)} claims decided in {result.seconds:.1f} s "
        f"({len(result.decided) / max(result.seconds, 1e-9):.1f} claims/s)"
    )
    for column in ("route", "desk", "claims", "share"):
        table.add_column(column)
    for (route, desk), count in sorted(routes.items(), key=lambda kv: -kv[1]):
        table.add_row(route, desk, str(count), f"{count / max(len(result.decided), 1):.1%}")
    console.print(table)
    stp = sum(1 for c in result.decided if c.decision and c.decision.route is Route.STRAIGHT_THROUGH)
    console.print(
        f"Straight-through rate: {stp / max(len(result.decided), 1):.1%}   dead letters: {result.dead_letters}"
    )
    paid: dict[str, Decimal] = {}
    for settlement in result.settlements:  # amounts of different currencies are never added up
        paid[settlement.currency] = paid.get(settlement.currency, Decimal(0)) + settlement.payable_amount
    on_documents = sum(1 for s in result.settlements if s.paid_on == "document")
    console.print(
        f"Settlements on {topics.SETTLEMENT}: {len(result.settlements)} ({on_documents} on a document's "
        f"amount), {', '.join(f'{c} {a:,.2f}' for c, a in sorted(paid.items())) or 'nothing'} payable"
    )
    latency = Table(title="Latency (ms)")
    for column in ("stage", "p50", "p95", "max"):
        latency.add_column(column)
    for stage, seconds in result.stage_seconds.items():
        latency.add_row(stage, *_percentiles(seconds))
    e2e = [
        (c.decision.decided_at - result.published_at[c.claim_id]).total_seconds()
        for c in result.decided
        if c.decision and c.claim_id in result.published_at
    ]
    latency.add_row("end to end (submitted -> decided)", *_percentiles(e2e))
    console.print(latency)


def _percentiles(seconds: list[float]) -> tuple[str, str, str]:
    if not seconds:
        return ("-", "-", "-")
    values = np.array(seconds) * 1000
    return (f"{np.percentile(values, 50):.1f}", f"{np.percentile(values, 95):.1f}", f"{values.max():.1f}")
