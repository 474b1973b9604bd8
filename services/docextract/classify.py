"""Document type from what a document says about itself: its title, typical phrases, form fields.

A document has a *type*, the role it plays in a claim (what `missing_documents` and the
router ask for: loss_notice, police_report, repair_estimate, invoice, medical_bill, photo,
other), and a finer *kind* (a garage quote and a contractor's restoration estimate are both
repair estimates; a till receipt is an invoice; a crash report a police report). A phrase in
the title (the first lines of the first page) weighs most, anywhere in the text less.
"""

from __future__ import annotations

import re
from functools import cache

from services.docextract.content import DocumentContent
from services.docextract.vocabulary import form_field_meaning

DOC_TYPES = ("loss_notice", "police_report", "repair_estimate", "medical_bill", "invoice", "photo", "other")
TITLE_LINES = 6
IN_TITLE, TITLE_ANYWHERE, PHRASE, MIN_SCORE = 5, 2, 1, 2
# kind -> (its document type, title phrases, supporting phrases); matched upper-case, on word boundaries
# fmt: off
_KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "loss_notice": ("loss_notice", (
        "LOSS NOTICE", "NOTICE OF LOSS", "FIRST NOTICE OF LOSS", "FNOL", "CLAIM FORM", "CLAIM REPORT",
        "INSURANCE CLAIM",
        "PROPERTY CLAIM", "CLAIM NOTIFICATION", "NOTICE OF CLAIM", "LOSS REPORT", "DÉCLARATION DE SINISTRE",
        "DECLARATION DE SINISTRE", "AVIS DE SINISTRE", "CONSTAT", "SCHADENMELDUNG", "SCHADENANZEIGE",
        "SCHADENSMELDUNG", "UNFALLMELDUNG"),
        ("DATE OF LOSS", "DESCRIPTION OF LOSS", "NAME OF INSURED", "LOCATION OF LOSS", "INCIDENT DESCRIPTION",
         "POLICYHOLDER", "INCIDENT DATE", "CLAIMANT", "POLICY NUMBER", "DATE DU SINISTRE", "SCHADENDATUM",
         "VERSICHERUNGSNEHMER", "ASSURÉ")),
    "fnol_letter": ("loss_notice", (), (
        "DEAR", "TO WHOM IT MAY CONCERN", "I AM WRITING", "I WOULD LIKE TO REPORT", "I WISH TO REPORT",
        "SINCERELY", "YOURS FAITHFULLY", "KIND REGARDS", "MADAME, MONSIEUR", "VEUILLEZ AGRÉER", "SEHR GEEHRTE",
        "MIT FREUNDLICHEN GRÜSSEN", "RE: CLAIM", "CLAIM UNDER POLICY", "REPORT A CLAIM", "MY POLICY", "MY CAR",
        "MY VEHICLE", "MY HOME", "MON VÉHICULE", "MEIN FAHRZEUG")),
    "police_report": ("police_report", (
        "POLICE REPORT", "COLLISION REPORT", "ACCIDENT REPORT", "TRAFFIC COLLISION REPORT", "POLICE INCIDENT REPORT",
        "PROCÈS-VERBAL", "PROCES-VERBAL", "UNFALLBERICHT", "POLIZEIBERICHT", "UNFALLAUFNAHME",
        "VERKEHRSUNFALLANZEIGE", "UNFALLANZEIGE"),
        ("POLICE DEPARTMENT", "REPORTING OFFICER", "BADGE", "SHERIFF", "OFFICER", "CITATION", "POLIZEI",
         "GENDARMERIE", "COMMISSARIAT")),
    "crash_report": ("police_report", (
        "CRASH REPORT", "MOTOR VEHICLE CRASH REPORT", "TRAFFIC CRASH REPORT", "CRASH REPORT FORM",
        "STATE OF", "DEPARTMENT OF TRANSPORTATION", "DEPARTMENT OF MOTOR VEHICLES"),
        ("CRASH", "UNIT 1", "UNIT 2", "INVESTIGATING AGENCY", "REPORTING AGENCY", "MOST HARMFUL EVENT",
         "FIRST HARMFUL EVENT", "LOCAL REPORT NUMBER")),
    "repair_estimate": ("repair_estimate", (
        "REPAIR ESTIMATE", "ESTIMATE OF REPAIR", "ESTIMATE OF RECORD", "REPAIR ORDER", "DAMAGE ESTIMATE",
        "VEHICLE ESTIMATE"),
        ("ESTIMATE NUMBER", "ESTIMATE TOTAL", "BODY REPAIR", "COLLISION REPAIR", "LABOR", "PAINT", "PARTS",
         "REFINISH", "BODY SHOP")),
    "garage_quote": ("repair_estimate", (
        "QUOTE", "QUOTATION", "REPAIR QUOTE", "DEVIS", "KOSTENVORANSCHLAG", "ANGEBOT", "PREVENTIVO", "PRESUPUESTO"),
        ("VALID FOR", "VALID UNTIL", "QUOTE NUMBER", "GARAGE", "WORKSHOP", "WERKSTATT", "VALABLE", "GÜLTIG",
         "MAIN D'ŒUVRE", "MAIN D'OEUVRE", "PIÈCES", "ARBEITSLOHN", "ERSATZTEILE")),
    "contractor_estimate": ("repair_estimate", (
        "RESTORATION ESTIMATE", "CONTRACTOR ESTIMATE", "ESTIMATE", "SCOPE OF WORK", "DAMAGE ASSESSMENT",
        "REMEDIATION ESTIMATE", "RECONSTRUCTION ESTIMATE"),
        ("CONTRACTOR", "LICENSED CONTRACTOR", "RESTORATION", "TOTAL ESTIMATE", "ESTIMATE DATE", "WARRANTY",
         "SQ FT", "MATERIALS", "PERMITS", "REMEDIATION", "ROOF", "DRYWALL")),
    "medical_bill": ("medical_bill", (
        "STATEMENT OF SERVICES", "PATIENT STATEMENT", "MEDICAL BILL", "ITEMIZED BILL", "HOSPITAL BILL",
        "NOTE D'HONORAIRES", "ARZTRECHNUNG"),
        ("PATIENT", "DIAGNOSIS", "CPT", "ICD-10", "PROVIDER", "HOSPITAL", "CLINIC", "PHYSICIAN", "PATIENT NAME")),
    "invoice": ("invoice", (
        "INVOICE", "TAX INVOICE", "FACTURE", "RECHNUNG", "FATTURA", "FACTURA", "BILL"),
        ("INVOICE NUMBER", "INVOICE NO", "AMOUNT DUE", "BILL TO", "DUE DATE", "BALANCE DUE", "RECHNUNGSNUMMER",
         "NUMÉRO DE FACTURE", "MONTANT TTC", "NET À PAYER", "ZAHLBAR")),
    "receipt": ("invoice", (
        "RECEIPT", "SALE RECEIPT", "SALES RECEIPT", "CASH RECEIPT", "REÇU", "TICKET DE CAISSE", "QUITTUNG",
        "KASSENBON", "BELEG"),
        ("CASHIER", "THANK YOU FOR SHOPPING", "RETURN POLICY", "TRANSACTION", "VISA", "MASTERCARD", "CHANGE DUE",
         "SKU", "STORE #", "SUBTOTAL")),
    "total_loss_valuation": ("other", (
        "TOTAL LOSS VALUATION", "VALUATION REPORT", "VEHICLE VALUATION", "MARKET VALUATION", "ACTUAL CASH VALUE",
        "TOTAL LOSS SETTLEMENT", "VALEUR DE REMPLACEMENT", "WIEDERBESCHAFFUNGSWERT"),
        ("COMPARABLE VEHICLES", "COMPARABLE", "BASE VALUE", "MARKET VALUE", "CONDITION ADJUSTMENT", "SALVAGE",
         "MILEAGE ADJUSTMENT", "VALUATION")),
    "fire_report": ("other", (
        "FIRE DEPARTMENT", "FIRE INCIDENT REPORT", "FIRE REPORT", "FIRE & RESCUE", "FIRE AND RESCUE",
        "RAPPORT D'INTERVENTION", "SAPEURS-POMPIERS", "FEUERWEHR", "EINSATZBERICHT"),
        ("ENGINE", "BATTALION", "FIREFIGHTERS", "SUPPRESSION", "FIRE CAPTAIN", "RESPONDING UNITS", "TRUCK",
         "INCIDENT NUMBER", "OVERHAUL")),
}
# fmt: on
PHOTO_MAX_WORDS = 8  # OCR finds a few "words" in any photo's texture
_LOSS_NOTICE_FORM_FIELDS = frozenset({"loss_date", "description", "policy_number"})


@cache
def _patterns(phrases: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?<![A-Z]){re.escape(p)}(?![A-Z])") for p in phrases)


def _count(phrases: tuple[str, ...], text: str) -> int:
    return sum(bool(pattern.search(text)) for pattern in _patterns(phrases))


def _headings(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if ":" not in line)


def classify_kind(document: DocumentContent) -> tuple[str, str]:
    """(document type, finer kind); `photo` for an image with next to no words; `other` when nothing fits."""
    text = document.text.upper()
    if document.ocr_pages == len(document.pages) and not document.form_values and _is_picture(text):
        return "photo", "photo"
    first = document.pages[0].text.upper() if document.pages else ""
    title = "\n".join([line for line in first.splitlines() if line.strip()][:TITLE_LINES])
    headings = _headings(title), _headings(text)  # `ESTIMATE AMOUNT: 8000` is a label, not a title
    scores = {
        kind: IN_TITLE * _count(titles, headings[0])
        + TITLE_ANYWHERE * _count(titles, headings[1])
        + PHRASE * _count(phrases, text)
        for kind, (_, titles, phrases) in _KINDS.items()
    }
    form_fields = {meaning[1] for value in document.form_values if (meaning := form_field_meaning(value.name))}
    if form_fields >= _LOSS_NOTICE_FORM_FIELDS:  # a filled form holding the facts of a loss
        scores["loss_notice"] += IN_TITLE
    if scores["fnol_letter"] >= 2 * PHRASE and scores["loss_notice"] < IN_TITLE:
        scores["fnol_letter"] += IN_TITLE  # a letter about a loss, not a form
    kind, score = max(scores.items(), key=lambda item: item[1])  # ties: the earlier kind
    if score < MIN_SCORE:
        return "other", "other"
    return _KINDS[kind][0], kind


def classify(document: DocumentContent) -> str:
    """The document's type: the role it plays in a claim."""
    return classify_kind(document)[0]


def _is_picture(text: str) -> bool:
    return len(re.findall(r"\b[A-Z]{3,}\b", text)) < PHOTO_MAX_WORDS
