"""Nothing `triage serve` answered 202 for is lost: FNOLs are journalled before the in-process bus gets them,
and on start every journalled claim without a decision goes back to the stage after the last one it completed.

Each stage's rows, audit entries and queue rows are idempotent by claim and stage, and a claim whose final stage
has its row is never taken up again, so a claim is decided, audited and settled once however often it crashes.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite

from services.app.stages import StageDeclaration
from services.core import topics
from services.core.bus.port import Outgoing, Publisher
from services.core.database import writing
from services.core.store import ClaimStore, ClaimView
from services.core.tables import claims, inbound, stage_results

CHUNK = 500


class JournalledAdmission:
    """The intake API's admission in `triage serve`: an FNOL is in the store before it is on the bus.

    One writer thread notes the FNOLs that arrive together in one transaction (receipts and journal rows), then
    hands them to the bus and answers each request on its event loop: a request waits for one group commit and
    takes no worker thread (one SQLite writer at a time either way).
    """

    def __init__(self, store: ClaimStore, publisher: Publisher) -> None:
        self.store, self.publisher = store, publisher
        dialect = postgresql if store.engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert(inbound).on_conflict_do_nothing()
        self._waiting: queue.SimpleQueue[Admitted | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_until_closed, name="admission", daemon=True)
        self._writer.start()

    async def admit(self, record: Outgoing, digest: str) -> str:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()
        self._waiting.put(Admitted(record, digest, answer, loop))
        return await answer

    def view(self, claim_id: str) -> ClaimView | None:
        return self.store.view(claim_id)

    def close(self) -> None:
        self._waiting.put(None)
        self._writer.join()

    def _write_until_closed(self) -> None:
        while (first := self._waiting.get()) is not None:
            group = [first]
            while len(group) < CHUNK:
                try:
                    more = self._waiting.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._waiting.put(None)  # closing: the group in hand is written first
                    break
                group.append(more)
            try:
                held: Sequence[str | BaseException] = self._note_and_publish(group)
            except BaseException as failed:  # each request gets the error its write met
                held = [failed] * len(group)
            for admitted, answer in zip(group, held, strict=True):
                try:
                    admitted.loop.call_soon_threadsafe(_settle, admitted.answer, answer)
                except RuntimeError:  # its server stopped meanwhile: the claim is noted, nobody waits for the answer
                    continue

    def _note_and_publish(self, group: list[Admitted]) -> list[str]:
        now = datetime.now(UTC)
        with writing(self.store.engine) as conn:
            held = self.store.record_receipts([(a.record.key, a.digest) for a in group], conn)
            fresh = [a.record for a, digest in zip(group, held, strict=True) if digest == a.digest]
            if fresh:
                conn.execute(self._insert, [{"claim_id": r.key, "payload": r.value, "received_at": now} for r in fresh])
        if fresh:
            self.publisher.publish(fresh)
        return held


@dataclass(frozen=True)
class Admitted:
    record: Outgoing
    digest: str
    answer: asyncio.Future[str]
    loop: asyncio.AbstractEventLoop


def _settle(answer: asyncio.Future[str], held: str | BaseException) -> None:
    if answer.cancelled():  # the client went away: its claim is noted all the same
        return
    if isinstance(held, BaseException):
        answer.set_exception(held)
    else:
        answer.set_result(held)


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
