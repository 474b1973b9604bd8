"""Scans of rendered documents and the seeded corpus with its ground truth."""

from __future__ import annotations

import io

import numpy as np
import pdfplumber
from PIL import Image

from claimgen.corpus import build_corpus, estimate_truth, loss_notice_truth
from claimgen.documents import PrintedItem, invoice_pdf, medical_bill_pdf, printed_items, repair_estimate_pdf
from claimgen.scans import Degradation, degrade, rasterize, scan

ITEMS = (("Front bumper cover", 420.0), ("Labour 2 h", 150.0))


def test_a_scan_is_pages_of_pixels_at_the_scanners_resolution(motor_fnol):
    content = scan(repair_estimate_pdf(motor_fnol, ITEMS), np.random.default_rng(1), fmt="pdf")

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        assert len(pdf.pages) == 1
        assert (pdf.pages[0].extract_text() or "") == ""  # no text layer left
        assert len(pdf.pages[0].images) == 1


def test_scans_are_deterministic_for_a_seed(motor_fnol):
    pdf = repair_estimate_pdf(motor_fnol, ITEMS)

    assert scan(pdf, np.random.default_rng(3), fmt="png") == scan(pdf, np.random.default_rng(3), fmt="png")


def test_degradation_turns_and_greys_the_page(motor_fnol):
    page = rasterize(repair_estimate_pdf(motor_fnol, ITEMS), dpi=100)[0]

    turned = degrade(page, Degradation(quarter_turns=1, paper_grey=230), np.random.default_rng(0))

    assert turned.size == (page.height, page.width)
    assert max(np.asarray(turned).ravel()) <= 230


def test_multi_page_tiff_scans(motor_fnol):
    content = scan(repair_estimate_pdf(motor_fnol, ITEMS * 40), np.random.default_rng(1), fmt="tiff", dpi=100)

    assert getattr(Image.open(io.BytesIO(content)), "n_frames", 1) == 2


def test_ground_truth_is_written_from_the_fnol(motor_fnol):
    notice = loss_notice_truth(motor_fnol)
    estimate = estimate_truth(motor_fnol, ITEMS)

    assert notice["loss_date"] == "2024-07-02" and notice["loss_time"] == "08:05"
    assert notice["vehicle_vin"] == "1M8GDM9AXKP042788"
    assert "property_address" not in notice
    assert estimate["estimate_total"] == "570.00"


def test_the_corpus_is_seeded_and_labelled():
    first, again = build_corpus(claims=6, seed=11), build_corpus(claims=6, seed=11)

    assert [(d.name, d.content) for d in first] == [(d.name, d.content) for d in again]
    assert {d.doc_type for d in first} >= {"loss_notice", "repair_estimate"}
    assert all(d.truth and not d.scanned and d.media_type == "application/pdf" for d in first)


def test_bills_print_their_totals(motor_fnol):
    for pdf, total in (
        (invoice_pdf(motor_fnol, ITEMS), "Amount Due: $570.00"),
        (medical_bill_pdf(motor_fnol, ITEMS), "Total Amount: $570.00"),
    ):
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            assert total in (document.pages[0].extract_text() or "")


def test_items_billed_by_the_unit_print_quantity_and_unit_price(motor_fnol):
    items = (PrintedItem("Storage, days", 135.0, 3, 45.0), ("Hook-up fee", 60.0))

    with pdfplumber.open(io.BytesIO(invoice_pdf(motor_fnol, items))) as document:
        text = document.pages[0].extract_text() or ""

    assert "LINE DESCRIPTION QTY UNIT PRICE AMOUNT" in text
    assert "1 Storage, days 3 $45.00 $135.00" in text and "2 Hook-up fee $60.00" in text
    assert "Amount Due: $195.00" in text
    assert printed_items(items) == [PrintedItem("Storage, days", 135.0, 3, 45.0), PrintedItem("Hook-up fee", 60.0)]


def test_the_corpus_knows_the_rows_it_printed():
    corpus = build_corpus(claims=6, seed=5)
    costed = [d for d in corpus if d.doc_type in ("repair_estimate", "invoice", "medical_bill")]

    assert costed and all(d.line_items for d in costed)
    assert all(not d.line_items for d in corpus if d.doc_type in ("loss_notice", "police_report"))
