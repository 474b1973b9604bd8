"""A book of claims with fraud rings in it, and the honest coincidences that look like rings but are not.

Rings: a garage that stages repairs with a crew playing the other drivers and witnesses; a staged-accident
crew re-using its phones; synthetic identities (one made-up person, written a little differently on each
claim, paid into the same account); a hub repair shop and clinic behind many injury claims.
Coincidences, drawn without regard to any detector: a large employer's address on many fleet claims, a family
sharing a phone and an address, the big garage everyone uses, the same honest claimant claiming again.

    python -m claimgen.rings --claims 1000 --seed 3   # a summary of what a book holds
"""

from __future__ import annotations

import argparse
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import numpy as np

from claimgen.fnol import generate_claim
from claimgen.identities import Identity, Population, surnames
from claimgen.scenarios import Business, Plan, coincidences, honest_businesses, rings
from services.core.events import FNOL, DocumentSummary, ExtractedField, Extraction, Fault, Injury, Party

BOOK_START = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class BookClaim:
    """One claim of the book, with the truth the benchmark scores against."""

    fnol: FNOL
    shop: Business | None
    clinic: Business | None
    ring: str | None  # ring id when the claim belongs to a ring
    coincidence: str | None  # the honest coincidence it is part of, if any


def _party(identity: Identity, role: str) -> Party:
    return Party(name=identity.name, role=role, phone=identity.phone)


def _claim(rng: np.random.Generator, index: int, plan: Plan) -> BookClaim:
    base = generate_claim(rng, index, plan.at + timedelta(hours=int(rng.integers(1, 48))), id_prefix="BK").fnol
    claimant = plan.claimant
    parties = [_party(p, "other_driver") for p in plan.other_drivers] + [_party(p, "witness") for p in plan.witnesses]
    injuries = [Injury(person=claimant.name, severity="minor", description="Neck pain")] if plan.clinic else []
    loss = base.loss.model_copy(update={"fault": Fault.THIRD_PARTY if plan.other_drivers else base.loss.fault})
    update: dict[str, Any] = {
        "claimant": claimant.person(),
        "other_parties": parties,
        "injuries": injuries,
        "bank_account": claimant.bank,
        "loss": loss,
    }
    if base.insured_property is not None:  # the insured building is the claimant's home
        home = claimant.address()
        update["insured_property"] = base.insured_property.model_copy(update={"address": home})
        update["loss"] = loss.model_copy(update={"place": home})
    if plan.vehicle is not None and base.vehicle is not None:
        update["vehicle"] = base.vehicle.model_copy(update={"vin": plan.vehicle[0], "plate": plan.vehicle[1]})
    fnol = base.model_copy(update=update)
    return BookClaim(fnol, plan.shop, plan.clinic, plan.ring, plan.coincidence)


@cache
def _zipf(count: int) -> np.ndarray:
    """How often each of `count` businesses is chosen, the most used first: a Zipf law, as market shares follow."""
    weights = 1.0 / np.arange(1, count + 1) ** 1.1
    return np.asarray(weights / weights.sum())


def _honest(population: Population, at: datetime, shops: list[Business], clinics: list[Business]) -> Plan:
    rng = population.rng
    shop = shops[int(rng.choice(len(shops), p=_zipf(len(shops))))] if rng.random() < 0.6 else None
    clinic = clinics[int(rng.choice(len(clinics), p=_zipf(len(clinics))))] if rng.random() < 0.05 else None
    other = [population.identity()] if rng.random() < 0.3 else []
    coincidence = "big_garage" if shop is not None and shop == shops[0] else None
    return Plan(at, population.identity(), other, [], shop, clinic, None, coincidence, population.vehicle())


def book(claims: int, seed: int, days: int = 730) -> Iterator[BookClaim]:
    """`claims` claims over `days` days in the order they are reported; the same for the same seed."""
    rng = np.random.default_rng(seed)
    population = Population(rng)
    shops, clinics = honest_businesses(rng, surnames(rng, 600))
    special = rings(population, claims, days, BOOK_START) + coincidences(population, claims, days, BOOK_START)
    special = special[:claims]
    honest_times = sorted(BOOK_START + timedelta(seconds=float(s)) for s in rng.uniform(0, days * 86400, claims))
    planned = sorted(special, key=lambda p: p.at)
    repeat_pool: list[Plan] = []
    h = s = 0
    for index in range(claims):
        take_special = s < len(planned) and (h >= claims - len(planned) or planned[s].at <= honest_times[h])
        if take_special:
            plan, s = planned[s], s + 1
        else:
            plan, h = _honest(population, honest_times[h], shops, clinics), h + 1
            if repeat_pool and rng.random() < 0.02:  # an honest claimant claims again (once), with the same car
                earlier = repeat_pool.pop(int(rng.integers(0, len(repeat_pool))))
                plan = Plan(
                    plan.at,
                    earlier.claimant,
                    plan.other_drivers,
                    [],
                    plan.shop,
                    None,
                    None,
                    "repeat_claimant",
                    earlier.vehicle,
                )
            elif rng.random() < 0.05:
                repeat_pool.append(plan)
        yield _claim(rng, index, plan)


def _field(name: str, value: str, document: str) -> ExtractedField:
    return ExtractedField(name=name, value=value, confidence=0.95, document=document, page=1, method="text_layer")


def extraction_of(claim: BookClaim) -> Extraction | None:
    """The extraction section docextract would give the claim's repair estimate and medical bill (the shop's
    and the clinic's names and phones), without rendering and reading them."""
    documents, fields = [], []
    for business, doc_type, prefix in (
        (claim.shop, "repair_estimate", "repair_shop"),
        (claim.clinic, "medical_bill", "vendor"),
    ):
        if business is None:
            continue
        sha = hashlib.sha256(f"{claim.fnol.claim_id}/{doc_type}".encode()).hexdigest()
        documents.append(DocumentSummary(sha256=sha, filename=f"{doc_type}.pdf", doc_type=doc_type, pages=1))
        fields += [_field(f"{prefix}_name", business.name, sha), _field(f"{prefix}_phone", business.phone, sha)]
    if not documents:
        return None
    return Extraction(documents=documents, fields=fields, findings=[], missing_documents=[])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Summarise a generated book of claims with rings.")
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    claims = list(book(args.claims, args.seed))
    kinds = Counter((c.ring or "").split("-")[0] or c.coincidence or "honest" for c in claims)
    print(" ".join(f"{k}={v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
