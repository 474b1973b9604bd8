"""Claims stream through the Kafka pipeline while stages are SIGKILLed and the broker restarts: none lost or doubled."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from benchmarks.chaos import run_chaos
from services.core.settings import TriageSettings

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def test_kills_and_a_broker_restart_lose_and_double_nothing(kafka_bootstrap: str, tmp_path: Path) -> None:
    from training.run import train_missing

    train_missing(TriageSettings(data_dir=tmp_path), names=("fraud", "severity", "peril"))
    result = run_chaos(
        kafka_bootstrap, tmp_path, claims=1500, rate=50, kills=5, restart_broker=True, console=Console(quiet=True)
    )
    assert (result.lost, result.doubled, result.dead_lettered) == (0, 0, 0), result.line()
    assert result.decisions == 1500
    assert result.kills == 5 and result.broker_restarts == 1
    assert result.crashed == 0, "a stage died by itself (the broker restart should be survived)"
    assert (result.audit_missing, result.audit_doubled, result.audit_chain_intact) == (0, 0, True), result.line()
