"""Filled forms with generic field names (`Text7`, `Check Box6`) read by the labels printed beside their widgets."""

import io
import time

from reportlab.pdfgen.canvas import Canvas

from services.docextract.content import DocumentContent, ReadLimits
from services.docextract.fields import extract_fields
from services.docextract.pdf import read_text_layer

ROWS = [("Policy ID", "PA-7781-2203"), ("Insured", "Maria Gonzalez"), ("VIN", "1HGCM82633A004352")]
OTHER = [("Other Party", "Derek Holt"), ("VIN", "1M8GDM9AXKP042788")]


def generic_form(*, injured: bool) -> bytes:
    """A two-section loss notice made with generic field names, labels printed left of the widgets."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    form, y, number = canvas.acroForm, 740, 0
    canvas.drawString(40, 770, "FIRST NOTICE OF LOSS")
    for heading, rows in (("INSURED / CLAIMANT", ROWS), ("OTHER PARTY", OTHER)):
        canvas.drawString(40, y, heading)
        y -= 22
        for label, value in rows:
            number += 1
            canvas.drawString(42, y + 4, label)
            form.textfield(name=f"Text{number}", value=value, x=232, y=y, width=300, height=15)
            y -= 22
    canvas.drawString(42, y + 2, "Bodily Injury")
    for offset, option in ((0, "Yes"), (55, "No")):
        number += 1
        checked = injured == (option == "Yes")
        form.checkbox(name=f"Check Box{number}", x=232 + offset, y=y, size=10, checked=checked)
        canvas.drawString(245 + offset, y + 2, option)
    canvas.drawString(40, 40, "© 2016 Example Forms Corporation. All rights reserved.")
    canvas.save()
    return buffer.getvalue()


def read(content: bytes) -> dict[str, str]:
    pages, values = read_text_layer(content, ReadLimits(), time.monotonic() + 60)
    document = DocumentContent(pages=pages, form_values=values)
    return {f.name: f.value for f in extract_fields(document, "0" * 64, doc_type="loss_notice", day_first=False)}


def test_generic_fields_take_the_label_beside_them_and_the_party_of_their_section():
    found = read(generic_form(injured=False))

    assert found["policy_number"] == "PA-7781-2203"
    assert found["claimant_name"] == "Maria Gonzalez"
    assert found["vehicle_vin"] == "1HGCM82633A004352"  # the insured's, never the other party's
    assert found["other_party_name"] == "Derek Holt"
    assert found["other_party_vin"] == "1M8GDM9AXKP042788"
    assert "2016" not in found["policy_number"]  # the copyright line is no policy number


def test_a_ticked_box_reads_as_the_option_printed_beside_it():
    assert read(generic_form(injured=False))["injuries"] == "none"
    assert read(generic_form(injured=True))["injuries"] == "yes"
