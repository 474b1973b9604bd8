"""OpenTelemetry traces that follow a claim across Kafka hops (W3C traceparent in record headers)."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any, Literal

from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, Decision, ParentBased
from opentelemetry.trace import NonRecordingSpan, SpanContext, Status, StatusCode, TraceFlags, Tracer

from services.core.bus.port import Headers

TRACE_HEADERS = ("traceparent", "tracestate")
# A W3C traceparent as OpenTelemetry's propagator writes it (version 00, lower-case hex; ids not all zero: checked).
_TRACEPARENT = re.compile(rb"00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_ZERO_TRACE, _ZERO_SPAN = b"0" * 32, b"0" * 16


def configure_tracing(service: str, exporter: Literal["none", "console", "otlp"]) -> None:
    """Install the process's tracer provider (see `tracer_provider`)."""
    trace.set_tracer_provider(tracer_provider(service, exporter))


def tracer_provider(service: str, exporter: Literal["none", "console", "otlp"]) -> TracerProvider:
    """The tracer provider for `exporter`; trace context is propagated in every case.

    With `none` a service starts no sampled trace itself: its spans are not recorded (recording one that nobody
    exports still costs time on every hop) and the trace ids it starts travel marked not sampled; a span whose
    parent was sampled upstream is still recorded, so a trace started by an exporting service keeps every hop.
    """
    sampler = ParentBased(ALWAYS_OFF) if exporter == "none" else ParentBased(ALWAYS_ON)
    provider = TracerProvider(resource=Resource.create({"service.name": f"claims-triage-{service}"}), sampler=sampler)
    chosen: SpanExporter | None = None
    if exporter == "console":
        chosen = ConsoleSpanExporter()
    elif exporter == "otlp":
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError as exc:
            raise RuntimeError("TRIAGE_OTEL_EXPORTER=otlp needs `pip install .[otlp]`") from exc
        chosen = OTLPSpanExporter()  # endpoint from OTEL_EXPORTER_OTLP_ENDPOINT, as the OTel spec says
    if chosen is not None:
        provider.add_span_processor(BatchSpanProcessor(chosen))
    return provider


def record_span(
    tracer: Tracer,
    name: str,
    parent_headers: Headers,
    claim_id: str,
    topic: str,
    started: datetime,
    finished: datetime,
    error: str | None = None,
) -> Headers:
    """A span for one claim's pass through a stage, child of the span that produced the record; its headers."""
    unsampled = _unsampled_child(tracer, parent_headers)
    if unsampled is not None:
        return unsampled
    parent = extract({k: v.decode(errors="replace") for k, v in parent_headers if k in TRACE_HEADERS})
    span = tracer.start_span(
        name,
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        start_time=_ns(started),
        attributes={"claim.id": claim_id, "messaging.system": "kafka", "messaging.destination.name": topic},
    )
    if error is not None:
        span.set_status(Status(StatusCode.ERROR, error[:200]))
    span.end(end_time=_ns(finished))
    carrier: dict[str, str] = {}
    inject(carrier, context=trace.set_span_in_context(span))
    return tuple((k, v.encode()) for k, v in carrier.items())


def _unsampled_child(tracer: Tracer, parent_headers: Headers) -> Headers | None:
    """The headers of a child of an unsampled parent, when `tracer` records no such child: the parent's trace id,
    a new span id and the flags unsampled (its random-trace-id flag kept), as OpenTelemetry's own span and
    propagator write them, for a fraction of the time (a pipeline without an exporter carries every claim's trace
    this way at every hop). None when the parent is sampled, absent, not plainly written or has a trace state."""
    ids = _drops_unsampled(tracer)
    traceparent = next((v for k, v in parent_headers if k == "traceparent"), None)
    found = _TRACEPARENT.fullmatch(traceparent) if ids is not None and traceparent is not None else None
    if found is None or ids is None:
        return None
    trace_id, span_id, flags = found.groups()
    if int(flags, 16) & TraceFlags.SAMPLED or trace_id == _ZERO_TRACE or span_id == _ZERO_SPAN:
        return None
    if any(k == "tracestate" for k, _ in parent_headers):
        return None
    child = f"{ids.generate_span_id():016x}-{int(flags, 16) & TraceFlags.RANDOM_TRACE_ID:02x}".encode()
    return (("traceparent", b"00-" + trace_id + b"-" + child),)


@cache
def _drops_unsampled(tracer: Tracer) -> Any:
    """`tracer`'s span id generator when it is the SDK's and its sampler records no child of an unsampled remote
    parent (ParentBased, whatever its root: every provider `tracer_provider` makes); else None."""
    sampler, ids = getattr(tracer, "sampler", None), getattr(tracer, "id_generator", None)
    if not isinstance(sampler, ParentBased) or ids is None:
        return None
    parent = SpanContext(1, 1, is_remote=True, trace_flags=TraceFlags(TraceFlags.DEFAULT))
    context = trace.set_span_in_context(NonRecordingSpan(parent))
    return ids if sampler.should_sample(context, 1, "probe").decision is Decision.DROP else None


def _ns(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000_000)
