"""A batch slower than the session timeout keeps its partitions: heartbeats run on their own thread."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from services.core.bus.kafka import KafkaBus
from services.core.bus.port import Outgoing
from services.core.events import FNOL, ClaimCase
from services.core.runner import Delivery, Runner, Stage
from services.core.settings import TriageSettings

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
SESSION_TIMEOUT_MS = 6_000


def test_a_slow_record_is_committed_once_without_a_rebalance(kafka_bootstrap: str, sample_claims) -> None:  # type: ignore[no-untyped-def]
    bus = KafkaBus(
        TriageSettings(bus="kafka", kafka_bootstrap=kafka_bootstrap, kafka_session_timeout_ms=SESSION_TIMEOUT_MS),
        max_poll_interval_ms=60_000,
    )
    source, sink = (f"test.slow.{name}.{uuid.uuid4().hex[:8]}" for name in ("in", "out"))
    bus.ensure_topics([source, sink])
    fnol = sample_claims[0].fnol
    bus.publisher().publish([Outgoing(source, fnol.claim_id, fnol.model_dump_json().encode())])
    handled: list[str] = []

    def slow_handler(item: FNOL, delivery: Delivery) -> ClaimCase | None:
        handled.append(item.claim_id)
        threading.Event().wait(SESSION_TIMEOUT_MS / 1000 * 1.5)  # the work itself outlasts the session timeout
        return None

    runner = Runner(Stage("slow", source, sink, FNOL, slow_handler), bus.stage_link("slow", [source], "0"))
    end = time.monotonic() + 60
    while runner.run_once() == 0:
        assert time.monotonic() < end, "the record never arrived"
    assert runner.stats.batches == 1  # the commit after the slow batch succeeded: still a group member
    assert runner.run_once() == 0 and handled == [fnol.claim_id]
