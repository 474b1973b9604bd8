"""Intake from the inbound topic: accept each FNOL once, publish it as a new claim case."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from services.core.events import FNOL, ClaimCase
from services.core.runner import Delivery, Rejected
from services.core.store import Acceptance, Delivered, fnol_digest
from services.intake.checks import dated_in_the_future

# Event ids of new cases are derived from the claim and its content, so a replay emits the same id.
CASE_NAMESPACE = uuid.UUID("6f1c6a52-5a53-4c8e-9d0e-2f8f3c3f7a10")


class ClaimLedger(Protocol):
    def accept_many(
        self, deliveries: Sequence[Delivered], accepted_at: datetime
    ) -> list[tuple[Acceptance, datetime]]: ...


def accept_fnol(
    fnol: FNOL, delivery: Delivery, *, ledger: ClaimLedger, clock: Callable[[], datetime]
) -> ClaimCase | None:
    """A new claim case for a first delivery (or its replay); None for a duplicate; Rejected on conflict."""
    result = accept_fnols([fnol], [delivery], ledger=ledger, clock=clock)[0]
    if isinstance(result, Rejected):
        raise result
    return result


def accept_fnols(
    fnols: Sequence[FNOL], deliveries: Sequence[Delivery], *, ledger: ClaimLedger, clock: Callable[[], datetime]
) -> list[ClaimCase | None | Rejected]:
    """`accept_fnol` for a batch, with one round trip to the ledger; an FNOL dated in the future is Rejected."""
    now = clock()
    results: list[ClaimCase | None | Rejected] = [None] * len(fnols)
    fresh = []
    for i, fnol in enumerate(fnols):
        wrong = dated_in_the_future(fnol, now)
        if wrong:
            results[i] = Rejected("; ".join(message for _, message in wrong))
        else:
            fresh.append(i)
    digests = [fnol_digest(fnols[i]) for i in fresh]
    outcomes = ledger.accept_many(
        [Delivered(fnols[i].claim_id, d, deliveries[i].source) for i, d in zip(fresh, digests, strict=True)], now
    )
    for i, digest, (outcome, accepted_at) in zip(fresh, digests, outcomes, strict=True):
        results[i] = _case(fnols[i], digest, outcome, accepted_at)
    return results


def _case(fnol: FNOL, digest: str, outcome: Acceptance, accepted_at: datetime) -> ClaimCase | None | Rejected:
    if outcome is Acceptance.CONFLICT:
        return Rejected(f"claim {fnol.claim_id} was already accepted with different content")
    if outcome is Acceptance.DUPLICATE:
        return None
    return ClaimCase(
        event_id=uuid.uuid5(CASE_NAMESPACE, f"{fnol.claim_id}:{digest}"),
        claim_id=fnol.claim_id,
        occurred_at=accepted_at,
        accepted_at=accepted_at,
        fnol=fnol,
    )
