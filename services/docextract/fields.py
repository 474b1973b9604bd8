"""Fields of one document, each with a confidence and where it was read.

Every source yields (field, raw value, page) candidates: filled form fields (what the sender
typed: high confidence), labelled boxes and `Label: value` text (lower), a bare VIN-shaped
token (lowest). Values are normalised (ISO dates, 24-hour times, plain amounts, upper-case
VINs); a value that does not parse is kept as printed with a low confidence. Per field, the
most confident candidate wins, the earliest on ties.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from services.core.events import ExtractedField
from services.docextract import vin as vins
from services.docextract.content import DocumentContent, PageText, Rect
from services.docextract.labels import FIELD_LABELS, field_for, labelled_values
from services.docextract.positions import locate, to_box
from services.docextract.values import is_blank, normalize

FORM_FIELD_CONFIDENCE = 0.97
BOX_CONFIDENCE = 0.85
LABEL_CONFIDENCE = 0.8
PATTERN_CONFIDENCE = 0.6
OCR_CONFIDENCE_FACTOR = 0.9
UNPARSED_CONFIDENCE = 0.3  # printed, but not as a value of that kind, or a VIN failing its check digit
MALFORMED_VIN_CONFIDENCE = 0.2
_VIN_TOKEN = re.compile(r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-Z])[A-HJ-NPR-Z0-9]{17}\b")
# A document's total means different things: what a repair costs, or what was billed.
_TOTAL_FIELD = {"repair_estimate": "estimate_total", "invoice": "invoice_total", "medical_bill": "invoice_total"}
FIELD_ORDER = (*FIELD_LABELS, "invoice_total")

Method = Literal["form_field", "text_layer", "ocr"]


@dataclass(frozen=True)
class Candidate:
    name: str
    raw: str
    page: int
    method: Method
    confidence: float
    rect: Rect | None = None  # known up front for form fields; other values are found among the page's words


def extract_fields(document: DocumentContent, sha256: str, *, doc_type: str, day_first: bool) -> list[ExtractedField]:
    """The best value of each field this document holds, in a stable order.

    `day_first` is the claim country's numeric date order; a form printing its own (`MM/DD/YYYY`) wins.
    """
    day_first = _stated_day_first(document.text, default=day_first)
    best: dict[str, tuple[ExtractedField, Candidate]] = {}
    for candidate in _candidates(document):
        field = _to_field(candidate, sha256, doc_type=doc_type, day_first=day_first)
        if field is not None and (field.name not in best or field.confidence > best[field.name][0].confidence):
            best[field.name] = field, candidate
    return [_placed(*best[name], document) for name in FIELD_ORDER if name in best]


def _placed(field: ExtractedField, candidate: Candidate, document: DocumentContent) -> ExtractedField:
    """The field with where it is printed, looked up for winners only (most candidates lose)."""
    if candidate.rect is not None:
        return field.model_copy(update={"box": to_box(candidate.rect, None)})
    page = next((page for page in document.pages if page.number == candidate.page), None)
    rect = locate(candidate.raw, page.words) if page is not None else None
    return field.model_copy(update={"box": to_box(rect, page)}) if rect is not None else field


def _stated_day_first(text: str, *, default: bool) -> bool:
    upper = text.upper()
    if "MM/DD/YY" in upper:
        return False
    return True if "DD/MM/YY" in upper else default


def _candidates(document: DocumentContent) -> Iterator[Candidate]:
    for value in document.form_values:
        name = field_for(value.name)
        if name:
            yield Candidate(name, value.value, value.page, "form_field", FORM_FIELD_CONFIDENCE, value.rect)
    for page in document.pages:
        for label, raw in page.boxes:
            name = field_for(label)
            if name:
                yield Candidate(name, raw, page.number, page.method, BOX_CONFIDENCE * _read_factor(page))
        for name, raw in labelled_values(page.text):
            yield Candidate(name, raw, page.number, page.method, LABEL_CONFIDENCE * _read_factor(page))
    for page in document.pages:  # an unlabelled VIN-shaped token: the first one only
        match = _VIN_TOKEN.search(page.text)
        if match:
            yield Candidate("vehicle_vin", match.group(), page.number, page.method,
                            PATTERN_CONFIDENCE * _read_factor(page))
            return


def _read_factor(page: PageText) -> float:
    """OCR misreads a character now and then: what it read is a little less certain than a text layer."""
    return OCR_CONFIDENCE_FACTOR if page.method == "ocr" else 1.0


def _to_field(candidate: Candidate, sha256: str, *, doc_type: str, day_first: bool) -> ExtractedField | None:
    name = candidate.name
    if name == "estimate_total":
        name = _TOTAL_FIELD.get(doc_type, "")
    if not name or (is_blank(candidate.raw) and name != "injuries"):
        return None
    value, parsed = normalize(name, candidate.raw, day_first=day_first)
    if name == "vehicle_vin" and candidate.method == "ocr":
        value = vins.repair_misread(value)
        parsed = vins.is_well_formed(value)
    confidence = candidate.confidence if parsed else UNPARSED_CONFIDENCE
    if name == "vehicle_vin":
        confidence = _vin_confidence(value, candidate.confidence)
    return ExtractedField(name=name, value=value, confidence=confidence, document=sha256, page=candidate.page,
                          method=candidate.method)


def _vin_confidence(vin: str, confidence: float) -> float:
    if not vins.is_well_formed(vin):
        return MALFORMED_VIN_CONFIDENCE
    if vins.check_digit_valid(vin):
        return confidence
    return UNPARSED_CONFIDENCE if vins.check_digit_mandatory(vin) else confidence * 0.9
