"""Links stage: link the claim to the entities it names, within its own pipeline pass, and add its ring signals."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine

from services.core.database import writing
from services.core.events import ClaimCase, ClaimLinks
from services.core.runner import Delivery
from services.links.entities import mentions
from services.links.graph import ClaimsGraph
from services.links.signals import RingSettings, ring_signals


class Linker:
    """Links claims in the claim store's database: each claim in its own transaction, before the router decides."""

    def __init__(self, engine: Engine, settings: RingSettings) -> None:
        self.engine, self.settings, self.graph = engine, settings, ClaimsGraph(engine)

    def links(self, case: ClaimCase) -> ClaimLinks:
        """Record the case's links (again, idempotently, on a replay) and read its neighbourhood."""
        return self.links_many([case])[0]

    def links_many(self, cases: Sequence[ClaimCase]) -> list[ClaimLinks]:
        """`links` for a batch in one transaction, in order: each claim sees the claims of the batch before it."""
        with writing(self.engine) as conn:
            return [self._links(case, conn) for case in cases]

    def _links(self, case: ClaimCase, conn: Connection) -> ClaimLinks:
        found = mentions(case.fnol, case.extraction)
        occurred_at = case.fnol.loss.occurred_at
        linked = self.graph.link(case.claim_id, occurred_at, found, conn)
        return ring_signals(self.graph, case.claim_id, occurred_at, linked, self.settings, conn)


def link_claim(case: ClaimCase, delivery: Delivery, *, linker: Linker) -> ClaimCase:
    """The case with its links section."""
    return case.model_copy(update={"links": linker.links(case)})


def link_claims(cases: list[ClaimCase], deliveries: list[Delivery], *, linker: Linker) -> list[ClaimCase]:
    """The cases of a batch with their links sections, linked in one transaction."""
    return [
        case.model_copy(update={"links": links}) for case, links in zip(cases, linker.links_many(cases), strict=True)
    ]
