"""A hand-built motor FNOL, claimgen documents for it and a dict-backed document reader.

Helpers are fixtures (not imports) so that test modules never import a `conftest` by name.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from claimgen.documents import loss_notice_pdf, police_report_pdf, repair_estimate_pdf
from services.core.events import (
    FNOL,
    Address,
    ClaimCase,
    DocumentRef,
    Injury,
    Loss,
    Party,
    Person,
    PoliceReport,
    Policy,
    Vehicle,
)
from services.core.runner import Delivery
from services.docextract.content import PageText
from services.docextract.ocr import ScannedPage

CENTRAL = timezone(timedelta(hours=-5))
VIN = "1HGCM82633A004352"  # check digit 3 is right
LINE_ITEMS = [
    ("Rear bumper cover - replace", 612.40),
    ("Trunk lid - repair", 380.00),
    ("Tail lamp assembly L/R", 429.98),
    ("Paint and materials", 540.00),
    ("Labor 9.5 h", 589.00),
]
ESTIMATE_TOTAL = "2551.38"
DELIVERY = Delivery(source="claims.fnol.v1:0:7", received_at=datetime(2024, 3, 15, 15, 0, tzinfo=UTC))


class FakeDocuments:
    """The DocumentReader port over a dict, as the document store would answer."""

    def __init__(self) -> None:
        self.content: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        self.content[digest] = content
        return digest

    def get(self, sha256: str) -> bytes:
        try:
            return self.content[sha256]
        except KeyError as exc:
            raise LookupError(sha256) from exc


def _motor_fnol(**changes: Any) -> FNOL:
    loss = Loss(
        occurred_at=datetime(2024, 3, 14, 14, 35, tzinfo=CENTRAL),
        reported_at=datetime(2024, 3, 15, 9, 0, tzinfo=CENTRAL),
        place=Address(street="1200 W Lake St", city="Springfield", region="IL", postcode="62701"),
        description="Rear-ended at a red light on Lake St. The other driver was looking at a phone and hit the "
        "back of my car. Bumper, trunk lid and tail lights damaged; car still drivable.",
        cause="collision",
        fault="third_party",
        claimed_amount=2600.0,
        police_report=PoliceReport(
            filed=True, report_number="SPD-24-018832", authority="Springfield Police Department"
        ),
    )
    fields: dict[str, Any] = dict(
        claim_id="CLM-2024-000123",
        line_of_business="motor",
        loss=loss,
        policy=Policy(
            policy_number="PA-7781-2203",
            inception_date=date(2023, 6, 1),
            coverage="collision",
            deductible=500,
            sum_insured=25_000,
        ),
        claimant=Person(name="Maria Gonzalez", email="maria.gonzalez@example.com", phone="+1 217 555 0142"),
        vehicle=Vehicle(vin=VIN, make="Honda", model="Accord", year=2019, plate="IL 8XK 442"),
        other_parties=[
            Party(name="Derek Holt", role="other_driver", insurer="Lakeside Mutual", vehicle_plate="IL 3PD 119")
        ],
        injuries=[Injury(person="Maria Gonzalez", severity="minor", description="neck strain")],
    )
    return FNOL(**(fields | changes))


@pytest.fixture
def make_fnol() -> Callable[..., FNOL]:
    """Build the motor FNOL with some top-level fields changed."""
    return _motor_fnol


@pytest.fixture
def fnol() -> FNOL:
    return _motor_fnol()


@pytest.fixture
def delivery() -> Delivery:
    return DELIVERY


@pytest.fixture
def store() -> FakeDocuments:
    return FakeDocuments()


Attach = Callable[[FNOL, Iterable[tuple[str, bytes, str]]], ClaimCase]


@pytest.fixture
def attach(store: FakeDocuments) -> Attach:
    """Store (filename, bytes, media type) documents and return the case whose FNOL refers to them."""

    def attach_documents(fnol: FNOL, documents: Iterable[tuple[str, bytes, str]]) -> ClaimCase:
        refs = [
            DocumentRef(sha256=store.put(content), filename=filename, media_type=media_type, size_bytes=len(content))
            for filename, content, media_type in documents
        ]
        accepted = datetime(2024, 3, 15, 14, 0, tzinfo=UTC)
        return ClaimCase(
            event_id=uuid.UUID(int=1),
            claim_id=fnol.claim_id,
            occurred_at=accepted,
            accepted_at=accepted,
            fnol=fnol.model_copy(update={"documents": refs}),
        )

    return attach_documents


Documents = list[tuple[str, bytes, str]]


def _claim_pdfs(fnol: FNOL, **loss_notice_overrides: str) -> Documents:
    return [
        ("loss-notice.pdf", loss_notice_pdf(fnol, overrides=loss_notice_overrides), "application/pdf"),
        ("police-report.pdf", police_report_pdf(fnol), "application/pdf"),
        ("estimate.pdf", repair_estimate_pdf(fnol, LINE_ITEMS), "application/pdf"),
    ]


@pytest.fixture
def claim_pdfs() -> Callable[..., Documents]:
    """The three documents a motor claim with a police report needs: loss notice, police report, estimate."""
    return _claim_pdfs


class FakeOcr:
    """The PageReader port: every page reads as `text`; records which pages it was asked to read."""

    def __init__(self, text: str = "REPAIR ESTIMATE\nEstimate Total: $1,234.50") -> None:
        self.text = text
        self.pages: list[ScannedPage] = []

    def read_pages(self, pages: Iterable[ScannedPage], *, deadline: float) -> list[PageText]:
        read = []
        for page in pages:
            self.pages.append(page)
            read.append(PageText(number=page.number, text=self.text, method="ocr"))
        return read


@pytest.fixture
def fake_ocr() -> FakeOcr:
    return FakeOcr()
