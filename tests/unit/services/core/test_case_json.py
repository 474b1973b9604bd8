"""A case's JSON with its sections serialised once: the same document as model_dump_json, never a stale one."""

from __future__ import annotations

import gc
import json
from datetime import timedelta

from claimgen.fnol import GeneratedClaim
from services.core.events import ClaimCase
from services.core.events import fnol as events
from tests.unit.services.core.audit_cases import START, routed_case


def test_to_json_is_model_dump_json_for_every_claim(sample_claims: list[GeneratedClaim]) -> None:
    for claim in sample_claims:
        case = routed_case(claim)
        for _ in range(2):  # made, then from the sections' cache
            assert json.loads(case.to_json()) == json.loads(case.model_dump_json())
            assert ClaimCase.model_validate_json(case.to_json()) == case


def test_a_changed_copy_of_a_section_gets_its_own_json(sample_claims: list[GeneratedClaim]) -> None:
    case = routed_case(sample_claims[0])
    case.to_json()
    assert case.decision is not None
    later = case.decision.model_copy(update={"decided_at": START + timedelta(hours=1)})
    moved = case.model_copy(update={"decision": later})
    assert json.loads(moved.to_json())["decision"]["decided_at"].startswith("2026-11-20T13:00")
    assert json.loads(case.to_json())["decision"]["decided_at"].startswith("2026-11-20T12:00")


def test_a_sections_json_goes_with_the_section(sample_claims: list[GeneratedClaim]) -> None:
    gc.collect()
    before = len(events._JSON)
    case = routed_case(sample_claims[0])
    case.to_json()
    assert len(events._JSON) > before
    del case
    gc.collect()
    assert len(events._JSON) <= before + 1  # the generated FNOL lives on in the session's sample claims
