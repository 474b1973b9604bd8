"""Where on its page a value is printed: the words that spell it, found again among the page's placed words."""

from __future__ import annotations

from collections.abc import Sequence

from services.core.events.case import Box
from services.docextract.content import PageText, PlacedWord, Rect


def union(rects: Sequence[Rect]) -> Rect:
    """The smallest rectangle around all of them."""
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))


def locate(raw: str, words: Sequence[PlacedWord]) -> Rect | None:
    """The rectangle around the first run of words that spells `raw` (token for token), or None.

    Values are cut from the same words, so a value is found unless it was printed across a
    column break; a value printed twice is placed where it first appears.
    """
    tokens = raw.split()
    if not tokens:
        return None
    flat = [(token, word.rect) for word in words for token in word.text.split()]
    last_start = len(flat) - len(tokens)
    for start in range(last_start + 1):
        if flat[start][0] == tokens[0] and all(flat[start + k][0] == token for k, token in enumerate(tokens)):
            return union([rect for _, rect in flat[start : start + len(tokens)]])
    return None


def to_box(rect: Rect, page: PageText | None) -> Box:
    """A rect as the event's Box: pt on text-layer pages and form fields (page None), px at the page's dpi on OCR."""
    x0, top, x1, bottom = (max(float(edge), 0.0) for edge in rect)
    if page is not None and page.method == "ocr":
        return Box(x0=x0, top=top, x1=x1, bottom=bottom, unit="px", dpi=page.dpi)
    return Box(x0=x0, top=top, x1=x1, bottom=bottom, unit="pt")
