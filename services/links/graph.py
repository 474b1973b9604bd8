"""The claims graph in the claim store's database: entities, their blocking keys, and each claim's links.

Every read is an indexed look-up: entities by key, candidates by blocking key, a claim's links by claim
id, an entity's claims by (entity, loss date) with a limit. Nothing here reads the whole book, so the time
to link a claim does not grow with it. The statements are built once: linking a claim executes a handful.
"""

from __future__ import annotations

import json
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
class Linked:
    """A mention resolved to its entity; `claims` is how many claims carry the entity, this one included."""

    mention: Mention
    entity_id: int
    probability: float
    claims: int


def entity_key(mention: Mention) -> str:
    """The entity's unique key: its kind and normalised value (a fuzzy one's first spelling and record)."""
    if resolvable(mention):
        return f"{mention.kind}:{mention.key}|{json.dumps(record_of(mention), sort_keys=True)}"[:300]
    return f"{mention.kind}:{mention.key}"[:300]


class ClaimsGraph:
    """Reads and writes the graph's tables, always within a caller's transaction."""

    def __init__(self, engine: Engine) -> None:
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        e, b, cl = link_entities.c, link_blocks.c, claim_links.c
        self._new_entities = dialect.insert(link_entities).on_conflict_do_nothing()
        self._new_blocks = dialect.insert(link_blocks).on_conflict_do_nothing()
        self._new_links = dialect.insert(claim_links).on_conflict_do_nothing()
        self._by_key = select(e.key, e.id, e.claims).where(e.key.in_(_KEYS))
        self._by_block = select(b.block, e.id, e.record, e.claims).join(link_entities, e.id == b.entity_id)
        self._by_block = self._by_block.where(b.block.in_(_KEYS))
        self._linked_before = select(cl.entity_id).where(cl.claim_id == bindparam("claim"))
        self._count = update(link_entities).where(e.id.in_(_IDS)).values(claims=e.claims + 1)
        self._claims_of = (
            select(cl.claim_id, cl.role)
            .where(cl.entity_id == bindparam("entity"), cl.occurred_at.between(bindparam("since"), bindparam("until")))
            .order_by(cl.occurred_at.desc())
            .limit(bindparam("limit"))
        )
        self._entities_of = select(cl.claim_id, e.id, e.kind, e.claims).join(link_entities, e.id == cl.entity_id)
        self._entities_of = self._entities_of.where(cl.claim_id.in_(_CLAIMS))
        q = queue_items.c
        self._fraud = select(q.claim_id, q.desk, q.decision).where(
            q.claim_id.in_(_CLAIMS), or_(q.desk == FRAUD_DESK, q.decision == "refer")
        )

    def link(self, claim_id: str, occurred_at: datetime, mentions: Sequence[Mention], conn: Connection) -> list[Linked]:
        """Resolve the claim's mentions to entities (filing new ones) and record its links; idempotent."""
        kept = [m for m in mentions if m.kind != "person" or resolvable(m)]
        keys = [entity_key(m) for m in kept]
        known = {r.key: (r.id, r.claims) for r in conn.execute(self._by_key, {"keys": sorted(set(keys))})}
        chosen = self._file_new(self._resolve(kept, keys, known, conn), dict(zip(keys, kept, strict=True)), conn)
        blocks = [
            {"block": b, "entity_id": chosen[k][0]} for k, m in zip(keys, kept, strict=True) for b in blocking_keys(m)
        ]
        if blocks:
            conn.execute(self._new_blocks, blocks)
        before = {r.entity_id for r in conn.execute(self._linked_before, {"claim": claim_id})}
        rows = [
            {"claim_id": claim_id, "entity_id": chosen[k][0], "role": m.role, "probability": chosen[k][1]}
            for k, m in zip(keys, kept, strict=True)
        ]
        if rows:
            conn.execute(self._new_links, [row | {"occurred_at": occurred_at} for row in rows])
        added = {chosen[k][0] for k in keys} - before
        if added:
            conn.execute(self._count, {"ids": sorted(added)})
        return [
            Linked(m, chosen[k][0], chosen[k][1], chosen[k][2] + (chosen[k][0] in added))
            for k, m in zip(keys, kept, strict=True)
        ]

    def _file_new(
        self, chosen: dict[str, Resolved | None], mentions: dict[str, Mention], conn: Connection
    ) -> dict[str, Resolved]:
        """`chosen` with an entity filed for each key that had none (a concurrent writer's, if it filed it first)."""
        filed = {k: r for k, r in chosen.items() if r is not None}
        new = {k: mentions[k] for k, r in chosen.items() if r is None}
        if new:
            rows = [
                {"kind": m.kind, "key": k, "display": m.display[:300], "claims": 0, "record": _record(m)}
                for k, m in new.items()
            ]
            conn.execute(self._new_entities, rows)
            filed |= {r.key: (r.id, 1.0, r.claims) for r in conn.execute(self._by_key, {"keys": sorted(new)})}
        return filed

    def _resolve(
        self, mentions: Sequence[Mention], keys: Sequence[str], known: dict[str, tuple[int, int]], conn: Connection
    ) -> dict[str, Resolved | None]:
        """Each key's (entity, probability, claims): the entity of that key, else for a person or an address the
        likeliest candidate under its blocking keys; None for a new entity."""
        chosen: dict[str, Resolved | None] = {k: (*known[k][:1], 1.0, known[k][1]) for k in keys if k in known}
        fuzzy = [(k, m) for k, m in zip(keys, mentions, strict=True) if k not in known and resolvable(m)]
        wanted = sorted({b for _, m in fuzzy for b in blocking_keys(m)})
        candidates: dict[str, list[tuple[int, str, int]]] = {}
        if wanted:
            for r in conn.execute(self._by_block, {"keys": wanted}):
                candidates.setdefault(r.block, []).append((r.id, r.record, r.claims))
        for key, mention in fuzzy:
            found = {c for b in blocking_keys(mention) for c in candidates.get(b, [])}
            match = best_match(mention, ((i, rec) for i, rec, _ in found))
            claims = {i: n for i, _, n in found}
            chosen[key] = (match[0], match[1], claims[match[0]]) if match else chosen.get(key)
        return {k: chosen.get(k) for k in keys}

    def claims_of(
        self, entity_id: int, since: datetime, until: datetime, limit: int, conn: Connection
    ) -> list[tuple[str, str]]:
        """Up to `limit` (claim, role) carrying the entity with a loss between `since` and `until`, latest first."""
        params = {"entity": entity_id, "since": since, "until": until, "limit": limit}
        return [(r.claim_id, r.role) for r in conn.execute(self._claims_of, params)]

    def entities_of(self, claim_ids: Sequence[str], conn: Connection) -> list[tuple[str, int, str, int]]:
        """(claim, entity, kind, claims carrying the entity) for every link of these claims."""
        rows = conn.execute(self._entities_of, {"claims": sorted(set(claim_ids))})
        return [(r.claim_id, r.id, r.kind, r.claims) for r in rows]

    def fraud_history(self, claim_ids: Sequence[str], conn: Connection) -> dict[str, str]:
        """Claims among these sent to special investigations (by the router, or an adjuster's `refer`): `denied`
        when that desk denied them, else `referred`."""
        if not claim_ids:
            return {}
        rows = conn.execute(self._fraud, {"claims": sorted(set(claim_ids))})
        return {r.claim_id: "denied" if r.desk == FRAUD_DESK and r.decision == "deny" else "referred" for r in rows}


def _record(mention: Mention) -> str | None:
    return json.dumps(record_of(mention), sort_keys=True) if resolvable(mention) else None
