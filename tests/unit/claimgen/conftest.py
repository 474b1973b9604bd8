"""Two hand-built FNOLs, a motor and a property claim, for the document renderers."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from services.core.events import (
    FNOL,
    Address,
    InsuredProperty,
    Loss,
    Party,
    Person,
    PoliceReport,
    Policy,
    Vehicle,
)

EASTERN = timezone(timedelta(hours=-4))


def _loss(**changes: object) -> Loss:
    fields: dict[str, object] = dict(
        occurred_at=datetime(2024, 7, 2, 8, 5, tzinfo=EASTERN),
        reported_at=datetime(2024, 7, 2, 17, 0, tzinfo=EASTERN),
        place=Address(street="88 Harbor Rd", city="Riverside", region="CA", postcode="92501"),
        description="Backed into a bollard leaving the parking garage.",
        cause="collision",
        police_report=PoliceReport(filed=True, report_number="RPD-7731", authority="Riverside Police Department"),
    )
    return Loss(**(fields | changes))


@pytest.fixture
def motor_fnol() -> FNOL:
    return FNOL(
        claim_id="CLM-CG-0001",
        line_of_business="motor",
        loss=_loss(),
        policy=Policy(
            policy_number="AUTO-55-1024",
            inception_date=date(2024, 1, 1),
            coverage="collision",
            deductible=250,
            sum_insured=18_000,
        ),
        claimant=Person(name="Samuel Okafor", phone="+1 951 555 0100", email="s.okafor@example.com"),
        vehicle=Vehicle(vin="1M8GDM9AXKP042788", make="Toyota", model="Camry", year=2021, plate="8ABC123"),
        other_parties=[Party(name="Riverside Garage LLC", role="owner")],
    )


@pytest.fixture
def property_fnol() -> FNOL:
    house = Address(street="12 Elm St", city="Madison", region="WI", postcode="53703")
    return FNOL(
        claim_id="CLM-CG-0002",
        line_of_business="property",
        loss=_loss(
            place=house,
            cause="water",
            police_report=None,
            description="A pipe burst in the basement and flooded the laundry room.",
        ),
        policy=Policy(
            policy_number="HOME-9-77",
            inception_date=date(2020, 5, 1),
            coverage="all_perils",
            deductible=1000,
            sum_insured=350_000,
        ),
        claimant=Person(name="Elena Park"),
        insured_property=InsuredProperty(address=house, kind="building", year_built=1962),
    )
