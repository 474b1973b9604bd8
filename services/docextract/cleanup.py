"""Clean-up before OCR: greyscale, a scanner's resolution, upright, straight and black on white.

Each step is cheap numpy on a reduced copy of the page; Tesseract reads best at ~300 dpi with
horizontal text lines, so that is what every page is brought to.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageOps

TARGET_DPI = 300
MIN_DPI, MAX_DPI = 200, 400  # outside this range pages are rescaled to TARGET_DPI
ASSUMED_DPI = 300  # photos and images that do not say
MAX_SKEW_DEGREES = 5.0
SKEW_STEP_DEGREES = 0.25
ANALYSIS_WIDTH = 900  # pixels: skew and orientation are measured on a copy this wide


def prepared_dpi(dpi: float | None) -> float:
    """The resolution a page has once prepared: its own within MIN_DPI..MAX_DPI, else TARGET_DPI."""
    dpi = dpi or ASSUMED_DPI
    return dpi if MIN_DPI <= dpi <= MAX_DPI else TARGET_DPI


def normalize_resolution(image: Image.Image, dpi: float | None) -> Image.Image:
    """The page scaled to TARGET_DPI when it was scanned far coarser or finer."""
    dpi = dpi or ASSUMED_DPI
    if MIN_DPI <= dpi <= MAX_DPI:
        return image
    scale = TARGET_DPI / dpi
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS if scale < 1 else Image.Resampling.BICUBIC)


def otsu_threshold(histogram: list[int]) -> int:
    """The grey level that best separates ink from paper, from a 256-bin histogram."""
    counts = np.asarray(histogram[:256], dtype=np.float64)
    weights = np.cumsum(counts)
    means = np.cumsum(counts * np.arange(256))
    total, total_mean = weights[-1], means[-1]
    background = total - weights
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weights - total * means) ** 2 / (weights * background)
    return int(np.nanargmax(np.nan_to_num(between[:-1]))) if total else 128


def binarize(image: Image.Image) -> Image.Image:
    """Black ink on white paper, whatever the paper's grey (a lookup table: no copy of a big page in numpy)."""
    grey = image.convert("L")
    threshold = otsu_threshold(grey.histogram())
    return grey.point([255 if level > threshold else 0 for level in range(256)])


def _ink(image: Image.Image) -> np.ndarray:
    """A reduced copy as booleans, True where there is ink."""
    scale = min(1.0, ANALYSIS_WIDTH / max(image.width, image.height))
    small = image.convert("L").resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    return np.asarray(small) < otsu_threshold(small.histogram())


def _line_sharpness(ink: np.ndarray) -> float:
    """How sharply ink gathers into horizontal rows: high when text lines run across the image."""
    rows = ink.sum(axis=1).astype(np.float64)
    return float(np.square(np.diff(rows)).sum())


def _rotated(ink: np.ndarray, degrees: float) -> np.ndarray:
    image = Image.fromarray(ink.astype(np.uint8) * 255).rotate(degrees, resample=Image.Resampling.NEAREST, expand=True)
    return np.asarray(image) > 127


def _best_angle(ink: np.ndarray, angles: np.ndarray) -> tuple[float, float]:
    scores = [_line_sharpness(_rotated(ink, float(angle))) for angle in angles]
    best = int(np.argmax(scores))
    return float(angles[best]), scores[best]


def orientation_and_skew(image: Image.Image) -> tuple[int, float]:
    """(quarter turns, degrees) counter-clockwise that make the text lines horizontal.

    A coarse search over both orientations (a page on its side has vertical lines), then a fine
    one around the best: text lines are straight when ink gathers most sharply into rows.
    """
    ink = _ink(image)
    if ink.sum() < 50:
        return 0, 0.0
    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 1.0)
    (upright, upright_score), (turned, turned_score) = _best_angle(ink, coarse), _best_angle(np.rot90(ink), coarse)
    turns, ink, angle = (0, ink, upright) if upright_score >= turned_score else (1, np.rot90(ink), turned)
    fine = np.arange(angle - 1 + SKEW_STEP_DEGREES, angle + 1, SKEW_STEP_DEGREES)
    return turns, _best_angle(ink, fine)[0]


def prepare_page(image: Image.Image, dpi: float | None) -> Image.Image:
    """A page ready for OCR: greyscale, ~300 dpi, text lines horizontal, binarised.

    Whether it is upside down is left to OCR confidence (see ocr.read_image): no cheap
    measure tells 0 from 180 degrees.
    """
    page = normalize_resolution(ImageOps.exif_transpose(image).convert("L"), dpi)
    turns, angle = orientation_and_skew(page)
    if turns:
        page = page.rotate(90, expand=True, fillcolor=255)
    if abs(angle) >= SKEW_STEP_DEGREES:
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return binarize(page)
