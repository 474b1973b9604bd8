"""Router: the versioned policy settles a claim straight through or queues it at an adjuster desk."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from services.app.stages.declaration import Handlers, StageDeclaration
from services.core import topics
from services.core.events import ClaimCase
from services.core.settings import RouterSettings

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from services.app.dependencies import Dependencies
    from services.core.audit import AuditEntry


def build(deps: Dependencies, settings: RouterSettings) -> Handlers:
    from services.app.model_clients import peril_reader
    from services.core.runner import utcnow
    from services.router.handler import decide, decide_batch
    from services.router.policy import load_policy
    from services.router.settlement import settlement_events

    policy = load_policy(settings.policy_file)
    perils = peril_reader(deps.settings, settings.peril_model_alias)
    return Handlers(
        ClaimCase,
        partial(decide, policy=policy, clock=utcnow, perils=perils),
        handle_batch=partial(decide_batch, policy=policy, clock=utcnow, perils=perils),
        side_events=partial(settlement_events, policy=policy),
    )


def audit(case: ClaimCase, inputs: str) -> AuditEntry | None:
    from services.core.audit import AuditEntry

    d = case.decision
    if d is None:
        return None
    outputs: dict[str, Any] = {"route": d.route.value, "desk": d.desk, "priority": d.priority}
    if d.recommendation is not None:
        outputs["recommendation"] = d.recommendation
    p = case.peril
    if p is not None and p.model is not None:
        # The router reads the peril itself (its input record has none) and routes on it: the entry keeps what the
        # peril model said and which version said it, so the decision can be explained from the log alone.
        outputs["peril"] = {
            "peril": p.peril,
            "probability": p.probability,
            "model_name": p.model.name,
            "model_version": p.model.version,
        }
    if case.links is not None and case.links.entities:
        outputs["links"] = links_used(case)
    return AuditEntry(
        entry_key=f"{case.claim_id}:router",
        recorded_at=d.decided_at,
        claim_id=case.claim_id,
        kind="routing_decision",
        actor="router",
        policy_version=d.policy_version,
        inputs_digest=inputs,
        outputs=outputs,
        reasons=list(d.reasons),
    )


def links_used(case: ClaimCase) -> dict[str, Any]:
    """The links the decision read: kinds, roles and the claims sharing them; never the shared values (a phone
    number or an account is personal data, and the audit log is read by more people than the SIU)."""
    links = case.links
    assert links is not None
    return {
        "ring_score": links.ring_score,
        "fraud_claims": list(links.fraud_claims),
        "shared": [
            {"kind": e.kind, "roles": list(e.roles), "claims": list(e.claims), "common": e.common}
            for e in links.entities
        ],
    }


def enqueue(deps: Dependencies, cases: Sequence[ClaimCase], conn: Connection) -> None:
    """Cases sent to a desk join the adjusters' queue in the batch's own transaction."""
    deps.queue.enqueue(cases, conn=conn)


STAGE = StageDeclaration(
    "router", RouterSettings, topics.ESTIMATED, topics.DECIDED, "decided", build, audit, after_record=enqueue
)
