"""Which reader a document needs: its declared media type, checked against its first bytes."""

from __future__ import annotations

from services.docextract.content import DocumentContent, DocumentError, ReadLimits
from services.docextract.images import read_image
from services.docextract.pages import PageReader
from services.docextract.pdf import PDF_MAGIC, TextLayerReader, read_pdf

# (offset, signature, media type): enough to tell PDFs from the images claimants upload
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF8", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (8, b"WEBP", "image/webp"),
    (4, b"ftypheic", "image/heic"),
    (0, b"PK\x03\x04", "application/zip"),  # also docx/xlsx
)


OCR_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/tiff", "image/gif", "image/webp"})


def sniff_media_type(content: bytes) -> str | None:
    """The media type the bytes themselves show, or None if unrecognised."""
    if PDF_MAGIC in content[:1024]:
        return "application/pdf"
    for offset, signature, media_type in _SIGNATURES:
        if content[offset : offset + len(signature)] == signature:
            return media_type
    return None


def is_image(media_type: str) -> bool:
    return media_type.lower().startswith("image/")


def read_document(
    content: bytes,
    media_type: str,
    *,
    limits: ReadLimits,
    ocr: PageReader,
    deadline: float,
    text_layer: TextLayerReader | None = None,
) -> DocumentContent:
    """Read a document by what it is; raises DocumentError naming why it cannot be read."""
    if not content:
        raise DocumentError("empty", "the file has no bytes")
    sniffed = sniff_media_type(content)
    declared = media_type.split(";")[0].strip().lower()
    if sniffed == "application/pdf":  # a PDF sent as octet-stream is still a PDF
        return read_pdf(content, limits=limits, ocr=ocr, deadline=deadline, text_layer=text_layer)
    if declared == "application/pdf":
        raise DocumentError("not_a_pdf", f"labelled application/pdf but the content is {sniffed or 'unrecognised'}")
    if sniffed in OCR_IMAGE_TYPES:  # what the bytes are decides, whatever the label says
        return read_image(content, limits=limits, ocr=ocr, deadline=deadline)
    if is_image(declared) and sniffed is None:
        raise DocumentError("corrupt", f"labelled {declared} but the content is no image we know")
    raise DocumentError(
        "unsupported_media_type",
        f"{declared} ({sniffed or 'unrecognised content'}) is not read",
        pages=1 if is_image(sniffed or declared) else 0,
    )
