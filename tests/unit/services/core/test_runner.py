"""The runner over the in-process bus: exactly-once outputs, dead letters, retries, replays."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

import pytest

from claimgen.fnol import GeneratedClaim
from services.app.stages import order
from services.core import topics
from services.core.bus.memory import MemoryBus
from services.core.bus.port import Outgoing, TransientBusError
from services.core.events import FNOL, ClaimCase
from services.core.events.case import SECTIONS_HEADER
from services.core.runner import Delivery, Rejected, Runner, Stage, Transient, drain
from services.core.store import ClaimStore
from services.intake.handler import accept_fnol


def fixed_clock() -> datetime:
    return datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def intake_stage(store: ClaimStore) -> Stage[FNOL]:
    def handle(fnol: FNOL, delivery: Delivery) -> ClaimCase | None:
        return accept_fnol(fnol, delivery, ledger=store, clock=fixed_clock)

    return Stage(
        "intake",
        topics.FNOL_INBOUND,
        topics.FNOL,
        FNOL,
        handle,
        lambda name, cases, texts, consumed: store.record_stage(name, cases, texts),
    )


def publish(bus: MemoryBus, *fnols: FNOL | bytes) -> None:
    bus.publisher().publish(
        [Outgoing(topics.FNOL_INBOUND, "k", f if isinstance(f, bytes) else f.model_dump_json().encode()) for f in fnols]
    )


@pytest.fixture
def store(tmp_path) -> ClaimStore:  # type: ignore[no-untyped-def]
    return ClaimStore(f"sqlite:///{tmp_path / 'claims.db'}", order())


def test_each_fnol_becomes_one_stamped_case(store: ClaimStore, sample_claims: list[GeneratedClaim]) -> None:
    bus = MemoryBus()
    publish(bus, *(c.fnol for c in sample_claims[:5]))
    drain([Runner(intake_stage(store), bus.stage_link("intake", [topics.FNOL_INBOUND]), poll_timeout_s=0.01)])
    cases = [ClaimCase.model_validate_json(m.value) for m in bus.messages(topics.FNOL)]
    assert [c.claim_id for c in cases] == [c.fnol.claim_id for c in sample_claims[:5]]
    assert all(c.trace[-1].stage == "intake" for c in cases)
    assert store.view(cases[0].claim_id).status == "accepted"  # type: ignore[union-attr]
    # Each case says where its sections lie, for a stage in another process to pass them on as they are.
    for msg, case in zip(bus.messages(topics.FNOL), cases, strict=True):
        places = dict(msg.headers)[SECTIONS_HEADER].decode()
        assert places.startswith("fnol:")
        _, start, end = places.split(":")
        assert FNOL.model_validate_json(msg.value[int(start) : int(end)]) == case.fnol


def test_malformed_record_goes_to_the_dlq_with_its_original_bytes(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    broken = b'{"claim_id": "X-1", "line_of_business": "boat"}'
    publish(bus, broken, sample_claims[0].fnol)
    drain([Runner(intake_stage(store), bus.stage_link("intake", [topics.FNOL_INBOUND]), poll_timeout_s=0.01)])
    [dead] = bus.messages(topics.DLQ)
    headers = dict(dead.headers)
    assert dead.value == broken
    assert headers["dlq.stage"] == b"intake"
    assert b"line_of_business" in headers["dlq.error"] and b"policy: Field required" in headers["dlq.error"]
    assert len(bus.messages(topics.FNOL)) == 1  # the stream went on


def test_duplicate_is_accepted_once_and_conflict_is_dead_lettered(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    fnol = sample_claims[0].fnol
    changed = fnol.model_copy(update={"supplements": fnol.supplements + 1})
    publish(bus, fnol, fnol, changed)
    drain([Runner(intake_stage(store), bus.stage_link("intake", [topics.FNOL_INBOUND]), poll_timeout_s=0.01)])
    assert len(bus.messages(topics.FNOL)) == 1
    [dead] = bus.messages(topics.DLQ)
    assert b"different content" in dict(dead.headers)["dlq.error"]


def test_a_crash_before_commit_replays_to_exactly_one_output(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    publish(bus, *(c.fnol for c in sample_claims[:3]))
    link = bus.stage_link("intake", [topics.FNOL_INBOUND])

    class CrashingLink:
        def poll(self, max_records: int, timeout_s: float):  # type: ignore[no-untyped-def]
            return link.poll(max_records, timeout_s)

        def commit(self, outputs, consumed):  # type: ignore[no-untyped-def]
            link.rewind()  # the process died after its store writes, before the commit
            raise TransientBusError("broker gone")

        def rewind(self) -> None:
            link.rewind()

        def close(self) -> None:
            link.close()

    with pytest.raises(TransientBusError):
        Runner(intake_stage(store), CrashingLink(), poll_timeout_s=0.01).run_once()
    drain([Runner(intake_stage(store), bus.stage_link("intake", [topics.FNOL_INBOUND]), poll_timeout_s=0.01)])
    assert sorted(ClaimCase.model_validate_json(m.value).claim_id for m in bus.messages(topics.FNOL)) == sorted(
        c.fnol.claim_id for c in sample_claims[:3]
    )


def test_transient_failure_retries_the_batch_without_skipping(sample_claims: list[GeneratedClaim]) -> None:
    bus = MemoryBus()
    publish(bus, sample_claims[0].fnol)
    calls: list[str] = []
    stop = threading.Event()
    link = bus.stage_link("flaky", [topics.FNOL_INBOUND])

    def handle(fnol: FNOL, delivery: Delivery) -> ClaimCase | None:
        calls.append(fnol.claim_id)
        if len(calls) == 1:
            raise Transient("model gateway unavailable")
        stop.set()
        raise Rejected("seen twice")

    Runner(Stage("flaky", topics.FNOL_INBOUND, topics.FNOL, FNOL, handle), link, poll_timeout_s=0.01).run(stop)
    assert calls == [sample_claims[0].fnol.claim_id] * 2
    assert len(bus.messages(topics.DLQ)) == 1


def batch_of_cases(bus: MemoryBus, store: ClaimStore, claims: list[GeneratedClaim]) -> None:
    publish(bus, *(c.fnol for c in claims))
    drain([Runner(intake_stage(store), bus.stage_link("intake", [topics.FNOL_INBOUND]), poll_timeout_s=0.01)])


def test_a_batch_handler_is_called_once_per_batch_and_records_once(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    batch_of_cases(bus, store, sample_claims[:6])
    batches: list[int] = []
    recorded: list[int] = []

    def one(case: ClaimCase, delivery: Delivery) -> ClaimCase:
        raise AssertionError("the batch path should have been taken")

    def many(cases: list[ClaimCase], deliveries: list[Delivery]) -> list[ClaimCase]:
        batches.append(len(cases))
        return cases

    stage = Stage(
        "scorer",
        topics.FNOL,
        topics.SCORED,
        ClaimCase,
        one,
        lambda name, cases, texts, consumed: recorded.append(len(cases)),
        handle_batch=many,
    )
    drain([Runner(stage, bus.stage_link("scorer", [topics.FNOL]), batch_size=4, poll_timeout_s=0.01)])
    assert batches == [4, 2] and recorded == [4, 2]
    assert len(bus.messages(topics.SCORED)) == 6


def test_a_failing_batch_is_retried_record_by_record_and_only_the_poison_is_dead_lettered(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    batch_of_cases(bus, store, sample_claims[:5])
    poison = sample_claims[2].fnol.claim_id

    def one(case: ClaimCase, delivery: Delivery) -> ClaimCase:
        if case.claim_id == poison:
            raise ValueError("cannot score this one")
        return case

    def many(cases: list[ClaimCase], deliveries: list[Delivery]) -> list[ClaimCase]:
        return [one(c, d) for c, d in zip(cases, deliveries, strict=True)]

    stage = Stage("scorer", topics.FNOL, topics.SCORED, ClaimCase, one, handle_batch=many)
    drain([Runner(stage, bus.stage_link("scorer", [topics.FNOL]), poll_timeout_s=0.01)])
    scored = [ClaimCase.model_validate_json(m.value).claim_id for m in bus.messages(topics.SCORED)]
    assert scored == [c.fnol.claim_id for c in sample_claims[:5] if c.fnol.claim_id != poison]
    [dead] = bus.messages(topics.DLQ)
    assert b"ValueError: cannot score this one" in dict(dead.headers)["dlq.error"]


def test_metrics_count_committed_records_dead_letters_and_scores(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    from services.core.events import FraudScore, ModelRef
    from services.core.metrics import StageMetrics

    bus = MemoryBus()
    batch_of_cases(bus, store, sample_claims[:3])
    bus.publisher().publish([Outgoing(topics.FNOL, "bad", b"not json")])
    model = ModelRef(name="fraud", version="7", alias="challenger", arm="challenger")

    def score(case: ClaimCase, delivery: Delivery) -> ClaimCase:
        return case.model_copy(update={"fraud": FraudScore(probability=0.4, model=model, reasons=[])})

    metrics = StageMetrics()
    stage = Stage("fraud", topics.FNOL, topics.SCORED, ClaimCase, score)
    drain([Runner(stage, bus.stage_link("fraud", [topics.FNOL]), poll_timeout_s=0.01, metrics=metrics)])
    value = metrics.registry.get_sample_value
    assert value("triage_messages_in_total", {"stage": "fraud"}) == 4
    assert value("triage_messages_out_total", {"stage": "fraud", "topic": topics.SCORED}) == 3
    assert value("triage_dead_letters_total", {"stage": "fraud"}) == 1
    assert value("triage_fraud_probability_count", {"model": "fraud", "version": "7", "arm": "challenger"}) == 3
    assert value("triage_consumer_lag", {"stage": "fraud"}) == 0
    assert value("triage_batch_records_count", {"stage": "fraud"}) == 1  # one batch, one transaction
    assert value("triage_batch_records_sum", {"stage": "fraud"}) == 4
    for phase in ("handle", "record", "commit"):
        assert value("triage_batch_seconds_count", {"stage": "fraud", "phase": phase}) == 1


def test_a_slow_store_write_or_commit_is_logged_with_the_batchs_phases(
    store: ClaimStore,
    sample_claims: list[GeneratedClaim],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = MemoryBus()
    batch_of_cases(bus, store, sample_claims[:3])
    stage = Stage("fraud", topics.FNOL, topics.SCORED, ClaimCase, lambda case, _: case)
    runner = Runner(stage, bus.stage_link("fraud", [topics.FNOL]), poll_timeout_s=0.01)
    monkeypatch.setattr("services.core.runner.SLOW_PHASE_S", 0.0)  # every batch is slow
    monkeypatch.setattr("services.core.runner.SLOW_PHASE_PER_RECORD_S", 0.0)
    with caplog.at_level(logging.WARNING, logger="services.core.runner"):
        drain([runner])
    [line] = [r.getMessage() for r in caplog.records if "slow batch" in r.getMessage()]
    assert line.startswith("stage fraud: slow batch of 3 records: handle ")
    assert ", record " in line and ", commit " in line


@pytest.mark.parametrize(
    ("records", "record_s", "logged"), [(3, 0.2, False), (3, 0.3, True), (500, 0.5, False), (500, 0.8, True)]
)
def test_a_batch_is_slow_when_its_store_write_passes_a_quarter_second_and_a_millisecond_a_record(
    records: int, record_s: float, logged: bool, caplog: pytest.LogCaptureFixture
) -> None:
    bus = MemoryBus()
    runner = Runner(
        Stage("fraud", topics.FNOL, topics.SCORED, ClaimCase, lambda case, _: case),
        bus.stage_link("fraud", [topics.FNOL]),
    )
    with caplog.at_level(logging.WARNING, logger="services.core.runner"):
        runner._time_phases(records, {"handle": 5.0, "record": record_s, "commit": 0.01})
    assert any("slow batch" in r.getMessage() for r in caplog.records) is logged


def test_in_process_a_stage_takes_the_writers_event_and_the_bus_drops_it_once_every_reader_committed(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    watcher = bus.stage_link("watcher", [topics.FNOL])  # a second group reading the same topic
    publish(bus, *(c.fnol for c in sample_claims[:3]))
    drain([Runner(intake_stage(store), bus.stage_link("intake", [topics.FNOL_INBOUND]), poll_timeout_s=0.01)])
    written = bus.messages(topics.FNOL)
    assert all(isinstance(m.event, ClaimCase) for m in written)
    assert [ClaimCase.model_validate_json(m.value) for m in written] == [m.event for m in written]
    seen: list[ClaimCase] = []

    def note(case: ClaimCase, delivery: Delivery) -> ClaimCase:
        seen.append(case)
        return case

    drain(
        [
            Runner(
                Stage("scorer", topics.FNOL, topics.SCORED, ClaimCase, note),
                bus.stage_link("scorer", [topics.FNOL]),
                poll_timeout_s=0.01,
            )
        ]
    )
    assert [id(c) for c in seen] == [id(m.event) for m in written]  # handed over, not parsed again
    assert all(m.event is not None for m in bus.messages(topics.FNOL))  # the watcher has not committed them yet
    watcher.commit([], watcher.poll(10, 0.01))
    assert all(m.event is None for m in bus.messages(topics.FNOL))  # every reader done: only the bytes are kept


def test_a_record_whose_event_is_not_the_stages_input_is_parsed_from_its_bytes(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    link = bus.stage_link("intake", [topics.FNOL_INBOUND])
    fnol = sample_claims[0].fnol
    bus.publisher().publish(
        [Outgoing(topics.FNOL_INBOUND, fnol.claim_id, fnol.model_dump_json().encode(), event="not an FNOL")]
    )
    drain([Runner(intake_stage(store), link, poll_timeout_s=0.01)])
    [out] = bus.messages(topics.FNOL)
    assert ClaimCase.model_validate_json(out.value).fnol == fnol


def test_a_stage_with_a_budget_takes_records_up_to_it_and_leaves_the_rest_for_the_next_batch(
    store: ClaimStore, sample_claims: list[GeneratedClaim]
) -> None:
    bus = MemoryBus()
    batch_of_cases(bus, store, sample_claims[:5])
    costs = dict(zip((c.fnol.claim_id for c in sample_claims[:5]), (3, 3, 3, 12, 1), strict=True))
    batches: list[list[int]] = []

    def many(cases: list[ClaimCase], deliveries: list[Delivery]) -> list[ClaimCase]:
        batches.append([costs[c.claim_id] for c in cases])
        return cases

    stage = Stage(
        "reader",
        topics.FNOL,
        topics.EXTRACTED,
        ClaimCase,
        lambda case, delivery: case,
        handle_batch=many,
        cost=lambda case: costs[case.claim_id],
        max_cost=6,
    )
    runner = Runner(stage, bus.stage_link("reader", [topics.FNOL]), batch_size=100, poll_timeout_s=0.01)
    drain([runner])
    assert batches == [[3, 3], [3], [12], [1]]  # a record dearer than the budget goes alone
    assert runner.stats.batches == 4
    assert [m.key for m in bus.messages(topics.EXTRACTED)] == [c.fnol.claim_id.encode() for c in sample_claims[:5]]


def test_a_stage_counts_the_cpu_its_own_thread_spends(
    sample_claims: list[GeneratedClaim],
) -> None:
    from services.core.metrics import StageMetrics

    bus = MemoryBus()
    publish(bus, sample_claims[0].fnol)
    stop, metrics = threading.Event(), StageMetrics()

    def busy(fnol: FNOL, delivery: Delivery) -> ClaimCase | None:
        began = time.thread_time()
        while time.thread_time() - began < 0.05:  # CPU this thread spends, which the counter must see
            pass
        stop.set()
        raise Rejected("done")

    runner = Runner(
        Stage("busy", topics.FNOL_INBOUND, topics.FNOL, FNOL, busy),
        bus.stage_link("busy", [topics.FNOL_INBOUND]),
        poll_timeout_s=0.01,
        metrics=metrics,
    )
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    thread.join()
    assert 0.05 <= runner.stats.cpu_seconds < 1.0
    assert metrics.registry.get_sample_value("triage_stage_cpu_seconds_total", {"stage": "busy"}) == pytest.approx(
        runner.stats.cpu_seconds
    )
