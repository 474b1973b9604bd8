"""Links stage: link the claim to the entities it names, within its own pipeline pass, and add its ring signals."""

from __future__ import annotations

from sqlalchemy import Engine

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
        found = mentions(case.fnol, case.extraction)
        occurred_at = case.fnol.loss.occurred_at
        with writing(self.engine) as conn:
            linked = self.graph.link(case.claim_id, occurred_at, found, conn)
            return ring_signals(self.graph, case.claim_id, occurred_at, linked, self.settings, conn)


def link_claim(case: ClaimCase, delivery: Delivery, *, linker: Linker) -> ClaimCase:
    """The case with its links section."""
    return case.model_copy(update={"links": linker.links(case)})
