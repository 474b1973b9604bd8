"""Reading digital PDFs with pdfplumber: page text, boxed-form labels and AcroForm values."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text
from pdfplumber.page import Page
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException

from services.docextract.content import DocumentContent, DocumentError, FormValue, PageText

PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"
# Stroked rectangles this size are the boxes of a paper form; smaller ones are rules or checkboxes.
BOX_MIN_WIDTH, BOX_MIN_HEIGHT, BOX_MAX_HEIGHT = 20.0, 12.0, 200.0


def read_pdf(content: bytes, *, max_pages: int) -> DocumentContent:
    """Text, boxes and form values of every page; DocumentError if the file cannot be read whole."""
    if not content:
        raise DocumentError("empty", "the file has no bytes")
    if PDF_MAGIC not in content[:1024]:
        raise DocumentError("not_a_pdf", "no %PDF- header")
    if EOF_MARKER not in content[-2048:]:  # readers require it near the end: its absence means a cut-off upload
        raise DocumentError("corrupt", "no %%EOF marker: the file looks truncated")
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            count = _page_count(pdf)
            if count == 0:
                raise DocumentError("empty", "the PDF has no pages")
            if count > max_pages:
                raise DocumentError("too_many_pages", f"{count} pages, at most {max_pages} are read", pages=count)
            pages = tuple(_read_page(page) for page in pdf.pages)
            form_values = tuple(value for page in pdf.pages for value in _form_values(page))
    except PdfminerException as exc:
        raise _pdfminer_error(exc) from exc
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises all sorts (KeyError, TypeError...) on malformed files
        raise DocumentError("corrupt", f"{type(exc).__name__}: {exc}") from exc
    if not form_values and not any(page.text.strip() for page in pages):
        raise DocumentError("no_text_layer", "scanned pages: reading them needs OCR", pages=len(pages))
    return DocumentContent(pages=pages, form_values=form_values)


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
    return PageText(number=page.page_number, text=page.extract_text() or "", boxes=tuple(_boxes(page)))


def _boxes(page: Page) -> Iterator[tuple[str, str]]:
    """(label, value) of each drawn box: the first line inside a box is its label, the rest its value."""
    chars = page.chars
    for rect in page.rects:
        if rect.get("fill") or rect["width"] < BOX_MIN_WIDTH or not BOX_MIN_HEIGHT <= rect["height"] <= BOX_MAX_HEIGHT:
            continue
        inside = [c for c in chars if rect["x0"] <= c["x0"] and c["x1"] <= rect["x1"]
                  and rect["top"] <= c["top"] and c["bottom"] <= rect["bottom"]]
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
            yield FormValue(name=name, value=text, page=page.page_number)


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
