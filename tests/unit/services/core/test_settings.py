"""Stage settings: what a batch takes at most, in process and on Kafka; the gateway's threads for SHAP values."""

from __future__ import annotations

import pytest

from services.core.settings import DocextractSettings, FraudSettings, GatewaySettings


def test_a_batch_takes_more_records_in_process_than_on_kafka_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_FRAUD_BATCH_SIZE", raising=False)
    monkeypatch.delenv("TRIAGE_DOCEXTRACT_BATCH_SIZE", raising=False)
    assert FraudSettings().batch_limit(in_process=True) == 500
    assert FraudSettings().batch_limit(in_process=False) == 100
    assert DocextractSettings().batch_limit(in_process=False) == 200

    monkeypatch.setenv("TRIAGE_FRAUD_BATCH_SIZE", "40")
    assert FraudSettings().batch_limit(in_process=True) == FraudSettings().batch_limit(in_process=False) == 40


def test_the_gateway_shares_the_cores_among_its_workers_for_shap_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_GATEWAY_EXPLAIN_THREADS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    monkeypatch.setenv("TRIAGE_GATEWAY_WORKERS", "2")
    assert GatewaySettings().resolved_explain_threads() == 4
    monkeypatch.setenv("TRIAGE_GATEWAY_WORKERS", "16")
    assert GatewaySettings().resolved_explain_threads() == 1  # never none
    monkeypatch.setenv("TRIAGE_GATEWAY_EXPLAIN_THREADS", "3")
    assert GatewaySettings().resolved_explain_threads() == 3
