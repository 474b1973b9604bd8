"""The docextract stage end to end: claimgen documents in, an extraction section out."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from claimgen.documents import loss_notice_pdf
from services.core.events import ClaimCase, Extraction
from services.docextract import extract

DESCRIPTION = (
    "Rear-ended at a red light on Lake St. The other driver was looking at a phone and hit the back of my "
    "car. Bumper, trunk lid and tail lights damaged; car still drivable."
)
COMMON = {
    "policy_number": "PA-7781-2203",
    "loss_date": "2024-03-14",
    "claimant_name": "Maria Gonzalez",
    "claimant_phone": "+12175550142",
    "vehicle_year": "2019",
    "vehicle_make": "Honda",
    "vehicle_model": "Accord",
    "vehicle_vin": "1HGCM82633A004352",
    "vehicle_plate": "IL 8XK 442",
}
EXPECTED = {
    "loss-notice.pdf": COMMON
    | {
        "claim_number": "CLM-2024-000123",
        "loss_time": "14:35",
        "description": DESCRIPTION,
        "loss_place": "1200 W Lake St, Springfield, IL 62701, US",
        "claimant_email": "maria.gonzalez@example.com",
        "police_authority": "Springfield Police Department",
        "police_report_number": "SPD-24-018832",
        "injuries": "Maria Gonzalez (minor): neck strain",
        "other_party_name": "Derek Holt",
        "other_party_insurer": "Lakeside Mutual",
        "other_party_plate": "IL 3PD 119",
    },
    "police-report.pdf": COMMON
    | {
        "loss_time": "14:35",
        "loss_place": "1200 W Lake St, Springfield, IL 62701, US",
        "description": DESCRIPTION,
        "police_report_number": "SPD-24-018832",
        "injuries": "Maria Gonzalez (minor): neck strain",
        "other_party_name": "Derek Holt",
        "other_party_insurer": "Lakeside Mutual",
        "other_party_plate": "IL 3PD 119",
    },
    "estimate.pdf": COMMON | {"claim_number": "CLM-2024-000123", "estimate_total": "2551.38", "currency": "USD"},
}
MAX_PAGES = 20


def fields_by_document(extraction: Extraction) -> dict[str, dict[str, str]]:
    names = {document.sha256: document.filename for document in extraction.documents}
    found: dict[str, dict[str, str]] = {name: {} for name in names.values()}
    for field in extraction.fields:
        found[names[field.document]][field.name] = field.value
    return found


def codes(case: ClaimCase) -> list[str]:
    assert case.extraction is not None
    return [finding.code for finding in case.extraction.findings]


def run(case: ClaimCase, store, delivery, max_pages: int = MAX_PAGES) -> ClaimCase:
    return extract(case, delivery, documents=store, max_pages=max_pages)


def test_every_field_of_the_three_digital_documents_comes_back_exactly(fnol, attach, claim_pdfs, store, delivery):
    case = run(attach(fnol, claim_pdfs(fnol)), store, delivery)

    extraction = case.extraction
    assert extraction is not None
    assert [(d.filename, d.doc_type, d.pages, d.error) for d in extraction.documents] == [
        ("loss-notice.pdf", "loss_notice", 1, None),
        ("police-report.pdf", "police_report", 1, None),
        ("estimate.pdf", "repair_estimate", 1, None),
    ]
    assert fields_by_document(extraction) == EXPECTED
    assert all(field.box is not None for field in extraction.fields)
    assert [(item.description, str(item.amount)) for item in extraction.documents[2].line_items] == [
        ("Rear bumper cover - replace", "612.40"),
        ("Trunk lid - repair", "380.00"),
        ("Tail lamp assembly L/R", "429.98"),
        ("Paint and materials", "540.00"),
        ("Labor 9.5 h", "589.00"),
    ]
    assert extraction.documents[0].line_items == extraction.documents[1].line_items == []
    assert extraction.findings == []  # the estimate's rows add up to its total
    assert extraction.missing_documents == [] and extraction.complete
    assert case.fnol == attach(fnol, claim_pdfs(fnol)).fnol  # the handler adds a section, it changes nothing else


def test_loss_notice_values_come_from_the_form_fields_with_high_confidence(fnol, attach, store, delivery):
    case = run(attach(fnol, [("notice.pdf", loss_notice_pdf(fnol), "application/pdf")]), store, delivery)

    assert case.extraction is not None
    methods = {(field.method, field.page) for field in case.extraction.fields}
    assert methods == {("form_field", 1)}
    assert min(field.confidence for field in case.extraction.fields) >= 0.95


def test_a_flattened_loss_notice_is_read_from_its_boxes(fnol, attach, store, delivery):
    flat = loss_notice_pdf(fnol, fillable=False)
    case = run(attach(fnol, [("loss-notice.pdf", flat, "application/pdf")]), store, delivery)

    assert case.extraction is not None
    assert fields_by_document(case.extraction) == {"loss-notice.pdf": EXPECTED["loss-notice.pdf"]}
    assert {field.method for field in case.extraction.fields} == {"text_layer"}
    assert max(field.confidence for field in case.extraction.fields) < 0.95


def test_a_loss_notice_disagreeing_with_the_fnol_is_pointed_out(fnol, attach, claim_pdfs, store, delivery):
    other_valid_vin = "1M8GDM9AXKP042788"
    documents = claim_pdfs(fnol, loss_date="03/16/2024", vehicle_vin=other_valid_vin, policy_number="PA-7781-9999")

    case = run(attach(fnol, documents), store, delivery)

    assert sorted(codes(case)) == [
        "loss_date_mismatch",
        "policy_number_mismatch",
        "vin_disagrees_between_documents",
        "vin_mismatch",
    ]
    assert case.extraction is not None
    date_finding = next(f for f in case.extraction.findings if f.code == "loss_date_mismatch")
    assert "loss-notice.pdf page 1" in date_finding.message and "2024-03-16" in date_finding.message


def test_a_vin_failing_its_check_digit_is_flagged_and_trusted_less(fnol, attach, store, delivery):
    bad_vin = "1HGCM82623A004352"  # one digit off: the check digit no longer matches
    notice = loss_notice_pdf(fnol, overrides={"vehicle_vin": bad_vin})

    case = run(attach(fnol, [("notice.pdf", notice, "application/pdf")]), store, delivery)

    assert case.extraction is not None
    vin = next(field for field in case.extraction.fields if field.name == "vehicle_vin")
    assert vin.value == bad_vin and vin.confidence < 0.5
    assert "vin_check_digit_invalid" in codes(case)


def test_a_claim_without_documents_lists_what_it_lacks(fnol, attach, store, delivery):
    case = run(attach(fnol, []), store, delivery)

    assert case.extraction == Extraction(
        documents=[], fields=[], findings=[], missing_documents=["loss_notice", "repair_estimate", "police_report"]
    )


def encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt="pw", invariant=1)
    canvas.drawString(72, 720, "Policy Number: PA-7781-2203")
    canvas.save()
    return buffer.getvalue()


def pdf_of(pages: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for number in range(pages):
        canvas.drawString(72, 720, f"Page {number + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)


def test_broken_documents_are_recorded_and_the_claim_goes_on(fnol, attach, claim_pdfs, store, delivery):
    notice = loss_notice_pdf(fnol)
    broken = [
        ("locked.pdf", encrypted_pdf(), "application/pdf"),
        ("cut.pdf", notice[: len(notice) // 2], "application/pdf"),
        ("empty.pdf", b"", "application/pdf"),
        ("scan.pdf", PNG, "application/pdf"),
        ("long.pdf", pdf_of(MAX_PAGES + 1), "application/pdf"),
        ("damage.png", PNG + b"photo", "image/png"),
    ]

    case = run(attach(fnol, [*claim_pdfs(fnol), *broken]), store, delivery)

    assert case.extraction is not None
    summaries = {d.filename: d for d in case.extraction.documents}
    errors = {name: (summaries[name].error or "").split(":")[0] for name, _, _ in broken}
    assert errors == {
        "locked.pdf": "encrypted",
        "cut.pdf": "corrupt",
        "empty.pdf": "empty",
        "scan.pdf": "not_a_pdf",
        "long.pdf": "too_many_pages",
        "damage.png": "corrupt",
    }
    assert summaries["long.pdf"].pages == MAX_PAGES + 1
    assert sorted(codes(case)) == ["unreadable_document"] * 6
    assert fields_by_document(case.extraction)["estimate.pdf"] == EXPECTED["estimate.pdf"]
    assert case.extraction.missing_documents == []


def test_max_pages_is_the_callers_choice(fnol, attach, store, delivery):
    case = attach(fnol, [("three.pdf", pdf_of(3), "application/pdf")])

    assert run(case, store, delivery, max_pages=3).extraction.documents[0].error is None
    assert run(case, store, delivery, max_pages=2).extraction.documents[0].error.startswith("too_many_pages")


def test_a_document_missing_from_the_store_is_recorded(fnol, attach, store, delivery):
    case = attach(fnol, [("notice.pdf", loss_notice_pdf(fnol), "application/pdf")])
    store.content.clear()

    extraction = run(case, store, delivery).extraction

    assert extraction is not None
    assert extraction.documents[0].error.startswith("missing")
    assert extraction.missing_documents == ["loss_notice", "repair_estimate", "police_report"]


def test_a_document_attached_twice_is_read_once(fnol, attach, store, delivery):
    notice = loss_notice_pdf(fnol)
    case = attach(fnol, [("notice.pdf", notice, "application/pdf"), ("copy.pdf", notice, "application/pdf")])

    extraction = run(case, store, delivery).extraction

    assert extraction is not None
    assert [d.filename for d in extraction.documents] == ["notice.pdf"]
    assert len({field.name for field in extraction.fields}) == len(extraction.fields)


def test_extraction_is_deterministic(fnol, attach, claim_pdfs, store, delivery):
    case = attach(fnol, claim_pdfs(fnol))

    assert run(case, store, delivery) == run(case, store, delivery)


def test_a_form_stating_its_date_order_is_read_that_way_in_any_country(
    make_fnol, fnol, attach, claim_pdfs, store, delivery
):
    place = fnol.loss.place.model_copy(update={"country": "GB"})  # where 03/04 would be the 3rd of April
    british = make_fnol(loss=fnol.loss.model_copy(update={"place": place}))

    case = run(attach(british, claim_pdfs(british)), store, delivery)

    assert case.extraction is not None
    assert {f.value for f in case.extraction.fields if f.name == "loss_date"} == {"2024-03-14"}
    assert codes(case) == []
