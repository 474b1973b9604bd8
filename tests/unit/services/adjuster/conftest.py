"""A queue of routed claims behind the adjuster app, a clock the test moves, tokens for every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from claimgen.fnol import GeneratedClaim
from services.adjuster.api import create_app
from services.adjuster.outbox import Outbox
from services.adjuster.queue import QueueStore
from services.app.stages import order
from services.compliance.reports import ComplianceReports
from services.core.audit import AuditLog
from services.core.auth import Role, mint_token
from services.core.bus.memory import MemoryBus
from services.core.events import Route
from services.core.store import ClaimStore
from tests.unit.services.core.audit_cases import START, routed_case

SECRET = "test-secret-not-for-production-use-0123456789"


class NoModels:
    """A registry that knows no model version (the report and inventory say so)."""

    def reference(self, name: str, version: str) -> None:
        return None

    def facts(self, name: str, version: str) -> None:
        return None


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Desk:
    client: TestClient
    bus: MemoryBus
    queue: QueueStore
    audit: AuditLog
    clock: Clock
    claim_ids: list[str]
    feedback: Outbox
    store: ClaimStore
    reports: ComplianceReports


def token(subject: str, *roles: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(subject, roles, SECRET)}"}


def fill(store: ClaimStore, queue: QueueStore, claims: list[GeneratedClaim]) -> list[str]:
    """Six routed claims: five to the general desk (recommend approve), one to investigations (refer)."""
    cases = [routed_case(c, minute=i) for i, c in enumerate(claims[:6])]
    cases[5] = cases[5].model_copy(
        update={
            "decision": cases[5].decision.model_copy(  # type: ignore[union-attr]
                update={"desk": "special_investigations", "priority": 1, "route": Route.ADJUSTER}
            )
        }
    )
    store.record_stage("router", cases)
    queue.enqueue(cases)
    return [c.claim_id for c in cases]


@pytest.fixture
def desk(database_url: str, sample_claims: list[GeneratedClaim]) -> Desk:
    store = ClaimStore(database_url, order())
    queue, audit, bus = QueueStore(store.engine), AuditLog(store.engine), MemoryBus()
    clock = Clock(START + timedelta(hours=1))
    reports = ComplianceReports(audit=audit, cases=store, models=NoModels(), clock=clock, min_group=2)
    feedback = Outbox(store.engine, bus.publisher())
    app = create_app(
        queue=queue,
        cases=store,
        audit=audit,
        feedback=feedback,
        token_secret=SECRET,
        clock=clock,
        hold=timedelta(minutes=30),
        compliance=reports,
    )
    return Desk(TestClient(app), bus, queue, audit, clock, fill(store, queue, sample_claims), feedback, store, reports)
