"""A straight-through settlement, published on claims.settlement.v1: what the payments system pays, and why."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, Field

from services.core.events.case import ModelRef
from services.core.events.fnol import Currency, Frozen, Sha256


class Settlement(Frozen):
    """The envelope on claims.settlement.v1, keyed by claim_id; published with the routing decision, atomically."""

    event_id: uuid.UUID
    claim_id: str
    schema_version: Literal["1"] = "1"
    occurred_at: AwareDatetime
    policy_number: str
    payable_amount: Decimal = Field(gt=0, decimal_places=2, description="What to pay.")
    currency: Currency = Field(description="The policy's currency: of every amount here, and of the payment.")
    paid_on: Literal["document", "expected_cost"] = Field(
        default="expected_cost",
        description="What the payment starts from: the amount a document states (the "
        "repair estimate, else the invoice total) or, when none does, the "
        "severity model's expected cost.",
    )
    documented_amount: Decimal | None = Field(
        default=None, ge=0, decimal_places=2, description="The amount the document states, when paid on one."
    )
    document_sha256: Sha256 | None = Field(default=None, description="The document paid on.")
    document_filename: str | None = Field(default=None, description="Its file name, as the claimant sent it.")
    expected_cost: Decimal | None = Field(
        ge=0,
        decimal_places=2,
        description="The severity model's expected cost; None when the claim has none "
        "(e.g. no model of its market), or none in the policy's currency.",
    )
    claimed_amount: Decimal | None = Field(
        default=None,
        ge=0,
        decimal_places=2,
        description="The amount claimed at first notice: the cost is limited to it.",
    )
    sum_insured: Decimal = Field(ge=0, decimal_places=2, description="The policy limit the payment is capped at.")
    deductible: Decimal = Field(ge=0, decimal_places=2, description="Taken off the cost before the cap.")
    capped_at_sum_insured: bool
    basis: str = Field(description="How the amount was reached, in plain language.")
    severity_model: ModelRef | None
    policy_version: str = Field(description="The routing policy that sent the claim straight through.")
    decided_at: AwareDatetime
