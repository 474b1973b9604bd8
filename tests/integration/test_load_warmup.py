"""The load benchmark's warm-up reads the real broker's JIT compiler threads, and counts an ended one as no work."""

from __future__ import annotations

import os

import pytest

from benchmarks.load import broker_pid, jit_cpu, jit_seconds_between

pytestmark = pytest.mark.kafka


def test_the_broker_s_jit_threads_are_found_and_have_worked(kafka_bootstrap: str) -> None:
    if os.environ.get("TRIAGE_TEST_KAFKA"):
        pytest.skip("the tests use a broker of their own, not one scripts/kafka.sh runs")
    pid = broker_pid()
    assert pid is not None
    used = jit_cpu(pid)
    assert used  # HotSpot runs C1 and C2 compiler threads from start-up
    assert sum(used.values()) > 0  # a broker serving requests has compiled something


def test_a_compiler_thread_that_ended_between_readings_counts_as_no_work() -> None:
    before = {1: 2.0, 2: 5.0}
    after = {1: 2.5, 3: 0.25}  # thread 2 ended (idle), thread 3 started
    assert jit_seconds_between(before, after) == pytest.approx(0.75)
