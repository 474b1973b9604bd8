"""Realistic FNOLs for demos, tests and load: shaped like the motor book in ../shared/data.

Marginals follow the vehicle-claim-fraud data (makes, fault, coverage, deductibles, police
reports, witnesses, supplements) and freMTPL2 (power, bonus-malus, density); a small share of
claims carries the classic red flags together (a policy incepted days before the loss, an
address change, no police report, a document that disagrees with the notice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from services.core.events import (
    FNOL,
    Address,
    AreaType,
    Coverage,
    Fault,
    Injury,
    InsuredProperty,
    LineOfBusiness,
    Loss,
    MaritalStatus,
    Party,
    Person,
    PoliceReport,
    Policy,
    Sex,
    Vehicle,
    VehicleCategory,
)

MAKES = {
    "Pontiac": 0.25,
    "Toyota": 0.20,
    "Honda": 0.18,
    "Mazda": 0.15,
    "Chevrolet": 0.11,
    "Accura": 0.03,
    "Ford": 0.03,
    "VW": 0.02,
    "Dodge": 0.01,
    "Saab": 0.01,
    "Mercury": 0.005,
    "Saturn": 0.005,
}
MODELS = {
    "Pontiac": "Grand Am",
    "Toyota": "Camry",
    "Honda": "Civic",
    "Mazda": "626",
    "Chevrolet": "Malibu",
    "Accura": "Integra",
    "Ford": "Focus",
    "VW": "Golf",
    "Dodge": "Neon",
    "Saab": "9-3",
    "Mercury": "Sable",
    "Saturn": "Ion",
}
CITIES = [
    ("Springfield", "IL", "62701"),
    ("Columbus", "OH", "43004"),
    ("Arlington", "VA", "22201"),
    ("Riverside", "CA", "92501"),
    ("Madison", "WI", "53703"),
    ("Hillsboro", "OR", "97123"),
]
AREA_CODES = {"IL": "217", "OH": "614", "VA": "703", "CA": "951", "WI": "608", "OR": "503"}


def words(text: str) -> tuple[str, ...]:
    """The words of a text: lists of names and places written as prose, not one string a line."""
    return tuple(text.split())


# Street names of a book's addresses (a suffix is added by whoever writes one).
STREETS = words(
    "Main Oak Maple Cedar Pine Elm Washington Lake Hill Park View Sunset Church Mill River Spring Ridge "
    "Forest Meadow Highland Jefferson Lincoln Madison Franklin Walnut Willow Chestnut Birch Cherry "
    "Dogwood Hickory Magnolia Poplar Sycamore Aspen Laurel Orchard Valley Harbor Bay Canyon Prairie "
    "Summit Jackson Adams"
)
STREET_SUFFIXES = ("St", "Ave", "Rd", "Dr")
PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O or Q: they read as 1 and 0

# Enough names that namesakes are as rare as in a book (a name then matches a handful of people, not hundreds).
FIRST = words(
    "Maria James Linda Robert Patricia Michael Jennifer David Elena Samuel Aisha Omar Chloe Lucas Emma "
    "Noah Olivia Liam Sophia Mason Ava Ethan Mia Logan Isabella Jacob Amelia Daniel Harper Henry Evelyn "
    "Owen Abigail Wyatt Emily"
)
LAST = words(
    "Garcia Smith Johnson Nguyen Brown Miller Davis Lopez Wilson Moore Taylor Anderson Thomas Jackson "
    "White Harris Martin Thompson Martinez Robinson Clark Rodriguez Lewis Lee Walker Hall Allen Young "
    "Hernandez King Wright Hill Scott Green Adams Baker Gonzalez Nelson Carter Mitchell Perez Roberts "
    "Turner Phillips Campbell Parker Evans"
)
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
VIN_VALUES = (
    dict(zip("ABCDEFGH", range(1, 9), strict=True))
    | dict(zip("JKLMNPR", [1, 2, 3, 4, 5, 7, 9], strict=True))
    | dict(zip("STUVWXYZ", range(2, 10), strict=True))
)
VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def policy_currency(country: str) -> str:
    """The currency of a policy written where the loss happened: the one its documents print (claimgen.documents)."""
    return "USD" if country == "US" else "EUR"


@dataclass(frozen=True)
class GeneratedClaim:
    """An FNOL and the facts the document renderer needs to tell the same (or a different) story."""

    fnol: FNOL
    red_flags: bool
    repair_items: tuple[tuple[str, float], ...]


def vin_with_check_digit(rng: np.random.Generator) -> str:
    """A 17-character VIN whose 9th character is the ISO 3779 check digit."""
    chars = [VIN_CHARS[i] for i in rng.integers(0, len(VIN_CHARS), 17)]
    total = sum((int(c) if c.isdigit() else VIN_VALUES[c]) * w for c, w in zip(chars, VIN_WEIGHTS, strict=True))
    chars[8] = "X" if total % 11 == 10 else str(total % 11)
    return "".join(chars)


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array(list(weights.values()))
    return str(keys[rng.choice(len(keys), p=p / p.sum())])


def _person(rng: np.random.Generator, loss_day: date, city: tuple[str, str, str], red: bool) -> Person:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    age = int(np.clip(rng.normal(40, 12), 18, 85))
    moved = loss_day - timedelta(days=int(rng.integers(5, 60))) if red and rng.random() < 0.5 else None
    born = loss_day - timedelta(days=365 * age + int(rng.integers(0, 365)))
    return Person(
        name=name,
        date_of_birth=born,
        sex=Sex.MALE if rng.random() < 0.84 else Sex.FEMALE,
        marital_status=MaritalStatus.MARRIED if rng.random() < 0.69 else MaritalStatus.SINGLE,
        # Namesakes have addresses of their own; the birth date tells them apart without another draw.
        email=f"{name.lower().replace(' ', '.')}{born:%d%m%y}@example.com",
        # Drawn from spaces as large as a real book's: two honest claimants rarely share a number or a door.
        phone=_phone(rng, city[1]),
        address=Address(street=_street(rng), city=city[0], region=city[1], postcode=city[2]),
        address_changed_on=moved,
    )


def _plate(rng: np.random.Generator) -> str:
    """Three letters and four digits (`KPR-0417`): 120 million plates, so two cars rarely share one by chance."""
    drawn = int(rng.integers(0, 23**3 * 10_000))
    letters = "".join(PLATE_LETTERS[drawn // 10_000 // 23**i % 23] for i in range(3))
    return f"{letters}-{drawn % 10_000:04d}"


def _phone(rng: np.random.Generator, state: str) -> str:
    number = int(rng.integers(2_000_000, 10_000_000))  # an exchange 200-999 and a line, as NANP numbers are
    return f"+1-{AREA_CODES[state]}-{number // 10_000}-{number % 10_000:04d}"


def _street(rng: np.random.Generator) -> str:
    drawn = int(rng.integers(0, 9990 * len(STREETS) * len(STREET_SUFFIXES)))
    number, name = 10 + drawn % 9990, STREETS[drawn // 9990 % len(STREETS)]
    return f"{number} {name} {STREET_SUFFIXES[drawn // 9990 // len(STREETS)]}"


def _policy(
    rng: np.random.Generator, number: str, loss_day: date, red: bool, vehicle_value: float, country: str
) -> Policy:
    days_before = int(rng.integers(2, 25)) if red else int(rng.integers(45, 3000))
    coverage = Coverage(
        _pick(
            rng,
            {"collision": 0.39, "liability": 0.32, "all_perils": 0.29}
            if not red
            else {"all_perils": 0.6, "collision": 0.4},
        )
    )
    return Policy(
        policy_number=number,
        inception_date=loss_day - timedelta(days=days_before),
        expiry_date=loss_day - timedelta(days=days_before) + timedelta(days=365 * (1 + days_before // 365)),
        coverage=coverage,
        deductible=float(rng.choice([300, 400, 400, 400, 500, 700])),
        sum_insured=round(vehicle_value * 1.1, -2),
        currency=policy_currency(country),
        premium=round(float(rng.uniform(500, 1800)), 2),
        prior_claims=int(rng.choice([0, 1, 2, 4], p=[0.28, 0.23, 0.36, 0.13])),
        vehicles_insured=int(rng.choice([1, 2, 3], p=[0.93, 0.05, 0.02])),
        agent_type="external" if rng.random() < 0.98 else "internal",
        driver_rating=int(rng.integers(1, 5)),
        bonus_malus=int(np.clip(rng.normal(60, 15), 50, 230)),
        area_code=str(rng.choice(list("ABCDEF"))),
        population_density=int(rng.lognormal(6.5, 1.8)) % 27000,
        region="Centre",
    )


def generate_claim(rng: np.random.Generator, index: int, now: datetime, *, id_prefix: str = "CLM") -> GeneratedClaim:
    """One motor or property claim reported within the last hours before `now`."""
    red = bool(rng.random() < 0.08)
    reported = now - timedelta(minutes=int(rng.integers(1, 600)))
    occurred = reported - timedelta(hours=int(rng.integers(2, 24 * (20 if red else 6))))
    city = CITIES[int(rng.integers(0, len(CITIES)))]
    place = Address(street=f"{rng.integers(1, 400)} Oak Ave", city=city[0], region=city[1], postcode=city[2])
    claimant = _person(rng, occurred.date(), city, red)
    make = _pick(rng, MAKES)
    value = float(np.clip(rng.lognormal(10.1, 0.35), 8000, 90000))
    vehicle = Vehicle(
        vin=vin_with_check_digit(rng),
        make=make,
        model=MODELS[make],
        year=occurred.year - int(rng.choice([1, 3, 5, 7, 9], p=[0.05, 0.15, 0.25, 0.35, 0.2])),
        plate=_plate(rng),
        category=VehicleCategory(_pick(rng, {"sedan": 0.63, "sport": 0.35, "utility": 0.02})),
        value=round(value, -2),
        power=int(rng.integers(4, 12)),
        fuel="diesel" if rng.random() < 0.5 else "regular",
    )
    fault = Fault.POLICY_HOLDER if rng.random() < 0.72 else Fault.THIRD_PARTY
    police = (
        PoliceReport(filed=True, report_number=f"PR-{rng.integers(100000, 999999)}", authority="City Police")
        if (not red and rng.random() < 0.12)
        else PoliceReport(filed=False)
    )
    injuries = (
        [
            Injury(
                person=claimant.name,
                severity=str(rng.choice(["minor", "moderate", "serious"])),
                description="Neck and back pain after the impact",
            )
        ]
        if rng.random() < 0.05
        else []
    )
    parts = [
        ("Front bumper cover", 420.0),
        ("Headlamp assembly", 310.0),
        ("Hood panel", 650.0),
        ("Paint and materials", 380.0),
        ("Labour 6.5 h", 487.5),
        ("Radiator support", 540.0),
    ]
    chosen = [parts[i] for i in sorted(rng.choice(len(parts), size=int(rng.integers(2, 6)), replace=False))]
    items = tuple((name, round(cost * float(rng.uniform(0.7, 2.5 if red else 1.4)), 2)) for name, cost in chosen)
    is_property = rng.random() < 0.05
    lob = LineOfBusiness.PROPERTY if is_property else LineOfBusiness.MOTOR
    fnol = FNOL(
        claim_id=f"{id_prefix}-{occurred:%Y%m%d}-{index:06d}",
        line_of_business=lob,
        policy=_policy(rng, f"POL-{rng.integers(1000000, 9999999)}", occurred.date(), red, value, place.country),
        loss=Loss(
            occurred_at=occurred,
            reported_at=reported,
            place=place,
            area_type=AreaType.URBAN if rng.random() < 0.9 else AreaType.RURAL,
            description=_description(rng, lob, fault),
            cause="fire" if is_property else "collision",
            fault=fault,
            police_report=police,
            witness_present=bool(not red and rng.random() < 0.01),
            claimed_amount=round(sum(cost for _, cost in items), 2),
        ),
        claimant=claimant,
        vehicle=None if is_property else vehicle,
        insured_property=InsuredProperty(address=place, kind="building") if is_property else None,
        other_parties=[
            Party(name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", role="other_driver", insurer="Acme Mutual")
        ]
        if fault is Fault.THIRD_PARTY
        else [],
        injuries=injuries,
        supplements=int(rng.integers(3, 6)) if red else int(rng.choice([0, 0, 0, 1, 2])),
    )
    return GeneratedClaim(fnol=fnol, red_flags=red, repair_items=items)


def _description(rng: np.random.Generator, lob: LineOfBusiness, fault: Fault) -> str:
    if lob is LineOfBusiness.PROPERTY:
        return str(rng.choice(["Kitchen fire damaged cabinets and ceiling", "Fire in storage room, smoke damage"]))
    if fault is Fault.THIRD_PARTY:
        return str(
            rng.choice(
                [
                    "Rear-ended while stopped at a red light",
                    "Other driver ran a stop sign and hit the passenger side",
                    "Hit by a reversing van in a car park",
                ]
            )
        )
    return str(
        rng.choice(
            [
                "Slid on wet road and hit a lamp post",
                "Collided with the car in front in slow traffic",
                "Scraped a concrete pillar while parking",
                "Hit a deer on a rural road at night",
            ]
        )
    )


def generate_claims(
    count: int, seed: int = 7, now: datetime | None = None, *, id_prefix: str = "CLM"
) -> list[GeneratedClaim]:
    """`count` claims, the same for the same seed, `now` and prefix of their claim ids."""
    rng = np.random.default_rng(seed)
    now = now or datetime.now(UTC).replace(microsecond=0)
    return [generate_claim(rng, i, now, id_prefix=id_prefix) for i in range(count)]
