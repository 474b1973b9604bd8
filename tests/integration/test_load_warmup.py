"""The load benchmark's warm-up: it reads the real broker's JIT compiler threads (an ended one counts as no work) and
waits for the broker's CPU a claim to stop falling."""

from __future__ import annotations

import os

import pytest

from benchmarks.load import broker_pid, jit_cpu, jit_seconds_between, stopped_falling

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


def test_the_broker_counts_as_settled_once_its_cpu_a_claim_stops_reaching_new_lows() -> None:
    falling = [1.45, 1.10, 0.95, 0.90, 0.78, 0.72]
    assert not stopped_falling(falling)
    assert not stopped_falling([*falling, 0.74, 0.73])  # two windows without a new low: not yet three
    assert stopped_falling([*falling, 0.74, 0.73, 0.71])  # within 3 % of the low before them
    assert not stopped_falling([*falling, 0.74, 0.73, 0.66])  # a new low: still falling
    assert not stopped_falling([0.7, 0.7, 0.7])  # nothing before them to compare with
