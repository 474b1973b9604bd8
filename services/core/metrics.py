"""Prometheus metrics every stage exposes. Labels never carry personal data: stage, topic, model only."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from services.core.events import ClaimCase, ModelRef

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
SCORE_BUCKETS = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0)
BATCH_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500)
COST_BUCKETS = (250, 500, 1000, 2000, 3000, 5000, 10_000, 20_000, 50_000, 100_000)


class StageMetrics:
    """One process's metrics, in its own registry so tests and several runners never collide."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.messages_in = Counter("triage_messages_in", "Records consumed", ["stage"], registry=r)
        self.messages_out = Counter("triage_messages_out", "Records produced", ["stage", "topic"], registry=r)
        self.stage_cpu = Counter(
            "triage_stage_cpu_seconds",
            "CPU the stage's own thread spent polling, handling and committing",
            ["stage"],
            registry=r,
        )
        self.dead_letters = Counter("triage_dead_letters", "Records sent to the DLQ", ["stage"], registry=r)
        self.transient_failures = Counter(
            "triage_transient_failures", "Batches retried after a transient failure", ["stage"], registry=r
        )
        self.handle_seconds = Histogram(
            "triage_stage_seconds", "Time a stage spent on one claim", ["stage"], buckets=LATENCY_BUCKETS, registry=r
        )
        self.batch_seconds = Histogram(
            "triage_batch_seconds",
            "Time one batch spent in a phase: handle (decode and handle its records), record "
            "(store rows and audit entries), commit (the bus transaction)",
            ["stage", "phase"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.batch_records = Histogram(
            "triage_batch_records",
            "Records consumed per batch (one bus transaction)",
            ["stage"],
            buckets=BATCH_BUCKETS,
            registry=r,
        )
        self.consumer_lag = Gauge("triage_consumer_lag", "Records waiting in the stage's input", ["stage"], registry=r)
        self.fraud_scores = Histogram(
            "triage_fraud_probability",
            "Fraud probabilities by model version and arm",
            ["model", "version", "arm"],
            buckets=SCORE_BUCKETS,
            registry=r,
        )
        self.severity_estimates = Histogram(
            "triage_severity_expected_cost",
            "Expected claim cost by model version",
            ["model", "version", "arm"],
            buckets=COST_BUCKETS,
            registry=r,
        )
        self.decisions = Counter(
            "triage_decisions", "Routing decisions", ["route", "desk", "policy_version"], registry=r
        )

    def observe_case(self, before: object, after: ClaimCase) -> None:
        """Model scores and the route of a case, counted by the stage that added them (not by later stages)."""
        if after.fraud and _added(before, "fraud"):
            self._observe(self.fraud_scores, after.fraud.model, after.fraud.probability)
        severity = after.severity
        if severity and severity.model and severity.expected_cost is not None and _added(before, "severity"):
            self._observe(self.severity_estimates, severity.model, severity.expected_cost)
        if after.decision and _added(before, "decision"):
            d = after.decision
            self.decisions.labels(d.route.value, d.desk or "-", d.policy_version).inc()

    @staticmethod
    def _observe(histogram: Histogram, model: ModelRef, value: float) -> None:
        histogram.labels(model.name, model.version, model.arm).observe(value)

    def serve(self, port: int) -> None:
        """Expose /metrics on `port` from a background thread."""
        start_http_server(port, registry=self.registry)


def _added(before: object, section: str) -> bool:
    """Whether the stage's input case lacked `section` (so this stage is the one that added it)."""
    return isinstance(before, ClaimCase) and getattr(before, section) is None
