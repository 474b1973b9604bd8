"""Document type from what a document says about itself: titles, typical phrases, form fields."""

from __future__ import annotations

import re

from services.docextract.content import DocumentContent
from services.docextract.labels import field_for

DOC_TYPES = ("loss_notice", "police_report", "repair_estimate", "medical_bill", "invoice", "photo", "other")
TITLE_WEIGHT, PHRASE_WEIGHT, MIN_SCORE = 3, 1, 2
# (doc type, title phrases, supporting phrases); matched upper-case
_VOCABULARY: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("loss_notice", ("LOSS NOTICE", "NOTICE OF LOSS", "FIRST NOTICE OF LOSS", "CLAIM FORM"),
     ("DATE OF LOSS", "DESCRIPTION OF LOSS", "NAME OF INSURED", "LOCATION OF LOSS")),
    ("police_report", ("POLICE REPORT", "COLLISION REPORT", "ACCIDENT REPORT", "INCIDENT REPORT", "CRASH REPORT"),
     ("POLICE DEPARTMENT", "REPORTING OFFICER", "BADGE", "NARRATIVE", "SHERIFF")),
    ("repair_estimate", ("REPAIR ESTIMATE", "ESTIMATE OF REPAIR", "ESTIMATE TOTAL"),
     ("ESTIMATE NUMBER", "BODY REPAIR", "COLLISION REPAIR", "LABOR", "PAINT", "PARTS")),
    ("medical_bill", ("STATEMENT OF SERVICES", "PATIENT STATEMENT", "MEDICAL BILL"),
     ("PATIENT", "DIAGNOSIS", "CPT", "ICD-10", "PROVIDER", "HOSPITAL", "CLINIC")),
    ("invoice", ("INVOICE",), ("INVOICE NUMBER", "AMOUNT DUE", "BILL TO", "DUE DATE")),
)
PHOTO_MAX_WORDS = 8  # OCR finds a few "words" in any photo's texture
_LOSS_NOTICE_FORM_FIELDS = frozenset({"loss_date", "description", "policy_number"})


def classify(document: DocumentContent) -> str:
    """The most likely document type; `photo` for an image with next to no words; `other` when nothing fits."""
    text = document.text.upper()
    if document.ocr_pages == len(document.pages) and not document.form_values and _is_picture(text):
        return "photo"
    scores = {doc_type: TITLE_WEIGHT * sum(p in text for p in titles) + PHRASE_WEIGHT * sum(p in text for p in phrases)
              for doc_type, titles, phrases in _VOCABULARY}
    form_fields = {field_for(value.name) for value in document.form_values}
    if form_fields >= _LOSS_NOTICE_FORM_FIELDS:  # a filled form holding the facts of a loss
        scores["loss_notice"] += TITLE_WEIGHT
    doc_type, score = max(scores.items(), key=lambda item: item[1])  # ties: the earlier type
    return doc_type if score >= MIN_SCORE else "other"


def _is_picture(text: str) -> bool:
    return len(re.findall(r"\b[A-Z]{3,}\b", text)) < PHOTO_MAX_WORDS
