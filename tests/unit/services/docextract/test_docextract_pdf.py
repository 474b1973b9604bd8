import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from claimgen.documents import loss_notice_pdf
from services.docextract.content import DocumentError
from services.docextract.media import read_document, sniff_media_type
from services.docextract.pdf import read_pdf


def one_page(text: str = "Plate: AB 12") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 720, text)
    canvas.save()
    return buffer.getvalue()


def error_code(content: bytes, media_type: str = "application/pdf") -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(content, media_type, max_pages=5)
    return caught.value.code


def test_page_text_boxes_and_form_values(fnol):
    document = read_pdf(loss_notice_pdf(fnol), max_pages=5)

    assert [page.number for page in document.pages] == [1]
    assert "AUTOMOBILE LOSS NOTICE" in document.pages[0].text
    assert ("V.I.N.", "1HGCM82633A004352") in document.pages[0].boxes
    assert {value.name: value.value for value in document.form_values}["Vehicle_VIN"] == "1HGCM82633A004352"
    assert {value.page for value in document.form_values} == {1}


def test_a_pdf_sent_as_octet_stream_is_still_read():
    assert read_document(one_page(), "application/octet-stream", max_pages=1).pages[0].text == "Plate: AB 12"


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n", "corrupt"),
    (b"GIF89a" + bytes(20), "not_a_pdf"),
    (one_page()[:-200], "corrupt"),
])
def test_named_errors(content, code):
    assert error_code(content) == code


def test_a_scan_without_a_text_layer_is_not_read_yet():
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.rect(72, 72, 300, 400, fill=1)  # stands in for a scanned image
    canvas.save()

    assert error_code(buffer.getvalue()) == "no_text_layer"


def test_images_and_unknown_types_are_not_read_yet():
    assert error_code(b"\xff\xd8\xff\xe0" + bytes(20), "image/jpeg") == "unsupported_media_type"
    assert error_code(b"PK\x03\x04" + bytes(20), "application/vnd.openxmlformats") == "unsupported_media_type"


def test_sniffing():
    assert sniff_media_type(one_page()) == "application/pdf"
    assert sniff_media_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_media_type(b"hello") is None
