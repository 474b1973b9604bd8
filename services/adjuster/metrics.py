"""The adjuster service's Prometheus metrics beyond its responses: decisions by outcome, and the feedback outbox
(labels waiting for the broker, relay passes it refused). No label carries a claim id or a person."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge

from services.adjuster.outbox import Outbox


class DeskMetrics:
    def __init__(self, registry: CollectorRegistry, outbox: Outbox) -> None:
        self.decisions = Counter(
            "triage_adjuster_decisions", "Adjusters' decisions recorded, by outcome", ["outcome"], registry=registry
        )
        self.relay_failures = Counter(
            "triage_outbox_relay_failures",
            "Outbox relay passes that failed (the broker away): their labels wait",
            registry=registry,
        )
        pending = Gauge(
            "triage_outbox_pending",
            "Labels committed with their decisions, not yet acknowledged by the broker",
            registry=registry,
        )
        pending.set_function(outbox.pending)  # read from the database at each scrape
