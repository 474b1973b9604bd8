"""The claims graph in the claim store's database: entities, their blocking keys, and each claim's links.

Every read is an indexed look-up: entities by key, candidates by blocking key, a claim's links by claim
id, an entity's claims by (entity, loss date) with a limit. Nothing here reads the whole book, so the time
to link a claim does not grow with it. The statements are built once: linking a claim executes a handful.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, Connection, Engine, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from services.core.tables import claim_links, link_blocks, link_entities, queue_items
from services.links.entities import Mention
from services.links.resolve import best_match, blocking_keys, record_of, resolvable

FRAUD_DESK = "special_investigations"
_KEYS: BindParameter[list[str]] = bindparam("keys", expanding=True)
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_CLAIMS: BindParameter[list[str]] = bindparam("claims", expanding=True)
Resolved = tuple[int, float, int]  # entity id, match probability, claims carrying the entity


@dataclass(frozen=True)
class ClaimMentions:
    """A claim to link: its id, loss date and the entities it names."""

    claim_id: str
    occurred_at: datetime
    mentions: Sequence[Mention]


@dataclass(frozen=True)
class _Entity:
    id: int
    claims: int
    record: str | None


@dataclass(frozen=True)
class Linked:
    """A mention resolved to its entity; `claims` is how many claims carry the entity, this one included."""

    mention: Mention
    entity_id: int
    probability: float
    claims: int


@dataclass
class LinkedBatch:
    """A batch's links in its order, and what a claim of it saw when linked, as if the batch went one by one."""

    linked: list[list[Linked]]
    first_seen: dict[str, int]  # claims this batch linked for the first time: the position of their first turn
    added: dict[int, list[int]]  # entities: the positions of the claims that newly carry them

    def visible(self, claim_id: str, position: int) -> bool:
        """Whether the claim was in the graph when the claim at `position` was linked (itself included)."""
        return self.first_seen.get(claim_id, position) <= position

    def claims_as_of(self, entity_id: int, claims: int, position: int) -> int:
        """How many claims carried the entity (now `claims`) once the claim at `position` was linked."""
        return claims - self.added_after(entity_id, position)

    def added_after(self, entity_id: int, position: int) -> int:
        """How many claims after `position` in the batch newly carry the entity."""
        return sum(p > position for p in self.added.get(entity_id, ()))


def entity_key(mention: Mention, record: str | None) -> str:
    """The entity's unique key: its kind and normalised value (a fuzzy one's first spelling and `record`)."""
    if record is not None:
        return f"{mention.kind}:{mention.key}|{record}"[:300]
    return f"{mention.kind}:{mention.key}"[:300]


class ClaimsGraph:
    """Reads and writes the graph's tables, always within a caller's transaction."""

    def __init__(self, engine: Engine) -> None:
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        e, b, cl = link_entities.c, link_blocks.c, claim_links.c
        # Only the rows this insert filed come back: an entity another writer filed first is counted by an update.
        self._new_entities = dialect.insert(link_entities).on_conflict_do_nothing().returning(e.key, e.id)
        self._new_blocks = dialect.insert(link_blocks).on_conflict_do_nothing()
        self._new_links = dialect.insert(claim_links).on_conflict_do_nothing()
        self._by_key = select(e.key, e.id, e.claims, e.record).where(e.key.in_(_KEYS))
        self._by_block = select(b.block, e.id, e.record, e.claims).join(link_entities, e.id == b.entity_id)
        self._by_block = self._by_block.where(b.block.in_(_KEYS))
        self._linked_before = select(cl.claim_id, cl.entity_id).where(cl.claim_id.in_(_CLAIMS))
        self._count = update(link_entities).where(e.id == bindparam("entity")).values(claims=e.claims + bindparam("n"))
        self._claims_of = (
            select(cl.claim_id, cl.role)
            .where(cl.entity_id == bindparam("entity"), cl.occurred_at.between(bindparam("since"), bindparam("until")))
            .order_by(cl.occurred_at.desc())
            .limit(bindparam("limit"))
        )
        self._claims_of_many = select(cl.entity_id, cl.claim_id, cl.role, cl.occurred_at).where(
            cl.entity_id.in_(_IDS), cl.occurred_at.between(bindparam("since"), bindparam("until"))
        )
        self._entities_of = select(cl.claim_id, e.id, e.kind, e.claims).join(link_entities, e.id == cl.entity_id)
        self._entities_of = self._entities_of.where(cl.claim_id.in_(_CLAIMS))
        q = queue_items.c
        self._fraud = select(q.claim_id, q.desk, q.decision).where(
            q.claim_id.in_(_CLAIMS), or_(q.desk == FRAUD_DESK, q.decision == "refer")
        )

    def link(self, claim_id: str, occurred_at: datetime, mentions: Sequence[Mention], conn: Connection) -> list[Linked]:
        """Resolve the claim's mentions to entities (filing new ones) and record its links; idempotent."""
        return self.link_many([ClaimMentions(claim_id, occurred_at, mentions)], conn).linked[0]

    def link_many(self, claims: Sequence[ClaimMentions], conn: Connection) -> LinkedBatch:
        """`link` for a batch with a handful of statements in all, resolving in order: each claim's mentions
        match the entities the claims before it in the batch filed, as if they were linked one by one."""
        kept = [[m for m in c.mentions if m.kind != "person" or resolvable(m)] for c in claims]
        records = [[_record(m) for m in ms] for ms in kept]
        keys = [[entity_key(m, r) for m, r in zip(ms, rs, strict=True)] for ms, rs in zip(kept, records, strict=True)]
        every = sorted({k for ks in keys for k in ks})
        known = {r.key: _Entity(r.id, r.claims, r.record) for r in conn.execute(self._by_key, {"keys": every}).all()}
        filed_before, counts = set(known), {e.id: e.claims for e in known.values()}
        candidates = self._candidates(kept, keys, known, counts, conn)
        new: dict[str, tuple[Mention, str | None]] = {}
        chosen = [
            [_choose(m, k, r, known, new, candidates) for m, k, r in zip(ms, ks, rs, strict=True)]
            for ms, ks, rs in zip(kept, keys, records, strict=True)
        ]
        carriers: dict[int, set[str]] = defaultdict(set)  # a new entity's claims: none was linked to it before
        for claim, row in zip(claims, chosen, strict=True):
            for e, _ in row:
                if e < 0:
                    carriers[e].add(claim.claim_id)
        filed, counted = self._file_new(new, {k: len(carriers[known[k].id]) for k in new}, conn, counts)
        real = {known[k].id: e.id for k, e in filed.items()}  # placeholder: filed
        resolved = [[(real.get(e, e), p) for e, p in row] for row in chosen]
        blocks = {  # a spelling filed as an entity before had its blocks filed with it
            (b, e)
            for ms, ks, row in zip(kept, keys, resolved, strict=True)
            for m, k, (e, _) in zip(ms, ks, row, strict=True)
            if k not in filed_before
            for b in blocking_keys(m)
        }
        if blocks:
            conn.execute(self._new_blocks, [{"block": b, "entity_id": e} for b, e in sorted(blocks)])
        return self._record_links(claims, kept, resolved, counts, counted, conn)

    def _candidates(
        self,
        kept: list[list[Mention]],
        keys: list[list[str]],
        known: dict[str, _Entity],
        counts: dict[int, int],
        conn: Connection,
    ) -> dict[str, dict[int, str]]:
        """Entities (id: record) under each blocking key of the persons and addresses not known by their key."""
        wanted = sorted(
            {
                b
                for ms, ks in zip(kept, keys, strict=True)
                for m, k in zip(ms, ks, strict=True)
                if k not in known and resolvable(m)
                for b in blocking_keys(m)
            }
        )
        candidates: dict[str, dict[int, str]] = defaultdict(dict)
        if wanted:
            for r in conn.execute(self._by_block, {"keys": wanted}).all():
                candidates[r.block][r.id] = r.record
                counts[r.id] = r.claims
        return candidates

    def _file_new(
        self,
        new: dict[str, tuple[Mention, str | None]],
        claims: dict[str, int],
        conn: Connection,
        counts: dict[int, int],
    ) -> tuple[dict[str, _Entity], set[int]]:
        """The entity filed for each new key (a concurrent writer's, if it filed it first), its count in `counts`
        as before this batch; and the entities filed here, with `claims` (the batch's claims carrying each) already."""
        if not new:
            return {}, set()
        rows = [
            {"kind": m.kind, "key": k, "display": m.display[:300], "claims": claims[k], "record": record}
            for k, (m, record) in new.items()
        ]
        filed = {r.key: _Entity(r.id, 0, new[r.key][1]) for r in conn.execute(self._new_entities, rows).all()}
        ours = {e.id for e in filed.values()}
        if missed := sorted(set(new) - set(filed)):
            filed |= {
                r.key: _Entity(r.id, r.claims, r.record) for r in conn.execute(self._by_key, {"keys": missed}).all()
            }
        counts.update((e.id, e.claims) for e in filed.values())
        return filed, ours

    def _record_links(
        self,
        claims: Sequence[ClaimMentions],
        kept: list[list[Mention]],
        resolved: list[list[tuple[int, float]]],
        counts: dict[int, int],
        counted: set[int],
        conn: Connection,
    ) -> LinkedBatch:
        """Write each claim's links and count each entity's claims once per claim new to it, in batch order (the
        entities in `counted` were filed with their count)."""
        ids = sorted({c.claim_id for c in claims})
        before: dict[str, set[int]] = defaultdict(set)
        for r in conn.execute(self._linked_before, {"claims": ids}).all():
            before[r.claim_id].add(r.entity_id)
        batch = LinkedBatch(linked=[], first_seen={}, added=defaultdict(list))
        rows, running = [], dict(counts)
        for position, (claim, mentions, row) in enumerate(zip(claims, kept, resolved, strict=True)):
            if claim.claim_id not in before:
                batch.first_seen.setdefault(claim.claim_id, position)
            seen = before[claim.claim_id]
            for entity_id in dict.fromkeys(e for e, _ in row):
                if entity_id not in seen:
                    seen.add(entity_id)
                    running[entity_id] += 1
                    batch.added[entity_id].append(position)
            rows += [
                {
                    "claim_id": claim.claim_id,
                    "entity_id": e,
                    "role": m.role,
                    "probability": p,
                    "occurred_at": claim.occurred_at,
                }
                for m, (e, p) in zip(mentions, row, strict=True)
            ]
            batch.linked.append([Linked(m, e, p, running[e]) for m, (e, p) in zip(mentions, row, strict=True)])
        if rows:
            conn.execute(self._new_links, rows)
        increments = [{"entity": e, "n": len(p)} for e, p in sorted(batch.added.items()) if e not in counted]
        if increments:
            conn.execute(self._count, increments)
        return batch

    def claims_of(
        self, entity_id: int, since: datetime, until: datetime, limit: int, conn: Connection
    ) -> list[tuple[str, str]]:
        """Up to `limit` (claim, role) carrying the entity with a loss between `since` and `until`, latest first."""
        params = {"entity": entity_id, "since": since, "until": until, "limit": limit}
        return [(r.claim_id, r.role) for r in conn.execute(self._claims_of, params).all()]

    def claims_of_many(
        self, entity_ids: Sequence[int], since: datetime, until: datetime, conn: Connection
    ) -> dict[int, list[tuple[datetime, str, str]]]:
        """Every (loss date, claim, role) carrying each of these entities with a loss between `since` and `until`:
        for entities on few claims only, since nothing limits it."""
        found: dict[int, list[tuple[datetime, str, str]]] = defaultdict(list)
        # .all() fetches the rows in one call; iterating a result fetches them one by one (as every read here)
        params = {"ids": sorted(set(entity_ids)), "since": since, "until": until}
        for entity_id, claim_id, role, occurred_at in conn.execute(self._claims_of_many, params).all():
            found[entity_id].append((occurred_at, claim_id, role))
        return found

    def entities_of(self, claim_ids: Sequence[str], conn: Connection) -> list[tuple[str, int, str, int]]:
        """(claim, entity, kind, claims carrying the entity) for every link of these claims."""
        rows = conn.execute(self._entities_of, {"claims": sorted(set(claim_ids))}).all()
        return [(claim_id, entity_id, kind, claims) for claim_id, entity_id, kind, claims in rows]

    def fraud_history(self, claim_ids: Sequence[str], conn: Connection) -> dict[str, str]:
        """Claims among these sent to special investigations (by the router, or an adjuster's `refer`): `denied`
        when that desk denied them, else `referred`."""
        if not claim_ids:
            return {}
        rows = conn.execute(self._fraud, {"claims": sorted(set(claim_ids))}).all()
        return {r.claim_id: "denied" if r.desk == FRAUD_DESK and r.decision == "deny" else "referred" for r in rows}


def _choose(
    mention: Mention,
    key: str,
    own: str | None,
    known: dict[str, _Entity],
    new: dict[str, tuple[Mention, str | None]],
    candidates: dict[str, dict[int, str]],
) -> tuple[int, float]:
    """(entity, probability) for one mention: the entity of its key, else for a person or an address the likeliest
    candidate under its blocking keys, else a new entity, known by a negative placeholder until it is filed. The
    entity is then a candidate under the mention's blocking keys, as its filed blocks make it for later claims."""
    entity = known.get(key)
    if entity is not None:
        found, record = (entity.id, 1.0), entity.record
    else:
        near = {i: r for b in blocking_keys(mention) for i, r in candidates.get(b, {}).items()}
        match = best_match(mention, near.items()) if near else None
        if match is not None:
            found, record = match, near[match[0]]
        else:
            record = own
            known[key] = _Entity(-len(new) - 1, 0, record)
            new[key] = (mention, record)
            found = (known[key].id, 1.0)
    if record is not None:
        for b in blocking_keys(mention):
            candidates[b][found[0]] = record
    return found


def _record(mention: Mention) -> str | None:
    return json.dumps(record_of(mention), sort_keys=True) if resolvable(mention) else None
