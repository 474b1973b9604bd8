"""The transactional outbox: events written in the same database transaction as the change they announce, and
published to the bus after it commits.

An adjuster's decision, its audit entry and its label on claims.feedback.v1 must stand or fall together, but a
database transaction cannot include a Kafka write. So the label is stored with the decision and relayed: at once
after the commit, and again by a background relay while the broker is away. A crash after the broker has an event
but before its row is deleted publishes it again: at least once, recognised by the event's own id.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, select

from services.core.bus.port import Outgoing, Publisher
from services.core.tables import outbox

log = logging.getLogger(__name__)

_PENDING = select(outbox.c.id, outbox.c.topic, outbox.c.event_key, outbox.c.payload).order_by(outbox.c.id)


class Outbox:
    """Pending events in the claim store's database, and the relay that publishes them oldest first."""

    def __init__(self, engine: Engine, publisher: Publisher, *, batch: int = 500) -> None:
        self.engine, self.publisher, self.batch = engine, publisher, batch
        self._relaying = threading.Lock()  # one relay at a time in a process: the same row is not sent twice

    def add(self, events: Sequence[Outgoing], *, conn: Connection, now: datetime) -> None:
        """Store `events` in the caller's transaction: they exist exactly when its change commits."""
        if events:
            conn.execute(
                outbox.insert(),
                [{"topic": e.topic, "event_key": e.key, "payload": e.value, "created_at": now} for e in events],
            )

    def pending(self) -> int:
        """Events stored and not yet acknowledged by the broker."""
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(outbox)) or 0)

    def relay(self, *, wait: bool = True) -> int:
        """Publish every pending event, oldest first, deleting each batch once the broker has it; how many were sent.
        The publisher's error is raised with the unsent events still stored. `wait=False`: if a relay is running in
        this process, leave it to that one (it goes on until it finds none pending) and return 0 at once."""
        if not self._relaying.acquire(blocking=wait):
            return 0
        sent = 0
        try:
            while True:
                with self.engine.connect() as conn, conn.begin():
                    # PostgreSQL: relays of other processes skip the rows this one holds (SQLite has no row locks;
                    # there a second process relaying at the same moment may send an event twice).
                    rows = conn.execute(_PENDING.limit(self.batch).with_for_update(skip_locked=True)).all()
                    if not rows:
                        return sent
                    self.publisher.publish([Outgoing(row.topic, row.event_key, row.payload) for row in rows])
                    conn.execute(delete(outbox).where(outbox.c.id.in_([row.id for row in rows])))
                sent += len(rows)
        finally:
            self._relaying.release()

    def relay_until(
        self, stop: threading.Event, interval_s: float = 5.0, on_error: Callable[[Exception], None] | None = None
    ) -> None:
        """Relay every `interval_s` until `stop` is set (a service's background thread): what a failed publish left
        behind goes out once the broker is back."""
        while not stop.wait(interval_s):
            try:
                self.relay()
            except Exception as exc:  # noqa: BLE001 - the relay must outlive any one failure; it is logged
                log.warning("outbox: events wait for the bus: %s", exc)
                if on_error is not None:
                    on_error(exc)
