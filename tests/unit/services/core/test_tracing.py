"""A claim's spans across stages form one trace: each stage's span is the child of the one before."""

from __future__ import annotations

from datetime import UTC, datetime

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from claimgen.fnol import GeneratedClaim
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing
from services.core.events import ClaimCase
from services.core.runner import Delivery, Rejected, Runner, Stage, drain
from services.core.tracing import record_span, tracer_provider


def pass_through(case: ClaimCase, delivery: Delivery) -> ClaimCase:
    if case.fnol.supplements > 90:
        raise Rejected("too many supplements")
    return case


def test_spans_of_one_claim_chain_across_hops_and_into_the_dlq(sample_claims: list[GeneratedClaim]) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    bus = MemoryBus()
    good = ClaimCase.model_validate(
        {
            "event_id": "6f1c6a52-5a53-4c8e-9d0e-2f8f3c3f7a10",
            "claim_id": "C-1",
            "occurred_at": "2026-11-24T09:00:00Z",
            "accepted_at": "2026-11-24T09:00:00Z",
            "fnol": sample_claims[0].fnol,
        }
    )
    bad = good.model_copy(
        update={"claim_id": "C-2", "fnol": sample_claims[1].fnol.model_copy(update={"supplements": 99})}
    )
    bus.publisher().publish([Outgoing(topics.FNOL, c.claim_id, c.model_dump_json().encode()) for c in (good, bad)])
    first = Stage("first", topics.FNOL, topics.EXTRACTED, ClaimCase, pass_through)
    second = Stage("second", topics.EXTRACTED, topics.SCORED, ClaimCase, pass_through)
    drain(
        [
            Runner(first, bus.stage_link("first", [topics.FNOL]), poll_timeout_s=0.01, tracer=tracer),
            Runner(second, bus.stage_link("second", [topics.EXTRACTED]), poll_timeout_s=0.01, tracer=tracer),
        ]
    )

    spans = {(s.name, s.attributes["claim.id"]): s for s in exporter.get_finished_spans()}
    hop1, hop2 = spans[("first process", "C-1")], spans[("second process", "C-1")]
    assert hop2.context.trace_id == hop1.context.trace_id
    assert hop2.parent is not None and hop2.parent.span_id == hop1.context.span_id
    assert not spans[("first process", "C-2")].status.is_ok
    [dead] = bus.messages(topics.DLQ)
    assert "traceparent" in dict(dead.headers) and "dlq.error" in dict(dead.headers)


def test_without_an_exporter_a_service_records_no_trace_it_starts_but_follows_a_sampled_one() -> None:
    exporter = InMemorySpanExporter()
    provider = tracer_provider("test", "none")
    provider.add_span_processor(SimpleSpanProcessor(exporter))  # to see what would be recorded
    tracer = provider.get_tracer("test")
    now = datetime.now(UTC)

    started = dict(record_span(tracer, "intake process", (), "C-1", topics.FNOL, now, now))
    unsampled = dict(record_span(tracer, "fraud process", tuple(started.items()), "C-1", topics.SCORED, now, now))
    assert exporter.get_finished_spans() == ()
    _, trace_id, _, flags = unsampled["traceparent"].decode().split("-")
    assert trace_id == started["traceparent"].decode().split("-")[1]  # the trace id still travels
    assert int(flags, 16) & 1 == 0

    sampled_upstream = (("traceparent", f"00-{'ab' * 16}-{'cd' * 8}-01".encode()),)
    record_span(tracer, "fraud process", sampled_upstream, "C-2", topics.SCORED, now, now)
    [span] = exporter.get_finished_spans()
    assert span.context.trace_id == int("ab" * 16, 16) and span.parent is not None
