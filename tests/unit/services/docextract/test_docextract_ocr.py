"""OCR of real (generated) scans through Tesseract: a few small pages only, to keep the suite fast."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pytest
import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfgen.canvas import Canvas

from claimgen.documents import loss_notice_pdf, repair_estimate_pdf
from claimgen.scans import Degradation, degrade, encode, rasterize, scan
from services.docextract import extract
from services.docextract.cleanup import orientation_and_skew, prepare_page
from services.docextract.content import DocumentError, ReadLimits
from services.docextract.fields import extract_fields
from services.docextract.formcells import find_cells
from services.docextract.media import read_document
from services.docextract.ocr import LANGUAGES, ScannedPage, TesseractOcr, ocr_page
from services.docextract.pdf import read_text_layer

FAR = time.monotonic() + 3600
LINE_ITEMS = [("Rear bumper cover - replace", 612.40), ("Trunk lid - repair", 380.00)]


@pytest.fixture(scope="module")
def ocr() -> TesseractOcr:
    return TesseractOcr(page_timeout_s=60)


@pytest.fixture(scope="module")
def estimate_page(request) -> Image.Image:
    fnol = request.getfixturevalue("fnol")
    return rasterize(repair_estimate_pdf(fnol, LINE_ITEMS))[0]


@pytest.fixture(scope="module")
def fnol_module():  # module-scoped copy of the motor FNOL for expensive renders
    from tests.unit.services.docextract.conftest import _motor_fnol

    return _motor_fnol()


def test_a_skewed_page_is_straightened(fnol_module):
    page = rasterize(repair_estimate_pdf(fnol_module, LINE_ITEMS), dpi=150)[0]
    skewed = page.rotate(2.5, expand=True, fillcolor=255)

    assert orientation_and_skew(skewed) == (0, pytest.approx(-2.5, abs=0.3))
    turns, angle = orientation_and_skew(skewed.rotate(90, expand=True))
    assert (turns, angle) == (1, pytest.approx(-2.5, abs=0.3))


def test_clean_up_gives_black_ink_on_white_paper():
    grey = Image.new("L", (600, 300), 200)
    ImageDraw.Draw(grey).text((50, 100), "POLICY NUMBER PA-7781", fill=60)

    prepared = prepare_page(grey, dpi=300)

    assert set(np.unique(np.asarray(prepared)).tolist()) == {0, 255}


def test_the_boxes_of_a_scanned_form_are_found_again(fnol_module):
    page = rasterize(loss_notice_pdf(fnol_module, fillable=False), dpi=150)[0]

    cells = find_cells(page.point(lambda value: 255 if value > 128 else 0))

    assert len(cells) >= 15  # policy, claim, loss date, time, place, description, insured x3, vehicle x5, ...


def test_a_scanned_estimate_reads_like_the_digital_one(fnol, attach, store, delivery, ocr):
    degradation = Degradation(
        skew_degrees=1.5, quarter_turns=2, blur_radius=0.5, noise_sigma=8, paper_grey=235, jpeg_quality=75
    )
    content = scan(
        repair_estimate_pdf(fnol, LINE_ITEMS), np.random.default_rng(1), fmt="png", degradation=degradation
    )  # upside down, skewed, grey and noisy

    case = extract(
        attach(fnol, [("estimate.png", content, "image/png")]), delivery, documents=store, max_pages=5, ocr=ocr
    )

    assert case.extraction is not None
    assert [(d.doc_type, d.pages, d.error) for d in case.extraction.documents] == [("repair_estimate", 1, None)]
    found = {field.name: field for field in case.extraction.fields}
    assert found["estimate_total"].value == "992.40"
    assert found["vehicle_vin"].value == "1HGCM82633A004352"
    assert found["policy_number"].value == "PA-7781-2203"
    assert {field.method for field in found.values()} == {"ocr"}
    assert max(field.confidence for field in found.values()) < 0.97  # OCR is never as sure as a typed form


def test_a_photo_without_text_is_a_photo(fnol, attach, store, delivery, ocr):
    image = Image.new("RGB", (800, 600), (90, 120, 160))
    ImageDraw.Draw(image).ellipse((200, 150, 600, 450), fill=(200, 40, 40))

    case = extract(
        attach(fnol, [("damage.jpg", encode([image], "jpeg"), "image/jpeg")]),
        delivery,
        documents=store,
        max_pages=5,
        ocr=ocr,
    )

    assert case.extraction is not None
    assert [(d.doc_type, d.error) for d in case.extraction.documents] == [("photo", None)]


def test_ocr_that_runs_out_of_time_is_a_named_error(fnol_module):
    page = degrade(rasterize(repair_estimate_pdf(fnol_module, LINE_ITEMS))[0], Degradation(), np.random.default_rng(0))
    slow = TesseractOcr(page_timeout_s=0.01)

    with pytest.raises(DocumentError) as caught:
        read_document(encode([page], "png"), "image/png", limits=ReadLimits(), ocr=slow, deadline=time.monotonic() + 60)
    assert caught.value.code == "timeout"


def test_settings_become_limits_and_a_pool():
    from services.core.settings import DocextractSettings
    from services.docextract.bootstrap import ocr_pool, read_limits

    settings = DocextractSettings(max_pages=7, max_pixels=2_000_000, document_timeout_s=9, ocr_workers=3)

    assert read_limits(settings) == ReadLimits(max_pages=7, max_pixels=2_000_000, timeout_s=9, ocr_dpi=300)
    assert ocr_pool(settings).workers == 3


def outlined_text_pdf(lines: list[str]) -> bytes:
    """A page of text drawn as filled glyph outlines (as `gs -dNoOutputFonts` prints it), its page number as text."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for row, line in enumerate(lines):
        outline = TextPath((0, 0), line, size=14, prop=FontProperties(family="DejaVu Sans"))
        path = canvas.beginPath()
        for polygon in outline.to_polygons():
            path.moveTo(72 + polygon[0][0], 700 - 30 * row + polygon[0][1])
            for x, y in polygon[1:]:
                path.lineTo(72 + x, 700 - 30 * row + y)
            path.close()
        canvas.drawPath(path, stroke=0, fill=1, fillMode=0)
    canvas.drawString(500, 20, "Page 1")
    canvas.save()
    return buffer.getvalue()


def scan_with_a_stamp(image: Image.Image) -> bytes:
    """A scanned page inside a digital PDF, with the page number printed over it as text."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawInlineImage(image, 0, 0, width=612, height=792)
    canvas.drawString(500, 20, "Page 1 of 1")
    canvas.save()
    return buffer.getvalue()


def test_text_drawn_as_outlines_is_read_by_ocr(ocr):
    content = outlined_text_pdf(["REPAIR ESTIMATE", "Policy Number: PA-7781-2203", "Estimate Total: $992.40"])
    assert "Policy" not in read_text_layer(content, ReadLimits(), FAR)[0][0].text  # nothing to read in the layer

    document = read_document(content, "application/pdf", limits=ReadLimits(), ocr=ocr, deadline=FAR)

    assert document.pages[0].method == "ocr"
    fields = {f.name: f.value for f in extract_fields(document, "0" * 64, doc_type="repair_estimate", day_first=False)}
    assert fields["policy_number"] == "PA-7781-2203"
    assert fields["estimate_total"] == "992.40"


def test_a_scan_inside_a_digital_pdf_is_read_by_ocr_despite_its_stamp(fnol, ocr):
    page = scan(
        repair_estimate_pdf(fnol, LINE_ITEMS),
        np.random.default_rng(2),
        fmt="png",
        degradation=Degradation(
            skew_degrees=0.0, quarter_turns=0, blur_radius=0.0, noise_sigma=2, paper_grey=245, jpeg_quality=90
        ),
    )
    content = scan_with_a_stamp(Image.open(io.BytesIO(page)))

    document = read_document(content, "application/pdf", limits=ReadLimits(), ocr=ocr, deadline=FAR)

    assert document.pages[0].method == "ocr"
    assert "PA-7781-2203" in document.text


def test_a_digital_page_with_a_logo_keeps_its_text_layer(fnol, fake_ocr):
    document = read_document(loss_notice_pdf(fnol), "application/pdf", limits=ReadLimits(), ocr=fake_ocr, deadline=FAR)

    assert {page.method for page in document.pages} == {"text_layer"}


def test_the_documents_languages_are_read_and_one_not_installed_is_left_out_by_name(caplog):
    assert TesseractOcr().language == LANGUAGES == "eng+fra+deu"  # scripts/system-deps.sh installs all three
    with caplog.at_level("WARNING"):
        assert TesseractOcr(language="eng+xyz").language == "eng"
    assert "install tesseract-ocr-xyz" in caplog.text


def test_a_french_name_on_a_scan_keeps_its_accent(ocr):
    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), 48)  # has accents
    image = Image.new("L", (1200, 300), 255)
    ImageDraw.Draw(image).text((60, 100), "Inès Lefèvre, Chloé Bonnet", fill=0, font=font)
    page = ScannedPage(1, image, 300.0)
    assert "Inès Lefèvre, Chloé Bonnet" in ocr_page(page, language=ocr.language, timeout_s=60).text
