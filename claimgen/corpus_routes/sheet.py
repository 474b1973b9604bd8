"""What a document says, before any producer lays it out: sections of labelled values, prose and
tables of items, each carrying the truth it states. The truth file is read off the document, so
a value is in the truth only if it is printed."""

from __future__ import annotations

from dataclasses import dataclass

Truth = tuple[tuple[str, object], ...]

FIELDS = (
    "policy_number",
    "claim_number",
    "loss_date",
    "loss_time",
    "claimant_name",
    "claimant_phone",
    "claimant_email",
    "loss_address",
    "loss_description",
    "vehicle_year",
    "vehicle_make",
    "vehicle_model",
    "vehicle_vin",
    "vehicle_plate",
    "police_authority",
    "police_report_number",
    "estimate_total",
    "invoice_total",
    "currency",
    "other_party_name",
    "other_party_insurer",
    "other_party_policy_number",
    "injuries",
)
COARSE = {
    "loss_notice": "loss_notice",
    "fnol_letter": "loss_notice",
    "police_report": "police_report",
    "crash_report": "police_report",
    "repair_estimate": "estimate",
    "garage_quote": "estimate",
    "contractor_estimate": "estimate",
    "invoice": "invoice",
    "receipt": "invoice",
    "medical_bill": "medical_bill",
    "total_loss_valuation": "other",
    "fire_report": "other",
    "other": "other",
}


@dataclass(frozen=True)
class Entry:
    """A label and the value printed with it."""

    label: str
    value: str
    truth: Truth = ()


@dataclass(frozen=True)
class Section:
    heading: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Prose:
    heading: str
    paragraphs: tuple[str, ...]
    truth: Truth = ()


@dataclass(frozen=True)
class Items:
    """A table of line items and the totals under it."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[Entry, ...]


Block = Section | Prose | Items


@dataclass(frozen=True)
class Document:
    fine_type: str
    lang: str
    title: str
    issuer: tuple[str, ...]  # letterhead lines: who made the document
    blocks: tuple[Block, ...]
    footer: tuple[str, ...] = ()

    def sections(self) -> tuple[Section, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Section))

    def truth_fields(self) -> dict[str, object]:
        """Every field the document states, in the order it states them; a field stated twice must agree."""
        fields: dict[str, object] = {}
        for name, value in _stated(self.blocks):
            if name not in FIELDS:
                raise ValueError(f"{name} is not a truth field")
            if fields.setdefault(name, value) != value:
                raise ValueError(f"{name} is printed as both {fields[name]!r} and {value!r}")
        return fields


def _stated(blocks: tuple[Block, ...]) -> Truth:
    pairs: list[tuple[str, object]] = []
    for block in blocks:
        if isinstance(block, Prose):
            pairs.extend(block.truth)
        entries = block.entries if isinstance(block, Section) else block.totals if isinstance(block, Items) else ()
        for entry in entries:
            pairs.extend(entry.truth)
    return tuple(pairs)


def truth_record(source: str, document: Document) -> dict[str, object]:
    """The truth file's content, in the foreign_docs format plus the fine type."""
    return {
        "source": source,
        "doc_type": COARSE[document.fine_type],
        "fine_type": document.fine_type,
        "fields": document.truth_fields(),
    }
