"""Claim documents rendered from an FNOL: a loss notice, a repair estimate and a police report.

The loss notice is boxed like the industry's paper loss notices and is a fillable AcroForm whose
values are also drawn as text. Output is deterministic: same inputs, same bytes, same sha256.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from services.core.events import FNOL, Address

PAGE_W, PAGE_H = LETTER
MARGIN = 36
VALUE_FONT, VALUE_SIZE = "Helvetica", 9
LEADING = 1.2 * VALUE_SIZE  # what reportlab's form appearance uses, so drawn text and widget coincide


@dataclass(frozen=True)
class Box:
    """One labelled box of the loss notice: `key` is the extracted-field name it holds."""

    key: str
    label: str
    form_field: str
    width: float  # share of the row
    lines: int = 1


_POLICY_ROWS: tuple[tuple[str, tuple[Box, ...]], ...] = (
    (
        "POLICY AND CLAIM",
        (
            Box("policy_number", "POLICY NUMBER", "Policy_PolicyNumber", 0.5),
            Box("claim_number", "CLAIM NUMBER", "Claim_ClaimNumber", 0.5),
        ),
    ),
    (
        "LOSS",
        (
            Box("loss_date", "DATE OF LOSS (MM/DD/YYYY)", "Loss_IncidentDate", 0.25),
            Box("loss_time", "TIME OF LOSS", "Loss_IncidentTime", 0.2),
            Box("loss_place", "LOCATION OF LOSS", "Loss_LocationAddress", 0.55, lines=2),
        ),
    ),
    ("", (Box("description", "DESCRIPTION OF LOSS", "Loss_Description", 1.0, lines=6),)),
    (
        "INSURED / CLAIMANT",
        (
            Box("claimant_name", "NAME OF INSURED", "Insured_FullName", 0.4),
            Box("claimant_phone", "INSURED'S PHONE", "Insured_PrimaryPhone", 0.25),
            Box("claimant_email", "INSURED'S E-MAIL", "Insured_EmailAddress", 0.35),
        ),
    ),
)
_VEHICLE_ROW = (
    "INSURED VEHICLE",
    (
        Box("vehicle_year", "YEAR", "Vehicle_ModelYear", 0.1),
        Box("vehicle_make", "MAKE", "Vehicle_Manufacturer", 0.2),
        Box("vehicle_model", "MODEL", "Vehicle_Model", 0.2),
        Box("vehicle_vin", "V.I.N.", "Vehicle_VIN", 0.3),
        Box("vehicle_plate", "PLATE NUMBER", "Vehicle_PlateNumber", 0.2),
    ),
)
_PROPERTY_ROW = (
    "INSURED PROPERTY",
    (
        Box("property_address", "LOCATION OF PROPERTY", "Property_LocationAddress", 0.6, lines=2),
        Box("property_kind", "KIND OF PROPERTY", "Property_Kind", 0.2),
        Box("property_year_built", "YEAR BUILT", "Property_YearBuilt", 0.2),
    ),
)
_CLOSING_ROWS = (
    (
        "POLICE",
        (
            Box("police_authority", "POLICE OR FIRE DEPARTMENT CONTACTED", "Police_Authority", 0.5),
            Box("police_report_number", "REPORT NUMBER", "Police_ReportIdentifier", 0.5),
        ),
    ),
    ("INJURIES", (Box("injuries", "INJURED: NAME, SEVERITY, DESCRIPTION", "Injury_Description", 1.0, lines=3),)),
    (
        "OTHER PARTY",
        (
            Box("other_party_name", "OTHER PARTY NAME", "OtherParty_FullName", 0.4),
            Box("other_party_insurer", "OTHER PARTY INSURER", "OtherParty_Insurer", 0.35),
            Box("other_party_plate", "OTHER PARTY PLATE", "OtherParty_PlateNumber", 0.25),
        ),
    ),
)


def format_address(address: Address) -> str:
    """One line, as forms print it: `12 Main St, Springfield, IL 62701, US`."""
    region = " ".join(p for p in (address.region, address.postcode) if p)
    return ", ".join(p for p in (address.street, address.city, region, address.country) if p)


def loss_notice_values(fnol: FNOL) -> dict[str, str]:
    """What each loss-notice box holds, keyed by extracted-field name (blank boxes omitted)."""
    loss, person, police = fnol.loss, fnol.claimant, fnol.loss.police_report
    values = {
        "policy_number": fnol.policy.policy_number,
        "claim_number": fnol.claim_id,
        "loss_date": loss.occurred_at.strftime("%m/%d/%Y"),
        "loss_time": loss.occurred_at.strftime("%I:%M %p"),
        "loss_place": format_address(loss.place),
        "description": loss.description,
        "claimant_name": person.name,
        "claimant_phone": person.phone or "",
        "claimant_email": person.email or "",
        "police_authority": (police.authority or "") if police else "",
        "police_report_number": (police.report_number or "") if police else "",
        "injuries": _injuries_text(fnol),
    }
    if fnol.vehicle is not None:
        v = fnol.vehicle
        values |= {
            "vehicle_year": str(v.year),
            "vehicle_make": v.make,
            "vehicle_model": v.model or "",
            "vehicle_vin": v.vin or "",
            "vehicle_plate": v.plate or "",
        }
    if fnol.insured_property is not None:
        p = fnol.insured_property
        values |= {
            "property_address": format_address(p.address),
            "property_kind": p.kind,
            "property_year_built": str(p.year_built or ""),
        }
    if fnol.other_parties:
        other = fnol.other_parties[0]
        values |= {
            "other_party_name": other.name,
            "other_party_insurer": other.insurer or "",
            "other_party_plate": other.vehicle_plate or "",
        }
    return {key: value for key, value in values.items() if value}


def _injuries_text(fnol: FNOL) -> str:
    """`Maria Gonzalez (minor): neck strain; ...`, or `None`."""
    return (
        "; ".join(f"{i.person} ({i.severity})" + (f": {i.description}" if i.description else "") for i in fnol.injuries)
        or "None"
    )


def loss_notice_pdf(fnol: FNOL, *, overrides: Mapping[str, str] | None = None, fillable: bool = True) -> bytes:
    """A one-page loss notice (plus a remarks page if text overflows its box) as a fillable form.

    `overrides` replaces box values by extracted-field name (e.g. {"loss_date": "03/15/2024"}), so
    tests can make a document disagree with its FNOL; `fillable=False` gives a flattened copy.
    """
    rows = (*_POLICY_ROWS, _VEHICLE_ROW if fnol.vehicle is not None else _PROPERTY_ROW, *_CLOSING_ROWS)
    known = {box.key for _, boxes in rows for box in boxes}
    unknown = set(overrides or {}) - known
    if unknown:
        raise ValueError(f"no loss-notice box for {sorted(unknown)}; known: {sorted(known)}")
    values = loss_notice_values(fnol) | dict(overrides or {})
    title = "AUTOMOBILE LOSS NOTICE" if fnol.vehicle is not None else "PROPERTY LOSS NOTICE"
    buffer, canvas, _ = _document(f"{title.title()} {fnol.claim_id}")
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(MARGIN, PAGE_H - MARGIN - 14, title)
    canvas.setFont(VALUE_FONT, VALUE_SIZE)
    canvas.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN - 14, fnol.loss.reported_at.strftime("DATE %m/%d/%Y"))
    y, overflow = PAGE_H - MARGIN - 26, []
    for heading, boxes in rows:
        y, spilled = _draw_row(canvas, heading, boxes, values, y, fillable)
        overflow.extend(spilled)
    if overflow:  # like the paper forms: what does not fit goes on an additional remarks page
        canvas.showPage()
        remarks = _TextPage(canvas)
        remarks.heading("ADDITIONAL REMARKS SCHEDULE")
        for label, lines in overflow:
            remarks.line(f"{label.title()} (continued):", font="Helvetica-Bold")
            for line in lines:
                remarks.line(line)
    return _finish(buffer, canvas)


def _draw_row(
    canvas: Canvas, heading: str, boxes: Sequence[Box], values: Mapping[str, str], top: float, fillable: bool
) -> tuple[float, list[tuple[str, list[str]]]]:
    if heading:
        canvas.setFillGray(0.25)
        canvas.rect(MARGIN, top - 10, PAGE_W - 2 * MARGIN, 10, stroke=0, fill=1)
        canvas.setFillGray(1)
        canvas.setFont("Helvetica-Bold", 7)
        canvas.drawString(MARGIN + 3, top - 7.5, heading)
        canvas.setFillGray(0)
        top -= 10
    height = 11 + max(box.lines for box in boxes) * LEADING
    x, overflow = float(MARGIN), []
    for box in boxes:
        width = box.width * (PAGE_W - 2 * MARGIN)
        spilled = _draw_box(canvas, box, values.get(box.key, ""), x, top, width, height, fillable)
        if spilled:
            overflow.append((box.label, spilled))
        x += width
    return top - height, overflow


def _draw_box(
    canvas: Canvas, box: Box, value: str, x: float, top: float, width: float, height: float, fillable: bool
) -> list[str]:
    """Draw the box, its label, its value as text and (if fillable) the form widget; return overflow lines."""
    canvas.setLineWidth(0.5)
    canvas.rect(x, top - height, width, height)
    canvas.setFont("Helvetica", 5.5)
    canvas.drawString(x + 2, top - 6, box.label)
    lines = simpleSplit(value, VALUE_FONT, VALUE_SIZE, width - 6) if value else []
    capacity = int((height - 9) // LEADING)
    shown, spilled = lines[:capacity], lines[capacity:]
    field_top = top - 8
    canvas.setFont(VALUE_FONT, VALUE_SIZE)
    for i, line in enumerate(shown):
        canvas.drawString(x + 2, field_top - VALUE_SIZE - i * LEADING, line)
    if fillable:
        # reportlab takes float positions and sizes; its stubs say int
        canvas.acroForm.textfield(
            name=box.form_field,
            value="\n".join(lines),
            x=x + 2,  # type: ignore[arg-type]
            y=top - height + 1,  # type: ignore[arg-type]
            width=width - 4,  # type: ignore[arg-type]
            height=field_top - (top - height + 1),  # type: ignore[arg-type]
            borderWidth=0,
            fillColor=None,
            borderColor=None,
            textColor=None,
            fontName=VALUE_FONT,
            fontSize=VALUE_SIZE,
            maxlen=0,
            fieldFlags="multiline" if box.lines > 1 else "",
            tooltip=box.label.title(),
        )
    return spilled


@dataclass(frozen=True)
class PrintedItem:
    """A row of an estimate, invoice or bill; quantity and unit price only on rows billed by the unit."""

    description: str
    amount: float
    quantity: float | None = None
    unit_price: float | None = None


Item = tuple[str, float] | PrintedItem  # (description, amount) is the short form


def printed_items(line_items: Sequence[Item]) -> list[PrintedItem]:
    """The rows as the renderers print them: the ground truth of line-item extraction."""
    return [item if isinstance(item, PrintedItem) else PrintedItem(*item) for item in line_items]


class _TextPage:
    """Writes lines top-down and starts a new page when one is full."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas, self.y = canvas, PAGE_H - MARGIN

    def line(self, text: str, *, font: str = VALUE_FONT, size: float = VALUE_SIZE, x: float = MARGIN) -> None:
        if self.y < MARGIN + size:
            self.canvas.showPage()
            self.y = PAGE_H - MARGIN
        self.y -= size * 1.35
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, self.y, text)

    def heading(self, text: str, size: float = 12) -> None:
        self.y -= 4
        self.line(text, font="Helvetica-Bold", size=size)

    def pairs(self, *pairs: tuple[str, str]) -> None:
        text = "    ".join(f"{label}: {value}" for label, value in pairs if value)  # a clerk skips blanks
        if text:
            self.line(text)

    def vehicle(self, fnol: FNOL) -> None:
        if fnol.vehicle is not None:
            v = fnol.vehicle
            self.pairs(("Year", str(v.year)), ("Make", v.make), ("Model", v.model or ""))
            self.pairs(("VIN", v.vin or ""), ("Plate", v.plate or ""))

    def paragraph(self, label: str, text: str) -> None:
        for line in simpleSplit(f"{label}: {text}", VALUE_FONT, VALUE_SIZE, PAGE_W - 2 * MARGIN):
            self.line(line)

    def amount_row(self, number: str, description: str, amount: str, quantity: str = "", unit_price: str = "") -> None:
        self.line(number)
        self.canvas.drawString(MARGIN + 30, self.y, description)
        self.canvas.drawRightString(PAGE_W - MARGIN - 170, self.y, quantity)
        self.canvas.drawRightString(PAGE_W - MARGIN - 90, self.y, unit_price)
        self.canvas.drawRightString(PAGE_W - MARGIN, self.y, amount)

    def item_table(
        self, lead: str, amount: str, line_items: Sequence[Item], country: str, codes: Sequence[str] = ()
    ) -> None:
        """A header and one row per item; QTY and UNIT PRICE columns when any row is billed by the unit."""
        items = printed_items(line_items)
        by_unit = any(item.quantity is not None for item in items)
        self.amount_row(lead, "DESCRIPTION", amount, *(("QTY", "UNIT PRICE") if by_unit else ()))
        for index, item in enumerate(items):
            number = codes[index] if index < len(codes) else str(index + 1)
            quantity = f"{item.quantity:g}" if item.quantity is not None else ""
            unit_price = money(item.unit_price, country) if item.unit_price is not None else ""
            self.amount_row(number, item.description, money(item.amount, country), quantity, unit_price)


def items_total(line_items: Sequence[Item]) -> float:
    return round(sum(item.amount for item in printed_items(line_items)), 2)


def _reference(fnol: FNOL, prefix: str) -> str:  # a made-up number stable per claim: estimate, badge...
    return f"{prefix}{int(hashlib.sha256((prefix + fnol.claim_id).encode()).hexdigest()[:8], 16) % 100000:05d}"


def money(amount: float, country: str = "US") -> str:  # `$1,234.56` for US claims, `€1,234.56` elsewhere
    return f"{'$' if country == 'US' else '€'}{amount:,.2f}"


def _document(title: str) -> tuple[io.BytesIO, Canvas, _TextPage]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)  # invariant: no timestamps, same bytes every time
    canvas.setTitle(title)
    return buffer, canvas, _TextPage(canvas)


def _finish(buffer: io.BytesIO, canvas: Canvas) -> bytes:
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def repair_estimate_pdf(fnol: FNOL, line_items: Sequence[Item]) -> bytes:
    """A body shop's (or contractor's) repair estimate: one row per item and the total."""
    country = fnol.loss.place.country
    buffer, canvas, page = _document(f"Repair estimate {fnol.claim_id}")
    page.heading("Northside Collision & Body Repair", size=14)
    page.line(f"455 Industrial Way, {fnol.loss.place.city}")
    page.heading("REPAIR ESTIMATE")
    page.pairs(
        ("Estimate Number", _reference(fnol, "E-")), ("Estimate Date", fnol.loss.reported_at.strftime("%m/%d/%Y"))
    )
    page.pairs(("Claim Number", fnol.claim_id), ("Policy Number", fnol.policy.policy_number))
    page.pairs(("Owner", fnol.claimant.name), ("Phone", fnol.claimant.phone or ""))
    page.pairs(("Date of Loss", fnol.loss.occurred_at.strftime("%b %d, %Y")))  # unambiguous in any country
    page.vehicle(fnol)
    if fnol.insured_property is not None:
        page.pairs(("Property", format_address(fnol.insured_property.address)))
    page.heading("ESTIMATE DETAIL", size=10)
    page.item_table("LINE", "AMOUNT", line_items, country)
    page.heading(f"Estimate Total: {money(items_total(line_items), country)}", size=11)
    page.line("Estimate valid for 30 days. Hidden damage found during repair is supplemented.", size=7)
    return _finish(buffer, canvas)


def police_report_pdf(fnol: FNOL) -> bytes:
    """A police traffic-collision (motor) or incident (property) report."""
    loss, police = fnol.loss, fnol.loss.police_report
    authority = (police.authority if police else None) or f"{loss.place.city} Police Department"
    number = (police.report_number if police else None) or _reference(fnol, "RPT-")
    buffer, canvas, page = _document(f"Police report {number}")
    page.heading(authority.upper(), size=14)
    page.heading("TRAFFIC COLLISION REPORT" if fnol.vehicle is not None else "INCIDENT REPORT")
    page.pairs(("Report Number", number), ("Reporting Officer", f"Badge {_reference(fnol, '#')[1:]}"))
    page.pairs(
        ("Date of Incident", loss.occurred_at.strftime("%B %d, %Y")),
        ("Time of Incident", loss.occurred_at.strftime("%H:%M")),
    )
    page.pairs(("Location", format_address(loss.place)))
    page.heading("PARTY 1", size=10)
    page.pairs(
        ("Driver" if fnol.vehicle else "Reporting Party", fnol.claimant.name), ("Phone", fnol.claimant.phone or "")
    )
    page.pairs(("Insurance Policy Number", fnol.policy.policy_number))
    page.vehicle(fnol)
    for index, party in enumerate(fnol.other_parties, start=2):
        page.heading(f"PARTY {index}", size=10)
        page.pairs(
            ("Name", party.name),
            ("Role", party.role.replace("_", " ")),
            ("Insurer", party.insurer or ""),
            ("Vehicle Plate", party.vehicle_plate or ""),
        )
    page.heading("INJURIES", size=10)
    page.paragraph("Injuries", _injuries_text(fnol))
    page.heading("NARRATIVE", size=10)
    page.paragraph("Narrative", loss.description)
    return _finish(buffer, canvas)


def invoice_pdf(fnol: FNOL, line_items: Sequence[Item], *, vendor: str = "Metro Towing & Rental") -> bytes:
    """A vendor's invoice for a claim's incidentals (towing, storage, a rental car)."""
    country = fnol.loss.place.country
    buffer, canvas, page = _document(f"Invoice {fnol.claim_id}")
    page.heading(vendor, size=14)
    page.heading("INVOICE")
    page.pairs(("Invoice Number", _reference(fnol, "INV-")), ("Due Date", fnol.loss.reported_at.strftime("%m/%d/%Y")))
    page.pairs(("Bill To", fnol.claimant.name))
    page.pairs(("Claim Number", fnol.claim_id), ("Policy Number", fnol.policy.policy_number))
    page.heading("SERVICES", size=10)
    page.item_table("LINE", "AMOUNT", line_items, country)
    page.heading(f"Amount Due: {money(items_total(line_items), country)}", size=11)
    return _finish(buffer, canvas)


def medical_bill_pdf(fnol: FNOL, line_items: Sequence[Item]) -> bytes:
    """A clinic's statement of services for an injured claimant."""
    country = fnol.loss.place.country
    buffer, canvas, page = _document(f"Patient statement {fnol.claim_id}")
    page.heading(f"{fnol.loss.place.city} Community Clinic", size=14)
    page.heading("PATIENT STATEMENT")
    page.pairs(("Statement Number", _reference(fnol, "MS-")), ("Provider", "Urgent Care Department"))
    page.pairs(("Patient", fnol.claimant.name), ("Date of Accident", fnol.loss.occurred_at.strftime("%b %d, %Y")))
    page.pairs(("Claim Number", fnol.claim_id), ("Policy Number", fnol.policy.policy_number))
    page.heading("SERVICES", size=10)
    page.item_table("CPT", "CHARGE", line_items, country, codes=("99284", "72040", "97110", "99213"))
    page.heading(f"Total Amount: {money(items_total(line_items), country)}", size=11)
    return _finish(buffer, canvas)
