from decimal import Decimal

import pytest

from services.core.events import Address, DocumentSummary, ExtractedField, Injury, InsuredProperty, PoliceReport
from services.core.events.case import LineItem
from services.docextract.checks import cross_document_findings, field_findings, missing_documents, required_documents

SHA = "a" * 64


def field(name: str, value: str, confidence: float = 0.9) -> ExtractedField:
    return ExtractedField(name=name, value=value, confidence=confidence, document=SHA, page=1, method="text_layer")


def codes(fnol, *fields: ExtractedField) -> list[str]:
    return [finding.code for finding in field_findings(fnol, fields, {SHA: "doc.pdf"})]


def test_values_agreeing_with_the_fnol_raise_nothing(fnol):
    agreeing = [
        field("policy_number", "pa 7781 2203"),
        field("claimant_name", "GONZALEZ, Maria"),
        field("loss_time", "15:20"),
        field("vehicle_plate", "IL-8XK-442"),
        field("injuries", "M. Gonzalez"),
    ]

    assert codes(fnol, *agreeing) == []


def test_disagreements_each_have_their_code(fnol):
    assert codes(
        fnol,
        field("loss_time", "18:00"),
        field("vehicle_year", "2017"),
        field("injuries", "none"),
        field("police_report_number", "SPD-24-000001"),
    ) == ["loss_time_mismatch", "vehicle_year_mismatch", "injuries_mismatch", "police_report_number_mismatch"]


def test_unreadable_values_are_no_evidence(fnol):
    assert codes(fnol, field("loss_date", "the 14th", confidence=0.3)) == []


def test_estimate_totals_against_the_claimed_amount_the_deductible_and_the_sum_insured(fnol):
    assert codes(fnol, field("estimate_total", "2800.00")) == []  # within 10% of the 2,600 claimed
    assert codes(fnol, field("estimate_total", "2900.00")) == ["estimate_exceeds_claimed_amount"]
    assert codes(fnol, field("estimate_total", "400.00")) == ["estimate_below_deductible"]
    assert codes(fnol, field("estimate_total", "30000.00")) == [
        "estimate_exceeds_claimed_amount",
        "estimate_exceeds_sum_insured",
    ]


def test_a_bad_vin_on_the_fnol_itself_is_flagged(make_fnol, fnol):
    vehicle = fnol.vehicle.model_copy(update={"vin": "1HGCM82623A004352"})

    assert codes(make_fnol(vehicle=vehicle)) == ["vin_check_digit_invalid"]
    assert codes(fnol, field("vehicle_vin", "1HGCM82633A0043", confidence=0.2)) == ["vin_malformed"]


@pytest.mark.parametrize(
    ("cause", "police", "injured", "expected"),
    [
        ("collision", None, False, ["loss_notice", "repair_estimate"]),
        ("collision", PoliceReport(filed=True), False, ["loss_notice", "repair_estimate", "police_report"]),
        ("collision", PoliceReport(filed=False), True, ["loss_notice", "repair_estimate", "police_report"]),
        ("theft", None, False, ["loss_notice", "police_report"]),
        ("glass", None, False, ["loss_notice", "repair_estimate"]),
    ],
)
def test_documents_a_motor_claim_needs(make_fnol, fnol, cause, police, injured, expected):
    loss = fnol.loss.model_copy(update={"cause": cause, "police_report": police})
    injuries = [Injury(person="Maria Gonzalez", severity="minor")] if injured else []

    assert required_documents(make_fnol(loss=loss, injuries=injuries)) == expected


def test_a_property_claim_needs_a_loss_notice(make_fnol, fnol):
    house = InsuredProperty(address=Address(city="Springfield"), kind="building")
    loss = fnol.loss.model_copy(update={"cause": "water", "police_report": None})

    assert required_documents(
        make_fnol(line_of_business="property", vehicle=None, insured_property=house, loss=loss, injuries=[])
    ) == ["loss_notice"]


def test_unreadable_documents_do_not_count_as_present(fnol):
    documents = [
        DocumentSummary(sha256=SHA, filename="n.pdf", doc_type="loss_notice", pages=1),
        DocumentSummary(sha256="b" * 64, filename="e.pdf", doc_type="other", pages=0, error="corrupt: x"),
    ]

    assert missing_documents(fnol, documents) == ["repair_estimate", "police_report"]


def test_a_bill_over_the_claimed_amount_is_flagged(fnol):
    assert codes(fnol, field("invoice_total", "2800.00")) == []  # within 10% of the 2,600 claimed
    assert codes(fnol, field("invoice_total", "3100.00")) == ["invoice_total_exceeds_claimed_amount"]
    assert codes(fnol, field("invoice_total", "3100.00", confidence=0.3)) == []


def _document(sha: str, *amounts: str) -> DocumentSummary:
    items = [
        LineItem(description=f"row {index}", amount=Decimal(amount), page=1) for index, amount in enumerate(amounts)
    ]
    return DocumentSummary(sha256=sha, filename=f"{sha[0]}.pdf", doc_type="invoice", pages=1, line_items=items)


def cross_codes(documents, *fields: ExtractedField) -> list[str]:
    return [finding.code for finding in cross_document_findings(documents, fields)]


def test_line_items_are_checked_against_their_documents_printed_total():
    adding_up, short = _document(SHA, "185.00", "135.00"), _document("b" * 64, "185.00", "135.00")
    totals = [
        field("invoice_total", "320.00"),
        ExtractedField(
            name="invoice_total", value="420.00", confidence=0.9, document="b" * 64, page=1, method="text_layer"
        ),
    ]

    assert cross_codes([adding_up, short], *totals) == ["line_items_do_not_add_up"]
    assert cross_codes([_document(SHA)], totals[0]) == []  # no rows read: nothing to add up


def test_documents_naming_different_vins_are_flagged():
    documents = [_document(SHA), _document("b" * 64), _document("c" * 64)]
    vin = "1HGCM82633A004352"

    def on(sha: str, value: str, confidence: float = 0.9) -> ExtractedField:
        return ExtractedField(
            name="vehicle_vin", value=value, confidence=confidence, document=sha, page=1, method="ocr"
        )

    assert cross_codes(documents, on(SHA, vin), on("b" * 64, vin)) == []
    assert cross_codes(documents, on(SHA, vin), on("b" * 64, "1M8GDM9AXKP042788")) == [
        "vin_disagrees_between_documents"
    ]
    assert cross_codes(documents, on(SHA, vin), on("c" * 64, "1M8GDM9AXKP042789", confidence=0.3)) == []
