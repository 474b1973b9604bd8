"""The claim case: one versioned envelope per claim that every stage enriches and republishes."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from services.core.events.fnol import FNOL, Country, Currency, Frozen, LineOfBusiness, Sha256
from services.core.events.links import ClaimLinks

SCHEMA_VERSION: Literal["1"] = "1"
SECTIONS_HEADER = "triage-sections"  # where a case's sections lie in its JSON: ClaimCase.to_json_placed


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode())


def _lies_at(data: bytes, name: str, start: int, end: int) -> bool:
    """Whether `data[start:end]` is a member's value right after its key `name`, with a member or the end after it."""
    key = f',"{name}":'.encode()
    return (
        len(key) < start < end
        and data[start - len(key) : start] == key
        and data[start : start + 1] == b"{"
        and data[end - 1 : end] == b"}"
        and data[end : end + 1] in (b",", b"}")
    )


def _place(place: str) -> tuple[str, int, int]:
    """`name:start:end` of SECTIONS_HEADER; ("", 0, 0) for anything else."""
    name, _, span = place.partition(":")
    start, _, end = span.partition(":")
    return (name, int(start), int(end)) if start.isdigit() and end.isdigit() else ("", 0, 0)


class StageStamp(Frozen):
    """When a stage handled the case: the source of per-stage and end-to-end latency."""

    stage: str
    started_at: AwareDatetime
    finished_at: AwareDatetime


class Box(Frozen):
    """Where on its page something was read: a rectangle from the page's top-left corner, y downwards.

    `pt` (1/72 inch) on the PDF page for form fields (the widget's /Rect) and text-layer words;
    `px` for OCR, on the page image as Tesseract read it (upright and deskewed) at `dpi`.
    """

    x0: float = Field(ge=0)
    top: float = Field(ge=0)
    x1: float = Field(ge=0)
    bottom: float = Field(ge=0)
    unit: Literal["pt", "px"]
    dpi: float | None = Field(default=None, gt=0, description="Resolution of the page image when unit is px.")


class ExtractedField(Frozen):
    name: str
    value: str
    confidence: float = Field(ge=0, le=1)
    document: Sha256
    page: int = Field(ge=1)
    method: Literal["form_field", "text_layer", "ocr"]
    box: Box | None = Field(default=None, description="Where the value is printed on its page, when known.")


class LineItem(Frozen):
    """One row of a repair estimate, invoice or medical bill."""

    description: str
    amount: Decimal = Field(description="The row's amount as printed, in the document's currency.")
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    page: int = Field(ge=1)
    box: Box | None = None


class DocumentSummary(Frozen):
    sha256: Sha256
    filename: str
    doc_type: str = Field(
        description="loss_notice, police_report, repair_estimate, medical_bill, invoice, photo, other"
    )
    kind: str | None = Field(
        default=None,
        description=(
            "What the document is, finer than its type: garage_quote, contractor_estimate, receipt, crash_report, "
            "fnol_letter, total_loss_valuation, fire_report, ..."
        ),
    )
    pages: int = Field(ge=0)
    error: str | None = Field(default=None, description="Why the document could not be read, if it could not.")
    line_items: list[LineItem] = Field(
        default_factory=list, description="Rows of an estimate, invoice or bill, in printed order."
    )


class Finding(Frozen):
    """A disagreement or gap an experienced handler would point out."""

    code: str = Field(pattern=r"^[a-z_]+$")
    message: str


class Extraction(Frozen):
    documents: list[DocumentSummary]
    fields: list[ExtractedField]
    findings: list[Finding]
    missing_documents: list[str] = Field(description="Document types a claim of this kind still lacks.")

    @property
    def complete(self) -> bool:
        return not self.missing_documents


class ModelRef(Frozen):
    name: str
    version: str
    alias: str
    arm: Literal["champion", "challenger"] = Field(
        default="champion", description="The A/B arm: which of the two models decided (or, in a shadow, scored)."
    )


class ReasonCode(Frozen):
    code: str
    message: str = Field(description="Plain-language reason an adjuster understands.")
    contribution: float = Field(description="Signed contribution to the score (log-odds for fraud).")


class FraudScore(Frozen):
    probability: float = Field(ge=0, le=1)
    model: ModelRef
    reasons: list[ReasonCode]
    shadow: FraudScore | None = Field(
        default=None, description="What the other arm (A/B) scored for this claim: kept for comparison, never routes."
    )


class Market(Frozen):
    """Whose claims a model learnt from: one line of business in one country, amounts in one currency."""

    line_of_business: LineOfBusiness
    country: Country
    currency: Currency


class SeverityEstimate(Frozen):
    expected_cost: float | None = Field(
        ge=0, description="Expected claim cost; None when no model covers the claim's line, country or currency."
    )
    upper_quantile: float | None = Field(ge=0)
    quantile: float = Field(gt=0, lt=1)
    currency: Currency = Field(default="EUR", description="Of expected_cost and upper_quantile.")
    model: ModelRef | None
    market: Market | None = Field(
        default=None,
        description="The claims the model learnt from: it estimates claims of that line, country and "
        "currency only. None on an estimate made before models named their market.",
    )
    note: str | None = Field(default=None, description="Why there are no figures, when there are none.")
    shadow: SeverityEstimate | None = Field(
        default=None, description="What the other arm (A/B) estimated for this claim: for comparison, never routes."
    )


class PerilAssessment(Frozen):
    """The cause of loss the peril model reads in the loss description, beside the cause the reporter stated."""

    peril: str | None = Field(
        description="vandalism, fire, lightning, wind, hail, vehicle, water_non_weather, "
        "water_weather or other; None when no model covers the line."
    )
    probability: float | None = Field(ge=0, le=1, description="The model's probability of that peril.")
    model: ModelRef | None
    note: str | None = None


class Route(StrEnum):
    STRAIGHT_THROUGH = "straight_through"
    ADJUSTER = "adjuster"


Recommendation = Literal["approve", "deny", "refer", "request_documents"]


class RoutingDecision(Frozen):
    route: Route
    desk: str | None
    priority: int = Field(ge=1, le=5, description="1 is most urgent.")
    reasons: list[str]
    policy_version: str
    decided_at: AwareDatetime
    sla_due_at: AwareDatetime | None = Field(
        default=None,
        description="When the desk must have decided the claim: intake's acceptance plus the policy's "
        "hours for the desk and priority. None for straight-through.",
    )
    payable_amount: Decimal | None = Field(
        default=None,
        ge=0,
        decimal_places=2,
        description="Straight-through: the amount paid, in the policy's currency (the documented amount, else the "
        "expected cost, no more than claimed, less the deductible, capped at the sum insured).",
    )
    recommendation: Recommendation | None = Field(
        default=None,
        description="Adjuster desk: what the policy advises the adjuster to decide (the most cautious outcome any "
        "matched rule recommends). None on a decision made before policies recommended.",
    )
    proposed_amount: Decimal | None = Field(
        default=None,
        ge=0,
        decimal_places=2,
        description="Adjuster desk: what the policy would pay, reached as payable_amount is; None without a cost.",
    )
    amount_basis: str | None = Field(
        default=None, description="How payable_amount or proposed_amount was reached, in a claims handler's words."
    )


class ClaimCase(Frozen):
    """The envelope on every claims.* topic, keyed by claim_id."""

    event_id: uuid.UUID
    claim_id: str
    schema_version: Literal["1"] = SCHEMA_VERSION
    occurred_at: AwareDatetime = Field(description="When this version of the case was produced.")
    accepted_at: AwareDatetime = Field(description="When intake accepted the FNOL.")
    fnol: FNOL
    extraction: Extraction | None = None
    fraud: FraudScore | None = None
    links: ClaimLinks | None = None
    severity: SeverityEstimate | None = None
    peril: PerilAssessment | None = None
    decision: RoutingDecision | None = None
    trace: list[StageStamp] = Field(default_factory=list)

    def to_json(self) -> str:
        """The JSON of model_dump_json, its sections (the FNOL, each stage's) each serialised once for all the
        stages that pass them on unchanged, not again at every stage."""
        return self.to_json_placed()[0]

    def to_json_placed(self) -> tuple[str, str]:
        """`to_json`, and where each section's JSON lies in its UTF-8 bytes (`name:start:end,…`, the
        SECTIONS_HEADER): a reader in another process takes those bytes as the section's JSON instead of
        serialising the section again when it passes it on unchanged (`from_json`)."""
        sections = {name: value for name in type(self).model_fields if isinstance(value := getattr(self, name), Frozen)}
        head = self.model_dump_json(exclude=set(sections))
        parts, places = [head[:-1]], []
        at = _utf8_length(parts[0])
        for name, section in sections.items():
            text = section.cached_json()
            parts.append(f',"{name}":{text}')
            start = at + len(name) + 4  # after ,"name":
            at = start + _utf8_length(text)
            places.append(f"{name}:{start}:{at}")
        parts.append("}")  # joined once: the case's JSON is copied once, not again to close it
        return "".join(parts), ",".join(places)

    @classmethod
    def from_json(cls, data: bytes, places: bytes | None = None) -> ClaimCase:
        """model_validate_json; with the writer's SECTIONS_HEADER, each section keeps the bytes it was read from
        as its JSON. A place that does not lie right after its own key is ignored: that section is serialised."""
        case = cls.model_validate_json(data)
        for place in places.decode("ascii", "replace").split(",") if places else ():
            name, start, end = _place(place)
            section = getattr(case, name, None) if name in cls.model_fields else None
            if isinstance(section, Frozen) and _lies_at(data, name, start, end):
                section.keep_json(data[start:end].decode())
        return case

    def stamped(self, stage: str, started_at: datetime, finished_at: datetime) -> ClaimCase:
        """This case as `stage` publishes it: a new event id and the stage's stamp on the trace."""
        event_id = uuid.uuid5(self.event_id, stage)  # deterministic, so a replayed stage emits the same id
        stamp = StageStamp(stage=stage, started_at=started_at, finished_at=finished_at)
        return self.model_copy(update={"event_id": event_id, "occurred_at": finished_at, "trace": [*self.trace, stamp]})
