"""Each extracted value says where it is printed: a widget's /Rect, text-layer words, OCR words."""

from __future__ import annotations

import io
import time

import numpy as np
import pdfplumber
import pytest

from claimgen.documents import loss_notice_pdf, repair_estimate_pdf
from claimgen.scans import Degradation, scan
from services.core.events.case import ExtractedField
from services.docextract.classify import classify
from services.docextract.content import PlacedWord, ReadLimits
from services.docextract.fields import extract_fields
from services.docextract.media import read_document
from services.docextract.ocr import TesseractOcr
from services.docextract.positions import locate

SHA = "a" * 64
ITEMS = [("Rear bumper cover - replace", 612.40), ("Trunk lid - repair", 380.00)]


def fields_of(content: bytes, media_type: str, ocr) -> dict[str, ExtractedField]:
    document = read_document(content, media_type, limits=ReadLimits(), ocr=ocr, deadline=time.monotonic() + 120)
    found = extract_fields(document, SHA, doc_type=classify(document), day_first=False)
    return {field.name: field for field in found}


def printed_at(pdf: bytes, field: ExtractedField) -> str:
    assert field.box is not None
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[field.page - 1]
        return page.within_bbox((field.box.x0, field.box.top, field.box.x1, field.box.bottom)).extract_text()


def test_a_form_fields_box_is_its_widget(fnol, fake_ocr):
    pdf = loss_notice_pdf(fnol)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        widget = next(a for a in document.pages[0].annots if a["title"] == "Vehicle_VIN")

    vin = fields_of(pdf, "application/pdf", fake_ocr)["vehicle_vin"]

    assert vin.method == "form_field" and vin.box is not None and vin.box.unit == "pt"
    assert (vin.box.x0, vin.box.top, vin.box.x1, vin.box.bottom) == pytest.approx(
        (widget["x0"], widget["top"], widget["x1"], widget["bottom"])
    )


@pytest.mark.parametrize("fillable", [True, False])
def test_every_value_of_a_digital_document_is_printed_inside_its_box(fnol, fake_ocr, fillable):
    for pdf in (loss_notice_pdf(fnol, fillable=fillable), repair_estimate_pdf(fnol, ITEMS)):
        found = fields_of(pdf, "application/pdf", fake_ocr)

        assert all(field.box is not None for field in found.values())
        assert printed_at(pdf, found["claim_number"]) == "CLM-2024-000123"
        assert "1HGCM82633A004352" in printed_at(pdf, found["vehicle_vin"])


def test_a_value_is_located_token_for_token():
    words = [
        PlacedWord("Total:", (10, 5, 40, 15)),
        PlacedWord("$1,234.50", (45, 5, 90, 15)),
        PlacedWord("Lake", (10, 20, 30, 30)),
        PlacedWord("St", (32, 20, 40, 30)),
    ]

    assert locate("$1,234.50", words) == (45, 5, 90, 15)
    assert locate("Total:  $1,234.50\nLake", words) == (10, 5, 90, 30)
    assert locate("Lake Street", words) is None


@pytest.mark.slow
def test_ocr_boxes_are_pixels_where_the_text_layer_puts_points(fnol, fake_ocr):
    pdf = repair_estimate_pdf(fnol, ITEMS)
    digital = fields_of(pdf, "application/pdf", fake_ocr)
    scanned = fields_of(
        scan(pdf, np.random.default_rng(0), fmt="png", degradation=Degradation()),
        "image/png",
        TesseractOcr(page_timeout_s=60),
    )

    for name in ("policy_number", "estimate_total", "vehicle_vin"):
        pt, px = digital[name].box, scanned[name].box
        assert pt is not None and px is not None and px.unit == "px" and round(px.dpi or 0) == 300
        scale = 300 / 72
        assert (px.x0, px.top, px.x1, px.bottom) == pytest.approx(
            (pt.x0 * scale, pt.top * scale, pt.x1 * scale, pt.bottom * scale), abs=20
        )
