"""One invented claim: the people, vehicles, places, dates and amounts every document about it
draws on. Seeded: the same seed and country give the same claim."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from claimgen.corpus_routes import countries
from claimgen.corpus_routes.countries import Country
from claimgen.corpus_routes.incidents import MOTOR, PROPERTY, Incident
from claimgen.corpus_routes.vin import make_vin


@dataclass(frozen=True)
class Vehicle:
    year: int
    make: str
    model: str
    vin: str
    plate: str


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class Business:
    name: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class OtherParty:
    person: Person
    insurer: str
    policy_number: str
    vehicle: Vehicle


@dataclass(frozen=True)
class Claim:
    country: Country
    insurer: str
    policy_number: str
    claim_number: str
    loss_at: datetime
    reported_on: date
    claimant: Person
    loss_address: str
    incident: Incident
    vehicle: Vehicle | None
    other: OtherParty | None
    agency: Business
    shop: Business
    witness: Person
    police: tuple[str, str] | None  # authority, report number
    injuries: bool
    estimated_damage: float  # in the country's currency


_POLICY_PATTERNS = {
    "US": "PAU-########",
    "CA": "MS-####-#####",
    "GB": "TH/MTR/#######",
    "IN": "####/MOT/########",
    "DE": "KV-####.###.#",
    "FR": "AUT #### ### ###",
}
_OTHER_POLICY_PATTERNS = {
    "US": "##-A-######",
    "CA": "P-#######-##",
    "GB": "PM########",
    "IN": "OG-##-####-####",
    "DE": "####/######-K",
    "FR": "RC-######-##",
}
_CLAIM_PATTERNS = {
    "US": "CLM-####-#####",
    "CA": "C########",
    "GB": "NG######",
    "IN": "CL/##/######",
    "DE": "SN-##-######",
    "FR": "SIN-####-#####",
}
_SHOPS = {
    "US": ("{last} Collision Center", "{city} Auto Body & Paint"),
    "CA": ("{last} Autobody Ltd.", "{city} Collision Repair"),
    "GB": ("{city} Accident Repair Centre Ltd", "{last} Bodyworks"),
    "IN": ("{last} Motors Pvt. Ltd.", "Speedway Car Care, {city}"),
    "DE": ("Karosseriebau {last} GmbH", "Autohaus {last} KG"),
    "FR": ("Garage {last}", "Carrosserie du Centre"),
}
_CONTRACTORS = {
    "US": "{last} Restoration LLC",
    "CA": "{last} Property Restoration Inc.",
    "GB": "{last} Building & Restoration Ltd",
    "IN": "{last} Infra Services Pvt. Ltd.",
    "DE": "Sanierung {last} GmbH",
    "FR": "{last} Rénovation SARL",
}
_AGENCIES = {
    "US": "{last} Insurance Agency",
    "CA": "{last} Insurance Brokers",
    "GB": "{last} Insurance Brokers Ltd",
    "IN": "{last} Insurance Advisors Pvt. Ltd.",
    "DE": "{last} & Partner Versicherungsmakler",
    "FR": "Cabinet {last} Courtage",
}
_DOMAIN_TLD = {
    "US": "example.com",
    "CA": "example.ca",
    "GB": "example.co.uk",
    "IN": "example.in",
    "DE": "example.de",
    "FR": "example.fr",
}


def reference(rng: random.Random, pattern: str) -> str:
    """A reference number: each '#' becomes a digit."""
    return "".join(rng.choice("0123456789") if char == "#" else char for char in pattern)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", countries.email(name, "x").split("@")[0].replace(".", " ")).strip("-")


def _business(rng: random.Random, country: Country, pattern: str, mailbox: str, taken: set[str]) -> Business:
    city = rng.choice(country.cities)[0]
    surname = rng.choice([name for name in country.last_names if name not in taken] or country.last_names)
    taken.add(surname)
    name = pattern.format(last=surname, city=city)
    domain = f"{_slug(name)[:24].strip('-')}.{_DOMAIN_TLD[country.code]}"
    return Business(name, countries.phone(rng, country), f"{mailbox}@{domain}", countries.street_address(rng, country))


def _person(rng: random.Random, country: Country, taken: set[str]) -> Person:
    name = countries.person_name(rng, country)
    while name.split()[-1] in taken:  # no two people of a claim share a surname
        name = countries.person_name(rng, country)
    taken.add(name.split()[-1])
    domain = rng.choice(("example.com", "example.net", _DOMAIN_TLD[country.code]))
    return Person(
        name, countries.phone(rng, country), countries.email(name, domain), countries.street_address(rng, country)
    )


def _vehicle(rng: random.Random, country: Country) -> Vehicle:
    make, model, wmi = rng.choice(country.vehicles)
    year = rng.randrange(2012, 2025)
    return Vehicle(year, make, model, make_vin(rng, wmi, year), countries.plate(rng, country))


def _loss_moment(rng: random.Random) -> datetime:
    day = date(2024, 1, 3) + timedelta(days=rng.randrange(0, 900))
    return datetime(day.year, day.month, day.day, rng.randrange(0, 24), rng.randrange(0, 60, 5))


def _damage(rng: random.Random, country: Country, line: str) -> float:
    base = rng.uniform(1_200, 9_500) if line == "motor" else rng.uniform(8_000, 160_000)
    return round(base * country.usd_rate, -2 if country.code != "IN" else -3)


def draw_claim(rng: random.Random, country: Country, line: str = "motor", incidents: tuple[str, ...] = ()) -> Claim:
    """A claim in `country`: a road accident (`motor`) or damage to a home (`property`), one of
    `incidents` if given."""
    possible = [
        incident for incident in (MOTOR if line == "motor" else PROPERTY) if not incidents or incident.key in incidents
    ]
    incident = rng.choice(possible)
    taken: set[str] = set()
    claimant = _person(rng, country, taken)
    loss_at = _loss_moment(rng)
    other = None
    if incident.other_party:
        other = OtherParty(
            _person(rng, country, taken),
            rng.choice(country.insurers),
            reference(rng, _OTHER_POLICY_PATTERNS[country.code]),
            _vehicle(rng, country),
        )
    city, region, _ = rng.choice(country.cities)
    police = None
    if line == "motor" or rng.random() < 0.4:
        police = (
            rng.choice(country.police).format(city=city, region=region or city),
            reference(rng, rng.choice(("####-######", "RPT-##-#####", "#########", "CR ##/#####"))),
        )
    return Claim(
        country=country,
        insurer=rng.choice(country.insurers),
        policy_number=reference(rng, _POLICY_PATTERNS[country.code]),
        claim_number=reference(rng, _CLAIM_PATTERNS[country.code]),
        loss_at=loss_at,
        reported_on=loss_at.date() + timedelta(days=rng.randrange(0, 6)),
        claimant=claimant,
        loss_address=countries.intersection(rng, country, city) if line == "motor" else claimant.address,
        incident=incident,
        vehicle=_vehicle(rng, country) if line == "motor" else None,
        other=other,
        agency=_business(rng, country, _AGENCIES[country.code], "service", taken),
        shop=_business(
            rng,
            country,
            rng.choice(_SHOPS[country.code]) if line == "motor" else _CONTRACTORS[country.code],
            rng.choice(("estimates", "office", "info")),
            taken,
        ),
        witness=_person(rng, country, taken),
        police=police,
        injuries=incident.key == "junction" or rng.random() < 0.15,
        estimated_damage=_damage(rng, country, line),
    )
