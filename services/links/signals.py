"""Ring signals: a claim's neighbourhood in the claims graph, and its ring score (services.links.score).

The neighbourhood is every claim within `hops` hops through shared entities whose loss falls within
`window_days` of this one's. An entity carried by more than `common_claims` claims in that window (the
big garage, an employer's address) is named on the case but not walked through: sharing it is no evidence.
Garages and clinics are not walked at the second hop either: a garage links half a town.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection

from services.core.events import ClaimLinks, LinkedClaim, SharedEntity
from services.links.graph import ClaimsGraph, Linked
from services.links.score import BUSINESSES, Pair, ring_score

SHOWN_CLAIMS = 10
MAX_LISTED = 50
MAX_WALKED = 40  # entities walked at the second hop: a ring's neighbourhood is small, this bounds the rest


@dataclass(frozen=True)
class RingSettings:
    window_days: int = 90
    hops: int = 2
    common_claims: int = 20


@dataclass
class _Walk:
    claim_id: str
    since: datetime
    until: datetime
    settings: RingSettings
    pairs: dict[str, Pair] = field(default_factory=dict)
    common: set[int] = field(default_factory=set)


def _neighbours(graph: ClaimsGraph, walk: _Walk, entity_id: int, conn: Connection) -> list[tuple[str, str]] | None:
    """Other claims (with their role) carrying the entity within the window; None when it is common."""
    limit = walk.settings.common_claims + 2
    found = [(c, r) for c, r in graph.claims_of(entity_id, walk.since, walk.until, limit, conn) if c != walk.claim_id]
    if len({c for c, _ in found}) > walk.settings.common_claims:
        walk.common.add(entity_id)
        return None
    return found


def _shared(links: list[Linked], others: list[tuple[str, str]] | None, common_claims: int) -> SharedEntity:
    first = links[0].mention
    claims = list(dict.fromkeys(c for c, _ in others or []))
    return SharedEntity(
        kind=first.kind,
        value=first.display,
        roles=sorted({x.mention.role for x in links}),
        probability=max(x.probability for x in links),
        claims=claims[:SHOWN_CLAIMS],
        claim_count=len(claims) if others is not None else common_claims + 1,
        common=others is None,
    )


def _first_hop(graph: ClaimsGraph, walk: _Walk, linked: Sequence[Linked], conn: Connection) -> list[SharedEntity]:
    by_entity: dict[int, list[Linked]] = defaultdict(list)
    for link in linked:
        by_entity[link.entity_id].append(link)
    shared = []
    for entity_id, links in by_entity.items():
        if links[0].claims < 2:
            continue  # only this claim carries it: nothing to look up
        others = _neighbours(graph, walk, entity_id, conn)
        for other, their_role in others or []:
            for mine in links:
                pair = walk.pairs.setdefault(other, Pair())
                pair.share(mine.mention.kind, mine.probability, (mine.mention.role, their_role))
        if others is None or others:
            shared.append(_shared(links, others, walk.settings.common_claims))
    return shared


def _second_hop(graph: ClaimsGraph, walk: _Walk, conn: Connection) -> set[str]:
    first = {c for c, p in walk.pairs.items() if p.strength > 0}
    rows = graph.entities_of(sorted(first), conn) if first else []
    walked = sorted({e for _, e, kind, n in rows if n >= 2 and kind not in BUSINESSES and e not in walk.common})
    reached: set[str] = set()
    for entity_id in walked[:MAX_WALKED]:
        reached.update(c for c, _ in _neighbours(graph, walk, entity_id, conn) or [])
    return reached - first - set(walk.pairs) - {walk.claim_id}


def ring_signals(
    graph: ClaimsGraph,
    claim_id: str,
    occurred_at: datetime,
    linked: Sequence[Linked],
    settings: RingSettings,
    conn: Connection,
) -> ClaimLinks:
    """The claim's links section: what it shares, with which claims, and its ring score."""
    window = timedelta(days=settings.window_days)
    walk = _Walk(claim_id, occurred_at - window, occurred_at + window, settings)
    shared = _first_hop(graph, walk, linked, conn)
    second = _second_hop(graph, walk, conn) if settings.hops >= 2 else set()
    linked_claims = sorted(
        (LinkedClaim(claim_id=c, kinds=sorted(p.kinds), strength=round(p.strength, 3)) for c, p in walk.pairs.items()),
        key=lambda lc: (-lc.strength, lc.claim_id),
    )
    component = {c.claim_id for c in linked_claims if c.strength > 0} | second
    fraud = graph.fraud_history(sorted(component), conn)
    by_kind: dict[str, int] = defaultdict(int)
    for pair in walk.pairs.values():
        for kind in pair.kinds:
            by_kind[kind] += 1
    return ClaimLinks(
        entities=shared,
        linked_claims=linked_claims[:MAX_LISTED],
        claims_by_kind=dict(sorted(by_kind.items())),
        component_size=1 + len(component),
        fraud_claims=sorted(fraud),
        ring_score=round(ring_score(walk.pairs, len(second), fraud), 4),
        hops=settings.hops,
        window_days=settings.window_days,
    )
