"""Stage settings: what a batch takes at most, in process and on Kafka."""

from __future__ import annotations

import pytest

from services.core.settings import DocextractSettings, FraudSettings


def test_a_batch_takes_more_records_in_process_than_on_kafka_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_FRAUD_BATCH_SIZE", raising=False)
    monkeypatch.delenv("TRIAGE_DOCEXTRACT_BATCH_SIZE", raising=False)
    assert FraudSettings().batch_limit(in_process=True) == 500
    assert FraudSettings().batch_limit(in_process=False) == 100
    assert DocextractSettings().batch_limit(in_process=False) == 200

    monkeypatch.setenv("TRIAGE_FRAUD_BATCH_SIZE", "40")
    assert FraudSettings().batch_limit(in_process=True) == FraudSettings().batch_limit(in_process=False) == 40
