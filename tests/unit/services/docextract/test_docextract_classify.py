import pytest

from services.docextract.classify import classify
from services.docextract.content import DocumentContent, FormValue, PageText


def text_document(text: str) -> DocumentContent:
    return DocumentContent(pages=(PageText(number=1, text=text),))


@pytest.mark.parametrize(("text", "expected"), [
    ("AUTOMOBILE LOSS NOTICE\nDATE OF LOSS ...", "loss_notice"),
    ("SPRINGFIELD POLICE DEPARTMENT\nTRAFFIC COLLISION REPORT\nReporting Officer: Badge 7", "police_report"),
    ("Northside Collision & Body Repair\nREPAIR ESTIMATE\nLabor 2h", "repair_estimate"),
    ("Mercy Clinic\nPATIENT STATEMENT\nDiagnosis: S13.4 CPT 99213", "medical_bill"),
    ("INVOICE\nBill To: Maria Gonzalez\nAmount Due: $120.00", "invoice"),
    ("Dear Sir, please find attached.", "other"),
    ("", "other"),
])
def test_documents_are_typed_by_what_they_say(text, expected):
    assert classify(text_document(text)) == expected


def test_a_filled_form_holding_the_facts_of_a_loss_is_a_loss_notice():
    form = (FormValue("Policy_PolicyNumber", "P-1", 1), FormValue("Loss_IncidentDate", "03/14/2024", 1),
            FormValue("Loss_Description", "Hail", 1))

    assert classify(DocumentContent(pages=(PageText(number=1, text=""),), form_values=form)) == "loss_notice"
