"""The case page shows the adjuster the cause of loss the router read in the description."""

from __future__ import annotations

from claimgen.fnol import GeneratedClaim
from services.app.stages import order
from services.core.auth import Role
from services.core.events import LineOfBusiness, ModelRef, PerilAssessment
from services.core.store import ClaimStore
from tests.unit.services.adjuster.conftest import Desk, token
from tests.unit.services.core.audit_cases import routed_case


def test_the_case_page_shows_the_peril_beside_the_reported_cause(
    desk: Desk, sample_claims: list[GeneratedClaim]
) -> None:
    claim = next(c for c in sample_claims[6:] if c.fnol.line_of_business is LineOfBusiness.PROPERTY)
    case = routed_case(claim).model_copy(
        update={
            "peril": PerilAssessment(
                peril="water_non_weather", probability=0.83, model=ModelRef(name="peril", version="4", alias="champion")
            )
        }
    )
    ClaimStore(desk.queue.engine.url.render_as_string(hide_password=False), order()).record_stage("router", [case])
    desk.queue.enqueue([case])
    page = desk.client.get(f"/cases/{case.claim_id}", headers=token("alice", Role.ADJUSTER))
    assert page.status_code == 200
    assert "Cause of loss read from the description: <strong>water non weather</strong>" in page.text
    assert "(83 %, model peril v4); reported as fire." in page.text
