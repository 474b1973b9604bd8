"""Loss notices (FNOL forms): the claimant, the loss, the insured's vehicle, the other party, the
police, the agent, a witness and the estimated damage, in sections as an insurer's form asks."""

from __future__ import annotations

import random

from claimgen.corpus_routes.claim import Claim
from claimgen.corpus_routes.labels import DECLARATIONS
from claimgen.corpus_routes.parts import (
    business_entries,
    claimant_entries,
    entry,
    footer,
    heading,
    injuries_entry,
    loss_entries,
    other_party_section,
    police_entries,
    policy_entries,
    vehicle_entries,
    witness_entries,
)
from claimgen.corpus_routes.sheet import Block, Document, Entry, Prose, Section
from claimgen.corpus_routes.style import Style


def _declaration(style: Style, claim: Claim) -> Section:
    return Section(
        heading(style, "declaration"),
        (
            Entry("", DECLARATIONS[style.lang]),
            entry(style, "date", style.date(claim.reported_on)),
            entry(style, "signature", claim.claimant.name),
        ),
    )


def _loss_section(style: Style, claim: Claim, rng: random.Random) -> Section:
    entries = loss_entries(style, claim, with_time=rng.random() < 0.85, hint=rng.random() < 0.4)
    if rng.random() < 0.8:
        entries += (injuries_entry(style, claim),)
    return Section(heading(style, "loss"), entries + police_entries(style, claim))


def _vehicle_sections(style: Style, claim: Claim, two_vehicles: bool) -> list[Section]:
    if claim.vehicle is None:
        return []
    if not two_vehicles or claim.other is None:
        return [Section(heading(style, "vehicle"), vehicle_entries(style, claim.vehicle))]
    return [
        Section(heading(style, "unit1"), vehicle_entries(style, claim.vehicle)),
        Section(heading(style, "unit2"), vehicle_entries(style, claim.other.vehicle, insured=False)),
    ]


def _estimate_section(style: Style, claim: Claim) -> Section:
    return Section(heading(style, "estimate"), (style.total("estimate", "estimate_total", claim.estimated_damage),))


def loss_notice(rng: random.Random, claim: Claim, style: Style, *, two_vehicles: bool = False) -> Document:
    """An insurer's FNOL form; `two_vehicles` prints the other party's vehicle beside the insured's."""
    blocks: list[Block] = [
        Section(heading(style, "policy"), policy_entries(style, claim, with_claim=rng.random() < 0.6)),
        Section(heading(style, "insured"), claimant_entries(style, claim.claimant, with_email=rng.random() < 0.8)),
        _loss_section(style, claim, rng),
    ]
    blocks += _vehicle_sections(style, claim, two_vehicles)
    other = other_party_section(style, claim, with_vehicle=not two_vehicles)
    if other is not None:
        blocks.append(other)
    if rng.random() < 0.6:
        blocks.append(Section(heading(style, "witness"), witness_entries(style, claim.witness)))
    if rng.random() < 0.7:
        blocks.append(Section(heading(style, "agent"), business_entries(style, claim.agency, "agent")))
    if rng.random() < 0.75:
        blocks.append(_estimate_section(style, claim))
    blocks.append(_declaration(style, claim))
    title = style.title("loss_notice" if claim.vehicle else "property_notice")
    issuer = (
        claim.insurer,
        {"en": "Claims Department", "fr": "Service sinistres", "de": "Schadenabteilung"}[style.lang],
    )
    return Document("loss_notice", style.lang, title, issuer, tuple(blocks), footer(rng, style, claim.insurer))


def minimal_notice(rng: random.Random, claim: Claim, style: Style) -> Document:
    """A short typed notice: a handful of capitalised labels, the amount without a currency."""
    blocks: tuple[Block, ...] = (
        Section(
            "",
            (
                entry(style, "policy_number", claim.policy_number, "policy_number"),
                *loss_entries(style, claim, with_time=False)[:1],
                entry(style, "loss_address", claim.loss_address, "loss_address"),
                style.total("estimate", "estimate_total", claim.estimated_damage),
            ),
        ),
        Prose("", (claim.incident.account[style.lang],), (("loss_description", claim.incident.summary[style.lang]),)),
    )
    return Document("loss_notice", style.lang, "", (), blocks)
