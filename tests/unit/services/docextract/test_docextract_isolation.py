"""PDF text layers read in a child process: a page that keeps pdfminer busy is cut off at the deadline."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from time import monotonic

import pytest

from services.docextract.content import DocumentError, ReadLimits
from services.docextract.isolation import IsolatedTextLayer
from services.docextract.pdf import read_text_layer


def busy_pdf(operations: int) -> bytes:
    """One page whose content stream shows `operations` one-letter strings: a few kB compressed, and
    pdfminer interprets about 2,500 of them a second (100,000 would take it some 40 s)."""
    stream = zlib.compress(b"BT /F1 1 Tf " + b"1 0 0 1 10 10 Tm (x) Tj " * operations + b"ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@pytest.fixture(scope="module")
def isolated() -> Iterator[IsolatedTextLayer]:
    reader = IsolatedTextLayer()
    yield reader
    reader.close()


def test_the_child_reads_what_this_process_would(isolated: IsolatedTextLayer) -> None:
    pdf = busy_pdf(300)
    deadline = monotonic() + 60
    assert isolated(pdf, ReadLimits(), deadline) == read_text_layer(pdf, ReadLimits(), deadline)


def test_a_page_that_keeps_the_parser_busy_is_cut_off_and_the_next_document_is_read(
    isolated: IsolatedTextLayer,
) -> None:
    started = monotonic()
    with pytest.raises(DocumentError) as caught:
        isolated(busy_pdf(100_000), ReadLimits(), monotonic() + 1.5)
    assert caught.value.code == "timeout"
    assert monotonic() - started < 15, "the child was not killed at the deadline"
    pages, _ = isolated(busy_pdf(50), ReadLimits(), monotonic() + 60)  # a fresh child took over
    assert pages[0].text.count("x") == 50


def test_errors_found_in_the_child_keep_their_code_and_pages(isolated: IsolatedTextLayer) -> None:
    with pytest.raises(DocumentError) as caught:
        isolated(busy_pdf(10), ReadLimits(max_pages=0), monotonic() + 60)
    assert (caught.value.code, caught.value.pages) == ("too_many_pages", 1)
    with pytest.raises(DocumentError) as caught:
        isolated(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", ReadLimits(), monotonic() + 60)
    assert caught.value.code == "corrupt"


def test_a_document_whose_time_is_already_up_is_not_sent(isolated: IsolatedTextLayer) -> None:
    with pytest.raises(DocumentError) as caught:
        isolated(busy_pdf(5), ReadLimits(), monotonic() - 1)
    assert caught.value.code == "timeout"
