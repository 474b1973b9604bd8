"""Ring signals: a claim's neighbourhood in the claims graph, and its ring score (services.links.score).

The neighbourhood is every claim within `hops` hops through shared entities whose loss falls within
`window_days` of this one's. An entity carried by more than `common_claims` claims in that window (the
big garage, an employer's address) is named on the case but not walked through: sharing it is no evidence.
Garages and clinics are not walked at the second hop either: a garage links half a town.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter

from sqlalchemy import Connection

from services.core.events import ClaimLinks, LinkedClaim, SharedEntity
from services.links.graph import ClaimsGraph, Linked, LinkedBatch
from services.links.score import BUSINESSES, Pair, ring_score

SHOWN_CLAIMS = 10
MAX_LISTED = 50
MAX_WALKED = 40  # entities walked at the second hop: a ring's neighbourhood is small, this bounds the rest
READ_TOGETHER = 200  # an entity on at most this many claims is read for the whole batch at once


@dataclass(frozen=True)
class RingSettings:
    window_days: int = 90
    hops: int = 2
    common_claims: int = 20


@dataclass
class _Walk:
    claim_id: str
    position: int
    since: datetime
    until: datetime
    settings: RingSettings
    pairs: dict[str, Pair] = field(default_factory=dict)
    common: set[int] = field(default_factory=set)
    first: set[str] = field(default_factory=set)


class _Neighbourhoods:
    """The claims carrying each entity, read for a whole batch in one statement per hop and answered per claim as
    the claim at its position saw them. An entity on more claims than a batch read should return is read on its
    own, with a limit, for each claim that walks through it."""

    def __init__(self, graph: ClaimsGraph, batch: LinkedBatch, conn: Connection) -> None:
        self.graph, self.batch, self.conn = graph, batch, conn
        self.rows: dict[int, _Rows] = {}

    def read(self, wanted: dict[int, int], walks: Sequence[_Walk]) -> None:
        """Read the claims of the entities (with how many claims carry each now) the walks are about to look up."""
        few = [e for e, n in wanted.items() if n <= READ_TOGETHER and e not in self.rows]
        if few and len(walks) > 1:  # one claim reads each entity with a limit instead
            since, until = min(w.since for w in walks), max(w.until for w in walks)
            found = self.graph.claims_of_many(few, since, until, self.conn)
            self.rows |= {e: _Rows(found.get(e, [])) for e in few}

    def of(self, entity_id: int, walk: _Walk) -> list[tuple[str, str]]:
        """Up to `common_claims + 2` (claim, role) carrying the entity in the walk's window, latest first, as the
        walk's claim saw them when it was linked."""
        limit = walk.settings.common_claims + 2
        read = self.rows.get(entity_id)
        if read is not None:
            rows = read.between(walk.since, walk.until)
        else:
            later = len(self.batch.linked) - walk.position - 1  # rows of later claims of the batch, left out below
            rows = self.graph.claims_of(entity_id, walk.since, walk.until, limit + later, self.conn)
        return [(c, r) for c, r in rows if self.batch.visible(c, walk.position)][:limit]


class _Rows:
    """An entity's (loss date, claim, role) rows latest first, sliced by a loss-date window with two bisections."""

    def __init__(self, rows: list[tuple[datetime, str, str]]) -> None:
        # SQLite keeps the wall time (naive), PostgreSQL the instant: the window is compared as the database does.
        self.wall = bool(rows) and rows[0][0].tzinfo is None
        latest = sorted(rows, key=itemgetter(1, 2))
        latest.sort(key=itemgetter(0), reverse=True)  # stable: rows of one loss date stay in claim order
        self.rows = [(c, r) for _, c, r in latest]
        self.dates = [at for at, _, _ in reversed(latest)]  # ascending, for the bisections

    def between(self, since: datetime, until: datetime) -> list[tuple[str, str]]:
        """The rows with `since <= loss date <= until`, latest first."""
        low = bisect_left(self.dates, self._comparable(since))
        high = bisect_right(self.dates, self._comparable(until), low)
        return self.rows[len(self.dates) - high : len(self.dates) - low]

    def _comparable(self, at: datetime) -> datetime:
        """`at` as the rows' dates compare: its wall time against SQLite's, an instant (naive read as UTC) else."""
        if self.wall:
            return at.replace(tzinfo=None)
        return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _neighbours(reader: _Neighbourhoods, walk: _Walk, entity_id: int) -> list[tuple[str, str]] | None:
    """Other claims (with their role) carrying the entity within the window; None when it is common."""
    found = [(c, r) for c, r in reader.of(entity_id, walk) if c != walk.claim_id]
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


def _by_entity(linked: Sequence[Linked]) -> dict[int, list[Linked]]:
    """The claim's links by entity, for the entities other claims carry too (the rest have nothing to look up)."""
    by_entity: dict[int, list[Linked]] = defaultdict(list)
    for link in linked:
        if link.claims >= 2:
            by_entity[link.entity_id].append(link)
    return by_entity


def _first_hop(reader: _Neighbourhoods, walk: _Walk, linked: Sequence[Linked]) -> list[SharedEntity]:
    shared = []
    for entity_id, links in _by_entity(linked).items():
        others = _neighbours(reader, walk, entity_id)
        for other, their_role in others or []:
            for mine in links:
                pair = walk.pairs.setdefault(other, Pair())
                pair.share(mine.mention.kind, mine.probability, (mine.mention.role, their_role))
        if others is None or others:
            shared.append(_shared(links, others, walk.settings.common_claims))
    walk.first = {c for c, p in walk.pairs.items() if p.strength > 0}
    return shared


def _walked(walk: _Walk, entities: dict[str, list[tuple[int, str, int]]], batch: LinkedBatch) -> dict[int, int]:
    """The entities of the walk's first-hop claims it walks through at the second hop, with their claims now."""
    counts = {
        e: n
        for c in walk.first
        for e, kind, n in entities.get(c, ())
        if kind not in BUSINESSES and e not in walk.common and batch.claims_as_of(e, n, walk.position) >= 2
    }
    return {e: counts[e] for e in sorted(counts)[:MAX_WALKED]}


def ring_signals_many(
    graph: ClaimsGraph,
    claims: Sequence[tuple[str, datetime]],
    batch: LinkedBatch,
    settings: RingSettings,
    conn: Connection,
) -> list[ClaimLinks]:
    """Each claim's links section, in order: what it shares, with which claims, and its ring score, as the claim
    saw the graph when it was linked. The whole batch is read with a few statements."""
    window = timedelta(days=settings.window_days)
    walks = [_Walk(c, i, at - window, at + window, settings) for i, (c, at) in enumerate(claims)]
    reader = _Neighbourhoods(graph, batch, conn)
    wanted = {
        x.entity_id: x.claims + batch.added_after(x.entity_id, i)  # its claims once the whole batch is linked
        for i, linked in enumerate(batch.linked)
        for x in linked
        if x.claims >= 2
    }
    reader.read(wanted, walks)
    shared = [_first_hop(reader, walk, linked) for walk, linked in zip(walks, batch.linked, strict=True)]
    walked: list[dict[int, int]] = [{} for _ in walks]
    if settings.hops >= 2 and any(w.first for w in walks):
        entities: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        for c, e, kind, n in graph.entities_of(sorted(set().union(*(w.first for w in walks))), conn):
            entities[c].append((e, kind, n))
        walked = [_walked(walk, entities, batch) for walk in walks]
        reader.read({e: n for w in walked for e, n in w.items()}, walks)
    seconds = [_second_hop(reader, walk, entities) for walk, entities in zip(walks, walked, strict=True)]
    components = [walk.first | second for walk, second in zip(walks, seconds, strict=True)]
    fraud = graph.fraud_history(sorted(set().union(*components)), conn)
    return [
        _section(walk, entities, second, {c: fraud[c] for c in component if c in fraud})
        for walk, entities, second, component in zip(walks, shared, seconds, components, strict=True)
    ]


def _second_hop(reader: _Neighbourhoods, walk: _Walk, walked: dict[int, int]) -> set[str]:
    reached: set[str] = set()
    for entity_id in walked:
        reached.update(c for c, _ in _neighbours(reader, walk, entity_id) or [])
    return reached - walk.first - set(walk.pairs) - {walk.claim_id}


def _section(walk: _Walk, shared: list[SharedEntity], second: set[str], fraud: dict[str, str]) -> ClaimLinks:
    linked_claims = sorted(
        (LinkedClaim(claim_id=c, kinds=sorted(p.kinds), strength=round(p.strength, 3)) for c, p in walk.pairs.items()),
        key=lambda lc: (-lc.strength, lc.claim_id),
    )
    by_kind: dict[str, int] = defaultdict(int)
    for pair in walk.pairs.values():
        for kind in pair.kinds:
            by_kind[kind] += 1
    settings = walk.settings
    return ClaimLinks(
        entities=shared,
        linked_claims=linked_claims[:MAX_LISTED],
        claims_by_kind=dict(sorted(by_kind.items())),
        component_size=1 + len(walk.first | second),
        fraud_claims=sorted(fraud),
        ring_score=round(ring_score(walk.pairs, len(second), fraud), 4),
        hops=settings.hops,
        window_days=settings.window_days,
    )


def ring_signals(
    graph: ClaimsGraph,
    claim_id: str,
    occurred_at: datetime,
    linked: Sequence[Linked],
    settings: RingSettings,
    conn: Connection,
) -> ClaimLinks:
    """The claim's links section: what it shares, with which claims, and its ring score."""
    batch = LinkedBatch(linked=[list(linked)], first_seen={}, added={})
    return ring_signals_many(graph, [(claim_id, occurred_at)], batch, settings, conn)[0]
