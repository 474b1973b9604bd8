"""What the routing policy reads of the claims graph (the case's `links` section), and how a reason says it."""

from __future__ import annotations

from dataclasses import dataclass

from services.core.events import ClaimLinks, SharedEntity

_COUNT_WORDS = {1: "one", 2: "two", 3: "three"}


@dataclass(frozen=True)
class LinkFacts:
    """The ring signals a rule tests, and the shared entity a reason names."""

    ring_score: float | None = None
    fraud_within_hops: int | None = None  # hops to the nearest claim referred or denied for fraud
    most_shared_claims: int = 0  # most other claims sharing one entity that is not common
    strongest: SharedEntity | None = None
    fraud_claims: tuple[str, ...] = ()
    window_days: int = 0


def link_facts(links: ClaimLinks | None) -> LinkFacts:
    """The facts of a case's links; all empty when the case has not been linked."""
    if links is None:
        return LinkFacts()
    evidence = [e for e in links.entities if not e.common]
    direct = {c.claim_id for c in links.linked_claims}
    fraud_hops = None
    if links.fraud_claims:
        fraud_hops = 1 if direct & set(links.fraud_claims) else links.hops
    fraud = set(links.fraud_claims)
    strongest = max(evidence, key=lambda e: (len(fraud & set(e.claims)), e.claim_count), default=None)
    return LinkFacts(
        ring_score=links.ring_score,
        fraud_within_hops=fraud_hops,
        most_shared_claims=max((e.claim_count for e in evidence), default=0),
        strongest=strongest,
        fraud_claims=tuple(links.fraud_claims),
        window_days=links.window_days,
    )


def shared_entity(f: LinkFacts) -> str:
    """`phone +1 217 555 0199 with 3 claims in 90 days (C-1, C-2, C-3), one referred or denied for fraud`."""
    e = f.strongest
    if e is None:
        return "nothing with another claim"
    kind = e.kind.replace("_", " ")
    listed = ", ".join(e.claims[:3]) + (", ..." if e.claim_count > 3 else "")
    claims = f"{e.claim_count} claim{'s' if e.claim_count != 1 else ''}"
    text = f"{kind} {e.value} with {claims} in {f.window_days} days ({listed})"
    flagged = len(set(f.fraud_claims) & set(e.claims))
    if flagged:
        text += f", {_COUNT_WORDS.get(flagged, str(flagged))} referred or denied for fraud"
    return text
