"""Reading PDFs: page text, boxed-form labels and AcroForm values with pdfplumber; pages without text by OCR."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from time import monotonic
from typing import Any, Protocol

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text
from pdfplumber.page import Page
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException

from services.docextract.content import (
    DocumentContent,
    DocumentError,
    FormValue,
    PageText,
    PlacedWord,
    ReadLimits,
    Rect,
)
from services.docextract.ocr import ScannedPage
from services.docextract.pages import PageReader

PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"
# Stroked rectangles this size are the boxes of a paper form; smaller ones are rules or checkboxes.
BOX_MIN_WIDTH, BOX_MIN_HEIGHT, BOX_MAX_HEIGHT = 20.0, 12.0, 200.0
DRAWN_MAX_WORDS = 15  # a page with fewer words than this may be a picture of a page with a stamp on it
DRAWN_IMAGE_SHARE = 0.3  # images covering this share of a page are its content
DRAWN_MIN_CURVES = 40  # glyphs drawn as outlines: a curve a glyph or a line where text would be
MIN_RENDER_DPI = 150  # a page so large it only fits the pixel limit at a lower resolution is unreadable anyway


TextLayer = tuple[tuple[PageText, ...], tuple[FormValue, ...]]


class TextLayerReader(Protocol):
    """Reads a PDF's text layer: in this process (`read_text_layer`) or in a child that can be killed
    (services/docextract/isolation.py)."""

    def __call__(self, content: bytes, limits: ReadLimits, deadline: float) -> TextLayer: ...


def read_pdf(
    content: bytes, *, limits: ReadLimits, ocr: PageReader, deadline: float, text_layer: TextLayerReader | None = None
) -> DocumentContent:
    """Text, boxes and form values of every page, OCR for pages without text; DocumentError if unreadable."""
    if not content:
        raise DocumentError("empty", "the file has no bytes")
    if PDF_MAGIC not in content[:1024]:
        raise DocumentError("not_a_pdf", "no %PDF- header")
    if EOF_MARKER not in content[-2048:]:  # readers require it near the end: its absence means a cut-off upload
        raise DocumentError("corrupt", "no %%EOF marker: the file looks truncated")
    pages, form_values = (text_layer or read_text_layer)(content, limits, deadline)
    filled = {value.page for value in form_values}
    scanned = [page.number for page in pages if page.needs_ocr and page.number not in filled]
    if scanned:  # pages with a usable text layer never go through OCR
        read = {page.number: page for page in ocr.read_pages(render_pages(content, scanned, limits), deadline=deadline)}
        pages = tuple(read.get(page.number, page) for page in pages)
    return DocumentContent(pages=pages, form_values=form_values)


def read_text_layer(content: bytes, limits: ReadLimits, deadline: float) -> TextLayer:
    """Every page's text, words and boxes, and the form's values, in this process; DocumentError if unreadable."""
    try:
        return _read_text_layer(content, limits, deadline)
    except PdfminerException as exc:
        raise _pdfminer_error(exc) from exc
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises all sorts (KeyError, TypeError...) on malformed files
        raise DocumentError("corrupt", f"{type(exc).__name__}: {exc}") from exc


def _read_text_layer(content: bytes, limits: ReadLimits, deadline: float) -> TextLayer:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        count = _page_count(pdf)
        if count == 0:
            raise DocumentError("empty", "the PDF has no pages")
        if count > limits.max_pages:
            raise DocumentError("too_many_pages", f"{count} pages, at most {limits.max_pages} are read", pages=count)
        pages: list[PageText] = []
        form_values: list[FormValue] = []
        for page in pdf.pages:
            if monotonic() > deadline:
                raise DocumentError("timeout", f"reading stopped at page {page.page_number} of {count}", pages=count)
            pages.append(_read_page(page))
            form_values.extend(_form_values(page))
            page.close()  # pdfplumber caches every page's objects otherwise: memory grows with the page count
    return tuple(pages), tuple(form_values)


def render_pages(content: bytes, numbers: list[int], limits: ReadLimits) -> Iterator[ScannedPage]:
    """The listed pages as greyscale images at the OCR resolution, one at a time (pdfium is not thread-safe)."""
    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        raise DocumentError("corrupt", f"pages cannot be rendered: {exc}") from exc
    try:
        for number in numbers:
            page = document[number - 1]
            width, height = page.get_size()  # points
            dpi = min(limits.ocr_dpi, 0.99 * 72 * math.sqrt(limits.max_pixels / max(width * height, 1.0)))  # rounding
            if dpi < MIN_RENDER_DPI:
                raise DocumentError(
                    "too_many_pixels",
                    f"page {number} is {width / 72:.0f}x{height / 72:.0f} in: too large to read",
                    pages=len(document),
                )
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            yield ScannedPage(number=number, image=bitmap.to_pil().convert("L"), dpi=dpi)
            page.close()
    finally:
        document.close()


def _pdfminer_error(exc: PdfminerException) -> DocumentError:
    cause = exc.args[0] if exc.args else exc
    if isinstance(cause, PDFEncryptionError):
        return DocumentError("encrypted", "the PDF is encrypted and needs a password")
    return DocumentError("corrupt", f"{type(cause).__name__}: {cause}")


def _page_count(pdf: pdfplumber.PDF) -> int:
    """The page tree's own count, so a 10,000-page file is refused without parsing its pages."""
    pages = resolve1(pdf.doc.catalog.get("Pages"))
    count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    return count if isinstance(count, int) else len(pdf.pages)


def _read_page(page: Page) -> PageText:
    words = tuple(
        PlacedWord(word["text"], (word["x0"], word["top"], word["x1"], word["bottom"])) for word in page.extract_words()
    )
    text = page.extract_text() or ""
    return PageText(
        number=page.page_number, text=text, boxes=tuple(_boxes(page)), words=words, drawn=_drawn(page, text, len(words))
    )


def _drawn(page: Page, text: str, words: int) -> bool:
    """Whether the page's real content is an image or glyph outlines, under no text layer or a few stray words.

    A page printed to PDF with text as curves, or a scan inside an otherwise digital PDF with
    only a page number on it, reads as next to nothing; a text layer of unknown glyphs
    (`(cid:12)`) is no better.
    """
    if text.count("(cid:") + text.count("\ufffd") > max(10, len(text) // 20):
        return True
    if words >= DRAWN_MAX_WORDS:
        return False
    area = max(float(page.width * page.height), 1.0)
    covered = sum(abs((image["x1"] - image["x0"]) * (image["bottom"] - image["top"])) for image in page.images)
    return covered / area >= DRAWN_IMAGE_SHARE or len(page.curves) >= DRAWN_MIN_CURVES


def _boxes(page: Page) -> Iterator[tuple[str, str]]:
    """(label, value) of each drawn box: the first line inside a box is its label, the rest its value."""
    chars = page.chars
    for rect in page.rects:
        if rect.get("fill") or rect["width"] < BOX_MIN_WIDTH or not BOX_MIN_HEIGHT <= rect["height"] <= BOX_MAX_HEIGHT:
            continue
        inside = [
            c
            for c in chars
            if rect["x0"] <= c["x0"]
            and c["x1"] <= rect["x1"]
            and rect["top"] <= c["top"]
            and c["bottom"] <= rect["bottom"]
        ]
        label, _, value = extract_text(inside).partition("\n")
        if label.strip() and value.strip():
            yield label.strip(), value.strip()


def _form_values(page: Page) -> Iterator[FormValue]:
    """Filled fields whose widgets sit on this page; a field's name and value may live on its parents."""
    for annot in page.annots:
        widget = annot["data"]
        if getattr(resolve1(widget.get("Subtype")), "name", None) != "Widget":
            continue
        name, value = _field_name(widget), _inherited(widget, "V")
        text = _as_text(value)
        if name and text:
            yield FormValue(name=name, value=text, page=page.page_number, rect=_widget_rect(annot))


def _widget_rect(annot: dict[str, Any]) -> Rect:
    """The widget's /Rect as pdfplumber turns it: from the page's top, clipped to the page."""
    x0, top, x1, bottom = (max(float(annot[key]), 0.0) for key in ("x0", "top", "x1", "bottom"))
    return x0, top, x1, bottom


def _field_name(widget: dict[str, Any]) -> str:
    parts, node, depth = [], widget, 0
    while isinstance(node, dict) and depth < 32:  # a cyclic /Parent chain must not hang the reader
        if "T" in node:
            parts.append(_as_text(resolve1(node["T"])))
        node, depth = resolve1(node.get("Parent")), depth + 1
    return ".".join(reversed([p for p in parts if p]))


def _inherited(widget: dict[str, Any], key: str) -> Any:
    node, depth = widget, 0
    while isinstance(node, dict) and depth < 32:
        if key in node:
            return resolve1(node[key])
        node, depth = resolve1(node.get("Parent")), depth + 1
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return decode_text(value).strip()
    if isinstance(value, PSLiteral):  # check boxes and radio buttons hold names, e.g. /Yes
        name = value.name
        return (name.decode(errors="replace") if isinstance(name, bytes) else str(name)).strip()
    if isinstance(value, str):
        return value.strip()
    return ""
