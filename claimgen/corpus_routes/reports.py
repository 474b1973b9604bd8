"""Reports by others: a police or state crash report, a fire crew's incident report, an
appraiser's total-loss valuation with comparable vehicles (each with its own VIN)."""

from __future__ import annotations

import random
from datetime import timedelta

from claimgen.corpus_routes.claim import Claim, Person, reference
from claimgen.corpus_routes.countries import Country
from claimgen.corpus_routes.parts import entry, footer, heading, injuries_entry, vehicle_entries, witness_entries
from claimgen.corpus_routes.sheet import Block, Document, Entry, Items, Prose, Section
from claimgen.corpus_routes.style import Style
from claimgen.corpus_routes.vin import make_vin

_OFFICER = {
    "en": ("Reporting Officer", "Badge"),
    "fr": ("Agent rédacteur", "Matricule"),
    "de": ("Sachbearbeiter/in", "Dienstnummer"),
}
_CONDITIONS = {
    "en": (("Weather", "Clear"), ("Road Surface", "Dry"), ("Light", "Daylight")),
    "fr": (("Météo", "Pluie"), ("Chaussée", "Mouillée"), ("Luminosité", "Jour")),
    "de": (("Witterung", "bewölkt"), ("Fahrbahn", "trocken"), ("Licht", "Tageslicht")),
}


def _unit(
    style: Style, person: Person, insurer: str, policy: str, vehicle: tuple[Entry, ...], *, insured: bool
) -> tuple[Entry, ...]:
    """One driver's block: the insured's states the claimant, the other's states the other party."""
    fields = (
        ("claimant_name", "claimant_phone", None, "policy_number")
        if insured
        else ("other_party_name", None, "other_party_insurer", "other_party_policy_number")
    )
    name_field, phone_field, insurer_field, policy_field = fields
    return (
        entry(style, "driver", person.name, name_field),
        entry(style, "home_address", person.address),
        entry(style, "phone", person.phone, phone_field),
        *vehicle,
        entry(style, "insurer", insurer, insurer_field),
        entry(style, "policy_number", policy, policy_field),
    )


def _officer(rng: random.Random, claim: Claim) -> str:
    """An officer whose surname is nobody else's in the claim."""
    people = [claim.claimant, claim.witness] + ([claim.other.person] if claim.other else [])
    taken = {person.name.split()[-1] for person in people}
    return rng.choice([name for name in claim.country.last_names if name not in taken])


def police_report(rng: random.Random, claim: Claim, style: Style, fine_type: str = "police_report") -> Document:
    """A police collision report (`police_report`) or a state crash report form (`crash_report`)."""
    assert claim.vehicle is not None and claim.other is not None and claim.police is not None
    authority, number = claim.police
    officer, badge = _OFFICER[style.lang]
    written = claim.loss_at + timedelta(hours=rng.randrange(2, 30))
    head: tuple[Entry, ...] = (
        entry(style, "police_report_number", number, "police_report_number"),
        entry(style, "police_authority", authority, "police_authority"),
        entry(style, "loss_date", style.date(claim.loss_at.date()), "loss_date", claim.loss_at.date().isoformat()),
        entry(style, "loss_time", style.time(claim.loss_at.time()), "loss_time", claim.loss_at.strftime("%H:%M")),
        entry(style, "loss_address", claim.loss_address, "loss_address"),
    )
    if fine_type == "crash_report":
        head += tuple(Entry(label, value) for label, value in _CONDITIONS[style.lang])
    unit1 = _unit(
        style, claim.claimant, claim.insurer, claim.policy_number, vehicle_entries(style, claim.vehicle), insured=True
    )
    other = claim.other
    unit2 = _unit(
        style,
        other.person,
        other.insurer,
        other.policy_number,
        vehicle_entries(style, other.vehicle, insured=False),
        insured=False,
    )
    blocks: tuple[Block, ...] = (
        Section("", head),
        Section(heading(style, "unit1"), unit1),
        Section(heading(style, "unit2"), unit2),
        Section(heading(style, "witness"), (*witness_entries(style, claim.witness), injuries_entry(style, claim))),
        Prose(
            heading(style, "narrative"),
            (claim.incident.report[style.lang],),
            (("loss_description", claim.incident.summary[style.lang]),),
        ),
        Section(
            "",
            (
                Entry(officer, _officer(rng, claim)),
                Entry(badge, str(rng.randrange(1000, 99999))),
                entry(style, "date", f"{style.date(written.date())} {style.time(written.time())}"),
            ),
        ),
    )
    return Document(fine_type, style.lang, style.title(fine_type), (authority,), blocks, footer(rng, style, authority))


def _fire_service(country: Country, city: str) -> str:
    return {
        "en": f"{city} Fire Department",
        "fr": f"Service départemental d'incendie et de secours — {city}",
        "de": f"Berufsfeuerwehr {city}",
    }[country.lang]


def fire_report(rng: random.Random, claim: Claim, style: Style) -> Document:
    """A fire crew's incident report on the insured's home."""
    city = rng.choice(claim.country.cities)[0]
    arrived = claim.loss_at + timedelta(minutes=rng.randrange(6, 19))
    words = {
        "en": ("Incident No.", "Arrival Time", "Incident Type", "Units", "Estimated property loss"),
        "fr": ("N° d'intervention", "Heure d'arrivée", "Nature", "Engins", "Estimation des pertes"),
        "de": ("Einsatznummer", "Eintreffzeit", "Einsatzart", "Fahrzeuge", "Geschätzter Sachschaden"),
    }[style.lang]
    label_time = {"en": "Time of Incident", "fr": "Heure de l'alerte", "de": "Alarmierungszeit"}[style.lang]
    incident = Section(
        heading(style, "incident"),
        (
            Entry(words[0], reference(rng, "F##-######")),
            entry(style, "loss_date", style.date(claim.loss_at.date()), "loss_date", claim.loss_at.date().isoformat()),
            Entry(label_time, style.time(claim.loss_at.time()), (("loss_time", claim.loss_at.strftime("%H:%M")),)),
            Entry(words[1], style.time(arrived.time())),
            entry(style, "loss_address", claim.loss_address, "loss_address"),
            entry(style, "owner", claim.claimant.name, "claimant_name"),
            Entry(words[2], claim.incident.summary[style.lang].split(";")[0]),
        ),
    )
    response = Section(
        heading(style, "response"),
        (
            Entry(words[3], ", ".join(f"{kind} {rng.randrange(1, 60)}" for kind in ("E", "E", "L", "BC"))),
            Entry(words[4], style.money(claim.estimated_damage * rng.uniform(0.5, 0.9))),
        ),
    )
    narrative = Prose(
        heading(style, "narrative"),
        (claim.incident.report[style.lang],),
        (("loss_description", claim.incident.summary[style.lang]),),
    )
    service = _fire_service(claim.country, city)
    return Document(
        "fire_report",
        style.lang,
        style.title("fire_report"),
        (service,),
        (incident, narrative, response),
        footer(rng, style, service),
    )


def _comparables(rng: random.Random, claim: Claim, style: Style) -> tuple[Items, float]:
    assert claim.vehicle is not None
    vehicle, prices = claim.vehicle, []
    rows = []
    for _ in range(3):
        year = vehicle.year + rng.choice((-1, 0, 0, 1))
        wmi = vehicle.vin[:3]
        price = round(rng.uniform(6_000, 24_000) * claim.country.usd_rate, -1)
        prices.append(price)
        rows.append(
            (
                f"{year} {vehicle.make} {vehicle.model}",
                make_vin(rng, wmi, year),
                f"{rng.randrange(20, 140)}{rng.randrange(100, 999)}",
                style.money(price),
            )
        )
    columns = {
        "en": ("Vehicle", "VIN", "Mileage", "Asking price"),
        "fr": ("Véhicule", "VIN", "Km", "Prix"),
        "de": ("Fahrzeug", "FIN", "km", "Angebotspreis"),
    }[style.lang]
    base = round(sum(prices) / len(prices), 2)
    return Items(heading(style, "comparables"), columns, tuple(rows), ()), base


def total_loss_valuation(rng: random.Random, claim: Claim, style: Style) -> Document:
    """An appraiser's valuation of the insured's written-off vehicle against comparable vehicles."""
    assert claim.vehicle is not None
    comparables, base = _comparables(rng, claim, style)
    words = {
        "en": ("Base value", "Condition adjustment", "Actual cash value"),
        "fr": ("Valeur de base", "Abattement état", "Valeur de remplacement"),
        "de": ("Grundwert", "Zustandsabschlag", "Wiederbeschaffungswert"),
    }[style.lang]
    adjustment = round(base * rng.uniform(0.03, 0.09), 2)
    valuation = Section(
        heading(style, "valuation"),
        (
            Entry(words[0], style.money(base)),
            Entry(words[1], "-" + style.money(adjustment)),
            Entry(words[2], style.money(base - adjustment)),
        ),
    )
    head = Section(
        "",
        (
            entry(style, "claim_number", claim.claim_number, "claim_number"),
            entry(style, "policy_number", claim.policy_number, "policy_number"),
            entry(style, "loss_date", style.date(claim.loss_at.date()), "loss_date", claim.loss_at.date().isoformat()),
            entry(style, "owner", claim.claimant.name, "claimant_name"),
            entry(style, "date", style.date((claim.loss_at + timedelta(days=12)).date())),
        ),
    )
    vehicle = Section(heading(style, "vehicle"), vehicle_entries(style, claim.vehicle))
    appraiser = {
        "en": "Keystone Vehicle Appraisals",
        "fr": "Cabinet d'expertise Delmas",
        "de": "Sachverständigenbüro Roth",
    }[style.lang]
    return Document(
        "total_loss_valuation",
        style.lang,
        style.title("total_loss_valuation"),
        (appraiser, claim.agency.address),
        (head, vehicle, comparables, valuation),
        footer(rng, style, appraiser),
    )
