"""A seeded corpus of claim documents with their ground truth, digital or scanned.

Each document carries the fields a careful reader would extract from it, normalised the
way docextract reports them (ISO dates, 24-hour times, plain amounts), written down from
the FNOL that rendered it, never from an extractor. The evaluation seed is fixed; tune on
another seed (the dev set).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

from claimgen.documents import (
    Item,
    PrintedItem,
    format_address,
    invoice_pdf,
    items_total,
    loss_notice_pdf,
    loss_notice_values,
    medical_bill_pdf,
    police_report_pdf,
    printed_items,
    repair_estimate_pdf,
)
from claimgen.fnol import GeneratedClaim, generate_claims
from claimgen.scans import MEDIA_TYPES, ScanFormat, encode, scan
from services.core.events import FNOL

EVALUATION_SEED, DEV_SEED = 2024, 99
CORPUS_NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)  # claims are dated relative to this
NOT_EXTRACTED = frozenset({"property_address", "property_kind", "property_year_built"})  # no such field
TOWING = (
    PrintedItem("Towing, miles", 175.0, 14, 12.5),
    PrintedItem("Storage, days", 135.0, 3, 45.0),
    PrintedItem("Rental car, days", 212.5, 5, 42.5),
    ("Roadside hook-up fee", 60.0),
)
TREATMENT = (("Emergency department visit", 812.0), ("X-ray, neck, 2 views", 164.0), ("Physical therapy", 96.0))


@dataclass(frozen=True)
class CorpusDocument:
    name: str
    content: bytes
    media_type: str
    doc_type: str
    pages: int
    scanned: bool
    truth: dict[str, str] = field(default_factory=dict)
    line_items: tuple[PrintedItem, ...] = ()  # the rows printed, for estimates, invoices and bills


def _amount(value: float) -> str:
    return f"{value:.2f}"


def _injuries(fnol: FNOL) -> str:
    return loss_notice_values(fnol).get("injuries", "None") if fnol.injuries else "none"


def _vehicle_truth(fnol: FNOL) -> dict[str, str]:
    if fnol.vehicle is None:
        return {}
    v = fnol.vehicle
    truth = {
        "vehicle_year": str(v.year),
        "vehicle_make": v.make,
        "vehicle_model": v.model or "",
        "vehicle_vin": v.vin or "",
        "vehicle_plate": v.plate or "",
    }
    return {name: value for name, value in truth.items() if value}


def loss_notice_truth(fnol: FNOL) -> dict[str, str]:
    values = {name: value for name, value in loss_notice_values(fnol).items() if name not in NOT_EXTRACTED}
    values["loss_date"] = fnol.loss.occurred_at.date().isoformat()
    values["loss_time"] = fnol.loss.occurred_at.strftime("%H:%M")
    values["injuries"] = _injuries(fnol)
    return values


def _currency(fnol: FNOL) -> str:
    return "USD" if fnol.loss.place.country == "US" else "EUR"  # as claimgen.documents.money prints amounts


def _other_party_truth(fnol: FNOL) -> dict[str, str]:
    if not fnol.other_parties:
        return {}
    other = fnol.other_parties[0]
    return {
        "other_party_name": other.name,
        "other_party_insurer": other.insurer or "",
        "other_party_plate": other.vehicle_plate or "",
    }


def estimate_truth(fnol: FNOL, items: tuple[Item, ...]) -> dict[str, str]:
    truth = {
        "currency": _currency(fnol),
        "claim_number": fnol.claim_id,
        "policy_number": fnol.policy.policy_number,
        "claimant_name": fnol.claimant.name,
        "claimant_phone": fnol.claimant.phone or "",
        "loss_date": fnol.loss.occurred_at.date().isoformat(),
        **_vehicle_truth(fnol),
        "estimate_total": _amount(items_total(items)),
    }
    return {name: value for name, value in truth.items() if value}


def police_truth(fnol: FNOL) -> dict[str, str]:
    loss, police = fnol.loss, fnol.loss.police_report
    truth = {
        "police_report_number": (police.report_number or "") if police else "",
        "loss_date": loss.occurred_at.date().isoformat(),
        "loss_time": loss.occurred_at.strftime("%H:%M"),
        "loss_place": format_address(loss.place),
        "claimant_name": fnol.claimant.name,
        "claimant_phone": fnol.claimant.phone or "",
        "policy_number": fnol.policy.policy_number,
        **_vehicle_truth(fnol),
        "injuries": _injuries(fnol),
        "description": loss.description,
        **_other_party_truth(fnol),
    }
    return {name: value for name, value in truth.items() if value}


def bill_truth(fnol: FNOL, items: tuple[Item, ...], *, with_loss_date: bool) -> dict[str, str]:
    truth = {
        "claim_number": fnol.claim_id,
        "policy_number": fnol.policy.policy_number,
        "claimant_name": fnol.claimant.name,
        "invoice_total": _amount(items_total(items)),
        "currency": _currency(fnol),
    }
    return truth | ({"loss_date": fnol.loss.occurred_at.date().isoformat()} if with_loss_date else {})


def digital_documents(claim: GeneratedClaim, rng: np.random.Generator) -> Iterator[CorpusDocument]:
    """What one claim brings as digital PDFs: a notice (fillable or flattened) and the papers its kind needs."""
    fnol, prefix = claim.fnol, claim.fnol.claim_id
    notice = loss_notice_pdf(fnol, fillable=bool(rng.random() < 0.7))
    yield _pdf(f"{prefix}-loss_notice.pdf", notice, "loss_notice", loss_notice_truth(fnol))
    if fnol.vehicle is not None and claim.repair_items:
        yield _pdf(
            f"{prefix}-estimate.pdf",
            repair_estimate_pdf(fnol, claim.repair_items),
            "repair_estimate",
            estimate_truth(fnol, claim.repair_items),
            claim.repair_items,
        )
    if fnol.loss.police_report is not None and fnol.loss.police_report.filed:
        yield _pdf(f"{prefix}-police.pdf", police_report_pdf(fnol), "police_report", police_truth(fnol))
    if fnol.vehicle is not None and rng.random() < 0.3:
        yield _pdf(
            f"{prefix}-invoice.pdf",
            invoice_pdf(fnol, TOWING),
            "invoice",
            bill_truth(fnol, TOWING, with_loss_date=False),
            TOWING,
        )
    if fnol.injuries or rng.random() < 0.15:
        yield _pdf(
            f"{prefix}-medical.pdf",
            medical_bill_pdf(fnol, TREATMENT),
            "medical_bill",
            bill_truth(fnol, TREATMENT, with_loss_date=True),
            TREATMENT,
        )


def _pdf(
    name: str, content: bytes, doc_type: str, truth: dict[str, str], items: tuple[Item, ...] = ()
) -> CorpusDocument:
    document = pdfium.PdfDocument(content)
    pages = len(document)
    document.close()
    return CorpusDocument(
        name,
        content,
        "application/pdf",
        doc_type,
        pages,
        scanned=False,
        truth=truth,
        line_items=tuple(printed_items(items)),
    )


def scanned(document: CorpusDocument, rng: np.random.Generator, fmt: ScanFormat) -> CorpusDocument:
    """A 300-dpi scan (or photo) of a digital document: same truth, no text layer, no form fields."""
    pages = document.pages if fmt in ("pdf", "tiff") else 1
    whole = pages == document.pages  # a single image of a longer document: not graded
    name = document.name.rsplit(".", 1)[0] + f"-scan.{'jpg' if fmt == 'jpeg' else fmt}"
    return CorpusDocument(
        name,
        scan(document.content, rng, fmt=fmt),
        MEDIA_TYPES[fmt],
        document.doc_type,
        pages,
        scanned=True,
        truth=document.truth if whole else {},
        line_items=document.line_items if whole else (),
    )


def damage_photo(rng: np.random.Generator, name: str) -> CorpusDocument:
    """A photo of the damage: shapes and texture, no text to read."""
    width, height = 1600, 1200
    image = Image.new("RGB", (width, height), tuple(int(c) for c in rng.integers(60, 200, 3)))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(40, 500)), int(rng.integers(40, 400))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(3))
    return CorpusDocument(name, encode([image.convert("RGB")], "jpeg"), "image/jpeg", "photo", 1, scanned=True)


def build_corpus(*, claims: int, seed: int = EVALUATION_SEED, scan_share: float = 0.0) -> list[CorpusDocument]:
    """Every document of `claims` generated claims; `scan_share` of them scanned, the rest digital.

    Scans come as image PDFs mostly, and as PNG, JPEG and multi-page TIFF; about one claim
    in five also brings a photo of the damage.
    """
    rng = np.random.default_rng(seed)
    corpus: list[CorpusDocument] = []
    for claim in generate_claims(claims, seed=seed, now=CORPUS_NOW):
        for document in digital_documents(claim, rng):
            if rng.random() < scan_share:
                fmt: ScanFormat = rng.choice(["pdf", "pdf", "pdf", "png", "jpeg", "tiff"])
                document = scanned(document, rng, fmt)
            corpus.append(document)
        if scan_share and rng.random() < 0.2:
            corpus.append(damage_photo(rng, f"{claim.fnol.claim_id}-damage.jpg"))
    return corpus
