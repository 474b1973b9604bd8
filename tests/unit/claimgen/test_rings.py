from collections import Counter

import numpy as np

from claimgen.identities import Population, variant
from claimgen.rings import book, extraction_of
from services.links import normalise
from services.links.matching import model


def test_a_book_is_the_same_for_the_same_seed() -> None:
    first = [c.fnol for c in book(300, seed=5)]
    again = [c.fnol for c in book(300, seed=5)]
    assert first == again
    assert [c.fnol for c in book(300, seed=6)] != first


def test_a_book_holds_rings_and_coincidences_in_reporting_order() -> None:
    claims = list(book(3000, seed=5))
    kinds = Counter((c.ring or "").split("-")[0] or c.coincidence or "honest" for c in claims)
    assert {"garage", "crew", "synthetic", "hub"} & set(kinds)
    assert {"family", "employer_address", "big_garage"} <= set(kinds)
    assert kinds["honest"] > 0.8 * len(claims)
    reported = [c.fnol.loss.reported_at for c in claims if c.ring]
    assert len({c.fnol.claim_id for c in claims}) == len(claims)
    assert reported


def test_ring_claims_share_a_ring_entity() -> None:
    claims = [c for c in book(3000, seed=5) if c.ring and c.ring.startswith(("garage", "crew"))]
    by_ring: dict[str, set[str]] = {}
    for c in claims:
        phones = {p.phone for p in c.fnol.other_parties if p.phone} | {c.fnol.claimant.phone or ""}
        by_ring.setdefault(c.ring or "", set()).update(phones)
    assert by_ring
    for ring, phones in by_ring.items():
        members = [c for c in claims if c.ring == ring]
        assert len(phones) < 3 * len(members)  # the crew's phones come back


def test_a_synthetic_identity_is_spelt_differently_yet_matches() -> None:
    population = Population(np.random.default_rng(1))
    base = population.identity()
    other = variant(base, np.random.default_rng(2))
    assert other.name != base.name
    left = {"name": normalise.name(base.name), "dob": base.dob.isoformat(), "postcode": base.postcode}
    right = {"name": normalise.name(other.name), "dob": other.dob.isoformat(), "postcode": other.postcode}
    assert model("person").probability(left, right) > 0.9


def test_shops_and_clinics_come_as_extracted_fields() -> None:
    with_shop = next(c for c in book(300, seed=5) if c.shop is not None)
    extraction = extraction_of(with_shop)
    assert extraction is not None
    assert {f.name: f.value for f in extraction.fields}["repair_shop_name"] == with_shop.shop.name  # type: ignore[union-attr]
