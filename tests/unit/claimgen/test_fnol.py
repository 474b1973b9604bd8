from collections import Counter

from claimgen.fnol import generate_claims
from services.links import normalise


def _shared(values: list[str | None]) -> int:
    """How many of the values another claim has too."""
    counts = Counter(v for v in values if v)
    return sum(n for n in counts.values() if n > 1)


def test_honest_claimants_rarely_share_a_phone_an_address_or_a_plate_by_chance() -> None:
    claims = [c.fnol for c in generate_claims(10_000, seed=3)]
    phones = [normalise.phone(f.claimant.phone) for f in claims]
    addresses = [f.claimant.address.street + f.claimant.address.city if f.claimant.address else None for f in claims]
    plates = [normalise.plate(f.vehicle.plate) if f.vehicle else None for f in claims]
    assert all(phones)  # every number is one libphonenumber can dial
    # A load test of ten thousand claims is a graph of strangers, as a book is, not of claims a few numbers link.
    assert _shared(phones) <= 20 and _shared(addresses) <= 40 and _shared(plates) <= 10
