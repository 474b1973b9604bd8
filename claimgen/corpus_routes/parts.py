"""The labelled entries most claim documents share: the policy, the claimant, the vehicles, the
other party, the police, the agent, a witness; and the lines at the foot of a page."""

from __future__ import annotations

import random

from claimgen.corpus_routes.claim import Business, Claim, Person, Vehicle
from claimgen.corpus_routes.labels import HEADINGS
from claimgen.corpus_routes.sheet import Entry, Section
from claimgen.corpus_routes.style import Style


def entry(style: Style, key: str, value: str, field: str | None = None, truth: object = None) -> Entry:
    """A labelled value; with `field`, the document states that field (as printed unless `truth`)."""
    stated = ((field, value if truth is None else truth),) if field else ()
    return Entry(style.label(key), value, stated)


def heading(style: Style, key: str) -> str:
    return HEADINGS[style.lang][key]


def policy_entries(style: Style, claim: Claim, *, with_claim: bool = True) -> tuple[Entry, ...]:
    entries = [entry(style, "policy_number", claim.policy_number, "policy_number")]
    if with_claim:
        entries.append(entry(style, "claim_number", claim.claim_number, "claim_number"))
    return tuple(entries)


def claimant_entries(
    style: Style, person: Person, *, with_email: bool = True, key: str = "claimant_name"
) -> tuple[Entry, ...]:
    entries = [
        entry(style, key, person.name, "claimant_name"),
        entry(style, "home_address", person.address),
        entry(style, "phone", person.phone, "claimant_phone"),
    ]
    if with_email:
        entries.append(entry(style, "email", person.email, "claimant_email"))
    return tuple(entries)


def vehicle_entries(style: Style, vehicle: Vehicle, *, insured: bool = True) -> tuple[Entry, ...]:
    """A vehicle's particulars; only the insured's vehicle is stated in the truth."""

    def stated(name: str) -> str | None:
        return name if insured else None

    return (
        entry(style, "vehicle_year", str(vehicle.year), stated("vehicle_year"), vehicle.year),
        entry(style, "vehicle_make", vehicle.make, stated("vehicle_make")),
        entry(style, "vehicle_model", vehicle.model, stated("vehicle_model")),
        entry(style, "vehicle_vin", vehicle.vin, stated("vehicle_vin")),
        entry(style, "vehicle_plate", vehicle.plate, stated("vehicle_plate")),
    )


def loss_entries(style: Style, claim: Claim, *, with_time: bool = True, hint: bool = False) -> tuple[Entry, ...]:
    """The date, time, place and account of the loss; `hint` spells the date format out in the label."""
    day = entry(style, "loss_date", style.date(claim.loss_at.date()), "loss_date", claim.loss_at.date().isoformat())
    if hint and style.date_hint:
        day = Entry(f"{day.label} ({style.date_hint})", day.value, day.truth)
    entries = [day]
    if with_time:
        entries.append(
            entry(style, "loss_time", style.time(claim.loss_at.time()), "loss_time", claim.loss_at.strftime("%H:%M"))
        )
    entries += [
        entry(style, "loss_address", claim.loss_address, "loss_address"),
        entry(
            style,
            "description",
            claim.incident.account[style.lang],
            "loss_description",
            claim.incident.summary[style.lang],
        ),
    ]
    return tuple(entries)


def injuries_entry(style: Style, claim: Claim) -> Entry:
    return entry(style, "injuries", style.yes_no(claim.injuries), "injuries", claim.injuries)


def police_entries(style: Style, claim: Claim) -> tuple[Entry, ...]:
    if claim.police is None:
        return ()
    authority, number = claim.police
    return (
        entry(style, "police_authority", authority, "police_authority"),
        entry(style, "police_report_number", number, "police_report_number"),
    )


def other_party_section(style: Style, claim: Claim, *, with_vehicle: bool = True) -> Section | None:
    """The other party: name, own phone and address, insurer, policy, and their vehicle (not stated)."""
    if claim.other is None:
        return None
    other = claim.other
    entries: tuple[Entry, ...] = (
        entry(style, "other_name", other.person.name, "other_party_name"),
        entry(style, "home_address", other.person.address),
        entry(style, "phone", other.person.phone),
        entry(style, "other_insurer", other.insurer, "other_party_insurer"),
        entry(style, "other_policy", other.policy_number, "other_party_policy_number"),
    )
    if with_vehicle:
        entries += vehicle_entries(style, other.vehicle, insured=False)
    return Section(heading(style, "other"), entries)


def business_entries(style: Style, business: Business, key: str) -> tuple[Entry, ...]:
    """An agent, shop or contractor with its own phone, e-mail and address: never the claimant's."""
    return (
        entry(style, key, business.name),
        entry(style, "home_address", business.address),
        entry(style, "phone", business.phone),
        entry(style, "email", business.email),
    )


def witness_entries(style: Style, witness: Person) -> tuple[Entry, ...]:
    return (entry(style, "witness", witness.name), entry(style, "phone", witness.phone))


def letterhead(business: Business, *extra: str) -> tuple[str, ...]:
    return (business.name, business.address, f"Tel. {business.phone}", business.email, *extra)


def footer(rng: random.Random, style: Style, owner: str) -> tuple[str, ...]:
    """Lines at the foot of a page that look like values and are none: a form number, a copyright."""
    form = (
        f"Form {rng.choice(('CL', 'FN', 'A', 'SR'))}-{rng.randrange(100, 9999)} "
        f"(rev. {rng.randrange(1, 13):02d}/{rng.randrange(2015, 2023)})"
    )
    copyright_line = {
        "en": f"© {rng.randrange(2016, 2024)} {owner}. All rights reserved.",
        "fr": f"© {rng.randrange(2016, 2024)} {owner}. Tous droits réservés.",
        "de": f"© {rng.randrange(2016, 2024)} {owner}. Alle Rechte vorbehalten.",
    }[style.lang]
    return rng.choice(((form, copyright_line), (copyright_line,), (form,)))
