"""The decision page: while its label waits for the broker, the adjuster app answers other requests."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from claimgen.fnol import GeneratedClaim
from services.adjuster.api import create_app
from services.adjuster.outbox import Outbox
from services.adjuster.queue import QueueStore
from services.app.stages import order
from services.compliance.reports import ComplianceReports
from services.core.audit import AuditLog
from services.core.auth import Role, mint_token
from services.core.store import ClaimStore
from tests.unit.services.adjuster.conftest import SECRET, Clock, NoModels, fill
from tests.unit.services.core.audit_cases import START
from tests.unit.services.core.publishers import HeldByTheBroker


def test_a_decision_waiting_for_the_broker_does_not_hold_up_the_queue_page(
    tmp_path, sample_claims: list[GeneratedClaim]
) -> None:  # type: ignore[no-untyped-def]
    store = ClaimStore(f"sqlite:///{tmp_path / 'triage.db'}", order())
    queue, audit, publisher = QueueStore(store.engine), AuditLog(store.engine), HeldByTheBroker()
    clock = Clock(START + timedelta(hours=1))
    app = create_app(
        queue=queue,
        cases=store,
        audit=audit,
        feedback=Outbox(store.engine, publisher),
        token_secret=SECRET,
        clock=clock,
        hold=timedelta(minutes=30),
        compliance=ComplianceReports(audit=audit, cases=store, models=NoModels(), clock=clock, min_group=2),
    )
    claim = fill(store, queue, sample_claims)[0]
    headers = {"Authorization": f"Bearer {mint_token('alice', (Role.ADJUSTER,), SECRET)}"}

    async def decide_while_reading_the_queue() -> tuple[int, int]:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://desk", headers=headers
        ) as client:
            assert (await client.post(f"/cases/{claim}/take")).status_code == 303
            decided = asyncio.create_task(
                client.post(f"/cases/{claim}/decision", data={"outcome": "approve", "amount": "1800"})
            )
            assert await asyncio.to_thread(publisher.waiting.wait, 30)
            # On the event loop the decision's publish would block this request until the broker answered.
            queue_page = await asyncio.wait_for(client.get("/queue"), timeout=10)
            publisher.release.set()
            return queue_page.status_code, (await decided).status_code

    assert asyncio.run(decide_while_reading_the_queue()) == (200, 303)
    assert [out.key for out in publisher.published] == [claim]
