"""Links stage: link the claim to the entities it names, within its own pipeline pass, and add its ring signals."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from services.core.database import writing
from services.core.events import ClaimCase, ClaimLinks
from services.core.runner import Delivery
from services.links.entities import mentions
from services.links.graph import ClaimMentions, ClaimsGraph
from services.links.signals import RingSettings, ring_signals_many


class Linker:
    """Links claims in the claim store's database: a batch in one transaction, before the router decides."""

    def __init__(self, engine: Engine, settings: RingSettings) -> None:
        self.engine, self.settings, self.graph = engine, settings, ClaimsGraph(engine)

    def links(self, case: ClaimCase) -> ClaimLinks:
        """Record the case's links (again, idempotently, on a replay) and read its neighbourhood."""
        return self.links_many([case])[0]

    def links_many(self, cases: Sequence[ClaimCase]) -> list[ClaimLinks]:
        """`links` for a batch in one transaction, in order: each claim sees the claims of the batch before it."""
        claims = [ClaimMentions(c.claim_id, c.fnol.loss.occurred_at, mentions(c.fnol, c.extraction)) for c in cases]
        with writing(self.engine) as conn:
            batch = self.graph.link_many(claims, conn)
            return ring_signals_many(
                self.graph, [(c.claim_id, c.occurred_at) for c in claims], batch, self.settings, conn
            )


def link_claim(case: ClaimCase, delivery: Delivery, *, linker: Linker) -> ClaimCase:
    """The case with its links section."""
    return case.model_copy(update={"links": linker.links(case)})


def link_claims(cases: list[ClaimCase], deliveries: list[Delivery], *, linker: Linker) -> list[ClaimCase]:
    """The cases of a batch with their links sections, linked in one transaction."""
    return [
        case.model_copy(update={"links": links}) for case, links in zip(cases, linker.links_many(cases), strict=True)
    ]
