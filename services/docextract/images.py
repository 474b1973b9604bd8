"""Reading image files (PNG, JPEG, TIFF and other multi-page images) through OCR, within limits."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

from PIL import Image, ImageSequence, UnidentifiedImageError

from services.docextract.content import DocumentContent, DocumentError, ReadLimits
from services.docextract.ocr import ScannedPage
from services.docextract.pages import PageReader


def read_image(content: bytes, *, limits: ReadLimits, ocr: PageReader, deadline: float) -> DocumentContent:
    """Every frame of an image file read by OCR; DocumentError for huge, corrupt or endless images."""
    image = _open(content, limits)
    frames = getattr(image, "n_frames", 1)
    if frames > limits.max_pages:
        raise DocumentError("too_many_pages", f"{frames} frames, at most {limits.max_pages} are read", pages=frames)
    return DocumentContent(pages=tuple(ocr.read_pages(_frames(image, limits), deadline=deadline)))


def _open(content: bytes, limits: ReadLimits) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # a bomb is refused, never decoded
            image = Image.open(io.BytesIO(content))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DocumentError("too_many_pixels", str(exc), pages=1) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise DocumentError("corrupt", f"not a readable image: {exc}") from exc
    _check_size(image, limits)
    return image


def _check_size(image: Image.Image, limits: ReadLimits) -> None:
    pixels = image.width * image.height
    if pixels > limits.max_pixels:
        raise DocumentError(
            "too_many_pixels", f"{image.width}x{image.height} is over {limits.max_pixels:,} pixels", pages=1
        )


def _frames(image: Image.Image, limits: ReadLimits) -> Iterator[ScannedPage]:
    """Each frame decoded in turn (so at most a few are in memory), with the dpi the file states."""
    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
        _check_size(frame, limits)
        try:
            decoded = frame.convert("L")
        except (OSError, ValueError) as exc:  # a truncated file fails here, not at open
            raise DocumentError("corrupt", f"page {number} cannot be decoded: {exc}", pages=number) from exc
        dpi = image.info.get("dpi", (None, None))[0]
        yield ScannedPage(number=number, image=decoded, dpi=float(dpi) if dpi else None)
