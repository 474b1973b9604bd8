"""An adjuster's decision on a queued case, published on claims.feedback.v1: a label for retraining."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from services.core.events.case import ModelRef
from services.core.events.fnol import Frozen


class Outcome(StrEnum):
    APPROVE = "approve"
    DENY = "deny"
    REFER = "refer"  # to special investigations
    REQUEST_DOCUMENTS = "request_documents"


class AdjusterDecision(Frozen):
    """The envelope on claims.feedback.v1, keyed by claim_id."""

    event_id: uuid.UUID
    claim_id: str
    schema_version: Literal["1"] = "1"
    occurred_at: AwareDatetime
    adjuster: str
    desk: str
    outcome: Outcome
    amount: float | None = Field(default=None, ge=0, description="Amount approved, for approve.")
    recommendation: str = Field(description="What the models and the policy suggested.")
    overridden: bool = Field(description="Whether the decision departs from the recommendation.")
    reason: str | None = None
    fraud_model: ModelRef | None = None
    fraud_probability: float | None = None
    severity_model: ModelRef | None = None
    policy_version: str | None = None
