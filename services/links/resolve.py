"""Entity resolution for persons and addresses: blocking keys, and which candidate a new spelling is.

A new spelling is compared only with the entities sharing one of its blocking keys (an indexed look-up,
never a scan of the book); the match model's probability then decides. A person with neither a date of
birth nor a postcode (a witness known by name only) is not resolved across claims: a name alone is no
identity, and the phone such a party gives links exactly anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from services.links.entities import Mention
from services.links.matching import model

# A candidate at least this likely to be the same entity is taken as it; below, the spelling is a new entity.
MATCH_PROBABILITY = 0.9
FUZZY_KINDS = frozenset({"person", "address"})


def record_of(mention: Mention) -> dict[str, Any]:
    """What the match model compares, as the entity keeps it."""
    if mention.person is not None:
        p = mention.person
        return {"name": p.name, "dob": p.dob, "postcode": p.postcode}
    if mention.address is not None:
        a = mention.address
        return {"number": a.number or None, "street": a.street, "postcode": a.postcode or None, "city": a.city}
    raise ValueError(f"a {mention.kind} mention has no record to compare")


def resolvable(mention: Mention) -> bool:
    """Whether a mention is resolved by the match model (else it links only by its exact key, if at all)."""
    if mention.kind == "person":
        return mention.person is not None and (mention.person.dob is not None or mention.person.postcode is not None)
    return mention.kind == "address" and mention.address is not None


def blocking_keys(mention: Mention) -> list[str]:
    """Keys under which a spelling's entity is filed: each selective enough to find a few candidates at most."""
    if mention.person is not None:
        p = mention.person
        words = p.name.split()
        keys = [f"np:{p.name}|{p.postcode}"] if p.postcode else []
        if p.dob:
            keys += [f"nd:{p.name}|{p.dob}", f"fd:{words[0]}|{p.dob}", f"ld:{words[-1]}|{p.dob}"]
        return keys
    if mention.address is not None:
        a = mention.address
        return [f"pn:{a.postcode}|{a.number}", f"sn:{a.city}|{a.street}|{a.number}"]
    return []


def best_match(mention: Mention, candidates: Iterable[tuple[int, str]]) -> tuple[int, float] | None:
    """The candidate entity (id, record JSON) most likely the mention's, with its probability, if likely enough."""
    scorer, mine = model(mention.kind), record_of(mention)
    best: tuple[int, float] | None = None
    for entity_id, record in candidates:
        probability = scorer.probability(mine, json.loads(record))
        if probability >= MATCH_PROBABILITY and (best is None or probability > best[1]):
            best = (entity_id, probability)
    return best
