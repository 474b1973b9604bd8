"""`triage demo`: the product in one process on the embedded default, fed generated FNOLs over HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from claimgen.bundle import claim_documents
from claimgen.fnol import generate_claims
from services.app.product import Ports, Product
from services.core import topics
from services.core.auth import Role
from services.core.bus.port import StageLink
from services.core.events import FNOL, ClaimCase, Route, Settlement
from services.core.settings import TriageSettings

SENDERS = 8  # concurrent HTTP clients, as several intake systems
ANY_PORTS = Ports(intake=0, adjuster=0)


@dataclass
class DemoResult:
    decided: list[ClaimCase]
    dead_letters: int
    published_at: dict[str, datetime]
    seconds: float
    stage_seconds: dict[str, list[float]] = field(default_factory=dict)
    settlements: list[Settlement] = field(default_factory=list)


def run_demo(
    settings: TriageSettings,
    *,
    claims: int,
    seed: int,
    console: Console,
    with_documents: bool = True,
    ports: Ports = ANY_PORTS,
    stay_up: Callable[[Product], None] | None = None,
) -> DemoResult:
    """Train models if needed, start the product (`triage serve`'s), send `claims` generated FNOLs (with PDFs
    unless told not to) through its intake API over HTTP and wait for every decision; then `stay_up`, if given,
    keeps it serving until it returns."""
    from training.run import train_missing  # training pulls in mlflow and lightgbm: only when asked

    train_missing(settings, console=console)
    now = datetime.now(UTC).replace(microsecond=0)
    generated = generate_claims(claims, seed=seed, now=now, id_prefix=f"D{now:%H%M%S}")  # fresh ids each run
    rng = np.random.default_rng(seed)
    bundles = [(c.fnol, claim_documents(c, rng) if with_documents else []) for c in generated]
    with Product(settings, ports) as product, Progress(console=console, transient=True) as progress:
        bus = product.pipeline.bus
        watcher = bus.stage_link("demo-summary", [topics.DECIDED, topics.DLQ])
        started = datetime.now(UTC)
        task = progress.add_task("Submitting FNOLs" + (" with documents" if with_documents else ""), total=claims)
        token = product.token("demo", Role.INTAKE_SYSTEM)
        published_at = send_all(product.urls["intake"], token, bundles, lambda: progress.advance(task))
        decided = _await_decisions(watcher, claims, progress)
        seconds = (datetime.now(UTC) - started).total_seconds()
        result = DemoResult(
            decided,
            len(bus.messages(topics.DLQ)),
            published_at,
            seconds,
            {r.stage.name: list(r.stats.handle_seconds) for r in product.pipeline.runners},
            [Settlement.model_validate_json(m.value) for m in bus.messages(topics.SETTLEMENT)],
        )
        progress.stop()
        if stay_up is not None:
            print_summary(result, console)
            stay_up(product)
    return result


def send_all(
    url: str, token: str, bundles: Sequence[tuple[FNOL, list[tuple[str, bytes]]]], sent: Callable[[], None]
) -> dict[str, datetime]:
    """POST every FNOL (multipart with its documents when it has any) from a few clients at once, as intake
    systems do; returns when each was accepted (202)."""
    accepted: dict[str, datetime] = {}
    with httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}, timeout=60) as client:

        def send(bundle: tuple[FNOL, list[tuple[str, bytes]]]) -> None:
            answer = client.post("/v1/fnol", **fnol_request(*bundle))
            if answer.status_code != 202:
                raise RuntimeError(f"intake refused {bundle[0].claim_id}: {answer.status_code} {answer.text}")
            accepted[bundle[0].claim_id] = datetime.now(UTC)
            sent()

        with ThreadPoolExecutor(SENDERS) as pool:
            list(pool.map(send, bundles))
    return accepted


def fnol_request(fnol: FNOL, documents: list[tuple[str, bytes]]) -> dict[str, Any]:
    """One FNOL as an intake system sends it (httpx's post arguments): JSON alone, or multipart with its
    documents as files."""
    if not documents:
        return {"content": fnol.model_dump_json(), "headers": {"content-type": "application/json"}}
    files = [("documents", (name, content, "application/pdf")) for name, content in documents]
    return {"data": {"fnol": fnol.model_dump_json()}, "files": files}


def _await_decisions(watcher: StageLink, expected: int, progress: Progress) -> list[ClaimCase]:
    """Read decisions and dead letters as they arrive until every claim has one or the other."""
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
