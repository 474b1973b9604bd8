"""The docextract stage: read a claim's documents and add the `extraction` section to its case."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from time import monotonic
from typing import Protocol

from services.core.events import ClaimCase, DocumentRef, DocumentSummary, ExtractedField, Extraction
from services.core.runner import Delivery
from services.docextract.checks import cross_document_findings, document_findings, field_findings, missing_documents
from services.docextract.classify import classify_kind
from services.docextract.content import DocumentError, ReadLimits
from services.docextract.fields import extract_fields
from services.docextract.formats import MONTH_FIRST_REGIONS
from services.docextract.lineitems import COSTED_TYPES, read_line_items
from services.docextract.media import is_image, read_document
from services.docextract.ocr import TesseractOcr
from services.docextract.pages import PageReader
from services.docextract.pdf import TextLayerReader


class DocumentReader(Protocol):
    """Where documents are read by digest; services.core.documents.DocumentStore is one.

    `get` raises LookupError for an unknown digest (recorded on the document); any other
    error propagates, so a store that is down is retried by the runner, not recorded.
    """

    def get(self, sha256: str) -> bytes: ...


def extract(
    case: ClaimCase,
    delivery: Delivery,
    *,
    documents: DocumentReader,
    max_pages: int,
    limits: ReadLimits | None = None,
    ocr: PageReader | None = None,
    text_layer: TextLayerReader | None = None,
) -> ClaimCase:
    """The case with its extraction: per document its type and fields, findings, and what is still missing.

    A document that cannot be read never fails the claim: its summary carries the error. `limits`
    defaults to ReadLimits(max_pages=max_pages); `ocr` to a Tesseract pool sized to the machine;
    `text_layer` to pdfplumber in this process (services use a child process that can be killed).
    """
    fnol = case.fnol
    day_first = fnol.loss.place.country not in MONTH_FIRST_REGIONS
    limits = limits or ReadLimits(max_pages=max_pages)
    reader = ocr or default_ocr()
    summaries: list[DocumentSummary] = []
    fields: list[ExtractedField] = []
    for ref in _distinct(fnol.documents):
        summary, document_fields = read_one(
            ref,
            documents,
            limits=limits,
            ocr=reader,
            day_first=day_first,
            country=fnol.loss.place.country,
            text_layer=text_layer,
        )
        summaries.append(summary)
        fields.extend(document_fields)
    filenames = {summary.sha256: summary.filename for summary in summaries}
    extraction = Extraction(
        documents=summaries,
        fields=fields,
        findings=[
            *document_findings(summaries),
            *field_findings(fnol, fields, filenames),
            *cross_document_findings(summaries, fields),
        ],
        missing_documents=missing_documents(fnol, summaries),
    )
    return case.model_copy(update={"extraction": extraction})


def read_one(
    ref: DocumentRef,
    documents: DocumentReader,
    *,
    limits: ReadLimits,
    ocr: PageReader,
    day_first: bool | None,
    country: str | None = None,
    text_layer: TextLayerReader | None = None,
) -> tuple[DocumentSummary, list[ExtractedField]]:
    """One document's summary and fields; a document that cannot be read has an error and no fields."""
    deadline = monotonic() + limits.timeout_s
    try:
        content = _fetch(documents, ref.sha256)
        document = read_document(
            content, ref.media_type, limits=limits, ocr=ocr, deadline=deadline, text_layer=text_layer
        )
    except DocumentError as error:
        doc_type = "photo" if error.code == "unsupported_media_type" and is_image(ref.media_type) else "other"
        summary = DocumentSummary(
            sha256=ref.sha256, filename=ref.filename, doc_type=doc_type, pages=error.pages, error=str(error)
        )
        return summary, []
    doc_type, kind = classify_kind(document)
    line_items = read_line_items(document) if doc_type in COSTED_TYPES else []
    summary = DocumentSummary(
        sha256=ref.sha256,
        filename=ref.filename,
        doc_type=doc_type,
        kind=kind,
        pages=len(document.pages),
        line_items=line_items,
    )
    return summary, extract_fields(document, ref.sha256, doc_type=doc_type, day_first=day_first, country=country)


@cache
def default_ocr() -> TesseractOcr:
    """One OCR pool per process, made on first use: a pool per message would start threads every time."""
    return TesseractOcr()


def _fetch(documents: DocumentReader, sha256: str) -> bytes:
    try:
        return documents.get(sha256)
    except LookupError as exc:
        raise DocumentError("missing", "not in the document store") from exc


def _distinct(refs: Sequence[DocumentRef]) -> Iterator[DocumentRef]:
    """Each document once, however often it was attached."""
    seen: set[str] = set()
    for ref in refs:
        if ref.sha256 not in seen:
            seen.add(ref.sha256)
            yield ref
