"""Route 6: documents without a text layer. Pages rendered to images as a scanner or a fax
would deliver them (PNG or JPEG), and PDFs whose pages are such images behind a typed cover."""

from __future__ import annotations

import io
import random

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

MAX_IMAGE_BYTES = 200_000  # the committed corpora stay small


def render_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def _scanned(page: Image.Image, rng: random.Random) -> Image.Image:
    """A flatbed scan: slightly turned, slightly soft, on slightly grey paper, with a little noise."""
    paper = rng.randrange(228, 246)
    image = page.point(lambda value: value * paper // 255)
    image = image.rotate(rng.uniform(-1.2, 1.2), resample=Image.Resampling.BILINEAR, expand=False, fillcolor=paper)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    generator = np.random.default_rng(rng.randrange(2**32))
    noise = generator.normal(0.0, rng.uniform(4, 9), size=(image.height, image.width))
    return Image.fromarray(np.clip(np.asarray(image, dtype=np.float64) + noise, 0, 255).astype(np.uint8))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() <= MAX_IMAGE_BYTES or quality <= 25:
            return buffer.getvalue()
        quality -= 8


def page_image(pdf: bytes, kind: str, rng: random.Random) -> bytes:
    """The single page of `pdf` as an image file: `jpeg` (a scan at 200 dpi), `png` (a clean greyscale
    render at 200 dpi) or `fax` (black and white at 300 dpi)."""
    pages = render_pages(pdf, 300 if kind == "fax" else 200)
    if len(pages) != 1:
        raise ValueError(f"a page image needs a one-page document, this one has {len(pages)}")
    page = pages[0]
    if kind == "jpeg":
        return _jpeg(_scanned(page, rng), rng.randrange(55, 75))
    buffer = io.BytesIO()
    if kind == "fax":
        threshold = rng.randrange(150, 185)
        page.point(lambda value: 255 if value > threshold else 0).convert("1").save(buffer, "PNG", optimize=True)
    else:
        page.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def scans_behind_cover(cover_pdf: bytes, scanned_pdf: bytes, rng: random.Random) -> bytes:
    """A typed cover page (with its text layer) followed by the pages of another document as images."""
    images = [_scanned(page, rng) for page in render_pages(scanned_pdf, 150)]
    scan_buffer = io.BytesIO()
    images[0].save(scan_buffer, "PDF", resolution=150, save_all=True, append_images=images[1:], quality=45)
    merged = pdfium.PdfDocument(cover_pdf)
    scans = pdfium.PdfDocument(scan_buffer.getvalue())
    try:
        merged.import_pages(scans)
        out = io.BytesIO()
        merged.save(out)
        return out.getvalue()
    finally:
        scans.close()
        merged.close()
