"""What reading a document yields, whatever its format: page text, labelled boxes, form values.

A PDF reader fills it today; an OCR reader (a later issue) fills the same shape with
method="ocr", so classification and field extraction do not care where text came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ErrorCode = Literal[
    "empty", "not_a_pdf", "encrypted", "corrupt", "too_many_pages", "no_text_layer", "unsupported_media_type",
    "missing",
]


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


@dataclass(frozen=True)
class PageText:
    """One page's text, and the (label, value) pairs of its drawn boxes, as on boxed paper forms."""

    number: int
    text: str
    boxes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DocumentContent:
    pages: tuple[PageText, ...]
    form_values: tuple[FormValue, ...] = ()
    method: Literal["text_layer", "ocr"] = "text_layer"

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)
