"""THE runner: deserialize -> validate -> handle -> publish -> commit, for every stage.

A batch's outputs (including dead letters) and its consumed offsets are committed in one
transaction, so each record counts exactly once. Effects outside the bus (store rows) are
written before the commit and are idempotent by claim id and stage, so a replay is harmless.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, cast

from opentelemetry import trace
from opentelemetry.trace import Tracer
from pydantic import BaseModel, ValidationError

from services.core import topics
from services.core.bus.port import Headers, Message, Outgoing, StageLink, TransientBusError
from services.core.events import ClaimCase
from services.core.events.case import SECTIONS_HEADER
from services.core.metrics import StageMetrics
from services.core.tracing import record_span

log = logging.getLogger(__name__)
# A store write or bus commit slower than this, plus a little per record, is logged: a stalled disk, a strained broker.
# (Handling is only timed: OCR may legitimately take long.)
SLOW_PHASE_S = 0.25
SLOW_PHASE_PER_RECORD_S = 0.001
In = TypeVar("In", bound=BaseModel)
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Rejected(Exception):
    """A record that can never be handled (bad content, conflict): it goes to the DLQ."""


class Transient(Exception):
    """A failure a retry can fix (a model gateway down): the batch is retried, nothing is skipped."""


@dataclass(frozen=True)
class Delivery:
    """Where a record came from: lets a handler tell a replay from a second delivery."""

    source: str
    received_at: datetime


@dataclass(frozen=True)
class Stage(Generic[In]):
    """A service's handler and where it reads and writes."""

    name: str
    input_topic: str
    output_topic: str
    input_model: type[In]
    handle: Callable[[In, Delivery], ClaimCase | None]
    # Idempotent (the composition root's record hook): given each case, its JSON as published, and the bytes of
    # the record it was made from, as consumed.
    record: Callable[[str, Sequence[ClaimCase], Sequence[str], Sequence[bytes]], None] | None = None
    # Optional: the whole batch in one call (a model scores 100 claims far faster than 100 times one);
    # a record it refuses comes back as its Rejected error, in its place, and goes to the DLQ.
    handle_batch: Callable[[list[In], list[Delivery]], Sequence[ClaimCase | None | Rejected]] | None = None
    # Optional: further events a published case calls for, as (topic, event), committed in the same transaction
    # as the case (the router's settlements). Given the stamped case, so a replay makes the same events.
    side_events: Callable[[ClaimCase], Sequence[tuple[str, BaseModel]]] | None = None
    # Optional: what a record costs (docextract: its documents) and what one batch may cost at most; a batch
    # ends before the record that would pass it (a record dearer on its own goes alone), the rest goes back.
    cost: Callable[[In], int] | None = None
    max_cost: int = 0


Handled = tuple[Message, Any, "ClaimCase | None | Exception", datetime, datetime]
Parsed = tuple[Message, "In | ValidationError"]


@dataclass
class RunnerStats:
    handled: int = 0
    dead_lettered: int = 0
    retries: int = 0
    batches: int = 0
    cpu_seconds: float = 0.0  # the stage thread's own CPU in polls, handling, records and commits
    # The most recent records' handling times (the demo's summary); bounded, as a service runs for months.
    handle_seconds: deque[float] = field(default_factory=lambda: deque(maxlen=100_000))


@dataclass(frozen=True)
class Worked:
    """A batch handled and recorded, not yet committed: the records it consumed and the ones to write."""

    batch: list[Message]
    outputs: list[Outgoing]
    cases: int
    phases: dict[str, float]  # seconds in handling and recording


def run_until(
    stop: threading.Event,
    name: str,
    once: Callable[[], int],
    rewind: Callable[[], None],
    stats: RunnerStats,
    metrics: StageMetrics | None,
) -> None:
    """Call `once` until `stop` is set; after a transient failure rewind, back off and call it again."""
    backoff = 0.1
    cpu = metrics.stage_cpu.labels(name) if metrics else None
    while not stop.is_set():
        began = time.thread_time()
        try:
            once()
            backoff = 0.1
        except (Transient, TransientBusError) as exc:
            rewind()
            stats.retries += 1
            if metrics:
                metrics.transient_failures.labels(name).inc()
            log.warning("stage %s: transient failure, retrying in %.1fs: %s", name, backoff, exc)
            stop.wait(backoff)
            backoff = min(backoff * 2, 10.0)
        finally:
            spent = time.thread_time() - began
            stats.cpu_seconds += spent
            if cpu is not None:
                cpu.inc(spent)


def dead_letter(stage: str, msg: Message, error: str, now: datetime) -> Outgoing:
    """The original bytes, untouched, with the stage, the error and the source in headers."""
    headers = (
        ("dlq.stage", stage.encode()),
        ("dlq.error", error[:4000].encode()),
        ("dlq.source", f"{msg.topic}:{msg.partition}:{msg.offset}".encode()),
        ("dlq.failed_at", now.isoformat().encode()),
    )
    key = msg.key.decode(errors="replace") if msg.key else ""
    return Outgoing(topics.DLQ, key, msg.value, headers)


def describe_validation(error: ValidationError) -> str:
    """One line naming every bad field, e.g. `loss.occurred_at: Input should be a valid datetime`."""
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in error.errors()]
    return "invalid " + error.title + ": " + "; ".join(parts)


class Runner(Generic[In]):
    """Drives one stage over one StageLink until stopped."""

    def __init__(
        self,
        stage: Stage[In],
        link: StageLink,
        *,
        batch_size: int = 100,
        poll_timeout_s: float = 0.5,
        clock: Clock = utcnow,
        metrics: StageMetrics | None = None,
        tracer: Tracer | None = None,
    ) -> None:
        self.stage, self.link, self.clock, self.metrics = stage, link, clock, metrics
        self.tracer = tracer or trace.get_tracer("claims-triage")
        self.batch_size, self.poll_timeout_s = batch_size, poll_timeout_s
        self.stats = RunnerStats()
        self._latency = metrics.handle_seconds.labels(stage.name) if metrics else None

    def run(self, stop: threading.Event) -> None:
        """Process batches until `stop` is set; transient failures back off and retry."""
        run_until(stop, self.stage.name, self.run_once, self.link.rewind, self.stats, self.metrics)

    def run_once(self) -> int:
        """Poll one batch, handle it and commit it; returns how many records it consumed."""
        batch = self.link.poll(self.batch_size, self.poll_timeout_s)
        if not batch:
            return 0
        worked = self.work(batch)
        began = time.perf_counter()
        self.link.commit(worked.outputs, worked.batch)
        self.settle(worked, time.perf_counter() - began)
        return len(worked.batch)

    def work(self, batch: list[Message]) -> Worked:
        """Handle a polled batch and record its cases, short of the commit: what to write and what was consumed (a
        cost budget may give the batch's tail back to the link)."""
        began = time.perf_counter()
        if self.stage.cost is None:
            parsed: list[Parsed[In]] = [(msg, self._decode(msg)) for msg in batch]
        else:
            parsed = self._within_budget(batch)
            batch = [msg for msg, _ in parsed]
        outputs: list[Outgoing] = []
        decoded: list[tuple[Message, In]] = []
        for msg, item in parsed:
            if isinstance(item, ValidationError):
                now = self.clock()
                outputs.append(self._reject(msg, describe_validation(item), now, now))
            else:
                decoded.append((msg, item))
        cases: list[ClaimCase] = []
        texts: list[str] = []  # each case's JSON, serialized once for the bus and the record
        consumed: list[bytes] = []  # the record each case was made from
        for msg, item, result, started, finished in self._handle(decoded):
            if isinstance(result, Exception):
                outputs.append(self._reject(msg, _error_text(result), started, finished))
            elif result is not None:  # None: e.g. a duplicate FNOL, consumed with nothing to publish
                case = result.stamped(self.stage.name, started, finished)
                cases.append(case)
                consumed.append(msg.value)
                self._observe(item, case, (finished - started).total_seconds())
                trace_headers = self._span(msg, case.claim_id, started, finished)
                text, places = case.to_json_placed()
                texts.append(text)
                headers = (*trace_headers, (SECTIONS_HEADER, places.encode()))
                outputs.append(Outgoing(self.stage.output_topic, case.claim_id, text.encode(), headers, case))
                for topic, event in self.stage.side_events(case) if self.stage.side_events else ():
                    outputs.append(
                        Outgoing(topic, case.claim_id, event.model_dump_json().encode(), trace_headers, event)
                    )
        handled = time.perf_counter()
        if cases and self.stage.record is not None:
            self.stage.record(self.stage.name, cases, texts, consumed)
        phases = {"handle": handled - began, "record": time.perf_counter() - handled}
        return Worked(batch, outputs, len(cases), phases)

    def settle(self, worked: Worked, commit_s: float) -> None:
        """Count a batch once its commit is done, so a retried batch is not counted twice."""
        self.stats.handled += worked.cases
        self.stats.batches += 1
        self._count(worked.batch, worked.outputs)
        self._time_phases(len(worked.batch), {**worked.phases, "commit": commit_s})

    def _time_phases(self, records: int, phases: dict[str, float]) -> None:
        if self.metrics is not None:
            self.metrics.batch_records.labels(self.stage.name).observe(records)
            for phase, seconds in phases.items():
                self.metrics.batch_seconds.labels(self.stage.name, phase).observe(seconds)
        allowed = SLOW_PHASE_S + SLOW_PHASE_PER_RECORD_S * records
        if any(seconds > allowed for phase, seconds in phases.items() if phase != "handle"):
            log.warning(
                "stage %s: slow batch of %d records: %s",
                self.stage.name,
                records,
                ", ".join(f"{phase} {seconds:.2f}s" for phase, seconds in phases.items()),
                extra={"stage": self.stage.name},
            )

    def _decode(self, msg: Message) -> In | ValidationError:
        if isinstance(msg.event, self.stage.input_model):  # in process: the writer's validated event
            return msg.event
        try:
            if self.stage.input_model is ClaimCase:  # its sections keep the JSON they came in, to pass it on
                places = next((value for key, value in msg.headers if key == SECTIONS_HEADER), None)
                return cast(In, ClaimCase.from_json(msg.value, places))
            return self.stage.input_model.model_validate_json(msg.value)
        except ValidationError as exc:
            return exc

    def _within_budget(self, batch: list[Message]) -> list[Parsed[In]]:
        """The head of a batch whose cost fits the stage's budget (at least one record), decoded; the rest goes
        back undecoded (it is decoded when it comes again)."""
        assert self.stage.cost is not None
        parsed: list[Parsed[In]] = []
        spent = 0
        for i, msg in enumerate(batch):
            item = self._decode(msg)
            cost = 0 if isinstance(item, ValidationError) else self.stage.cost(item)
            if i and spent + cost > self.stage.max_cost:
                self.link.give_back(batch[i:])
                return parsed
            parsed.append((msg, item))
            spent += cost
        return parsed

    def _observe(self, item: In, case: ClaimCase, seconds: float) -> None:
        self.stats.handle_seconds.append(seconds)
        if self.metrics is not None and self._latency is not None:
            self._latency.observe(seconds)
            self.metrics.observe_case(item, case)

    def _count(self, consumed: Sequence[Message], produced: Sequence[Outgoing]) -> None:
        """Counters move only once the batch is committed, so a retried batch is not counted twice."""
        if self.metrics is None:
            return
        name = self.stage.name
        self.metrics.messages_in.labels(name).inc(len(consumed))
        for topic, count in Counter(out.topic for out in produced).items():
            self.metrics.messages_out.labels(name, topic).inc(count)
            if topic == topics.DLQ:
                self.metrics.dead_letters.labels(name).inc(count)
        self.metrics.consumer_lag.labels(name).set(self.link.lag())

    def _handle(self, decoded: list[tuple[Message, In]]) -> Iterator[Handled]:
        """Each record's outcome: one call for the batch when the stage can, else one call per record."""
        if self.stage.handle_batch is not None and decoded:
            started = self.clock()
            try:
                results = self.stage.handle_batch(
                    [item for _, item in decoded], [_delivery(msg, started) for msg, _ in decoded]
                )
            except (Transient, TransientBusError):
                raise
            except Exception:  # one poison record must not fail the others: isolate it record by record
                log.warning("stage %s: batch failed, handling its records one by one", self.stage.name)
            else:
                finished = self.clock()
                for (msg, item), result in zip(decoded, results, strict=True):
                    yield msg, item, result, started, finished
                return
        for msg, item in decoded:
            started = self.clock()
            yield msg, item, self._handle_one(msg, item, started), started, self.clock()

    def _handle_one(self, msg: Message, item: In, started: datetime) -> ClaimCase | None | Exception:
        try:
            return self.stage.handle(item, _delivery(msg, started))
        except (Transient, TransientBusError):
            raise
        except Exception as exc:  # a bug or a poison record must not stop the stream
            if not isinstance(exc, Rejected):
                log.exception("stage %s failed on %s:%s", self.stage.name, msg.topic, msg.offset)
            return exc

    def _reject(self, msg: Message, error: str, started: datetime, finished: datetime) -> Outgoing:
        self.stats.dead_lettered += 1
        claim_id = msg.key.decode(errors="replace") if msg.key else ""
        log.warning(
            "stage %s: %s:%s to DLQ: %s",
            self.stage.name,
            msg.topic,
            msg.offset,
            error[:300],
            extra={"claim_id": claim_id, "stage": self.stage.name},
        )
        letter = dead_letter(self.stage.name, msg, error, finished)
        trace_headers = self._span(msg, claim_id, started, finished, error)
        return Outgoing(letter.topic, letter.key, letter.value, letter.headers + trace_headers)

    def _span(
        self, msg: Message, claim_id: str, started: datetime, finished: datetime, error: str | None = None
    ) -> Headers:
        return record_span(
            self.tracer, f"{self.stage.name} process", msg.headers, claim_id, msg.topic, started, finished, error
        )


def _delivery(msg: Message, received_at: datetime) -> Delivery:
    return Delivery(f"{msg.topic}:{msg.partition}:{msg.offset}", received_at)


def _error_text(exc: Exception) -> str:
    return f"rejected: {exc}" if isinstance(exc, Rejected) else f"{type(exc).__name__}: {exc}"


def drain(runners: Sequence[Runner[BaseModel]], *, idle_rounds: int = 2) -> None:
    """Run stages in turn in this thread until none has anything left (tests, small batches)."""
    idle = 0
    while idle < idle_rounds:
        moved = sum(r.run_once() for r in runners)
        idle = idle + 1 if moved == 0 else 0
