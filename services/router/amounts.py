"""What a claim costs, in its policy's currency: the amount its documents state, and the severity model's estimate.

A document's amount is the total of a repair estimate (`estimate_total`) or of an invoice or bill
(`invoice_total`) read at least as surely as the policy asks. A document that prints another currency
than the policy's (its `currency` field) gives no amount to pay: it is listed as a foreign amount. An
estimate of the severity model counts only in the policy's currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from services.core.events import ClaimCase, ExtractedField

ESTIMATE, INVOICE = "estimate_total", "invoice_total"  # the estimate of repair is preferred to a bill
DOCUMENT_WORDS = {"repair_estimate": "Repair estimate", "invoice": "Invoice", "medical_bill": "Medical bill"}
FIELD_WORDS = {ESTIMATE: "Estimate", INVOICE: "Invoice"}
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class DocumentedAmount:
    """An amount a document states, in the currency it prints (the policy's when it prints none)."""

    amount: Decimal
    currency: str
    field: str
    document: str
    filename: str
    doc_type: str

    @property
    def source(self) -> str:
        """The document in words: "Repair estimate estimate.pdf"."""
        return f"{DOCUMENT_WORDS.get(self.doc_type, FIELD_WORDS[self.field])} {self.filename}"

    def __str__(self) -> str:
        return f"{self.source} {self.currency} {self.amount:,.2f}"


@dataclass(frozen=True)
class DocumentedAmounts:
    """The amount a settlement may start from, and the amounts documents state in another currency."""

    amount: DocumentedAmount | None
    foreign: tuple[DocumentedAmount, ...]


def documented(case: ClaimCase, min_confidence: float) -> DocumentedAmounts:
    """The first estimate total read at least `min_confidence` surely, else the first invoice total, in the
    policy's currency; every total a document states in another currency, however surely read."""
    if case.extraction is None:
        return DocumentedAmounts(None, ())
    currency = case.fnol.policy.currency
    printed = _currencies(case.extraction.fields, currency)
    names = {ref.sha256: (ref.filename, "") for ref in case.fnol.documents}
    names |= {doc.sha256: (doc.filename, doc.doc_type) for doc in case.extraction.documents}
    amounts = []
    for field in case.extraction.fields:
        value = _amount(field) if field.name in (ESTIMATE, INVOICE) else None
        if value is not None:
            filename, doc_type = names.get(field.document, (field.document[:12], ""))
            amounts.append(
                (
                    field.confidence,
                    DocumentedAmount(
                        value, printed.get(field.document, currency), field.name, field.document, filename, doc_type
                    ),
                )
            )
    foreign = tuple(a for _, a in amounts if a.currency != currency)
    usable = [a for sure, a in amounts if a.currency == currency and sure >= min_confidence]
    preferred = [a for a in usable if a.field == ESTIMATE] or usable
    return DocumentedAmounts(preferred[0] if preferred else None, foreign)


def expected_cost(case: ClaimCase) -> float | None:
    """The severity model's expected cost when it is in the policy's currency; else None."""
    severity = case.severity
    if severity is None or severity.currency != case.fnol.policy.currency:
        return None
    return severity.expected_cost


def no_estimate_note(case: ClaimCase) -> str:
    """Why there is no expected cost in the policy's currency, as the severity stage or the router sees it."""
    severity, currency = case.severity, case.fnol.policy.currency
    if severity is None:
        return "the severity stage gave no estimate"
    if severity.expected_cost is not None and severity.currency != currency:
        return f"the estimate is in {severity.currency}, the policy in {currency}"
    return severity.note or "no estimate"


def _currencies(fields: list[ExtractedField], policy_currency: str) -> dict[str, str]:
    """The currency each document prints; one that prints several counts in the first that is not the policy's."""
    printed: dict[str, str] = {}
    for field in fields:
        code = field.value.strip().upper()
        if (
            field.name == "currency"
            and CURRENCY_CODE.match(code)
            and printed.get(field.document) in (None, policy_currency)
        ):
            printed[field.document] = code
    return printed


def _amount(field: ExtractedField) -> Decimal | None:
    try:
        value = Decimal(field.value.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None
