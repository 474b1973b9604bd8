import io
import time

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from claimgen.documents import loss_notice_pdf
from services.docextract.content import DocumentContent, DocumentError, ReadLimits
from services.docextract.media import read_document, sniff_media_type
from services.docextract.pdf import read_pdf

FAR = time.monotonic() + 3600


def one_page(text: str = "Plate: AB 12") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 720, text)
    canvas.save()
    return buffer.getvalue()


def scanned_pdf(pages: int = 1, size: tuple[float, float] = (612, 792)) -> bytes:
    """Pages with a drawn rectangle standing in for a scanned image: no text layer."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1)
    for _ in range(pages):
        canvas.rect(72, 72, 300, 400, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def read(content: bytes, ocr, media_type: str = "application/pdf", **limits) -> DocumentContent:
    return read_document(content, media_type, limits=ReadLimits(**limits), ocr=ocr, deadline=FAR)


def error_code(content: bytes, ocr, media_type: str = "application/pdf", **limits) -> str:
    with pytest.raises(DocumentError) as caught:
        read(content, ocr, media_type, **({"max_pages": 5} | limits))
    return caught.value.code


def test_page_text_boxes_and_form_values(fnol, fake_ocr):
    document = read_pdf(loss_notice_pdf(fnol), limits=ReadLimits(max_pages=5), ocr=fake_ocr, deadline=FAR)

    assert [page.number for page in document.pages] == [1]
    assert "AUTOMOBILE LOSS NOTICE" in document.pages[0].text
    assert ("V.I.N.", "1HGCM82633A004352") in document.pages[0].boxes
    assert {value.name: value.value for value in document.form_values}["Vehicle_VIN"] == "1HGCM82633A004352"
    assert {value.page for value in document.form_values} == {1}
    assert fake_ocr.pages == []  # text-layer pages never go through OCR


def test_a_pdf_sent_as_octet_stream_is_still_read(fake_ocr):
    assert read(one_page(), fake_ocr, "application/octet-stream").pages[0].text == "Plate: AB 12"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n", "corrupt"),
        (b"GIF89a" + bytes(20), "not_a_pdf"),
        (one_page()[:-200], "corrupt"),
    ],
)
def test_named_errors(content, code, fake_ocr):
    assert error_code(content, fake_ocr) == code


def test_pages_without_text_go_to_ocr_at_the_ocr_resolution(fake_ocr):
    document = read(scanned_pdf(pages=2), fake_ocr)

    assert [(page.number, page.method) for page in document.pages] == [(1, "ocr"), (2, "ocr")]
    assert [page.image.width for page in fake_ocr.pages] == [2550] * 2  # letter at 300 dpi
    assert document.ocr_pages == 2


def test_a_huge_page_is_rendered_within_the_pixel_limit_or_refused(fake_ocr):
    read(scanned_pdf(size=(612 * 2, 792 * 2)), fake_ocr, max_pixels=10_000_000)
    width, height = fake_ocr.pages[0].image.size
    assert width * height <= 10_000_000

    assert error_code(scanned_pdf(size=(14_400, 14_400)), fake_ocr) == "too_many_pixels"


def test_images_go_to_ocr_page_by_page(fake_ocr):
    frames = [Image.new("L", (850, 1100), 255) for _ in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], dpi=(100, 100))

    document = read(buffer.getvalue(), fake_ocr, "image/tiff")

    assert [page.number for page in document.pages] == [1, 2, 3]
    assert [page.dpi for page in fake_ocr.pages] == [100.0] * 3


def test_hostile_images_are_refused_before_they_are_decoded(fake_ocr):
    huge = io.BytesIO()
    Image.new("1", (2_000, 2_000)).save(huge, format="PNG")  # a tiny file of 4 million pixels
    frames = io.BytesIO()
    Image.new("L", (10, 10)).save(frames, format="TIFF", save_all=True, append_images=[Image.new("L", (10, 10))] * 9)
    png = io.BytesIO()
    Image.new("L", (400, 400), 128).save(png, format="PNG")

    assert error_code(huge.getvalue(), fake_ocr, "image/png", max_pixels=1_000_000) == "too_many_pixels"
    assert error_code(frames.getvalue(), fake_ocr, "image/tiff") == "too_many_pages"
    assert error_code(png.getvalue()[:300], fake_ocr, "image/png") == "corrupt"
    assert fake_ocr.pages == []


def test_a_file_whose_label_lies_is_read_by_its_content(fake_ocr):
    png = io.BytesIO()
    Image.new("L", (400, 400), 255).save(png, format="PNG")

    assert read(png.getvalue(), fake_ocr, "image/jpeg").pages[0].method == "ocr"
    assert error_code(png.getvalue(), fake_ocr, "application/pdf") == "not_a_pdf"
    assert error_code(b"not an image at all", fake_ocr, "image/jpeg") == "corrupt"
    assert error_code(b"PK\x03\x04" + bytes(20), fake_ocr, "application/vnd.openxmlformats") == "unsupported_media_type"


def test_a_document_over_its_time_is_stopped(fake_ocr):
    with pytest.raises(DocumentError) as caught:
        read_document(one_page(), "application/pdf", limits=ReadLimits(), ocr=fake_ocr, deadline=time.monotonic() - 1)
    assert caught.value.code == "timeout"


def test_sniffing():
    assert sniff_media_type(one_page()) == "application/pdf"
    assert sniff_media_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_media_type(b"hello") is None
