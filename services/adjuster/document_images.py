"""A stored document as the browser shows it: its media type, and each page as a PNG with the values read from it
outlined where the extraction kept their position.

PDF pages are drawn by pdfium (pypdfium2, already what docextract reads PDFs with); photos and scans are
re-encoded by Pillow. A box is in PDF points for form fields and the text layer, in pixels at the OCR's dpi
for scanned pages; both are scaled onto the image drawn here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from services.core.events.case import Box

SCALE = 1.5  # pixels per PDF point: 108 dpi, legible on screen without a large image
# (fill, outline): amber for a value read, red for one that differs from the FNOL; visible on white and on photos
READ = ((255, 196, 0), (120, 70, 0))
DIFFERS = ((230, 60, 60), (170, 0, 0))
MEDIA = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"II*\x00": "image/tiff"}


class PageNotFound(LookupError):
    """The document has no such page, or is not a PDF or an image."""


def media_type(content: bytes) -> str:
    """The document's type from its first bytes (what was stored, whatever its name says)."""
    return next((kind for magic, kind in MEDIA.items() if content.startswith(magic)), "application/octet-stream")


def page_png(content: bytes, page: int, boxes: Sequence[tuple[Box, bool]]) -> bytes:
    """Page `page` (from 1) of a PDF or image as PNG, `boxes` highlighted on it (red those marked as differing)."""
    kind = media_type(content)
    if kind == "application/pdf":
        image = _pdf_page(content, page)
    elif kind.startswith("image/") and page == 1:
        image = Image.open(io.BytesIO(content)).convert("RGB")
    else:
        raise PageNotFound(f"no page {page} to show in a {kind} document")
    _highlight(image, boxes, on_pdf=kind == "application/pdf")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _pdf_page(content: bytes, page: int) -> Image.Image:
    document = pdfium.PdfDocument(content)
    try:
        if not 1 <= page <= len(document):
            raise PageNotFound(f"the document has {len(document)} pages, not {page}")
        bitmap = document[page - 1].render(scale=SCALE)
        image: Image.Image = bitmap.to_pil().convert("RGB")
        return image
    finally:
        document.close()


def _factor(box: Box, on_pdf: bool) -> float:
    """Image pixels per box unit: points on a drawn PDF page; OCR pixels at the OCR's dpi on a scanned PDF page, or
    the photo's own pixels."""
    if box.unit == "pt":
        return SCALE
    return SCALE * 72 / box.dpi if on_pdf and box.dpi else 1.0


def _highlight(image: Image.Image, boxes: Sequence[tuple[Box, bool]], *, on_pdf: bool) -> None:
    """Outline each box, with a translucent fill so the value stays readable beneath."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for box, differs in boxes:
        factor = _factor(box, on_pdf)
        rect = (box.x0 * factor - 2, box.top * factor - 2, box.x1 * factor + 2, box.bottom * factor + 2)
        fill, outline = DIFFERS if differs else READ
        draw.rectangle(rect, fill=(*fill, 80), outline=(*outline, 255), width=3 if differs else 2)
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))
