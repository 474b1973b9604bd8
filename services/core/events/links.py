"""The `links` section: what a claim shares with other claims, and the ring signals drawn from it."""

from __future__ import annotations

from pydantic import Field

from services.core.events.fnol import Frozen

ENTITY_KINDS = (
    "person",
    "phone",
    "email",
    "address",
    "bank_account",
    "vin",
    "plate",
    "repair_shop",
    "medical_provider",
    "policy",
)


class SharedEntity(Frozen):
    """One entity of this claim that other claims carry too: the shared value and the claims sharing it."""

    kind: str = Field(description=", ".join(ENTITY_KINDS))
    value: str = Field(description="The entity as matched: E.164 phone, lower-case e-mail, normalised address, ...")
    roles: list[str] = Field(
        description="Who carries it on this claim: claimant, other_driver, witness, repair_shop..."
    )
    probability: float = Field(ge=0, le=1, description="How surely this claim's value is the entity (1 when exact).")
    claims: list[str] = Field(description="The other claims within the window that carry it (the most recent first).")
    claim_count: int = Field(ge=0, description="How many other claims within the window carry it.")
    common: bool = Field(
        default=False,
        description="Carried by so many claims (a big garage, an employer's address) that it is no evidence of a ring.",
    )


class LinkedClaim(Frozen):
    """Another claim sharing entities with this one directly, and how much that says (the kinds' weights)."""

    claim_id: str
    kinds: list[str]
    strength: float = Field(ge=0)


class ClaimLinks(Frozen):
    """Ring signals: the claim's neighbourhood in the claims graph within `hops` hops and `window_days` days."""

    entities: list[SharedEntity]
    linked_claims: list[LinkedClaim] = Field(
        description="Claims sharing an entity that is not common, strongest first."
    )
    claims_by_kind: dict[str, int] = Field(description="Other claims sharing an entity of each kind, by kind.")
    component_size: int = Field(ge=1, description="Claims within `hops` hops through entities that are not common.")
    fraud_claims: list[str] = Field(description="Claims of that neighbourhood referred or denied for fraud.")
    ring_score: float = Field(ge=0, le=1)
    hops: int = Field(ge=1)
    window_days: int = Field(ge=1)
