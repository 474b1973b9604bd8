"""The port OCR is reached through: pages in, read pages out, within a deadline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from services.docextract.content import PageText
from services.docextract.ocr import ScannedPage


class PageReader(Protocol):
    """Reads page images into text; services.docextract.ocr.TesseractOcr is one."""

    def read_pages(self, pages: Iterable[ScannedPage], *, deadline: float) -> list[PageText]: ...
