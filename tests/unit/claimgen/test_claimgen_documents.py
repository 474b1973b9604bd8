"""The renderers are read back with pdfplumber alone, independently of services/docextract."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from claimgen.documents import loss_notice_pdf, loss_notice_values, police_report_pdf, repair_estimate_pdf

ITEMS = [("Front bumper - replace", 780.0), ("Headlamp L", 1_240.5), ("Labor 4 h", 260.0)]


def pages_text(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def form_values(content: bytes) -> dict[str, str]:
    """Every AcroForm field of the catalog, by name (whitespace collapsed)."""
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        fields = resolve1(resolve1(pdf.doc.catalog["AcroForm"])["Fields"])
        return {decode_text(resolve1(f)["T"]): " ".join(decode_text(resolve1(f)["V"]).split()) for f in fields}


def test_rendering_is_deterministic(motor_fnol, property_fnol):
    assert loss_notice_pdf(motor_fnol) == loss_notice_pdf(motor_fnol)
    assert police_report_pdf(motor_fnol) == police_report_pdf(motor_fnol)
    assert repair_estimate_pdf(motor_fnol, ITEMS) == repair_estimate_pdf(motor_fnol, ITEMS)
    assert loss_notice_pdf(motor_fnol) != loss_notice_pdf(property_fnol)


def test_the_motor_loss_notice_is_a_filled_form_with_the_values_also_printed(motor_fnol):
    content = loss_notice_pdf(motor_fnol)

    values = form_values(content)
    assert values["Policy_PolicyNumber"] == "AUTO-55-1024"
    assert values["Loss_IncidentDate"] == "07/02/2024" and values["Loss_IncidentTime"] == "08:05 AM"
    assert values["Vehicle_VIN"] == "1M8GDM9AXKP042788"
    assert values["Police_ReportIdentifier"] == "RPD-7731"
    assert values["Injury_Description"] == "None"
    assert values["OtherParty_FullName"] == "Riverside Garage LLC"
    [text] = pages_text(content)
    assert text.startswith("AUTOMOBILE LOSS NOTICE")
    assert all(value in " ".join(text.split()) for value in values.values())


def test_overrides_change_both_the_form_value_and_the_printed_text(motor_fnol):
    content = loss_notice_pdf(motor_fnol, overrides={"loss_date": "07/09/2024", "vehicle_vin": "1HGCM82633A004352"})

    assert form_values(content)["Loss_IncidentDate"] == "07/09/2024"
    assert form_values(content)["Vehicle_VIN"] == "1HGCM82633A004352"
    [text] = pages_text(content)
    assert "07/09/2024" in text
    assert text.count("07/02/2024") == 1  # left only as the date reported, in the header


def test_an_override_for_a_box_the_notice_lacks_is_refused(motor_fnol):
    with pytest.raises(ValueError, match="property_kind"):
        loss_notice_pdf(motor_fnol, overrides={"property_kind": "building"})


def test_the_property_notice_describes_the_property_not_a_vehicle(property_fnol):
    content = loss_notice_pdf(property_fnol)

    values = form_values(content)
    assert values["Property_LocationAddress"] == "12 Elm St, Madison, WI 53703, US"
    assert values["Property_YearBuilt"] == "1962"
    assert not any(name.startswith("Vehicle_") for name in values)
    assert pages_text(content)[0].startswith("PROPERTY LOSS NOTICE")
    assert "vehicle_vin" not in loss_notice_values(property_fnol)


def test_a_description_too_long_for_its_box_continues_on_a_remarks_page(motor_fnol):
    story = " ".join(f"Sentence {n} of a long account of the accident." for n in range(60))
    fnol = motor_fnol.model_copy(update={"loss": motor_fnol.loss.model_copy(update={"description": story})})

    content = loss_notice_pdf(fnol)

    pages = pages_text(content)
    assert len(pages) == 2 and pages[1].startswith("ADDITIONAL REMARKS SCHEDULE")
    assert "Sentence 59 of a long account" in pages[1]
    assert form_values(content)["Loss_Description"] == story  # the form holds it whole


def test_a_flattened_notice_has_the_text_but_no_form(motor_fnol):
    content = loss_notice_pdf(motor_fnol, fillable=False)

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        assert "AcroForm" not in pdf.doc.catalog and pdf.pages[0].annots == []
    assert "1M8GDM9AXKP042788" in pages_text(content)[0]


def test_the_repair_estimate_lists_items_and_their_total(motor_fnol):
    [text] = pages_text(repair_estimate_pdf(motor_fnol, ITEMS))

    assert "REPAIR ESTIMATE" in text
    assert "2 Headlamp L $1,240.50" in text
    assert "Estimate Total: $2,280.50" in text
    assert "VIN: 1M8GDM9AXKP042788" in text


def test_the_police_report_carries_the_report_number_and_the_narrative(motor_fnol, property_fnol):
    [motor] = pages_text(police_report_pdf(motor_fnol))
    [incident] = pages_text(police_report_pdf(property_fnol))

    assert "TRAFFIC COLLISION REPORT" in motor and "Report Number: RPD-7731" in motor
    assert "Date of Incident: July 02, 2024" in motor and "Time of Incident: 08:05" in motor
    assert "Narrative: Backed into a bollard leaving the parking garage." in motor
    assert "INCIDENT REPORT" in incident and "Report Number: RPT-" in incident  # none filed: a made-up one
