"""A claim's spans across stages form one trace: each stage's span is the child of the one before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
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


@pytest.mark.parametrize("exporter", ["none", "console"])
@pytest.mark.parametrize("flags", ["00", "02"])
def test_an_unsampled_parents_child_carries_what_opentelemetry_itself_writes(exporter: str, flags: str) -> None:
    provider = tracer_provider("test", exporter)  # type: ignore[arg-type]
    tracer = provider.get_tracer("test")
    now = datetime.now(UTC)
    parent = (("traceparent", f"00-{'ab' * 16}-{'cd' * 8}-{flags}".encode()),)
    fast = dict(record_span(tracer, "fraud process", parent, "C-1", topics.SCORED, now, now))
    carrier: dict[str, str] = {}  # OpenTelemetry's own span and propagator, as record_span did for every hop
    span = tracer.start_span("fraud process", context=extract({"traceparent": parent[0][1].decode()}))
    inject(carrier, context=trace.set_span_in_context(span))
    assert not span.is_recording()
    assert fast.keys() == carrier.keys() == {"traceparent"}
    ours, theirs = fast["traceparent"].decode().split("-"), carrier["traceparent"].split("-")
    assert (ours[0], ours[1], ours[3]) == (theirs[0], theirs[1], theirs[3])  # version, trace id, flags
    assert ours[2] != "cd" * 8 and int(ours[2], 16) != 0  # a span id of its own
    spans = {dict(record_span(tracer, "x", parent, "C-1", "t", now, now))["traceparent"] for _ in range(50)}
    assert len(spans) == 50


@pytest.mark.parametrize(
    ("parent", "kept"),
    [
        ((("traceparent", f"00-{'ab' * 16}-{'cd' * 8}-00".encode()), ("tracestate", b"vendor=1")), True),
        ((("traceparent", f"00-{'0' * 32}-{'cd' * 8}-00".encode()),), False),  # invalid: a new trace
        ((("traceparent", f"00-{'AB' * 16}-{'cd' * 8}-00".encode()),), False),
    ],
)
def test_a_parent_with_a_trace_state_or_not_plainly_written_goes_through_opentelemetry(
    parent: tuple[tuple[str, bytes], ...], kept: bool
) -> None:
    tracer = tracer_provider("test", "none").get_tracer("test")
    now = datetime.now(UTC)
    carrier: dict[str, str] = {}
    span = tracer.start_span("x", context=extract({k: v.decode() for k, v in parent}))
    inject(carrier, context=trace.set_span_in_context(span))
    written = {k: v.decode() for k, v in record_span(tracer, "x", parent, "C-1", "t", now, now)}
    assert written.keys() == carrier.keys() and written.get("tracestate") == carrier.get("tracestate")
    same_trace = written["traceparent"].split("-")[1] == parent[0][1].decode().split("-")[1]
    assert same_trace is kept and (carrier["traceparent"].split("-")[1] == parent[0][1].decode().split("-")[1]) is kept
