"""What reading a document yields, whatever its format: page text, labelled boxes, form values.

The PDF reader fills pages from the text layer, OCR fills them from page images (method="ocr"),
page by page, so classification and field extraction do not care where text came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ErrorCode = Literal[
    "empty",
    "not_a_pdf",
    "encrypted",
    "corrupt",
    "too_many_pages",
    "unsupported_media_type",
    "missing",
    "too_many_pixels",
    "timeout",
    "ocr_unavailable",
]
PageMethod = Literal["text_layer", "ocr"]
Rect = tuple[float, float, float, float]  # x0, top, x1, bottom from the page's top-left: pt, or px on OCR pages


class DocumentError(Exception):
    """A document that cannot be read; `code` names why (it starts DocumentSummary.error)."""

    def __init__(self, code: ErrorCode, detail: str, *, pages: int = 0) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.pages = code, detail, pages


@dataclass(frozen=True)
class FormValue:
    """A filled form field: its (fully qualified) name, its value and the page its widget is on."""

    name: str
    value: str
    page: int
    rect: Rect | None = None  # the widget's /Rect, in pt from the page's top


@dataclass(frozen=True)
class PlacedWord:
    """A word and where it is printed: what positions and line items are read from."""

    text: str
    rect: Rect


@dataclass(frozen=True)
class PageText:
    """One page's text, the (label, value) pairs of its drawn boxes (as on boxed paper forms) and its words.

    Word rects are in pt on text-layer pages, in px at `dpi` on OCR pages.
    """

    number: int
    text: str
    boxes: tuple[tuple[str, str], ...] = ()
    method: PageMethod = "text_layer"
    words: tuple[PlacedWord, ...] = ()
    dpi: float | None = None
    drawn: bool = False  # a text-layer page whose content is pictures or outlined glyphs, not its few words

    @property
    def needs_ocr(self) -> bool:
        """No usable text layer: nothing, or a stamp over what is really an image or drawn text."""
        return self.method == "text_layer" and (not self.text.strip() or self.drawn)


@dataclass(frozen=True)
class DocumentContent:
    pages: tuple[PageText, ...]
    form_values: tuple[FormValue, ...] = ()

    @property
    def ocr_pages(self) -> int:
        return sum(page.method == "ocr" for page in self.pages)

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


@dataclass(frozen=True)
class ReadLimits:
    """How much of a hostile document is read before it is refused: pages, pixels per page, seconds."""

    max_pages: int = 200
    max_pixels: int = 40_000_000  # a page image; a letter page at 300 dpi is 8.4 million
    timeout_s: float = 120.0  # the whole document, text layer and OCR
    ocr_dpi: int = 300  # scanned PDF pages are rendered at this resolution for OCR
