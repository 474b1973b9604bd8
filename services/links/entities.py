"""The entities a claim names: from its FNOL and from the fields docextract read in its documents.

Each mention is normalised (services.links.normalise) before it is matched; a value that does not
normalise (a phone with too few digits, an address without a street) is left out rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from services.core.events import FNOL, Address, Extraction
from services.links import normalise

# Extracted fields read less surely than this are not linked on: a misread digit would link strangers.
MIN_FIELD_CONFIDENCE = 0.8


@dataclass(frozen=True)
class PersonRecord:
    """What the person match model compares: the name, and a date of birth and postcode when known."""

    name: str
    dob: str | None = None
    postcode: str | None = None


@dataclass(frozen=True)
class Mention:
    """One entity as this claim names it: `key` is its normalised value, `display` how a reader sees it."""

    kind: str
    key: str
    display: str
    role: str
    person: PersonRecord | None = None
    address: normalise.PostalAddress | None = None


def _exact(kind: str, key: str | None, role: str, display: str | None = None) -> Iterator[Mention]:
    if key:
        yield Mention(kind, key, display or key, role)


def _address(place: Address | None, role: str) -> Iterator[Mention]:
    if place is None:
        return
    parsed = normalise.address(place.street, place.city, place.postcode, place.country)
    if parsed is not None:
        shown = ", ".join(p for p in (place.street, place.city, place.postcode) if p)
        yield Mention("address", parsed.key, shown, role, address=parsed)


def _person(name: str, role: str, dob: date | None = None, postcode: str | None = None) -> Iterator[Mention]:
    key = normalise.name(name)
    if key:
        record = PersonRecord(key, dob.isoformat() if dob else None, postcode)
        yield Mention("person", key, name, role, person=record)


def _claimant(fnol: FNOL) -> Iterator[Mention]:
    person, country = fnol.claimant, fnol.loss.place.country
    postcode = person.address.postcode if person.address else None
    yield from _person(person.name, "claimant", person.date_of_birth, postcode)
    yield from _exact("phone", normalise.phone(person.phone, country), "claimant", person.phone)
    yield from _exact("email", normalise.email(person.email), "claimant")
    yield from _address(person.address, "claimant")
    account = fnol.bank_account
    if account is not None:
        key = normalise.bank_account(account.iban, account.account_number, account.routing_number)
        yield from _exact("bank_account", key, "claimant")


def fnol_mentions(fnol: FNOL) -> Iterator[Mention]:
    """The claimant, their phone, e-mail, address and account; the other parties; the vehicle and the policy."""
    country = fnol.loss.place.country
    yield from _claimant(fnol)
    yield from _exact("policy", fnol.policy.policy_number.strip().upper(), "policy")
    if fnol.vehicle is not None:
        yield from _exact("vin", normalise.vin(fnol.vehicle.vin), "vehicle")
        yield from _exact("plate", normalise.plate(fnol.vehicle.plate), "vehicle", fnol.vehicle.plate)
    if fnol.insured_property is not None:
        yield from _address(fnol.insured_property.address, "insured_property")
    for party in fnol.other_parties:
        yield from _person(party.name, party.role)
        yield from _exact("phone", normalise.phone(party.phone, country), party.role, party.phone)
        yield from _exact("plate", normalise.plate(party.vehicle_plate), party.role, party.vehicle_plate)
    for injury in fnol.injuries:
        yield from _person(injury.person, "injured")


# Extracted field name -> (entity kind, role); vendor fields are typed by their document below.
_FIELD_KINDS = {
    "claimant_phone": ("phone", "claimant"),
    "claimant_email": ("email", "claimant"),
    "other_party_phone": ("phone", "other_driver"),
    "other_party_vehicle_plate": ("plate", "other_driver"),
    "witness_phone": ("phone", "witness"),
    "vehicle_vin": ("vin", "vehicle"),
    "vehicle_plate": ("plate", "vehicle"),
    "repair_shop_name": ("repair_shop", "repair_shop"),
    "repair_shop_phone": ("phone", "repair_shop"),
    "other_party_name": ("person", "other_driver"),
    "witness_name": ("person", "witness"),
    "injured_name": ("person", "injured"),
}
_VENDOR_KINDS = {"repair_estimate": "repair_shop", "medical_bill": "medical_provider", "invoice": "repair_shop"}


def _field_mention(kind: str, role: str, value: str, country: str) -> Iterator[Mention]:
    if kind == "person":
        yield from _person(value, role)
    elif kind == "phone" and role in ("repair_shop", "medical_provider"):
        # A business's phone is the business: as common as its name, not one person's number.
        number = normalise.phone(value, country)
        yield from _exact(role, f"tel:{number}" if number else None, role, value)
    elif kind == "phone":
        yield from _exact(kind, normalise.phone(value, country), role, value)
    elif kind in ("repair_shop", "medical_provider"):
        yield from _exact(kind, normalise.company(value), role, value)
    else:
        normaliser = {"email": normalise.email, "vin": normalise.vin, "plate": normalise.plate}[kind]
        yield from _exact(kind, normaliser(value), role, value)


def extraction_mentions(extraction: Extraction, country: str) -> Iterator[Mention]:
    """The parties, phones, vehicles, shops and providers docextract read in the claim's documents."""
    doc_types = {d.sha256: d.doc_type for d in extraction.documents}
    for field in extraction.fields:
        if field.confidence < MIN_FIELD_CONFIDENCE:
            continue
        kind_role = _FIELD_KINDS.get(field.name)
        vendor = _VENDOR_KINDS.get(doc_types.get(field.document, ""))
        if vendor is not None and field.name in ("vendor_name", "vendor_phone"):
            kind_role = (vendor if field.name == "vendor_name" else "phone", vendor)
        if kind_role is not None:
            yield from _field_mention(*kind_role, field.value, country)


def mentions(fnol: FNOL, extraction: Extraction | None) -> list[Mention]:
    """Every entity the claim names, once per kind, value and role."""
    found = list(fnol_mentions(fnol))
    if extraction is not None:
        found += extraction_mentions(extraction, fnol.loss.place.country)
    unique = {(m.kind, m.key, m.role): m for m in reversed(found)}  # the FNOL's spelling wins over a document's
    return list(reversed(unique.values()))
