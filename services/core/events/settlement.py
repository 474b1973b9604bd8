"""A straight-through settlement, published on claims.settlement.v1: what the payments system pays, and why."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, Field

from services.core.events.case import ModelRef
from services.core.events.fnol import Frozen


class Settlement(Frozen):
    """The envelope on claims.settlement.v1, keyed by claim_id; published with the routing decision, atomically."""

    event_id: uuid.UUID
    claim_id: str
    schema_version: Literal["1"] = "1"
    occurred_at: AwareDatetime
    policy_number: str
    payable_amount: Decimal = Field(gt=0, decimal_places=2, description="What to pay.")
    currency: str
    expected_cost: Decimal = Field(ge=0, decimal_places=2, description="The severity model's expected cost.")
    sum_insured: Decimal = Field(ge=0, decimal_places=2, description="The policy limit the cost is capped at.")
    deductible: Decimal = Field(ge=0, decimal_places=2, description="Taken off the capped cost.")
    capped_at_sum_insured: bool
    basis: str = Field(description="How the amount was reached, in plain language.")
    severity_model: ModelRef | None
    policy_version: str = Field(description="The routing policy that sent the claim straight through.")
    decided_at: AwareDatetime
