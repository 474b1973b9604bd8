"""Estimates: a garage's quote or repair estimate for the insured's vehicle, a contractor's
estimate for restoring a home. The shop's own phone, e-mail and address head the page."""

from __future__ import annotations

import random
from datetime import timedelta

from claimgen.corpus_routes import pricelist
from claimgen.corpus_routes.claim import Claim, reference
from claimgen.corpus_routes.itemtable import priced_items
from claimgen.corpus_routes.parts import entry, footer, heading, letterhead, policy_entries, vehicle_entries
from claimgen.corpus_routes.sheet import Block, Document, Entry, Prose, Section
from claimgen.corpus_routes.style import Style

_TERMS = {
    "en": (
        "This quote is valid for 30 days. Hidden damage found once parts are removed will be quoted separately.",
        "Storage charges apply 3 days after the customer is notified that the vehicle is ready.",
    ),
    "fr": (
        "Devis valable 30 jours. Tout dommage caché découvert au démontage fera l'objet d'un avenant.",
        "Frais de gardiennage facturés 3 jours après l'avis de fin de travaux.",
    ),
    "de": (
        "Dieser Kostenvoranschlag ist 30 Tage gültig. Verdeckte Schäden werden gesondert angeboten.",
        "Standgeld wird 3 Tage nach Fertigmeldung berechnet.",
    ),
}
_REFERENCE_LABELS = {
    "en": ("Quote No.", "Estimate #", "Valid until", "Odometer"),
    "fr": ("Devis n°", "Devis n°", "Valable jusqu'au", "Kilométrage"),
    "de": ("Angebots-Nr.", "KVA-Nr.", "Gültig bis", "Kilometerstand"),
}


def _header(rng: random.Random, claim: Claim, style: Style, *, with_loss_date: bool) -> Section:
    quote_label, estimate_label, valid_label, _ = _REFERENCE_LABELS[style.lang]
    issued = claim.reported_on + timedelta(days=rng.randrange(1, 8))
    entries = [
        Entry(rng.choice((quote_label, estimate_label)), reference(rng, "Q-#####")),
        entry(style, "date", style.date(issued)),
        Entry(valid_label, style.date(issued + timedelta(days=30))),
    ]
    if rng.random() < 0.7:
        entries.append(entry(style, "claim_number", claim.claim_number, "claim_number"))
    if rng.random() < 0.4:
        entries.append(entry(style, "policy_number", claim.policy_number, "policy_number"))
    if with_loss_date:
        entries.append(
            entry(style, "loss_date", style.date(claim.loss_at.date()), "loss_date", claim.loss_at.date().isoformat())
        )
    return Section("", tuple(entries))


def _customer(rng: random.Random, claim: Claim, style: Style) -> Section:
    person = claim.claimant
    entries = [
        entry(style, "customer", person.name, "claimant_name"),
        entry(style, "phone", person.phone, "claimant_phone"),
    ]
    if rng.random() < 0.5:
        entries.append(entry(style, "email", person.email, "claimant_email"))
    return Section(heading(style, "customer"), tuple(entries))


def vehicle_estimate(rng: random.Random, claim: Claim, style: Style, fine_type: str = "garage_quote") -> Document:
    """A garage's quote (`garage_quote`) or a body shop's `repair_estimate` for the insured vehicle."""
    assert claim.vehicle is not None
    lines = pricelist.draw_lines(rng, claim.country, pricelist.MOTOR, rng.randrange(4, 8))
    items, _ = priced_items(
        style, lines, total_key="total", total_field="estimate_total", heading=heading(style, "items")
    )
    odometer = Entry(
        _REFERENCE_LABELS[style.lang][3],
        f"{rng.randrange(8, 160) * 1000 + rng.randrange(999):,}".replace(",", "." if style.lang == "de" else ","),
    )
    vehicle = Section(heading(style, "vehicle"), (*vehicle_entries(style, claim.vehicle), odometer))
    blocks: tuple[Block, ...] = (
        _header(rng, claim, style, with_loss_date=rng.random() < 0.5),
        _customer(rng, claim, style),
        vehicle,
        items,
        Prose("", _TERMS[style.lang]),
    )
    return Document(
        fine_type,
        style.lang,
        style.title(fine_type),
        letterhead(claim.shop),
        blocks,
        footer(rng, style, claim.shop.name),
    )


def contractor_estimate(rng: random.Random, claim: Claim, style: Style) -> Document:
    """A contractor's estimate to restore the insured's home after the loss."""
    lines = pricelist.draw_lines(rng, claim.country, pricelist.PROPERTY, rng.randrange(4, 7))
    items, _ = priced_items(
        style, lines, total_key="total", total_field="estimate_total", heading=heading(style, "items")
    )
    owner = Section(
        heading(style, "property"),
        (
            entry(style, "customer", claim.claimant.name, "claimant_name"),
            entry(style, "loss_address", claim.loss_address, "loss_address"),
            entry(style, "description", claim.incident.summary[style.lang], "loss_description"),
        ),
    )
    insurer = Section(
        "",
        (
            Entry({"en": "Insurance carrier", "fr": "Assureur", "de": "Versicherer"}[style.lang], claim.insurer),
            *policy_entries(style, claim, with_claim=False),
        ),
    )
    blocks: tuple[Block, ...] = (
        _header(rng, claim, style, with_loss_date=rng.random() < 0.6),
        owner,
        insurer,
        items,
        Prose("", _TERMS[style.lang][:1]),
    )
    return Document(
        "contractor_estimate",
        style.lang,
        style.title("contractor_estimate"),
        letterhead(
            claim.shop,
            {"en": "Licensed & insured contractor", "fr": "Entreprise qualifiée RGE", "de": "Meisterbetrieb"}[
                style.lang
            ],
        ),
        blocks,
        footer(rng, style, claim.shop.name),
    )
