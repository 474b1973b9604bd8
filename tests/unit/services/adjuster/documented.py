"""A queued claim with a stored one-page PDF, values read from it at known places, findings and a recommendation."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from claimgen.fnol import GeneratedClaim
from services.core.documents import DocumentStore
from services.core.events import ClaimCase, DocumentSummary, ExtractedField, Extraction, Finding, ReasonCode
from services.core.events.case import Box
from services.core.events.fnol import DocumentRef
from tests.unit.services.core.audit_cases import routed_case

# Where the test reads each value on the page (PDF points from the top-left corner), on blank paper.
DIFFERS_BOX = Box(x0=300, top=100, x1=400, bottom=130, unit="pt")
AGREES_BOX = Box(x0=300, top=300, x1=400, bottom=330, unit="pt")


@dataclass(frozen=True)
class Documented:
    case: ClaimCase
    sha256: str


def pdf_page(claim_id: str) -> bytes:
    """One page naming the claim (so each claim's document is its own)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 800, f"LOSS NOTICE {claim_id}")
    page.showPage()
    page.save()
    return buffer.getvalue()


def documented_case(
    claim: GeneratedClaim, documents: DocumentStore, *, fraud: float = 0.45, filename: str = "notice.pdf"
) -> Documented:
    """The claim with a loss notice whose date of loss disagrees with the FNOL and whose policy number agrees."""
    content = pdf_page(claim.fnol.claim_id)
    sha = documents.put(content)
    fnol = claim.fnol.model_copy(
        update={
            "documents": [
                DocumentRef(sha256=sha, filename=filename, media_type="application/pdf", size_bytes=len(content))
            ]
        }
    )
    base = routed_case(claim, probability=fraud)
    day = fnol.loss.occurred_at.date()
    wrong_day = day.replace(day=1 if day.day != 1 else 2).isoformat()

    def read(name: str, value: str, confidence: float, box: Box | None) -> ExtractedField:
        return ExtractedField(
            name=name, value=value, confidence=confidence, document=sha, page=1, method="form_field", box=box
        )

    extraction = Extraction(
        documents=[DocumentSummary(sha256=sha, filename="notice.pdf", doc_type="loss_notice", pages=1)],
        fields=[
            read("loss_date", wrong_day, 0.97, DIFFERS_BOX),
            read("loss_date", day.isoformat(), 0.40, None),  # a weaker second reading of the same field
            read("policy_number", fnol.policy.policy_number, 0.95, AGREES_BOX),
        ],
        findings=[
            Finding(
                code="loss_date_mismatch",
                message=f"loss_date on notice.pdf page 1 is '{wrong_day}'; the FNOL says '{day.isoformat()}'",
            )
        ],
        missing_documents=[],
    )
    assert base.fraud is not None and base.decision is not None
    cur = fnol.policy.currency
    fraud_section = base.fraud.model_copy(
        update={
            "reasons": [
                ReasonCode(code="deductible", message="Deductible of 700", contribution=0.5),
                ReasonCode(code="vehicle_age", message="Vehicle age not given", contribution=0.3),
                ReasonCode(code="witness_present", message="A witness was present", contribution=-0.4),
            ]
        }
    )
    decision = base.decision.model_copy(
        update={
            "recommendation": "refer",
            "proposed_amount": Decimal("1400.00"),
            "amount_basis": f"Expected cost {cur} 2,100.00, less the deductible {cur} {fnol.policy.deductible:,.2f}: "
            f"pays {cur} 1,400.00.",
            "reasons": ["Fraud probability 45% is above the straight-through limit of 15 %."],
        }
    )
    case = base.model_copy(
        update={"fnol": fnol, "extraction": extraction, "fraud": fraud_section, "decision": decision}
    )
    return Documented(case, sha)
