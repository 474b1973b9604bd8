"""A page's placed words as lines, and each line as segments: the runs of words a wide gap separates.

A table's cells, a form's label column and value column, a two-column layout: whatever made
the document, what is printed apart stays apart here, and a label is paired with a value by
where they sit (services/docextract/pairing.py), not by the order a producer wrote its text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from statistics import median

from services.docextract.content import PageText, PlacedWord, Rect
from services.docextract.positions import union

SEGMENT_GAP = 0.9  # a gap wider than this many text heights separates two segments of a line
SAME_LINE = 0.5  # words overlapping vertically by this share of the smaller height share a line
EDGE_LINES = 2  # a running header or footer is among this many lines at the top or bottom of its page
_PAGE_NUMBER = re.compile(  # `Page 2 of 3`, `Seite 2`, `- 2 -`, `2/3`
    r"(?i)(?:page|seite|p\.)\s*\d+(?:\s*(?:of|/|von|sur|de)\s*\d+)?|-\s*\d+\s*-|\d{1,3}\s*/\s*\d{1,3}"
)


@dataclass(frozen=True)
class Segment:
    """Words printed together on a line: a cell, a label, a value, or `Label: value`."""

    words: tuple[PlacedWord, ...]

    @cached_property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @cached_property
    def rect(self) -> Rect:
        return union([word.rect for word in self.words])

    @property
    def x0(self) -> float:
        return self.rect[0]

    @property
    def x1(self) -> float:
        return self.rect[2]


@dataclass(frozen=True)
class Line:
    """One printed line of a page, left to right."""

    page: int
    segments: tuple[Segment, ...]
    top: float
    bottom: float
    method: str  # text_layer or ocr
    running: bool = False  # a page's running header or footer (running_lines): never another label's value

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)


def page_lines(page: PageText) -> list[Line]:
    """The page's lines top to bottom; a page without placed words gives one segment per text line."""
    if not page.words:
        return [
            Line(
                page.number,
                (Segment((PlacedWord(text, (0.0, i * 10.0, 1.0, i * 10.0 + 8.0)),)),),
                i * 10.0,
                i * 10.0 + 8.0,
                page.method,
            )
            for i, text in enumerate(t.strip() for t in page.text.splitlines())
            if text
        ]
    rows: list[list[PlacedWord]] = []
    for word in sorted(page.words, key=lambda w: (w.rect[1], w.rect[0])):
        row = rows[-1] if rows else None
        if row is not None and _same_line(row, word):
            row.append(word)
        else:
            rows.append([word])
    return [_line(page, row) for row in rows]


def _same_line(row: Sequence[PlacedWord], word: PlacedWord) -> bool:
    top, bottom = min(w.rect[1] for w in row), max(w.rect[3] for w in row)
    overlap = min(bottom, word.rect[3]) - max(top, word.rect[1])
    return overlap >= SAME_LINE * min(bottom - top, word.rect[3] - word.rect[1])


def _line(page: PageText, row: list[PlacedWord]) -> Line:
    row.sort(key=lambda w: w.rect[0])
    height = median(w.rect[3] - w.rect[1] for w in row) or 1.0
    segments: list[list[PlacedWord]] = [[row[0]]]
    for previous, word in zip(row, row[1:], strict=False):
        if word.rect[0] - previous.rect[2] > SEGMENT_GAP * height:
            segments.append([word])
        else:
            segments[-1].append(word)
    return Line(
        page.number,
        tuple(Segment(tuple(s)) for s in segments),
        min(w.rect[1] for w in row),
        max(w.rect[3] for w in row),
        page.method,
    )


def document_lines(pages: Sequence[PageText]) -> list[Line]:
    """Every page's lines in reading order, page after page."""
    return [line for page in pages for line in page_lines(page)]


def running_lines(lines: Sequence[Line]) -> list[Line]:
    """`lines` with each page's running headers and footers marked: a line at the top or the bottom of its page
    whose text, numbers aside, is at the same edge of another page (`Form CL-4764 (rev. 08/2021) Page 1`,
    `First Notice of Loss (continued)`), or a page number there. A label at the foot of a page then takes its
    value from the next page's first line of content, not from the footer under it."""
    pages: dict[int, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        pages[line.page].append(i)
    edges = {
        (edge, i): _shape(lines[i].text)
        for at in pages.values()
        for edge, ends in (("top", at[:EDGE_LINES]), ("bottom", at[-EDGE_LINES:]))
        for i in ends
    }
    on_pages: dict[tuple[str, str], set[int]] = defaultdict(set)
    for (edge, i), shape in edges.items():
        on_pages[(edge, shape)].add(lines[i].page)
    running = {
        i
        for (edge, i), shape in edges.items()
        if len(on_pages[(edge, shape)]) > 1 or _PAGE_NUMBER.fullmatch(lines[i].text.strip())
    }
    return [replace(line, running=True) if i in running else line for i, line in enumerate(lines)]


def _shape(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.casefold()).split())
