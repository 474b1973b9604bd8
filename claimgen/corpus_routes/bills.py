"""Bills: a garage's invoice, a shop's till receipt, a clinic's bill for treating the claimant."""

from __future__ import annotations

import random
from datetime import timedelta

from claimgen.corpus_routes import pricelist
from claimgen.corpus_routes.claim import Claim, reference
from claimgen.corpus_routes.itemtable import priced_items
from claimgen.corpus_routes.parts import entry, footer, heading, letterhead, vehicle_entries
from claimgen.corpus_routes.sheet import Block, Document, Entry, Prose, Section
from claimgen.corpus_routes.style import Style

_INVOICE_LABELS = {
    "en": ("Invoice No.", "Due date", "Payment terms: 14 days net. Please quote the invoice number."),
    "fr": ("Facture n°", "Échéance", "Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal."),
    "de": ("Rechnungsnummer", "Fällig am", "Zahlbar innerhalb von 14 Tagen ohne Abzug."),
}
_BANK = {
    "en": "Bank: Sort code 40-47-{a} · Account {b}",
    "fr": "IBAN FR76 3000 {a} {b} 0000 189",
    "de": "IBAN DE89 3704 {a} {b} 00 · BIC COBADEFFXXX",
}
_RETURNS = {
    "en": "Return policy: unused items with receipt within 90 days.",
    "fr": "Échange ou remboursement sous 30 jours sur présentation du ticket.",
    "de": "Umtausch innerhalb von 14 Tagen nur mit Kassenbon.",
}


def invoice(rng: random.Random, claim: Claim, style: Style) -> Document:
    """A garage's invoice for repairing the insured's vehicle (or a contractor's, for a home)."""
    number_label, due_label, terms = _INVOICE_LABELS[style.lang]
    issued = claim.reported_on + timedelta(days=rng.randrange(10, 40))
    head = Section(
        "",
        (
            Entry(number_label, reference(rng, rng.choice(("INV-######", "2025-####", "R#####")))),
            entry(style, "date", style.date(issued)),
            Entry(due_label, style.date(issued + timedelta(days=14))),
            entry(style, "claim_number", claim.claim_number, "claim_number"),
        ),
    )
    bill_to = Section(
        heading(style, "customer"),
        (
            entry(style, "customer", claim.claimant.name, "claimant_name"),
            entry(style, "home_address", claim.claimant.address),
        ),
    )
    catalogue = pricelist.MOTOR if claim.vehicle else pricelist.PROPERTY
    items, _ = priced_items(
        style,
        pricelist.draw_lines(rng, claim.country, catalogue, rng.randrange(3, 7)),
        total_key="invoice_total",
        total_field="invoice_total",
        heading=heading(style, "items"),
    )
    blocks: list[Block] = [head, bill_to]
    if claim.vehicle is not None:
        blocks.append(Section(heading(style, "vehicle"), vehicle_entries(style, claim.vehicle)[1:]))
    bank = _BANK[style.lang].format(a=rng.randrange(1000, 9999), b=rng.randrange(10_000_000, 99_999_999))
    blocks += [items, Prose("", (terms, bank))]
    return Document(
        "invoice",
        style.lang,
        style.title("invoice"),
        letterhead(claim.shop),
        tuple(blocks),
        footer(rng, style, claim.shop.name),
    )


def receipt(rng: random.Random, claim: Claim, style: Style) -> Document:
    """A till receipt for things bought after the loss; it names nobody."""
    lines = pricelist.draw_lines(rng, claim.country, pricelist.RETAIL, rng.randrange(2, 5))
    items, grand = priced_items(style, lines, total_key="invoice_total", total_field="invoice_total")
    bought = claim.loss_at + timedelta(days=rng.randrange(1, 4), hours=rng.randrange(1, 6))
    store_label = {"en": "Store", "fr": "Magasin", "de": "Filiale"}[style.lang]
    till = Section(
        "",
        (
            Entry(store_label, f"#{rng.randrange(1000, 9999)}"),
            Entry("", f"{style.date(bought.date())} {style.time(bought.time())}"),
            Entry({"en": "Trans.", "fr": "Ticket", "de": "Bon-Nr."}[style.lang], reference(rng, "####-###-####")),
        ),
    )
    card = f"VISA ************{rng.randrange(1000, 9999)}"
    paid = Section(
        "",
        (
            Entry(card, style.money(grand)),
            Entry({"en": "Change", "fr": "Rendu", "de": "Rückgeld"}[style.lang], style.money(0)),
        ),
    )
    store = (
        rng.choice(("HOMEWARE DEPOT", "BRICO CENTRE", "BAUMARKT PLUS", "HARDWARE CITY")),
        claim.shop.address,
        claim.agency.phone,
    )
    blocks: tuple[Block, ...] = (till, items, paid, Prose("", (_RETURNS[style.lang], reference(rng, "*###########*"))))
    return Document("receipt", style.lang, style.title("receipt"), store, blocks)


def medical_bill(rng: random.Random, claim: Claim, style: Style) -> Document:
    """A clinic's bill for treating the claimant after the accident."""
    clinic = {"en": "Riverside Urgent Care", "fr": "Clinique du Parc", "de": "Praxis Dr. med. Albrecht"}[style.lang]
    born = claim.loss_at.date() - timedelta(days=rng.randrange(20 * 365, 70 * 365))
    patient = Section(
        heading(style, "patient"),
        (
            entry(style, "patient", claim.claimant.name, "claimant_name"),
            Entry(
                {"en": "Date of birth", "fr": "Date de naissance", "de": "Geburtsdatum"}[style.lang], style.date(born)
            ),
            entry(style, "phone", claim.claimant.phone, "claimant_phone"),
            Entry(
                {"en": "Account No.", "fr": "N° de dossier patient", "de": "Patienten-Nr."}[style.lang],
                reference(rng, "########"),
            ),
        ),
    )
    insurance = Section(
        "",
        (
            Entry({"en": "Insurer", "fr": "Assureur", "de": "Versicherung"}[style.lang], claim.insurer),
            entry(style, "policy_number", claim.policy_number, "policy_number"),
            entry(style, "claim_number", claim.claim_number, "claim_number"),
            entry(style, "loss_date", style.date(claim.loss_at.date()), "loss_date", claim.loss_at.date().isoformat()),
        ),
    )
    lines = pricelist.draw_lines(rng, claim.country, pricelist.MEDICAL, rng.randrange(3, 6))
    items, _ = priced_items(
        style,
        lines,
        total_key="invoice_total",
        total_field="invoice_total",
        heading=heading(style, "services"),
        taxed=False,
    )
    phone_line = f"Tel. {claim.agency.phone}"
    return Document(
        "medical_bill",
        style.lang,
        style.title("medical_bill"),
        (clinic, claim.shop.address, phone_line),
        (patient, insurance, items),
        footer(rng, style, clinic),
    )
