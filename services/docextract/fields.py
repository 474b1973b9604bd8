"""Fields of one document, each with a confidence and where it was read.

Candidates come from filled form fields (a named field, or a generic `Text7` paired with the
printed label nearest its widget), from labelled boxes, and from labels paired with values by
position (services/docextract/pairing.py), each in the section of the party it is about. Each
value is checked against its kind (services/docextract/kinds.py) and named by its party: a
phone in the repair shop's block is `repair_shop_phone`, never the claimant's. Per field the
most confident candidate wins; candidates that disagree lower the winner's confidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from services.core.events import ExtractedField
from services.docextract import vin as vins
from services.docextract.cells import join_wrapped_cells
from services.docextract.content import DocumentContent, Rect
from services.docextract.formats import CURRENCY_REGION, date_order, document_currency, phone_region
from services.docextract.formfields import form_pairs
from services.docextract.kinds import DocumentContext, read_value
from services.docextract.labelled import is_label_like
from services.docextract.layout import Line, document_lines, running_lines
from services.docextract.narrative import is_letter, narrative_pairs
from services.docextract.pairing import Pair, read_pairs
from services.docextract.positions import locate, to_box
from services.docextract.sections import is_heading
from services.docextract.vehicles import make_in
from services.docextract.vocabulary import label_key, meaning_of

BASE_CONFIDENCE = {
    "form": 0.97,
    "form_label": 0.9,
    "box": 0.9,
    "inline": 0.92,
    "right": 0.9,
    "below": 0.86,
    "prefix": 0.84,
    "narrative": 0.75,
}
OCR_CONFIDENCE_FACTOR = 0.9
UNVERIFIED_OCR_VIN_FACTOR = 0.85
JOINED_OCR_EMAIL_FACTOR = 0.85  # an OCR'd address put together across a line break: OCR misreads most at its ends
DISAGREEMENT_FACTOR = 0.75  # another reading of the same field says otherwise
VENDOR_TYPES = frozenset({"repair_estimate", "invoice", "medical_bill"})
BILL_TYPES = frozenset({"invoice", "medical_bill"})
TOTAL_FIELDS = frozenset({"estimate_total", "invoice_total"})
PROSE_WORDS = 6  # a line of this many words is running text
_TOTAL_FIELD = {"repair_estimate": "estimate_total", "invoice": "invoice_total", "medical_bill": "invoice_total"}
_CLAIM_KINDS = frozenset(
    {
        "claim_number",
        "loss_date",
        "loss_time",
        "loss_place",
        "description",
        "police_authority",
        "police_report_number",
        "injuries",
        "currency",
    }
)
_PARTY_PREFIX = {
    "other_party": "other_party",
    "witness": "witness",
    "shop": "repair_shop",
    "agency": "agency",
    "vendor": "vendor",
    "injured": "injured",
}
_VEHICLE_KINDS = frozenset({"vehicle_year", "vehicle_make", "vehicle_model", "vehicle_vin", "vehicle_plate"})
FIELD_ORDER = (
    "policy_number",
    "claim_number",
    "loss_date",
    "loss_time",
    "loss_place",
    "description",
    "claimant_name",
    "claimant_phone",
    "claimant_email",
    "claimant_address",
    "vehicle_year",
    "vehicle_make",
    "vehicle_model",
    "vehicle_vin",
    "vehicle_plate",
    "police_authority",
    "police_report_number",
    "injuries",
    "estimate_total",
    "invoice_total",
    "currency",
)

DAY_FIRST_CURRENCIES = frozenset({"EUR", "GBP", "INR", "AUD", "NZD", "CHF"})
_EUROPEAN = re.compile(
    r"(?i)\b(?:madame|monsieur|sinistre|véhicule|déclaration|sehr geehrte|schaden|versicherung|"
    r"fahrzeug|rechnung|devis|facture)\b"
)
_POLICE = re.compile(r"(?i)\bpoli(?:ce|zei)\b|\bsheriff|\bgendarmerie|\bconstabulary")

Method = Literal["form_field", "text_layer", "ocr"]


@dataclass(frozen=True)
class Candidate:
    name: str
    value: str
    page: int
    method: Method
    confidence: float
    rect: Rect | None = None
    raw: str = ""
    label: str = ""


def document_context(
    document: DocumentContent, *, doc_type: str, day_first: bool | None, country: str | None = None
) -> DocumentContext:
    """The document's own date order, country and currency; the claim's (`day_first`, `country`) only where it
    says nothing."""
    text = document.text
    currency = document_currency(text)
    region = phone_region(text) or (CURRENCY_REGION.get(currency) if currency else None) or country
    order = date_order(text, region=region)
    if order is None and (currency in DAY_FIRST_CURRENCIES or _EUROPEAN.search(text)):
        order = True  # the euro, the pound, the rupee and French or German text all write the day first
    return DocumentContext(
        doc_type=doc_type,
        day_first=day_first if order is None else order,
        region=region,
        currency=currency,
        police_named=bool(_POLICE.search(text)),
        vehicle_named=make_in(text) is not None or "VEHICLE" in text.upper(),
    )


def extract_fields(
    document: DocumentContent, sha256: str, *, doc_type: str, day_first: bool | None, country: str | None = None
) -> list[ExtractedField]:
    """The best value of each field this document holds, in a stable order.

    `day_first` is the claim country's numeric date order (None: unknown) and `country` its ISO
    code (phone numbers without a prefix are read as its); what the document itself shows
    (`DD/MM/YYYY`, an unambiguous date, a currency, a phone prefix) wins.
    """
    context = document_context(document, doc_type=doc_type, day_first=day_first, country=country)
    lines = join_wrapped_cells(document_lines(document.pages), is_label=is_label_like, is_heading=is_heading)
    lines = running_lines(lines)
    default = ("shop" if doc_type == "repair_estimate" else "vendor") if doc_type in VENDOR_TYPES else "claimant"
    pairs = [*form_pairs(document, lines), *_box_pairs(document), *read_pairs(lines, default_party=default)]
    candidates = list(_candidates(pairs, context))
    if doc_type == "loss_notice":  # letters and statements: what sentences tell, for what no label gave
        labelled = {candidate.name for candidate in candidates}
        text = document.text
        prose = text if is_letter(text) else _prose(lines)  # a letter is prose throughout
        told = [*narrative_pairs(prose, signed=text)]
        candidates += [c for c in _candidates(told, context) if c.name not in labelled]
    best = _choose(candidates)
    names = [name for name in FIELD_ORDER if name in best] + sorted(set(best) - set(FIELD_ORDER))
    return [_field(best[name], sha256, document) for name in names]


def _prose(lines: Sequence[Line]) -> str:
    """The running text of a document: lines of sentences, and the short line that ends a paragraph.

    A form's short `VIN | 1HGCM…` lines stay out, so a sentence never runs on into a form's values.
    """
    kept, previous_prose = [], False
    for line in lines:
        lower = sum(bool(re.fullmatch(r"[a-zà-ÿ][a-zà-ÿ'’-]*[.,;]?", word)) for word in line.text.split())
        prose = len(line.text.split()) >= PROSE_WORDS and lower >= 2  # sentences, not rows of labels
        if prose or previous_prose:
            kept.append(line.text)
        else:
            kept.append("")  # a blank line: a sentence does not run across what was left out
        previous_prose = prose
    return "\n".join(kept)


def _box_pairs(document: DocumentContent) -> Iterator[Pair]:
    for page in document.pages:
        for label, raw in page.boxes:
            found = meaning_of(label)
            (party, kind), score = found or ((None, None), 0.0)
            if kind:
                yield Pair(kind, party, raw, page.number, None, "box", score, page.method, label)


def _candidates(pairs: Sequence[Pair], context: DocumentContext) -> Iterator[Candidate]:
    contacts: list[Pair] = []
    for pair in pairs:
        if pair.kind == "contact":
            contacts.append(pair)
            continue
        for kind, value, factor in read_value(pair.kind, pair.raw, context):
            name = field_name(kind, pair.party, context.doc_type, police_named=context.police_named)
            if name and _fits_document(name, context):
                yield _candidate(pair, name, value, factor)
    yield from _contact_candidates(contacts, pairs, context)


def field_name(kind: str, party: str | None, doc_type: str, *, police_named: bool = False) -> str | None:
    """The extracted field a value of this kind is, in a section about this party; None if we do not keep it."""
    if kind == "total":
        return _TOTAL_FIELD.get(doc_type)
    if kind == "estimate":
        return "estimate_total"
    if kind == "time":  # a bare `Time` is the loss's on a notice or report, a till's on a receipt
        return "loss_time" if doc_type in ("loss_notice", "police_report") else None
    if kind == "report_number":  # a fire brigade's report number is no police report's
        police = doc_type == "police_report" or party == "police" or (police_named and doc_type == "loss_notice")
        return "police_report_number" if police and party != "fire" else None
    if kind in _CLAIM_KINDS:
        return None if kind == "police_report_number" and party == "fire" else kind
    prefix = _PARTY_PREFIX.get(party or "")
    if kind == "policy_number":
        return "other_party_policy_number" if party == "other_party" else "policy_number"
    if kind in _VEHICLE_KINDS:
        return f"other_party_{kind.removeprefix('vehicle_')}" if party == "other_party" else kind
    if kind == "address" and party == "loss_site":
        return "loss_place"
    if prefix:
        return f"{prefix}_{kind}"
    known_person = party in (None, "claimant")
    return f"claimant_{kind}" if known_person and kind in ("name", "phone", "email", "address") else None


def _fits_document(name: str, context: DocumentContext) -> bool:
    """A receipt's `Model: WTW5000DW` is an appliance: on bills, vehicle details only where a vehicle is named."""
    if context.doc_type not in BILL_TYPES or name not in _VEHICLE_KINDS or name in ("vehicle_vin", "vehicle_plate"):
        return True
    return context.vehicle_named


def _candidate(pair: Pair, name: str, value: str, factor: float) -> Candidate:
    confidence = BASE_CONFIDENCE[pair.how] * pair.label_score**2 * factor
    confidence *= OCR_CONFIDENCE_FACTOR if pair.method == "ocr" else 1.0
    method: Method = "form_field" if pair.how.startswith("form") else ("ocr" if pair.method == "ocr" else "text_layer")
    if name.endswith("_vin") and method == "ocr":
        value = vins.repair_misread(value)
        if not vins.check_digit_mandatory(value):  # OCR swaps B/8, S/5 in VINs no check digit can prove
            confidence *= UNVERIFIED_OCR_VIN_FACTOR
    if name.endswith("_email") and method == "ocr" and " " in pair.raw.strip():
        confidence *= JOINED_OCR_EMAIL_FACTOR
    return Candidate(name, value, pair.page, method, round(confidence, 3), pair.rect, pair.raw, pair.label)


def _contact_candidates(
    contacts: Sequence[Pair], pairs: Sequence[Pair], context: DocumentContext
) -> Iterator[Candidate]:
    """`Contact Details: Sarah Johnson - (555) 123-4567, s.j@mail.com; Michael Chen - …`: each part to its person."""
    known: dict[str, str] = {}
    for pair in pairs:
        for _, value, _ in read_value("name", pair.raw, context) if pair.kind == "name" else []:
            known.setdefault(value.casefold(), pair.party or "claimant")
    for pair in contacts:
        for index, part in enumerate(re.split(r"[;\n]", pair.raw)):
            named = read_value("name", re.split(r"\s[-–:]\s|,|\(|<", part)[0], context)
            party = known.get(named[0][1].casefold()) if named else None
            if party is None and (named or index > 0):
                continue  # someone we cannot place: never the claimant by default
            for kind in ("phone", "email"):
                for _, value, factor in read_value(kind, _only(kind, part), context):
                    name = field_name(kind, party or pair.party, context.doc_type)
                    if name:
                        yield _candidate(pair, name, value, 0.9 * factor)


def _only(kind: str, part: str) -> str:
    """The stretch of a contact line that holds the kind: phones and e-mails are comma-separated."""
    pieces = [p.strip() for p in re.split(r",|\s[-–]\s", part)]
    wanted = [p for p in pieces if ("@" in p) == (kind == "email") and re.search(r"\d" if kind == "phone" else "@", p)]
    return wanted[0] if wanted else ""


def _choose(candidates: Sequence[Candidate]) -> dict[str, Candidate]:
    by_name: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_name[candidate.name].append(candidate)
    best: dict[str, Candidate] = {}
    for name, found in by_name.items():
        if name in TOTAL_FIELDS:  # the grand total is the largest of a document's totals
            winner = max(found, key=lambda c: (c.confidence, Decimal(c.value)))
            rivals = [c for c in found if label_key(c.label) == label_key(winner.label)]
        else:
            winner, rivals = max(found, key=lambda c: c.confidence), found  # the earliest on ties
        if any(_comparable(c) != _comparable(winner) for c in rivals):
            winner = Candidate(**{**winner.__dict__, "confidence": round(winner.confidence * DISAGREEMENT_FACTOR, 3)})
        best[name] = winner
    return best


def _comparable(candidate: Candidate) -> str:
    if candidate.name == "injuries":  # a narrative and a form say the same when both say someone was hurt
        return str(candidate.value != "none")
    return re.sub(r"[^a-z0-9]", "", candidate.value.casefold())


def _field(candidate: Candidate, sha256: str, document: DocumentContent) -> ExtractedField:
    """The field with where it is printed: the value's own rect, or its words found again on the page."""
    page = next((page for page in document.pages if page.number == candidate.page), None)
    rect = candidate.rect
    if rect is None and page is not None:
        rect = locate(candidate.raw or candidate.value, page.words)
    box = to_box(rect, None if candidate.method == "form_field" else page) if rect is not None else None
    return ExtractedField(
        name=candidate.name,
        value=candidate.value,
        confidence=min(candidate.confidence, 0.99),
        document=sha256,
        page=candidate.page,
        method=candidate.method,
        box=box,
    )
