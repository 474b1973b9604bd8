"""Reading documents from local files, as the stage reads them from the document store: `triage extract`."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from services.core.events import DocumentRef, DocumentSummary, ExtractedField
from services.docextract.content import ReadLimits
from services.docextract.formats import MONTH_FIRST_REGIONS
from services.docextract.handler import default_ocr, read_one
from services.docextract.pdf import TextLayerReader


class _OneFile:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def get(self, sha256: str) -> bytes:
        return self.content


def read_file(
    path: Path, *, country: str | None = None, text_layer: TextLayerReader | None = None
) -> tuple[DocumentSummary, list[ExtractedField]]:
    """A file's type, kind and fields; `country` (ISO 3166 alpha-2) orders dates the document leaves open.

    `text_layer` as for the stage: pdfplumber in this process by default, a killable child in services.
    """
    content = path.read_bytes()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    sha256 = hashlib.sha256(content).hexdigest()
    ref = DocumentRef(sha256=sha256, filename=path.name, media_type=media_type, size_bytes=len(content))
    day_first = None if country is None else country.upper() not in MONTH_FIRST_REGIONS
    return read_one(
        ref,
        _OneFile(content),
        limits=ReadLimits(),
        ocr=default_ocr(),
        day_first=day_first,
        country=country.upper() if country else None,
        text_layer=text_layer,
    )
