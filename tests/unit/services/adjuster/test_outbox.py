"""The outbox on SQLite and the real PostgreSQL server: events exist exactly when their transaction commits, and
leave only once the broker has them."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from services.adjuster.outbox import Outbox
from services.app.stages import order
from services.core.bus.port import Outgoing, TransientBusError
from services.core.database import writing
from services.core.store import ClaimStore
from tests.unit.services.core.publishers import HeldByTheBroker

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


class FlakyBroker:
    """Refuses the first `failures` publishes, then takes everything; `arrived` is set once anything is taken."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.published: list[Outgoing] = []
        self.arrived = threading.Event()

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise TransientBusError("publish failed: broker away")
        self.published.extend(outputs)
        self.arrived.set()

    def close(self) -> None:
        return None


def events(count: int, prefix: str = "C") -> list[Outgoing]:
    return [Outgoing("claims.feedback.v1", f"{prefix}-{i}", f'{{"n": {i}}}'.encode()) for i in range(count)]


@pytest.fixture
def store(database_url: str) -> ClaimStore:
    return ClaimStore(database_url, order())


def test_an_event_exists_only_if_its_transaction_commits(store: ClaimStore) -> None:
    outbox = Outbox(store.engine, FlakyBroker())
    with pytest.raises(RuntimeError), writing(store.engine) as conn:
        outbox.add(events(1, "rolled-back"), conn=conn, now=NOW)
        raise RuntimeError("the change failed after its event was added")
    assert outbox.pending() == 0
    with writing(store.engine) as conn:
        outbox.add(events(2), conn=conn, now=NOW)
    assert outbox.pending() == 2


def test_the_relay_sends_oldest_first_in_batches_and_deletes_what_the_broker_has(store: ClaimStore) -> None:
    broker = FlakyBroker()
    outbox = Outbox(store.engine, broker, batch=3)
    with writing(store.engine) as conn:
        outbox.add(events(7), conn=conn, now=NOW)
    assert outbox.relay() == 7
    assert [(e.key, e.value) for e in broker.published] == [(e.key, e.value) for e in events(7)]
    assert outbox.pending() == 0
    assert outbox.relay() == 0 and len(broker.published) == 7  # nothing is sent twice


def test_a_failed_publish_keeps_the_events_for_the_next_relay(store: ClaimStore) -> None:
    broker = FlakyBroker(failures=1)
    outbox = Outbox(store.engine, broker)
    with writing(store.engine) as conn:
        outbox.add(events(2), conn=conn, now=NOW)
    with pytest.raises(TransientBusError):
        outbox.relay()
    assert outbox.pending() == 2 and broker.published == []
    assert outbox.relay() == 2
    assert [e.key for e in broker.published] == ["C-0", "C-1"] and outbox.pending() == 0


def test_the_background_relay_outlives_failures_and_sends_once_the_broker_is_back(store: ClaimStore) -> None:
    broker = FlakyBroker(failures=3)
    outbox = Outbox(store.engine, broker)
    with writing(store.engine) as conn:
        outbox.add(events(1), conn=conn, now=NOW)
    failures: list[Exception] = []
    stop = threading.Event()
    relay = threading.Thread(target=outbox.relay_until, args=(stop, 0.01, failures.append))
    relay.start()
    try:
        assert broker.arrived.wait(30)
    finally:
        stop.set()
        relay.join()
    assert len(failures) == 3 and all(isinstance(f, TransientBusError) for f in failures)
    assert [e.key for e in broker.published] == ["C-0"] and outbox.pending() == 0


def test_a_relay_not_waiting_leaves_its_event_to_the_relay_already_running(store: ClaimStore) -> None:
    broker = HeldByTheBroker()
    outbox = Outbox(store.engine, broker)
    with writing(store.engine) as conn:
        outbox.add(events(1, "first"), conn=conn, now=NOW)
    counts: list[int] = []
    running = threading.Thread(target=lambda: counts.append(outbox.relay()))
    running.start()
    assert broker.waiting.wait(30)  # the running relay is publishing "first-0"
    with writing(store.engine) as conn:  # a decision commits meanwhile
        outbox.add(events(1, "second"), conn=conn, now=NOW)
    assert outbox.relay(wait=False) == 0  # at once, not after the broker answers the running relay
    broker.release.set()
    running.join()
    assert counts == [2] and [e.key for e in broker.published] == ["first-0", "second-0"]
    assert outbox.pending() == 0
