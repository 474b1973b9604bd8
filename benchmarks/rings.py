"""Fraud rings: link a generated book of claims one by one, as the links stage does, and score the flags.

Each claim is linked in its own transaction on a SQLite claim store (entities resolved, links written, ring
signals read), and flagged when its ring score reaches the packaged policy's threshold. A flagged claim goes
to special investigations (a queue row), and the investigation's outcome comes back two weeks of book time
later: a ring claim is denied for fraud, an honest one approved, as SIU decides. A flagged claim also opens
an investigation of the claims it links to strongly (an exact identifier or a person in common): the ring
is found, not just its latest claim. So `recall` counts ring claims flagged at intake or pulled in by a
later flag; `recall_at_intake` only the first (a ring's first claim has nothing to link to when it comes).

The book's seed is not the one the detector's weights and the match models were set on (seed 11).

    python benchmarks/rings.py --claims 20000
"""

from __future__ import annotations

import argparse
import heapq
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, insert

from claimgen.rings import BookClaim, book, extraction_of
from services.core.database import make_engine, migrate, writing
from services.core.events import ClaimLinks
from services.core.tables import queue_items
from services.links.entities import mentions
from services.links.graph import FRAUD_DESK, ClaimsGraph
from services.links.signals import RingSettings, ring_signals
from services.router.policy import load_policy

DECISION_DELAY = timedelta(days=14)
STRONG_LINK = 1.5


def packaged_threshold() -> float:
    """The ring score at which the packaged policy sends a claim to special investigations."""
    for rule in load_policy().rules:
        if rule.when.ring_score_at_least is not None:
            return rule.when.ring_score_at_least
    raise SystemExit("the packaged policy has no ring_score_at_least rule")


Due = tuple[datetime, str, bool]  # when an investigation is decided, the claim, whether it is a ring's


@dataclass
class Tally:
    threshold: float
    flagged_at_intake: set[str] = field(default_factory=set)
    pulled_in: set[str] = field(default_factory=set)
    ring: set[str] = field(default_factory=set)
    coincidence: set[str] = field(default_factory=set)
    times: list[float] = field(default_factory=list)


def _refer(conn: Connection, claim: BookClaim, now: datetime) -> None:
    row = {
        "claim_id": claim.fnol.claim_id,
        "desk": FRAUD_DESK,
        "priority": 1,
        "sla_due_at": now + DECISION_DELAY,
        "queued_at": now,
        "status": "open",
        "recommendation": "investigate",
        "payable_limit": 0.0,
    }
    conn.execute(insert(queue_items), [row])


def _decide(conn: Connection, due: list[Due], now: datetime) -> None:
    while due and due[0][0] <= now:
        _, claim_id, ring = heapq.heappop(due)
        stmt = queue_items.update().where(queue_items.c.claim_id == claim_id)
        conn.execute(stmt.values(status="decided", decision="deny" if ring else "approve"))


def _outcomes(engine: Engine, claim: BookClaim, links: ClaimLinks, now: datetime, due: list[Due], tally: Tally) -> None:
    """Investigations decided by now, and this claim referred with the claims it links to strongly if flagged."""
    with writing(engine) as conn:
        _decide(conn, due, now)
        if links.ring_score < tally.threshold:
            return
        tally.flagged_at_intake.add(claim.fnol.claim_id)
        tally.pulled_in.update(c.claim_id for c in links.linked_claims if c.strength >= STRONG_LINK)
        _refer(conn, claim, now)
        heapq.heappush(due, (now + DECISION_DELAY, claim.fnol.claim_id, claim.ring is not None))


def run(claims: int, seed: int, threshold: float, database: Path) -> Tally:
    url = f"sqlite:///{database}"
    migrate(url)
    engine, settings, tally = make_engine(url), RingSettings(), Tally(threshold)
    graph, due = ClaimsGraph(engine), list[Due]()
    for i, claim in enumerate(book(claims, seed)):
        fnol = claim.fnol
        found = mentions(fnol, extraction_of(claim))
        now = fnol.loss.occurred_at
        started = time.perf_counter()
        with writing(engine) as conn:
            linked = graph.link(fnol.claim_id, now, found, conn)
            links = ring_signals(graph, fnol.claim_id, now, linked, settings, conn)
        tally.times.append(time.perf_counter() - started)
        if links.ring_score >= threshold or (due and due[0][0] <= now):
            _outcomes(engine, claim, links, now, due, tally)
        (tally.ring if claim.ring else tally.coincidence if claim.coincidence else set()).add(fnol.claim_id)
        if (i + 1) % max(claims // 20, 1) == 0:
            recent = sorted(tally.times[-1000:])
            print(f"  {i + 1} claims, link p50 {recent[len(recent) // 2] * 1000:.2f} ms", file=sys.stderr, flush=True)
    engine.dispose()
    return tally


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fraud-ring recall, precision and linking time on a generated book.")
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    threshold = packaged_threshold()
    with tempfile.TemporaryDirectory() as tmp:
        tally = run(args.claims, args.seed, threshold, Path(tmp) / "claims.db")
    flagged = tally.flagged_at_intake | tally.pulled_in
    recall = _ratio(len(flagged & tally.ring), len(tally.ring))
    precision = _ratio(len(flagged & tally.ring), len(flagged))
    coincidences = _ratio(len(flagged & tally.coincidence), len(tally.coincidence))
    last = sorted(tally.times[-1000:])
    link_ms = sum(last) / len(last) * 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"ring claims {len(tally.ring)}, coincidence claims {len(tally.coincidence)}, flagged {len(flagged)} "
        f"({len(tally.flagged_at_intake)} at intake), threshold {threshold}"
    )
    print(
        f"rings: claims={args.claims} recall={recall:.3f} precision={precision:.3f} "
        f"coincidence_flag_rate={coincidences:.4f} link_ms_per_claim={link_ms:.2f} peak_mb={peak_mb:.0f} "
        f"recall_at_intake={_ratio(len(tally.flagged_at_intake & tally.ring), len(tally.ring)):.3f}"
    )


if __name__ == "__main__":
    main()
