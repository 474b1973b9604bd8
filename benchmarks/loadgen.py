"""Load generation and measurement shared by the load and chaos benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import orjson
from rich.progress import Progress

from claimgen.bundle import attach_documents
from claimgen.fnol import generate_claims
from services.core import topics
from services.core.bus.port import Message, Outgoing, Publisher, TransientBusError
from services.core.events import FNOL, ClaimCase


def make_fnols(
    count: int, *, prefix: str, documents_share: float, put: Callable[[bytes], str], seed: int = 21
) -> list[FNOL]:
    """Realistic FNOLs; a share of them with their PDF documents stored through `put`."""
    rng = np.random.default_rng(seed)
    claims = generate_claims(count, seed=seed, id_prefix=prefix)
    return [attach_documents(c, put, rng) if rng.random() < documents_share else c.fnol for c in claims]


def publish_paced(
    publisher: Publisher, fnols: Sequence[FNOL], rate: float | None, progress: Progress | None = None
) -> dict[str, datetime]:
    """Publish at `rate` claims/s (as fast as possible when None), in small batches; each claim's publish time."""
    published: dict[str, datetime] = {}
    chunk = 10 if rate is None or rate >= 100 else 1
    # Serialized before the clock starts: an intake system has its messages ready; the pipeline is measured.
    records = [Outgoing(topics.FNOL_INBOUND, f.claim_id, f.model_dump_json().encode()) for f in fnols]
    start = time.monotonic()
    task = progress.add_task("publishing FNOLs", total=len(fnols)) if progress else None
    for i in range(0, len(records), chunk):
        if rate is not None:
            due = start + i / rate
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)  # pacing the generator, not waiting for a result
        batch = records[i : i + chunk]
        publish_until_taken(publisher, batch)
        now = datetime.now(UTC)
        published.update((out.key, now) for out in batch)
        if progress and task is not None:
            progress.advance(task, len(batch))
    return published


def publish_until_taken(publisher: Publisher, batch: Sequence[Outgoing], attempts: int = 5) -> None:
    """As an intake system does: a batch the broker did not take (restarting past the delivery timeout) is sent
    again; intake accepts each claim once however often it arrives."""
    for attempt in range(1, attempts + 1):
        try:
            publisher.publish(batch)
            return
        except TransientBusError:
            if attempt == attempts:
                raise


@dataclass(frozen=True)
class Decided:
    """What the benchmarks read of a decision record: the claim, when it was decided, when each stage finished.

    Read with orjson, not validated as a whole case: the load generator shares the machine's two cores with the
    pipeline it measures, and a full validation of every decision costs it more than some stages spend."""

    claim_id: str
    decided_at: datetime | None
    finished: tuple[tuple[str, datetime], ...]

    @classmethod
    def of(cls, msg: Message) -> Decided:
        if isinstance(msg.event, ClaimCase):  # in process the bus hands over the router's own case
            case = msg.event
            return cls(
                case.claim_id,
                case.decision.decided_at if case.decision else None,
                tuple((s.stage, s.finished_at) for s in case.trace),
            )
        data = orjson.loads(msg.value)
        decision = data.get("decision")
        return cls(
            data["claim_id"],
            datetime.fromisoformat(decision["decided_at"]) if decision else None,
            tuple((s["stage"], datetime.fromisoformat(s["finished_at"])) for s in data.get("trace", ())),
        )


def collect_decisions(
    poll: Callable[[], list[Message]], expected: set[str], deadline_s: float, progress: Progress | None = None
) -> tuple[dict[str, list[Decided]], int]:
    """Decisions for the expected claims (every copy, to catch doubles) and how many of them were dead-lettered."""
    decided: dict[str, list[Decided]] = {}
    dead: set[str] = set()
    task = progress.add_task("waiting for decisions", total=len(expected)) if progress else None
    end = time.monotonic() + deadline_s
    while len(decided) + len(dead) < len(expected) and time.monotonic() < end:
        for msg in poll():
            claim_id = msg.key.decode() if msg.key else ""
            if claim_id not in expected:
                continue
            if msg.topic == topics.DLQ:
                dead.add(claim_id)
            else:
                decided.setdefault(claim_id, []).append(Decided.of(msg))
        if progress and task is not None:
            progress.update(task, completed=len(decided) + len(dead))
    return decided, len(dead)


@dataclass(frozen=True)
class LoadReport:
    claims: int
    cps: float
    e2e_ms: dict[str, float]
    stage_ms: dict[str, dict[str, float]]

    def rows(self) -> list[tuple[str, ...]]:
        rows = [(stage, *(f"{v:.1f}" for v in ms.values())) for stage, ms in self.stage_ms.items()]
        return [*rows, ("end to end", *(f"{v:.1f}" for v in self.e2e_ms.values()))]


def measure(decided: dict[str, list[Decided]], published: dict[str, datetime]) -> LoadReport:
    """Throughput from first publish to last decision; latency percentiles end to end and per stage.

    A stage's latency is the time from the previous stage's output to its own (waiting in Kafka
    plus handling), so the stages add up to the end-to-end figure.
    """
    cases = [(copies[0], copies[0].decided_at) for copies in decided.values() if copies[0].decided_at]
    first = min(published[c.claim_id] for c, _ in cases)
    last = max(at for _, at in cases)
    e2e = [(at - published[c.claim_id]).total_seconds() * 1000 for c, at in cases]
    per_stage: dict[str, list[float]] = {}
    for case, _ in cases:
        previous = published[case.claim_id]
        for stage, finished_at in case.finished:
            per_stage.setdefault(stage, []).append((finished_at - previous).total_seconds() * 1000)
            previous = finished_at
    return LoadReport(
        len(cases),
        len(cases) / max((last - first).total_seconds(), 1e-9),
        _percentiles(e2e),
        {stage: _percentiles(values) for stage, values in per_stage.items()},
    )


def _percentiles(values: list[float]) -> dict[str, float]:
    array = np.array(values)
    return {q: float(np.percentile(array, int(q[1:]))) for q in ("p50", "p95", "p99")}
