"""The ring score: how much a claim's links say that it belongs to a ring, from what it shares and with whom.

Each claim sharing something directly with this one adds the weights of the kinds shared (an account or a
phone is one person's; an address a household's; a repair shop many people's), at most `PAIR_CAP`:
- the same third party (other driver, witness, injured) turning up again weighs half as much again;
- a garage or clinic counts only beside something else shared: using the same garage is no link;
- two claims on one policy, or from one address by different people, are a policyholder claiming again
  or a household, and count at most `HOUSEHOLD_CAP`, and all such claims together at most
  `HOUSEHOLDS_CAP` (an employer's address on a dozen claims is still one address).
Claims two hops away add a little (at most `SECOND_HOP_CAP`), claims denied for fraud near it a lot.
The score is 1 - exp(-evidence / SCALE): 0 for a claim that shares nothing, near 1 as evidence piles up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

KIND_WEIGHTS = {
    "bank_account": 1.0,
    "phone": 1.0,
    "email": 1.0,
    "vin": 1.0,
    "plate": 0.8,
    "person": 0.8,
    "address": 0.5,
    "medical_provider": 0.5,
    "repair_shop": 0.4,
    "policy": 0.3,
}
BUSINESSES = frozenset({"repair_shop", "medical_provider"})
OWN_ROLES = frozenset({"claimant", "vehicle", "policy", "insured_property", "repair_shop", "medical_provider"})
THIRD_PARTY = 1.5
PAIR_CAP = 2.0
HOUSEHOLD_CAP = 1.0
HOUSEHOLDS_CAP = 2.0  # a big family or an employer's address: many households, still no ring
SECOND_HOP = 0.25
SECOND_HOP_CAP = 1.0
DENIED = 2.0
REFERRED = 0.5
SCALE = 3.0


@dataclass
class Pair:
    """What this claim shares with one other claim: each kind's strongest weight."""

    kinds: dict[str, float] = field(default_factory=dict)

    def share(self, kind: str, probability: float, roles: tuple[str, str]) -> None:
        weight = KIND_WEIGHTS[kind] * probability
        if kind not in BUSINESSES and not set(roles) <= OWN_ROLES:
            weight *= THIRD_PARTY  # the same other driver or witness in two accidents
        self.kinds[kind] = max(self.kinds.get(kind, 0.0), weight)

    @property
    def household(self) -> bool:
        """One policyholder claiming again, or different people at one address (a family, an employer)."""
        return "policy" in self.kinds or ("address" in self.kinds and "person" not in self.kinds)

    @property
    def strength(self) -> float:
        if not set(self.kinds) - BUSINESSES:
            return 0.0
        return min(sum(self.kinds.values()), HOUSEHOLD_CAP if self.household else PAIR_CAP)


def ring_score(pairs: Mapping[str, Pair], second_hop: int, fraud: Mapping[str, str]) -> float:
    """The score from the direct links, the claims two hops away and the fraud history around the claim."""
    households = sum(p.strength for p in pairs.values() if p.household)
    evidence = min(households, HOUSEHOLDS_CAP) + sum(p.strength for p in pairs.values() if not p.household)
    evidence += min(SECOND_HOP * second_hop, SECOND_HOP_CAP)
    evidence += sum(DENIED if status == "denied" else REFERRED for status in fraud.values())
    return 1.0 - math.exp(-evidence / SCALE)
