"""Line items of estimates, invoices and bills, against the rows claimgen printed."""

from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
import pytest

from claimgen.corpus import TOWING, TREATMENT
from claimgen.documents import PrintedItem, invoice_pdf, medical_bill_pdf, printed_items, repair_estimate_pdf
from claimgen.scans import Degradation, scan
from services.core.events.case import LineItem
from services.docextract.content import DocumentContent, PageText, PlacedWord, ReadLimits
from services.docextract.lineitems import read_line_items
from services.docextract.media import read_document
from services.docextract.ocr import TesseractOcr

FAR = time.monotonic() + 3600


def rows(items: list[LineItem]) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (
            item.description,
            str(item.amount),
            None if item.quantity is None else f"{item.quantity:g}",
            None if item.unit_price is None else str(item.unit_price),
        )
        for item in items
    ]


def truth(items) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (
            item.description,
            f"{item.amount:.2f}",
            None if item.quantity is None else f"{item.quantity:g}",
            None if item.unit_price is None else f"{item.unit_price:.2f}",
        )
        for item in printed_items(items)
    ]


def read(content: bytes, ocr, media_type: str = "application/pdf") -> DocumentContent:
    return read_document(content, media_type, limits=ReadLimits(), ocr=ocr, deadline=FAR)


@pytest.mark.parametrize("render", ["estimate", "invoice", "medical"])
def test_the_rows_of_digital_documents_are_read_as_printed(fnol, fake_ocr, render):
    items = {
        "estimate": (("Rear bumper cover - replace", 612.40), ("Labor 9.5 h", 589.00)),
        "invoice": TOWING,
        "medical": TREATMENT,
    }[render]
    pdf = {"estimate": repair_estimate_pdf, "invoice": invoice_pdf, "medical": medical_bill_pdf}[render](fnol, items)

    found = read_line_items(read(pdf, fake_ocr))

    assert rows(found) == truth(items)
    assert all(item.page == 1 and item.box is not None and item.box.unit == "pt" for item in found)


def test_quantity_and_unit_price_only_where_printed(fnol, fake_ocr):
    found = read_line_items(read(invoice_pdf(fnol, TOWING), fake_ocr))

    assert (found[0].quantity, found[0].unit_price) == (Decimal(14), Decimal("12.50"))
    assert (found[-1].description, found[-1].quantity) == ("Roadside hook-up fee", None)


def test_a_table_running_over_pages_is_read_to_its_end(fnol, fake_ocr):
    items = [(f"Part {number}", 10.0 + number) for number in range(1, 81)]

    document = read(repair_estimate_pdf(fnol, items), fake_ocr)
    found = read_line_items(document)

    assert len(document.pages) >= 2
    assert rows(found) == truth(items)
    assert {item.page for item in found} == {page.number for page in document.pages}


def _row(y: float, *texts: str) -> list[PlacedWord]:
    return [PlacedWord(text, (40.0 + 60 * index, y, 90.0 + 60 * index, y + 9)) for index, text in enumerate(texts)]


def test_a_subtotal_is_skipped_and_tax_counts_as_a_row():
    words = [
        *_row(10, "Item", "Description", "Amount"),
        *_row(30, "Oil", "change", "$80.00"),
        *_row(50, "Subtotal:", "$80.00"),
        *_row(70, "Sales", "tax", "$6.40"),
        *_row(90, "Total:", "$86.40"),
        *_row(110, "Thank", "you", "$1.00"),
    ]
    document = DocumentContent(pages=(PageText(number=1, text="", words=tuple(words)),))

    assert [(item.description, str(item.amount)) for item in read_line_items(document)] == [
        ("Oil change", "80.00"),
        ("Sales tax", "6.40"),
    ]


@pytest.mark.slow
def test_the_rows_of_a_scanned_invoice_are_read_by_ocr(fnol):
    items = (*TOWING, PrintedItem("Winching", 95.0))
    degradation = Degradation(skew_degrees=1.0, blur_radius=0.4, noise_sigma=6, paper_grey=240, jpeg_quality=80)
    content = scan(invoice_pdf(fnol, items), np.random.default_rng(2), fmt="png", degradation=degradation)

    found = read_line_items(read(content, TesseractOcr(page_timeout_s=60), "image/png"))

    assert rows(found) == truth(items)
    assert all(item.box is not None and item.box.unit == "px" and round(item.box.dpi or 0) == 300 for item in found)
