"""A case's JSON with its sections serialised once: the same document as model_dump_json, never a stale one."""

from __future__ import annotations

import gc
import json
from datetime import timedelta

import pytest

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


def test_the_places_header_names_each_sections_bytes(sample_claims: list[GeneratedClaim]) -> None:
    for claim in sample_claims:
        case = routed_case(claim)
        text, places = case.to_json_placed()
        data = text.encode()
        named = [place.split(":") for place in places.split(",")]
        sections = [name for name in ClaimCase.model_fields if isinstance(getattr(case, name), events.Frozen)]
        assert [name for name, _, _ in named] == sections
        for name, start, end in named:
            assert json.loads(data[int(start) : int(end)]) == json.loads(getattr(case, name).model_dump_json())


def test_a_case_read_with_its_places_passes_its_sections_on_as_they_came(
    sample_claims: list[GeneratedClaim],
) -> None:
    case = routed_case(sample_claims[1])
    text, places = case.to_json_placed()
    assert ClaimCase.from_json(text.encode(), places.encode()).to_json() == text
    # The same FNOL written with a space: read with its places, it is passed on with the space, not serialised again.
    named = [(name, int(start), int(end)) for name, start, end in (p.split(":") for p in places.split(","))]
    data = text.encode()
    spaced = data[: named[0][1] + 1] + b" " + data[named[0][1] + 1 :]
    moved = ",".join(f"{name}:{start + (i > 0)}:{end + 1}" for i, (name, start, end) in enumerate(named))
    read = ClaimCase.from_json(spaced, moved.encode())
    assert read == case
    assert read.to_json().encode() == spaced


@pytest.mark.parametrize(
    "places",
    [
        b"fnol:0:10",
        b"fnol:3:40,decision:x:y",
        b"nothing:1:2",
        b"claim_id:10:20",
        b"garbage",
        b"",
        b"fnol:99999:100000",
        b"\xff\xfe:\x00",
        "fnol:\u0661:\u0662".encode(),
    ],
)
def test_places_that_do_not_lie_on_their_section_are_ignored(
    sample_claims: list[GeneratedClaim], places: bytes
) -> None:
    case = routed_case(sample_claims[2])
    text = case.to_json()
    read = ClaimCase.from_json(text.encode(), places)
    assert read == case
    assert json.loads(read.to_json()) == json.loads(case.model_dump_json())


def test_a_shifted_place_is_not_taken_for_the_section(sample_claims: list[GeneratedClaim]) -> None:
    case = routed_case(sample_claims[3])
    text, places = case.to_json_placed()
    name, start, end = places.split(",")[0].split(":")
    shifted = f"{name}:{int(start) + 1}:{end}".encode()
    read = ClaimCase.from_json(text.encode(), shifted)
    assert json.loads(read.to_json()) == json.loads(case.model_dump_json())
