"""The links stage as the pipeline builds it: each claim linked within its own pass, against the store's graph."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

from services.app.bootstrap import open_dependencies
from services.app.stages import STAGES, declared, names
from services.core import topics
from services.core.events import FNOL, ClaimCase
from services.core.runner import Delivery
from services.core.settings import LinksSettings, TriageSettings
from tests.unit.services.links.conftest import fnol

WITNESS = [{"name": "Carl Crew", "role": "witness", "phone": "+1 217 555 0199"}]


def case(claim: FNOL) -> ClaimCase:
    now = datetime.now(UTC)
    return ClaimCase(event_id=uuid.uuid4(), claim_id=claim.claim_id, occurred_at=now, accepted_at=now, fnol=claim)


def test_links_runs_between_fraud_and_severity() -> None:
    order = names(STAGES)
    assert order.index("fraud") < order.index("links") < order.index("severity")
    assert (declared("links").input_topic, declared("links").output_topic) == (topics.SCORED, topics.LINKED)
    assert declared("severity").input_topic == topics.LINKED


def test_a_claim_is_linked_to_the_claims_before_it_in_its_own_pass(tmp_path: Path) -> None:
    deps = open_dependencies(TriageSettings(data_dir=tmp_path))
    handlers = declared("links").build(deps, LinksSettings(window_days=30))
    first = handlers.handle(case(fnol("ST-001", other_parties=WITNESS)), Delivery("t:0:0", datetime.now(UTC)))
    second = handlers.handle(case(fnol("ST-002", days=3, other_parties=WITNESS)), Delivery("t:0:1", datetime.now(UTC)))
    assert first.links is not None and first.links.entities == []
    assert second.links is not None and second.links.window_days == 30
    assert [(e.kind, e.claims) for e in second.links.entities] == [("phone", ["ST-001"])]
    assert [c.claim_id for c in second.links.linked_claims] == ["ST-001"]


def test_claims_of_one_batch_are_linked_in_order_as_if_one_by_one(tmp_path: Path) -> None:
    deps = open_dependencies(TriageSettings(data_dir=tmp_path))
    handlers = declared("links").build(deps, LinksSettings(window_days=30))
    assert handlers.handle_batch is not None
    claims = [case(fnol(f"SB-00{i}", days=i, other_parties=WITNESS)) for i in range(1, 4)]
    now = datetime.now(UTC)
    linked = handlers.handle_batch(claims, [Delivery(f"t:0:{i}", now) for i in range(3)])
    assert [sorted(c.claim_id for c in case.links.linked_claims) for case in linked] == [
        [],
        ["SB-001"],
        ["SB-001", "SB-002"],
    ]
