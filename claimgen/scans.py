"""Scans and phone photos of rendered documents: what claimants really send.

A PDF page is rasterised at a scanner's resolution, then degraded the way paper and cameras
degrade it: a slight skew, sometimes a page fed sideways or upside down, blur, sensor noise,
uneven grey paper and JPEG compression. Same inputs and seed, same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ScanFormat = Literal["pdf", "png", "jpeg", "tiff"]
MEDIA_TYPES: dict[ScanFormat, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
}


@dataclass(frozen=True)
class Degradation:
    """How a page was spoiled; `quarter_turns` counts 90-degree turns counter-clockwise."""

    skew_degrees: float = 0.0
    quarter_turns: int = 0
    blur_radius: float = 0.0
    noise_sigma: float = 0.0
    paper_grey: int = 255
    jpeg_quality: int | None = None

    @classmethod
    def realistic(cls, rng: np.random.Generator) -> Degradation:
        """A flatbed scan or careful phone photo: small skew, one page in ten turned, mild blur and noise."""
        turns = int(rng.choice([0, 1, 2, 3], p=[0.88, 0.04, 0.04, 0.04]))
        return cls(
            skew_degrees=float(rng.uniform(-3, 3)),
            quarter_turns=turns,
            blur_radius=float(rng.uniform(0, 1.0)),
            noise_sigma=float(rng.uniform(4, 14)),
            paper_grey=int(rng.integers(225, 256)),
            jpeg_quality=int(rng.integers(60, 90)),
        )


def rasterize(pdf: bytes, *, dpi: int = 300) -> list[Image.Image]:
    """Each page of a PDF as a greyscale image at `dpi`."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def degrade(page: Image.Image, degradation: Degradation, rng: np.random.Generator) -> Image.Image:
    """The page as it comes out of a scanner or a camera."""
    image = page.convert("L")
    if degradation.paper_grey < 255:  # ink stays dark, paper turns grey
        scale = degradation.paper_grey / 255
        image = image.point(lambda value: int(value * scale))
    if degradation.skew_degrees:
        image = image.rotate(
            degradation.skew_degrees, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=degradation.paper_grey
        )
    if degradation.quarter_turns:
        image = image.rotate(90 * degradation.quarter_turns, expand=True)
    if degradation.blur_radius > 0.05:
        image = image.filter(ImageFilter.GaussianBlur(degradation.blur_radius))
    if degradation.noise_sigma > 0:
        pixels = np.asarray(image, dtype=np.float32)
        pixels += rng.normal(0, degradation.noise_sigma, pixels.shape).astype(np.float32)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if degradation.jpeg_quality is not None:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=degradation.jpeg_quality)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return image


def encode(pages: Sequence[Image.Image], fmt: ScanFormat, *, dpi: int = 300) -> bytes:
    """Pages as one file: a multi-page PDF or TIFF, or (first page only) a PNG or JPEG."""
    buffer = io.BytesIO()
    first, rest = pages[0], list(pages[1:])
    if fmt == "pdf":
        first.save(buffer, format="PDF", resolution=dpi, save_all=True, append_images=rest)
    elif fmt == "tiff":
        first.save(buffer, format="TIFF", dpi=(dpi, dpi), compression="tiff_deflate", save_all=True, append_images=rest)
    elif fmt == "png":
        first.save(buffer, format="PNG", dpi=(dpi, dpi))
    else:
        first.save(buffer, format="JPEG", dpi=(dpi, dpi), quality=85)
    return buffer.getvalue()


def scan(
    pdf: bytes,
    rng: np.random.Generator,
    *,
    fmt: ScanFormat = "pdf",
    dpi: int = 300,
    degradation: Degradation | None = None,
) -> bytes:
    """A scanned copy of a digital PDF: no text layer, only degraded page images."""
    pages = [degrade(page, degradation or Degradation.realistic(rng), rng) for page in rasterize(pdf, dpi=dpi)]
    return encode(pages, fmt, dpi=dpi)
