"""What an experienced handler would point out: documents that disagree with the FNOL, or are missing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal

from services.core.events import FNOL, DocumentSummary, ExtractedField, Finding, LineOfBusiness
from services.docextract import vin as vins

MIN_CONFIDENCE_TO_COMPARE = 0.5  # a value we could not read is no evidence of disagreement
AMOUNT_TOLERANCE = Decimal("0.10")  # an estimate may run this far over the amount claimed at FNOL
ROUNDING = Decimal("0.01")  # line items rounded one by one may miss the printed total by a cent
TOTAL_FIELDS = ("estimate_total", "invoice_total")
LOSS_TIME_TOLERANCE_MINUTES = 60
POLICE_CAUSES = frozenset({"theft", "vandalism"})
NOT_READ_YET = ("unsupported_media_type",)  # e.g. office files: a format we do not read, not a broken file


def _alnum(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.casefold()))


def _minutes(hhmm: str) -> int:
    hour, minute = hhmm.split(":")
    return int(hour) * 60 + int(minute)


def _same_time(extracted: str, expected: str) -> bool:
    return abs(_minutes(extracted) - _minutes(expected)) <= LOSS_TIME_TOLERANCE_MINUTES


def _has_injuries(text: str) -> bool:
    return text.casefold() not in ("none", "no")


# field -> (what the FNOL says, how values are compared, finding code)
Expectation = tuple[Callable[[FNOL], str | None], Callable[[str, str], bool], str]
_EXPECTATIONS: Mapping[str, Expectation] = {
    "policy_number": (lambda f: f.policy.policy_number, lambda a, b: _alnum(a) == _alnum(b), "policy_number_mismatch"),
    "claim_number": (lambda f: f.claim_id, lambda a, b: _alnum(a) == _alnum(b), "claim_number_mismatch"),
    "loss_date": (lambda f: f.loss.occurred_at.date().isoformat(), str.__eq__, "loss_date_mismatch"),
    "loss_time": (lambda f: f.loss.occurred_at.strftime("%H:%M"), _same_time, "loss_time_mismatch"),
    "claimant_name": (lambda f: f.claimant.name, lambda a, b: _words(a) == _words(b), "claimant_name_mismatch"),
    "vehicle_vin": (lambda f: f.vehicle.vin if f.vehicle else None, str.__eq__, "vin_mismatch"),
    "vehicle_plate": (
        lambda f: f.vehicle.plate if f.vehicle else None,
        lambda a, b: _alnum(a) == _alnum(b),
        "plate_mismatch",
    ),
    "vehicle_make": (
        lambda f: f.vehicle.make if f.vehicle else None,
        lambda a, b: a.casefold() == b.casefold(),
        "vehicle_make_mismatch",
    ),
    "vehicle_year": (lambda f: str(f.vehicle.year) if f.vehicle else None, str.__eq__, "vehicle_year_mismatch"),
    "police_report_number": (
        lambda f: f.loss.police_report.report_number if f.loss.police_report else None,
        lambda a, b: _alnum(a) == _alnum(b),
        "police_report_number_mismatch",
    ),
    "injuries": (
        lambda f: "; ".join(i.person for i in f.injuries) or "none",
        lambda a, b: _has_injuries(a) == _has_injuries(b),
        "injuries_mismatch",
    ),
}


def document_findings(documents: Sequence[DocumentSummary]) -> Iterator[Finding]:
    """One finding per document that could not be read."""
    for document in documents:
        if document.error is None:
            continue
        code = "unsupported_document" if document.error.startswith(NOT_READ_YET) else "unreadable_document"
        yield Finding(code=code, message=f"{document.filename}: {document.error}")


def field_findings(fnol: FNOL, fields: Sequence[ExtractedField], filenames: Mapping[str, str]) -> Iterator[Finding]:
    """Disagreements between what documents say and what the FNOL says, and VINs that cannot be real."""
    yield from _fnol_vin_findings(fnol)
    for field in fields:
        where = f"{filenames.get(field.document, field.document[:12])} page {field.page}"
        if field.name == "vehicle_vin":
            yield from _vin_findings(field.value, where)
        if field.confidence < MIN_CONFIDENCE_TO_COMPARE:
            continue
        if field.name == "estimate_total":
            yield from _amount_findings(fnol, Decimal(field.value), where)
        if field.name == "invoice_total":
            yield from _billed_findings(fnol, Decimal(field.value), where)
        expectation = _EXPECTATIONS.get(field.name)
        if expectation is None:
            continue
        expected_of, agree, code = expectation
        expected = expected_of(fnol)
        if expected is not None and not agree(field.value, expected):
            yield Finding(code=code, message=f"{field.name} on {where} is {field.value!r}; the FNOL says {expected!r}")


def _vin_findings(vin: str, where: str) -> Iterator[Finding]:
    if not vins.is_well_formed(vin):
        yield Finding(code="vin_malformed", message=f"VIN {vin!r} on {where} is not 17 valid VIN characters")
    elif vins.check_digit_mandatory(vin) and not vins.check_digit_valid(vin):
        yield Finding(
            code="vin_check_digit_invalid",
            message=f"VIN {vin} on {where} fails its check digit (expected {vins.check_digit(vin)!r})",
        )


def _fnol_vin_findings(fnol: FNOL) -> Iterator[Finding]:
    if fnol.vehicle is not None and fnol.vehicle.vin:
        yield from _vin_findings(fnol.vehicle.vin, "the FNOL")


def _amount_findings(fnol: FNOL, total: Decimal, where: str) -> Iterator[Finding]:
    claimed = fnol.loss.claimed_amount
    if claimed is not None and total > Decimal(str(claimed)) * (1 + AMOUNT_TOLERANCE):
        yield Finding(
            code="estimate_exceeds_claimed_amount",
            message=f"estimate total {total} on {where} is over the {claimed:.2f} claimed at FNOL",
        )
    if total > Decimal(str(fnol.policy.sum_insured)):
        yield Finding(
            code="estimate_exceeds_sum_insured",
            message=f"estimate total {total} on {where} is over the sum insured {fnol.policy.sum_insured}",
        )
    if total <= Decimal(str(fnol.policy.deductible)):
        yield Finding(
            code="estimate_below_deductible",
            message=f"estimate total {total} on {where} is within the deductible {fnol.policy.deductible}",
        )


def _billed_findings(fnol: FNOL, total: Decimal, where: str) -> Iterator[Finding]:
    """An invoice or medical bill for more than the whole claim: billed costs nobody declared at FNOL."""
    claimed = fnol.loss.claimed_amount
    if claimed is not None and total > Decimal(str(claimed)) * (1 + AMOUNT_TOLERANCE):
        yield Finding(
            code="invoice_total_exceeds_claimed_amount",
            message=f"billed total {total} on {where} is over the {claimed:.2f} claimed at FNOL",
        )


def cross_document_findings(
    documents: Sequence[DocumentSummary], fields: Sequence[ExtractedField]
) -> Iterator[Finding]:
    """What a claim's documents say against each other: VINs that differ, line items that miss their total."""
    trusted = [field for field in fields if field.confidence >= MIN_CONFIDENCE_TO_COMPARE]
    filenames = {document.sha256: document.filename for document in documents}
    vins_read: dict[str, list[str]] = {}
    for field in trusted:
        if field.name == "vehicle_vin" and vins.is_well_formed(field.value):
            vins_read.setdefault(field.value, []).append(filenames.get(field.document, field.document[:12]))
    if len(vins_read) > 1:
        said = "; ".join(f"{vin} on {', '.join(names)}" for vin, names in sorted(vins_read.items()))
        yield Finding(code="vin_disagrees_between_documents", message=f"the documents name different VINs: {said}")
    totals = {field.document: Decimal(field.value) for field in trusted if field.name in TOTAL_FIELDS}
    for document in documents:
        total = totals.get(document.sha256)
        if not document.line_items or total is None:
            continue
        added = sum((item.amount for item in document.line_items), Decimal(0))
        if abs(added - total) > ROUNDING:
            yield Finding(
                code="line_items_do_not_add_up",
                message=f"{document.filename}: {len(document.line_items)} line items add up to {added}, "
                f"the printed total is {total}",
            )


def required_documents(fnol: FNOL) -> list[str]:
    """Document types a claim of this kind needs before it can be settled."""
    required = ["loss_notice"]
    theft = fnol.loss.cause == "theft"
    if fnol.line_of_business is LineOfBusiness.MOTOR and not theft:  # a stolen car has nothing to repair
        required.append("repair_estimate")
    police = fnol.loss.police_report
    if (police is not None and police.filed) or fnol.injuries or fnol.loss.cause in POLICE_CAUSES:
        required.append("police_report")
    return required


def missing_documents(fnol: FNOL, documents: Sequence[DocumentSummary]) -> list[str]:
    """Required document types no readable document provides."""
    present = {document.doc_type for document in documents if document.error is None}
    return [doc_type for doc_type in required_documents(fnol) if doc_type not in present]
