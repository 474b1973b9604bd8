"""What the composition root needs to wire the docextract handler from its settings."""

from __future__ import annotations

from services.core.settings import DocextractSettings
from services.docextract.content import ReadLimits
from services.docextract.isolation import IsolatedTextLayer
from services.docextract.ocr import TesseractOcr


def read_limits(settings: DocextractSettings) -> ReadLimits:
    """The handler's limits on pages, pixels and time."""
    return ReadLimits(
        max_pages=settings.max_pages,
        max_pixels=settings.max_pixels,
        timeout_s=settings.document_timeout_s,
        ocr_dpi=settings.ocr_dpi,
    )


def ocr_pool(settings: DocextractSettings) -> TesseractOcr:
    """One Tesseract pool for the process (threads start on first use)."""
    return TesseractOcr(
        workers=settings.ocr_workers, language=settings.ocr_language, page_timeout_s=settings.ocr_page_timeout_s
    )


def text_layer_reader() -> IsolatedTextLayer:
    """PDF text layers read in a child process that is killed when a document's time runs out."""
    return IsolatedTextLayer(workers=1)
