"""Nothing `triage serve` answered 202 for is lost: FNOLs are journalled before the in-process bus gets them,
and on start every journalled claim without a decision goes back to the stage after the last one it completed.

Each stage's rows, audit entries and queue rows are idempotent by claim and stage, and a claim whose final stage
has its row is never taken up again, so a claim is decided, audited and settled once however often it crashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite

from services.app.stages import StageDeclaration
from services.core import topics
from services.core.bus.port import Outgoing, Publisher
from services.core.database import writing
from services.core.tables import claims, inbound, stage_results


class JournalingPublisher:
    """The intake API's publisher in `triage serve`: an FNOL is in the store before it is on the bus."""

    def __init__(self, publisher: Publisher, engine: Engine) -> None:
        self.publisher, self.engine = publisher, engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert(inbound).on_conflict_do_nothing()

    def publish(self, outputs: Sequence[Outgoing]) -> None:
        now = datetime.now(UTC)
        rows = [
            {"claim_id": o.key, "payload": o.value, "received_at": now}
            for o in outputs
            if o.topic == topics.FNOL_INBOUND
        ]
        if rows:
            with writing(self.engine) as conn:
                conn.execute(self._insert, rows)
        self.publisher.publish(outputs)

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
        rows = select(stage_results.c.claim_id, stage_results.c.stage, stage_results.c.case_json).where(
            stage_results.c.claim_id.in_(list(pending))
        )
        for claim_id, stage, case_json in conn.execute(rows) if pending else ():
            if stage in rank and rank[stage] >= furthest.get(claim_id, (-1, ""))[0]:
                furthest[claim_id] = (rank[stage], case_json)
    unstarted = [claim_id for claim_id in pending if claim_id not in furthest]
    if unstarted:
        with writing(engine) as conn:
            conn.execute(delete(claims).where(claims.c.claim_id.in_(unstarted)))
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
