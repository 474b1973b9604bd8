import pytest

from services.docextract.classify import classify, classify_kind
from services.docextract.content import DocumentContent, FormValue, PageText


def text_document(text: str) -> DocumentContent:
    return DocumentContent(pages=(PageText(number=1, text=text),))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AUTOMOBILE LOSS NOTICE\nDATE OF LOSS ...", "loss_notice"),
        ("SPRINGFIELD POLICE DEPARTMENT\nTRAFFIC COLLISION REPORT\nReporting Officer: Badge 7", "police_report"),
        ("Northside Collision & Body Repair\nREPAIR ESTIMATE\nLabor 2h", "repair_estimate"),
        ("Mercy Clinic\nPATIENT STATEMENT\nDiagnosis: S13.4 CPT 99213", "medical_bill"),
        ("INVOICE\nBill To: Maria Gonzalez\nAmount Due: $120.00", "invoice"),
        ("AUTOBAHNPOLIZEI LEIPZIG\nVerkehrsunfallanzeige\nFahrzeugführer: Sabine Brandt", "police_report"),
        ("Dear Sir, please find attached.", "other"),
        ("", "other"),
    ],
)
def test_documents_are_typed_by_what_they_say(text, expected):
    assert classify(text_document(text)) == expected


def test_a_filled_form_holding_the_facts_of_a_loss_is_a_loss_notice():
    form = (
        FormValue("Policy_PolicyNumber", "P-1", 1),
        FormValue("Loss_IncidentDate", "03/14/2024", 1),
        FormValue("Loss_Description", "Hail", 1),
    )

    assert classify(DocumentContent(pages=(PageText(number=1, text=""),), form_values=form)) == "loss_notice"


@pytest.mark.parametrize(
    ("text", "doc_type", "kind"),
    [
        (
            "Ashworth Bodyworks\nQUOTE\nQuote Number: Q-118\nLabour 2h\nTotal inc VAT: £480.00",
            "repair_estimate",
            "garage_quote",
        ),
        (
            "Karosseriebau Wagner GmbH\nKostenvoranschlag\nArbeitslohn 3 Std.\nEndbetrag: EUR 3.340,88",
            "repair_estimate",
            "garage_quote",
        ),
        ("Garage du Centre\nDEVIS\nMain d'oeuvre\nTotal TTC: 1 200,00 €", "repair_estimate", "garage_quote"),
        (
            "Bay Area Fire Restoration Services\nRESTORATION ESTIMATE\nScope of work\nTOTAL ESTIMATE: $115,350",
            "repair_estimate",
            "contractor_estimate",
        ),
        ("THE HOME DEPOT\nSALE RECEIPT\nCashier: SARAH\nSUBTOTAL $982.94\nTOTAL $1,073.86", "invoice", "receipt"),
        ("Metro Towing\nRECHNUNG\nRechnungsnummer: R-1\nGesamtbetrag: EUR 120,00", "invoice", "invoice"),
        (
            "STATE OF OHIO\nTRAFFIC CRASH REPORT\nLocal Report Number: 1\nUnit 1\nUnit 2",
            "police_report",
            "crash_report",
        ),
        ("SANTA CLARA COUNTY FIRE DEPARTMENT\nINCIDENT REPORT\nResponding Units: Engine 75", "other", "fire_report"),
        (
            "Keystone Appraisals\nTotal Loss Valuation Report\nComparable Vehicles\nBase value $17,453",
            "other",
            "total_loss_valuation",
        ),
        (
            "Dear Sir or Madam,\nI am writing to report an accident under my policy.\nYours faithfully,\nJane Doe",
            "loss_notice",
            "fnol_letter",
        ),
        (
            "Perfect Wildfire Insurance Claim\nClaim Information\nIncident Date: October 15, 2024\nFire Department "
            "Incident Report\nReport Number: SRFD-1\nTotal Estimate: $275,000",
            "loss_notice",
            "loss_notice",
        ),
    ],
)
def test_documents_claims_teams_receive_have_their_kind(text, doc_type, kind):
    assert classify_kind(text_document(text)) == (doc_type, kind)


def test_a_label_in_the_first_lines_is_no_title():
    text = "POLICY NUMBER: POL999\nDATE OF LOSS: 02/02/2025\nLOCATION OF LOSS: Dallas, TX\nESTIMATE AMOUNT: 8000"
    assert classify(text_document(text)) == "loss_notice"
