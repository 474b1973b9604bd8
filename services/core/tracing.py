"""OpenTelemetry traces that follow a claim across Kafka hops (W3C traceparent in record headers)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased
from opentelemetry.trace import Status, StatusCode, Tracer

from services.core.bus.port import Headers

TRACE_HEADERS = ("traceparent", "tracestate")


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


def _ns(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000_000)
