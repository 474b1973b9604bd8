"""The FNOL beside what the documents say, field by field: one row per field, each document's best reading of it.

A row is marked when a document reads the field surely enough and disagrees with the FNOL. The comparisons
are the adjuster's view of the same facts docextract checks (its findings are shown beside them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from services.core.events import FNOL, ClaimCase, ExtractedField

MIN_CONFIDENCE_TO_COMPARE = 0.6  # a reading less sure than this is shown, never held against the FNOL
LOSS_TIME_TOLERANCE_MINUTES = 30
LABELS = {
    "policy_number": "Policy number",
    "claim_number": "Claim number",
    "loss_date": "Date of loss",
    "loss_time": "Time of loss",
    "loss_place": "Place of loss",
    "claimant_name": "Claimant",
    "claimant_phone": "Claimant's phone",
    "claimant_email": "Claimant's e-mail",
    "claimant_address": "Claimant's address",
    "vehicle_vin": "VIN",
    "police_report_number": "Police report number",
    "police_authority": "Police authority",
    "estimate_total": "Repair estimate total",
    "invoice_total": "Invoice total",
}


def label(name: str) -> str:
    """A field's name as an adjuster reads it."""
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _alnum(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.casefold())


def _words(value: str) -> str:
    return " ".join(sorted(re.findall(r"\w+", value.casefold())))


def _minutes(hhmm: str) -> int | None:
    found = re.match(r"^(\d{1,2}):(\d{2})", hhmm.strip())
    return int(found[1]) * 60 + int(found[2]) if found else None


def _same_time(read: str, said: str) -> bool:
    a, b = _minutes(read), _minutes(said)
    return a is None or b is None or abs(a - b) <= LOSS_TIME_TOLERANCE_MINUTES


def _said(fnol: FNOL) -> dict[str, str | None]:
    loss, vehicle, police = fnol.loss, fnol.vehicle, fnol.loss.police_report
    return {
        "policy_number": fnol.policy.policy_number,
        "claim_number": fnol.claim_id,
        "loss_date": loss.occurred_at.date().isoformat(),
        "loss_time": loss.occurred_at.strftime("%H:%M"),
        "loss_place": loss.place.city,
        "description": loss.description,
        "injuries": "; ".join(i.person for i in fnol.injuries) or "none",
        "claimant_name": fnol.claimant.name,
        "claimant_phone": fnol.claimant.phone,
        "claimant_email": fnol.claimant.email,
        "vehicle_vin": vehicle.vin if vehicle else None,
        "vehicle_plate": vehicle.plate if vehicle else None,
        "vehicle_make": vehicle.make if vehicle else None,
        "vehicle_model": vehicle.model if vehicle else None,
        "vehicle_year": str(vehicle.year) if vehicle else None,
        "police_report_number": police.report_number if police else None,
        "police_authority": police.authority if police else None,
        "currency": fnol.policy.currency,
    }


AGREE: Mapping[str, Callable[[str, str], bool]] = {
    "loss_time": _same_time,
    "loss_place": lambda read, said: _alnum(said) in _alnum(read),
    "claimant_name": lambda read, said: _words(read) == _words(said),
    "claimant_email": lambda read, said: read.strip().casefold() == said.strip().casefold(),
    "description": lambda read, said: True,  # two accounts of a loss in free text are not compared word for word
    "injuries": lambda read, said: _injured(read) == _injured(said),
}


def _injured(text: str) -> bool:
    return text.strip().casefold() not in ("none", "no", "nil", "n/a", "")


def agrees(name: str, read: str, said: str) -> bool:
    """Whether a document's reading of `name` says what the FNOL says (case, spacing and punctuation aside)."""
    check = AGREE.get(name)
    return check(read, said) if check is not None else _alnum(read) == _alnum(said)


@dataclass(frozen=True)
class Reading:
    """One document's best reading of a field."""

    document: str
    filename: str
    value: str
    confidence: float
    page: int
    differs: bool


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    fnol: str | None  # None: the FNOL does not say
    readings: list[Reading]

    @property
    def differs(self) -> bool:
        return any(r.differs for r in self.readings)


def compare(case: ClaimCase) -> list[FieldRow]:
    """One row per field a document states, in extraction order, the FNOL's value beside each document's best."""
    if case.extraction is None:
        return []
    said = _said(case.fnol)
    names = {d.sha256: d.filename for d in case.extraction.documents}
    best: dict[str, dict[str, ExtractedField]] = {}
    for f in case.extraction.fields:
        per_document = best.setdefault(f.name, {})
        if f.document not in per_document or f.confidence > per_document[f.document].confidence:
            per_document[f.document] = f
    return [_row(name, said.get(name), found, names) for name, found in best.items()]


def _row(name: str, said: str | None, found: dict[str, ExtractedField], names: dict[str, str]) -> FieldRow:
    readings = [
        Reading(
            document=f.document,
            filename=names.get(f.document, f.document[:12]),
            value=f.value,
            confidence=f.confidence,
            page=f.page,
            differs=said is not None and f.confidence >= MIN_CONFIDENCE_TO_COMPARE and not agrees(name, f.value, said),
        )
        for f in found.values()
    ]
    return FieldRow(name, label(name), said, readings)
