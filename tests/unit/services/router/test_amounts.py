"""What the documents state a claim costs: the estimate of repair first, read surely, in the policy's currency."""

from __future__ import annotations

from decimal import Decimal

from claimgen.fnol import GeneratedClaim
from services.router.amounts import documented, expected_cost, no_estimate_note
from tests.unit.services.router.conftest import case_with, document

SURE = 0.8


def test_the_repair_estimate_is_preferred_to_an_invoice(motor: GeneratedClaim) -> None:
    invoice, estimate = (
        document("invoice.pdf", "invoice", "2100.00"),
        document("estimate.pdf", "repair_estimate", "1950.50"),
    )
    read = documented(case_with(motor, documents=[invoice, estimate]), SURE)
    assert read.amount is not None and (read.amount.amount, read.amount.source) == (
        Decimal("1950.50"),
        "Repair estimate estimate.pdf",
    )
    assert str(read.amount) == "Repair estimate estimate.pdf USD 1,950.50" and read.foreign == ()
    only_invoice = documented(case_with(motor, documents=[invoice]), SURE).amount
    assert only_invoice is not None and only_invoice.source == "Invoice invoice.pdf"


def test_an_amount_read_less_surely_than_the_policy_asks_is_not_one(motor: GeneratedClaim) -> None:
    unsure = document("estimate.pdf", "repair_estimate", "1950.50", confidence=0.79)
    sure_invoice = document("invoice.pdf", "invoice", "2100.00")
    assert documented(case_with(motor, documents=[unsure]), SURE).amount is None
    read = documented(case_with(motor, documents=[unsure, sure_invoice]), SURE).amount
    assert read is not None and read.source == "Invoice invoice.pdf"  # the estimate it could not read surely is none
    assert documented(case_with(motor, documents=[unsure]), 0.7).amount is not None  # the policy's threshold


def test_an_amount_that_is_not_a_number_is_not_one(motor: GeneratedClaim) -> None:
    for value in ("1,950.50 USD", "-40.00", "NaN", ""):
        assert (
            documented(case_with(motor, documents=[document("e.pdf", "repair_estimate", value)]), SURE).amount is None
        ), value


def test_a_document_in_another_currency_gives_no_amount_however_surely_read(motor: GeneratedClaim) -> None:
    rupees = document("estimate.pdf", "repair_estimate", "185000.00", currency="INR", confidence=0.5)
    dollars = document("invoice.pdf", "invoice", "2100.00", currency="usd")
    read = documented(case_with(motor, documents=[rupees, dollars]), SURE)
    assert [str(a) for a in read.foreign] == ["Repair estimate estimate.pdf INR 185,000.00"]
    assert read.amount is not None and read.amount.source == "Invoice invoice.pdf"  # prints the policy's currency
    unprinted = documented(case_with(motor, documents=[document("e.pdf", "repair_estimate", "10.00")]), SURE)
    assert unprinted.amount is not None and unprinted.amount.currency == "USD"  # none printed: the policy's


def test_the_model_estimate_counts_only_in_the_policy_currency(motor: GeneratedClaim) -> None:
    assert expected_cost(case_with(motor, cost=900)) == 900
    in_euros = case_with(motor, cost=900, estimate_currency="EUR")
    assert expected_cost(in_euros) is None
    assert no_estimate_note(in_euros) == "the estimate is in EUR, the policy in USD"
