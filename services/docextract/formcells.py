"""The drawn boxes of a scanned paper form, found from its ruling lines.

Boxed loss notices print a small label at the top of each box and the value under it; a
text layer keeps that pairing, OCR of a scan loses it. Finding the boxes again (long
horizontal rules, then the vertical rules between them) gives back (label, value) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

RULE_SHARE = 0.6  # a horizontal rule spans at least this share of the page width
DIVIDER_SHARE = 0.85  # a vertical divider spans this share of its band's height
TOLERANCE_PX = 4  # residual skew after deskewing: rules may wander this far
MIN_BAND_PX, MIN_CELL_PX = 25, 40

Cell = tuple[int, int, int, int]  # left, top, right, bottom


def _spread(ink: np.ndarray, axis: int) -> np.ndarray:
    """Ink thickened by TOLERANCE_PX along an axis, so a slightly slanted rule still reads as one line."""
    spread = ink.copy()
    for shift in range(1, TOLERANCE_PX + 1):
        if axis == 0:
            spread[shift:] |= ink[:-shift]
        else:
            spread[:, shift:] |= ink[:, :-shift]
    return spread


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True, end exclusive."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


@dataclass(frozen=True)
class Ruling:
    """A page's ruling lines (row ranges, and per band the column ranges of its dividers) and the boxes they make."""

    rules: tuple[tuple[int, int], ...]
    dividers: tuple[tuple[int, int, int, int], ...]  # top, bottom, left, right
    cells: tuple[Cell, ...]


def find_ruling(page: Image.Image) -> Ruling:
    """Boxes between horizontal rules and vertical dividers, top to bottom, left to right."""
    ink = np.asarray(page.convert("L")) < 128
    if ink.size == 0:
        return Ruling((), (), ())
    rows = _spread(ink, axis=0).sum(axis=1) >= RULE_SHARE * ink.shape[1]
    rules = _runs(rows)
    dividers: list[tuple[int, int, int, int]] = []
    cells: list[Cell] = []
    for (_, top), (bottom, _) in zip(rules, rules[1:], strict=False):
        if bottom - top < MIN_BAND_PX:
            continue
        band = _runs(_spread(ink[top:bottom], axis=1).sum(axis=0) >= DIVIDER_SHARE * (bottom - top))
        dividers.extend((top, bottom, left, right) for left, right in band)
        cells.extend(
            (left, top, right, bottom)
            for (_, left), (right, _) in zip(band, band[1:], strict=False)
            if right - left >= MIN_CELL_PX
        )
    return Ruling(tuple(rules), tuple(dividers), tuple(cells))


def find_cells(page: Image.Image) -> list[Cell]:
    return list(find_ruling(page).cells)


def erase_ruling(page: Image.Image, ruling: Ruling) -> Image.Image:
    """The page with its ruling lines and filled bars painted white: Tesseract skips text that touches lines."""
    if not ruling.rules:
        return page
    pixels = np.array(page.convert("L"))
    margin = TOLERANCE_PX
    for start, end in ruling.rules:
        pixels[max(start - margin, 0) : end + margin] = 255
    for top, bottom, left, right in ruling.dividers:
        pixels[top:bottom, max(left - margin, 0) : right + margin] = 255
    return Image.fromarray(pixels)
