"""Adjuster queue latency with a large queue: the API's list (filtered) and take + decide, and the queue page (sorted,
filtered, paged, rendered), in process over ASGI.

    python benchmarks/queue_api.py --claims 100000 [--requests 1000] [--database-url postgresql+psycopg://...]

Last line: `queue_api: claims=… list_p50_ms=… list_p99_ms=… decide_p50_ms=… decide_p99_ms=… page_p50_ms=…
page_p99_ms=…` (aim: p99 <= 50 ms for the API).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np
from fastapi.testclient import TestClient

from claimgen.fnol import generate_claims
from services.adjuster.api import create_app
from services.adjuster.outbox import Outbox
from services.adjuster.queue import QueueStore
from services.app.stages import order
from services.core.audit import AuditLog
from services.core.auth import Role, mint_token
from services.core.bus.memory import MemoryBus
from services.core.events import ClaimCase, FraudScore, ModelRef, Route, RoutingDecision
from services.core.store import ClaimStore

SECRET = "benchmark-secret-0123456789-abcdefghijklmnop"
DESKS = ("general", "special_investigations", "injury", "large_loss", "coverage")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FRAUD = ModelRef(name="fraud", version="bench", alias="champion")
PAGES = [{}, {"sort": "fraud", "desc": "true"}, {"sort": "claimant", "page": 40}, {"line": "motor", "sla": "breached"}]


def fill(queue: QueueStore, claims: int) -> list[str]:
    template = generate_claims(1, seed=3, now=NOW)[0].fnol
    rng = random.Random(5)
    ids, batch = [], []
    for i in range(claims):
        claim_id = f"CLM-Q-{i:07d}"
        priority = rng.randint(1, 5)
        decision = RoutingDecision(
            route=Route.ADJUSTER,
            desk=rng.choice(DESKS),
            priority=priority,
            reasons=["benchmark"],
            policy_version="bench",
            decided_at=NOW - timedelta(hours=rng.uniform(0, 120)),
        )
        batch.append(
            ClaimCase(
                event_id=uuid.uuid4(),
                claim_id=claim_id,
                occurred_at=NOW,
                accepted_at=NOW,
                fnol=template.model_copy(update={"claim_id": claim_id}),
                fraud=FraudScore(probability=rng.random(), model=FRAUD, reasons=[]),
                decision=decision,
            )
        )
        ids.append(claim_id)
        if len(batch) == 5000:
            queue.enqueue(batch)
            batch = []
    queue.enqueue(batch)
    return ids


def timed(call: Callable[[], httpx.Response]) -> float:
    began = time.perf_counter()
    response = call()
    assert response.status_code == 200, response.text
    return (time.perf_counter() - began) * 1000


def take_and_decide(client: TestClient, claim_id: str, headers: dict[str, str]) -> float:
    """Milliseconds for an adjuster to take a case and decide it (two requests)."""
    taken = timed(lambda: client.post(f"/v1/cases/{claim_id}/take", headers=headers))
    return taken + timed(
        lambda: client.post(
            f"/v1/cases/{claim_id}/decision", json={"outcome": "deny", "reason": "benchmark"}, headers=headers
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = ClaimStore(args.database_url or f"sqlite:///{Path(folder) / 'triage.db'}", order())
        queue = QueueStore(store.engine)
        began = time.perf_counter()
        ids = fill(queue, args.claims)
        print(f"queued {args.claims} claims in {time.perf_counter() - began:.1f} s")
        app = create_app(
            queue=queue,
            cases=store,
            audit=AuditLog(store.engine),
            feedback=Outbox(store.engine, MemoryBus().publisher()),
            token_secret=SECRET,
            clock=lambda: NOW,
        )
        client = TestClient(app)
        headers = {"Authorization": f"Bearer {mint_token('bench', [Role.ADJUSTER], SECRET)}"}
        rng = random.Random(9)
        filters = [{}, {"desk": "general"}, {"sla": "breached"}, {"priority": 1}, {"desk": "injury", "sla": "on_time"}]
        lists = [
            timed(lambda: client.get("/v1/queue", params=rng.choice(filters), headers=headers))
            for _ in range(args.requests)
        ]
        pages = [
            timed(lambda: client.get("/queue", params=rng.choice(PAGES), headers=headers)) for _ in range(args.requests)
        ]
        decides = [take_and_decide(client, claim_id, headers) for claim_id in rng.sample(ids, args.requests)]
        lp, dp, pp = np.percentile(lists, [50, 99]), np.percentile(decides, [50, 99]), np.percentile(pages, [50, 99])
        print(f"list: p50 {lp[0]:.1f} ms, p99 {lp[1]:.1f} ms; take + decide: p50 {dp[0]:.1f} ms, p99 {dp[1]:.1f} ms")
        print(f"queue page: p50 {pp[0]:.1f} ms, p99 {pp[1]:.1f} ms")
        print(
            f"queue_api: claims={args.claims} list_p50_ms={lp[0]:.1f} list_p99_ms={lp[1]:.1f} "
            f"decide_p50_ms={dp[0]:.1f} decide_p99_ms={dp[1]:.1f} page_p50_ms={pp[0]:.1f} page_p99_ms={pp[1]:.1f}"
        )


if __name__ == "__main__":
    main()
