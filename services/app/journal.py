"""Nothing `triage serve` answered 202 for is lost: FNOLs are journalled before the in-process bus gets them,
and on start every journalled claim without a decision goes back to the stage after the last one it completed.

Each stage's rows, audit entries and queue rows are idempotent by claim and stage, and a claim whose final stage
has its row is never taken up again, so a claim is decided, audited and settled once however often it crashes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite

from services.app.stages import StageDeclaration
from services.core import topics
from services.core.bus.port import Outgoing, Publisher
from services.core.database import writing
from services.core.store import ClaimStore, ClaimView
from services.core.tables import claims, inbound, stage_results

CHUNK = 500
T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Writes that concurrent requests each ask for, made in one transaction per group: the caller that finds no
    write going on writes everything waiting, again until nothing is (one SQLite writer at a time either way)."""

    def __init__(self, write_many: Callable[[list[T]], Sequence[R]]) -> None:
        self._write_many = write_many
        self._lock = threading.Lock()
        self._waiting: list[tuple[T, Future[R]]] = []
        self._writing = False

    def submit(self, item: T) -> R:
        done: Future[R] = Future()
        with self._lock:
            self._waiting.append((item, done))
            lead, self._writing = not self._writing, True
        if lead:
            self._write_until_none_wait()
        return done.result()

    def _write_until_none_wait(self) -> None:
        while True:
            with self._lock:
                group, self._waiting = self._waiting, []
                if not group:
                    self._writing = False
                    return
            try:
                results = self._write_many([item for item, _ in group])
            except BaseException as failed:  # each caller gets the error its write met
                for _, done in group:
                    done.set_exception(failed)
                continue
            for (_, done), result in zip(group, results, strict=True):
                done.set_result(result)


class GroupedReceipts:
    """The claim store's receipts for the intake API, noted in group commits."""

    def __init__(self, store: ClaimStore) -> None:
        self.store = store
        self._group = GroupCommit(store.record_receipts)

    def record_receipt(self, claim_id: str, digest: str) -> str:
        return self._group.submit((claim_id, digest))

    def view(self, claim_id: str) -> ClaimView | None:
        return self.store.view(claim_id)


class JournalingPublisher:
    """The intake API's publisher in `triage serve`: an FNOL is in the store before it is on the bus."""

    def __init__(self, publisher: Publisher, engine: Engine) -> None:
        self.publisher, self.engine = publisher, engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert(inbound).on_conflict_do_nothing()
        self._group = GroupCommit(self._journal)

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        now = datetime.now(UTC)
        rows = [
            {"claim_id": o.key, "payload": o.value, "received_at": now}
            for o in outputs
            if o.topic == topics.FNOL_INBOUND
        ]
        if rows:
            self._group.submit(rows)
        self.publisher.publish(outputs)

    def _journal(self, requests: list[list[dict[str, Any]]]) -> list[None]:
        with writing(self.engine) as conn:
            conn.execute(self._insert, [row for rows in requests for row in rows])
        return [None] * len(requests)

    def close(self) -> None:
        self.publisher.close()


@dataclass(frozen=True)
class TakenUp:
    """What a start took up again: claims by the stage they go back to."""

    by_stage: dict[str, int]

    @property
    def claims(self) -> int:
        return sum(self.by_stage.values())


def take_up(engine: Engine, stages: Sequence[StageDeclaration], publisher: Publisher) -> TakenUp:
    """Hand every journalled claim without a decision back to the pipeline; call before its stages run.

    A claim with stage rows goes on as its most advanced stage published it; one without goes back to intake
    as received, its acceptance forgotten first (nothing downstream saw it) so intake accepts it anew.
    """
    rank = {stage.name: i for i, stage in enumerate(stages)}
    with engine.connect() as conn:
        decided = select(stage_results.c.claim_id).where(
            stage_results.c.claim_id == inbound.c.claim_id, stage_results.c.stage == stages[-1].name
        )
        pending = dict(conn.execute(select(inbound.c.claim_id, inbound.c.payload).where(~exists(decided))).all())
        furthest: dict[str, tuple[int, str]] = {}
        ids = list(pending)
        for start in range(0, len(ids), CHUNK):  # a long backlog: SQLite caps the parameters of one statement
            rows = select(stage_results.c.claim_id, stage_results.c.stage, stage_results.c.case_json).where(
                stage_results.c.claim_id.in_(ids[start : start + CHUNK])
            )
            for claim_id, stage, case_json in conn.execute(rows):
                if stage in rank and rank[stage] >= furthest.get(claim_id, (-1, ""))[0]:
                    furthest[claim_id] = (rank[stage], case_json)
    unstarted = [claim_id for claim_id in pending if claim_id not in furthest]
    with writing(engine) as conn:
        for start in range(0, len(unstarted), CHUNK):
            conn.execute(delete(claims).where(claims.c.claim_id.in_(unstarted[start : start + CHUNK])))
    outputs = [Outgoing(topics.FNOL_INBOUND, claim_id, pending[claim_id]) for claim_id in unstarted]
    outputs += [Outgoing(stages[i].output_topic, claim_id, text.encode()) for claim_id, (i, text) in furthest.items()]
    if outputs:
        publisher.publish(outputs)
    by_stage: dict[str, int] = {}
    for i, _ in furthest.values():
        by_stage[stages[i + 1].name] = by_stage.get(stages[i + 1].name, 0) + 1
    if unstarted:
        by_stage[stages[0].name] = len(unstarted)
    return TakenUp(by_stage)
