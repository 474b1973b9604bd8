"""Free-text notices: a claimant's letter or e-mail reporting a loss, and a longer narrative claim.
Values sit inside sentences, so the truth is what the sentences say."""

from __future__ import annotations

import random

from claimgen.corpus_routes.claim import Claim
from claimgen.corpus_routes.formats import printed_currency, truth_amount
from claimgen.corpus_routes.letter_phrases import PHRASES
from claimgen.corpus_routes.sheet import Block, Document, Entry, Prose, Section, Truth
from claimgen.corpus_routes.style import Style


def _said(template: str, truth: Truth, **values: object) -> tuple[str, Truth]:
    return template.format(**values), truth


def _opening(claim: Claim, style: Style, rng: random.Random) -> tuple[str, Truth]:
    words = PHRASES[style.lang]
    day, moment = claim.loss_at.date(), claim.loss_at.time()
    with_time = rng.random() < 0.8
    template = words["opening_time"] if with_time else words["opening"]
    truth: Truth = (("loss_date", day.isoformat()), ("loss_address", claim.loss_address))
    if with_time:
        truth += (("loss_time", claim.loss_at.strftime("%H:%M")),)
    event = words["motor_event" if claim.vehicle else "property_event"]
    return _said(template, truth, event=event, date=style.date(day), time=style.time(moment), place=claim.loss_address)


def _vehicle(claim: Claim, style: Style) -> list[tuple[str, Truth]]:
    words, said = PHRASES[style.lang], []
    if claim.vehicle is not None:
        vehicle = claim.vehicle
        said.append(
            _said(
                words["vehicle"],
                (
                    ("vehicle_year", vehicle.year),
                    ("vehicle_make", vehicle.make),
                    ("vehicle_model", vehicle.model),
                    ("vehicle_plate", vehicle.plate),
                    ("vehicle_vin", vehicle.vin),
                ),
                year=vehicle.year,
                make=vehicle.make,
                model=vehicle.model,
                plate=vehicle.plate,
                vin=vehicle.vin,
            )
        )
    if claim.other is not None:
        other = claim.other
        said.append(
            _said(
                words["other"],
                (
                    ("other_party_name", other.person.name),
                    ("other_party_insurer", other.insurer),
                    ("other_party_policy_number", other.policy_number),
                ),
                name=other.person.name,
                insurer=other.insurer,
                policy=other.policy_number,
                phone=other.person.phone,
                plate=other.vehicle.plate,
            )
        )
    return said


def _aftermath(claim: Claim, style: Style, rng: random.Random) -> list[tuple[str, Truth]]:
    words, said = PHRASES[style.lang], []
    if claim.police is not None:
        authority, number = claim.police
        said.append(
            _said(
                words["police"],
                (("police_authority", authority), ("police_report_number", number)),
                authority=authority,
                number=number,
            )
        )
    said.append(_said(words["hurt" if claim.injuries else "unhurt"], (("injuries", claim.injuries),)))
    if rng.random() < 0.8:
        truth: Truth = (("estimate_total", truth_amount(claim.estimated_damage)),)
        currency = printed_currency(claim.country.currency, style.money_style)
        truth += (("currency", currency),) if currency else ()
        said.append(
            _said(
                words["estimate"],
                truth,
                shop=claim.shop.name,
                amount=style.money(claim.estimated_damage),
                phone=claim.shop.phone,
            )
        )
    return said


def _paragraph(said: list[tuple[str, Truth]]) -> Prose:
    return Prose("", (" ".join(text for text, _ in said),), tuple(pair for _, truth in said for pair in truth))


def fnol_letter(rng: random.Random, claim: Claim, style: Style, *, as_email: bool = False) -> Document:
    """A claimant's letter (or printed e-mail) telling the insurer about the loss."""
    words, person = PHRASES[style.lang], claim.claimant
    subject, subject_truth = _said(
        words["subject"], (("policy_number", claim.policy_number),), policy=claim.policy_number
    )
    body: list[Block] = [
        Prose("", (words["salutation"],)),
        _paragraph([_opening(claim, style, rng)]),
        Prose("", (claim.incident.account[style.lang],), (("loss_description", claim.incident.summary[style.lang]),)),
        _paragraph(_vehicle(claim, style) + _aftermath(claim, style, rng)),
        _paragraph(
            [
                _said(
                    words["contact"],
                    (("claimant_phone", person.phone), ("claimant_email", person.email)),
                    phone=person.phone,
                    email=person.email,
                )
            ]
        ),
        Prose("", (words["closing"], person.name), (("claimant_name", person.name),)),
    ]
    written = style.date(claim.reported_on)
    if as_email:
        head: Block = Section(
            "",
            (
                Entry(words["from"], f"{person.name} <{person.email}>"),
                Entry(words["to"], f"claims@{_domain(claim.insurer)}"),
                Entry(words["sent"], f"{written} {rng.randrange(7, 22):02d}:{rng.randrange(60):02d}"),
                Entry(words["subject_label"], subject, subject_truth),
            ),
        )
        return Document("fnol_letter", style.lang, "", (), (head, *body))
    sender = Prose("", (person.name, person.address))
    recipient = Prose("", (claim.insurer, words["claims_department"], claim.agency.address, written))
    return Document("fnol_letter", style.lang, "", (), (sender, recipient, Prose("", (subject,), subject_truth), *body))


def _domain(insurer: str) -> str:
    return "".join(char for char in insurer.lower().split()[0] if char.isalpha()) + ".example"


def narrative_claim(rng: random.Random, claim: Claim, style: Style) -> Document:
    """A claimant's longer written claim for damage to their home, under headings."""
    words, person = PHRASES[style.lang], claim.claimant
    facts = Section(
        "",
        (
            Entry(words["claimant"], person.name, (("claimant_name", person.name),)),
            Entry(words["policy"], claim.policy_number, (("policy_number", claim.policy_number),)),
            Entry(words["claim_ref"], claim.claim_number, (("claim_number", claim.claim_number),)),
        ),
    )
    said = [_opening(claim, style, rng)]
    blocks: tuple[Block, ...] = (
        facts,
        Prose(
            words["what_happened"],
            (said[0][0], claim.incident.account[style.lang]),
            said[0][1] + (("loss_description", claim.incident.summary[style.lang]),),
        ),
        _paragraph(_aftermath(claim, style, rng)),
        Prose(words["contact_heading"], (person.address, person.phone), (("claimant_phone", person.phone),)),
    )
    return Document("fnol_letter", style.lang, words["narrative_title"], (), blocks)
