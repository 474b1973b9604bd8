"""What each claim of a book is planned to be: honest, one of a ring's claims, or part of an honest coincidence.

The shares are fixed here, not fitted to any detector: rings make about 1.5 % of a book, coincidences
about 2.5 % (plus the claims at the three biggest garages and honest repeat claimants).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from claimgen.identities import CITIES, Identity, Population, variant

RING_SHARE = 0.015
# Kinds of ring and their share of ring claims.
RING_KINDS = {"garage": 0.3, "crew": 0.3, "synthetic": 0.2, "hub": 0.2}
EMPLOYERS = 8
EMPLOYER_SHARE = 0.006
FAMILY_SHARE = 0.015


@dataclass(frozen=True)
class Business:
    """A repair shop or a clinic as its documents print it."""

    name: str
    phone: str


@dataclass(frozen=True)
class Plan:
    at: datetime
    claimant: Identity
    other_drivers: list[Identity]
    witnesses: list[Identity]
    shop: Business | None
    clinic: Business | None
    ring: str | None
    coincidence: str | None
    vehicle: tuple[str, str] | None = None


def _business(population: Population, name: str) -> Business:
    return Business(name, population.phone(int(population.rng.integers(0, len(CITIES)))))


def honest_businesses(rng: np.random.Generator, names: list[str]) -> tuple[list[Business], list[Business]]:
    """Repair shops and clinics, the most used first (claims pick them by a Zipf law)."""
    population = Population(rng)
    shops = [_business(population, f"{n} Auto Body") for n in names[:400]]
    clinics = [_business(population, f"{n} Medical Center") for n in names[400:550]]
    return shops, clinics


def _times(rng: np.random.Generator, start: datetime, size: int, span_days: int) -> list[datetime]:
    return sorted(start + timedelta(days=float(d)) for d in rng.uniform(0, span_days, size))


def _ring(population: Population, kind: str, ring_id: str, start: datetime) -> list[Plan]:
    """One ring's claims: who files them, who else appears, and where the car is repaired."""
    rng = population.rng
    crew = [population.identity() for _ in range(4)]
    shop = _business(population, f"{ring_id.upper()} Collision Repair")
    clinic = _business(population, f"{ring_id.upper()} Rehab Clinic")
    size = int(rng.integers(3, 7)) if kind == "synthetic" else int(rng.integers(5, 11))
    base = replace(crew[0], bank=crew[0].bank or population.bank())
    mule = crew[3].bank or population.bank()
    plans = []
    for at in _times(rng, start, size, int(rng.integers(30, 91))):
        claimant, others, witnesses = population.identity(), [crew[0]], [crew[int(rng.integers(1, 4))]]
        ring_shop: Business | None = shop
        ring_clinic: Business | None = None
        if kind == "crew":
            claimant = crew[int(rng.integers(0, 4))] if rng.random() < 0.5 else claimant
            others = [c for c in crew[:2] if c != claimant][:1]
            ring_shop = None
        elif kind == "synthetic":
            claimant = variant(base, rng)
            claimant = replace(claimant, phone=base.phone if rng.random() < 0.7 else population.phone(base.city))
            others, witnesses, ring_shop = [], [], None
        elif kind == "hub":
            claimant = replace(claimant, bank=mule) if rng.random() < 0.5 else claimant
            others, ring_clinic = [], clinic
        plans.append(Plan(at, claimant, others, witnesses, ring_shop, ring_clinic, ring_id, None, population.vehicle()))
    return plans


def rings(population: Population, claims: int, days: int, start: datetime) -> list[Plan]:
    """The ring claims of a book of `claims` claims over `days` days."""
    rng, plans = population.rng, list[Plan]()
    kinds, shares = list(RING_KINDS), np.array(list(RING_KINDS.values()))
    while len(plans) < claims * RING_SHARE:
        kind = str(rng.choice(kinds, p=shares))
        began = start + timedelta(days=float(rng.uniform(0, max(days - 90, 1))))
        plans += _ring(population, kind, f"{kind}-{len(plans)}", began)
    return plans


def coincidences(population: Population, claims: int, days: int, start: datetime) -> list[Plan]:
    """Honest claims that share an employer's address, or a family's phone and address."""
    rng, plans = population.rng, []
    employers = [population.identity() for _ in range(EMPLOYERS)]
    for at in _times(rng, start, int(claims * EMPLOYER_SHARE), days):
        office = employers[int(rng.integers(0, EMPLOYERS))]
        worker = replace(population.identity(city=office.city), number=office.number, street=office.street)
        worker = replace(worker, suffix=office.suffix, postcode=office.postcode)
        plans.append(Plan(at, worker, [], [], None, None, None, "employer_address", population.vehicle()))
    while len(plans) < claims * (EMPLOYER_SHARE + FAMILY_SHARE):
        head = population.identity()
        for at in _times(rng, start, int(rng.integers(2, 5)), days):
            member = replace(population.identity(last=head.last, city=head.city), phone=head.phone)
            member = replace(member, number=head.number, street=head.street, suffix=head.suffix, postcode=head.postcode)
            plans.append(Plan(at, member, [], [], None, None, None, "family", population.vehicle()))
    return plans
