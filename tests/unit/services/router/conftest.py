"""Cases to route: a generated claim with the sections the router reads, a fake peril reader, the default policy."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from claimgen.fnol import GeneratedClaim
from services.core.events import (
    FNOL,
    ClaimCase,
    DocumentSummary,
    ExtractedField,
    Extraction,
    Finding,
    FraudScore,
    LineOfBusiness,
    ModelRef,
    PerilAssessment,
    RoutingDecision,
    SeverityEstimate,
)
from services.core.runner import Delivery
from services.router.handler import decide
from services.router.policy import RoutingPolicy, load_policy

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ACCEPTED = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
MODEL = ModelRef(name="m", version="1", alias="champion")
PERIL_MODEL = ModelRef(name="peril", version="3", alias="champion")


@dataclass
class FakePerils:
    """Reads every property claim as `peril` with `probability`; motor claims get no reading, as the real one."""

    peril: str = "fire"
    probability: float = 0.9
    calls: list[int] = field(default_factory=list)

    def assess_many(self, cases: Sequence[ClaimCase]) -> list[PerilAssessment]:
        self.calls.append(len(cases))
        return [
            PerilAssessment(peril=self.peril, probability=self.probability, model=PERIL_MODEL)
            if c.fnol.line_of_business is LineOfBusiness.PROPERTY
            else PerilAssessment(peril=None, probability=None, model=None, note="no peril model for line motor")
            for c in cases
        ]


def case_with(
    claim: GeneratedClaim,
    *,
    fraud: float = 0.03,
    cost: float | None = 900,
    upper: float | None = 2500,
    findings: Sequence[str] = (),
    missing: Sequence[str] = (),
    fnol: dict[str, Any] | None = None,
    policy: dict[str, Any] | None = None,
    loss: dict[str, Any] | None = None,
    documents: Sequence[Document] = (),
    estimate_currency: str | None = None,
) -> ClaimCase:
    """The claim with a fraud score, a severity estimate (in the policy's currency unless `estimate_currency`) and
    an extraction of `documents`; `fnol`, `policy`, `loss` override."""
    original = claim.fnol.model_dump()
    changed = FNOL.model_validate(
        {
            **original,
            **(fnol or {}),
            "policy": {**original["policy"], **(policy or {})},
            "loss": {**original["loss"], **(loss or {})},
        }
    )
    return ClaimCase(
        event_id=uuid.uuid4(),
        claim_id=changed.claim_id,
        occurred_at=NOW,
        accepted_at=ACCEPTED,
        fnol=changed,
        extraction=Extraction(
            documents=[d.summary for d in documents],
            fields=[f for d in documents for f in d.fields],
            findings=[Finding(code=c, message=c) for c in findings],
            missing_documents=list(missing),
        ),
        fraud=FraudScore(probability=fraud, model=MODEL, reasons=[]),
        severity=SeverityEstimate(
            expected_cost=cost,
            upper_quantile=upper,
            quantile=0.9,
            currency=estimate_currency or changed.policy.currency,
            model=MODEL if cost is not None else None,
        ),
    )


@dataclass(frozen=True)
class Document:
    """A document docextract read: its summary and the fields read from it."""

    summary: DocumentSummary
    fields: tuple[ExtractedField, ...]


def document(
    filename: str,
    doc_type: str,
    total: str | None,
    *,
    confidence: float = 0.95,
    currency: str | None = None,
    field: str | None = None,
) -> Document:
    """A repair estimate, invoice or other document stating `total` (read `confidence` surely) and, when given, the
    `currency` it prints."""
    sha = hashlib.sha256(filename.encode()).hexdigest()
    name = field or ("estimate_total" if doc_type == "repair_estimate" else "invoice_total")
    read = [(name, total, confidence)] if total is not None else []
    read += [("currency", currency, 0.9)] if currency is not None else []
    return Document(
        DocumentSummary(sha256=sha, filename=filename, doc_type=doc_type, pages=1),
        tuple(
            ExtractedField(name=n, value=v, confidence=c, document=sha, page=1, method="text_layer") for n, v, c in read
        ),
    )


def route(case: ClaimCase, policy: RoutingPolicy | None = None, perils: FakePerils | None = None) -> RoutingDecision:
    decided = decide(
        case, Delivery("t:0:0", NOW), policy=policy or load_policy(), clock=lambda: NOW, perils=perils or FakePerils()
    )
    assert decided.decision is not None
    return decided.decision


@pytest.fixture
def motor(sample_claims: list[GeneratedClaim]) -> GeneratedClaim:
    """A clean motor claim on collision or all-perils cover, in force, cheap to settle; claiming over 2,000, so
    the tests' costs and documented amounts under that are paid in full, not capped at the amount claimed."""
    return next(
        c
        for c in sample_claims
        if c.fnol.line_of_business == "motor"
        and not c.red_flags
        and c.fnol.policy.coverage != "liability"
        and not c.fnol.injuries
        and c.fnol.loss.claimed_amount > 2000
    )


@pytest.fixture
def property_claim(sample_claims: list[GeneratedClaim]) -> GeneratedClaim:
    """A property claim on all-perils cover (the cover that pays for its fire)."""
    return next(
        c for c in sample_claims if c.fnol.line_of_business == "property" and c.fnol.policy.coverage == "all_perils"
    )
