"""Intake from the inbound topic: accept each FNOL once, publish it as a new claim case."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from services.core.events import FNOL, ClaimCase
from services.core.runner import Delivery, Rejected
from services.core.store import Acceptance, fnol_digest

# Event ids of new cases are derived from the claim and its content, so a replay emits the same id.
CASE_NAMESPACE = uuid.UUID("6f1c6a52-5a53-4c8e-9d0e-2f8f3c3f7a10")


class ClaimLedger(Protocol):
    def accept(self, claim_id: str, digest: str, source: str, accepted_at: datetime) -> Acceptance: ...

    def accepted_at(self, claim_id: str) -> datetime | None: ...


def accept_fnol(
    fnol: FNOL, delivery: Delivery, *, ledger: ClaimLedger, clock: Callable[[], datetime]
) -> ClaimCase | None:
    """A new claim case for a first delivery (or its replay); None for a duplicate; Rejected on conflict."""
    digest = fnol_digest(fnol)
    now = clock()
    outcome = ledger.accept(fnol.claim_id, digest, delivery.source, now)
    if outcome is Acceptance.CONFLICT:
        raise Rejected(f"claim {fnol.claim_id} was already accepted with different content")
    if outcome is Acceptance.DUPLICATE:
        return None
    accepted_at = ledger.accepted_at(fnol.claim_id) or now
    return ClaimCase(
        event_id=uuid.uuid5(CASE_NAMESPACE, f"{fnol.claim_id}:{digest}"),
        claim_id=fnol.claim_id,
        occurred_at=accepted_at,
        accepted_at=accepted_at,
        fnol=fnol,
    )
